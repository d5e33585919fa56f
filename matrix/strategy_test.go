package matrix

import "testing"

// actions/runner: src/Sdk/WorkflowParser/Conversion/WorkflowTemplateConverter.cs
// ConvertToStrategy and WorkflowTemplateEvaluator.cs EvaluateStrategy.
func TestStrategies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		failFast    bool
		maxParallel int
		n           int
		want        []Strategy
	}{
		{
			what:     "max-parallel defaults to the number of jobs",
			failFast: true,
			n:        3,
			want: []Strategy{
				{FailFast: true, MaxParallel: 3, JobTotal: 3, JobIndex: 0},
				{FailFast: true, MaxParallel: 3, JobTotal: 3, JobIndex: 1},
				{FailFast: true, MaxParallel: 3, JobTotal: 3, JobIndex: 2},
			},
		},
		{
			what:        "max-parallel setting is reported as set",
			maxParallel: 2,
			n:           2,
			want: []Strategy{
				{FailFast: false, MaxParallel: 2, JobTotal: 2, JobIndex: 0},
				{FailFast: false, MaxParallel: 2, JobTotal: 2, JobIndex: 1},
			},
		},
		{
			what:        "a max-parallel above the job count is kept",
			maxParallel: 10,
			n:           1,
			want:        []Strategy{{MaxParallel: 10, JobTotal: 1}},
		},
		{
			what:        "no matrix job: one job, max-parallel 1 whatever the setting",
			failFast:    true,
			maxParallel: 5,
			n:           0,
			want:        []Strategy{{FailFast: true, MaxParallel: 1, JobTotal: 1, JobIndex: 0}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			diff(t, "strategies", tc.want, Strategies(tc.failFast, tc.maxParallel, tc.n))
		})
	}
}

func TestStrategyContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		s    Strategy
		want string
	}{
		{
			what: "keys in GitHub's order",
			s:    Strategy{FailFast: true, MaxParallel: 4, JobTotal: 6, JobIndex: 2},
			want: `{"fail-fast":true,"job-index":2,"job-total":6,"max-parallel":4}`,
		},
		{
			what: "job without a matrix",
			s:    Strategies(false, 0, 0)[0],
			want: `{"fail-fast":false,"job-index":0,"job-total":1,"max-parallel":1}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			diff(t, "context", tc.want, render(tc.s.Context()))
		})
	}
}
