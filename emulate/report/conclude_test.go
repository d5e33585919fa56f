package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jobs builds jobs with the given conclusions; a conclusion written as
// "failure+coe" is a failure of a continue-on-error job.
func jobs(cs ...string) []*JobResult {
	out := make([]*JobResult, len(cs))
	for i, c := range cs {
		j := &JobResult{Conclusion: Conclusion(c)}
		if c == "failure+coe" {
			j.Conclusion, j.ContinueOnError = Failure, true
		}
		out[i] = j
	}
	return out
}

func TestConclude(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		workflows   [][]string
		wantFlows   []Conclusion
		wantRun     Conclusion
		wantPartial bool
	}{
		{
			what:      "no workflows",
			wantRun:   Success,
			wantFlows: []Conclusion{},
		},
		{
			what:      "all succeeded",
			workflows: [][]string{{"success", "success"}},
			wantFlows: []Conclusion{Success},
			wantRun:   Success,
		},
		{
			what:      "one failure fails the workflow",
			workflows: [][]string{{"success", "failure", "success"}},
			wantFlows: []Conclusion{Failure},
			wantRun:   Failure,
		},
		{
			what:      "failure wins over cancelled",
			workflows: [][]string{{"cancelled", "failure"}},
			wantFlows: []Conclusion{Failure},
			wantRun:   Failure,
		},
		{
			what:      "cancelled without failure",
			workflows: [][]string{{"success", "cancelled"}},
			wantFlows: []Conclusion{Cancelled},
			wantRun:   Cancelled,
		},
		{
			what:      "continue-on-error failure does not fail the workflow",
			workflows: [][]string{{"success", "failure+coe"}},
			wantFlows: []Conclusion{Success},
			wantRun:   Success,
		},
		{
			what:      "skipped jobs do not fail",
			workflows: [][]string{{"skipped", "skipped"}},
			wantFlows: []Conclusion{Success},
			wantRun:   Success,
		},
		{
			what:      "not run locally neither fails nor makes the result partial",
			workflows: [][]string{{"success", "not-run-locally"}},
			wantFlows: []Conclusion{Success},
			wantRun:   Success,
		},
		{
			what:      "a workflow without jobs succeeds",
			workflows: [][]string{{}},
			wantFlows: []Conclusion{Success},
			wantRun:   Success,
		},
		{
			what:      "each workflow on its own, the run over all",
			workflows: [][]string{{"success"}, {"failure"}, {"cancelled"}},
			wantFlows: []Conclusion{Success, Failure, Cancelled},
			wantRun:   Failure,
		},
		{
			what:      "a cancelled workflow cancels an otherwise good run",
			workflows: [][]string{{"success"}, {"cancelled", "skipped"}},
			wantFlows: []Conclusion{Success, Cancelled},
			wantRun:   Cancelled,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := &Report{}
			for _, w := range tc.workflows {
				r.Workflows = append(r.Workflows, &WorkflowResult{Jobs: jobs(w...)})
			}
			Conclude(r)
			got := []Conclusion{}
			for _, w := range r.Workflows {
				got = append(got, w.Conclusion)
			}
			if diff := cmp.Diff(tc.wantFlows, got); diff != "" {
				t.Errorf("workflow conclusions differ (-want +got):\n%s", diff)
			}
			if r.Conclusion != tc.wantRun {
				t.Errorf("run conclusion = %q, want %q", r.Conclusion, tc.wantRun)
			}
			if r.Partial != tc.wantPartial {
				t.Errorf("partial = %v, want %v", r.Partial, tc.wantPartial)
			}
		})
	}
}

// TestConcludeInvalidWorkflow: GitHub shows an invalid workflow file as a
// failed run, so the run fails even when every job that ran succeeded.
func TestConcludeInvalidWorkflow(t *testing.T) {
	t.Parallel()
	r := &Report{Workflows: []*WorkflowResult{
		{Jobs: jobs("success")},
		{Invalid: true, Errors: []string{"bad.yml:1:1: oops"}},
	}}
	Conclude(r)
	if r.Workflows[0].Conclusion != Success || r.Workflows[1].Conclusion != Failure || r.Conclusion != Failure {
		t.Errorf("conclusions = %q, %q, run %q; want success, failure, run failure",
			r.Workflows[0].Conclusion, r.Workflows[1].Conclusion, r.Conclusion)
	}
	if got := ExitCode(&Report{Workflows: r.Workflows}); got != 1 {
		t.Errorf("ExitCode = %d, want 1", got)
	}
}

func TestConcludeKeepsPartial(t *testing.T) {
	t.Parallel()
	r := &Report{Partial: true, Workflows: []*WorkflowResult{{Jobs: jobs("success")}}}
	Conclude(r)
	if !r.Partial {
		t.Error("Conclude cleared Partial")
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		r    *Report
		want int
	}{
		{"success", &Report{Conclusion: Success}, 0},
		{"failure", &Report{Conclusion: Failure}, 1},
		{"cancelled is an interrupt", &Report{Conclusion: Cancelled}, 130},
		{"skipped", &Report{Conclusion: Skipped}, 0},
		{"unset conclusion is worked out from the jobs", &Report{Workflows: []*WorkflowResult{{Jobs: jobs("success", "failure")}}}, 1},
		{"unset with only cancelled", &Report{Workflows: []*WorkflowResult{{Jobs: jobs("cancelled")}}}, 130},
		{"unset with continue-on-error failure", &Report{Workflows: []*WorkflowResult{{Jobs: jobs("failure+coe")}}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			before := tc.r.Conclusion
			if got := ExitCode(tc.r); got != tc.want {
				t.Errorf("ExitCode = %d, want %d", got, tc.want)
			}
			if tc.r.Conclusion != before {
				t.Errorf("ExitCode changed the conclusion to %q", tc.r.Conclusion)
			}
		})
	}
}
