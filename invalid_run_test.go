package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunSemantics checks GitHub's rules that a reviewer found missing,
// each on a small workflow: the expected job conclusions are GitHub's.
func TestRunSemantics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		files    map[string]string
		args     []string
		wantCode int
		want     map[string]string
	}{
		{
			what: "a job after an always() job that followed a failure is skipped (actions/runner#2205)",
			files: map[string]string{"w.yml": `on: push
jobs:
  a: {runs-on: ubuntu-latest, steps: [{run: exit 1}]}
  b: {runs-on: ubuntu-latest, needs: a, if: always(), steps: [{run: echo b}]}
  c: {runs-on: ubuntu-latest, needs: b, steps: [{run: echo c}]}
`},
			wantCode: 1,
			want:     map[string]string{"a": "failure", "b": "success", "c": "skipped"},
		},
		{
			what: "GITHUB_PATH: the newest entry comes first",
			files: map[string]string{"w.yml": `on: push
jobs:
  p:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo /opt/first >> "$GITHUB_PATH"
          echo /opt/second >> "$GITHUB_PATH"
      - run: case "$PATH" in /opt/second:/opt/first:*) ;; *) echo "$PATH"; exit 1;; esac
`},
			want: map[string]string{"p": "success"},
		},
		{
			what: "an empty output of one matrix cell does not erase another's",
			files: map[string]string{"w.yml": `on: push
jobs:
  m:
    runs-on: ubuntu-latest
    strategy: {max-parallel: 1, matrix: {n: [1, 2]}}
    outputs: {r: "${{ steps.s.outputs.r }}"}
    steps:
      - id: s
        run: if [ "${{ matrix.n }}" = 1 ]; then echo r=one >> "$GITHUB_OUTPUT"; fi
  after:
    runs-on: ubuntu-latest
    needs: m
    steps: [{run: 'test "${{ needs.m.outputs.r }}" = one'}]
`},
			want: map[string]string{"m.1": "success", "m.2": "success", "after": "success"},
		},
		{
			what: "a dynamic matrix is not expanded when its job is skipped, and obeys max-parallel and step conditions on the matrix",
			files: map[string]string{"w.yml": `on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    outputs: {m: "${{ steps.s.outputs.m }}"}
    steps:
      - id: s
        run: echo 'm=[1,2]' >> "$GITHUB_OUTPUT"
  broken:
    runs-on: ubuntu-latest
    steps: [{run: exit 1}]
  never:
    needs: broken
    runs-on: ubuntu-latest
    strategy: {matrix: {n: "${{ fromJSON(needs.broken.outputs.m) }}"}}
    steps: [{run: echo never}]
  dyn:
    needs: setup
    runs-on: ubuntu-latest
    strategy: {max-parallel: 1, matrix: {n: "${{ fromJSON(needs.setup.outputs.m) }}"}}
    steps:
      - run: test "${{ strategy.max-parallel }}" = 1 && test "${{ strategy.fail-fast }}" = true
      - if: matrix.n == 1
        run: echo only in the first cell
`},
			wantCode: 1,
			want:     map[string]string{"setup": "success", "broken": "failure", "never": "skipped", "dyn.1": "success", "dyn.2": "success"},
		},
		{
			what: "a called workflow gets with: from the caller's needs, only the secrets mapped, and the caller's if:",
			files: map[string]string{
				"called.yml": `on:
  workflow_call:
    inputs: {v: {type: string, required: true}}
    secrets: {mapped: {required: true}}
jobs:
  inner:
    runs-on: ubuntu-latest
    steps:
      - run: |
          test "${{ inputs.v }}" = from-setup
          test "${{ secrets.mapped }}" = s1
          test -z "${{ secrets.OTHER }}"
`,
				"caller.yml": `on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    outputs: {v: "${{ steps.s.outputs.v }}"}
    steps: [{id: s, run: echo v=from-setup >> "$GITHUB_OUTPUT"}]
  call:
    needs: setup
    uses: ./.github/workflows/called.yml
    with: {v: "${{ needs.setup.outputs.v }}"}
    secrets: {mapped: "${{ secrets.ONE }}"}
  gated:
    if: github.event_name == 'pull_request'
    uses: ./.github/workflows/called.yml
    with: {v: x}
    secrets: inherit
`},
			args: []string{"-W", ".github/workflows/caller.yml", "--secret", "ONE=s1", "--secret", "OTHER=s2"},
			want: map[string]string{"setup": "success", "call/inner": "success", "gated/inner": "skipped"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "hostrun")
			for name, body := range tc.files {
				addWorkflow(t, dir, name, body)
			}
			args := tc.args
			if args == nil {
				args = []string{"-W", ".github/workflows/w.yml"}
			}
			r, rep := runJSON(t, dir, nil, args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tc.wantCode, r.stderr)
			}
			if d := cmp.Diff(tc.want, rep.conclusions()); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s", d)
			}
		})
	}
}

// TestRunSkipsOnlyInvalidFiles: GitHub refuses an invalid workflow file
// and still runs the others; so does rehearse, exiting 2 for the invalid
// one, which the report shows as a failed workflow with its positioned
// error, also when it is the only workflow.
func TestRunSkipsOnlyInvalidFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		withValid bool
		want      map[string]string
	}{
		{"beside a valid workflow", true, map[string]string{"ok": "success"}},
		{"alone", false, map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "hostrun")
			if err := os.RemoveAll(filepath.Join(dir, ".github", "workflows")); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.withValid {
				addWorkflow(t, dir, "good.yml", "on: push\njobs:\n  ok: {runs-on: ubuntu-latest, steps: [{run: echo ok}]}\n")
			}
			addWorkflow(t, dir, "bad.yml", "on: push\njobs:\n  b: {runs-on: ubuntu-latest, needs: nope, steps: [{run: echo}]}\n")
			r, rep := runJSON(t, dir, nil)
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (an invalid workflow)", r.code)
			}
			if d := cmp.Diff(tc.want, rep.conclusions()); d != "" {
				t.Errorf("the valid workflow did not run (-want +got):\n%s\n%s", d, r.stderr)
			}
			if rep.Conclusion != "failure" {
				t.Errorf("run conclusion %q, want failure", rep.Conclusion)
			}
			var bad bool
			for _, w := range rep.Workflows {
				if w.File != ".github/workflows/bad.yml" {
					continue
				}
				bad = true
				if !w.Invalid || w.Conclusion != "failure" || len(w.Errors) == 0 || !strings.HasPrefix(w.Errors[0], ".github/workflows/bad.yml:3:") {
					t.Errorf("invalid workflow in the report: invalid=%v conclusion=%q errors=%q", w.Invalid, w.Conclusion, w.Errors)
				}
			}
			if !bad {
				t.Errorf("the report does not name the invalid file: %+v", rep.Workflows)
			}
		})
	}
}
