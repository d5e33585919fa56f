package run_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/report"
)

// osExecutor is the fake executor with jobs that say they run on another
// OS: the env context must follow the job's platform, never this machine's.
type osExecutor struct {
	*fakeExecutor
	os string
}

func (e osExecutor) StartJob(ctx context.Context, spec executor.JobSpec) (executor.Job, error) {
	j, err := e.fakeExecutor.StartJob(ctx, spec)
	if err != nil {
		return nil, err
	}
	return osJob{Job: j, os: e.os}, nil
}

type osJob struct {
	executor.Job
	os string
}

func (j osJob) Platform() executor.Platform { return executor.Platform{OS: j.os, Arch: "X64"} }

// TestEnvContextCase: property names ignore case in every context but
// env, whose keys are case-sensitive on Linux and macOS, as the
// environment is there, and case-insensitive on Windows; env.x and
// env['x'] alike, at the job level (outputs) and at the step level (a
// step's name, which is evaluated even when its if: is false, so no
// process has to run on the pretended OS).
func TestEnvContextCase(t *testing.T) {
	t.Parallel()
	const wf = `on: push
env:
  FOO: workflow-upper
jobs:
  j:
    runs-on: ubuntu-latest
    env:
      foo: job-lower
    outputs:
      dot-lower: ${{ env.foo }}
      dot-upper: ${{ env.FOO }}
      dot-mixed: ${{ env.Foo }}
      index-lower: ${{ env['foo'] }}
      index-upper: ${{ env['FOO'] }}
      index-mixed: ${{ env['fOO'] }}
      json: ${{ toJSON(env) }}
      github: ${{ github.EVENT_NAME }}
      github-index: ${{ github['Event_Name'] }}
      steps: ${{ steps.s.OUTCOME }}
      runner: ${{ RUNNER.OS }}
    steps:
      - id: S
        name: step ${{ env.Bar }}|${{ env.bar }}|${{ env.foo }}|${{ env.FOO }}
        if: false
        env:
          Bar: step-mixed
        run: echo never
`
	sensitive := map[string]string{
		"dot-lower": "job-lower", "dot-upper": "workflow-upper", "index-lower": "job-lower", "index-upper": "workflow-upper",
		"json":   "{\n  \"FOO\": \"workflow-upper\",\n  \"foo\": \"job-lower\"\n}",
		"github": "push", "github-index": "push", "steps": "skipped",
	}
	insensitive := map[string]string{
		"dot-lower": "job-lower", "dot-upper": "job-lower", "dot-mixed": "job-lower",
		"index-lower": "job-lower", "index-upper": "job-lower", "index-mixed": "job-lower",
		"json":   "{\n  \"FOO\": \"job-lower\"\n}",
		"github": "push", "github-index": "push", "steps": "skipped",
	}
	tests := []struct {
		os       string
		outputs  map[string]string
		stepName string
	}{
		{"Linux", sensitive, "step step-mixed||job-lower|workflow-upper"},
		{"macOS", sensitive, "step step-mixed||job-lower|workflow-upper"},
		{"Windows", insensitive, "step step-mixed|step-mixed|job-lower|job-lower"},
	}
	for _, tc := range tests {
		t.Run(tc.os, func(t *testing.T) {
			t.Parallel()
			ex := osExecutor{newFakeExecutor(t), tc.os}
			rep, _ := runIn(t, ex, runCase{workflows: map[string]string{"ci.yml": wf}})
			j := job(t, rep, "j")
			if j.Conclusion != report.Success {
				t.Fatalf("job: %s", explain(j))
			}
			want := map[string]string{"runner": tc.os}
			for k, v := range tc.outputs {
				want[k] = v
			}
			if diff := cmp.Diff(want, j.Outputs); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
			if len(j.Steps) == 0 || j.Steps[0].Name != tc.stepName {
				t.Errorf("step name: got %s, want %q", explain(j), tc.stepName)
			}
		})
	}
}

