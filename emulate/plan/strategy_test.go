package plan_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/plan"
)

// TestBuildStrategy: the strategy of each planned job, as GitHub gives it
// (WorkflowTemplateEvaluator.EvaluateStrategy): a job without a
// combination runs once with job-total 1 and max-parallel 1, fail-fast as
// set; a deferred matrix's placeholder carries only the settings, and
// plan.Strategies gives its cells theirs once it is expanded.
func TestBuildStrategy(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	wp := oneWorkflow(t, `
on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    outputs: {m: "${{ steps.s.outputs.m }}"}
    steps: [{id: s, run: echo}]
  plain:
    runs-on: ubuntu-latest
    steps: [{run: echo}]
  no-matrix:
    runs-on: ubuntu-latest
    strategy: {fail-fast: false, max-parallel: 3}
    steps: [{run: echo}]
  excluded:
    runs-on: ubuntu-latest
    strategy: {max-parallel: 3, matrix: {n: [1], exclude: [{n: 1}]}}
    steps: [{run: echo}]
  limited:
    runs-on: ubuntu-latest
    strategy: {max-parallel: 5, matrix: {n: [1, 2]}}
    steps: [{run: echo}]
  deferred:
    needs: setup
    runs-on: ubuntu-latest
    strategy: {fail-fast: false, max-parallel: 2, matrix: {n: "${{ fromJSON(needs.setup.outputs.m) }}"}}
    steps: [{run: echo}]
`, nil)
	got := map[string]string{}
	for _, j := range wp.Jobs {
		s := j.Strategy
		got[j.Key] = fmt.Sprintf("fail-fast %v, max-parallel %d, job %d of %d", s.FailFast, s.MaxParallel, s.JobIndex, s.JobTotal)
		if j.Status == plan.StatusDeferred {
			for i, s := range plan.Strategies(j.Job, 3) {
				got[fmt.Sprintf("%s.%d", j.Key, i+1)] = fmt.Sprintf("fail-fast %v, max-parallel %d, job %d of %d", s.FailFast, s.MaxParallel, s.JobIndex, s.JobTotal)
			}
			s := plan.Strategies(j.Job, 0)
			got[j.Key+" without a combination"] = fmt.Sprintf("%d: fail-fast %v, max-parallel %d, job %d of %d", len(s), s[0].FailFast, s[0].MaxParallel, s[0].JobIndex, s[0].JobTotal)
		}
	}
	want := map[string]string{
		"setup":                          "fail-fast true, max-parallel 1, job 0 of 1",
		"plain":                          "fail-fast true, max-parallel 1, job 0 of 1",
		"no-matrix":                      "fail-fast false, max-parallel 1, job 0 of 1",
		"excluded":                       "fail-fast true, max-parallel 1, job 0 of 1",
		"limited.1":                      "fail-fast true, max-parallel 5, job 0 of 2",
		"limited.2":                      "fail-fast true, max-parallel 5, job 1 of 2",
		"deferred":                       "fail-fast false, max-parallel 2, job 0 of 0",
		"deferred.1":                     "fail-fast false, max-parallel 2, job 0 of 3",
		"deferred.2":                     "fail-fast false, max-parallel 2, job 1 of 3",
		"deferred.3":                     "fail-fast false, max-parallel 2, job 2 of 3",
		"deferred without a combination": "1: fail-fast false, max-parallel 1, job 0 of 1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("strategies (-want +got):\n%s", d)
	}
}
