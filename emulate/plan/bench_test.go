package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
	"github.com/rehearse-dev/rehearse/fixtures"
)

// benchPlan loads, validates and plans the workflows in root, as
// `rehearse plan` does after reading git.
func benchPlan(b *testing.B, root, path string, wantJobs int) {
	b.Helper()
	g := &trigger.Git{Root: root, SHA: strings.Repeat("a", 40), Ref: "refs/heads/main", RefName: "main", Branch: "main", DefaultBranch: "main", Repository: "rehearse-dev/bench", Owner: "rehearse-dev", Actor: "bench", Available: true}
	ev := &trigger.Event{Name: "push", Ref: "refs/heads/main", SHA: g.SHA, ChangedFilesKnown: false}
	b.ReportAllocs()
	for b.Loop() {
		res, err := workflow.Load(workflow.Options{Root: root, Path: path})
		if err != nil {
			b.Fatal(err)
		}
		p := plan.Build(res, plan.Options{Root: root, Git: g, Event: ev, Placing: plan.Placing{Executor: plan.RunnerHost}})
		n := 0
		for _, w := range p.Workflows {
			n += len(w.Jobs)
		}
		if n != wantJobs {
			b.Fatalf("planned %d jobs, want %d", n, wantJobs)
		}
	}
}

// BenchmarkPlanSeed: the tutorial's complete CI workflow (target < 5 ms).
func BenchmarkPlanSeed(b *testing.B) {
	benchPlan(b, filepath.Join(fixtures.Dir(), "tutorial"), ".github/workflows/ci.yml", 14)
}

// BenchmarkPlan256: a 256-cell matrix (target < 50 ms).
func BenchmarkPlan256(b *testing.B) {
	root := b.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	wf := "name: big\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
	for _, axis := range []string{"a", "b", "c", "d"} {
		wf += fmt.Sprintf("        %s: [1, 2, 3, 4]\n", axis)
	}
	wf += "    steps:\n      - run: echo ${{ matrix.a }}\n"
	if err := os.WriteFile(filepath.Join(dir, "big.yml"), []byte(wf), 0o644); err != nil {
		b.Fatal(err)
	}
	benchPlan(b, root, ".github/workflows/big.yml", 256)
}

// BenchmarkPlanTutorial: every workflow of the tutorial, as `rehearse plan`
// plans them after reading git.
func BenchmarkPlanTutorial(b *testing.B) {
	benchPlan(b, filepath.Join(fixtures.Dir(), "tutorial"), "", 25)
}
