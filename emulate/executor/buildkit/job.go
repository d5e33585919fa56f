package buildkit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit/agent"
	"github.com/rehearse-dev/rehearse/emulate/image"
)

// job is one job cell's container.
type job struct {
	e            *Executor
	spec         executor.JobSpec
	session      *session
	ctr          gwclient.Container
	mounts       []gwclient.Mount
	osRelease    image.OSRelease
	image        string
	toolProblems map[string]string

	paths executor.Paths
	env   map[string]string
	// user runs the steps (uid:gid); uid and gid are its numbers.
	user     string
	uid, gid int

	// seq numbers the agent's status files.
	seq atomic.Int64
	// pendingMu guards pending: files written with WriteFile, sent into the
	// container with the next process (or before the next read).
	pendingMu sync.Mutex
	pending   map[string]pendingFile
	closeOnce sync.Once
	// srv runs the steps; nil when it could not start (each process is then
	// its own `runc exec`).
	srv *server
}

type pendingFile struct {
	data []byte
	perm fs.FileMode
}

// statusDir is where the agent writes its outcomes, in every container.
const statusDir = "/tmp/.rehearse"

// setPaths decides the job's paths, environment and user: GitHub's
// hosted-runner layout for a runs-on job, its container-job layout for a
// container: job.
func (j *job) setPaths(cfg imageConf) {
	repo := j.spec.Repository
	if i := strings.LastIndex(repo, "/"); i >= 0 {
		repo = repo[i+1:]
	}
	if repo == "" {
		repo = "repository"
	}
	j.env = map[string]string{}
	for _, kv := range cfg.Env {
		k, v, _ := strings.Cut(kv, "=")
		j.env[k] = v
	}
	if j.spec.Container != nil {
		j.paths = executor.Paths{
			Workspace: path.Join("/__w", repo, repo), Temp: "/__w/_temp",
			ToolCache: "/__t", Home: "/github/home",
		}
		for k, v := range j.spec.Container.Env {
			j.env[k] = v
		}
		j.user = j.spec.Container.User
		if j.user == "" {
			j.user = cfg.User
		}
		if j.user == "" {
			j.user = "0:0"
		}
	} else {
		j.paths = executor.Paths{
			Workspace: path.Join(image.RunnerWorkDir, repo, repo), Temp: path.Join(image.RunnerWorkDir, "_temp"),
			ToolCache: image.ToolCacheDir, Home: image.RunnerHome,
		}
		j.user = fmt.Sprintf("%d:%d", image.RunnerUID, image.RunnerGID)
		j.env["USER"] = image.RunnerUser
	}
	j.env["HOME"] = j.paths.Home
	// The container ends with the job, and every process in it.
	j.env[executor.TrackingVar] = executor.NewTrackingID()
	if _, ok := j.env["LANG"]; !ok {
		// GitHub's images set a UTF-8 locale; tools that print non-ASCII
		// (black, pytest) behave differently without one.
		j.env["LANG"] = "C.UTF-8"
	}
	if j.env["PATH"] == "" {
		j.env["PATH"] = defaultPath
	}
}

// start starts the container's first process (the agent's init, which
// keeps the container alive between steps) and prepares the job's
// directories as root.
func (j *job) start(ctx context.Context) error {
	// The init lives as long as the container, whatever becomes of ctx:
	// BuildKit's client feeds every process of a session from one message
	// stream, and a process whose messages nobody reads any more (its
	// context cancelled, or never waited for) blocks that stream for all
	// the others.
	init, err := j.ctr.Start(context.WithoutCancel(ctx), gwclient.StartRequest{
		Args: []string{agentPath, agent.Command, "init"}, User: "0:0", Cwd: "/",
		Env: []string{"PATH=" + defaultPath},
	})
	if err != nil {
		return fmt.Errorf("could not start the job's container: %w", err)
	}
	go func() { _ = init.Wait() }()
	uid, gid, err := j.resolveUser(ctx)
	if err != nil {
		return err
	}
	j.uid, j.gid = uid, gid
	owner := fmt.Sprintf("%d:%d", uid, gid)
	args := []string{"prepare", owner, j.paths.Workspace, j.paths.Temp, j.paths.Home}
	for _, m := range j.mounts {
		if m.MountType != pb.MountType_CACHE {
			continue
		}
		// A cache mount and the directories made for it start owned by
		// root; pip and go want their caches, and ~/go, to be the job
		// user's.
		if rel, ok := strings.CutPrefix(m.Dest, j.paths.Home+"/"); ok {
			parts := strings.Split(rel, "/")
			for i := 1; i < len(parts); i++ {
				args = append(args, path.Join(j.paths.Home, path.Join(parts[:i]...)))
			}
		}
		args = append(args, "chown:"+m.Dest)
	}
	if j.spec.Container != nil {
		args = append(args, j.paths.ToolCache)
	}
	if err := j.agentOp(ctx, "0:0", nil, nil, args...); err != nil {
		return fmt.Errorf("could not prepare the job's directories: %w", err)
	}
	if srv, err := j.startServer(ctx); err == nil {
		j.srv = srv
	}
	return nil
}

