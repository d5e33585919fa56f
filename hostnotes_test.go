package main

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunWarnsAboutMachineChanges: steps that would change this machine
// itself under the host executor are named in plan and as warnings in the
// run's report (the steps here never run: their if: is false).
func TestRunWarnsAboutMachineChanges(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "machine.yml", `on: push
jobs:
  setup:
    runs-on: ubuntu-latest
    steps:
      - name: System packages
        if: ${{ false }}
        run: sudo apt-get install -y libpq-dev
      - name: SSH key
        if: ${{ false }}
        run: echo "$KEY" > ~/.ssh/id_rsa
      - run: echo fine
`)
	plan := runBin(t, dir, nil, "plan", "--executor", "host", "-W", ".github/workflows/machine.yml")
	for _, want := range []string{`step "System packages" runs sudo on this machine`, `step "System packages" installs system packages`, `step "SSH key" writes outside the workspace`} {
		if !strings.Contains(plan.stdout, want) {
			t.Errorf("plan does not say %q:\n%s", want, plan.stdout)
		}
	}
	r, rep := runJSON(t, dir, nil, "--executor", "host", "-W", ".github/workflows/machine.yml")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var msgs []string
	for _, a := range rep.jobs()["setup"].Annotations {
		if a.Level == "warning" {
			msgs = append(msgs, a.Message)
		}
	}
	if got := strings.Join(msgs, "\n"); !strings.Contains(got, "installs system packages") || !strings.Contains(got, "writes outside the workspace") {
		t.Errorf("report warnings:\n%s", got)
	}
}
