//go:build linux

package builder

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPrivateLifecycle starts the private daemon in a temporary state
// directory, asks its status, starts it again (reused), stops it (no
// process, socket or mount left), and recovers from a crash (kill -9).
func TestPrivateLifecycle(t *testing.T) {
	slow(t)
	needRootDaemon(t)
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "buildkit")
	opts := Options{Dir: dir, Buildkitd: buildkitdPath(t), InsecureRegistries: []string{"127.0.0.1:5000"}}
	t.Cleanup(func() { _, _ = Stop(t.Context(), opts) })

	start := time.Now()
	d, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %s: %s", time.Since(start), d)
	if d.Reused || d.Kind != KindNative || d.PID == 0 || d.Address.Addr != "unix://"+filepath.Join(dir, "buildkitd.sock") {
		t.Fatalf("Start = %+v; want a new native daemon on the directory's socket", d)
	}
	cmdline := readCmdline(t, d.PID)
	for _, want := range []string{"--oci-worker-net=host", "--oci-worker-snapshotter=overlayfs", "--containerd-worker=false", "--root", filepath.Join(dir, "root")} {
		if !slices.Contains(cmdline, want) {
			t.Errorf("buildkitd command line %q lacks %q", cmdline, want)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "buildkitd.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(cfg, []byte("[registry.\"127.0.0.1:5000\"]\n  http = true")) {
		t.Errorf("buildkitd.toml lacks the insecure registry:\n%s", cfg)
	}
	if sid := sessionOf(t, d.PID); sid != d.PID {
		t.Errorf("buildkitd's session is %d; want its own (%d), detached from rehearse", sid, d.PID)
	}

	st, err := PrivateStatus(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Answers || st.Version.Version != Version() || len(st.Workers) != 1 || st.Private.PID != d.PID {
		t.Fatalf("PrivateStatus = %+v, %+v; want an answer from BuildKit %s with one worker", st, st.Private, Version())
	}
	w := st.Workers[0]
	if w.Snapshotter != "overlayfs" || w.Network != "host" || w.Executor != "oci" || !slices.Contains(w.Platforms, "linux/amd64") && !slices.Contains(w.Platforms, "linux/arm64") {
		t.Errorf("worker = %+v; want oci, overlayfs, host network, this machine's platform", w)
	}
	var out bytes.Buffer
	st.Print(&out)
	t.Logf("status:\n%s", out.String())
	for _, want := range []string{"builder:   unix://" + dir, "(private builder: buildkitd, pid " + strconv.Itoa(d.PID), "status:    answers", "buildkit:  " + Version(),
		"snapshotter overlayfs, network host", "disk use:", "log:       " + filepath.Join(dir, "buildkitd.log")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status output lacks %q", want)
		}
	}

	again, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Reused || again.PID != d.PID || again.ConfigOutdated {
		t.Errorf("second Start = %+v; want the first daemon reused, config current", again)
	}
	other := opts
	other.InsecureRegistries = []string{"registry.local:5000"}
	if o, err := Start(t.Context(), other); err != nil || !o.Reused || !o.ConfigOutdated {
		t.Errorf("Start with other registries = %+v, %v; want reused and ConfigOutdated", o, err)
	}

	stopped, err := Stop(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !stopped.WasRunning || stopped.PID != d.PID || stopped.Killed {
		t.Errorf("Stop = %+v; want pid %d stopped by SIGTERM", stopped, d.PID)
	}
	assertGone(t, dir, d.PID)
	if st, _ := PrivateStatus(t.Context(), opts); st.Answers {
		t.Error("status answers after Stop")
	}
	if s2, err := Stop(t.Context(), opts); err != nil || s2.WasRunning {
		t.Errorf("second Stop = %+v, %v; want nothing to stop", s2, err)
	}

	// A crash: the pid file and socket stay behind.
	d, err = Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(d.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !waitGone(t.Context(), d.PID, 5*time.Second) {
		t.Fatal("buildkitd survived SIGKILL")
	}
	if _, err := os.Stat(filepath.Join(dir, "buildkitd.pid")); err != nil {
		t.Fatalf("the crash should have left the pid file: %v", err)
	}
	start = time.Now()
	d2, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restarted after a crash in %s", time.Since(start))
	if d2.Reused || d2.PID == d.PID {
		t.Errorf("Start after a crash = %+v; want a new daemon", d2)
	}
	if _, err := Stop(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	assertGone(t, dir, d2.PID)
}

// assertGone checks that nothing of the daemon is left: process, socket,
// pid file, mounts.
func assertGone(t *testing.T, dir string, pid int) {
	t.Helper()
	if pidAlive(pid) {
		t.Errorf("pid %d still runs", pid)
	}
	for _, f := range []string{"buildkitd.sock", "buildkitd.pid"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s is left behind (%v)", f, err)
		}
	}
	if m := mountsUnder(t, dir); len(m) > 0 {
		t.Errorf("mounts left under %s: %q", dir, m)
	}
}

// sessionOf reads the session id of pid from /proc.
func sessionOf(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	sid, _ := strconv.Atoi(f[3])
	return sid
}

func readCmdline(t *testing.T, pid int) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(data), "\x00"), "\x00")
}

// TestStopKillsAfterTimeout checks the SIGKILL path with a process that
// ignores SIGTERM and carries the socket address in its command line, as
// a hung buildkitd would.
func TestStopKillsAfterTimeout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sock := filepath.Join(dir, "buildkitd.sock")
	cmd := exec.Command("sh", "-c", `trap '' TERM; while :; do sleep 0.05; done`, "buildkitd", "--addr", "unix://"+sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait() }()
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	if err := os.WriteFile(filepath.Join(dir, "buildkitd.pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let sh install its trap
	st, err := Stop(t.Context(), Options{Dir: dir, StopTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !st.WasRunning || !st.Killed || st.PID != cmd.Process.Pid {
		t.Errorf("Stop = %+v; want pid %d killed after the timeout", st, cmd.Process.Pid)
	}
	if pidAlive(cmd.Process.Pid) {
		t.Error("the process survived Stop")
	}
}

// TestStopIgnoresAReusedPID checks that a pid file naming another program
// (the pid was reused after a reboot) is cleaned, and that program left
// alone.
func TestStopIgnoresAReusedPID(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if err := os.WriteFile(filepath.Join(dir, "buildkitd.pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Stop(t.Context(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if st.WasRunning {
		t.Errorf("Stop = %+v; want nothing stopped", st)
	}
	if !pidAlive(cmd.Process.Pid) {
		t.Error("Stop killed a program that is not the builder")
	}
	if _, err := os.Stat(filepath.Join(dir, "buildkitd.pid")); !os.IsNotExist(err) {
		t.Errorf("the stale pid file is left (%v)", err)
	}
}
