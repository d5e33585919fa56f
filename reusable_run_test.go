package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunReusableWorkflow: a local reusable workflow runs as
// "caller / callee" jobs with the caller's inputs, and its declared
// outputs reach the caller's dependents as needs.<caller>.outputs (docs:
// "Reusing workflows", using outputs from a reusable workflow). -W selects
// the caller only; the called file is loaded because it is called.
func TestRunReusableWorkflow(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "called.yml", `name: Called
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
`)
	addWorkflow(t, dir, "caller.yml", `name: Caller
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
`)
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/caller.yml")
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	want := map[string]string{"call/greet": "success", "after": "success"}
	if d := cmp.Diff(want, rep.conclusions()); d != "" {
		t.Errorf("job conclusions (-want +got):\n%s", d)
	}
	if j := rep.jobs()["call/greet"]; j == nil || j.Name != "call / greet" {
		t.Errorf("called job is not named as GitHub names it: %+v", j)
	}
}
