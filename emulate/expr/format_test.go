package expr

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"arguments", "format('{0}-{1}-{0}', 'a', 2)", "a-2-a"},
		{"escaped braces", "format('{{{0}}}', 'x')", "{x}"},
		{"escaped braces only", "format('}}{{')", "}{"},
		{"null format", "format(null, 'x')", ""},
		{"number format", "format(12)", "12"},
		{"value conversions", "format('{0} {1} {2} {3} {4}', null, true, 0.5, fromJSON('[]'), fromJSON('{}'))", " true 0.5 Array Object"},
		{"unreferenced arguments are not evaluated", "format('{1}', fromJSON('bad'), 'ok')", "ok"},
		{"two-digit index", "format('{10}', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'ten')", "ten"},
		{"leading zeros", "format('{00}', 'z')", "z"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(tc.input, nil)
			if err != nil {
				t.Fatalf("Evaluate(%q): %v", tc.input, err)
			}
			if got != tc.want {
				t.Errorf("Evaluate(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestFormatErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		input   string
		message string
	}{
		{"unclosed", "format('{0', 1)", "The following format string is invalid: {0"},
		{"empty braces", "format('{}', 1)", "The following format string is invalid: {}"},
		{"lone right brace", "format('a}b')", "The following format string is invalid: a}b"},
		{"space in braces", "format('{ 0}', 1)", "The following format string is invalid: { 0}"},
		{"index beyond a byte", "format('{256}', 1)", "The following format string is invalid: {256}"},
		{"missing argument", "format('{0}{1}', 'a')", "The following format string references more arguments than were supplied: {0}{1}"},
		{"format errors come before argument errors", "format('{0', fromJSON('bad'))", "The following format string is invalid: {0"},
		{"specifiers are rejected", "format('{0:D2}', 5)", "The format specifiers 'D2' are not valid for objects of type 'Number'"},
		{"escaped brace in specifiers", "format('{0:a}}b}', 'x')", "The format specifiers 'a}b' are not valid for objects of type 'String'"},
		{"unclosed specifiers", "format('{0:abc', 'x')", "The following format string is invalid: {0:abc"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := Evaluate(tc.input, nil)
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("Evaluate(%q) = %v, want an *Error", tc.input, err)
			}
			want := &Error{Kind: ErrorEvaluation, Message: tc.message, Offset: 0}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Evaluate(%q) error mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what   string
		format string
		nargs  int
		want   []formatSegment
	}{
		{"text only", "abc", 0, []formatSegment{{text: "abc", arg: -1}}},
		{"mixed", "a{0}b{1:x}", 2, []formatSegment{{text: "a", arg: -1}, {arg: 0}, {text: "b", arg: -1}, {arg: 1, spec: "x"}}},
		{"escapes keep one brace each", "{{a}}", 0, []formatSegment{{text: "{", arg: -1}, {text: "a}", arg: -1}}},
		{"empty", "", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, msg := parseFormat(tc.format, tc.nargs)
			if msg != "" {
				t.Fatalf("parseFormat(%q): %s", tc.format, msg)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(formatSegment{})); diff != "" {
				t.Errorf("parseFormat(%q) mismatch (-want +got):\n%s", tc.format, diff)
			}
		})
	}
}
