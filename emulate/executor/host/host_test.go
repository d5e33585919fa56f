package host_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
)

// stepPath is the PATH the tests give their processes; the test binary's
// own PATH must not matter.
const stepPath = "PATH=/usr/bin:/bin"

func skipUnlessLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc and POSIX process groups")
	}
}

// newJob starts a host job whose cancelled processes get grace after
// SIGINT before SIGTERM, and as much again before SIGKILL.
func newJob(t *testing.T, grace time.Duration) executor.Job {
	t.Helper()
	e := host.New()
	e.SigtermAfter, e.SigkillAfter = grace, grace
	j, err := e.StartJob(t.Context(), executor.JobSpec{Key: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close(context.Background()) })
	return j
}

func sh(script string) []string { return []string{"sh", "-c", script} }

func TestExecExitCode(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	tests := []struct {
		what   string
		script string
		want   int
	}{
		{"success", "exit 0", 0},
		{"failure", "exit 3", 3},
		{"highest exit status", "exit 255", 255},
		{"failing last command", "false", 1},
		// A process killed by a signal reports 128+signal, as bash and the
		// runner show it.
		{"killed by SIGTERM", "kill -TERM $$", 128 + 15},
		{"killed by SIGKILL", "kill -KILL $$", 128 + 9},
		{"killed by SIGINT", "kill -INT $$", 128 + 2},
	}
	j := newJob(t, time.Second)
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := j.Exec(t.Context(), executor.Process{Argv: sh(tc.script), Env: []string{stepPath}})
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("exit code = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestExecOutput(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	j := newJob(t, time.Second)
	t.Run("separate writers", func(t *testing.T) {
		t.Parallel()
		var stdout, stderr bytes.Buffer
		code, err := j.Exec(t.Context(), executor.Process{Argv: sh("echo out; echo err >&2; echo out2"), Env: []string{stepPath}, Stdout: &stdout, Stderr: &stderr})
		if err != nil || code != 0 {
			t.Fatalf("Exec = %d, %v", code, err)
		}
		if diff := cmp.Diff("out\nout2\n", stdout.String()); diff != "" {
			t.Errorf("stdout (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff("err\n", stderr.String()); diff != "" {
			t.Errorf("stderr (-want +got):\n%s", diff)
		}
	})
	t.Run("one writer keeps the order", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		code, err := j.Exec(t.Context(), executor.Process{Argv: sh("echo 1; echo 2 >&2; echo 3"), Env: []string{stepPath}, Stdout: &out, Stderr: &out})
		if err != nil || code != 0 {
			t.Fatalf("Exec = %d, %v", code, err)
		}
		if diff := cmp.Diff("1\n2\n3\n", out.String()); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
	})
	t.Run("nil writers discard", func(t *testing.T) {
		t.Parallel()
		code, err := j.Exec(t.Context(), executor.Process{Argv: sh("echo lost; exit 4"), Env: []string{stepPath}})
		if err != nil || code != 4 {
			t.Fatalf("Exec = %d, %v; want 4, nil", code, err)
		}
	})
}

// TestExecEnv: the process sees Process.Env and nothing else, not even the
// PWD that a shell would add.
func TestExecEnv(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	j := newJob(t, time.Second)
	env := []string{stepPath, "A=1", "B=two words", "EMPTY=", "MULTI=line1\nline2"}
	var out bytes.Buffer
	code, err := j.Exec(t.Context(), executor.Process{Argv: []string{"/usr/bin/env", "-0"}, Env: env, Dir: t.TempDir(), Stdout: &out, Stderr: &out})
	if err != nil || code != 0 {
		t.Fatalf("Exec = %d, %v\n%s", code, err, out.String())
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\x00"), "\x00")
	if diff := cmp.Diff(env, got); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
}

func TestExecDir(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	j := newJob(t, time.Second)
	dir := t.TempDir()
	var out bytes.Buffer
	code, err := j.Exec(t.Context(), executor.Process{Argv: []string{"pwd", "-P"}, Env: []string{stepPath}, Dir: dir, Stdout: &out})
	if err != nil || code != 0 {
		t.Fatalf("Exec = %d, %v", code, err)
	}
	want, _ := filepath.EvalSymlinks(dir)
	if got := strings.TrimSpace(out.String()); got != want {
		t.Errorf("working directory = %q, want %q", got, want)
	}
}

func TestExecStartErrors(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	tmp := t.TempDir()
	missingDir := filepath.Join(tmp, "missing")
	aFile := filepath.Join(tmp, "file")
	if err := os.WriteFile(aFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	emptyDir := t.TempDir()
	tests := []struct {
		what string
		p    executor.Process
		want string
	}{
		{"no argv", executor.Process{Env: []string{stepPath}}, "no command to run"},
		{
			// The runner's own message, so the log reads as on GitHub.
			"missing working directory",
			executor.Process{Argv: []string{"bash", "-e", "script.sh"}, Env: []string{stepPath}, Dir: missingDir},
			"An error occurred trying to start process 'bash' with working directory '" + missingDir + "'. No such file or directory",
		},
		{
			"working directory is a file",
			executor.Process{Argv: []string{"bash"}, Env: []string{stepPath}, Dir: aFile},
			"An error occurred trying to start process 'bash' with working directory '" + aFile + "'. No such file or directory",
		},
		{
			"program not on the step's PATH",
			executor.Process{Argv: []string{"no-such-program-rehearse"}, Env: []string{stepPath}},
			`could not start "no-such-program-rehearse": not found on the step's PATH`,
		},
		{
			// sh is on the test's PATH, but the step's PATH is what counts.
			"program only on the test's PATH",
			executor.Process{Argv: sh("exit 0"), Env: []string{"PATH=" + emptyDir}},
			`could not start "sh": not found on the step's PATH`,
		},
		{
			"no PATH at all",
			executor.Process{Argv: sh("exit 0"), Env: []string{"HOME=/"}},
			`could not start "sh": not found on the step's PATH`,
		},
		{
			"missing absolute path",
			executor.Process{Argv: []string{filepath.Join(tmp, "nope")}, Env: []string{stepPath}},
			`could not start "` + filepath.Join(tmp, "nope") + `": fork/exec ` + filepath.Join(tmp, "nope") + `: no such file or directory`,
		},
	}
	j := newJob(t, time.Second)
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			code, err := j.Exec(t.Context(), tc.p)
			if err == nil {
				t.Fatalf("Exec = %d, nil; want the error %q", code, tc.want)
			}
			if code != -1 {
				t.Errorf("exit code = %d, want -1 with an error", code)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExecStepPath: programs are looked up on Process.Env's PATH, in order,
// skipping files that are not executable and directories.
func TestExecStepPath(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	first, second := t.TempDir(), t.TempDir()
	write := func(path, content string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(first, "rehearse-tool"), "#!/bin/sh\nexit 5\n", 0o644) // not executable
	if err := os.Mkdir(filepath.Join(first, "rehearse-dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(second, "rehearse-tool"), "#!/bin/sh\nexit 7\n", 0o755)
	write(filepath.Join(second, "rehearse-dir"), "#!/bin/sh\nexit 8\n", 0o755)
	env := []string{"PATH=" + first + ":" + second + ":/usr/bin:/bin"}

	j := newJob(t, time.Second)
	for prog, want := range map[string]int{"rehearse-tool": 7, "rehearse-dir": 8} {
		code, err := j.Exec(t.Context(), executor.Process{Argv: []string{prog}, Env: env})
		if err != nil {
			t.Fatalf("%s: %v", prog, err)
		}
		if code != want {
			t.Errorf("%s: exit code = %d, want %d (the executable on the step's PATH)", prog, code, want)
		}
	}
	// LookPath, which callers use to resolve shells, agrees.
	got, err := host.LookPath("rehearse-tool", env)
	if err != nil || got != filepath.Join(second, "rehearse-tool") {
		t.Errorf("LookPath = %q, %v; want %q", got, err, filepath.Join(second, "rehearse-tool"))
	}
}

// readyScript starts two `sleep 300` children in the background (so they
// share the shell's process group), records their pids in dir/pids and the
// shell's in dir/leader, then waits for them.
func readyScript(dir, prelude string) string {
	return prelude + `
sleep 300 & echo $! >> '` + dir + `/pids'
sleep 300 & echo $! >> '` + dir + `/pids'
echo $$ > '` + dir + `/leader.tmp' && mv '` + dir + `/leader.tmp' '` + dir + `/leader'
wait`
}

// waitForFile polls for a file the script writes once its children run.
func waitForFile(t *testing.T, path string) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return pids(t, string(b))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s did not appear", path)
	return nil
}

func pids(t *testing.T, s string) []int {
	t.Helper()
	var out []int
	for f := range strings.FieldsSeq(s) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// alive lists the live processes (not zombies, which are dead but not
// yet reaped by init) among pids and in the process group pgid.
func alive(pgid int, pids []int) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parens.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) < 3 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		pgrp, _ := strconv.Atoi(fields[2])
		if pgrp == pgid || slices.Contains(pids, pid) {
			out = append(out, s)
		}
	}
	return out
}

// requireAllDead waits briefly for signalled processes to finish dying,
// then fails if any still runs. Survivors are killed so a failing test
// does not leave 300-second sleeps behind.
func requireAllDead(t *testing.T, pgid int, children []int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	var live []string
	for time.Now().Before(deadline) {
		if live = alive(pgid, children); len(live) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, pid := range children {
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Kill()
		}
	}
	t.Errorf("processes survive:\n%s", strings.Join(live, "\n"))
}

func TestExecCancelStopsProcessGroup(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	tests := []struct {
		what    string
		prelude string
		grace   time.Duration
	}{
		// Background children of a non-interactive shell ignore SIGINT
		// (POSIX); the SIGTERM after the first grace stops them.
		{"background children get SIGTERM after the grace", "", 200 * time.Millisecond},
		// Ignoring both, only the SIGKILL after the second grace stops them.
		{"children ignoring SIGINT and SIGTERM get SIGKILL", "trap '' INT TERM", 200 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			j := newJob(t, tc.grace)
			dir := t.TempDir()
			cause := errors.New("step timed out")
			ctx, cancel := context.WithCancelCause(t.Context())
			defer cancel(nil)

			type result struct {
				code int
				err  error
			}
			res := make(chan result, 1)
			var out bytes.Buffer
			go func() {
				code, err := j.Exec(ctx, executor.Process{Argv: sh(readyScript(dir, tc.prelude)), Env: []string{stepPath}, Stdout: &out, Stderr: &out})
				res <- result{code, err}
			}()
			leader := waitForFile(t, filepath.Join(dir, "leader"))[0]
			children := waitForFile(t, filepath.Join(dir, "pids"))
			cancel(cause)

			select {
			case r := <-res:
				if r.code != -1 || !errors.Is(r.err, cause) {
					t.Errorf("Exec = %d, %v; want -1 and an error wrapping the cause %q", r.code, r.err, cause)
				}
			case <-time.After(2*tc.grace + 5*time.Second):
				requireAllDead(t, leader, children)
				t.Fatal("Exec did not return after the context was cancelled")
			}
			requireAllDead(t, leader, children)
		})
	}
}

// TestExecCancelSendsSIGINTFirst: a cancelled step first gets SIGINT, as
// the runner sends it, so a tool can stop cleanly (pytest prints its summary).
func TestExecCancelSendsSIGINTFirst(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	j := newJob(t, 10*time.Second)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out bytes.Buffer
	res := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := j.Exec(ctx, executor.Process{Argv: sh("trap 'echo got SIGINT; exit 3' INT; echo $$ > '" + dir + "/leader'; sleep 300 & wait"), Env: []string{stepPath}, Stdout: &out, Stderr: &out})
		res <- err
	}()
	waitForFile(t, filepath.Join(dir, "leader"))
	cancel()
	select {
	case <-res:
	case <-time.After(5 * time.Second):
		t.Fatal("Exec did not return soon after SIGINT")
	}
	if !strings.Contains(out.String(), "got SIGINT") {
		t.Errorf("output = %q, want the SIGINT trap's line", out.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: SIGINT was not sent first", d)
	}
}

// TestExecLeavesBackgroundUntilClose: a step that finishes while processes
// it started in the background still run returns at once, even when they
// hold the step's output open; they keep running for the next steps, as on
// GitHub, and Close (the end of the job) ends them.
func TestExecLeavesBackgroundUntilClose(t *testing.T) {
	t.Parallel()
	skipUnlessLinux(t)
	tests := []struct {
		what   string
		script string
	}{
		{"background process holding the output", "sleep 300 & echo $! > '%s/pids'; echo started"},
		{"background process writing elsewhere", "sleep 300 >/dev/null 2>&1 & echo $! > '%s/pids'; echo started"},
		{"nohup process in a subshell", "(nohup sleep 300 >/dev/null 2>&1 & echo $! > '%s/pids'); echo started"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			j := newJob(t, time.Second)
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			type result struct {
				code int
				err  error
			}
			res := make(chan result, 1)
			script := strings.ReplaceAll(tc.script, "%s", dir)
			go func() {
				code, err := j.Exec(t.Context(), executor.Process{Argv: sh(script), Env: []string{stepPath}, Stdout: &stdout, Stderr: &stderr})
				res <- result{code, err}
			}()
			select {
			case r := <-res:
				if r.code != 0 || r.err != nil {
					t.Errorf("Exec = %d, %v; want 0, nil", r.code, r.err)
				}
			case <-time.After(10 * time.Second):
				requireAllDead(t, -1, waitForFile(t, filepath.Join(dir, "pids")))
				t.Fatal("Exec waited for the background process instead of the step")
			}
			if diff := cmp.Diff("started\n", stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			bg := waitForFile(t, filepath.Join(dir, "pids"))
			if live := alive(-1, bg); len(live) == 0 {
				t.Errorf("the background process %v did not outlive its step", bg)
			}
			if err := j.Close(t.Context()); err != nil {
				t.Fatal(err)
			}
			requireAllDead(t, -1, bg)
		})
	}
}

func TestJob(t *testing.T) {
	t.Parallel()
	e := host.New()
	if got := e.Name(); got != "host" {
		t.Errorf("Name() = %q, want host", got)
	}
	// The runner's escalation: SIGTERM 7.5 s after SIGINT, SIGKILL 2.5 s later.
	if e.SigtermAfter != 7500*time.Millisecond || e.SigkillAfter != 2500*time.Millisecond {
		t.Errorf("SigtermAfter, SigkillAfter = %v, %v; want 7.5s, 2.5s", e.SigtermAfter, e.SigkillAfter)
	}
	root := t.TempDir()
	dirs := executor.Dirs{Workspace: filepath.Join(root, "w"), Temp: filepath.Join(root, "t"), ToolCache: filepath.Join(root, "tc")}
	j, err := e.StartJob(t.Context(), executor.JobSpec{Key: "build", HostDirs: dirs})
	if err != nil {
		t.Fatal(err)
	}
	// On the host, processes see this machine's paths unchanged.
	want := executor.Paths{Workspace: dirs.Workspace, Temp: dirs.Temp, ToolCache: dirs.ToolCache, Home: os.Getenv("HOME")}
	if diff := cmp.Diff(want, j.Paths()); diff != "" {
		t.Errorf("Paths (-want +got):\n%s", diff)
	}
	for _, p := range []string{"/w", "/w/sub dir/file"} {
		if got, ok := j.HostPath(p); got != p || !ok {
			t.Errorf("HostPath(%q) = %q, %v; want it unchanged", p, got, ok)
		}
	}
	if info := j.Info(); info.Executor != "host" || !info.HostTools || info.Environment != "self-hosted" {
		t.Errorf("Info = %+v", info)
	}
	// The base environment is this process's, as on a self-hosted runner.
	if got := j.Env()["PATH"]; got != os.Getenv("PATH") {
		t.Errorf("Env()[PATH] = %q, want this process's", got)
	}
	if err := j.Close(t.Context()); err != nil {
		t.Errorf("Close: %v", err)
	}
}
