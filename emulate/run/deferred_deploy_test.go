package run_test

import (
	"strings"
	"testing"
)

// TestComputedMatrixDeployGuard: the cells of a matrix computed at run
// time go through the same plan rules as a static matrix's: a deploy job
// is held back without --allow-deploy.
func TestComputedMatrixDeployGuard(t *testing.T) {
	t.Parallel()
	const wf = `
on: push
jobs:
  gen:
    runs-on: ubuntu-latest
    outputs: {m: "${{ steps.s.outputs.m }}"}
    steps:
      - {id: s, run: 'echo ''m={"region":["eu","us"]}'' >> "$GITHUB_OUTPUT"'}
  deploy:
    needs: gen
    environment: production
    runs-on: ubuntu-latest
    strategy: {matrix: "${{ fromJSON(needs.gen.outputs.m) }}"}
    steps: [{run: echo deploying}]
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}})
	var cells int
	for _, j := range rep.Workflows[0].Jobs {
		if j.ID != "deploy" {
			continue
		}
		cells++
		if j.Conclusion != "skipped" || !strings.Contains(j.Reason, "--allow-deploy") {
			t.Errorf("%s: %s (%s), want skipped until --allow-deploy\n%s", j.Name, j.Conclusion, j.Reason, explain(j))
		}
	}
	if cells != 2 {
		t.Errorf("%d deploy cells, want 2 (one per computed region)", cells)
	}
}
