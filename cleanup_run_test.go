package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunRemovesWorkspaces: after a run, the run directory keeps the logs
// and drops the jobs' workspaces, unless --keep-workspaces.
func TestRunRemovesWorkspaces(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	dir := fixtures.Materialize(t, "hostrun")
	tests := []struct {
		what     string
		args     []string
		wantJobs bool
	}{
		{"default", nil, false},
		{"--keep-workspaces", []string{"--keep-workspaces"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r, rep := runJSON(t, dir, nil, append([]string{"-W", ".github/workflows/outputs.yml"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if rep.RunDir == "" {
				t.Fatal("the report names no run directory")
			}
			_, err := os.Stat(filepath.Join(rep.RunDir, "jobs"))
			if got := err == nil; got != tc.wantJobs {
				t.Errorf("jobs/ exists: %v, want %v", got, tc.wantJobs)
			}
			if _, err := os.Stat(filepath.Join(rep.RunDir, "logs", "outputs.yml", "produce.log")); err != nil {
				t.Errorf("the job log is gone: %v", err)
			}
		})
	}
}