// resolveUser turns the job's user into numbers, reading the image's
// /etc/passwd and /etc/group for names.
func (j *job) resolveUser(ctx context.Context) (int, int, error) {
	u, g, hasGroup := strings.Cut(j.user, ":")
	uid, err := strconv.Atoi(u)
	if err != nil {
		data, rerr := j.ctr.ReadFile(ctx, gwclient.ReadContainerRequest{ReadRequest: gwclient.ReadRequest{Filename: "/etc/passwd"}})
		if rerr != nil {
			return 0, 0, fmt.Errorf("could not read the image's /etc/passwd to find user %q: %w", u, rerr)
		}
		found := false
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) >= 4 && f[0] == u {
				uid, _ = strconv.Atoi(f[2])
				if !hasGroup {
					g = f[3]
				}
				found = true
				break
			}
		}
		if !found {
			return 0, 0, fmt.Errorf("user %q is not in the image's /etc/passwd", u)
		}
	}
	if g == "" {
		g = strconv.Itoa(uid)
	}
	gid, err := strconv.Atoi(g)
	if err != nil {
		data, rerr := j.ctr.ReadFile(ctx, gwclient.ReadContainerRequest{ReadRequest: gwclient.ReadRequest{Filename: "/etc/group"}})
		if rerr != nil {
			return 0, 0, fmt.Errorf("could not read the image's /etc/group to find group %q: %w", g, rerr)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) >= 3 && f[0] == g {
				gid, _ = strconv.Atoi(f[2])
				return uid, gid, nil
			}
		}
		return 0, 0, fmt.Errorf("group %q is not in the image's /etc/group", g)
	}
	return uid, gid, nil
}

func (j *job) Platform() executor.Platform {
	return executor.Platform{OS: "Linux", Arch: executor.HostPlatform().Arch}
}

func (j *job) Paths() executor.Paths { return j.paths }

func (j *job) Env() map[string]string {
	out := make(map[string]string, len(j.env))
	for k, v := range j.env {
		out[k] = v
	}
	return out
}

func (j *job) Info() executor.Info {
	return executor.Info{
		Executor: "container", Builder: j.e.opts.Address, Image: j.image,
		Environment: "github-hosted", ImageOS: j.osRelease.ImageOS(),
		ToolProblems: j.toolProblems,
	}
}

func (j *job) HostPath(string) (string, bool) { return "", false }

// mountFor is the mount a path is in (the longest matching destination)
// and the path relative to it.
func (j *job) mountFor(p string) (int, string) {
	best, bestLen, rel := 0, 0, p
	for i, m := range j.mounts {
		if m.Dest == "/" || len(m.Dest) <= bestLen {
			continue
		}
		if p == m.Dest || strings.HasPrefix(p, m.Dest+"/") {
			best, bestLen, rel = i, len(m.Dest), "/"+strings.TrimPrefix(strings.TrimPrefix(p, m.Dest), "/")
		}
	}
	return best, rel
}

func (j *job) ReadFile(ctx context.Context, p string) ([]byte, error) {
	if err := j.flush(ctx); err != nil {
		return nil, err
	}
	return j.readFile(ctx, p)
}

// readFile reads without sending pending writes first.
func (j *job) readFile(ctx context.Context, p string) ([]byte, error) {
	idx, rel := j.mountFor(path.Clean(p))
	data, err := j.ctr.ReadFile(ctx, gwclient.ReadContainerRequest{ReadRequest: gwclient.ReadRequest{Filename: rel}, MountIndex: idx})
	if err != nil {
		return nil, notExist(p, err)
	}
	return data, nil
}

