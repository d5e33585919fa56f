package jsonesc

import "testing"

// The cases are those of expr's toJSON and mask's JSON encoder tests, which
// follow actions/runner's SecretMaskerL0 JsonStringEscape test and
// Newtonsoft.Json's JsonConvert.ToString.
func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"plain", "abc", `abc`},
		{"empty", "", ``},
		{"quote and backslash", `a"b\c`, `a\"b\\c`},
		{"single quote stays", "it's", `it's`},
		{"short escapes", "\b\f\n\r\t", `\b\f\n\r\t`},
		{"runner L0 case", "carriage-return\r_newline\n_tab\t_backslash\\_double-quote\"",
			`carriage-return\r_newline\n_tab\t_backslash\\_double-quote\"`},
		{"other control characters as lower-case \\u", "\x00\x1b\x1f", `\u0000\u001b\u001f`},
		{"DEL stays", "\x7f", "\x7f"},
		{"line separators", "a\u0085b\u2028c\u2029", `a\u0085b\u2028c\u2029`},
		{"HTML characters stay", "<a&b>", `<a&b>`},
		{"slash stays", "a/b", `a/b`},
		{"unicode stays", "é😊", `é😊`},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb", "a\uFFFDb"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := Escape(tc.input); got != tc.want {
				t.Errorf("Escape(%q) = %s, want %s", tc.input, got, tc.want)
			}
			if got, want := Quote(tc.input), `"`+tc.want+`"`; got != want {
				t.Errorf("Quote(%q) = %s, want %s", tc.input, got, want)
			}
		})
	}
}
