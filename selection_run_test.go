package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// matrixDepsWorkflow has a matrix job (build) that the python matrix job
// (test) needs; build has no python key, and lint has no matrix.
const matrixDepsWorkflow = `name: Matrix deps
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        os: [ubuntu-latest, ubuntu-22.04]
    steps:
      - run: echo "build on ${{ matrix.os }}"
  test:
    needs: build
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - run: test "${{ needs.build.result }}" = success
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: echo lint
`

// TestRunMatrixSelection: --matrix narrows only the cells that have its
// key, and with -j only the -j job's cells: a matrix job it needs keeps
// all its cells (and the target runs, where it used to be skipped because
// its need had lost every cell). A filter that keeps nothing is a usage
// error naming what there is.
func TestRunMatrixSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		args     []string
		wantCode int
		wantJobs map[string]string
		// wantStderr are substrings of the usage error.
		wantStderr []string
	}{
		{
			what: "-j keeps the matrix job it needs whole",
			args: []string{"-j", "test", "--matrix", "python=3.12"},
			wantJobs: map[string]string{
				"build.1": "success", "build.2": "success", "test.2": "success",
			},
		},
		{
			what: "without -j, jobs without the key are kept",
			args: []string{"--matrix", "python=3.11"},
			wantJobs: map[string]string{
				"build.1": "success", "build.2": "success", "test.1": "success", "lint": "success",
			},
		},
		{
			what: "without -j, a filter on a dependency narrows it and its dependents still run",
			args: []string{"--matrix", "os=ubuntu-22.04"},
			wantJobs: map[string]string{
				"build.2": "success", "test.1": "success", "test.2": "success", "lint": "success",
			},
		},
		{
			what: "keys of different jobs each narrow their own cells",
			args: []string{"--matrix", "os=ubuntu-latest", "--matrix", "python=3.12"},
			wantJobs: map[string]string{
				"build.1": "success", "test.2": "success", "lint": "success",
			},
		},
		{
			what: "a key of the needed job only is not among the -j job's keys",
			args: []string{"-j", "test", "--matrix", "os=ubuntu-latest"}, wantCode: 2,
			wantStderr: []string{`--matrix "os=ubuntu-latest": no matrix cell of the selected jobs has the key "os"; available keys are "python"`},
		},
		{
			what: "an unknown key names the available keys",
			args: []string{"--matrix", "pyton=3.12"}, wantCode: 2,
			wantStderr: []string{`has the key "pyton"; available keys are "os", "python"`},
		},
		{
			what: "an unknown value names the available values",
			args: []string{"-j", "test", "--matrix", "python=3.10"}, wantCode: 2,
			wantStderr: []string{`no matrix cell of the selected jobs has python "3.10"; available values are "3.11", "3.12"`},
		},
		{
			what: "a job without a matrix has nothing to filter",
			args: []string{"-j", "lint", "--matrix", "python=3.12"}, wantCode: 2,
			wantStderr: []string{`the selected jobs have no matrix`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "hostrun")
			addWorkflow(t, dir, "matrix-deps.yml", matrixDepsWorkflow)
			args := append([]string{"-W", ".github/workflows/matrix-deps.yml"}, tc.args...)
			if tc.wantCode == 2 {
				r := runBin(t, dir, nil, append([]string{"run", "--progress", "quiet"}, args...)...)
				if r.code != 2 {
					t.Errorf("exit %d, want 2 (usage)\nstderr:\n%s", r.code, r.stderr)
				}
				for _, s := range tc.wantStderr {
					if !strings.Contains(r.stderr, s) {
						t.Errorf("stderr does not say %q:\n%s", s, r.stderr)
					}
				}
				if strings.Contains(r.stderr, "job started") {
					t.Errorf("a job ran after a usage error:\n%s", r.stderr)
				}
				return
			}
			r, rep := runJSON(t, dir, nil, args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tc.wantCode, r.stderr)
			}
			if d := cmp.Diff(tc.wantJobs, rep.conclusions()); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s\nstderr:\n%s", d, r.stderr)
			}
		})
	}
}

