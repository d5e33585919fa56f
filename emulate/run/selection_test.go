package run_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
// its need had lost every cell). A filter that keeps nothing is an error
// naming what there is (rehearse run exits 2 with it, as a usage error).
func TestRunMatrixSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		// jobs and matrix are -j and --matrix.
		jobs     []string
		matrix   map[string]string
		wantJobs map[string]string
		// wantErr are substrings of the usage error.
		wantErr []string
	}{
		{
			what: "-j keeps the matrix job it needs whole",
			jobs: []string{"test"}, matrix: map[string]string{"python": "3.12"},
			wantJobs: map[string]string{
				"build.1": "success", "build.2": "success", "test.2": "success",
			},
		},
		{
			what:   "without -j, jobs without the key are kept",
			matrix: map[string]string{"python": "3.11"},
			wantJobs: map[string]string{
				"build.1": "success", "build.2": "success", "test.1": "success", "lint": "success",
			},
		},
		{
			what:   "without -j, a filter on a dependency narrows it and its dependents still run",
			matrix: map[string]string{"os": "ubuntu-22.04"},
			wantJobs: map[string]string{
				"build.2": "success", "test.1": "success", "test.2": "success", "lint": "success",
			},
		},
		{
			what:   "keys of different jobs each narrow their own cells",
			matrix: map[string]string{"os": "ubuntu-latest", "python": "3.12"},
			wantJobs: map[string]string{
				"build.1": "success", "test.2": "success", "lint": "success",
			},
		},
		{
			what: "a key of the needed job only is not among the -j job's keys",
			jobs: []string{"test"}, matrix: map[string]string{"os": "ubuntu-latest"},
			wantErr: []string{`--matrix "os=ubuntu-latest": no matrix cell of the selected jobs has the key "os"; available keys are "python"`},
		},
		{
			what:    "an unknown key names the available keys",
			matrix:  map[string]string{"pyton": "3.12"},
			wantErr: []string{`has the key "pyton"; available keys are "os", "python"`},
		},
		{
			what: "an unknown value names the available values",
			jobs: []string{"test"}, matrix: map[string]string{"python": "3.10"},
			wantErr: []string{`no matrix cell of the selected jobs has python "3.10"; available values are "3.11", "3.12"`},
		},
		{
			what: "a job without a matrix has nothing to filter",
			jobs: []string{"lint"}, matrix: map[string]string{"python": "3.12"},
			wantErr: []string{`the selected jobs have no matrix`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			c := runCase{workflows: map[string]string{"matrix-deps.yml": matrixDepsWorkflow}, jobs: tc.jobs, matrix: tc.matrix}
			dir := repo(t, c)
			if tc.wantErr != nil {
				p, _ := prepare(t, testExecutor(t), dir, c)
				err := p.Select(tc.jobs, tc.matrix, false)
				if err == nil {
					t.Fatalf("no error, want one saying %q", tc.wantErr)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("the error does not say %q:\n%v", s, err)
					}
				}
				return
			}
			rep := runAt(t, testExecutor(t), dir, c)
			if d := cmp.Diff(tc.wantJobs, conclusions(rep)); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s", d)
			}
		})
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
		what string
		// jobs and noDeps are -j and --no-deps.
		jobs     []string
		noDeps   bool
		wantJobs map[string]string
	}{
		{
			what:     "-j the caller runs the called jobs and what the caller needs",
			jobs:     []string{"call"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success"},
		},
		{
			what:     "-j a job needing the caller keeps the called jobs",
			jobs:     []string{"publish"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success", "publish": "success"},
		},
		{
			what: "-j the caller with --no-deps keeps the order among the called jobs",
			jobs: []string{"CALL"}, noDeps: true,
			wantJobs: map[string]string{"call/prep": "success", "call/pack": "success"},
		},
		{
			what:     "-j a called job runs what it needs in the called workflow",
			jobs:     []string{"pack"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success"},
		},
		{
			what:     "-j the caller/callee id that rehearse list shows",
			jobs:     []string{"call/pack"},
			wantJobs: map[string]string{"setup": "success", "call/prep": "success", "call/pack": "success"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			rep, _ := runIn(t, testExecutor(t), runCase{workflows: reusableSelectionWorkflows, path: ".github/workflows/caller.yml", jobs: tc.jobs, noDeps: tc.noDeps})
			if d := cmp.Diff(tc.wantJobs, conclusions(rep)); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s", d)
			}
		})
	}
}
