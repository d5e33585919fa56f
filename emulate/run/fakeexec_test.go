package run_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
	"github.com/rehearse-dev/rehearse/emulate/executor/treetar"
	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// fakeExecutor is an executor whose jobs differ from this machine in every
// way the run path could wrongly assume: their paths are not the run
// directory's, their environment is not this process's, their architecture
// is not this machine's, their files are not reachable by path (HostPath
// says no, so files move through Export and Import), and they offer no
// installed tools. Processes still run here, with only the job's
// environment, so steps behave normally.
type fakeExecutor struct {
	root string // each job gets root/<n> as its "/"-like prefix
	mu   sync.Mutex
	n    int
	jobs []*fakeJob
	// tools are files to put in every job's tool cache (path: content).
	tools map[string]string
}

func newFakeExecutor(t *testing.T) *fakeExecutor {
	return &fakeExecutor{root: t.TempDir()}
}

func (e *fakeExecutor) Name() string { return "fake" }

func (e *fakeExecutor) StartJob(ctx context.Context, spec executor.JobSpec) (executor.Job, error) {
	e.mu.Lock()
	e.n++
	base := filepath.Join(e.root, fmt.Sprintf("m%d", e.n))
	e.mu.Unlock()
	repo := spec.Repository[strings.LastIndex(spec.Repository, "/")+1:]
	j := &fakeJob{spec: spec, base: base, paths: executor.Paths{
		Workspace: filepath.Join(base, "work", repo, repo),
		Temp:      filepath.Join(base, "work", "_temp"),
		ToolCache: filepath.Join(base, "toolcache"),
		Home:      filepath.Join(base, "home", "runner"),
	}}
	for _, d := range []string{j.paths.Workspace, j.paths.Temp, j.paths.ToolCache, j.paths.Home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	for p, content := range e.tools {
		full := filepath.Join(j.paths.ToolCache, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(full, []byte(content), 0o755); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	e.jobs = append(e.jobs, j)
	e.mu.Unlock()
	return j, nil
}

type fakeJob struct {
	spec  executor.JobSpec
	base  string
	paths executor.Paths

	mu      sync.Mutex
	calls   []string // method names, in order
	closed  bool
	imports int
	exports int
}

func (j *fakeJob) record(call string) {
	j.mu.Lock()
	j.calls = append(j.calls, call)
	j.mu.Unlock()
}

func (j *fakeJob) Platform() executor.Platform { return executor.Platform{OS: "Linux", Arch: "ARM64"} }
func (j *fakeJob) Paths() executor.Paths       { return j.paths }

// Env is deliberately not this process's environment.
func (j *fakeJob) Env() map[string]string {
	return map[string]string{"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": j.paths.Home, "FAKE_MACHINE": "yes", "LANG": "C.UTF-8"}
}

func (j *fakeJob) Info() executor.Info {
	return executor.Info{Executor: "fake", Image: "fake-image", Environment: "github-hosted", ImageOS: "fakeos1"}
}

func (j *fakeJob) LookPath(_ context.Context, prog string, env []string) (string, error) {
	j.record("LookPath")
	return host.LookPath(prog, env)
}

func (j *fakeJob) Exec(ctx context.Context, p executor.Process) (int, error) {
	j.record("Exec")
	dir := p.Dir
	if dir == "" {
		dir = j.paths.Workspace
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return -1, &executor.NoWorkingDirError{Prog: p.Argv[0], Dir: dir}
	}
	prog, err := host.LookPath(p.Argv[0], p.Env)
	if err != nil {
		return -1, err
	}
	cmd := exec.Command(prog, p.Argv[1:]...)
	cmd.Env, cmd.Dir, cmd.Stdin, cmd.Stdout, cmd.Stderr = p.Env, dir, p.Stdin, p.Stdout, p.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return -1, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return -1, fmt.Errorf("stopped: %w", context.Cause(ctx))
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	return 0, err
}

func (j *fakeJob) ReadFile(_ context.Context, p string) ([]byte, error) {
	j.record("ReadFile")
	return os.ReadFile(p)
}

func (j *fakeJob) WriteFile(_ context.Context, p string, data []byte, perm fs.FileMode) error {
	j.record("WriteFile")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, perm)
}

func (j *fakeJob) ReadDir(_ context.Context, p string) ([]fs.FileInfo, error) {
	j.record("ReadDir")
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, err
	}
	var out []fs.FileInfo
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			out = append(out, info)
		}
	}
	return out, nil
}

// HostPath says no: files must go through Export and Import.
func (j *fakeJob) HostPath(string) (string, bool) { return "", false }

func (j *fakeJob) Export(ctx context.Context, w io.Writer, paths []string) error {
	j.mu.Lock()
	j.exports++
	j.mu.Unlock()
	return treetar.Write(ctx, w, "/", paths)
}

func (j *fakeJob) Import(ctx context.Context, r io.Reader, dir string) error {
	j.mu.Lock()
	j.imports++
	j.mu.Unlock()
	return treetar.Extract(ctx, r, dir, nil)
}

func (j *fakeJob) RemoveAll(_ context.Context, p string) error { return os.RemoveAll(p) }

func (j *fakeJob) HashFiles(_ context.Context, patterns []string) (string, error) {
	j.record("HashFiles")
	return expr.HashFiles(j.paths.Workspace, patterns)
}

func (j *fakeJob) Close(context.Context) error {
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
	return nil
}

// String is for failure messages.
func (j *fakeJob) String() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %v", j.spec.Key, j.calls)
	return b.String()
}
