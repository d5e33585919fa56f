package plan_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// testGit is the repository state the tests plan for: a push to main.
func testGit(root string) *trigger.Git {
	return &trigger.Git{Root: root, SHA: strings.Repeat("a", 40), Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main", Repository: "rehearse-dev/test", Owner: "rehearse-dev", Actor: "tester", Available: true}
}

// buildPlan writes files (paths relative to the repository root) into a
// fresh repository, loads .github/workflows as `rehearse plan` does and
// plans it for a push to main. edit, when not nil, changes the options.
func buildPlan(t *testing.T, files map[string]string, edit func(*plan.Options)) *plan.Plan {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := workflow.Load(workflow.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	g := testGit(root)
	o := plan.Options{
		Root:    root,
		Git:     g,
		Event:   &trigger.Event{Name: "push", Ref: g.Ref, SHA: g.SHA},
		Placing: plan.Placing{Executor: plan.RunnerHost},
	}
	if edit != nil {
		edit(&o)
	}
	return plan.Build(res, o)
}

// oneWorkflow plans a single workflow file, ci.yml.
func oneWorkflow(t *testing.T, yaml string, edit func(*plan.Options)) *plan.WorkflowPlan {
	t.Helper()
	p := buildPlan(t, map[string]string{".github/workflows/ci.yml": yaml}, edit)
	if len(p.Workflows) != 1 {
		t.Fatalf("planned %d workflows, want 1", len(p.Workflows))
	}
	return p.Workflows[0]
}
