package matrix

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// TestExpandAgreesWithReference: on random small matrices built from
// values whose comparisons are tricky, with include and exclude entries
// that name axes in any case, parts of objects and arrays, or nothing,
// Expand gives the cells (values, order, added keys) and errors, and
// Validate the errors, of the reference implementation, which tests every
// combination against every entry.
func TestExpandAgreesWithReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	pool := append([]expr.Value{}, trickyScalars...)
	pool = append(pool, obj("v", 1, "w", "x"), obj("v", "1"), arr(1, "a"), arr("A"))
	// Every other run is dense: a few plain values, long axes and many
	// exclude entries, so that most combinations are excluded by entries
	// over several axes, and the walk's pruning is exercised.
	small := []expr.Value{0.0, 1.0, 2.0, "0", "a", "A", 3.0, "b"}
	dense := false
	pick := func() expr.Value {
		if dense {
			return small[rng.IntN(len(small))]
		}
		return pool[rng.IntN(len(pool))]
	}
	names := []string{"os", "py", "arch", "n"}
	runs := 4000
	if testing.Short() {
		runs = 1000
	}
	tally := map[string]int{}
	for run := range runs {
		var s Spec
		dense = run%2 == 1
		axes, maxValues, maxExcludes := 1+rng.IntN(4), 6, 6
		if dense {
			axes, maxValues, maxExcludes = 2+rng.IntN(2), 7, 40
		}
		for a := range axes {
			var vals []any
			for range rng.IntN(maxValues) {
				vals = append(vals, pick())
			}
			if rng.IntN(8) == 0 {
				vals = nil
			}
			s.Axes = append(s.Axes, Axis{Name: names[a], Values: vals})
		}
		entry := func(extra bool) *expr.Object {
			o := expr.NewObject()
			keys := 1 + rng.IntN(3)
			if dense {
				keys = 1 + rng.IntN(len(s.Axes))
			}
			for range keys {
				a := s.Axes[rng.IntN(len(s.Axes))].Name
				if rng.IntN(4) == 0 {
					a = strings.ToUpper(a)
				}
				var v expr.Value
				kind := rng.IntN(6)
				if dense && kind < 3 && rng.IntN(8) != 0 {
					kind = 3 // mostly scalars: entries that do match
				}
				switch kind {
				case 0:
					v = obj("v", pick())
				case 1:
					v = arr(pick())
				case 2:
					v = obj()
				default:
					v = pick()
				}
				o.Set(a, v)
			}
			if extra && rng.IntN(2) == 0 {
				o.Set(fmt.Sprintf("x%d", rng.IntN(3)), pick())
			}
			return o
		}
		for range rng.IntN(4) {
			s.Include = append(s.Include, entry(true))
		}
		for range rng.IntN(maxExcludes) {
			s.Exclude = append(s.Exclude, entry(false))
		}
		wantCells, wantErr := referenceExpand(s)
		gotCells, gotErr := Expand(s)
		if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
			t.Fatalf("run %d: %s\nerror %v, want %v", run, dumpSpec(s), gotErr, wantErr)
		}
		if err := Validate(s); fmt.Sprint(wantErr) != fmt.Sprint(err) {
			t.Fatalf("run %d: %s\nValidate: %v, want %v", run, dumpSpec(s), err, wantErr)
		}
		if want, got := renderAdded(wantCells), renderAdded(gotCells); want != got {
			t.Fatalf("run %d: %s\ncells:\n%s\nwant:\n%s", run, dumpSpec(s), got, want)
		}
		product := 1
		for _, a := range s.Axes {
			product *= len(a.Values)
		}
		switch {
		case wantErr != nil:
			tally["an error"]++
		case len(wantCells) == 0:
			tally["no cell"]++
		case len(wantCells) < product:
			tally["combinations excluded"]++
		}
		for _, c := range wantCells {
			if len(c.Added) > 0 {
				tally["include keys added"]++
				break
			}
		}
	}
	// The runs cover errors, matrices wholly or partly excluded, and
	// include entries that extend combinations.
	for _, what := range []string{"an error", "no cell", "combinations excluded", "include keys added"} {
		if tally[what] < runs/50 {
			t.Errorf("only %d runs with %s", tally[what], what)
		}
	}
}

func dumpSpec(s Spec) string {
	var b strings.Builder
	for _, a := range s.Axes {
		fmt.Fprintf(&b, "%s: %s\n", a.Name, render(a.Values))
	}
	for _, e := range s.Include {
		fmt.Fprintf(&b, "include %s\n", render(e))
	}
	for _, e := range s.Exclude {
		fmt.Fprintf(&b, "exclude %s\n", render(e))
	}
	return b.String()
}

func renderAdded(cells []Cell) string {
	var b strings.Builder
	for _, c := range cells {
		fmt.Fprintf(&b, "%s added %q\n", render(c.Values), c.Added)
	}
	return b.String()
}

