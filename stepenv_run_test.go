package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunStepEnvInContexts: a step's own env: is in the env context of its
// if:, run: and with:, and a composite action's steps get the calling
// step's env, not the job's defaults.run (actions/runner StepsRunner and
// CompositeActionHandler).
func TestRunStepEnvInContexts(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	action := filepath.Join(dir, ".github", "actions", "envcheck")
	if err := os.MkdirAll(action, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(action, "action.yml"), []byte(`name: envcheck
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        test "$OUTER" = from-caller
        test "${{ env.OUTER }}" = from-caller
        test "$PWD" = "$GITHUB_WORKSPACE"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	addWorkflow(t, dir, "stepenv.yml", `on: push
jobs:
  env:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: sub
    steps:
      - uses: actions/checkout@v4
      - run: mkdir -p sub
        working-directory: .
      - name: Greeting is ${{ env.GREETING }}
        if: env.DO == 'yes'
        env:
          DO: "yes"
          GREETING: hello
        run: test "${{ env.GREETING }}" = hello
      - uses: ./.github/actions/envcheck
        env:
          OUTER: from-caller
`)
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/stepenv.yml")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	j := rep.jobs()["env"]
	got := j.stepResults()
	if strings.Join(got, ",") != "success/success,success/success,success/success,success/success" {
		t.Errorf("steps %q", got)
	}
	if j.Steps[2].Name != "Greeting is hello" {
		t.Errorf("step name %q, want it evaluated with the step's env", j.Steps[2].Name)
	}
}

// TestRunCompositeRecursion: an action that uses itself fails its step
// with a message instead of recursing until the machine gives up.
func TestRunCompositeRecursion(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	action := filepath.Join(dir, ".github", "actions", "loop")
	if err := os.MkdirAll(action, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(action, "action.yml"), []byte("name: loop\nruns:\n  using: composite\n  steps:\n    - uses: ./.github/actions/loop\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addWorkflow(t, dir, "loop.yml", "on: push\njobs:\n  loop:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/loop\n")
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/loop.yml")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	var msgs []string
	for _, a := range rep.jobs()["loop"].Annotations {
		msgs = append(msgs, a.Message)
	}
	if !strings.Contains(strings.Join(msgs, "\n"), "nest more than 9 deep") {
		t.Errorf("annotations %q do not explain the recursion", msgs)
	}
}

// TestRunCompositeStepTimeout: timeout-minutes on a composite action's
// step stops it (minutes scaled by the test hook).
func TestRunCompositeStepTimeout(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	action := filepath.Join(dir, ".github", "actions", "slow")
	if err := os.MkdirAll(action, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(action, "action.yml"), []byte("name: slow\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      timeout-minutes: 1\n      run: sleep 600\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addWorkflow(t, dir, "slow.yml", "on: push\njobs:\n  slow:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./.github/actions/slow\n")
	start := time.Now()
	r, rep := runJSON(t, dir, []string{"REHEARSE_TEST_MINUTE=1s"}, "-W", ".github/workflows/slow.yml")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the run took %v: the step's timeout did not stop it", d)
	}
	var msgs []string
	for _, a := range rep.jobs()["slow"].Annotations {
		msgs = append(msgs, a.Message)
	}
	if !strings.Contains(strings.Join(msgs, "\n"), "has timed out after 1 minutes") {
		t.Errorf("annotations %q do not report the timeout", msgs)
	}
}
