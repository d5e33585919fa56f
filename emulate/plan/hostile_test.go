package plan_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// hostileShape is a workflow file of a shape that once took rehearse
// seconds to minutes, or hundreds of MB, to read, validate and plan
// (issue 10), and what `rehearse plan` must make of it: refuse it with an
// error at a position, or plan so many jobs.
type hostileShape struct {
	name string
	// gen returns the file, about size bytes long, and what to expect of
	// it.
	gen func(size int) (src string, want hostileWant)
}

type hostileWant struct {
	// refused is "line:col: part of the message" of the error finding
	// the file is refused with; empty when it is planned.
	refused string
	// jobs is the number of jobs planned (matrix cells count one each).
	jobs int
}

const hostileHead = "name: s\non: push\njobs:\n"

// matrixJob is job t with the given strategy.matrix lines; its matrix
// key is at 7:7.
func matrixJob(matrix string) string {
	return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n" + matrix + "    steps:\n      - run: echo ${{ matrix.a }}\n"
}

// upTo repeats line(i) for i = 0, 1, ... while the total stays under
// size bytes, and returns the lines and their count.
func upTo(size int, line func(i int) string) (string, int) {
	var b strings.Builder
	i := 0
	for {
		l := line(i)
		if b.Len()+len(l) > size {
			return b.String(), i
		}
		b.WriteString(l)
		i++
	}
}

// numberList is "[0, 1, ..., n-1]".
func numberList(n int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, i)
	}
	b.WriteByte(']')
	return b.String()
}

const tooMany = "7:7: job \"t\": Strategy produced more than 256"

