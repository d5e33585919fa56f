package run_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// TestRunBackgroundServiceLivesForTheJob: a process a step starts in the
// background (`./server &`) is still there for the next steps of the job,
// as on GitHub, and is gone once the job ends (the runner's orphan
// process clean-up).
func TestRunBackgroundServiceLivesForTheJob(t *testing.T) {
	skipTimingIfShort(t)
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "server.pid")
	start := time.Now()
	rep, _ := runIn(t, testExecutor(t), runCase{workflows: map[string]string{"background.yml": `on: push
jobs:
  serve:
    runs-on: ubuntu-latest
    steps:
      - run: |
          sleep 300 &
          echo $! > "$RUNNER_TEMP/server.pid"
      - run: kill -0 "$(cat "$RUNNER_TEMP/server.pid")"
      - if: runner.environment == 'self-hosted'
        run: cp "$RUNNER_TEMP/server.pid" "` + pidFile + `"
`}})
	j := job(t, rep, "serve")
	if got := report.ExitCode(rep); got != 0 {
		t.Fatalf("exit status %d\n%s", got, explain(j))
	}
	want := "success/success,success/success,success/success"
	if !onHost() {
		// In a container the job's processes end with its container.
		want = "success/success,success/success,skipped/skipped"
	}
	if got := stepResults(j); strings.Join(got, ",") != want {
		t.Errorf("steps %q: the background process did not live into the second step", got)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the run took %v: it waited for the background process", d)
	}
	if !onHost() {
		return
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat")); err != nil || strings.Contains(string(st), ") Z ") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("background process %d still runs after the job ended", pid)
}