// TestUserEnvInEnvContext: --env and --env-file values are the bottom
// layer of every job's env context (below the workflow env, the job env
// and the step env), as they are of the steps' environment.
func TestUserEnvInEnvContext(t *testing.T) {
	t.Parallel()
	const wf = `on: push
env:
  OVER_WF: wf
jobs:
  first:
    runs-on: ubuntu-latest
    env:
      OVER_JOB: job
    outputs:
      only: ${{ env.USER_ONLY }}
      lower: ${{ env.user_only }}
      over-wf: ${{ env.OVER_WF }}
      over-job: ${{ env.OVER_JOB }}
      over-step: ${{ env.OVER_STEP }}
      index: ${{ env['USER_ONLY'] }}
      step-expr: ${{ steps.s.outputs.expr }}
      step-over: ${{ steps.s.outputs.over }}
      step-proc: ${{ steps.s.outputs.proc }}
      if-ran: ${{ steps.cond.outputs.ran }}
    steps:
      - id: s
        env:
          OVER_STEP: step
        run: |
          echo "expr=${{ env.USER_ONLY }}" >> "$GITHUB_OUTPUT"
          echo "over=${{ env.OVER_STEP }}" >> "$GITHUB_OUTPUT"
          echo "proc=$USER_ONLY" >> "$GITHUB_OUTPUT"
      - id: cond
        if: env.USER_ONLY == 'user' && env.OVER_JOB == 'job'
        run: echo "ran=yes" >> "$GITHUB_OUTPUT"
  second:
    runs-on: ubuntu-latest
    outputs:
      only: ${{ env.USER_ONLY }}
      over-job: ${{ env.OVER_JOB }}
    steps:
      - run: echo
`
	env := map[string]string{"USER_ONLY": "user", "user_only": "lower", "OVER_WF": "user", "OVER_JOB": "user", "OVER_STEP": "user"}
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}, env: env})
	tests := []struct {
		job, output, want string
	}{
		{"first", "only", "user"},
		{"first", "lower", "lower"},
		{"first", "index", "user"},
		{"first", "over-wf", "wf"},
		{"first", "over-job", "job"},
		// A step's env is its own: the job level sees --env.
		{"first", "over-step", "user"},
		{"first", "step-expr", "user"},
		{"first", "step-over", "step"},
		{"first", "step-proc", "user"},
		{"first", "if-ran", "yes"},
		{"second", "only", "user"},
		{"second", "over-job", "user"},
	}
	for _, tc := range tests {
		t.Run(tc.job+"/"+tc.output, func(t *testing.T) {
			j := job(t, rep, tc.job)
			if j.Conclusion != report.Success {
				t.Fatalf("job: %s", explain(j))
			}
			if got := j.Outputs[tc.output]; got != tc.want {
				t.Errorf("output %s = %q, want %q", tc.output, got, tc.want)
			}
		})
	}
}

// TestCompositeOutputsSeeCallerEnv: a composite action's outputs:
// expressions see the env of the step that called it (with the job env and
// --env under it), as its steps do; nested actions see their own calling
// step's env.
func TestCompositeOutputsSeeCallerEnv(t *testing.T) {
	t.Parallel()
	const echo = `name: echo
outputs:
  caller:
    value: ${{ env.CALLER }}
  caller-lower:
    value: ${{ env.caller }}
  job:
    value: ${{ env.JOB_LEVEL }}
  user:
    value: ${{ env.USER_ONLY }}
  inner-step:
    value: ${{ steps.inner.outputs.v }}
runs:
  using: composite
  steps:
    - id: inner
      shell: bash
      run: echo "v=$CALLER" >> "$GITHUB_OUTPUT"
`
	const outer = `name: outer
outputs:
  caller:
    value: ${{ env.CALLER }}
  nested-caller:
    value: ${{ steps.nested.outputs.caller }}
  nested-job:
    value: ${{ steps.nested.outputs.job }}
runs:
  using: composite
  steps:
    - id: nested
      uses: ./.github/actions/echo
      env:
        CALLER: nested
`
	const wf = `on: push
jobs:
  j:
    runs-on: ubuntu-latest
    env:
      JOB_LEVEL: job
    outputs:
      caller: ${{ steps.a.outputs.caller }}
      caller-lower: ${{ steps.a.outputs.caller-lower }}
      job: ${{ steps.a.outputs.job }}
      user: ${{ steps.a.outputs.user }}
      inner-step: ${{ steps.a.outputs.inner-step }}
      outer-caller: ${{ steps.b.outputs.caller }}
      nested-caller: ${{ steps.b.outputs.nested-caller }}
      nested-job: ${{ steps.b.outputs.nested-job }}
    steps:
      - uses: actions/checkout@v4
      - id: a
        uses: ./.github/actions/echo
        env:
          CALLER: caller
      - id: b
        uses: ./.github/actions/outer
        env:
          CALLER: outer
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{
		workflows: map[string]string{"ci.yml": wf},
		files:     map[string]string{".github/actions/echo/action.yml": echo, ".github/actions/outer/action.yml": outer},
		env:       map[string]string{"USER_ONLY": "user"},
	})
	j := job(t, rep, "j")
	if j.Conclusion != report.Success {
		t.Fatalf("job: %s", explain(j))
	}
	tests := []struct{ output, want string }{
		{"caller", "caller"},
		// env is case-sensitive on Linux in an action's outputs too.
		{"caller-lower", ""},
		{"job", "job"},
		{"user", "user"},
		{"inner-step", "caller"},
		{"outer-caller", "outer"},
		{"nested-caller", "nested"},
		{"nested-job", "job"},
	}
	for _, tc := range tests {
		t.Run(tc.output, func(t *testing.T) {
			if got := j.Outputs[tc.output]; got != tc.want {
				t.Errorf("output %s = %q, want %q\n%s", tc.output, got, tc.want, explain(j))
			}
		})
	}
}
