package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// TestRunContainerJob: a job with container: runs in its image as it is,
// with GitHub's container-job paths, as the image's user unless options
// say --user, with its env; an option rehearse cannot honour fails the job
// naming it; on the host executor such a job is not run locally.
func TestRunContainerJob(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: needs the test builder")
	}
	addr := buildkittest.Addr(t)
	img := containertest.Image(t)
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "container.yml", `on: push
jobs:
  as-root:
    runs-on: ubuntu-latest
    container:
      image: `+img+`
      env:
        FROM_CONTAINER: yes
    steps:
      - uses: actions/checkout@v4
      - run: |
          set -eu
          test "$(id -u)" = 0
          test "$GITHUB_WORKSPACE" = /__w/hostrun/hostrun
          test "$PWD" = "$GITHUB_WORKSPACE"
          test "$RUNNER_TEMP" = /__w/_temp
          test "$RUNNER_TOOL_CACHE" = /__t
          test "$HOME" = /github/home
          test "$FROM_CONTAINER" = yes
          test -f README.md
  as-user:
    runs-on: ubuntu-latest
    container:
      image: `+img+`
      options: --user 1000:1000 --hostname buildbox
    steps:
      - run: |
          set -eu
          test "$(id -u)" = 1000
          test "$(hostname)" = buildbox
          touch "$HOME/x" "$RUNNER_TEMP/y"
  bad-option:
    runs-on: ubuntu-latest
    container:
      image: `+img+`
      options: --privileged
    steps:
      - run: "true"
`)
	r, rep := runJSON(t, dir, nil, "--executor", "container", "--builder", addr, "-W", ".github/workflows/container.yml")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff(map[string]string{"as-root": "success", "as-user": "success", "bad-option": "failure"}, rep.conclusions()); d != "" {
		t.Errorf("conclusions (-want +got):\n%s\nstderr:\n%s", d, r.stderr)
	}
	if got := rep.jobs()["bad-option"].Reason; !strings.Contains(got, `container.options: option "--privileged" is not supported`) {
		t.Errorf("bad-option reason = %q", got)
	}

	r, rep = runJSON(t, dir, nil, "--executor", "host", "-W", ".github/workflows/container.yml")
	if r.code != 0 {
		t.Fatalf("host: exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	for _, j := range []string{"as-root", "as-user", "bad-option"} {
		if got := rep.jobs()[j].Conclusion; got != "not-run-locally" {
			t.Errorf("host: %s is %q, want not run locally", j, got)
		}
	}
}
