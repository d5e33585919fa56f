package step

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Cases follow the "Parsing C++ command-line arguments" table that
// Process.Unix.cs cites, plus the "" rule inside quotes.
func TestParseArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, in string
		want     []string
	}{
		{"empty", "", nil},
		{"only blanks", " \t ", nil},
		{"spaces and tabs separate", " a  b\tc ", []string{"a", "b", "c"}},
		{"quotes group", `"a b" c`, []string{"a b", "c"}},
		{"quotes inside a word", `a"b c"d`, []string{"ab cd"}},
		{"single quotes are ordinary", `'a b'`, []string{"'a", "b'"}},
		{"empty quotes are an empty argument", `"" x`, []string{"", "x"}},
		{"backslashes without a quote are literal", `a\\\b`, []string{`a\\\b`}},
		{"odd backslashes escape the quote", `a\"b`, []string{`a"b`}},
		{"even backslashes halve and the quote groups", `a\\"b c"`, []string{`a\b c`}},
		{"three backslashes give one and a quote", `a\\\"b`, []string{`a\"b`}},
		{"double quote inside quotes is literal", `"a""b"`, []string{`a"b`}},
		{"trailing backslash", `a\`, []string{`a\`}},
		{"unterminated quote runs to the end", `"a b`, []string{"a b"}},
		{"pwsh default arguments", `-command ". '/tmp/x.ps1'"`, []string{"-command", ". '/tmp/x.ps1'"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, ParseArguments(tc.in)); diff != "" {
				t.Errorf("ParseArguments(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestFormatOne(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, format, want string
		wantErr            bool
	}{
		{"plain substitution", "-e {0}", "-e P", false},
		{"twice", "{0} {0}", "P P", false},
		{"escaped braces", "{{{0}}}", "{P}", false},
		{"right alignment", "[{0,3}]", "[  P]", false},
		{"left alignment", "[{0,-3}]", "[P  ]", false},
		{"format specifier is ignored for a string", "{0:x8}", "P", false},
		{"index 1 is out of range", "{1}", "", true},
		{"lone open brace", "a { b", "", true},
		{"lone close brace", "a } b", "", true},
		{"empty item", "{}", "", true},
		{"bad alignment", "{0,x}", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := formatOne(tc.format, "P")
			if (err != nil) != tc.wantErr {
				t.Fatalf("formatOne(%q) error = %v, want error %v", tc.format, err, tc.wantErr)
			}
			if err != nil && !errors.Is(err, errFormat) {
				t.Errorf("error %v does not wrap errFormat", err)
			}
			if got != tc.want {
				t.Errorf("formatOne(%q) = %q, want %q", tc.format, got, tc.want)
			}
		})
	}
}
