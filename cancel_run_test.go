package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// cancelWorkflow has a job cancelled while its first step runs, a job
// whose if: holds once cancelled, and jobs after the cancelled one with
// and without always().
const cancelWorkflow = `on: push
jobs:
  wait:
    runs-on: ubuntu-latest
    steps:
      - run: echo ready; sleep 60
      - if: always()
        run: echo cleanup-always; sleep ${CLEANUP_SLEEP:-0}
      - if: cancelled()
        run: echo cleanup-cancelled
      - run: echo never
  survivor:
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: sleep 3; echo survivor-done
  after:
    needs: wait
    if: always()
    runs-on: ubuntu-latest
    steps: [{run: echo after-ran}]
  after-default:
    needs: wait
    runs-on: ubuntu-latest
    steps: [{run: echo nope}]
`

// TestRunCancelLikeGitHub: the first Ctrl-C cancels the run as GitHub
// cancels one: the running step is stopped, the cancelled job's always()
// and cancelled() steps run, a job whose if: holds once cancelled goes on,
// a pending job with always() still starts and one without is cancelled;
// the run reports cancelled and exits 130. A second Ctrl-C, or the time
// limit after the first, stops the always() steps too.
func TestRunCancelLikeGitHub(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	executors := []struct {
		name string
		args func(t *testing.T) []string
	}{
		{"host", func(*testing.T) []string { return []string{"--executor", "host"} }},
		{"container", func(t *testing.T) []string {
			if testing.Short() {
				t.Skip("slow: needs the test builder")
			}
			return []string{"--executor", "container", "--builder", buildkittest.Addr(t), "-P", "ubuntu-latest=" + containertest.Image(t)}
		}},
	}
	for _, ex := range executors {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			args := ex.args(t)
			t.Run("first Ctrl-C", func(t *testing.T) {
				t.Parallel()
				rep, log := runCancelled(t, args, nil, 1)
				want := map[string]string{"wait": "cancelled", "survivor": "success", "after": "success", "after-default": "cancelled"}
				if d := cmp.Diff(want, rep.conclusions()); d != "" {
					t.Errorf("job conclusions (-want +got):\n%s\n%s", d, log)
				}
				if j := rep.jobs()["wait"]; j != nil {
					want := []string{"cancelled/cancelled", "success/success", "success/success", "skipped/skipped"}
					if d := cmp.Diff(want, j.stepResults()); d != "" {
						t.Errorf("steps of wait (-want +got):\n%s\n%s", d, log)
					}
				}
				for _, line := range []string{"cleanup-always", "cleanup-cancelled", "survivor-done", "after-ran"} {
					if !strings.Contains(log, line) {
						t.Errorf("the output lacks %q:\n%s", line, log)
					}
				}
			})
			t.Run("second Ctrl-C", func(t *testing.T) {
				t.Parallel()
				rep, log := runCancelled(t, args, []string{"CLEANUP_SLEEP=60"}, 2)
				if j := rep.jobs()["wait"]; j == nil || j.Conclusion != "cancelled" {
					t.Errorf("wait: %+v\n%s", j, log)
				} else if got := j.stepResults(); len(got) < 2 || got[1] != "cancelled/cancelled" {
					t.Errorf("steps of wait: %v, want the always() step stopped\n%s", got, log)
				}
			})
			t.Run("time limit", func(t *testing.T) {
				t.Parallel()
				rep, log := runCancelled(t, args, []string{"CLEANUP_SLEEP=60", "REHEARSE_TEST_CANCEL_LIMIT=2s"}, 1)
				if j := rep.jobs()["wait"]; j == nil || j.Conclusion != "cancelled" {
					t.Errorf("wait: %+v\n%s", j, log)
				}
			})
		})
	}
}

// runCancelled runs cancelWorkflow, sends SIGINT once the first step is
// running (a second one, when signals is 2, once the always() step runs),
// and returns the report and the plain progress output. It fails the test
// unless rehearse exits 130 within 30 s with a cancelled run.
func runCancelled(t *testing.T, args, env []string, signals int) (*runReport, string) {
	t.Helper()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "cancel.yml", cancelWorkflow)
	cmdArgs := append(append([]string{"run"}, args...), "-W", ".github/workflows/cancel.yml", "--progress", "plain", "--format", "json")
	for _, kv := range env {
		if strings.HasPrefix(kv, "CLEANUP_SLEEP=") {
			cmdArgs = append(cmdArgs, "--env", kv)
		}
	}
	r := startRun(t, dir, env, cmdArgs...)
	r.mustWaitLine(t, "] ready", 60*time.Second)
	r.interrupt(t)
	if signals > 1 {
		r.waitLine("] cleanup-always", 20*time.Second)
		r.interrupt(t)
	}
	if code := r.wait(t, 30*time.Second); code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, r.output())
	}
	var rep runReport
	if err := json.Unmarshal(r.stdout.Bytes(), &rep); err != nil {
		t.Fatalf("no JSON report after the interrupt: %v\n%s", err, r.stdout.String())
	}
	if rep.Conclusion != "cancelled" || !rep.Partial {
		t.Errorf("run conclusion %q, partial %v; want cancelled, partial", rep.Conclusion, rep.Partial)
	}
	return &rep, r.output()
}
