package buildkit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// markedProcesses lists this machine's processes whose environment holds
// marker: a container's processes are this machine's too.
func markedProcesses(marker string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(env, []byte(marker)) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		out = append(out, e.Name()+": "+strings.ReplaceAll(string(cmd), "\x00", " "))
	}
	return out
}

// TestCancelledStep: a cancelled step gets SIGINT first (its trap runs),
// the container survives it for the steps that still run (always()), and
// releasing the job leaves none of its processes.
func TestCancelledStep(t *testing.T) {
	e := containertest.Executor(t, buildkit.Options{SigtermAfter: 2 * time.Second, SigkillAfter: time.Second})
	j := startJob(t, e, executor.JobSpec{})
	marker := fmt.Sprintf("REHEARSE_CANCEL_MARKER=%d-%d", os.Getpid(), time.Now().UnixNano())
	env := []string{"PATH=/usr/bin:/bin", marker}
	tests := []struct {
		what, script, want string
		within             time.Duration
	}{
		{"a trap for SIGINT runs", `trap 'echo got SIGINT; exit 5' INT; echo ready; sleep 300 & wait`, "got SIGINT", 1500 * time.Millisecond},
		{"ignoring SIGINT gets SIGTERM", `trap '' INT; trap 'echo got SIGTERM; exit 6' TERM; echo ready; sleep 300 & wait`, "got SIGTERM", 3500 * time.Millisecond},
		{"ignoring both gets SIGKILL", `trap '' INT TERM; echo ready; sleep 300 & wait`, "", 4500 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(t.Context())
			var out syncBuffer
			type res struct {
				code int
				err  error
			}
			done := make(chan res, 1)
			go func() {
				code, err := j.Exec(ctx, executor.Process{Argv: []string{"bash", "-c", tc.script}, Env: env, Stdout: &out, Stderr: &out})
				done <- res{code, err}
			}()
			deadline := time.Now().Add(20 * time.Second)
			for !strings.Contains(out.String(), "ready") && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			cause := errors.New("step timed out")
			start := time.Now()
			cancel(cause)
			select {
			case r := <-done:
				if !errors.Is(r.err, cause) {
					t.Errorf("Exec = %d, %v; want an error wrapping the cause", r.code, r.err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("Exec did not return after cancel")
			}
			if d := time.Since(start); d > tc.within {
				t.Errorf("stopped after %v, want within %v", d, tc.within)
			}
			if tc.want != "" && !strings.Contains(out.String(), tc.want) {
				t.Errorf("output %q lacks %q", out.String(), tc.want)
			}
		})
	}
	// The container survived: an always() step still runs, with the files
	// written for it.
	if err := j.WriteFile(t.Context(), "/home/runner/work/_temp/always.sh", []byte("echo still here\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, out := run(t, j, "bash /home/runner/work/_temp/always.sh"); code != 0 || out != "still here\n" {
		t.Errorf("after cancelled steps: exit %d, %q", code, out)
	}
	// A background process left by a step lives until the job ends.
	if code, _ := run(t, j, "env "+marker+" sleep 300 >/dev/null 2>&1 & echo started"); code != 0 {
		t.Fatal("could not start a background process")
	}
	// It may still be between fork and exec (env sets the marker): wait.
	for deadline := time.Now().Add(5 * time.Second); len(markedProcesses(marker)) == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if len(markedProcesses(marker)) == 0 {
		t.Fatal("the background process is not running")
	}
	if err := j.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(markedProcesses(marker)) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if left := markedProcesses(marker); len(left) > 0 {
		t.Errorf("processes of the released job survive:\n%s", strings.Join(left, "\n"))
	}
}
