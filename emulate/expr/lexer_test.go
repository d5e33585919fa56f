package expr

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tokenSummary renders tokens compactly: kind:raw@offset, numbers and strings
// with their values.
func tokenSummary(tokens []token) string {
	names := map[tokenKind]string{
		tokLParen: "(", tokRParen: ")", tokLBracket: "[", tokRBracket: "]", tokComma: ",", tokDot: ".",
		tokNot: "!", tokNe: "!=", tokEq: "==", tokGt: ">", tokGe: ">=", tokLt: "<", tokLe: "<=",
		tokAnd: "&&", tokOr: "||", tokStar: "*", tokNumber: "num", tokString: "str", tokIdent: "id",
		tokTrue: "true", tokFalse: "false", tokNull: "null", tokEOF: "EOF",
	}
	var parts []string
	for _, t := range tokens {
		s := fmt.Sprintf("%s@%d", names[t.kind], t.off)
		switch t.kind {
		case tokNumber:
			s += fmt.Sprintf("=%v", t.num)
		case tokString:
			s += fmt.Sprintf("=%q", t.str)
		case tokIdent:
			s += "=" + t.raw
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestLex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"comparison", "1 == 2", "num@0=1 ==@2 num@5=2 EOF@6"},
		{"all operators", "!a != b<c<=d>e>=f&&g||h", "!@0 id@1=a !=@3 id@6=b <@7 id@8=c <=@9 id@11=d >@12 id@13=e >=@14 id@16=f &&@17 id@19=g ||@20 id@22=h EOF@23"},
		{"punctuation", "f(a[*], b.*)", "id@0=f (@1 id@2=a [@3 *@4 ]@5 ,@6 id@8=b .@9 *@10 )@11 EOF@12"},
		{"leading dot is a number", ".5", "num@0=0.5 EOF@2"},
		{"dot after a name dereferences", "foo.bar", "id@0=foo .@3 id@4=bar EOF@7"},
		{"dot after ) and ]", "(a).b[0].c", "(@0 id@1=a )@2 .@3 id@4=b [@5 num@6=0 ]@7 .@8 id@9=c EOF@10"},
		{"keywords", "true false null NaN Infinity", "true@0 false@5 null@11 num@16=NaN num@20=+Inf EOF@28"},
		{"keywords are case-sensitive", "True NULL", "id@0=True id@5=NULL EOF@9"},
		{"keywords after a dot are names", "foo.true.null.NaN", "id@0=foo .@3 id@4=true .@8 id@9=null .@13 id@14=NaN EOF@17"},
		{"signed numbers", "-1 +2 -.5 -Infinity +Infinity", "num@0=-1 num@3=2 num@6=-0.5 num@10=-Inf num@20=+Inf EOF@29"},
		{"hex, octal and exponents", "0x1F 0o17 1e3 1.5E-1 2.", "num@0=31 num@5=15 num@10=1000 num@14=0.15 num@21=2 EOF@23"},
		{"escaped quote", "'it''s'", "str@0=\"it's\" EOF@7"},
		{"every doubled quote is unescaped", "'a''b''c'", "str@0=\"a'b'c\" EOF@9"},
		{"empty string", "''", "str@0=\"\" EOF@2"},
		{"string keeps spaces and unicode", "' é😊 '", "str@0=\" é😊 \" EOF@10"},
		{"names with dashes and digits", "job-1_x", "id@0=job-1_x EOF@7"},
		{"unicode whitespace is skipped", "\t1\u00a0==\n2\r", "num@1=1 ==@4 num@7=2 EOF@9"},
		{"empty", "", "EOF@0"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			tokens, err := lex(tc.input)
			if err != nil {
				t.Fatalf("lex(%q): %v", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, tokenSummary(tokens)); diff != "" {
				t.Errorf("lex(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestLexErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		input   string
		message string
		offset  int
	}{
		{"unterminated string", "'foo", "Unexpected symbol: ''foo'. Located at position 1 within expression: 'foo", 0},
		{"single =", "1 = 2", "Unexpected symbol: '='. Located at position 3 within expression: 1 = 2", 2},
		{"single & runs to the boundary", "a &b", "Unexpected symbol: '&b'. Located at position 3 within expression: a &b", 2},
		{"single |", "a | b", "Unexpected symbol: '|'. Located at position 3 within expression: a | b", 2},
		{"bad hex digit", "0x1g", "Unexpected symbol: '0x1g'. Located at position 1 within expression: 0x1g", 0},
		{"signed hex", "-0xFF", "Unexpected symbol: '-0xFF'. Located at position 1 within expression: -0xFF", 0},
		{"hex float", "0x01p2", "Unexpected symbol: '0x01p2'. Located at position 1 within expression: 0x01p2", 0},
		{"abbreviated infinity", "-Inf", "Unexpected symbol: '-Inf'. Located at position 1 within expression: -Inf", 0},
		{"two dots", "1.2.3", "Unexpected symbol: '1.2.3'. Located at position 1 within expression: 1.2.3", 0},
		{"star is not a boundary", "foo*", "Unexpected symbol: 'foo*'. Located at position 1 within expression: foo*", 0},
		{"illegal name character", "foo.b@r", "Unexpected symbol: 'b@r'. Located at position 5 within expression: foo.b@r", 4},
		{"dot after a string starts a number", "'abc'.x", "Unexpected symbol: '.x'. Located at position 6 within expression: 'abc'.x", 5},
		{"path-like text", "..github/workflow.md", "Unexpected symbol: '..github/workflow.md'. Located at position 1 within expression: ..github/workflow.md", 0},
		{"position counts UTF-16 units, offset bytes", "'é' == @", "Unexpected symbol: '@'. Located at position 8 within expression: 'é' == @", 8},
		{"surrogate pairs count twice", "'😊' == @", "Unexpected symbol: '@'. Located at position 9 within expression: '😊' == @", 10},
		{"emoji", "😊 x", "Unexpected symbol: '😊'. Located at position 1 within expression: 😊 x", 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := lex(tc.input)
			if err == nil {
				t.Fatalf("lex(%q) succeeded, want an error", tc.input)
			}
			got := *err
			want := Error{Kind: ErrorLexing, Message: tc.message, Offset: tc.offset}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("lex(%q) error mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestLexNumberValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  float64
	}{
		{"NaN keyword", "NaN", math.NaN()},
		{"negative zero", "-0", math.Copysign(0, -1)},
		{"max 32-bit hex wraps", "0xffffffff", -1},
		{"octal", "0o777", 511},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			tokens, err := lex(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			got := tokens[0].num
			if !(got == tc.want && math.Signbit(got) == math.Signbit(tc.want) || math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("lex(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}
