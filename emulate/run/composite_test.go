package run_test

import (
	"strings"
	"testing"

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
