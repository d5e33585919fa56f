package expr

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCondition(t *testing.T) {
	t.Parallel()
	contexts := testContexts(t, `{"github": {"ref": "refs/heads/main", "event_name": "push"}, "env": {"EMPTY": ""}}`)
	yes := func() bool { return true }
	no := func() bool { return false }
	running := StatusFuncs{}
	failing := StatusFuncs{Success: no, Failure: yes}
	cancelled := StatusFuncs{Success: no, Cancelled: yes}
	tests := []struct {
		what   string
		input  string
		status StatusFuncs
		want   bool
	}{
		{"empty means success()", "", running, true},
		{"empty is skipped after a failure", "", failing, false},
		{"blank means success()", "  \n", failing, false},
		{"bare expression", "github.ref == 'refs/heads/main'", running, true},
		{"bare expression gets success() &&", "github.ref == 'refs/heads/main'", failing, false},
		{"bare false", "github.event_name == 'pull_request'", running, false},
		{"expression form", "${{ github.event_name == 'push' }}", running, true},
		{"expression form gets success() && too", "${{ github.event_name == 'push' }}", failing, false},
		{"text around ${{ }} is a non-empty string, so true", "${{ false }} && false", running, true},
		{"but still only while succeeding", "${{ false }} && false", failing, false},
		{"failure()", "failure()", failing, true},
		{"failure() when running", "failure()", running, false},
		{"always() runs after a cancel", "always()", cancelled, true},
		{"status function anywhere counts", "github.ref == 'x' || always()", cancelled, true},
		{"status function names ignore case", "${{ Cancelled() }}", cancelled, true},
		{"success() && (a || b)", "github.ref == 'x' || true", cancelled, false},
		{"empty string is false", "env.EMPTY", running, false},
		{"a quoted ${{ }} is read as the condition text", "${{ 'always()' }}", cancelled, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Condition(tc.input, &Env{Contexts: contexts, Status: tc.status})
			if err != nil {
				t.Fatalf("Condition(%q): %v", tc.input, err)
			}
			if got != tc.want {
				t.Errorf("Condition(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestConditionErrors(t *testing.T) {
	t.Parallel()
	contexts := testContexts(t, `{"github": {"ref": "x"}}`)
	tests := []struct {
		what  string
		input string
		want  Error
	}{
		{"syntax error in a bare condition", "github.ref = 'x'", Error{Kind: ErrorLexing, Message: "Unexpected symbol: '='. Located at position 12 within expression: github.ref = 'x'", Offset: 11}},
		{"syntax error inside ${{ }}", "  ${{ github.ref == }}", Error{Kind: ErrorParsing, Message: "Unexpected end of expression: '=='. Located at position 12 within expression: github.ref ==", Offset: 17}},
		{"unknown context in mixed text", "x ${{ matrix.os }}", Error{Kind: ErrorParsing, Message: "Unrecognized named-value: 'matrix'. Located at position 1 within expression: matrix.os", Offset: 6}},
		{"empty ${{ }}", "${{ }}", Error{Kind: ErrorParsing, Message: msgExpectedExpression, Offset: 0}},
		{"evaluation error", "fromJSON('x')", Error{Kind: ErrorEvaluation, Message: "Error parsing fromJson: invalid character 'x' looking for beginning of value", Offset: 0}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := Condition(tc.input, &Env{Contexts: contexts})
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("Condition(%q) = %v, want an *Error", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("Condition(%q) error mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestConditionTree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"wrapped", "a == b", "(success() && (a == b))"},
		{"and chains are flattened into the wrapper", "a && b", "(success() && a && b)"},
		{"or is kept whole", "a || b", "(success() && (a || b))"},
		{"status function: not wrapped", "failure() && a", "(failure() && a)"},
		{"empty", "", "success()"},
		{"mixed text becomes format()", "${{ a }} == x", "(success() && format('{0} == x', a))"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			n, err := conditionTree(tc.input, parseOptions{anyName: true, funcs: allFunctions})
			if err != nil {
				t.Fatal(err)
			}
			if got := n.String(); got != tc.want {
				t.Errorf("conditionTree(%q) = %s, want %s", tc.input, got, tc.want)
			}
		})
	}
}

func TestUsesStatusFunction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  bool
	}{
		{"none", "github.ref == 'x'", false},
		{"empty", "", false},
		{"success", "success()", true},
		{"nested in an argument", "contains(format('{0}', failure()), 'true')", true},
		{"upper case", "ALWAYS()", true},
		{"inside ${{ }}", "${{ cancelled() }}", true},
		{"in mixed text", "x ${{ always() }}", true},
		{"in a string only", "github.ref == 'always()'", false},
		{"a property named like one", "steps.success.outcome", false},
		{"unknown contexts are fine", "anything.x || failure()", true},
		{"syntax errors are false", "always(", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := UsesStatusFunction(tc.input); got != tc.want {
				t.Errorf("UsesStatusFunction(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}
