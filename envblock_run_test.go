package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunBlockedEnvAndDebug: GITHUB_ENV cannot set NODE_OPTIONS (the runner
// logs an error and goes on), and ::debug:: lines are shown only when
// ACTIONS_STEP_DEBUG is true, here given as a secret as on GitHub.
func TestRunBlockedEnvAndDebug(t *testing.T) {
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	addWorkflow(t, dir, "blocked.yml", `on: push
jobs:
  env:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "NODE_OPTIONS=--max-old-space-size=1" >> "$GITHUB_ENV"
          echo "::debug::debug line shown"
      - run: test -z "${NODE_OPTIONS:-}"
`)
	tests := []struct {
		what      string
		args      []string
		wantDebug bool
	}{
		{"without debug", nil, false},
		{"with ACTIONS_STEP_DEBUG secret", []string{"--secret", "ACTIONS_STEP_DEBUG=true"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			logs := t.TempDir()
			args := append([]string{"-W", ".github/workflows/blocked.yml", "--log-dir", logs}, tc.args...)
			r, rep := runJSON(t, dir, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			var msgs []string
			for _, a := range rep.jobs()["env"].Annotations {
				msgs = append(msgs, a.Message)
			}
			if !strings.Contains(strings.Join(msgs, "\n"), "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.") {
				t.Errorf("annotations %q do not report the blocked NODE_OPTIONS", msgs)
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
			if got := strings.Contains(all, "##[debug]debug line shown"); got != tc.wantDebug {
				t.Errorf("debug line in the log: %v, want %v", got, tc.wantDebug)
			}
		})
	}
}
