package main

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunMatrixCombinationNotFound: every KEY=VALUE exists, but no cell
// has them together; nothing would run, so it is a usage error.
func TestRunMatrixCombinationNotFound(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "grid.yml", `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include:
          - {os: ubuntu-latest, python: "3.11"}
          - {os: ubuntu-22.04, python: "3.12"}
    steps:
      - run: echo hi
`)
	r := runBin(t, dir, nil, "run", "--progress", "quiet", "-W", ".github/workflows/grid.yml", "--matrix", "os=ubuntu-latest", "--matrix", "python=3.12")
	want := `--matrix "os=ubuntu-latest" --matrix "python=3.12": no matrix cell of the selected workflows has all of these values; available keys are "os", "python"`
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, want 2 with %q\nstderr:\n%s", r.code, want, r.stderr)
	}
}

// TestRunUnknownJobAmongKnown: an id that names no job is reported even
// when another -j names one, instead of being silently ignored.
func TestRunUnknownJobAmongKnown(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	r := runBin(t, dir, nil, "run", "--progress", "quiet", "-W", ".github/workflows/continue-on-error.yml", "-j", "job", "-j", "jbo")
	if r.code != 2 || !strings.Contains(r.stderr, `no job with id "jbo"`) {
		t.Errorf("exit %d, want 2 naming the unknown id\nstderr:\n%s", r.code, r.stderr)
	}
}
