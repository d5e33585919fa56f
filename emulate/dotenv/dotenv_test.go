package dotenv

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, in string
		want     map[string]string
		wantErr  bool
	}{
		{"plain", "A=1\nB = two ", map[string]string{"A": "1", "B": "two"}, false},
		{"export and comments", "# c\nexport A=x # trailing\n\n", map[string]string{"A": "x"}, false},
		{"single quotes literal", `A='a\nb $X'`, map[string]string{"A": `a\nb $X`}, false},
		{"double quotes escapes", `A="a\nb \"q\""`, map[string]string{"A": "a\nb \"q\""}, false},
		{"multi-line key", "KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nB=1", map[string]string{"KEY": "-----BEGIN KEY-----\nabc\n-----END KEY-----", "B": "1"}, false},
		{"crlf", "A=1\r\nB=2\r\n", map[string]string{"A": "1", "B": "2"}, false},
		{"json value", `J='{"user":"u","pass":"p"}'`, map[string]string{"J": `{"user":"u","pass":"p"}`}, false},
		{"comment after a quoted value", "A=\"x\" # c\nB='y'# c 'q'\nC=\"-----BEGIN\nabc\" # pasted\nD=\"a\\\" # b\"", map[string]string{"A": "x", "B": "y", "C": "-----BEGIN\nabc", "D": `a" # b`}, false},
		{"quote inside a single-quoted value", "A='it's'", map[string]string{"A": "it's"}, false},
		{"missing equals", "JUSTKEY", nil, true},
		{"unclosed quote", "A=\"abc\nB=1", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Parse error = %v, wantErr %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// BenchmarkParseLongValue reads a 2 MB multi-line value (a certificate
// bundle), which took minutes while each line was appended to the value.
func BenchmarkParseLongValue(b *testing.B) {
	text := "CERTS=\"" + strings.Repeat("MIIBszCCAVmgAwIBAgIU\n", 100_000) + "\"\n"
	for b.Loop() {
		env, err := Parse(text)
		if err != nil || len(env["CERTS"]) != len(text)-len("CERTS=\"\"\n") {
			b.Fatalf("got %d bytes, %v", len(env["CERTS"]), err)
		}
	}
}
