package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testContexts builds contexts from JSON so key order is fixed.
func testContexts(t *testing.T, js string) map[string]Value {
	t.Helper()
	v, err := FromJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Value{}
	v.(*Object).Range(func(k string, v Value) bool {
		out[k] = v
		return true
	})
	return out
}

const evalContexts = `{
	"github": {"ref": "refs/heads/main", "event_name": "push", "event": {"commits": [{"id": "a1", "files": ["x.go"]}, {"id": "b2", "files": ["y.go", "z.go"]}]}},
	"matrix": {"os": "ubuntu-latest", "py": [3.11, 3.12]},
	"empty": [],
	"nothing": null
}`

// evalResult renders a result as kind + toJSON text for comparisons.
func evalResult(v Value) string {
	return KindOf(v).String() + " " + ToJSON(v)
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	env := &Env{Contexts: testContexts(t, evalContexts)}
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"empty expression is null", "", "Null null"},
		{"property", "github.ref", `String "refs/heads/main"`},
		{"context names ignore case", "GitHub.REF", `String "refs/heads/main"`},
		{"missing property", "github.nope.deeper", "Null null"},
		{"index", "matrix.py[1]", "Number 3.12"},
		{"index is floored", "matrix.py[1.9]", "Number 3.12"},
		{"negative index", "matrix.py[-1]", "Null null"},
		{"string index on array coerces", "matrix.py['1']", "Number 3.12"},
		{"index on a string", "github.ref[0]", "Null null"},
		{"object filter", "matrix.*", "Array [\n  \"ubuntu-latest\",\n  [\n    3.11,\n    3.12\n  ]\n]"},
		{"filter then property", "github.event.commits.*.id", "Array [\n  \"a1\",\n  \"b2\"\n]"},
		{"filter then filter flattens", "github.event.commits.*.files.*", "Array [\n  \"x.go\",\n  \"y.go\",\n  \"z.go\"\n]"},
		{"index applies to each filtered item", "(github.event.commits.*.files)[1]", "Array [\n  \"z.go\"\n]"},
		{"filter of null is empty", "nothing.*", "Array []"},
		{"and returns the deciding operand", "github.ref && matrix.os", `String "ubuntu-latest"`},
		{"or returns the first truthy operand", "nothing || '' || 0 || 'x'", `String "x"`},
		{"or returns the last operand when all are falsy", "nothing || ''", `String ""`},
		{"not", "!empty", "Boolean false"},
		{"comparison coerces", "'0x10' == 16 && true == '1'", "Boolean true"},
		{"<= is == or <", "'A' <= 'a'", "Boolean true"},
		{"same context array is itself", "empty == empty", "Boolean true"},
		{"filters are distinct instances", "matrix.* == matrix.*", "Boolean false"},
		{"status functions default to a running job", "success() && !failure() && !cancelled() && always()", "Boolean true"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(tc.input, env)
			if err != nil {
				t.Fatalf("Evaluate(%q): %v", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, evalResult(got)); diff != "" {
				t.Errorf("Evaluate(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestEvaluateStatus(t *testing.T) {
	t.Parallel()
	yes := func() bool { return true }
	no := func() bool { return false }
	tests := []struct {
		what   string
		input  string
		status StatusFuncs
		want   bool
	}{
		{"failed job", "failure() && !success()", StatusFuncs{Success: no, Failure: yes}, true},
		{"cancelled job", "cancelled()", StatusFuncs{Cancelled: yes}, true},
		{"always can be overridden", "always()", StatusFuncs{Always: no}, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(tc.input, &Env{Status: tc.status})
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Evaluate(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 60000)
	env := &Env{
		Contexts: map[string]Value{"big": big, "arr": FromGo(strings.Split(strings.Repeat("y,", 140000), ","))},
		HashFiles: func(p []string) (string, error) {
			return "", errors.New("disk on fire")
		},
	}
	tests := []struct {
		what    string
		input   string
		env     *Env
		message string
		offset  int
	}{
		{"error located at the failing call", "1 == 1 && fromJSON('x')", nil, "Error parsing fromJson: invalid character 'x' looking for beginning of value", 10},
		{"hashFiles without a workspace", "hashFiles('**')", nil, "hashFiles is not available here", 0},
		{"hashFiles failure", "hashFiles('a''b', 'c')", env, "hashFiles('a''b, c') failed: disk on fire", 0},
		{"format over the memory budget", "format('{0}{0}{0}{0}{0}{0}{0}{0}{0}', big)", env, "The maximum allowed memory size was exceeded while evaluating the following expression: format('{0}{0}{0}{0}{0}{0}{0}{0}{0}', big)", 0},
		{"evaluation over the memory budget", "format('{0}{0}{0}{0}{0}', big) < format('{0}{0}{0}{0}{0}', big)", env, "The maximum allowed memory size was exceeded while evaluating the following expression: (format('{0}{0}{0}{0}{0}', big) < format('{0}{0}{0}{0}{0}', big))", 33},
		{"filter over the memory budget", "arr.* == 1", env, "The maximum allowed memory size was exceeded while evaluating the following expression: arr.*", 3},
		{"toJSON over the memory budget", "toJSON(arr)", env, "The maximum allowed memory size was exceeded while evaluating the following expression: toJSON(arr)", 0},
		{"join over the memory budget", "join(arr, big)", env, "The maximum allowed memory size was exceeded while evaluating the following expression: join(arr, big)", 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			e := tc.env
			if e == nil {
				e = &Env{}
			}
			_, err := Evaluate(tc.input, e)
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("Evaluate(%q) = %v, want an *Error", tc.input, err)
			}
			want := &Error{Kind: ErrorEvaluation, Message: tc.message, Offset: tc.offset}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Evaluate(%q) error mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestEval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		env   *Env
		want  string
	}{
		{"nil env", "toJSON(1)", nil, `String "1"`},
		{"Parse accepts any name; a missing context is null", "nope.x", &Env{}, "Null null"},
		{"exact key wins over case-insensitive ones", "Foo", &Env{Contexts: map[string]Value{"foo": 1.0, "Foo": 2.0}}, "Number 2"},
		{"case-insensitive lookup is stable", "FOO", &Env{Contexts: map[string]Value{"foo": 1.0, "Foo": 2.0}}, "Number 2"},
		{"filtered arrays come out as plain arrays", "x.*", &Env{Contexts: map[string]Value{"x": FromGo([]string{"a"})}}, "Array [\n  \"a\"\n]"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			n, err := Parse(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Eval(n, tc.env)
			if err != nil {
				t.Fatalf("Eval(%q): %v", tc.input, err)
			}
			if _, ok := got.(filteredArray); ok {
				t.Errorf("Eval(%q) leaked a filtered array", tc.input)
			}
			if diff := cmp.Diff(tc.want, evalResult(got)); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestEvalUnknownFunction(t *testing.T) {
	t.Parallel()
	n, err := ParseWithNames("myFunc()", nil, []string{"myFunc"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Eval(n, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorEvaluation || e.Message != "Unrecognized function: 'myFunc'" {
		t.Errorf("Eval(myFunc()) = %v, want an evaluation error", err)
	}
}
