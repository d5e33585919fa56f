package run

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/report"
)

// maxAttempts bounds how often a cell starts when builders are lost under
// it: the pool fails a cell lost twice at its next start, so a third
// start only reports that.
const maxAttempts = 3

// runJob runs a cell's job, and again from the start when the builder it
// ran on was lost under it (a run spread over several builders): the
// job's files and processes went with the builder, so nothing of the lost
// attempt is kept but its log, renamed to end in .lost-N.log. res is the
// cell's result, reset for each attempt.
func (s *scheduler) runJob(ctx context.Context, n *node, jp *plan.JobPlan, needsCtx *expr.Object, res *report.JobResult) *jobRun {
	var retried []string
	for attempt := 1; ; attempt++ {
		jr := &jobRun{s: s, n: n, jp: jp, needs: needsCtx, res: res}
		jr.run(ctx)
		if jr.job != nil {
			info := jr.job.Info()
			res.Placement, res.QueueMS = info.Placement, info.Queued.Milliseconds()
		}
		res.Retried = strings.Join(retried, "; ")
		lost := executor.LostCause(jr.job)
		if lost == nil || ctx.Err() != nil || attempt == maxAttempts {
			return jr
		}
		if res.LogFile != "" {
			_ = os.Rename(res.LogFile, fmt.Sprintf("%s.lost-%d.log", strings.TrimSuffix(res.LogFile, ".log"), attempt))
		}
		retried = append(retried, lost.Error())
		*res = *newResult(jp)
	}
}
