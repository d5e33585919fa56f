package run_test

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/executor/host"
	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunWarnsAboutMachineChanges: steps that would change this machine
// itself under the host executor are warnings in the run's report (the
// steps here never run: their if: is false). The root's test of the same
// name checks that plan names them.
func TestRunWarnsAboutMachineChanges(t *testing.T) {
	t.Parallel()
	rep, _ := runIn(t, host.New(), runCase{workflows: map[string]string{"machine.yml": hostNotesWorkflow}})
	j := job(t, rep, "setup")
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("exit status %d\n%s", got, explain(j))
	}
	var msgs []string
	for _, a := range j.Annotations {
		if a.Level == "warning" {
			msgs = append(msgs, a.Message)
		}
	}
	if got := strings.Join(msgs, "\n"); !strings.Contains(got, "installs system packages") || !strings.Contains(got, "writes outside the workspace") {
		t.Errorf("report warnings:\n%s", got)
	}
}

// hostNotesWorkflow has steps that would change this machine, never run.
const hostNotesWorkflow = `on: push
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
`
