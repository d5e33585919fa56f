package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunWorkflowDispatchInputs: --input values and the declared defaults
// reach the inputs context typed (dry-run is the Boolean true) and
// github.event.inputs as strings, as GitHub's docs describe.
func TestRunWorkflowDispatchInputs(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "triggers")
	logs := t.TempDir()
	r, rep := runJSON(t, dir, nil, "workflow_dispatch", "-W", ".github/workflows/workflow-dispatch.yml",
		"--input", "version=1.2.3", "--input", "environment=production", "--log-dir", logs)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	j := rep.jobs()["dispatch"]
	if j == nil {
		t.Fatalf("no dispatch job: %+v", rep)
	}
	if got := strings.Join(j.stepResults(), ","); got != "success/success,success/success,success/success" {
		t.Errorf("steps %s: both the typed and the string dry-run conditions must hold", got)
	}
	b, err := os.ReadFile(filepath.Join(logs, "workflow-dispatch.yml", "dispatch.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"environment=production", "dry-run=true event=true", "version=1.2.3 note=nothing to say replicas=2"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("log does not contain %q", want)
		}
	}
}
