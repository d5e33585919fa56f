package plan

import (
	"fmt"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// resolveGraph gives each cell its stage (1 + the deepest stage of its
// needs) and passes skips down the needs graph: a job whose need is skipped
// is skipped too, unless its if: calls a status function (always(), ...),
// as on GitHub. Cells not run locally count as succeeded for their
// dependents, so a laptop can still run the tutorial's build job.
func resolveGraph(jobs []*JobPlan) {
	byID := map[string][]*JobPlan{}
	for _, j := range jobs {
		id := strings.ToLower(needKey(j))
		byID[id] = append(byID[id], j)
	}
	// depsOf is the cells a need waits for. A need naming a job that calls
	// a local reusable workflow waits for every job of the called workflow
	// (their keys are "caller/job"), as the scheduler does.
	depsOf := func(need string) []*JobPlan {
		id := strings.ToLower(need)
		if deps, ok := byID[id]; ok {
			return deps
		}
		var deps []*JobPlan
		for _, j := range jobs {
			if strings.HasPrefix(strings.ToLower(needKey(j)), id+"/") {
				deps = append(deps, j)
			}
		}
		return deps
	}
	stage := map[*JobPlan]int{}
	var visit func(j *JobPlan, depth int) int
	visit = func(j *JobPlan, depth int) int {
		if s, ok := stage[j]; ok {
			return s
		}
		if depth > len(jobs) { // a cycle; actionlint has reported it already
			return 1
		}
		s := 1
		for _, n := range j.Needs {
			for _, dep := range depsOf(n) {
				s = max(s, visit(dep, depth+1)+1)
			}
		}
		stage[j] = s
		return s
	}
	for _, j := range jobs {
		j.Stage = visit(j, 0)
	}
	// Propagate in stage order so a skip travels down several levels.
	for st := 1; st <= len(jobs); st++ {
		for _, j := range jobs {
			if j.Stage != st || j.Status == StatusSkipped || j.Status == StatusNotRunLocally {
				continue
			}
			if expr.UsesStatusFunction(j.If) {
				continue
			}
			for _, n := range j.Needs {
				// needs.<id>.result is "skipped" only when every cell (or
				// every called job) was skipped, as the scheduler
				// aggregates it; one skipped cell beside others that run
				// does not skip the dependent.
				deps := depsOf(n)
				allSkipped := len(deps) > 0
				for _, dep := range deps {
					allSkipped = allSkipped && dep.Status == StatusSkipped
				}
				if allSkipped {
					j.Status, j.Runner = StatusSkipped, ""
					j.Reason = fmt.Sprintf("needs %s, which is skipped", n)
					break
				}
			}
		}
	}
}

// needKey is the id other jobs name in needs: the job id, prefixed with
// the caller for jobs of a called workflow.
func needKey(j *JobPlan) string {
	if i := strings.LastIndex(j.Key, "/"); i >= 0 {
		return j.Key[:i+1] + j.ID
	}
	return j.ID
}
