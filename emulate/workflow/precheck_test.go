package workflow

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// TestCostFinding: an expression longer than GitHub allows, and a matrix
// whose objects would take actionlint quadratic time to type, are refused
// before actionlint sees them, at the value; what real workflows hold is
// not.
func TestCostFinding(t *testing.T) {
	t.Parallel()
	const head = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
	long := strings.Repeat("(", 11000) + "true" + strings.Repeat(")", 11000)
	objects := func(n int, key func(i int) string) string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = fmt.Sprintf("{%s: 1}", key(i))
		}
		return "[" + strings.Join(vs, ", ") + "]"
	}
	distinct := func(i int) string { return fmt.Sprintf("k%d", i) }
	same := func(int) string { return "k" }
	tests := []struct {
		what, src string
		want      string // line:col: message; empty for no finding
	}{
		{"an expression of 22,000 characters in a step",
			head + "    steps:\n      - run: echo ${{ " + long + " }}\n", "6:14: Exceeded max expression length 21000"},
		{"an if: condition of 22,000 characters without ${{ }}",
			head + "    if: " + long + "\n    steps: [{run: echo}]\n", "5:9: Exceeded max expression length 21000"},
		{"a long script with short expressions",
			head + "    steps:\n      - run: " + strings.Repeat("echo ${{ github.sha }}; ", 2000) + "\n", ""},
		{"}} inside a string does not end the expression",
			head + "    steps:\n      - run: echo ${{ '}}" + strings.Repeat("x", 21000) + "' }}\n", "6:14: Exceeded max expression length 21000"},
		{"an unclosed expression is left to the parser",
			head + "    steps:\n      - run: echo ${{ " + long + "\n", ""},
		{"a row of 5,000 objects with different keys",
			head + "    steps: [{run: echo}]\n    strategy:\n      matrix:\n        a: " + objects(5000, distinct) + "\n", "8:9: the objects in this matrix"},
		{"an include list of 5,000 objects with different keys",
			head + "    steps: [{run: echo}]\n    strategy:\n      matrix:\n        a: [1]\n        include:\n" +
				strings.Repeat("          - {a: 1, b: {kX: 1}}\n", 1) + func() string {
				var b strings.Builder
				for i := range 5000 {
					fmt.Fprintf(&b, "          - {a: 1, b: {k%d: 1}}\n", i)
				}
				return b.String()
			}(), "the objects in this matrix"},
		{"a row of 5,000 objects with one key",
			head + "    steps: [{run: echo}]\n    strategy:\n      matrix:\n        a: " + objects(5000, same) + "\n", ""},
		{"objects of different kinds merge into any type at once",
			head + "    steps: [{run: echo}]\n    strategy:\n      matrix:\n        a: [x, " + strings.TrimPrefix(objects(5000, distinct), "[") + "\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			var root yaml.Node
			if err := yaml.Unmarshal([]byte(tc.src), &root); err != nil {
				t.Fatal(err)
			}
			f := costFinding("w.yml", &root)
			switch {
			case tc.want == "" && f != nil:
				t.Fatalf("finding %d:%d: %s, want none", f.Line, f.Column, f.Message)
			case tc.want != "" && f == nil:
				t.Fatalf("no finding, want %q", tc.want)
			case f != nil:
				if f.Severity != SeverityError {
					t.Errorf("severity %v, want an error", f.Severity)
				}
				got := fmt.Sprintf("%d:%d: %s", f.Line, f.Column, f.Message)
				if !strings.Contains(got, tc.want) {
					t.Errorf("finding %q, want %q", got, tc.want)
				}
			}
		})
	}
}
