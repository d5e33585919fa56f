package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const templateContexts = `{
	"github": {"ref": "refs/heads/main", "run_number": 7},
	"matrix": {"os": "ubuntu-latest", "node": [18, 20]},
	"nothing": null
}`

func TestInterpolate(t *testing.T) {
	t.Parallel()
	env := &Env{Contexts: testContexts(t, templateContexts)}
	tests := []struct {
		what  string
		input string
		want  string // kind and ToJSON of the result
	}{
		{"no expression", "plain text", `String "plain text"`},
		{"empty", "", `String ""`},
		{"dollar without braces", "$HOME and ${x}", `String "$HOME and ${x}"`},
		{"one expression keeps its kind", "${{ github.run_number }}", "Number 7"},
		{"objects too", "${{ matrix.node }}", "Array [\n  18,\n  20\n]"},
		{"null", "${{ nothing }}", "Null null"},
		{"no spaces needed", "${{github.ref}}", `String "refs/heads/main"`},
		{"text around makes a string", " ${{ github.run_number }}", `String " 7"`},
		{"several expressions", "${{ matrix.os }}-node${{ matrix.node[0] }}", `String "ubuntu-latest-node18"`},
		{"values become text", "a ${{ matrix.node }} ${{ nothing }}|${{ 1 == 1 }}", `String "a Array |true"`},
		{"braces and quotes in text are kept", "{{ x }} 'q' ${{ 1 }} }", `String "{{ x }} 'q' 1 }"`},
		{"}} inside a string does not close", "${{ format('{0}}}', 'a') }}", `String "a}"`},
		{"a string literal", "${{ 'it''s' }}", `String "it's"`},
		{"the first }} closes", "${{ 1 }}}", `String "1}"`},
		{"depth 50 on its own is fine", "${{ " + strings.Repeat("!", 49) + "true }}", "Boolean false"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Interpolate(tc.input, env)
			if err != nil {
				t.Fatalf("Interpolate(%q): %v", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, evalResult(got)); diff != "" {
				t.Errorf("Interpolate(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestInterpolateErrors(t *testing.T) {
	t.Parallel()
	env := &Env{Contexts: testContexts(t, templateContexts)}
	tests := []struct {
		what   string
		input  string
		want   Error
		nilEnv bool
	}{
		{"unclosed", "a ${{ github.ref ", Error{Kind: ErrorParsing, Message: msgNotClosed, Offset: 2}, false},
		{"unclosed string eats the braces", "${{ 'x }}", Error{Kind: ErrorParsing, Message: msgNotClosed, Offset: 0}, false},
		{"empty expression", "x ${{   }}", Error{Kind: ErrorParsing, Message: msgExpectedExpression, Offset: 2}, false},
		{"syntax error points into the string", "ref: ${{ github.ref == }}", Error{Kind: ErrorParsing, Message: "Unexpected end of expression: '=='. Located at position 12 within expression: github.ref ==", Offset: 20}, false},
		{"unknown context", "${{ github.ref }} ${{ secrets.x }}", Error{Kind: ErrorParsing, Message: "Unrecognized named-value: 'secrets'. Located at position 1 within expression: secrets.x", Offset: 22}, false},
		{"evaluation error points at the call", "v=${{ fromJSON('{') }}", Error{Kind: ErrorEvaluation, Message: "Error parsing fromJson: unexpected end of JSON input", Offset: 6}, false},
		{"nil env knows no contexts", "${{ github.ref }}", Error{Kind: ErrorParsing, Message: "Unrecognized named-value: 'github'. Located at position 1 within expression: github.ref", Offset: 4}, true},
		{"too many expressions for one format()", strings.Repeat("${{ 1 }}", 255), Error{Kind: ErrorParsing, Message: "Too many parameters supplied: 'format'", Offset: 4}, false},
		{"depth counts the format() around the expressions", "x${{ " + strings.Repeat("!", 49) + "true }}", Error{Kind: ErrorParsing, Message: "Exceeded max expression depth 50", Offset: 0}, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			e := env
			if tc.nilEnv {
				e = nil
			}
			_, err := Interpolate(tc.input, e)
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("Interpolate(%q) = %v, want an *Error", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("Interpolate(%q) error mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestSplitTemplate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  []templatePart
	}{
		{"literal", "abc", []templatePart{{text: "abc"}}},
		{"expression", "${{ a }}", []templatePart{{isExpr: true, text: "a", off: 4}}},
		{"mixed", "x${{ a }}y${{b}}", []templatePart{{text: "x"}, {isExpr: true, text: "a", off: 5, open: 1}, {text: "y", off: 9}, {isExpr: true, text: "b", off: 13, open: 10}}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := splitTemplate(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(templatePart{})); diff != "" {
				t.Errorf("splitTemplate(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestFormatText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"escapes quotes and braces", "it's {x} ${{ a }}!", "format('it''s {{x}} {0}!', a)"},
		{"numbers the arguments", "${{ a }}${{ b.c }}", "format('{0}{1}', a, b.c)"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			parts, err := splitTemplate(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if got := formatText(parts); got != tc.want {
				t.Errorf("formatText(%q) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}