// notExist turns the gateway's "no such file" into fs.ErrNotExist.
func notExist(p string, err error) error {
	if strings.Contains(err.Error(), "no such file or directory") || strings.Contains(err.Error(), "not found") {
		return &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return err
}

func (j *job) WriteFile(_ context.Context, p string, data []byte, perm fs.FileMode) error {
	j.pendingMu.Lock()
	defer j.pendingMu.Unlock()
	if j.pending == nil {
		j.pending = map[string]pendingFile{}
	}
	j.pending[path.Clean(p)] = pendingFile{data: append([]byte(nil), data...), perm: perm}
	return nil
}

// takePending returns the pending writes as a tar stream (nil when none)
// and forgets them.
func (j *job) takePending() []byte {
	j.pendingMu.Lock()
	files := j.pending
	j.pending = nil
	j.pendingMu.Unlock()
	if len(files) == 0 {
		return nil
	}
	return pendingTar(files)
}

// flush sends pending writes into the container.
func (j *job) flush(ctx context.Context) error {
	tarData := j.takePending()
	if tarData == nil {
		return nil
	}
	return j.agentOp(ctx, j.user, bytes.NewReader(tarData), nil, "write")
}

func (j *job) ReadDir(ctx context.Context, p string) ([]fs.FileInfo, error) {
	if err := j.flush(ctx); err != nil {
		return nil, err
	}
	idx, rel := j.mountFor(path.Clean(p))
	list, err := j.ctr.ReadDir(ctx, gwclient.ReadDirContainerRequest{ReadDirRequest: gwclient.ReadDirRequest{Path: rel}, MountIndex: idx})
	if err != nil {
		return nil, notExist(p, err)
	}
	out := make([]fs.FileInfo, 0, len(list))
	for _, st := range list {
		out = append(out, statInfo{st})
	}
	return out, nil
}

func (j *job) LookPath(ctx context.Context, prog string, env []string) (string, error) {
	if strings.Contains(prog, "/") {
		return prog, nil
	}
	pathVar := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	for _, dir := range strings.Split(pathVar, ":") {
		if dir == "" || !strings.HasPrefix(dir, "/") {
			continue
		}
		p := path.Join(dir, prog)
		idx, rel := j.mountFor(p)
		st, err := j.ctr.StatFile(ctx, gwclient.StatContainerRequest{StatRequest: gwclient.StatRequest{Path: rel}, MountIndex: idx})
		if err != nil {
			continue
		}
		mode := fs.FileMode(st.Mode)
		if mode&fs.ModeSymlink != 0 || (!mode.IsDir() && mode&0o111 != 0) {
			return p, nil
		}
	}
	return "", errors.New("not found on the step's PATH")
}

func (j *job) Exec(ctx context.Context, p executor.Process) (int, error) {
	if len(p.Argv) == 0 {
		return -1, errors.New("no command to run")
	}
	dir := p.Dir
	if dir == "" {
		dir = j.paths.Workspace
	}
	if j.srv != nil && p.Stdin == nil {
		st, err := j.srv.exec(ctx, j.serveRequest(p, dir), p.Stdout, p.Stderr, j.e.opts.SigtermAfter+j.e.opts.SigkillAfter+5*time.Second)
		if err != nil {
			return -1, err
		}
		return exitOf(st, p.Argv[0], dir)
	}
	args := []string{"exec", "--dir", dir,
		"--sigterm-after", j.e.opts.SigtermAfter.String(), "--sigkill-after", j.e.opts.SigkillAfter.String()}
	stdin := p.Stdin
	if stdin == nil {
		if tarData := j.takePending(); tarData != nil {
			args = append(args, "--files")
			stdin = bytes.NewReader(tarData)
		}
	} else if err := j.flush(ctx); err != nil {
		return -1, err
	}
	args = append(append(args, "--"), p.Argv...)
	user := j.user
	if p.User == "root" {
		user = "0:0"
	}
	code, msg, err := j.agent(ctx, user, p.Env, stdin, p.Stdout, p.Stderr, args...)
	if err != nil {
		return -1, err
	}
	return exitOf(agent.ExitStatus{Code: code, Message: msg}, p.Argv[0], dir)
}

// exitOf is a process's outcome as Exec returns it.
func exitOf(st agent.ExitStatus, prog, dir string) (int, error) {
	if st.Code == -1 {
		if strings.HasPrefix(st.Message, "An error occurred trying to start process") {
			return -1, &executor.NoWorkingDirError{Prog: prog, Dir: dir}
		}
		return -1, errors.New(st.Message)
	}
	return st.Code, nil
}

// agentOp runs an agent operation (not exec) and fails with its error.
func (j *job) agentOp(ctx context.Context, user string, stdin io.Reader, stdout io.Writer, args ...string) error {
	var stderr bytes.Buffer
	code, msg, err := j.agent(ctx, user, []string{"PATH=" + defaultPath}, stdin, stdout, &stderr, args...)
	if err != nil {
		return err
	}
	if code != 0 {
		if msg == "" {
			msg = strings.TrimSpace(stderr.String())
		}
		return fmt.Errorf("%s: %s", args[0], msg)
	}
	return nil
}

// agent starts the agent with args, waits for it and reads its outcome:
// the exit code it recorded and the message of a failure. Cancelling ctx
// signals the agent, which stops what it runs as the runner does; the
// container itself keeps running.
func (j *job) agent(ctx context.Context, user string, env []string, stdin io.Reader, stdout, stderr io.Writer, args ...string) (int, string, error) {
	status := fmt.Sprintf("%s/status-%d", statusDir, j.seq.Add(1))
	argv := append([]string{agentPath, agent.Command, "--status", status}, args...)
	req := gwclient.StartRequest{Args: argv, Env: env, User: user, Cwd: "/",
		Stdout: nopWriteCloser{orDiscard(stdout)}, Stderr: nopWriteCloser{orDiscard(stderr)}}
	if stdin != nil {
		req.Stdin = io.NopCloser(stdin)
	}
	// The process outlives a cancelled ctx: it is stopped by signal, so
	// that the container survives.
	proc, err := j.ctr.Start(context.WithoutCancel(ctx), req)
	if err != nil {
		return -1, "", fmt.Errorf("could not start a process in the job's container: %w", err)
	}
	waited := make(chan error, 1)
	go func() { waited <- proc.Wait() }()
	var werr error
	select {
	case werr = <-waited:
	case <-ctx.Done():
		_ = proc.Signal(context.WithoutCancel(ctx), syscall.SIGINT)
		grace := j.e.opts.SigtermAfter + j.e.opts.SigkillAfter + 5*time.Second
		select {
		case werr = <-waited:
		case <-time.After(grace):
			return -1, "", fmt.Errorf("stopped: %w (the process did not end after SIGKILL)", context.Cause(ctx))
		}
	}
	if werr != nil {
		return -1, "", fmt.Errorf("the job's container failed: %w", werr)
	}
	data, err := j.readFile(context.WithoutCancel(ctx), status)
	if err != nil {
		return -1, "", fmt.Errorf("could not read the outcome of %s: %w", args[0], err)
	}
	line, msg, _ := strings.Cut(string(data), "\n")
	code, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		return -1, "", fmt.Errorf("bad outcome %q of %s", data, args[0])
	}
	if ctx.Err() != nil {
		return -1, "", fmt.Errorf("stopped: %w", context.Cause(ctx))
	}
	return code, msg, nil
}

