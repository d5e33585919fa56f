// Package host runs job processes directly on this machine, as a
// self-hosted runner does. Each process gets its own process group so that
// cancelling a step (timeout, fail-fast, Ctrl-C) stops everything it
// started, not only the shell.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/treetar"
	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Executor runs processes on the host.
type Executor struct {
	// SigtermAfter and SigkillAfter are how long a cancelled process group
	// gets after SIGINT before SIGTERM, and after that before SIGKILL (the
	// runner's 7.5 s and 2.5 s; tests shorten them).
	SigtermAfter, SigkillAfter time.Duration
	// PipCache is the shared pip cache directory, given to every process
	// as PIP_CACHE_DIR (empty: pip's own default).
	PipCache string
}

// outputGrace is how long Exec still copies output after the process
// exits while processes it left in the background hold the output open.
const outputGrace = 500 * time.Millisecond

// New returns a host executor with the runner's cancellation timings.
func New() *Executor {
	return &Executor{SigtermAfter: executor.SigtermAfter, SigkillAfter: executor.SigkillAfter}
}

// Name implements executor.Executor.
func (e *Executor) Name() string { return "host" }

// StartJob implements executor.Executor. On the host the job's directories
// are the ones prepared by the caller, so there is nothing to start.
func (e *Executor) StartJob(_ context.Context, spec executor.JobSpec) (executor.Job, error) {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	if e.PipCache != "" {
		env["PIP_CACHE_DIR"] = e.PipCache
	}
	// As the runner does, every process of the job carries a tracking id,
	// by which what it leaves running is found when the job ends.
	tracking := executor.NewTrackingID()
	env[executor.TrackingVar] = tracking
	home := env["HOME"]
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	for _, d := range []string{spec.HostDirs.Workspace, spec.HostDirs.Temp, spec.HostDirs.ToolCache} {
		if d == "" {
			continue
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("could not create the job's directory %q: %w", d, err)
		}
	}
	return &job{e: e, spec: spec, env: env, tracking: tracking, paths: executor.Paths{
		Workspace: spec.HostDirs.Workspace, Temp: spec.HostDirs.Temp, ToolCache: spec.HostDirs.ToolCache, Home: home,
	}}, nil
}

type job struct {
	e     *Executor
	spec  executor.JobSpec
	env   map[string]string
	paths executor.Paths
	// tracking is the job's RUNNER_TRACKING_ID.
	tracking string

	// groupsMu guards groups: the process groups of the job's steps, which
	// may still hold background processes (`./server &`) until the job ends.
	groupsMu sync.Mutex
	groups   []int
}

func (j *job) Platform() executor.Platform { return executor.HostPlatform() }
func (j *job) Paths() executor.Paths       { return j.paths }

func (j *job) Env() map[string]string {
	out := make(map[string]string, len(j.env))
	for k, v := range j.env {
		out[k] = v
	}
	return out
}

func (j *job) Info() executor.Info {
	return executor.Info{Executor: "host", Environment: "self-hosted", HostTools: true}
}

func (j *job) LookPath(_ context.Context, prog string, env []string) (string, error) {
	return LookPath(prog, env)
}

func (j *job) ReadFile(_ context.Context, path string) ([]byte, error) { return os.ReadFile(path) }

func (j *job) WriteFile(_ context.Context, path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, perm)
}

func (j *job) ReadDir(_ context.Context, path string) ([]fs.FileInfo, error) {
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	out := make([]fs.FileInfo, 0, len(entries))
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			out = append(out, info)
		}
	}
	return out, nil
}

func (j *job) HostPath(path string) (string, bool) { return path, true }

func (j *job) Export(ctx context.Context, w io.Writer, paths []string) error {
	return treetar.Write(ctx, w, "/", paths)
}

func (j *job) Import(ctx context.Context, r io.Reader, dir string) error {
	return treetar.Extract(ctx, r, dir, nil)
}

func (j *job) RemoveAll(_ context.Context, path string) error { return os.RemoveAll(path) }

func (j *job) HashFiles(_ context.Context, patterns []string) (string, error) {
	return expr.HashFiles(j.paths.Workspace, patterns)
}

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
		if signalGroup(g, syscall.SIGTERM) == nil {
			live = append(live, g)
		}
	}
	deadline := time.Now().Add(j.e.SigkillAfter)
	for len(live) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		live = slices.DeleteFunc(live, func(g int) bool { return signalGroup(g, 0) != nil })
	}
	for _, g := range live {
		_ = signalGroup(g, syscall.SIGKILL)
	}
	j.killOrphans()
	return nil
}

// killOrphans ends what the job's steps left running outside their
// process groups, and says so as the runner's job log does.
func (j *job) killOrphans() {
	left := orphans(j.tracking)
	if len(left) == 0 {
		return
	}
	j.logf("Cleaning up orphan processes")
	for _, o := range left {
		j.logf(fmt.Sprintf("Terminate orphan process: pid (%d) (%s)", o.pid, o.name))
		if p, err := os.FindProcess(o.pid); err == nil {
			_ = p.Kill()
		}
	}
}

func (j *job) logf(line string) {
	if j.spec.Log != nil {
		j.spec.Log(line)
	}
}

// Exec implements executor.Job.
func (j *job) Exec(ctx context.Context, p executor.Process) (int, error) {
	if len(p.Argv) == 0 {
		return -1, errors.New("no command to run")
	}
	dir := p.Dir
	if dir == "" {
		dir = j.paths.Workspace
	}
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return -1, &executor.NoWorkingDirError{Prog: p.Argv[0], Dir: dir}
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
	cmd.Dir = dir
	cmd.Stdin = p.Stdin
	cmd.Stdout, cmd.Stderr = p.Stdout, p.Stderr
	cmd.SysProcAttr = newGroupAttr()
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

// stopGroup stops a cancelled step's process group as the runner does:
// SIGINT, then SIGTERM, then SIGKILL, each unless the process exits first.
func (j *job) stopGroup(pid int, done <-chan struct{}) {
	_ = signalGroup(pid, sigInterrupt)
	select {
	case <-done:
		return
	case <-time.After(j.e.SigtermAfter):
	}
	_ = signalGroup(pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(j.e.SigkillAfter):
		_ = signalGroup(pid, syscall.SIGKILL)
	}
}
