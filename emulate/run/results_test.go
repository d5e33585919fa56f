package run_test

import (
	"encoding/json"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// jobsOf is the report's jobs by key; the tests run one workflow (and
// what it calls) at a time, so keys are unique.
func jobsOf(rep *report.Report) map[string]*report.JobResult {
	m := map[string]*report.JobResult{}
	for _, w := range rep.Workflows {
		for _, j := range w.Jobs {
			m[j.Key] = j
		}
	}
	return m
}

// conclusions is every job's key and conclusion, for one cmp.Diff.
func conclusions(rep *report.Report) map[string]string {
	m := map[string]string{}
	for k, j := range jobsOf(rep) {
		m[k] = string(j.Conclusion)
	}
	return m
}

// stepResults is "outcome/conclusion" of each step of the job.
func stepResults(j *report.JobResult) []string {
	var out []string
	for _, s := range j.Steps {
		out = append(out, string(s.Outcome)+"/"+string(s.Conclusion))
	}
	return out
}

// messages are the messages of the job's annotations.
func messages(j *report.JobResult) []string {
	var out []string
	for _, a := range j.Annotations {
		out = append(out, a.Message)
	}
	return out
}

// matrixOf is a job's matrix cell as the JSON report has it.
func matrixOf(t *testing.T, j *report.JobResult) map[string]any {
	t.Helper()
	data, err := json.Marshal(j.Matrix)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