func hostileShapes() []hostileShape {
	return []hostileShape{
		{"one axis of 100,000 values on one line", func(int) (string, hostileWant) {
			return matrixJob("        a: " + numberList(100_000) + "\n"), hostileWant{refused: tooMany}
		}},
		{"one axis filling the file, a value a line", func(size int) (string, hostileWant) {
			vals, _ := upTo(size, func(i int) string { return fmt.Sprintf("          - v%d\n", i) })
			return matrixJob("        a:\n" + vals), hostileWant{refused: tooMany}
		}},
		{"55x55 with 3,000 exclude entries", func(int) (string, hostileWant) {
			var ex strings.Builder
			for i := range 3000 {
				fmt.Fprintf(&ex, "          - {a: %d, b: %d}\n", i/55, i%55)
			}
			return matrixJob("        a: " + numberList(55) + "\n        b: " + numberList(55) + "\n        exclude:\n" + ex.String()), hostileWant{jobs: 25}
		}},
		{"3,000x100 with 2,998 values of the first axis excluded", func(int) (string, hostileWant) {
			var ex strings.Builder
			for i := range 2998 {
				fmt.Fprintf(&ex, "          - {a: %d}\n", i)
			}
			return matrixJob("        a: " + numberList(3000) + "\n        b: " + numberList(100) + "\n        exclude:\n" + ex.String()), hostileWant{jobs: 200}
		}},
		{"two long axes with the last excluded value by value", func(size int) (string, hostileWant) {
			n := size / 36
			var ex strings.Builder
			for i := range n {
				fmt.Fprintf(&ex, "          - {b: %d}\n", i)
			}
			return matrixJob("        a: " + numberList(n) + "\n        b: " + numberList(n) + "\n        exclude:\n" + ex.String() + "        include:\n          - {a: new}\n"), hostileWant{jobs: 1}
		}},
		{"exclude pairs filling the file over 500x500", func(size int) (string, hostileWant) {
			ex, _ := upTo(size-4000, func(i int) string { return fmt.Sprintf("          - {a: %d, b: %d}\n", i%500, (i/500)%500) })
			return matrixJob("        a: " + numberList(500) + "\n        b: " + numberList(500) + "\n        exclude:\n" + ex), hostileWant{refused: tooMany}
		}},
		{"exclude entries that remove everything only together", func(size int) (string, hostileWant) {
			// Every combination is removed, by an entry on a and c or on b
			// and c, over a cross product of hundreds of millions:
			// rehearse's limit. (At 12 values per a, the file stays under
			// the 250,000 values limits.go allows.)
			n := size / 70
			var ex strings.Builder
			for i := range n {
				fmt.Fprintf(&ex, "          - {a: %d, c: 0}\n          - {b: %d, c: 1}\n", i, i)
			}
			return matrixJob("        a: " + numberList(n) + "\n        b: " + numberList(n) + "\n        c: [0, 1, 2]\n        exclude:\n          - {c: 2}\n" + ex.String()),
				hostileWant{refused: "7:7: job \"t\": rehearse gave up expanding this matrix"}
		}},
		{"include entries of their own filling the file", func(size int) (string, hostileWant) {
			inc, _ := upTo(size, func(i int) string { return fmt.Sprintf("          - {a: n%d, x: %d}\n", i, i) })
			return matrixJob("        a: [1, 2]\n        include:\n" + inc), hostileWant{refused: tooMany}
		}},
		{"include entries extending 256 combinations filling the file", func(size int) (string, hostileWant) {
			inc, _ := upTo(size, func(i int) string { return fmt.Sprintf("          - {a: %d, k%d: %d}\n", i%16, i, i) })
			return matrixJob("        a: " + numberList(16) + "\n        b: " + numberList(16) + "\n        include:\n" + inc), hostileWant{jobs: 256}
		}},
		{"matrix objects with different keys filling the file", func(size int) (string, hostileWant) {
			vals, _ := upTo(size, func(i int) string { return fmt.Sprintf("{k%d: 1}, ", i) })
			return matrixJob("        a: [" + strings.TrimSuffix(vals, ", ") + "]\n"), hostileWant{refused: "8:9: the objects in this matrix have so many different keys"}
		}},
		{"3.10-style numbers filling the file", func(size int) (string, hostileWant) {
			vals, _ := upTo(size, func(i int) string { return fmt.Sprintf("%d.10, ", i) })
			return matrixJob("        a: [" + strings.TrimSuffix(vals, ", ") + "]\n"), hostileWant{refused: tooMany}
		}},
		{"matrix values nested 90 deep", func(int) (string, hostileWant) {
			vals := make([]string, 250)
			for i := range vals {
				vals[i] = strings.Repeat("{k: ", 90) + fmt.Sprint(i) + strings.Repeat("}", 90)
			}
			return matrixJob("        a: [" + strings.Join(vals, ", ") + "]\n"), hostileWant{jobs: 250}
		}},
		{"one line of a script filling the file", func(size int) (string, hostileWant) {
			return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo " + strings.Repeat("a", size) + "\n", hostileWant{jobs: 1}
		}},
		{"one line of short expressions filling the file", func(size int) (string, hostileWant) {
			return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo " + strings.Repeat("${{ github.sha }}", size/17) + "\n", hostileWant{jobs: 1}
		}},
		{"one if: expression filling the file", func(size int) (string, hostileWant) {
			return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    if: ${{ " + strings.Repeat("github.sha && ", size/14) + "true }}\n    steps:\n      - run: echo\n",
				hostileWant{refused: "6:9: Exceeded max expression length 21000"}
		}},
		{"parentheses nested through the file", func(size int) (string, hostileWant) {
			return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    if: ${{ " + strings.Repeat("(", size/2) + "true" + strings.Repeat(")", size/2) + " }}\n    steps:\n      - run: echo\n",
				hostileWant{refused: "6:9: Exceeded max expression length 21000"}
		}},
		{"jobs filling the file", func(size int) (string, hostileWant) {
			jobs, n := upTo(size, func(i int) string {
				return fmt.Sprintf("  j%d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo %d\n", i, i)
			})
			return hostileHead + jobs, hostileWant{jobs: n}
		}},
		{"a needs chain through the file", func(size int) (string, hostileWant) {
			jobs, n := upTo(size, func(i int) string {
				needs := ""
				if i > 0 {
					needs = fmt.Sprintf("    needs: j%d\n", i-1)
				}
				return fmt.Sprintf("  j%d:\n    runs-on: ubuntu-latest\n%s    steps:\n      - run: echo %d\n", i, needs, i)
			})
			return hostileHead + jobs, hostileWant{jobs: n}
		}},
		{"steps filling the file", func(size int) (string, hostileWant) {
			steps, _ := upTo(size, func(i int) string { return fmt.Sprintf("      - run: echo ${{ github.sha }} %d\n", i) })
			return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    steps:\n" + steps, hostileWant{jobs: 1}
		}},
		{"steps of a 256-cell matrix job filling the file", func(size int) (string, hostileWant) {
			steps, _ := upTo(size, func(i int) string { return fmt.Sprintf("      - run: echo ${{ matrix.a }} ${{ matrix.b }} %d\n", i) })
			return hostileHead + "  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        a: " + numberList(16) + "\n        b: " + numberList(16) + "\n    steps:\n" + steps,
				hostileWant{jobs: 256}
		}},
		{"environment variables filling the file", func(size int) (string, hostileWant) {
			env, _ := upTo(size, func(i int) string { return fmt.Sprintf("  E%d: v%d\n", i, i) })
			return "name: s\non: push\nenv:\n" + env + "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo $E1\n", hostileWant{jobs: 1}
		}},
	}
}

