package workflow

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

// lintMatrixRule lints src with only the matrix rule: actionlint's own, or
// ruleMatrix when ours is set, and returns its findings as text.
func lintMatrixRule(t *testing.T, src string, ours bool) []string {
	t.Helper()
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{
		OnRulesCreated: func(rules []actionlint.Rule) []actionlint.Rule {
			i := slices.IndexFunc(rules, func(r actionlint.Rule) bool { _, ok := r.(*actionlint.RuleMatrix); return ok })
			if ours {
				return replaceMatrixRule(rules[i : i+1])
			}
			return rules[i : i+1]
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint("w.yml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range errs {
		if e.Kind == "matrix" {
			out = append(out, fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message))
		}
	}
	return out
}

// TestRuleMatrixAgreesWithActionlint: on random literal matrices (rows of
// scalars, objects, arrays and expressions, include and exclude entries
// over known, unknown and differently cased keys), ruleMatrix reports what
// actionlint's matrix rule reports, at the same positions.
func TestRuleMatrixAgreesWithActionlint(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	values := []string{"linux", "Linux", "'1'", "1", "1.0", "'${{ github.ref }}'", "{name: a}", "{name: a, v: 1}",
		"{name: A}", "{name: {x: 1}}", "{name: {x: 1, y: 2}}", "[1, 2]", "[1]", "[]", "{}", "null", "true"}
	keys := []string{"os", "py", "OS", "arch"}
	list := func(n int) string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = values[rng.IntN(len(values))]
		}
		return "[" + strings.Join(vs, ", ") + "]"
	}
	entries := func(b *strings.Builder, section string) {
		switch rng.IntN(6) {
		case 0:
			return
		case 1:
			fmt.Fprintf(b, "        %s: ${{ fromJSON('[]') }}\n", section)
			return
		}
		fmt.Fprintf(b, "        %s:\n", section)
		for range 1 + rng.IntN(4) {
			var kv []string
			seen := map[string]bool{}
			for range 1 + rng.IntN(2) {
				k := keys[rng.IntN(len(keys))]
				if seen[strings.ToLower(k)] {
					continue
				}
				seen[strings.ToLower(k)] = true
				kv = append(kv, k+": "+values[rng.IntN(len(values))])
			}
			fmt.Fprintf(b, "          - {%s}\n", strings.Join(kv, ", "))
		}
	}
	messages := []string{"duplicate value", `in "exclude" does not match`, `section does not exist in matrix`, "no matrix variation exists"}
	seen := map[string]int{}
	runs := 1500
	if testing.Short() {
		runs = 300
	}
	for run := range runs {
		var b strings.Builder
		b.WriteString("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n    strategy:\n      matrix:\n")
		for _, k := range []string{"os", "py"}[:rng.IntN(3)] {
			if rng.IntN(6) == 0 {
				fmt.Fprintf(&b, "        %s: ${{ fromJSON('[1]') }}\n", k)
			} else {
				fmt.Fprintf(&b, "        %s: %s\n", k, list(rng.IntN(5)))
			}
		}
		entries(&b, "include")
		entries(&b, "exclude")
		src := b.String()
		want, got := lintMatrixRule(t, src, false), lintMatrixRule(t, src, true)
		if !slices.Equal(want, got) {
			t.Fatalf("run %d:\n%s\ngot:\n%s\nwant:\n%s", run, src, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, f := range want {
			for _, m := range messages {
				if strings.Contains(f, m) {
					seen[m]++
				}
			}
		}
	}
	// The runs cover every finding the rule makes.
	for _, m := range messages {
		if seen[m] == 0 {
			t.Errorf("no run found %q", m)
		}
	}
}

// TestRuleMatrixLongLists: a row of 20,000 values, most of them
// duplicates, and 1,000 exclude entries matching nothing: each finding is
// made once, and a message lists at most maxListed values and says how
// many more there are (BenchmarkLoadHostile times longer lists). Under
// -short the row is 2,000 values and 100 excludes: the same property.
func TestRuleMatrixLongLists(t *testing.T) {
	t.Parallel()
	values, distinct, excludes := 20_000, 1000, 1000
	if testing.Short() {
		values, distinct, excludes = 2000, 100, 100
	}
	var b strings.Builder
	b.WriteString("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n    strategy:\n      matrix:\n        os: [")
	for i := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "v%d", i%distinct)
	}
	b.WriteString("]\n        exclude:\n")
	for i := range excludes {
		fmt.Fprintf(&b, "          - os: x%d\n", i)
	}
	got := lintMatrixRule(t, b.String(), true)
	dups, unmatched := 0, 0
	for _, f := range got {
		switch {
		case strings.Contains(f, "duplicate value"):
			dups++
		case strings.Contains(f, `in "exclude" does not match`):
			unmatched++
			if !strings.HasSuffix(f, fmt.Sprintf(`"v49", and %d more`, values-maxListed)) {
				t.Fatalf("unmatched value's message: %s", f)
			}
		}
	}
	if dups != values-distinct || unmatched != excludes {
		t.Errorf("%d duplicates and %d unmatched exclude values, want %d and %d", dups, unmatched, values-distinct, excludes)
	}
}