func (j *job) Export(ctx context.Context, w io.Writer, paths []string) error {
	if err := j.flush(ctx); err != nil {
		return err
	}
	return j.agentOp(ctx, "0:0", nil, w, append([]string{"export"}, paths...)...)
}

func (j *job) Import(ctx context.Context, r io.Reader, dir string) error {
	if err := j.flush(ctx); err != nil {
		return err
	}
	return j.agentOp(ctx, j.user, r, nil, "import", dir)
}

func (j *job) RemoveAll(ctx context.Context, p string) error {
	if err := j.flush(ctx); err != nil {
		return err
	}
	return j.agentOp(ctx, j.user, nil, nil, "rm", p)
}

func (j *job) HashFiles(ctx context.Context, patterns []string) (string, error) {
	if err := j.flush(ctx); err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := j.agentOp(ctx, j.user, nil, &out, append([]string{"hashfiles", j.paths.Workspace}, patterns...)...); err != nil {
		return "", err
	}
	return strings.TrimSpace(out.String()), nil
}

// Close releases the container: every process of the job ends with it,
// and its writable snapshot is discarded.
func (j *job) Close(ctx context.Context) error {
	var err error
	j.closeOnce.Do(func() {
		if j.srv != nil {
			j.srv.close()
		}
		err = j.ctr.Release(ctx)
		if releaseStoppedInit(err) {
			err = nil
		}
		j.e.end(j.session)
	})
	return err
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}
