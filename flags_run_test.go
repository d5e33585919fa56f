package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunFlags: run's flags reach the run, in one run of the binary (what
// each does is emulate/run's tests' business): -j, --no-deps and --matrix
// select one cell of one job; --env and --env-file are in the steps'
// environment and env context, below the workflow's env; a secret
// ACTIONS_STEP_DEBUG=true turns on ::debug:: lines, in logs under
// --log-dir.
func TestRunFlags(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "flags.yml", `on: push
env:
  OVER_WF: wf
jobs:
  before:
    runs-on: ubuntu-latest
    steps: [{run: echo before}]
  pick:
    needs: before
    runs-on: ubuntu-latest
    strategy: {matrix: {n: [1, 2]}}
    steps:
      - if: env.FROM_FLAG == 'flag' && env.FROM_FILE == 'file' && env.OVER_WF == 'wf'
        run: |
          test "$FROM_FLAG" = flag && test "$FROM_FILE" = file && test "$OVER_WF" = wf
          echo "::debug::debug line shown"
  other:
    runs-on: ubuntu-latest
    steps: [{run: echo other}]
`)
	tmp := t.TempDir()
	envFile := filepath.Join(tmp, "vars.env")
	if err := os.WriteFile(envFile, []byte("FROM_FILE=file\nOVER_WF=file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(tmp, "logs")
	r, rep := runJSON(t, dir, nil, "-W", ".github/workflows/flags.yml", "-j", "pick", "--no-deps", "--matrix", "n=2",
		"--env", "FROM_FLAG=flag", "--env-file", envFile, "--secret", "ACTIONS_STEP_DEBUG=true", "--log-dir", logs)
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s", r.code, r.stderr)
	}
	if d := cmp.Diff(map[string]string{"pick.2": "success"}, rep.conclusions()); d != "" {
		t.Fatalf("job conclusions (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"success/success"}, rep.jobs()["pick.2"].stepResults()); d != "" {
		t.Errorf("steps of pick.2 (-want +got):\n%s", d)
	}
	var all string
	files := 0
	_ = filepath.WalkDir(logs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			all += string(b)
			files++
		}
		return nil
	})
	if files == 0 {
		t.Fatalf("no log file under --log-dir %s", logs)
	}
	if !strings.Contains(all, "##[debug]debug line shown") {
		t.Errorf("no debug line in the logs under --log-dir:\n%s", all)
	}
}
