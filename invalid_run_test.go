package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/fixtures"
)

// TestRunSkipsOnlyInvalidFiles: GitHub refuses an invalid workflow file
// and still runs the others; so does rehearse, exiting 2 for the invalid
// one, which the report shows as a failed workflow with its positioned
// error, also when it is the only workflow.
func TestRunSkipsOnlyInvalidFiles(t *testing.T) {
	skipIfShort(t)
	t.Parallel()
	tests := []struct {
		name      string
		withValid bool
		want      map[string]string
	}{
		{"beside a valid workflow", true, map[string]string{"ok": "success"}},
		{"alone", false, map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := fixtures.Materialize(t, "hostrun")
			if err := os.RemoveAll(filepath.Join(dir, ".github", "workflows")); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.withValid {
				addWorkflow(t, dir, "good.yml", "on: push\njobs:\n  ok: {runs-on: ubuntu-latest, steps: [{run: echo ok}]}\n")
			}
			addWorkflow(t, dir, "bad.yml", "on: push\njobs:\n  b: {runs-on: ubuntu-latest, needs: nope, steps: [{run: echo}]}\n")
			r, rep := runJSON(t, dir, nil)
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (an invalid workflow)", r.code)
			}
			if d := cmp.Diff(tc.want, rep.conclusions()); d != "" {
				t.Errorf("the valid workflow did not run (-want +got):\n%s\n%s", d, r.stderr)
			}
			if rep.Conclusion != "failure" {
				t.Errorf("run conclusion %q, want failure", rep.Conclusion)
			}
			var bad bool
			for _, w := range rep.Workflows {
				if w.File != ".github/workflows/bad.yml" {
					continue
				}
				bad = true
				if !w.Invalid || w.Conclusion != "failure" || len(w.Errors) == 0 || !strings.HasPrefix(w.Errors[0], ".github/workflows/bad.yml:3:") {
					t.Errorf("invalid workflow in the report: invalid=%v conclusion=%q errors=%q", w.Invalid, w.Conclusion, w.Errors)
				}
			}
			if !bad {
				t.Errorf("the report does not name the invalid file: %+v", rep.Workflows)
			}
		})
	}
}
