package run_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
)

// TestRunWorkflowDispatchInputs: --input values and the declared defaults
// reach the inputs context typed (dry-run is the Boolean true) and
// github.event.inputs as strings, as GitHub's docs describe.
func TestRunWorkflowDispatchInputs(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, testExecutor(t), runCase{
		fixture: "triggers", keepWorkflows: true, path: ".github/workflows/workflow-dispatch.yml",
		event: trigger.Options{Event: "workflow_dispatch", Inputs: map[string]string{"version": "1.2.3", "environment": "production"}},
	})
	j := jobsOf(rep)["dispatch"]
	if j == nil {
		t.Fatalf("no dispatch job: %+v", rep)
	}
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("exit status %d\n%s", got, explain(j))
	}
	if got := strings.Join(stepResults(j), ","); got != "success/success,success/success,success/success" {
		t.Errorf("steps %s: both the typed and the string dry-run conditions must hold", got)
	}
	b, err := os.ReadFile(j.LogFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"environment=production", "dry-run=true event=true", "version=1.2.3 note=nothing to say replicas=2"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("log does not contain %q", want)
		}
	}
}
