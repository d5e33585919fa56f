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
			for _, dep := range byID[strings.ToLower(n)] {
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
				for _, dep := range byID[strings.ToLower(n)] {
					if dep.Status == StatusSkipped && j.Status != StatusSkipped {
						j.Status, j.Runner = StatusSkipped, ""
						j.Reason = fmt.Sprintf("needs %s, which is skipped", n)
					}
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
