package run_test

import (
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunEnvLayers: --env and --env-file values (given here as the run's
// env, the root's TestRunFlags gives them as flags) are the bottom layer of
// every job's env context, below the workflow's and job's env; the env
// context is case-sensitive on Linux (other contexts are not); and a
// composite action's outputs see its calling step's env.
func TestRunEnvLayers(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{
		workflows: map[string]string{"envctx.yml": `on: push
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
`},
		files: map[string]string{".github/actions/envecho/action.yml": `name: envecho
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
`},
		env: map[string]string{"FROM_FLAG": "flag", "FROM_FILE": "file", "OVER_WF": "file"},
	})
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("exit status %d\n%s", got, explain(job(t, rep, "j")))
	}
	jobs := jobsOf(rep)
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
