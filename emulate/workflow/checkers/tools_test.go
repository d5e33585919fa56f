package checkers

import (
	"os"
	"os/exec"
	"testing"
)

// tool is the path of the first of names on PATH. Without any, the test
// skips, saying so; on CI (CI=true), which installs them (.ci/run), it
// fails instead.
func tool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("none of %q is on PATH, and CI=true: CI must install it (.ci/run does)", names)
	}
	t.Skipf("none of %q is on PATH: this test runs it (install it to run the test)", names)
	return ""
}
