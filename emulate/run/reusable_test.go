package run_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunReusableWorkflow: a local reusable workflow runs as
// "caller / callee" jobs with the caller's inputs, and its declared
// outputs reach the caller's dependents as needs.<caller>.outputs (docs:
// "Reusing workflows", using outputs from a reusable workflow). -W selects
// the caller only; the called file is loaded because it is called.
func TestRunReusableWorkflow(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{path: ".github/workflows/caller.yml", workflows: map[string]string{
		"called.yml": `name: Called
on:
  workflow_call:
    inputs:
      who:
        type: string
        required: true
      loud:
        type: boolean
        default: false
    outputs:
      greeting:
        value: ${{ jobs.greet.outputs.text }}
jobs:
  greet:
    runs-on: ubuntu-latest
    outputs:
      text: ${{ steps.say.outputs.text }}
    steps:
      - id: say
        run: |
          test "${{ inputs.loud }}" = "false"
          echo "text=hello ${{ inputs.who }}" >> "$GITHUB_OUTPUT"
`,
		"caller.yml": `name: Caller
on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    with:
      who: mona
  after:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - run: |
          test "${{ needs.call.result }}" = success
          test "${{ needs.call.outputs.greeting }}" = "hello mona"
`,
	}})
	if got := report.ExitCode(rep); got != 0 {
		t.Errorf("exit status %d, want 0", got)
	}
	want := map[string]string{"call/greet": "success", "after": "success"}
	if d := cmp.Diff(want, conclusions(rep)); d != "" {
		t.Errorf("job conclusions (-want +got):\n%s", d)
	}
	if j := jobsOf(rep)["call/greet"]; j == nil || j.Name != "call / greet" {
		t.Errorf("called job is not named as GitHub names it: %+v", j)
	}
}
