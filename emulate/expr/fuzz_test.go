package expr

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// evalDeadline bounds one parse and evaluation of a fuzzed expression. The
// depth, length and memory limits keep a real one in microseconds.
const evalDeadline = 5 * time.Second

// conformanceExprs returns the expressions of GitHub's shared test data
// (testdata/conformance), the seeds of the parser and evaluator targets.
func conformanceExprs(f *testing.F) []string {
	f.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "conformance", "*.json"))
	var out []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var groups map[string]json.RawMessage
		if json.Unmarshal(data, &groups) != nil {
			continue
		}
		for _, g := range groups {
			var cases []struct {
				Expr string `json:"expr"`
			}
			if json.Unmarshal(g, &cases) != nil {
				continue // a "refer ./x.json" string
			}
			for _, c := range cases {
				out = append(out, c.Expr)
			}
		}
	}
	if len(out) == 0 {
		f.Fatal("no expressions in testdata/conformance")
	}
	return out
}

// hostileExprs are expressions shaped to exhaust the evaluator: deep
// nesting, the longest expression allowed, format() and toJSON() blowing
// up their input, deep fromJSON, wildcard chains.
func hostileExprs() []string {
	return []string{
		strings.Repeat("(", 60) + "1" + strings.Repeat(")", 60),
		strings.Repeat("!", 49) + "true",
		"'" + strings.Repeat("a", MaxLength-2) + "'",
		"format('" + strings.Repeat("{0}", 80) + "', toJSON(github))",
		"join(github.*.*.*, format('{0}{0}{0}{0}', toJSON(github)))",
		"fromJSON('" + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "')",
		"toJSON(fromJSON(toJSON(fromJSON(toJSON(github)))))",
		"contains(toJSON(github), 'x') && startsWith(github.ref, 'refs/') || case(1, 2, 3)",
		strings.Repeat("github.event.", 200) + "x",
		"1 == 1 && " + strings.Repeat("1 < 2 && ", 500) + "true",
	}
}

// fuzzEnv is a github context with an event, and the other contexts a step
// sees, so that fuzzed property accesses find something to walk.
func fuzzEnv(tb testing.TB) *Env {
	tb.Helper()
	v, err := FromJSON(`{
		"github": {"event_name": "push", "ref": "refs/heads/main", "sha": "2ce6b095f4cceb616efed52266e3e3c0367ba795",
			"repository": "monalisa/testing", "run_number": 845, "workspace": "/w",
			"event": {"commits": [{"id": "a1", "message": "Update main.yml", "author": {"name": "mona"}},
				{"id": "b2", "message": "Fix tests\n\nbody", "author": {"name": "lisa"}}],
				"head_commit": {"id": "b2"}, "forced": false, "pull_request": null}},
		"env": {"CI": "true", "EMPTY": "", "N": "3"},
		"matrix": {"os": "ubuntu-latest", "python": 3.12, "node": [18, 20], "cfg": {"a": {"b": [1, {"c": "d"}]}}},
		"needs": {"build": {"result": "success", "outputs": {"m": "{\"x\": [1, 2]}"}}},
		"steps": {"s1": {"outputs": {"v": "1"}, "outcome": "success", "conclusion": "success"}},
		"inputs": {}, "secrets": {"TOKEN": "t"}, "vars": {}, "runner": {"os": "Linux"},
		"job": {"status": "success"}, "strategy": {"fail-fast": true}
	}`)
	if err != nil {
		tb.Fatal(err)
	}
	env := &Env{Contexts: map[string]Value{}}
	v.(*Object).Range(func(k string, v Value) bool {
		env.Contexts[k] = v
		return true
	})
	return env
}

// within runs fn and fails t when it takes longer than d; a hang is a bug
// as much as a panic is.
func within(t *testing.T, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s took more than %v", what, d)
	}
}

// checkError: an error is an *Error whose offset lies in the source, so
// that a caller can point at it (workflow positions are built from it).
func checkError(t *testing.T, what, src string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%s(%q): error %T %v is not an *Error", what, src, err, err)
	}
	if e.Offset < 0 || e.Offset > len(src) {
		t.Fatalf("%s(%q): error %q at offset %d, outside the %d-byte source", what, src, e.Message, e.Offset, len(src))
	}
	if e.Message == "" {
		t.Fatalf("%s(%q): error without a message", what, src)
	}
}

// FuzzParse: the parser never panics; its errors are positioned in the
// source; a tree it accepts prints ([Node.String]) as source that parses
// to the same tree, so messages that quote an expression quote one that
// means the same; whatever Parse accepts, Syntax accepts.
func FuzzParse(f *testing.F) {
	for _, s := range conformanceExprs(f) {
		f.Add(s)
	}
	for _, s := range hostileExprs() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var (
			n   Node
			err error
		)
		within(t, evalDeadline, "Parse", func() { n, err = Parse(src) })
		checkError(t, "Parse", src, err)
		if err != nil || n == nil {
			return
		}
		if err := Syntax(src); err != nil {
			t.Errorf("Parse(%q) succeeded but Syntax fails: %v", src, err)
		}
		printed := n.String()
		again, err := Parse(printed)
		if err != nil && indexesLiteral(n) {
			// GitHub prints ('a')[0] as 'a'[0] and (0).a as 0.a
			// (Index.ConvertToExpression), which do not parse: messages
			// quote them as GitHub does.
			return
		}
		if err != nil {
			t.Fatalf("Parse(%q) printed as %q, which does not parse: %v", src, printed, err)
		}
		if got := again.String(); got != printed {
			t.Errorf("Parse(%q) printed as %q, which prints as %q", src, printed, got)
		}
	})
}

// FuzzEvaluate: evaluating any template (a value with ${{ }}, as Interpolate
// reads it) or if: condition against a step's contexts returns within
// evalDeadline without panicking, and its errors are positioned in the
// source. Seeds: the conformance expressions, each bare and inside ${{ }},
// the hostile shapes, and the lines of the fixture workflows that use ${{ }}.
func FuzzEvaluate(f *testing.F) {
	for _, s := range conformanceExprs(f) {
		f.Add(s)
		f.Add("${{ " + s + " }}")
	}
	for _, s := range hostileExprs() {
		f.Add("${{ " + s + " }}")
	}
	workflows, _ := filepath.Glob("../../fixtures/*/.github/workflows/*.yml")
	for _, p := range workflows {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			if strings.Contains(line, "${{") {
				_, value, _ := strings.Cut(strings.TrimSpace(line), ": ")
				f.Add(value)
			}
		}
	}
	env := fuzzEnv(f)
	f.Fuzz(func(t *testing.T, src string) {
		var (
			v         Value
			err, cerr error
		)
		within(t, evalDeadline, "Interpolate and Condition", func() {
			v, err = Interpolate(src, env)
			_, cerr = Condition(src, env)
		})
		checkError(t, "Interpolate", src, err)
		checkError(t, "Condition", src, cerr)
		if !strings.Contains(src, "${{") && (err != nil || v != src) {
			t.Errorf("Interpolate(%q) = %q, %v: text without ${{ is itself", src, v, err)
		}
		if err == nil {
			// Every result can be shown, as toJSON() and as text.
			_ = ToJSON(v)
			_ = ToString(v)
		}
	})
}

// indexesLiteral reports whether n indexes a literal, which prints without
// the parentheses the grammar needs around it.
func indexesLiteral(n Node) bool {
	found := false
	Walk(n, func(n Node) bool {
		if ix, ok := n.(*Index); ok {
			_, found = ix.Left.(*Literal)
		}
		return !found
	})
	return found
}