// TestRunMatrixCombinationNotFound: every KEY=VALUE exists, but no cell
// has them together; nothing would run, so it is a usage error.
func TestRunMatrixCombinationNotFound(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "grid.yml", `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include:
          - {os: ubuntu-latest, python: "3.11"}
          - {os: ubuntu-22.04, python: "3.12"}
    steps:
      - run: echo hi
`)
	r := runBin(t, dir, nil, "run", "--progress", "quiet", "-W", ".github/workflows/grid.yml", "--matrix", "os=ubuntu-latest", "--matrix", "python=3.12")
	want := `--matrix "os=ubuntu-latest" --matrix "python=3.12": no matrix cell of the selected workflows has all of these values; available keys are "os", "python"`
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, want 2 with %q\nstderr:\n%s", r.code, want, r.stderr)
	}
}

// reusableSelectionWorkflows are a caller whose "call" job calls a local
// reusable workflow with two jobs (pack needs prep), and a "publish" job
// that needs the caller.
var reusableSelectionWorkflows = map[string]string{
	"called.yml": `name: Called
on:
  workflow_call:
    outputs:
      packed:
        value: ${{ jobs.pack.outputs.packed }}
jobs:
  prep:
    runs-on: ubuntu-latest
    steps:
      - run: echo prep
  pack:
    needs: prep
    runs-on: ubuntu-latest
    outputs:
      packed: ${{ steps.p.outputs.packed }}
    steps:
      - id: p
        run: |
          test "${{ needs.prep.result }}" = success
          echo "packed=yes" >> "$GITHUB_OUTPUT"
`,
	"caller.yml": `name: Caller
on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    steps:
      - run: echo setup
  call:
    needs: setup
    uses: ./.github/workflows/called.yml
  publish:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - run: |
          test "${{ needs.call.result }}" = success
          test "${{ needs.call.outputs.packed }}" = yes
  other:
    runs-on: ubuntu-latest
    steps:
      - run: echo other
`,
}

// TestRunSelectReusableCaller: -j names a job that calls a local reusable
// workflow (its jobs are keyed "caller/callee"), and a job that needs
// such a caller keeps every called job, and what the caller needs.
func TestRunSelectReusableCaller(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		args     []string
		wantJobs map[string]string
	}{
		{
			what:     "-j the caller runs the called jobs and what the caller needs",
			args:     []string{"-j", "call"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success"},
		},
		{
			what:     "-j a job needing the caller keeps the called jobs",
			args:     []string{"-j", "publish"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success", "publish": "success"},
		},
		{
			what:     "-j the caller with --no-deps keeps the order among the called jobs",
			args:     []string{"-j", "CALL", "--no-deps"},
			wantJobs: map[string]string{"call/prep": "success", "call/pack": "success"},
		},
		{
			what:     "-j a called job runs what it needs in the called workflow",
			args:     []string{"-j", "pack"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success"},
		},
		{
			what:     "-j the caller/callee id that rehearse list shows",
			args:     []string{"-j", "call/pack"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "hostrun")
			for name, body := range reusableSelectionWorkflows {
				addWorkflow(t, dir, name, body)
			}
			r, rep := runJSON(t, dir, nil, append([]string{"-W", ".github/workflows/caller.yml"}, tc.args...)...)
			if r.code != 0 {
				t.Errorf("exit %d, want 0\nstderr:\n%s", r.code, r.stderr)
			}
			if d := cmp.Diff(tc.wantJobs, rep.conclusions()); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s\nstderr:\n%s", d, r.stderr)
			}
		})
	}
}

// TestRunUnknownJobAmongKnown: an id that names no job is reported even
// when another -j names one, instead of being silently ignored.
func TestRunUnknownJobAmongKnown(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	r := runBin(t, dir, nil, "run", "--progress", "quiet", "-W", ".github/workflows/continue-on-error.yml", "-j", "job", "-j", "jbo")
	if r.code != 2 || !strings.Contains(r.stderr, `no job with id "jbo"`) {
		t.Errorf("exit %d, want 2 naming the unknown id\nstderr:\n%s", r.code, r.stderr)
	}
}
