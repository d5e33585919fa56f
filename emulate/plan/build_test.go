package plan_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/plan"
)

// jobRow is what these tests compare of a planned cell.
type jobRow struct {
	Key     string
	Name    string
	Needs   []string
	Stage   int
	Status  plan.Status
	Runner  string
	Reason  string
	IfState string
}

func rows(wp *plan.WorkflowPlan) []jobRow {
	out := []jobRow{}
	for _, j := range wp.Jobs {
		out = append(out, jobRow{j.Key, j.Name, j.Needs, j.Stage, j.Status, j.Runner, j.Reason, j.IfState})
	}
	return out
}

// planned is a cell that runs on the host with no reason to give.
func planned(key, name string, stage int, needs ...string) jobRow {
	if needs == nil {
		needs = []string{}
	}
	return jobRow{Key: key, Name: name, Needs: needs, Stage: stage, Status: plan.StatusPlanned, Runner: "host"}
}

// notLocal is a cell that cannot run on this machine (it counts as
// succeeded for its dependents).
func notLocal(key, name string, stage int, reason string, needs ...string) jobRow {
	r := skipped(key, name, stage, reason, needs...)
	r.Status = plan.StatusNotRunLocally
	return r
}

func skipped(key, name string, stage int, reason string, needs ...string) jobRow {
	if needs == nil {
		needs = []string{}
	}
	return jobRow{Key: key, Name: name, Needs: needs, Stage: stage, Status: plan.StatusSkipped, Reason: reason}
}

func withIf(r jobRow, state string) jobRow { r.IfState = state; return r }

func requireLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the expectations place ubuntu labels on this machine")
	}
}

