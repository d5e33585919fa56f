package buildkit_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// startJob starts a runs-on job in the test image.
func startJob(t *testing.T, e *buildkit.Executor, spec executor.JobSpec) executor.Job {
	t.Helper()
	if spec.Image == "" {
		spec.Image = containertest.Image(t)
	}
	if spec.Key == "" {
		spec.Key = "test"
	}
	if spec.Repository == "" {
		spec.Repository = "octo/hello"
	}
	var log []string
	spec.Log = func(l string) { log = append(log, l) }
	t0 := time.Now()
	j, err := e.StartJob(t.Context(), spec)
	if err != nil {
		t.Fatalf("StartJob: %v\nlog:\n%s", err, strings.Join(log, "\n"))
	}
	t.Logf("job started in %v", time.Since(t0))
	// The image is never pulled twice: a job after the first says so.
	if !strings.Contains(strings.Join(log, "\n"), ": cached (ready in") && !strings.Contains(strings.Join(log, "\n"), ": pulled and prepared in") {
		t.Errorf("the set-up log says nothing of the image:\n%s", strings.Join(log, "\n"))
	}
	t.Cleanup(func() { _ = j.Close(context.Background()) })
	return j
}

func run(t *testing.T, j executor.Job, script string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	env := []string{}
	for k, v := range j.Env() {
		env = append(env, k+"="+v)
	}
	code, err := j.Exec(t.Context(), executor.Process{Argv: []string{"bash", "-c", script}, Env: env, Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatalf("Exec(%q): %v\noutput: %s", script, err, out.String())
	}
	return code, out.String()
}

func TestJobBasics(t *testing.T) {
	e := containertest.Executor(t, buildkit.Options{})
	j := startJob(t, e, executor.JobSpec{})
	// A second job's image comes from BuildKit's cache, and its log says so.
	var log []string
	second, err := e.StartJob(t.Context(), executor.JobSpec{Key: "again", Repository: "octo/hello", Image: containertest.Image(t),
		Log: func(l string) { log = append(log, l) }})
	if err != nil {
		t.Fatal(err)
	}
	_ = second.Close(t.Context())
	if !strings.Contains(strings.Join(log, "\n"), ": cached (ready in") {
		t.Errorf("the second job's log does not say the image was cached:\n%s", strings.Join(log, "\n"))
	}

	want := executor.Paths{Workspace: "/home/runner/work/hello/hello", Temp: "/home/runner/work/_temp", ToolCache: "/opt/hostedtoolcache", Home: "/home/runner"}
	if got := j.Paths(); got != want {
		t.Errorf("Paths = %+v, want %+v", got, want)
	}
	code, out := run(t, j, `id -un; id -u; echo "$HOME"; pwd; sudo -n true && echo sudo-ok`)
	if code != 0 || out != "runner\n1001\n/home/runner\n/home/runner/work/hello/hello\nsudo-ok\n" {
		t.Errorf("exit %d, output %q", code, out)
	}
	// A failing step leaves the container and its files alone.
	if code, _ := run(t, j, "echo state > kept.txt; exit 3"); code != 3 {
		t.Errorf("exit code = %d, want 3", code)
	}
	if code, out := run(t, j, "cat kept.txt"); code != 0 || out != "state\n" {
		t.Errorf("after a failed step: exit %d, %q", code, out)
	}
	// Killed by a signal: 128+N, as on the host.
	if code, _ := run(t, j, "kill -TERM $$"); code != 128+15 {
		t.Errorf("killed step: exit %d, want 143", code)
	}
	// Files written through the job are there for the next process and
	// readable back.
	if err := j.WriteFile(t.Context(), "/home/runner/work/_temp/x/y.txt", []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := run(t, j, "cat /home/runner/work/_temp/x/y.txt; stat -c %U /home/runner/work/_temp/x/y.txt"); code != 0 || out != "hirunner\n" {
		t.Errorf("written file: exit %d, %q", code, out)
	}
	data, err := j.ReadFile(t.Context(), "/home/runner/work/hello/hello/kept.txt")
	if err != nil || string(data) != "state\n" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if _, err := j.ReadFile(t.Context(), "/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
	}
	p, err := j.LookPath(t.Context(), "python3", []string{"PATH=/usr/local/bin:/usr/bin:/bin"})
	if err != nil || p != "/usr/bin/python3" {
		t.Errorf("LookPath(python3) = %q, %v", p, err)
	}
	// A missing working directory is the runner's error.
	_, err = j.Exec(t.Context(), executor.Process{Argv: []string{"true"}, Env: []string{"PATH=/usr/bin:/bin"}, Dir: "/no/such/dir"})
	var nwd *executor.NoWorkingDirError
	if !errors.As(err, &nwd) {
		t.Errorf("Exec in a missing directory: %v, want a NoWorkingDirError", err)
	}
}
