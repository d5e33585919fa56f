package run_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestCompositeStepsRunAsSteps: a composite action's steps go through the
// job's step runner, with the action's own status and steps context: an
// if: that cannot be evaluated fails that step and the action goes on to
// its failure() step (the runner's CompositeActionHandler, as its
// StepsRunner); continue-on-error from an input holds only for "true",
// an input being a string; the calling step fails with its action.
func TestCompositeStepsRunAsSteps(t *testing.T) {
	t.Parallel()
	const action = `name: core
inputs:
  tolerate: {default: "false"}
outputs:
  seen:
    value: ${{ steps.bad.outcome }}/${{ steps.after.outcome }}/${{ steps.tolerated.outcome }}/${{ steps.tolerated.conclusion }}
runs:
  using: composite
  steps:
    - id: bad
      if: fromJSON('{')
      shell: bash
      run: echo never
    - id: after
      if: failure()
      shell: bash
      run: echo the action has failed
    - id: tolerated
      if: always()
      continue-on-error: ${{ inputs.tolerate }}
      shell: bash
      run: exit 3
`
	const wf = `on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: strict
        uses: ./.github/actions/core
      - id: lenient
        if: always()
        uses: ./.github/actions/core
        with: {tolerate: "true"}
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{
		workflows: map[string]string{"ci.yml": wf},
		files:     map[string]string{".github/actions/core/action.yml": action},
	})
	j := job(t, rep, "j")
	if j.Conclusion != report.Failure {
		t.Fatalf("job: %s", explain(j))
	}
	type row struct{ Outcome, Conclusion, Seen string }
	var got []row
	for _, s := range j.Steps[1:] {
		got = append(got, row{string(s.Outcome), string(s.Conclusion), s.Outputs["seen"]})
	}
	want := []row{
		{"failure", "failure", "failure/success/failure/failure"},
		{"failure", "failure", "failure/success/failure/success"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("action steps (-want +got):\n%s\n%s", d, explain(j))
	}
	var msgs []string
	for _, a := range j.Annotations {
		msgs = append(msgs, a.Message)
	}
	if all := strings.Join(msgs, "\n"); !strings.Contains(all, "./.github/actions/core: step 1: could not evaluate if:") {
		t.Errorf("annotations do not place the if: error in the action:\n%s", all)
	}
}

// TestRunStepEnvInContexts: a step's own env: is in the env context of its
// if:, run: and with:, and a composite action's steps get the calling
// step's env, not the job's defaults.run (actions/runner StepsRunner and
// CompositeActionHandler).
func TestRunStepEnvInContexts(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{
		files: map[string]string{".github/actions/envcheck/action.yml": `name: envcheck
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        test "$OUTER" = from-caller
        test "${{ env.OUTER }}" = from-caller
        test "$PWD" = "$GITHUB_WORKSPACE"
`},
		workflows: map[string]string{"stepenv.yml": `on: push
jobs:
  env:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: sub
    steps:
      - uses: actions/checkout@v4
      - run: mkdir -p sub
        working-directory: .
      - name: Greeting is ${{ env.GREETING }}
        if: env.DO == 'yes'
        env:
          DO: "yes"
          GREETING: hello
        run: test "${{ env.GREETING }}" = hello
      - uses: ./.github/actions/envcheck
        env:
          OUTER: from-caller
`},
	})
	j := job(t, rep, "env")
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("exit status %d\n%s", got, explain(j))
	}
	if got := stepResults(j); strings.Join(got, ",") != "success/success,success/success,success/success,success/success" {
		t.Errorf("steps %q", got)
	}
	if j.Steps[2].Name != "Greeting is hello" {
		t.Errorf("step name %q, want it evaluated with the step's env", j.Steps[2].Name)
	}
}

// TestRunCompositeRecursion: an action that uses itself fails its step
// with a message instead of recursing until the machine gives up.
func TestRunCompositeRecursion(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{
		files:     map[string]string{".github/actions/loop/action.yml": "name: loop\nruns:\n  using: composite\n  steps:\n    - uses: ./.github/actions/loop\n"},
		workflows: map[string]string{"loop.yml": "on: push\njobs:\n  loop:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/loop\n"},
	})
	j := job(t, rep, "loop")
	if got := report.ExitCode(rep); got != 1 {
		t.Fatalf("exit status %d, want 1\n%s", got, explain(j))
	}
	if msgs := messages(j); !strings.Contains(strings.Join(msgs, "\n"), "nest more than 9 deep") {
		t.Errorf("annotations %q do not explain the recursion", msgs)
	}
}

// TestRunCompositeStepTimeout: timeout-minutes on a composite action's
// step stops it (a minute is a second here).
func TestRunCompositeStepTimeout(t *testing.T) {
	skipTimingIfShort(t)
	t.Parallel()
	start := time.Now()
	rep, _ := runIn(t, testExecutor(t), runCase{
		files:     map[string]string{".github/actions/slow/action.yml": "name: slow\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      timeout-minutes: 1\n      run: sleep 600\n"},
		workflows: map[string]string{"slow.yml": "on: push\njobs:\n  slow:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/slow\n"},
		minute:    time.Second,
	})
	j := job(t, rep, "slow")
	if got := report.ExitCode(rep); got != 1 {
		t.Fatalf("exit status %d, want 1\n%s", got, explain(j))
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the run took %v: the step's timeout did not stop it", d)
	}
	if msgs := messages(j); !strings.Contains(strings.Join(msgs, "\n"), "has timed out after 1 minutes") {
		t.Errorf("annotations %q do not report the timeout", msgs)
	}
}
