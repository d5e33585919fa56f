package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

// TestNegativeArgsPositional: for expr, an argument that begins with - and
// then a digit, a dot, a space or Infinity is positional wherever it
// stands; flags and their values are left alone.
func TestNegativeArgsPositional(t *testing.T) {
	t.Parallel()
	fs := pflag.NewFlagSet("expr", pflag.ContinueOnError)
	fs.StringP("chdir", "C", "", "")
	fs.String("format", "text", "")
	fs.BoolP("help", "h", false, "")
	tests := []struct {
		what string
		args []string
		want []string
	}{
		{"plain", []string{"1"}, []string{"1"}},
		{"negative number", []string{"-1"}, []string{"--", "-1"}},
		{"comparison", []string{"-1 < 0"}, []string{"--", "-1 < 0"}},
		{"dot", []string{"-.5"}, []string{"--", "-.5"}},
		{"space", []string{"- 1"}, []string{"--", "- 1"}},
		{"infinity", []string{"-Infinity"}, []string{"--", "-Infinity"}},
		{"after a flag", []string{"--format", "json", "-1"}, []string{"--format", "json", "--", "-1"}},
		{"before a flag", []string{"-1", "--format", "json"}, []string{"--format", "json", "--", "-1"}},
		{"flag value kept", []string{"--format", "-1", "2"}, []string{"--format", "-1", "2"}},
		{"shorthand value kept", []string{"-C", "-1", "-2"}, []string{"-C", "-1", "--", "-2"}},
		{"inline value", []string{"--format=json", "-1"}, []string{"--format=json", "--", "-1"}},
		{"boolean flag takes no value", []string{"-h", "-1"}, []string{"-h", "--", "-1"}},
		{"after --", []string{"--format", "json", "--", "-2"}, []string{"--format", "json", "--", "-2"}},
		{"before --", []string{"-1", "--", "x"}, []string{"--", "-1", "x"}},
		{"real flags untouched", []string{"-x", "--nope", "a"}, []string{"-x", "--nope", "a"}},
		{"letters are flags", []string{"-Inf"}, []string{"-Inf"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got := negativeArgsPositional(fs, tc.args)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("negativeArgsPositional(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

// TestExprNegative runs the binary: an expression that begins with - is
// the expression wherever it stands, and expr's real flags still work.
func TestExprNegative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what       string
		args       []string
		wantOut    string
		wantCode   int
		wantStderr string
	}{
		{"negative number", []string{"expr", "-1"}, "-1\n", 0, ""},
		{"comparison", []string{"expr", "-1 < 0"}, "true\n", 0, ""},
		{"fraction", []string{"expr", "-.5"}, "-0.5\n", 0, ""},
		{"infinity", []string{"expr", "-Infinity"}, "-Infinity\n", 0, ""},
		{"before --format", []string{"expr", "-2", "--format", "json"}, `{"kind":"Number","value":-2}` + "\n", 0, ""},
		{"after --format", []string{"expr", "--format", "json", "-2"}, `{"kind":"Number","value":-2}` + "\n", 0, ""},
		{"after --", []string{"expr", "--", "-3"}, "-3\n", 0, ""},
		{"with delimiters elsewhere", []string{"expr", "${{ -1 == -1.0 }}"}, "true\n", 0, ""},
		{"a lone minus is a lexing error, not a flag", []string{"expr", "- 1"}, "", 2, "Unexpected symbol"},
		{"two expressions", []string{"expr", "-1", "-2"}, "", 2, "expr takes one argument"},
		{"flag value stays a value", []string{"expr", "--format", "-1", "1"}, "", 2, `--format "-1": expected text or json`},
		{"unknown flag still refused", []string{"expr", "-x", "1"}, "", 2, "unknown shorthand flag: 'x'"},
		{"help still works", []string{"expr", "-h"}, "", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			r := runBin(t, t.TempDir(), nil, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			if tc.wantOut != "" && r.stdout != tc.wantOut {
				t.Errorf("stdout %q, want %q", r.stdout, tc.wantOut)
			}
			if tc.wantStderr != "" && !strings.Contains(r.stderr, tc.wantStderr) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tc.wantStderr)
			}
		})
	}
}
