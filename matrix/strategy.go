package matrix

import "github.com/rehearse-dev/rehearse/emulate/expr"

// Strategy is the `strategy` context of one job.
type Strategy struct {
	// FailFast is strategy.fail-fast; GitHub's default is true.
	FailFast bool
	// MaxParallel is the value the context reports, which [Strategies]
	// works out from the job's max-parallel setting.
	MaxParallel int
	// JobTotal is the number of jobs of the matrix.
	JobTotal int
	// JobIndex is this job's 0-based position among them.
	JobIndex int
}

// Strategies returns the strategy context of each of n matrix jobs, as
// GitHub builds them (actions/runner:
// src/Sdk/WorkflowParser/Conversion/WorkflowTemplateConverter.cs
// ConvertToStrategy): max-parallel is the setting when it is above zero and
// otherwise the number of jobs. maxParallel is strategy.max-parallel, 0 when
// it is not set; failFast is strategy.fail-fast, true when it is not set.
//
// For n == 0 (no matrix, or every combination excluded) it returns the one
// job GitHub runs instead, whose context has job-index 0, job-total 1 and
// max-parallel 1 whatever the setting (WorkflowTemplateEvaluator.cs
// EvaluateStrategy).
func Strategies(failFast bool, maxParallel int, n int) []Strategy {
	if n <= 0 {
		return []Strategy{{FailFast: failFast, MaxParallel: 1, JobTotal: 1, JobIndex: 0}}
	}
	mp := n
	if maxParallel > 0 {
		mp = maxParallel
	}
	out := make([]Strategy, n)
	for i := range out {
		out[i] = Strategy{FailFast: failFast, MaxParallel: mp, JobTotal: n, JobIndex: i}
	}
	return out
}

// Context returns the `strategy` context: fail-fast, job-index, job-total and
// max-parallel, in the order GitHub adds them (so toJSON(strategy) prints
// them in that order).
func (s Strategy) Context() *expr.Object {
	o := expr.NewObject()
	o.Set("fail-fast", s.FailFast)
	o.Set("job-index", float64(s.JobIndex))
	o.Set("job-total", float64(s.JobTotal))
	o.Set("max-parallel", float64(s.MaxParallel))
	return o
}