func TestBuildJobs(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	tests := []struct {
		what string
		yaml string
		edit func(*plan.Options)
		want []jobRow
	}{
		{
			what: "stages from needs: each job waits for its own needs only",
			yaml: `
on: push
jobs:
  a: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  b: {needs: a, runs-on: ubuntu-latest, steps: [{run: echo}]}
  c: {needs: [a], runs-on: ubuntu-latest, steps: [{run: echo}]}
  d: {needs: [c, b], runs-on: ubuntu-latest, steps: [{run: echo}]}
  e: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  f: {needs: [e, a], runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			want: []jobRow{
				planned("a", "a", 1),
				planned("b", "b", 2, "a"),
				planned("c", "c", 2, "a"),
				planned("d", "d", 3, "c", "b"),
				planned("e", "e", 1),
				planned("f", "f", 2, "e", "a"),
			},
		},
		{
			what: "needs are case-insensitive",
			yaml: `
on: push
jobs:
  Build: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  test: {needs: build, runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			want: []jobRow{
				planned("Build", "Build", 1),
				planned("test", "test", 2, "build"),
			},
		},
		{
			what: "a skip travels down several levels and stops at a job whose if: uses always()",
			yaml: `
on: push
jobs:
  a: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  b: {if: false, runs-on: ubuntu-latest, steps: [{run: echo}]}
  c: {needs: b, runs-on: ubuntu-latest, steps: [{run: echo}]}
  d: {needs: [a, c], runs-on: ubuntu-latest, steps: [{run: echo}]}
  e: {needs: d, if: "${{ always() }}", runs-on: ubuntu-latest, steps: [{run: echo}]}
  f: {needs: e, runs-on: ubuntu-latest, steps: [{run: echo}]}
  g: {needs: d, if: "github.ref == 'refs/heads/main'", runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			want: []jobRow{
				planned("a", "a", 1),
				withIf(skipped("b", "b", 1, "if: false is false"), "false"),
				skipped("c", "c", 2, "needs b, which is skipped", "b"),
				skipped("d", "d", 3, "needs c, which is skipped", "a", "c"),
				withIf(planned("e", "e", 4, "d"), "run time"),
				planned("f", "f", 5, "e"),
				// GitHub adds the implicit success() to an if: without a
				// status function, so a skipped need still skips it.
				withIf(skipped("g", "g", 4, "needs d, which is skipped", "d"), "true"),
			},
		},
		{
			what: "a need not run locally counts as succeeded",
			yaml: `
on: push
jobs:
  win: {runs-on: windows-latest, steps: [{run: echo}]}
  mac: {runs-on: [macos-14], steps: [{run: echo}]}
  after: {needs: [win, mac], runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			want: []jobRow{
				{Key: "win", Name: "win", Needs: []string{}, Stage: 1, Status: plan.StatusNotRunLocally, Reason: "windows-latest runner: this machine runs Linux (try it here with -P windows-latest=host)"},
				{Key: "mac", Name: "mac", Needs: []string{}, Stage: 1, Status: plan.StatusNotRunLocally, Reason: "macos-14 runner: this machine runs Linux (try it here with -P macos-14=host)"},
				planned("after", "after", 2, "win", "mac"),
			},
		},
		{
			what: "-P maps a label to the host",
			yaml: `
on: push
jobs:
  win: {runs-on: Windows-Latest, steps: [{run: echo}]}
`,
			edit: func(o *plan.Options) { o.Platforms = map[string]string{"windows-latest": "host"} },
			want: []jobRow{
				{Key: "win", Name: "win", Needs: []string{}, Stage: 1, Status: plan.StatusPlanned, Runner: "host", Reason: "Windows-Latest mapped to host with -P"},
			},
		},
		{
			what: "a deploy job is held back without --allow-deploy, and so are its dependents",
			yaml: `
on: push
jobs:
  build: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment: production
    steps: [{run: echo}]
  smoke: {needs: deploy, runs-on: ubuntu-latest, steps: [{run: echo}]}
  notify: {needs: deploy, if: always(), runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			want: []jobRow{
				planned("build", "build", 1),
				skipped("deploy", "deploy", 2, `deploys to environment "production" (run with --allow-deploy to run it)`, "build"),
				skipped("smoke", "smoke", 3, "needs deploy, which is skipped", "deploy"),
				withIf(planned("notify", "notify", 3, "deploy"), "run time"),
			},
		},
		{
			what: "a deploy job runs with --allow-deploy",
			yaml: `
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: {name: staging, url: "https://example.com"}
    steps: [{run: echo}]
`,
			edit: func(o *plan.Options) { o.AllowDeploy = true },
			want: []jobRow{planned("deploy", "deploy", 1)},
		},
		{
			what: "container: and services: jobs cannot run on the host",
			yaml: `
on: push
jobs:
  in-container:
    runs-on: ubuntu-latest
    container: python:3.12
    steps: [{run: echo}]
  with-db:
    runs-on: ubuntu-latest
    services:
      db: {image: "postgres:16"}
    steps: [{run: echo}]
  windows-container:
    runs-on: windows-latest
    container: python:3.12
    steps: [{run: echo}]
`,
			want: []jobRow{
				notLocal("in-container", "in-container", 1, "uses container:, which needs the container executor (--executor container or auto with a BuildKit builder); the host executor cannot run it"),
				notLocal("with-db", "with-db", 1, "uses services:, which rehearse does not run locally yet"),
				// Not running here at all is the first reason to give.
				{Key: "windows-container", Name: "windows-container", Needs: []string{}, Stage: 1, Status: plan.StatusNotRunLocally, Reason: "windows-latest runner: this machine runs Linux (try it here with -P windows-latest=host)"},
			},
		},
		{
			what: "job conditions decided now, and those left to run time",
			yaml: `
on: push
jobs:
  release-only:
    if: github.ref == 'refs/heads/release'
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  on-push:
    if: ${{ github.event_name == 'push' }}
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  unset-var:
    if: vars.MISSING != ''
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  by-var:
    if: vars.ENABLED == 'yes'
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  on-output:
    needs: on-push
    if: needs.on-push.outputs.go == 'true'
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  on-failure:
    needs: on-push
    if: failure()
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  cancelled:
    needs: on-push
    if: ${{ cancelled() || github.ref == 'refs/heads/main' }}
    runs-on: ubuntu-latest
    steps: [{run: echo}]
`,
			edit: func(o *plan.Options) { o.Vars = map[string]string{"ENABLED": "yes"} },
			want: []jobRow{
				withIf(skipped("release-only", "release-only", 1, "if: github.ref == 'refs/heads/release' is false"), "false"),
				withIf(planned("on-push", "on-push", 1), "true"),
				withIf(skipped("unset-var", "unset-var", 1, "if: vars.MISSING != '' is false"), "false"),
				withIf(planned("by-var", "by-var", 1), "true"),
				withIf(planned("on-output", "on-output", 2, "on-push"), "run time"),
				withIf(planned("on-failure", "on-failure", 2, "on-push"), "run time"),
				withIf(planned("cancelled", "cancelled", 2, "on-push"), "run time"),
			},
		},
		{
			what: "matrix names, with and without an expression in name:",
			yaml: `
on: push
jobs:
  test:
    strategy:
      matrix:
        python: ["3.11", "3.12"]
        os: [ubuntu-latest]
    runs-on: ${{ matrix.os }}
    steps: [{run: echo}]
  named:
    name: py${{ matrix.python }} on ${{ github.ref_name }}
    strategy:
      matrix:
        python: [3.10, "3.13"]
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  plain:
    name: Lint ${{ github.event_name }}
    runs-on: ubuntu-latest
    steps: [{run: echo}]
`,
			want: []jobRow{
				planned("test.1", "test (3.11, ubuntu-latest)", 1),
				planned("test.2", "test (3.12, ubuntu-latest)", 1),
				// YAML reads 3.10 as the number 3.1.
				planned("named.1", "py3.1 on main", 1),
				planned("named.2", "py3.13 on main", 1),
				planned("plain", "Lint push", 1),
			},
		},
		{
			what: "a matrix whose excludes remove every combination runs once without a matrix",
			yaml: `
on: push
jobs:
  t:
    strategy:
      matrix:
        os: [ubuntu-latest]
        exclude:
          - os: ubuntu-latest
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  after: {needs: t, runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			want: []jobRow{
				planned("t", "t", 1),
				planned("after", "after", 2, "t"),
			},
		},
		{
			what: "a matrix from a needs output is resolved at run time",
			yaml: `
on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    outputs: {m: "${{ steps.s.outputs.m }}"}
    steps: [{id: s, run: echo}]
  t:
    needs: setup
    strategy:
      matrix: ${{ fromJSON(needs.setup.outputs.m) }}
    runs-on: ubuntu-latest
    steps: [{run: echo}]
`,
			want: []jobRow{
				planned("setup", "setup", 1),
				{Key: "t", Name: "t", Needs: []string{"setup"}, Stage: 2, Status: plan.StatusDeferred, Reason: "matrix is resolved at run time from ${{ fromJSON(needs.setup.outputs.m) }}"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			wp := oneWorkflow(t, tc.yaml, tc.edit)
			if !wp.Triggered || wp.Invalid {
				t.Fatalf("workflow not planned: triggered %v, invalid %v, reason %q, errors %q", wp.Triggered, wp.Invalid, wp.Reason, wp.Errors)
			}
			if diff := cmp.Diff(tc.want, rows(wp)); diff != "" {
				t.Errorf("jobs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBuildMatrixCells checks what each cell gets from its own values:
// matrix values in order, strategy, step conditions decided per cell, and
// notes about a runs-on that ignores an OS axis.
func TestBuildMatrixCells(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	wp := oneWorkflow(t, `
on: push
jobs:
  test:
    strategy:
      fail-fast: false
      max-parallel: 2
      matrix:
        os: [ubuntu-latest, windows-latest, macos-latest]
        py: ["3.12"]
    runs-on: ubuntu-latest
    steps:
      - name: Linux only
        if: matrix.os == 'ubuntu-latest'
        run: echo linux
      - name: Not on mac
        if: ${{ matrix.os != 'macos-latest' }}
        run: echo
      - name: After an earlier step
        if: steps.x.outputs.ok == '1'
        run: echo
      - name: Always
        if: always()
        run: echo
  per-os:
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
    runs-on: ${{ matrix.os }}
    steps:
      - name: Linux only
        if: matrix.os == 'ubuntu-latest'
        run: echo
`, nil)

	type cellRow struct {
		Key, Name string
		Status    plan.Status
		Matrix    string
		Strategy  string
		Skips     []bool
		Notes     []string
	}
	var got []cellRow
	for _, j := range wp.Jobs {
		r := cellRow{Key: j.Key, Name: j.Name, Status: j.Status, Notes: j.Notes}
		if j.Matrix != nil {
			b, err := j.Matrix.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			r.Matrix = string(b)
		}
		r.Strategy = fmt.Sprintf("fail-fast %v, max-parallel %d, job %d of %d", j.Strategy.FailFast, j.Strategy.MaxParallel, j.Strategy.JobIndex, j.Strategy.JobTotal)
		for _, s := range j.Steps {
			r.Skips = append(r.Skips, s.Skip)
		}
		got = append(got, r)
	}
	unused := func(os string) []string {
		return []string{fmt.Sprintf("matrix.os is %q but runs-on does not use it: this cell runs on ubuntu-latest, on GitHub too", os)}
	}
	want := []cellRow{
		{"test.1", "test (ubuntu-latest, 3.12)", plan.StatusPlanned, `{"os":"ubuntu-latest","py":"3.12"}`, "fail-fast false, max-parallel 2, job 0 of 3", []bool{false, false, false, false}, []string{}},
		{"test.2", "test (windows-latest, 3.12)", plan.StatusPlanned, `{"os":"windows-latest","py":"3.12"}`, "fail-fast false, max-parallel 2, job 1 of 3", []bool{true, false, false, false}, unused("windows-latest")},
		{"test.3", "test (macos-latest, 3.12)", plan.StatusPlanned, `{"os":"macos-latest","py":"3.12"}`, "fail-fast false, max-parallel 2, job 2 of 3", []bool{true, true, false, false}, unused("macos-latest")},
		{"per-os.1", "per-os (ubuntu-latest)", plan.StatusPlanned, `{"os":"ubuntu-latest"}`, "fail-fast true, max-parallel 2, job 0 of 2", []bool{false}, []string{}},
		{"per-os.2", "per-os (windows-latest)", plan.StatusNotRunLocally, `{"os":"windows-latest"}`, "fail-fast true, max-parallel 2, job 1 of 2", []bool{true}, []string{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	if s := wp.Jobs[1].Steps[0]; s.Note != "if: matrix.os == 'ubuntu-latest' is false" {
		t.Errorf("note of a step skipped by its condition = %q", s.Note)
	}
}

func TestBuildReusableWorkflow(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	p := buildPlan(t, map[string]string{
		".github/workflows/ci.yml": `
name: CI
on: push
jobs:
  setup: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  call:
    name: Call
    needs: setup
    uses: ./.github/workflows/reusable.yml
    with:
      python-version: "3.11"
  remote:
    uses: octo-org/shared/.github/workflows/test.yml@v1
  after-call: {needs: call, runs-on: ubuntu-latest, steps: [{run: echo}]}
  after-remote: {needs: remote, runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
		".github/workflows/reusable.yml": `
name: Reusable
on:
  workflow_call:
    inputs:
      python-version: {type: string, required: true}
      flavour: {type: string, default: plain}
jobs:
  test:
    name: Test on ${{ inputs.python-version }} (${{ inputs.flavour }})
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  report:
    needs: test
    runs-on: ubuntu-latest
    steps: [{run: echo}]
`,
	}, nil)
	byFile := map[string]*plan.WorkflowPlan{}
	for _, wp := range p.Workflows {
		byFile[wp.File] = wp
	}
	callee := byFile[".github/workflows/reusable.yml"]
	if callee == nil || callee.Triggered || callee.Reason != "reusable workflow: it runs only when another workflow calls it" {
		t.Errorf("reusable workflow on its own: %+v", callee)
	}
	caller := byFile[".github/workflows/ci.yml"]
	if caller == nil {
		t.Fatalf("ci.yml not planned: %+v", p.Workflows)
	}
	want := []jobRow{
		planned("setup", "setup", 1),
		// The called workflow's first jobs wait for the caller's needs.
		planned("call/test", "Call / Test on 3.11 (plain)", 2, "setup"),
		planned("call/report", "Call / report", 3, "call/test"),
		skipped("remote", "remote", 1, "calls remote reusable workflow octo-org/shared/.github/workflows/test.yml@v1, which is not fetched"),
		// Needing the calling job means waiting for every job it called.
		planned("after-call", "after-call", 4, "call"),
		skipped("after-remote", "after-remote", 2, "needs remote, which is skipped", "remote"),
	}
	if diff := cmp.Diff(want, rows(caller)); diff != "" {
		t.Errorf("jobs (-want +got):\n%s", diff)
	}
}

// TestBuildSkipOfGroups: a need on a matrix job or on a job calling a
// reusable workflow is skipped only when all its cells (all the called
// jobs) are, as needs.<id>.result aggregates them at run time.
func TestBuildSkipOfGroups(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	const ci = `
on: push
jobs:
  call:
    uses: ./.github/workflows/reusable.yml
  after: {needs: call, runs-on: ubuntu-latest, steps: [{run: echo}]}
`
	tests := []struct {
		what  string
		files map[string]string
		want  []jobRow
	}{
		{
			what: "every called job skipped",
			files: map[string]string{
				".github/workflows/ci.yml": ci,
				".github/workflows/reusable.yml": `
on: workflow_call
jobs:
  only:
    if: github.event_name == 'release'
    runs-on: ubuntu-latest
    steps: [{run: echo}]
`,
			},
			want: []jobRow{
				withIf(skipped("call/only", "call / only", 1, "if: github.event_name == 'release' is false"), "false"),
				skipped("after", "after", 2, "needs call, which is skipped", "call"),
			},
		},
		{
			what: "one called job skipped beside one that runs",
			files: map[string]string{
				".github/workflows/ci.yml": ci,
				".github/workflows/reusable.yml": `
on: workflow_call
jobs:
  release:
    if: github.event_name == 'release'
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  test:
    runs-on: ubuntu-latest
    steps: [{run: echo}]
`,
			},
			want: []jobRow{
				withIf(skipped("call/release", "call / release", 1, "if: github.event_name == 'release' is false"), "false"),
				planned("call/test", "call / test", 1),
				planned("after", "after", 2, "call"),
			},
		},
		{
			what: "one matrix cell skipped beside one not run locally",
			files: map[string]string{
				".github/workflows/ci.yml": `
on: push
jobs:
  t:
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
    runs-on: ${{ matrix.os }}
    container: python:3.12
    steps: [{run: echo}]
  after: {needs: t, runs-on: ubuntu-latest, steps: [{run: echo}]}
`,
			},
			want: []jobRow{
				notLocal("t.1", "t (ubuntu-latest)", 1, "uses container:, which needs the container executor (--executor container or auto with a BuildKit builder); the host executor cannot run it"),
				{Key: "t.2", Name: "t (windows-latest)", Needs: []string{}, Stage: 1, Status: plan.StatusNotRunLocally, Reason: "windows-latest runner: this machine runs Linux (try it here with -P windows-latest=host)"},
				planned("after", "after", 2, "t"),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			p := buildPlan(t, tc.files, nil)
			for _, wp := range p.Workflows {
				if wp.File != ".github/workflows/ci.yml" {
					continue
				}
				if diff := cmp.Diff(tc.want, rows(wp)); diff != "" {
					t.Errorf("jobs (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestBuildMatrixTooLarge(t *testing.T) {
	t.Parallel()
	values := make([]string, 257)
	for i := range values {
		values[i] = fmt.Sprint(i)
	}
	wp := oneWorkflow(t, `
name: big
on: push
jobs:
  ok: {runs-on: ubuntu-latest, steps: [{run: echo}]}
  t:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [`+strings.Join(values, ", ")+`]
    steps: [{run: echo}]
`, nil)
	got := struct {
		Invalid, Triggered bool
		Reason             string
		Errors             []string
		Jobs               int
	}{wp.Invalid, wp.Triggered, wp.Reason, wp.Errors, len(wp.Jobs)}
	want := got
	want.Invalid, want.Triggered, want.Jobs = true, false, 0
	// The validator refuses it, positioned at the matrix: key.
	want.Errors = []string{`.github/workflows/ci.yml:9:7: job "t": Strategy produced more than 256 [matrix]`}
	want.Reason = "invalid workflow file: GitHub would refuse it (see the errors above)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan of a 257-cell matrix (-want +got):\n%s", diff)
	}
}

// TestBuildMatrix256 is the largest matrix GitHub accepts.
func TestBuildMatrix256(t *testing.T) {
	t.Parallel()
	wp := oneWorkflow(t, `
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    strategy:
      matrix: {a: [1, 2, 3, 4], b: [1, 2, 3, 4], c: [1, 2, 3, 4], d: [1, 2, 3, 4]}
    steps: [{run: echo}]
`, nil)
	if wp.Invalid || len(wp.Jobs) != 256 {
		t.Fatalf("invalid %v, %d jobs; want 256 cells: %q", wp.Invalid, len(wp.Jobs), wp.Errors)
	}
	if last := wp.Jobs[255]; last.Key != "t.256" || last.Name != "t (4, 4, 4, 4)" {
		t.Errorf("last cell = %q %q, want t.256 \"t (4, 4, 4, 4)\"", last.Key, last.Name)
	}
}

func TestBuildHostNotes(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	wp := oneWorkflow(t, `
on: push
jobs:
  setup:
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
    runs-on: ${{ matrix.os }}
    steps:
      - name: Install
        run: |
          sudo apt-get update
          sudo apt-get install -y libfoo
      - name: Comment only
        run: |
          # sudo apt-get install -y nothing
          echo hi
      - name: Config
        run: echo x >> ~/.bashrc
`, nil)
	want := []string{
		`step "Install" runs sudo on this machine (host executor)`,
		`step "Install" installs system packages on this machine (host executor)`,
		`step "Config" writes outside the workspace on this machine (host executor)`,
	}
	if len(wp.Jobs) != 2 {
		t.Fatalf("%d cells, want 2", len(wp.Jobs))
	}
	linux, windows := wp.Jobs[0], wp.Jobs[1]
	if diff := cmp.Diff(want, linux.HostNotes); diff != "" {
		t.Errorf("host notes of the host cell (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, linux.Notes); diff != "" {
		t.Errorf("notes of the host cell (-want +got):\n%s", diff)
	}
	// A cell that does not run here changes nothing here.
	if len(windows.HostNotes) != 0 || len(windows.Notes) != 0 {
		t.Errorf("cell not run locally has notes %q, host notes %q", windows.Notes, windows.HostNotes)
	}
}

func TestBuildSteps(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	yaml := `
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Upload
        run: python -m twine upload dist/*
      - name: Say it
        run: echo "git push later"
      - uses: ./.github/actions/local
      - uses: actions/checkout@v4
        with: {repository: other/tools, path: tools}
      - uses: actions/checkout@v4
        with: {repository: Rehearse-Dev/test}
      - uses: actions/checkout@v4
        with: {repository: "${{ github.repository }}"}
`
	type stepRow struct {
		Name, Uses string
		Kind       string
		Skip       bool
		Note       string
	}
	stepRows := func(wp *plan.WorkflowPlan) []stepRow {
		var out []stepRow
		for _, s := range wp.Jobs[0].Steps {
			out = append(out, stepRow{s.Name, s.Uses, string(s.Kind), s.Skip, s.Note})
		}
		return out
	}
	tests := []struct {
		what        string
		allowDeploy bool
		want        []stepRow
	}{
		{"deploy step held back", false, []stepRow{
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "copy of the job's workspace"},
			{"Upload", "", "deploy", true, "deploy step skipped: uploads packages with twine (run with --allow-deploy to run it)"},
			{"Say it", "", "run", false, ""},
			{"Run ./.github/actions/local", "./.github/actions/local", "local", false, "local action ./.github/actions/local"},
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "checks out another repository (other/tools): that needs the network, so this step fails here"},
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "copy of the job's workspace"},
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "copy of the job's workspace"},
		}},
		{"deploy step allowed", true, []stepRow{
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "copy of the job's workspace"},
			{"Upload", "", "deploy", false, "uploads packages with twine"},
			{"Say it", "", "run", false, ""},
			{"Run ./.github/actions/local", "./.github/actions/local", "local", false, "local action ./.github/actions/local"},
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "checks out another repository (other/tools): that needs the network, so this step fails here"},
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "copy of the job's workspace"},
			{"Run actions/checkout@v4", "actions/checkout@v4", "builtin", false, "copy of the job's workspace"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			wp := oneWorkflow(t, yaml, func(o *plan.Options) { o.AllowDeploy = tc.allowDeploy })
			if diff := cmp.Diff(tc.want, stepRows(wp)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildWorkflowNotPlanned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what      string
		yaml      string
		edit      func(*plan.Options)
		invalid   bool
		reasonHas string
	}{
		{"other event", "on: pull_request\njobs:\n  a: {runs-on: ubuntu-latest, steps: [{run: echo}]}\n", nil, false, "pull_request"},
		{"other branch", "on: {push: {branches: [release]}}\njobs:\n  a: {runs-on: ubuntu-latest, steps: [{run: echo}]}\n", nil, false, "release"},
		{
			"skip ci in the head commit",
			"on: push\njobs:\n  a: {runs-on: ubuntu-latest, steps: [{run: echo}]}\n",
			func(o *plan.Options) { o.Event.HeadCommitMessage = "wip [skip ci]" },
			false, "skip CI",
		},
		{"invalid file", "on: push\njobs:\n  a: {needs: nope, runs-on: ubuntu-latest, steps: [{run: echo}]}\n", nil, true, "invalid workflow file"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			wp := oneWorkflow(t, tc.yaml, tc.edit)
			if wp.Triggered || wp.Invalid != tc.invalid || len(wp.Jobs) != 0 {
				t.Errorf("triggered %v, invalid %v, %d jobs; want not triggered, invalid %v, no jobs", wp.Triggered, wp.Invalid, len(wp.Jobs), tc.invalid)
			}
			if !strings.Contains(wp.Reason, tc.reasonHas) {
				t.Errorf("reason %q does not mention %q", wp.Reason, tc.reasonHas)
			}
		})
	}
}

// TestCallerOfInvalidWorkflowIsInvalid: GitHub refuses a workflow that
// calls a reusable workflow it refuses.
func TestCallerOfInvalidWorkflowIsInvalid(t *testing.T) {
	t.Parallel()
	p := buildPlan(t, map[string]string{
		".github/workflows/caller.yml": "on: push\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n",
		".github/workflows/called.yml": "on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [nope]\n    steps: [{run: echo}]\n",
	}, nil)
	for _, w := range p.Workflows {
		if !w.Invalid {
			t.Errorf("%s: not invalid (reason %q)", w.File, w.Reason)
		}
	}
}
