package builder

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxSocketPath is the longest path a unix socket address takes on Linux
// (sun_path is 108 bytes with its terminating NUL).
const maxSocketPath = 107

// startNative starts buildkitd (under rootlesskit when not root),
// detached in its own session with its output in the log, and waits until
// it answers.
func startNative(ctx context.Context, o resolved, p plan) (*Daemon, error) {
	l := o.l
	if len(l.socket()) > maxSocketPath {
		return nil, fmt.Errorf("the builder's socket path %q is longer than the %d bytes a unix socket allows: set REHEARSE_STATE_DIR to a shorter directory", l.socket(), maxSocketPath)
	}
	snapshotter := "auto" // rootless: buildkitd tests overlayfs inside its user namespace
	if p.kind == KindNative {
		snapshotter = "native"
		if overlayWorks(l.dir) {
			snapshotter = "overlayfs"
		}
	}
	cfg := configFor(o, p.kind, p.runc).render()
	if err := writeFileAtomic(l.config(), cfg, 0o644); err != nil {
		return nil, err
	}
	args := []string{p.buildkitd,
		"--root", l.root(),
		"--addr", "unix://" + l.socket(),
		"--config", l.config(),
		"--oci-worker=true", "--containerd-worker=false",
		"--oci-worker-snapshotter=" + snapshotter,
		"--oci-worker-net=host",
	}
	if p.kind == KindRootless {
		// BuildKit's rootless mode: `rootlesskit buildkitd`; its default
		// network is the host's, which --oci-worker-net=host asks for too.
		// Its own state directory goes next to ours rather than in $TMPDIR.
		args = append([]string{p.rootlesskit, "--state-dir", l.rootlesskitState()}, args...)
	}
	logf, err := os.OpenFile(l.log(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("could not open the builder log %q: %w", l.log(), err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "\n--- %s rehearse starts: %s\n", time.Now().Format(time.RFC3339), strings.Join(args, " "))
	// Not CommandContext: the daemon outlives this run on purpose.
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = l.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("could not start %s: %w", args[0], err)
	}
	pid := cmd.Process.Pid
	exited := make(chan error, 1)
	// Reap it if it exits while this process lives (a failed start, or a
	// Stop from this same process); otherwise init adopts it.
	go func() { exited <- cmd.Wait() }()
	if err := writeFileAtomic(l.pidFile(), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		_ = cmd.Process.Kill()
		return nil, err
	}
	addr := Address{Addr: "unix://" + l.socket()}
	deadline := time.Now().Add(o.StartTimeout)
	for {
		select {
		case err := <-exited:
			_ = os.Remove(l.pidFile())
			return nil, fmt.Errorf("%s exited as it started (%v):\n%s\nfull log: %s", filepath.Base(args[0]), err, indent(logTail(l.log(), 8)), l.log())
		default:
		}
		c, info, err := connect(ctx, addr, time.Second)
		if err == nil {
			c.Close()
			d := &Daemon{Kind: p.kind, Address: addr, Version: info.BuildkitVersion.Version, PID: pid, Dir: l.dir, Log: l.log()}
			werr := l.writeRecord(record{Kind: p.kind, Address: addr.Addr, PID: pid, Version: d.Version, Started: time.Now()})
			return d, werr
		}
		if ctx.Err() != nil {
			// Left to come up on its own: the next Start finds it by its
			// socket and pid file.
			return nil, context.Cause(ctx)
		}
		if time.Now().After(deadline) {
			_, _ = terminate(ctx, pid, l.socket(), 5*time.Second)
			return nil, fmt.Errorf("%s did not answer within %s:\n%s\nfull log: %s", filepath.Base(args[0]), o.StartTimeout, indent(logTail(l.log(), 8)), l.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stopNative stops the daemon of the pid file, if it is ours and runs,
// and removes what it leaves: pid file, socket, mounts.
func stopNative(ctx context.Context, o resolved) (*Stopped, error) {
	l := o.l
	st := &Stopped{}
	pid, err := readPID(l.pidFile())
	if err != nil {
		return nil, err
	}
	if pid == 0 || !isOurs(pid, l.socket()) {
		// No pid file, or a stale one: a daemon may still serve the socket
		// (one whose start was interrupted before its pid was written).
		pid = findBySocket(l.socket())
	}
	if pid > 0 {
		st.Kind, st.WasRunning, st.PID = KindNative, true, pid
		killed, err := terminate(ctx, pid, l.socket(), o.StopTimeout)
		st.Killed = killed
		if err != nil {
			return st, err
		}
	}
	n, err := unmountUnder(l.dir)
	st.Unmounted = n
	if err != nil {
		return st, err
	}
	for _, f := range []string{l.pidFile(), l.socket(), l.otel()} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return st, fmt.Errorf("could not remove %q: %w", f, err)
		}
	}
	return st, nil
}

// cleanStale is Start's cleanup before a new daemon: a daemon of ours that
// runs without answering is stopped, and a stale pid file and socket (after
// a crash or a reboot) are removed.
func cleanStale(ctx context.Context, o resolved) error {
	_, err := stopNative(ctx, o)
	return err
}

// terminate sends SIGTERM, waits up to timeout, then SIGKILLs the process
// group (buildkitd and the runc processes it started). It reports whether
// SIGKILL was needed.
func terminate(ctx context.Context, pid int, socket string, timeout time.Duration) (killed bool, err error) {
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return false, fmt.Errorf("could not stop the builder (pid %d): %w", pid, err)
	}
	if waitGone(ctx, pid, timeout) {
		return false, nil
	}
	// setsid made it the leader of its own process group.
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	_ = syscall.Kill(pid, syscall.SIGKILL)
	if waitGone(ctx, pid, 5*time.Second) {
		return true, nil
	}
	return true, fmt.Errorf("the builder (pid %d, %s) did not exit after SIGKILL: check it with `ps -p %d`", pid, socket, pid)
}

// waitGone polls until pid has exited or timeout passes.
func waitGone(ctx context.Context, pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if !pidAlive(pid) {
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pidAlive reports whether pid runs. A zombie (exited, not yet reaped by
// its parent) does not count.
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist)
	}
	// The state follows the command name, which is in parentheses and may
	// itself hold parentheses.
	if i := bytes.LastIndexByte(data, ')'); i >= 0 && i+2 < len(data) {
		return data[i+2] != 'Z'
	}
	return true
}

// isOurs reports whether pid is a running buildkitd (or rootlesskit) that
// serves socket, so that a pid reused by another program after a crash or
// reboot is never signalled.
func isOurs(pid int, socket string) bool {
	if !pidAlive(pid) {
		return false
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return false
	}
	return slices.Contains(strings.Split(string(data), "\x00"), "unix://"+socket)
}

// findBySocket returns the process serving socket, found by its command
// line, or 0 when none does. Under rootlesskit several processes carry the
// address; the outermost (whose parent is not one of them) is the one to
// signal.
func findBySocket(socket string) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	found := map[int]bool{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if isOurs(pid, socket) {
			found[pid] = true
		}
	}
	for pid := range found {
		if !found[parentPID(pid)] {
			return pid
		}
	}
	return 0
}

// parentPID reads the parent of pid from /proc; 0 when unknown.
func parentPID(pid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}

// overlayWorks tries an overlay mount in dir, on the file system where the
// daemon's root will be: the overlayfs snapshotter needs it, and is ten
// times faster than the native one when it works.
func overlayWorks(dir string) bool {
	t, err := os.MkdirTemp(dir, "overlay-test-")
	if err != nil {
		return false
	}
	defer os.RemoveAll(t)
	sub := map[string]string{}
	for _, n := range []string{"lower", "upper", "work", "merged"} {
		sub[n] = filepath.Join(t, n)
		if err := os.Mkdir(sub[n], 0o755); err != nil {
			return false
		}
	}
	opts := "lowerdir=" + sub["lower"] + ",upperdir=" + sub["upper"] + ",workdir=" + sub["work"]
	if err := syscall.Mount("overlay", sub["merged"], "overlay", 0, opts); err != nil {
		return false
	}
	_ = syscall.Unmount(sub["merged"], 0)
	return true
}

// unmountUnder removes mounts below dir that a killed daemon left behind
// (a daemon stopped with SIGTERM leaves none), deepest first. Only root can
// see and remove them; a rootless daemon's mounts vanish with its
// namespace.
func unmountUnder(dir string) (int, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return 0, nil
	}
	defer f.Close()
	var points []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if strings.HasPrefix(mp, dir+string(filepath.Separator)) {
			points = append(points, mp)
		}
	}
	slices.SortFunc(points, func(a, b string) int { return len(b) - len(a) })
	n := 0
	for _, mp := range points {
		if err := syscall.Unmount(mp, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
			return n, fmt.Errorf("could not unmount %q, left by the builder: %w (try `umount -l %s` as root)", mp, err, mp)
		}
		n++
	}
	return n, nil
}

// indent prefixes each line of s for an error message.
func indent(s string) string {
	if s == "" {
		return "  (the log is empty)"
	}
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
