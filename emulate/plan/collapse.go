package plan

import "strings"

// GitHub decides a job's if: and its needs before it expands the job's
// matrix, so a matrix job they skip is one check under the job's
// unexpanded name, not one per cell.

// SkippedBeforeMatrix reports whether reason is one of a skip decided
// before the matrix is expanded: the job's if: or its needs.
func SkippedBeforeMatrix(reason string) bool {
	return strings.HasPrefix(reason, "if: ") || strings.HasPrefix(reason, "needs ") ||
		reason == "a job it needs did not succeed"
}

// Collapsed is the one job that stands for cells, every cell of one
// matrix job: its key and name without matrix values, no cell, and the
// first cell's status and reason.
func Collapsed(cells []*JobPlan) *JobPlan {
	first := *cells[0]
	jp := &first
	jp.Key = JobKey(cells[0])
	jp.Name = UnexpandedName(cells[0])
	jp.Matrix, jp.Cell = nil, nil
	return jp
}

// JobKey is a cell's key without its ".N" cell number.
func JobKey(jp *JobPlan) string {
	if jp.Cell == nil {
		return jp.Key
	}
	if i := strings.LastIndexByte(jp.Key, '.'); i > strings.LastIndexByte(jp.Key, '/') {
		return jp.Key[:i]
	}
	return jp.Key
}

// UnexpandedName is the job's name as its workflow writes it: `name:`
// with its expressions left as they are, else the job id, after the
// calling job's name for a job of a called workflow.
func UnexpandedName(jp *JobPlan) string {
	name := jp.ID
	if jp.Job != nil {
		name = jp.Job.DisplayName()
	}
	if jp.Caller != nil {
		name = jp.Caller.DisplayName() + " / " + name
	}
	return name
}

// collapseSkippedMatrices replaces the cells of each matrix job skipped
// before expansion with one job.
func collapseSkippedMatrices(jobs []*JobPlan) []*JobPlan {
	out := make([]*JobPlan, 0, len(jobs))
	for i := 0; i < len(jobs); {
		k := i + 1
		for k < len(jobs) && jobs[k].Cell != nil && JobKey(jobs[k]) == JobKey(jobs[i]) {
			k++
		}
		cells := jobs[i:k]
		if jobs[i].Cell != nil && allSkippedBeforeMatrix(cells) {
			out = append(out, Collapsed(cells))
		} else {
			out = append(out, cells...)
		}
		i = k
	}
	return out
}

func allSkippedBeforeMatrix(cells []*JobPlan) bool {
	for _, c := range cells {
		if c.Status != StatusSkipped || c.Invalid || !SkippedBeforeMatrix(c.Reason) || c.Reason != cells[0].Reason {
			return false
		}
	}
	return true
}