// writeHostile writes src as the one workflow of a fresh repository and
// returns the repository.
func writeHostile(tb testing.TB, src string) string {
	tb.Helper()
	root := tb.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "w.yml"), []byte(src), 0o644); err != nil {
		tb.Fatal(err)
	}
	return root
}

// planHostile reads, validates and plans the workflows of root as
// `rehearse plan` and `rehearse list` do, writing both texts.
func planHostile(tb testing.TB, root string) (*workflow.Result, *plan.Plan) {
	tb.Helper()
	res, err := workflow.Load(workflow.Options{Root: root})
	if err != nil {
		tb.Fatal(err)
	}
	g := testGit(root)
	p := plan.Build(res, plan.Options{Root: root, Git: g, Event: &trigger.Event{Name: "push", Ref: g.Ref, SHA: g.SHA}, Placing: plan.Placing{Executor: plan.RunnerHost}})
	if err := plan.WriteText(io.Discard, p); err != nil {
		tb.Fatal(err)
	}
	if err := plan.WriteList(io.Discard, p); err != nil {
		tb.Fatal(err)
	}
	return res, p
}

// checkHostile fails when res and p are not what want says.
func checkHostile(tb testing.TB, res *workflow.Result, p *plan.Plan, want hostileWant) {
	tb.Helper()
	if want.refused != "" {
		for _, f := range res.Findings {
			if f.Severity == workflow.SeverityError && strings.HasPrefix(fmt.Sprintf("%d:%d: %s", f.Line, f.Column, f.Message), want.refused) {
				return
			}
		}
		var got []string
		for _, f := range res.Findings[:min(len(res.Findings), 5)] {
			got = append(got, fmt.Sprintf("%d:%d: %s", f.Line, f.Column, f.Message))
		}
		tb.Fatalf("no error %q among the findings:\n%s", want.refused, strings.Join(got, "\n"))
	}
	if workflow.HasErrors(res.Findings) {
		tb.Fatalf("refused: %s", res.Findings[0].Message)
	}
	jobs := 0
	for _, w := range p.Workflows {
		jobs += len(w.Jobs)
	}
	if jobs != want.jobs {
		tb.Errorf("planned %d jobs, want %d", jobs, want.jobs)
	}
}

// TestHostileShapes: each hostile shape, at 64 KB (BenchmarkHostileShapes
// takes them at 1 MB), is refused with an error at its position, or
// planned with the jobs GitHub would create.
func TestHostileShapes(t *testing.T) {
	t.Parallel()
	for _, s := range hostileShapes() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			src, want := s.gen(64 << 10)
			res, p := planHostile(t, writeHostile(t, src))
			checkHostile(t, res, p, want)
		})
	}
}
