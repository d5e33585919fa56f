package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunEnvContext runs the real binary on a scratch workflow: the env
// context is case-sensitive on Linux and macOS (other contexts are not),
// --env and --env-file values are the bottom layer of every job's env
// context, and a composite action's outputs see its calling step's env.
func TestRunEnvContext(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "envctx.yml", `on: push
env:
  FOO: workflow-upper
  OVER_WF: wf
jobs:
  j:
    runs-on: ubuntu-latest
    env:
      foo: job-lower
    outputs:
      upper: ${{ env.FOO }}
      lower: ${{ env.foo }}
      mixed: ${{ env.Foo }}
      index-mixed: ${{ env['fOO'] }}
      github: ${{ github.EVENT_NAME }}
      steps: ${{ steps.COND.outcome }}
      flag: ${{ env.FROM_FLAG }}
      file: ${{ env.FROM_FILE }}
      over-wf: ${{ env.OVER_WF }}
      action-caller: ${{ steps.a.outputs.caller }}
      action-flag: ${{ steps.a.outputs.flag }}
      action-job: ${{ steps.a.outputs.job }}
    steps:
      - uses: actions/checkout@v4
      - id: cond
        if: env.FROM_FLAG == 'flag' && env.FROM_FILE == 'file' && env.foo == 'job-lower' && env.FOO == 'workflow-upper'
        run: test "$FROM_FLAG" = flag && test "$FROM_FILE" = file
      - id: a
        uses: ./.github/actions/envecho
        env:
          CALLER: caller
  other:
    runs-on: ubuntu-latest
    outputs:
      flag: ${{ env.FROM_FLAG }}
    steps:
      - run: echo
`)
	action := filepath.Join(dir, ".github", "actions", "envecho", "action.yml")
	if err := os.MkdirAll(filepath.Dir(action), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(action, []byte(`name: envecho
outputs:
  caller:
    value: ${{ env.CALLER }}
  flag:
    value: ${{ env.FROM_FLAG }}
  job:
    value: ${{ env.foo }}
runs:
  using: composite
  steps:
    - shell: bash
      run: test "$CALLER" = caller
`), 0o644); err != nil {
		t.Fatal(err)
	}
	envFile := filepath.Join(t.TempDir(), "vars.env")
	if err := os.WriteFile(envFile, []byte("FROM_FILE=file\nOVER_WF=file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/envctx.yml", "--env", "FROM_FLAG=flag", "--env-file", envFile)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	jobs := rep.jobs()
	tests := []struct{ job, output, want string }{
		{"j", "upper", "workflow-upper"},
		{"j", "lower", "job-lower"},
		{"j", "mixed", ""},
		{"j", "index-mixed", ""},
		{"j", "github", "push"},
		{"j", "steps", "success"},
		{"j", "flag", "flag"},
		{"j", "file", "file"},
		{"j", "over-wf", "wf"},
		{"j", "action-caller", "caller"},
		{"j", "action-flag", "flag"},
		{"j", "action-job", "job-lower"},
		{"other", "flag", "flag"},
	}
	for _, tc := range tests {
		t.Run(tc.job+"/"+tc.output, func(t *testing.T) {
			j := jobs[tc.job]
			if j == nil {
				t.Fatalf("no job %s in the report", tc.job)
			}
			if got := j.Outputs[tc.output]; got != tc.want {
				t.Errorf("output %s = %q, want %q (outputs %v)", tc.output, got, tc.want, j.Outputs)
			}
		})
	}
}
