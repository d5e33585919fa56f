// Package host runs job processes directly on this machine, as a
// self-hosted runner does. Each process gets its own process group so that
// cancelling a step (timeout, fail-fast, Ctrl-C) stops everything it
// started, not only the shell.
package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
)

// Executor runs processes on the host.
type Executor struct {
	// KillGrace is how long a cancelled process group gets between SIGTERM
	// and SIGKILL (the runner gives 7.5s to a cancelled step).
	KillGrace time.Duration
}

// outputGrace is how long Exec still copies output after the process
// exits while processes it left in the background hold the output open.
const outputGrace = 500 * time.Millisecond

// New returns a host executor.
func New() *Executor { return &Executor{KillGrace: 5 * time.Second} }

// Name implements executor.Executor.
func (e *Executor) Name() string { return "host" }

// StartJob implements executor.Executor. On the host the job's directories
// are the ones prepared by the caller, so there is nothing to start.
func (e *Executor) StartJob(_ context.Context, spec executor.JobSpec) (executor.Job, error) {
	return &job{e: e, spec: spec}, nil
}

type job struct {
	e    *Executor
	spec executor.JobSpec

	// groupsMu guards groups: the process groups of the job's steps, which
	// may still hold background processes (`./server &`) until the job ends.
	groupsMu sync.Mutex
	groups   []int
}

func (j *job) Path(p string) string { return p }

// Close ends every process the job's steps left running, as the runner's
// "Cleaning up orphan processes" does at the end of a job: SIGTERM to each
// step's process group, then SIGKILL to what is left after the grace period.
func (j *job) Close(context.Context) error {
	j.groupsMu.Lock()
	groups := j.groups
	j.groups = nil
	j.groupsMu.Unlock()
	var live []int
	for _, g := range groups {
		if syscall.Kill(-g, syscall.SIGTERM) == nil {
			live = append(live, g)
		}
	}
	deadline := time.Now().Add(j.e.KillGrace)
	for len(live) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		live = slices.DeleteFunc(live, func(g int) bool { return syscall.Kill(-g, 0) != nil })
	}
	for _, g := range live {
		_ = syscall.Kill(-g, syscall.SIGKILL)
	}
	return nil
}

// Exec implements executor.Job.
func (j *job) Exec(ctx context.Context, p executor.Process) (int, error) {
	if len(p.Argv) == 0 {
		return -1, errors.New("no command to run")
	}
	if p.Dir != "" {
		if st, err := os.Stat(p.Dir); err != nil || !st.IsDir() {
			return -1, &noWorkingDirError{prog: p.Argv[0], dir: p.Dir}
		}
	}
	// Resolve the program on the step's own PATH, not rehearse's.
	prog := p.Argv[0]
	if path, err := lookPath(prog, p.Env); err == nil {
		prog = path
	} else {
		return -1, fmt.Errorf("could not start %q: %w", p.Argv[0], err)
	}
	cmd := exec.Command(prog, p.Argv[1:]...)
	cmd.Args[0] = p.Argv[0]
	cmd.Env = p.Env
	cmd.Dir = p.Dir
	cmd.Stdout, cmd.Stderr = p.Stdout, p.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A background process the step started (`./server &`) inherits the
	// output pipes; without a delay Wait would wait for it to exit rather
	// than for the step, and the job would hang. After outputGrace the pipes
	// are closed; the process lives on until the job ends (Close).
	cmd.WaitDelay = outputGrace
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("could not start %q: %w", p.Argv[0], err)
	}
	j.groupsMu.Lock()
	j.groups = append(j.groups, cmd.Process.Pid)
	j.groupsMu.Unlock()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-done:
		case <-ctx.Done():
			j.stopGroup(cmd.Process.Pid, done)
		}
	}()
	err := cmd.Wait()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The step succeeded; only its leftover processes held the pipes.
		err = nil
	}
	close(done)
	<-stopped
	// What the step left running in the background keeps running for the
	// next steps, as on GitHub; Close ends it with the job.
	if ctx.Err() != nil {
		return -1, fmt.Errorf("stopped: %w", context.Cause(ctx))
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil
		}
		return ee.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// stopGroup sends SIGTERM to the process group, then SIGKILL after the
// grace period unless the process exits first.
func (j *job) stopGroup(pid int, done <-chan struct{}) {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(j.e.KillGrace):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// noWorkingDirError is a step whose working-directory does not exist. Its
// text is the runner's, so the log reads as it would on GitHub.
type noWorkingDirError struct{ prog, dir string }

func (e *noWorkingDirError) Error() string {
	return fmt.Sprintf("An error occurred trying to start process '%s' with working directory '%s'. No such file or directory", e.prog, e.dir)
}
