package main

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunStepCannotStart: a step whose shell is not installed or whose
// working-directory does not exist fails with a message saying so, and
// the job goes on to its always() steps.
func TestRunStepCannotStart(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "cannot-start.yml", `on: push
jobs:
  shell:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
        shell: no-such-shell-xyz {0}
      - if: always()
        run: echo still here
  dir:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
        working-directory: no/such/dir
`)
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/cannot-start.yml")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	jobs := rep.jobs()
	tests := []struct {
		what, job, want string
	}{
		{"missing shell", "shell", `"no-such-shell-xyz" was not found`},
		{"missing working directory", "dir", `working directory`},
	}
	for _, tc := range tests {
		j := jobs[tc.job]
		if j == nil {
			t.Fatalf("no job %q in the report", tc.job)
		}
		if j.Conclusion != "failure" {
			t.Errorf("%s: job %s, want failure", tc.what, j.Conclusion)
		}
		var msgs []string
		for _, a := range j.Annotations {
			msgs = append(msgs, a.Message)
		}
		if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: annotations %q do not say %q", tc.what, msgs, tc.want)
		}
	}
	if got := jobs["shell"].stepResults(); len(got) != 2 || got[1] != "success/success" {
		t.Errorf("the always() step after the failure: %q", got)
	}
}
