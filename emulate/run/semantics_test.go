package run_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunSemantics checks GitHub's rules that a reviewer found missing,
// each on a small workflow: the expected job conclusions are GitHub's.
func TestRunSemantics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		files map[string]string
		// path and secrets are -W and --secret.
		path     string
		secrets  map[string]string
		wantExit int
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
			wantExit: 1,
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
			wantExit: 1,
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
			path:    ".github/workflows/caller.yml",
			secrets: map[string]string{"ONE": "s1", "OTHER": "s2"},
			want:    map[string]string{"setup": "success", "call/inner": "success", "gated/inner": "skipped"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			path := tc.path
			if path == "" {
				path = ".github/workflows/w.yml"
			}
			rep, _ := runIn(t, testExecutor(t), runCase{workflows: tc.files, path: path, secrets: tc.secrets})
			if got := report.ExitCode(rep); got != tc.wantExit {
				t.Errorf("exit status %d, want %d", got, tc.wantExit)
			}
			if d := cmp.Diff(tc.want, conclusions(rep)); d != "" {
				t.Errorf("job conclusions (-want +got):\n%s", d)
			}
		})
	}
}
