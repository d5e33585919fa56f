package run_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunFailing runs the failing fixture: a failed run (exit status 1),
// the failed job and step named with the tail of its log, and the
// annotations with paths relative to the repository root. The root's
// TestRunFailing checks the text report of the same run.
func TestRunFailing(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{fixture: "failing", keepWorkflows: true})
	if got := report.ExitCode(rep); got != 1 {
		t.Fatalf("exit status %d, want 1", got)
	}
	if d := cmp.Diff(map[string]string{"test": "failure"}, conclusions(rep)); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	j := jobsOf(rep)["test"]
	if j.FailedStep != "Run tests" {
		t.Errorf("failed step = %q, want %q", j.FailedStep, "Run tests")
	}
	if d := cmp.Diff([]string{"success/success", "success/success", "failure/failure"}, stepResults(j)); d != "" {
		t.Errorf("steps (-want +got):\n%s", d)
	}
	if len(j.LogTail) == 0 || j.LogTail[len(j.LogTail)-1] != "##[error]Process completed with exit code 1." {
		t.Errorf("log tail does not end with the exit code: %q", j.LogTail)
	}
	tail := strings.Join(j.LogTail, "\n")
	// The tail shows pytest's failure, or, where python3 has no pytest,
	// why the step failed all the same.
	wantTail := "No module named pytest"
	if exec.Command("python3", "-c", "import pytest").Run() == nil {
		wantTail = "test_calculate_total_with_valid_items"
	}
	if !strings.Contains(tail, wantTail) {
		t.Errorf("log tail does not contain %q:\n%s", wantTail, tail)
	}
	want := []report.Annotation{
		{Level: "error", File: "src/my_app/main.py", Line: 3, Col: 5, Title: "Bad", Message: "something is wrong"},
		{Level: "warning", File: "tests/test_main.py", Line: 15, Message: "expected value looks suspicious"},
		{Level: "error", Message: "Process completed with exit code 1."},
	}
	if d := cmp.Diff(want, j.Annotations); d != "" {
		t.Errorf("annotations (-want +got):\n%s", d)
	}
}
