package builder

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// slow skips a test that starts daemons under `go test -short`.
func slow(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a daemon: skipped with -short")
	}
}

// sharedSocket is the shared test daemon's socket path.
func sharedSocket(t *testing.T) string {
	t.Helper()
	addr := buildkittest.Addr(t)
	sock, ok := strings.CutPrefix(addr, "unix://")
	if !ok {
		t.Skipf("the shared test daemon is at %s, not on a unix socket these tests can dial through a stand-in", addr)
	}
	return sock
}

// buildctlPath is the buildctl binary the stand-ins run.
func buildctlPath(t *testing.T) string {
	t.Helper()
	p, err := buildkittest.Buildctl()
	if err != nil {
		buildkittest.Unavailable(t, err.Error())
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// buildkitdPath is the buildkitd binary tests start.
func buildkitdPath(t *testing.T) string {
	t.Helper()
	p, err := buildkittest.Buildkitd()
	if err != nil {
		buildkittest.Unavailable(t, err.Error())
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// needRootDaemon skips unless this machine can start buildkitd as root.
func needRootDaemon(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		buildkittest.Unavailable(t, "starting buildkitd needs root")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		buildkittest.Unavailable(t, "runc is not installed (apt-get install runc)")
	}
}

// writeScript writes an executable shell script.
func writeScript(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// prependPath puts dir first on PATH for the test.
func prependPath(t *testing.T, dir string) {
	t.Helper()
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// readLines reads a file of recorded arguments, one call per line.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitTCP waits until something accepts connections at addr.
func waitTCP(t *testing.T, addr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens at %s after %s: %v", addr, within, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mountsUnder lists the mount points in /proc/mounts below dir.
func mountsUnder(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/mounts")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.SplitSeq(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && strings.HasPrefix(unescapeMount(f[1]), dir+"/") {
			out = append(out, f[1])
		}
	}
	return out
}
