package run_test

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunStepCannotStart: a step whose shell is not installed or whose
// working-directory does not exist fails with a message saying so, and
// the job goes on to its always() steps.
func TestRunStepCannotStart(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{workflows: map[string]string{"cannot-start.yml": `on: push
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
`}})
	if got := report.ExitCode(rep); got != 1 {
		t.Fatalf("exit status %d, want 1", got)
	}
	jobs := jobsOf(rep)
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
		if j.Conclusion != report.Failure {
			t.Errorf("%s: job %s, want failure", tc.what, j.Conclusion)
		}
		if msgs := messages(j); !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: annotations %q do not say %q", tc.what, msgs, tc.want)
		}
	}
	if got := stepResults(jobs["shell"]); len(got) != 2 || got[1] != "success/success" {
		t.Errorf("the always() step after the failure: %q", got)
	}
}
