package workflow

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// aliasBomb is a workflow whose anchors expand into 10^9 values, used as a
// job's env: a few hundred bytes.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("on: push\nx:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "  l%d: &l%d [", i, i)
		for k := 0; k < 10; k++ {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("jobs:\n  a:\n    runs-on: ubuntu-latest\n    env: {BOMB: *l8}\n    steps: [{run: echo}]\n")
	return b.String()
}

// deepList is a workflow with a list nested depth levels deep in a matrix
// include entry.
func deepList(depth int) string {
	return "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n          - x: " +
		strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n    steps: [{run: echo}]\n"
}

// TestShapeLimits: an alias bomb and a deep nesting are refused at once
// with a positioned error; a workflow that uses anchors as people do is
// not.
func TestShapeLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		wantLine  int
		wantMsg   string
	}{
		{"alias bomb", aliasBomb(), 9, "YAML aliases expand this workflow by more than"},
		{"deep nesting", deepList(10_000), 8, "values nest 101 levels deep"},
		{"nesting under the limit", deepList(50), 0, ""},
		{"anchors as people use them", `on: push
x:
  steps: &steps
    - uses: actions/checkout@v4
    - run: make test
jobs:
  a: {runs-on: ubuntu-latest, steps: *steps}
  b: {runs-on: ubuntu-latest, steps: *steps}
`, 0, ""},
		{"not YAML", "on: [push\n", 0, ""},
		// The file's own size bounds it; only what aliases add is capped.
		{"300,000 values without an alias", "on: push\nx: [" + strings.Repeat("1, ", 300_000) + "1]\njobs:\n  a: {runs-on: ubuntu-latest, steps: [{run: echo}]}\n", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var root *yaml.Node
			var n yaml.Node
			if yaml.Unmarshal([]byte(tc.src), &n) == nil {
				root = &n
			}
			// The check's own cost: YAML parsing a large file under the
			// race detector takes seconds of its own.
			start := time.Now()
			f := shapeFinding("ci.yml", root)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if tc.wantMsg == "" {
				if f != nil {
					t.Fatalf("unexpected finding: %s", f)
				}
				return
			}
			if f == nil {
				t.Fatal("no finding")
			}
			if f.Severity != SeverityError || f.Line != tc.wantLine || f.Column == 0 || !strings.Contains(f.Message, tc.wantMsg) {
				t.Errorf("finding %s (line %d, severity %v), want an error at line %d containing %q", f, f.Line, f.Severity, tc.wantLine, tc.wantMsg)
			}
		})
	}
}
