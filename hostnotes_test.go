package main

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestPlanWarnsAboutMachineChanges: plan names the steps that would
// change this machine itself under the host executor (emulate/run's
// TestRunWarnsAboutMachineChanges: and the run's report warns of them).
func TestPlanWarnsAboutMachineChanges(t *testing.T) {
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
}
