package plan_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/fixtures"
)

// FuzzLoadAndPlan: no workflow text, however broken, makes loading,
// validating or planning panic (DEVELOPERS.md: no panics on user input).
// The seeds are every fixture workflow.
func FuzzLoadAndPlan(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixtures.Dir(), "*", ".github", "workflows", "*.yml"))
	more, _ := filepath.Glob(filepath.Join(fixtures.Dir(), "invalid", "*", ".github", "workflows", "*.yml"))
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		root := t.TempDir()
		dir := filepath.Join(root, ".github", "workflows")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "ci.yml"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := workflow.Load(workflow.Options{Root: root})
		if err != nil {
			return
		}
		g := &trigger.Git{Root: root, SHA: "0123456789abcdef0123456789abcdef01234567", Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main", Repository: "o/r", Owner: "o", Actor: "a", Available: true}
		for _, ev := range []string{"push", "pull_request", "workflow_dispatch"} {
			plan.Build(res, plan.Options{Root: root, Git: g, Event: &trigger.Event{Name: ev, Ref: g.Ref, SHA: g.SHA}, Placing: plan.Placing{Executor: plan.RunnerHost}})
		}
	})
}
