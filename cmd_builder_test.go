package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// runBuilder runs `rehearse builder ARGS...` in this process.
func runBuilder(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &Command{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Ctx: t.Context()}
	code = c.Main(append([]string{"rehearse", "builder"}, args...))
	return code, out.String(), errOut.String()
}

func TestBuilderUsage(t *testing.T) {
	t.Setenv("REHEARSE_STATE_DIR", t.TempDir())
	tests := []struct {
		what string
		args []string
		want string
	}{
		{"no action", nil, "builder takes one action: start, stop, status or ls"},
		{"unknown action", []string{"restart"}, `unknown builder action "restart": expected start, stop, status or ls`},
		{"two actions", []string{"start", "stop"}, "builder takes one action"},
		{"--builder with start", []string{"start", "--builder", "tcp://h:1"}, "builder start acts on rehearse's own builder"},
		{"--builder with stop", []string{"stop", "--builder", "tcp://h:1"}, "builder stop acts on rehearse's own builder"},
		{"registry with status", []string{"status", "--insecure-registry", "127.0.0.1:5000"}, "--insecure-registry applies to `rehearse builder start`"},
		{"malformed registry", []string{"start", "--insecure-registry", "http://127.0.0.1:5000"}, "without scheme or path"},
		{"malformed address", []string{"status", "--builder", "/run/buildkit/buildkitd.sock"}, "did you mean unix:///run/buildkit/buildkitd.sock?"},
		{"TLS without an address", []string{"status", "--builder-tls-ca", "ca.pem"}, "go with a tcp:// --builder"},
		{"unknown flag", []string{"status", "--frob"}, "unknown flag: --frob"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			code, out, errOut := runBuilder(t, tc.args...)
			if code != ExitInvalid || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q (stdout %q); want exit %d and %q", code, errOut, out, ExitInvalid, tc.want)
			}
		})
	}
}

func TestBuilderStatusOfAddress(t *testing.T) {
	addr := buildkittest.Addr(t)
	code, out, errOut := runBuilder(t, "status", "--builder", addr)
	if code != ExitSuccess || !strings.Contains(out, "status:    answers") || !strings.Contains(out, "(--builder)") {
		t.Errorf("status --builder %s: exit %d\n%s%s", addr, code, out, errOut)
	}
	down := "unix://" + filepath.Join(t.TempDir(), "none.sock")
	code, out, _ = runBuilder(t, "status", "--builder", down)
	if code != ExitFailure || !strings.Contains(out, "could not reach BuildKit at "+down) {
		t.Errorf("status of a daemon that is not there: exit %d, want %d\n%s", code, ExitFailure, out)
	}
	t.Setenv("BUILDKIT_HOST", addr)
	code, out, _ = runBuilder(t, "status")
	if code != ExitSuccess || !strings.Contains(out, "(BUILDKIT_HOST)") {
		t.Errorf("status with BUILDKIT_HOST: exit %d\n%s", code, out)
	}
}

// TestBuilderStartStop runs start, status and stop of the private builder
// in a temporary state directory.
func TestBuilderStartStop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a daemon: skipped with -short")
	}
	if os.Geteuid() != 0 {
		buildkittest.Unavailable(t, "starting buildkitd needs root")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		buildkittest.Unavailable(t, "runc is not installed")
	}
	bin, err := buildkittest.Buildkitd()
	if err != nil {
		buildkittest.Unavailable(t, err.Error())
	}
	state := t.TempDir()
	t.Setenv("REHEARSE_STATE_DIR", state)
	t.Setenv("REHEARSE_BUILDKITD", bin)
	t.Setenv("BUILDKIT_HOST", "")
	t.Cleanup(func() { runBuilder(t, "stop") })
	sock := filepath.Join(state, "buildkit", "buildkitd.sock")

	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"status"}, ExitFailure, "status:    not running"},
		{[]string{"start", "--insecure-registry", "127.0.0.1:5000"}, ExitSuccess, "builder started: unix://" + sock},
		{[]string{"start"}, ExitSuccess, "builder already running: unix://" + sock},
		{[]string{"status"}, ExitSuccess, "status:    answers"},
		{[]string{"stop"}, ExitSuccess, "builder stopped (buildkitd pid "},
		{[]string{"stop"}, ExitSuccess, "builder was not running"},
		{[]string{"status"}, ExitFailure, "not running"},
	}
	for _, s := range steps {
		code, out, errOut := runBuilder(t, s.args...)
		t.Logf("rehearse builder %s -> %d\n%s%s", strings.Join(s.args, " "), code, out, errOut)
		if code != s.code || !strings.Contains(out, s.want) {
			t.Fatalf("rehearse builder %s: exit %d, want %d and %q", strings.Join(s.args, " "), code, s.code, s.want)
		}
	}
}
