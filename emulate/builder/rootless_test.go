//go:build linux

package builder

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// rootlessUser is the unprivileged user TestRootless creates.
const rootlessUser = "rehearse-rootless-test"

// envRootlessHelper tells the test binary, run as that user, to run
// TestRootlessHelper in the directory it names.
const envRootlessHelper = "REHEARSE_ROOTLESS_HELPER"

// TestRootless starts, asks and stops the private daemon as an unprivileged
// user (created here, with subordinate ids), which runs it under
// rootlesskit: the test binary runs itself as that user.
func TestRootless(t *testing.T) {
	slow(t)
	if os.Geteuid() != 0 {
		buildkittest.Unavailable(t, "the rootless test creates a user, which needs root")
	}
	for _, f := range []string{"/proc/sys/user/max_user_namespaces", "/proc/sys/kernel/unprivileged_userns_clone"} {
		if data, err := os.ReadFile(f); err == nil && strings.TrimSpace(string(data)) == "0" {
			buildkittest.Unavailable(t, "rootless mode cannot run here: unprivileged user namespaces are disabled ("+f+" is 0)")
		}
	}
	for _, p := range []string{"useradd", "userdel", "usermod", "rootlesskit", "newuidmap", "newgidmap"} {
		if _, err := exec.LookPath(p); err != nil {
			buildkittest.Unavailable(t, fmt.Sprintf("rootless mode needs %s (apt-get install passwd rootlesskit uidmap)", p))
		}
	}
	needRootDaemon(t)
	u := ensureUser(t)
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)

	// Everything the user runs must be readable by it: the test binary and
	// buildkitd are copied out of root's directories.
	dir, err := os.MkdirTemp("", "rehearse-rootless-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	testBin, bkd := filepath.Join(dir, "builder.test"), filepath.Join(dir, "buildkitd")
	copyFile(t, self, testBin)
	copyFile(t, buildkitdPath(t), bkd)
	state := filepath.Join(dir, "state")
	if err := os.Mkdir(state, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(state, uid, gid); err != nil {
		t.Fatal(err)
	}

	cmd := exec.CommandContext(t.Context(), testBin, "-test.run=^TestRootlessHelper$", "-test.v", "-test.count=1")
	cmd.Dir = state
	// An ordinary login's environment: no /usr/sbin on PATH (runc is
	// there on Debian), no XDG_RUNTIME_DIR (no systemd session).
	cmd.Env = []string{"HOME=" + u.HomeDir, "USER=" + u.Username, "LOGNAME=" + u.Username,
		"PATH=/usr/local/bin:/usr/bin:/bin", envRootlessHelper + "=" + state, EnvBuildkitd + "=" + bkd}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("as %s (uid %d), %s:\n%s", u.Username, uid, time.Since(start).Round(time.Millisecond), out)
	if left := processesOf(uid); len(left) > 0 {
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		t.Errorf("processes of %s left running: %v", u.Username, left)
	}
	if err != nil {
		t.Fatalf("rootless start, status and stop failed: %v", err)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestRootlessHelper")) {
		t.Fatal("the helper did not run (skipped?)")
	}
}

// TestRootlessHelper is TestRootless's part run as the unprivileged user.
func TestRootlessHelper(t *testing.T) {
	state := os.Getenv(envRootlessHelper)
	if state == "" {
		t.Skip("run by TestRootless as an unprivileged user")
	}
	opts := Options{Dir: filepath.Join(state, "buildkit")}
	t.Cleanup(func() { _, _ = Stop(t.Context(), opts) })
	start := time.Now()
	d, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %s: %s", time.Since(start).Round(time.Millisecond), d)
	if d.Kind != KindRootless || d.PID == 0 {
		t.Fatalf("Start = %+v; want a rootless daemon", d)
	}
	if cmdline := readCmdline(t, d.PID); !strings.HasSuffix(cmdline[0], "rootlesskit") {
		t.Errorf("pid %d is %q; want rootlesskit", d.PID, cmdline)
	}
	st, err := PrivateStatus(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	st.Print(&b)
	t.Logf("status:\n%s", b.String())
	if !st.Answers || len(st.Workers) != 1 || st.Private.Kind != KindRootless {
		t.Fatalf("status = %+v; want the rootless daemon answering", st)
	}
	again, err := Start(t.Context(), opts)
	if err != nil || !again.Reused || again.PID != d.PID {
		t.Errorf("second Start = %+v, %v; want it reused", again, err)
	}
	stopped, err := Stop(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped: %+v", stopped)
	if !stopped.WasRunning || stopped.Killed || stopped.Kind != KindRootless {
		t.Errorf("Stop = %+v; want the rootless daemon stopped by SIGTERM", stopped)
	}
	if pidAlive(d.PID) {
		t.Errorf("rootlesskit (pid %d) still runs", d.PID)
	}
	if pid := findBySocket(filepath.Join(opts.Dir, "buildkitd.sock")); pid != 0 {
		t.Errorf("pid %d still serves the socket", pid)
	}

	// A crash (kill -9 of rootlesskit) leaves its state directory, pid
	// file and socket behind; the next Start copes.
	d, err = Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(d.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !waitGone(t.Context(), d.PID, 5*time.Second) {
		t.Fatal("rootlesskit survived SIGKILL")
	}
	d2, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start after a crash: %v", err)
	}
	if d2.Reused || d2.PID == d.PID {
		t.Errorf("Start after a crash = %+v; want a new daemon", d2)
	}
	if _, err := Stop(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
}

// rootlessUID is the test user's uid, unused by the system and by jobs.
const rootlessUID = "4317"

// ensureUser creates the test user with subordinate ids, removed when the
// test ends, unless it exists already (then it is left as found).
func ensureUser(t *testing.T) *user.User {
	t.Helper()
	if u, err := user.Lookup(rootlessUser); err == nil {
		addSubIDs(t)
		return u
	}
	// A uid of its own: 1001, useradd's first choice here, is the uid
	// container jobs run as (runner), whose processes the leftover check
	// would take for this user's.
	if out, err := exec.Command("useradd", "--create-home", "--shell", "/bin/sh", "--uid", rootlessUID, rootlessUser).CombinedOutput(); err != nil {
		t.Fatalf("useradd: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("userdel", "--remove", rootlessUser).CombinedOutput(); err != nil {
			t.Logf("userdel: %v\n%s", err, out)
		}
	})
	addSubIDs(t)
	u, err := user.Lookup(rootlessUser)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// addSubIDs gives the test user subordinate ids when useradd did not.
func addSubIDs(t *testing.T) {
	t.Helper()
	for _, f := range []struct{ file, flag string }{{"/etc/subuid", "--add-subuids"}, {"/etc/subgid", "--add-subgids"}} {
		data, _ := os.ReadFile(f.file)
		if bytes.Contains(data, []byte("\n"+rootlessUser+":")) || bytes.HasPrefix(data, []byte(rootlessUser+":")) {
			continue
		}
		if out, err := exec.Command("usermod", f.flag, "1100000-1165535", rootlessUser).CombinedOutput(); err != nil {
			t.Fatalf("usermod %s: %v\n%s", f.flag, err, out)
		}
	}
}

// processesOf lists the processes of uid.
func processesOf(uid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+e.Name(), &st) == nil && int(st.Uid) == uid && pidAlive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
