package expr

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const functionContexts = `{
	"labels": [{"name": "bug"}, {"name": "ci"}],
	"list": ["Hello", 1, true, null],
	"obj": {"Object": "o"},
	"empty": []
}`

func TestFunctions(t *testing.T) {
	t.Parallel()
	var gotArgs []string
	env := &Env{
		Contexts: testContexts(t, functionContexts),
		HashFiles: func(p []string) (string, error) {
			gotArgs = p
			return "abc123", nil
		},
	}
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"contains ignores case", "contains('Hello World', 'WORLD')", "Boolean true"},
		{"contains converts primitives", "contains(12345, 234) && contains('true', true)", "Boolean true"},
		{"contains null is the empty string", "contains('x', null)", "Boolean true"},
		{"contains with an object item", "contains('Object', obj)", "Boolean false"},
		{"contains in an array uses ==", "contains(list, 'hello') && contains(list, '1') && contains(list, 1) && contains(list, '')", "Boolean true"},
		{"contains in a filtered array", "contains(labels.*.name, 'CI')", "Boolean true"},
		{"contains in an object is false", "contains(obj, 'Object')", "Boolean false"},
		{"contains skips the item for an empty array", "contains(empty, fromJSON('bad'))", "Boolean false"},
		{"startsWith", "startsWith('refs/heads/main', 'REFS/')", "Boolean true"},
		{"startsWith non-primitive", "startsWith(list, 'Hello')", "Boolean false"},
		{"startsWith empty prefix", "startsWith('', '')", "Boolean true"},
		{"endsWith", "endsWith('file.TXT', '.txt')", "Boolean true"},
		{"endsWith number", "endsWith(1234, 34)", "Boolean true"},
		{"endsWith mismatch", "endsWith('abc', 'b')", "Boolean false"},
		{"join default separator", "join(labels.*.name)", `String "bug,ci"`},
		{"join separator", "join(list, ' | ')", `String "Hello | 1 | true | "`},
		{"join object separator falls back to comma", "join(list, obj)", `String "Hello,1,true,"`},
		{"join primitive", "join(1.50)", `String "1.5"`},
		{"join object", "join(obj)", `String ""`},
		{"join single item ignores the separator", "join(fromJSON('[\"a\"]'), fromJSON('bad'))", `String "a"`},
		{"toJSON", "toJSON(labels[0])", "String \"{\\n  \\\"name\\\": \\\"bug\\\"\\n}\""},
		{"fromJSON", "fromJSON('{\"a\": [1, \"x\"]}').a[1]", `String "x"`},
		{"fromJSON of a number", "fromJSON(' 12.5 ')", "Number 12.5"},
		{"case first match", "case(false, 'a', 1 == 1, 'b', 'c')", `String "b"`},
		{"case default", "case(false, 'a', 'c')", `String "c"`},
		{"case keeps kinds", "case(true, fromJSON('[1]'), 'c')", "Array [\n  1\n]"},
		{"case evaluates only what it needs", "case(true, 'a', fromJSON('bad'), 'b', 'c')", `String "a"`},
		{"hashFiles passes strings", "hashFiles('**/go.sum', 1, null)", `String "abc123"`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			// Not parallel: the hashFiles case records its arguments.
			got, err := Evaluate(tc.input, env)
			if err != nil {
				t.Fatalf("Evaluate(%q): %v", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, evalResult(got)); diff != "" {
				t.Errorf("Evaluate(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
	if diff := cmp.Diff([]string{"**/go.sum", "1", ""}, gotArgs); diff != "" {
		t.Errorf("hashFiles arguments mismatch (-want +got):\n%s", diff)
	}
}

func TestFunctionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		input   string
		message string
		offset  int
	}{
		{"case predicate must be boolean", "case(1, 'a', 'b')", "case predicate must evaluate to a boolean value", 5},
		{"case checks later predicates", "case(false, 'a', 'yes', 'b', 'c')", "case predicate must evaluate to a boolean value", 17},
		{"fromJSON of empty text", "fromJSON('')", "Error parsing fromJson: unexpected end of JSON input", 0},
		{"fromJSON of trailing data", "fromJSON('1 2')", "Error parsing fromJson: unexpected data after the JSON value at offset 3", 0},
		{"fromJSON of an argument error", "x || fromJSON(fromJSON('['))", "Error parsing fromJson: unexpected end of JSON input", 14},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := Evaluate(tc.input, &Env{Contexts: map[string]Value{"x": nil}})
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

func TestIsStatusFunction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		name string
		want bool
	}{
		{"success", "success", true},
		{"upper case", "FAILURE", true},
		{"cancelled", "Cancelled", true},
		{"always", "always", true},
		{"hashFiles is not", "hashFiles", false},
		{"American spelling is not", "canceled", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := isStatusFunction(tc.name); got != tc.want {
				t.Errorf("isStatusFunction(%q) = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
}
