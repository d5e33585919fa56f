package mask

import (
	"strings"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/jsonesc"
)

func TestEncoders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		enc  encoder
		in   string
		want string
	}{
		{"base64", base64Escape, "Password123!", "UGFzc3dvcmQxMjMh"},
		{"base64 with padding", base64Escape, "ab", "YWI="},
		{"base64 shift 1", func(v string) string { return base64Shift(v, 1) }, "Password123!", "YXNzd29yZDEyMyE="},
		{"base64 shift 2", func(v string) string { return base64Shift(v, 2) }, "Password123!", "c3N3b3JkMTIzIQ=="},
		{"base64 shift longer than the value encodes it whole", func(v string) string { return base64Shift(v, 2) }, "ab", "YWI="},
		{"command-line escape", commandLineArgumentEscape, `a"b"c`, `a\"b\"c`},
		{"expression escape", expressionStringEscape, "it's", "it''s"},
		// SecretMaskerL0.SecretMaskerTests_Encoder_JsonStringEscape.
		{"L0 JSON escape", jsonesc.Escape, "carriage-return\r_newline\n_tab\t_backslash\\_double-quote\"",
			`carriage-return\r_newline\n_tab\t_backslash\\_double-quote\"`},
		// SecretMaskerTests_Encoder_UriDataEscape.
		{"L0 URI escape", uriDataEscape, "hello world", "hello%20world"},
		{"URI escape reserved and UTF-8", uriDataEscape, "a!*'();:@&=+$,/?#[]~-._é", "a%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D~-._%C3%A9"},
		{"XML escape", xmlDataEscape, `<a href="x">&'`, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"},
		{"quotes trimmed when longer than 8", trimDoubleQuotes, `"Password"`, "Password"},
		{"short quoted value is not trimmed", trimDoubleQuotes, `"short"`, ""},
		{"8 code units is not enough", trimDoubleQuotes, `"123456"`, ""},
		{"unquoted", trimDoubleQuotes, "Password123", ""},
		// actions/runner src/Test/L0/Sdk/ValueEncodersL0.cs.
		{"L0 PowerShellPreAmpersandEscape whole", powerShellPreAmpersand, "abcdef&", "abcdef&"},
		{"L0 PowerShellPreAmpersandEscape up to &+", powerShellPreAmpersand, "abcdef&+ghijkl", "abcdef&+"},
		{"L0 PowerShellPreAmpersandEscape up to the last &", powerShellPreAmpersand, "abc&def&", "abc&def&"},
		{"L0 PowerShellPreAmpersandEscape too short", powerShellPreAmpersand, "ab&", ""},
		{"L0 PowerShellPostAmpersandEscape", powerShellPostAmpersand, "abc&ghijkl", "ghijkl"},
		{"L0 PowerShellPostAmpersandEscape nothing after", powerShellPostAmpersand, "abcdef&", ""},
		{"L0 PowerShellPostAmpersandEscape skips the coloured letter", powerShellPostAmpersand, "abc&+ghijklm", "hijklm"},
		{"no ampersand", powerShellPostAmpersand, "abcdefgh", ""},
		{"value ending in &+ (the runner throws here)", powerShellPostAmpersand, "abcdefgh&+", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := tc.enc(tc.in); got != tc.want {
				t.Errorf("encode(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEncodedFormsAreMasked(t *testing.T) {
	t.Parallel()
	// Each encoding of a registered value is masked where it appears.
	const secret = `p@ss "w'rd" & more`
	m := New()
	m.Add(secret)
	for _, enc := range encoders {
		form := enc(secret)
		if form == "" {
			continue
		}
		line := "<" + form + ">"
		if got := m.Mask(line); strings.Contains(got, form) || got != "<***>" {
			t.Errorf("Mask(%q) = %q, want %q", line, got, "<***>")
		}
	}
}
