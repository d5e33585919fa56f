package expr

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseTree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  Node
	}{
		{"literal", "'a'", &Literal{Value: "a", Off: 0}},
		{"property becomes a string index", "a.b", &Index{Left: &NamedValue{Name: "a"}, Index: &Literal{Value: "b", Off: 2}, Off: 1}},
		{"filter", "a[*]", &Index{Left: &NamedValue{Name: "a"}, Index: &Wildcard{Off: 2}, Off: 1}},
		{"comparison", "1 < 2", &Binary{Op: "<", Left: &Literal{Value: 1.0}, Right: &Literal{Value: 2.0, Off: 4}, Off: 2}},
		{"not", "!x", &Not{Operand: &NamedValue{Name: "x", Off: 1}}},
		{"call", "toJSON(x)", &Call{Name: "toJSON", Args: []Node{&NamedValue{Name: "x", Off: 7}}}},
		{
			"and chains flatten, parentheses included",
			"a && (b && c) && d",
			&Logical{Op: "&&", Off: 2, Args: []Node{
				&NamedValue{Name: "a"}, &NamedValue{Name: "b", Off: 6}, &NamedValue{Name: "c", Off: 11}, &NamedValue{Name: "d", Off: 17},
			}},
		},
		{
			"or of ands",
			"a && b || c",
			&Logical{Op: "||", Off: 7, Args: []Node{
				&Logical{Op: "&&", Off: 2, Args: []Node{&NamedValue{Name: "a"}, &NamedValue{Name: "b", Off: 5}}},
				&NamedValue{Name: "c", Off: 10},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.input)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(Call{})); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestParseString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"precedence", "1 == 2 && 3 || !4 < 5", "(((1 == 2) && 3) || (!4 < 5))"},
		{"comparisons associate left", "3 < 2 < 1", "((3 < 2) < 1)"},
		{"or chains flatten", "a || b || (c || d)", "(a || b || c || d)"},
		{"bracket with a name becomes dotted", "foo['bar']", "foo.bar"},
		{"bracket with other strings stays", "foo['b r']", "foo['b r']"},
		{"numbers in G15 form", "x[1.50]", "x[1.5]"},
		{"filters", "a.*.b[*]", "a.*.b.*"},
		{"index after call and group", "fromJSON('[1]')[0] || (a).b", "(fromJSON('[1]')[0] || a.b)"},
		{"quotes are doubled", "format('it''s {0}', null)", "format('it''s {0}', null)"},
		{"function names keep their spelling", "TOJSON(x)", "TOJSON(x)"},
		{"keywords after a dot are names", "foo.null", "foo.null"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			n, err := Parse(tc.input)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.input, err)
			}
			if got := n.String(); got != tc.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	t.Parallel()
	for _, src := range []string{"", "   ", "\n\t"} {
		n, err := Parse(src)
		if n != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nil, nil", src, n, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		input   string
		names   []string // nil: Parse; otherwise ParseWithNames
		funcs   []string
		kind    ErrorKind
		message string
		offset  int
	}{
		{"unexpected symbol", "1 2", nil, nil, ErrorParsing, "Unexpected symbol: '2'. Located at position 3 within expression: 1 2", 2},
		{"end after operator", "1 <", nil, nil, ErrorParsing, "Unexpected end of expression: '<'. Located at position 3 within expression: 1 <", 2},
		{"unclosed group", "(1", nil, nil, ErrorParsing, "Unexpected end of expression: '1'. Located at position 2 within expression: (1", 1},
		{"unclosed index", "foo[1", nil, nil, ErrorParsing, "Unexpected end of expression: '1'. Located at position 5 within expression: foo[1", 4},
		{"unclosed call", "f(1", []string{}, []string{"f"}, ErrorParsing, "Unexpected end of expression: '1'. Located at position 3 within expression: f(1", 2},
		{"number after dot", "foo.1", nil, nil, ErrorParsing, "Unexpected symbol: '1'. Located at position 5 within expression: foo.1", 4},
		{"literals cannot be indexed", "'a'[0]", nil, nil, ErrorParsing, "Unexpected symbol: '['. Located at position 4 within expression: 'a'[0]", 3},
		{"lexing errors keep their kind", "1 = 2", nil, nil, ErrorLexing, "Unexpected symbol: '='. Located at position 3 within expression: 1 = 2", 2},
		{"unknown named-value", "github.sha == nope", []string{"GitHub"}, nil, ErrorParsing, "Unrecognized named-value: 'nope'. Located at position 15 within expression: github.sha == nope", 14},
		{"unknown function", "false && nonExistent()", []string{}, nil, ErrorParsing, "Unrecognized function: 'nonExistent'. Located at position 10 within expression: false && nonExistent()", 9},
		{"status functions are extensions", "success()", []string{}, nil, ErrorParsing, "Unrecognized function: 'success'. Located at position 1 within expression: success()", 0},
		{"too few parameters", "join()", nil, nil, ErrorParsing, "Too few parameters supplied: 'join'. Located at position 1 within expression: join()", 0},
		{"too many parameters", "x || startsWith(1, 2, 3)", nil, nil, ErrorParsing, "Too many parameters supplied: 'startsWith'. Located at position 6 within expression: x || startsWith(1, 2, 3)", 5},
		{"extension arity", "always(1)", []string{}, []string{"always"}, ErrorParsing, "Too many parameters supplied: 'always'. Located at position 1 within expression: always(1)", 0},
		{"case needs three", "case(true, 1)", nil, nil, ErrorParsing, "Too few parameters supplied: 'case'. Located at position 1 within expression: case(true, 1)", 0},
		{"case needs an odd count", "case(true, 1, false, 2)", nil, nil, ErrorParsing, "Even number of parameters supplied, requires an odd number of parameters: 'case'. Located at position 1 within expression: case(true, 1, false, 2)", 0},
		{"depth 51", strings.Repeat("!", 50) + "x", nil, nil, ErrorParsing, "Exceeded max expression depth 50", 0},
		{"length", strings.Repeat("a", MaxLength+1), nil, nil, ErrorParsing, "Exceeded max expression length 21000", 0},
		{"length counts UTF-16 units", "'" + strings.Repeat("😊", MaxLength/2) + "'", nil, nil, ErrorParsing, "Exceeded max expression length 21000", 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			var err error
			if tc.names == nil {
				_, err = Parse(tc.input)
			} else {
				_, err = ParseWithNames(tc.input, tc.names, tc.funcs)
			}
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("parse %q: got %v, want an *Error", tc.input, err)
			}
			want := &Error{Kind: tc.kind, Message: tc.message, Offset: tc.offset}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("parse %q error mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		names []string
		funcs []string
	}{
		{"names ignore case", "GITHUB.sha && Env.X", []string{"github", "env"}, nil},
		{"function names ignore case", "TOJSON(x) && fromjson('1')", []string{"x"}, nil},
		{"status functions when listed", "success() || FAILURE() || cancelled() || always()", []string{}, []string{"success", "failure", "cancelled", "always"}},
		{"hashFiles when listed", "hashFiles('a', 'b', 'c')", []string{}, []string{"hashFiles"}},
		{"other extra functions take any arguments", "myFunc(1, 2, 3)", []string{}, []string{"myfunc"}},
		{"depth 50", strings.Repeat("!", 49) + "x", []string{"x"}, nil},
		{"long flat chains are shallow", strings.Repeat("1 && ", 500) + "1", []string{}, nil},
		{"deep parentheses add no depth", strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200), []string{}, nil},
		{"length 21000", strings.Repeat("a", MaxLength), []string{strings.Repeat("A", MaxLength)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if _, err := ParseWithNames(tc.input, tc.names, tc.funcs); err != nil {
				t.Errorf("ParseWithNames(%q): %v", tc.input, err)
			}
		})
	}
}

