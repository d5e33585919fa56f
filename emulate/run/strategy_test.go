package run_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStrategyContext: each cell's strategy context is GitHub's, whether
// the plan expanded its matrix or the run did from needs outputs: job-index
// and job-total, fail-fast as set, max-parallel as set or every cell; a job
// without a combination (no matrix, or every one excluded) runs once with
// job-total 1 and max-parallel 1 whatever the setting.
func TestStrategyContext(t *testing.T) {
	t.Parallel()
	const check = `test "${{ strategy.fail-fast }},${{ strategy.job-index }},${{ strategy.job-total }},${{ strategy.max-parallel }}" = "$WANT"`
	const wf = `
on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    outputs:
      m: ${{ steps.s.outputs.m }}
      none: ${{ steps.s.outputs.none }}
    steps:
      - id: s
        run: |
          echo 'm=[1,2,3]' >> "$GITHUB_OUTPUT"
          echo 'none={"n":[1],"exclude":[{"n":1}]}' >> "$GITHUB_OUTPUT"
  static:
    runs-on: ubuntu-latest
    strategy: {fail-fast: false, matrix: {n: [1, 2]}}
    steps: [{run: '` + check + `', env: {WANT: "false,${{ matrix.n == 1 && '0' || '1' }},2,2"}}]
  plain:
    runs-on: ubuntu-latest
    strategy: {fail-fast: false}
    steps: [{run: '` + check + `', env: {WANT: "false,0,1,1"}}]
  excluded:
    runs-on: ubuntu-latest
    strategy: {max-parallel: 4, matrix: {n: [1], exclude: [{n: 1}]}}
    steps: [{run: '` + check + `', env: {WANT: "true,0,1,1"}}]
  deferred:
    needs: setup
    runs-on: ubuntu-latest
    strategy: {fail-fast: false, matrix: {n: "${{ fromJSON(needs.setup.outputs.m) }}"}}
    steps: [{run: '` + check + `', env: {WANT: "false,${{ matrix.n == 1 && '0' || matrix.n == 2 && '1' || '2' }},3,3"}}]
  deferred-limited:
    needs: setup
    runs-on: ubuntu-latest
    strategy: {max-parallel: 2, matrix: {n: "${{ fromJSON(needs.setup.outputs.m) }}"}}
    steps: [{run: '` + check + `', env: {WANT: "true,${{ matrix.n == 1 && '0' || matrix.n == 2 && '1' || '2' }},3,2"}}]
  deferred-none:
    needs: setup
    runs-on: ubuntu-latest
    strategy: {max-parallel: 4, matrix: "${{ fromJSON(needs.setup.outputs.none) }}"}
    steps: [{run: '` + check + `', env: {WANT: "true,0,1,1"}}]
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}})
	got := map[string]string{}
	for _, j := range rep.Workflows[0].Jobs {
		got[j.Key] = string(j.Conclusion)
		if j.Conclusion != "success" {
			got[j.Key] += ": " + j.Reason
		}
	}
	want := map[string]string{
		"setup": "success", "static.1": "success", "static.2": "success", "plain": "success", "excluded": "success",
		"deferred.1": "success", "deferred.2": "success", "deferred.3": "success",
		"deferred-limited.1": "success", "deferred-limited.2": "success", "deferred-limited.3": "success",
		"deferred-none.1": "success",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("results (-want +got):\n%s", d)
	}
}
