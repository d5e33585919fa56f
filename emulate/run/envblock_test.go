package run_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunBlockedEnvAndDebug: GITHUB_ENV cannot set NODE_OPTIONS (the runner
// logs an error and goes on), and ::debug:: lines are in the log only with
// step debug logging (ACTIONS_STEP_DEBUG; the root's TestRunFlags gives it
// as a secret, as on GitHub).
func TestRunBlockedEnvAndDebug(t *testing.T) {
	t.Parallel()
	const wf = `on: push
jobs:
  env:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "NODE_OPTIONS=--max-old-space-size=1" >> "$GITHUB_ENV"
          echo "::debug::debug line shown"
      - run: test -z "${NODE_OPTIONS:-}"
`
	for _, debug := range []bool{false, true} {
		t.Run(map[bool]string{false: "without debug", true: "with step debug"}[debug], func(t *testing.T) {
			t.Parallel()
			rep, _ := runIn(t, testExecutor(t), runCase{workflows: map[string]string{"blocked.yml": wf}, debug: debug})
			j := job(t, rep, "env")
			if got := report.ExitCode(rep); got != 0 {
				t.Fatalf("exit status %d\n%s", got, explain(j))
			}
			if msgs := messages(j); !strings.Contains(strings.Join(msgs, "\n"), "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.") {
				t.Errorf("annotations %q do not report the blocked NODE_OPTIONS", msgs)
			}
			log, err := os.ReadFile(j.LogFile)
			if err != nil {
				t.Fatalf("no job log: %v", err)
			}
			if got := strings.Contains(string(log), "##[debug]debug line shown"); got != debug {
				t.Errorf("debug line in the log: %v, want %v", got, debug)
			}
		})
	}
}
