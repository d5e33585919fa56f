package buildkit_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// TestSecretsLeaveNoTrace: a secret reaches a step only as its process
// environment; after the step wrote it into a workspace file, the
// GITHUB_ENV file and the home directory, and the container was released,
// nothing under the daemon's state directory holds it: not the snapshots,
// not the cache records, not the build history.
func TestSecretsLeaveNoTrace(t *testing.T) {
	dir := os.Getenv("REHEARSE_TEST_BUILDKIT_ROOT")
	if dir == "" {
		dir = filepath.Join(buildkittest.ToolsDir(), "test-buildkitd", "root")
	}
	if _, err := os.Stat(dir); err != nil {
		buildkittest.Unavailable(t, "the test daemon's state directory is not here ("+dir+"); set REHEARSE_TEST_BUILDKIT_ROOT")
	}
	secret := fmt.Sprintf("s3cr3t-%d-%d", os.Getpid(), time.Now().UnixNano())
	e := containertest.Executor(t, buildkit.Options{})
	j, err := e.StartJob(t.Context(), executor.JobSpec{Key: "secret", Repository: "octo/secret", Image: containertest.Image(t)})
	if err != nil {
		t.Fatal(err)
	}
	envFile := j.Paths().Temp + "/_runner_file_commands/set_env_1"
	if err := j.WriteFile(t.Context(), envFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code, err := j.Exec(t.Context(), executor.Process{
		Argv:   []string{"bash", "-c", `echo "$TOKEN" > token.txt; echo "TOKEN=$TOKEN" >> "$GITHUB_ENV"; echo "$TOKEN" > ~/.token; test -s token.txt`},
		Env:    []string{"PATH=/usr/bin:/bin", "HOME=/home/runner", "TOKEN=" + secret, "GITHUB_ENV=" + envFile},
		Stdout: &out, Stderr: &out,
	})
	if err != nil || code != 0 {
		t.Fatalf("step: %d, %v: %s", code, err, out.String())
	}
	if data, err := j.ReadFile(t.Context(), envFile); err != nil || !bytes.Contains(data, []byte(secret)) {
		t.Fatalf("the step did not write the secret: %q, %v", data, err)
	}
	if err := j.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	// Removing a released snapshot may lag the release a little.
	var found []byte
	for range 20 {
		found, _ = exec.Command("grep", "-rlaF", "--", secret, dir).Output()
		if len(found) == 0 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if len(found) != 0 {
		t.Errorf("the secret is in the daemon's state directory:\n%s", found)
	}
}