// numbers returns the values 0..n-1.
func numbers(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// hostileSpec is a matrix whose combinations run into the millions, with
// the cells or the error Expand gives for it.
type hostileSpec struct {
	what  string
	spec  func() Spec
	cells int
	err   string
}

// hostileSpecs are the shapes of issue 10: one long axis, long exclude
// lists over two or three axes, long include lists.
func hostileSpecs() []hostileSpec {
	return []hostileSpec{
		{
			what: "one axis of 100,000 values",
			spec: func() Spec { return Spec{Axes: []Axis{{Name: "a", Values: numbers(100_000)}}} },
			err:  "Strategy produced more than 256",
		},
		{
			what: "55x55 with 3,000 single-combination excludes",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: numbers(55)}, {Name: "b", Values: numbers(55)}}}
				for i := range 3000 {
					s.Exclude = append(s.Exclude, obj("a", i/55, "b", i%55))
				}
				return s
			},
			cells: 25,
		},
		{
			what: "3,000x3,000 with every value of the first axis but two excluded",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: numbers(3000)}, {Name: "b", Values: numbers(100)}}}
				for i := range 2998 {
					s.Exclude = append(s.Exclude, obj("a", i))
				}
				return s
			},
			cells: 200,
		},
		{
			what: "30,000x30,000 with every value of the last axis excluded",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: numbers(30_000)}, {Name: "b", Values: numbers(30_000)}}}
				for i := range 30_000 {
					s.Exclude = append(s.Exclude, obj("b", i))
				}
				s.Include = []*expr.Object{obj("a", "new")}
				return s
			},
			cells: 1,
		},
		{
			what: "pairs over the first two of three axes, the rest by the third",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: numbers(2000)}, {Name: "b", Values: numbers(2000)}, {Name: "c", Values: numbers(2)}}}
				for i := range 2000 {
					s.Exclude = append(s.Exclude, obj("a", i, "b", i, "c", 0))
				}
				s.Exclude = append(s.Exclude, obj("c", 1))
				return s
			},
			err: "Strategy produced more than 256",
		},
		{
			what: "30,000 copies of one value, each excluded with one of the other axis's",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: make([]any, 30_000)}, {Name: "b", Values: numbers(300)}}}
				for i := range s.Axes[0].Values {
					s.Axes[0].Values[i] = "x"
				}
				for i := range 30_000 {
					s.Exclude = append(s.Exclude, obj("a", "X", "b", i%300))
				}
				return s
			},
			cells: 0,
		},
		{
			what: "100,000 include entries that each extend one of 256 combinations",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: numbers(16)}, {Name: "b", Values: numbers(16)}}}
				for i := range 100_000 {
					s.Include = append(s.Include, obj("a", i%16, "b", (i/16)%16, "k", i))
				}
				return s
			},
			cells: 256,
		},
		{
			what: "100,000 include entries of their own",
			spec: func() Spec {
				s := Spec{Axes: []Axis{{Name: "a", Values: numbers(2)}}}
				for i := range 100_000 {
					s.Include = append(s.Include, obj("a", fmt.Sprint("n", i)))
				}
				return s
			},
			err: "Strategy produced more than 256",
		},
	}
}

// TestExpandHostileShapes: matrices whose combinations run into the
// millions expand, or fail, as the reference would, visiting only what the
// exclude entries leave (the reference takes minutes on some of these;
// BenchmarkExpandHostile times them).
func TestExpandHostileShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range hostileSpecs() {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			s := tc.spec()
			cells, err := Expand(s)
			if fmt.Sprint(err) != fmt.Sprint(nilIfEmpty(tc.err)) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if err == nil && len(cells) != tc.cells {
				t.Errorf("%d cells, want %d", len(cells), tc.cells)
			}
		})
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestExpandTooCostly: a mesh of partial exclude entries over long axes,
// whose product is over a billion and which removes every combination
// without removing any value of the first two axes whole, ends at
// maxSteps with rehearse's own error rather than running for minutes.
func TestExpandTooCostly(t *testing.T) {
	t.Parallel()
	const n = 20_000
	s := Spec{Axes: []Axis{{Name: "a", Values: numbers(n)}, {Name: "b", Values: numbers(n)}, {Name: "c", Values: numbers(3)}}}
	s.Exclude = append(s.Exclude, obj("c", 2))
	for i := range n {
		s.Exclude = append(s.Exclude, obj("a", i, "c", 0), obj("b", i, "c", 1))
	}
	_, err := Expand(s)
	errs := errorsOf(t, err)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Message, "rehearse gave up expanding this matrix") || errs[0].Section != SectionMatrix {
		t.Fatalf("errors %v, want rehearse's limit", err)
	}
}
