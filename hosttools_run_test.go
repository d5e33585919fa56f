package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunWarnsAboutHostTools: after setup-python, a step that runs pytest
// finds this machine's pytest, which a GitHub runner would not have: the
// run says so instead of passing silently.
func TestRunWarnsAboutHostTools(t *testing.T) {
	t.Parallel()
	skipIfShort(t)
	if _, err := exec.LookPath("pytest"); err != nil {
		t.Skip("no pytest on this machine (.ci/run installs Debian's)")
	}
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "tools.yml", `on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with: {python-version: "3.x"}
      - run: pytest --version
`)
	r, rep := runJSON(t, dir, []string{"PATH=/usr/local/bin:/usr/bin:/bin"}, "--executor", "host", "-W", ".github/workflows/tools.yml")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var msgs []string
	for _, a := range rep.jobs()["t"].Annotations {
		msgs = append(msgs, a.Message)
	}
	if !strings.Contains(strings.Join(msgs, "\n"), "not from the job's Python environment") {
		t.Errorf("no warning about the host's pytest: %q", msgs)
	}
}
