package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// liveRun is `rehearse run` going on in the background, for tests that
// signal it while its steps run: its stderr (the plain progress lines) is
// collected as it comes, its stdout (the report) at the end.
type liveRun struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	mu     sync.Mutex
	log    strings.Builder
	exited chan error
}

// startRun starts rehearse with args in dir, with env added to this
// process's environment and an isolated cache directory.
func startRun(t *testing.T, dir string, env []string, args ...string) *liveRun {
	t.Helper()
	r := &liveRun{cmd: exec.Command(rehearseBin, args...), exited: make(chan error, 1)}
	r.cmd.Dir = dir
	r.cmd.Env = append(append(os.Environ(), "REHEARSE_CACHE_DIR="+t.TempDir()), env...)
	r.cmd.Stdout = &r.stdout
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			r.mu.Lock()
			r.log.WriteString(s.Text() + "\n")
			r.mu.Unlock()
		}
		r.exited <- r.cmd.Wait()
	}()
	t.Cleanup(func() {
		if r.cmd.ProcessState == nil {
			_ = r.cmd.Process.Kill()
		}
	})
	return r
}

// output is the stderr read so far.
func (r *liveRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.String()
}

// waitLine waits up to d for a stderr line that ends with suffix.
func (r *liveRun) waitLine(suffix string, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, l := range strings.Split(r.output(), "\n") {
			if strings.HasSuffix(l, suffix) {
				return true
			}
		}
	}
	return false
}

// mustWaitLine is waitLine that ends the test (and rehearse) on timeout.
func (r *liveRun) mustWaitLine(t *testing.T, suffix string, d time.Duration) {
	t.Helper()
	if !r.waitLine(suffix, d) {
		_ = r.cmd.Process.Kill()
		<-r.exited
		t.Fatalf("no line ending in %q within %v; output:\n%s", suffix, d, r.output())
	}
}

// interrupt sends SIGINT, as Ctrl-C does.
func (r *liveRun) interrupt(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
}

// wait waits up to d for rehearse to exit and returns its exit status;
// past d it kills rehearse and ends the test.
func (r *liveRun) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-r.exited:
	case <-time.After(d):
		_ = r.cmd.Process.Kill()
		<-r.exited
		t.Fatalf("rehearse did not exit within %v; output:\n%s", d, r.output())
	}
	return r.cmd.ProcessState.ExitCode()
}