func TestSyntax(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		input   string
		wantErr string
	}{
		{"unknown names and functions are fine", "anything.x && myFunc(1)", ""},
		{"status functions", "success() && hashFiles('x')", ""},
		{"empty", "", ""},
		{"known functions keep their arity", "join()", "Too few parameters supplied: 'join'. Located at position 1 within expression: join()"},
		{"syntax errors", "a &&", "Unexpected end of expression: '&&'. Located at position 3 within expression: a &&"},
		{"lexing errors", "a =", "Unexpected symbol: '='. Located at position 3 within expression: a ="},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			err := Syntax(tc.input)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("Syntax(%q) = %q, want %q", tc.input, got, tc.wantErr)
			}
		})
	}
}

func TestErrorKindString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		kind ErrorKind
		want string
	}{
		{"lexing", ErrorLexing, "lexing"},
		{"parsing", ErrorParsing, "parsing"},
		{"evaluation", ErrorEvaluation, "evaluation"},
		{"unknown", ErrorKind(9), "unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := tc.kind.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWalk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  []string
	}{
		{"named values in source order", "a.b == format('{0}', c[d])", []string{"a", "c", "d"}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			n, err := Parse(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			Walk(n, func(n Node) bool {
				if nv, ok := n.(*NamedValue); ok {
					got = append(got, nv.Name)
				}
				return true
			})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Walk mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
