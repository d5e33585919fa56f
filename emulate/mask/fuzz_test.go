package mask

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// maskDeadline bounds masking one fuzzed stream of at most a few MB.
const maskDeadline = 10 * time.Second

// register adds secret as one of the three ways a value reaches the masker.
func register(m *Masker, how byte, secret string) {
	switch how % 3 {
	case 0:
		m.Add(secret) // ::add-mask::
	case 1:
		m.AddSecret(secret) // the secrets context
	default:
		m.AddValue(secret) // the runner's own values
	}
}

// leaks returns the first registered value or encoding that s shows. A
// value with a line break cannot show in a line, and one with a "*" can
// meet the "***" that replaced a neighbouring occurrence: neither is
// checked.
func leaks(m *Masker, s string) string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, p := range m.patterns {
		if !strings.ContainsAny(p, "\r\n*") && strings.Contains(s, p) {
			return p
		}
	}
	return ""
}

// withSecret is text with the secret and one of its encodings (the one
// pick selects) put in, so that every input exercises a match.
func withSecret(secret string, text []byte, pick byte) string {
	form := secret
	if enc := encoders[int(pick)%len(encoders)](secret); enc != "" {
		form = enc
	}
	half := len(text) / 2
	return string(text[:half]) + secret + string(text[half:]) + " " + form + "\n"
}

// FuzzWriter: whatever the text and however it is cut into writes, the
// masking writer's output is the text masked line by line, and it shows no
// registered value nor any of the encodings the runner masks. Seeds: a
// secret split across writes, multi-line and padded secrets, encoded forms,
// a 1 MB line.
func FuzzWriter(f *testing.F) {
	f.Add("ghp_exampletoken1234", []byte("token=ghp_example"), []byte{3, 7, 1}, byte(0), byte(0))
	f.Add("line one\n  line two  \r\nthree", []byte("a\r\nb line two\rc"), []byte{1, 1, 1, 40}, byte(0), byte(5))
	f.Add(`p@ss "w'rd" & more`, []byte(`{"password": "p@ss \"w'rd\" & more"}`), []byte{9}, byte(2), byte(3))
	f.Add("user:pass", []byte("Authorization: Basic dXNlcjpwYXNz"), []byte{0, 2}, byte(1), byte(1))
	f.Add("s", bytes.Repeat([]byte("xs"), 1<<19), []byte{255, 255, 17}, byte(2), byte(6))
	f.Add("abcabc", []byte("abcabcabcab\nc"), []byte{5}, byte(0), byte(0))
	f.Fuzz(func(t *testing.T, secret string, text, cuts []byte, how, pick byte) {
		m := New()
		register(m, how, secret)
		stream := withSecret(secret, text, pick)

		var out bytes.Buffer
		done := make(chan error, 1)
		go func() {
			w := m.Writer(&out)
			rest := stream
			for i := 0; rest != ""; i++ {
				n := len(rest)
				if len(cuts) > 0 {
					// A cut of 0 is an empty write.
					n = min(n, int(cuts[i%len(cuts)]))
				}
				if n == 0 {
					if _, err := w.Write(nil); err != nil {
						done <- err
						return
					}
					n = 1
				}
				if _, err := w.Write([]byte(rest[:n])); err != nil {
					done <- err
					return
				}
				rest = rest[n:]
			}
			done <- w.Close()
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(maskDeadline):
			t.Fatalf("masking %d bytes took more than %v", len(stream), maskDeadline)
		}

		var want strings.Builder
		rest := stream
		for rest != "" {
			i := strings.IndexAny(rest, "\r\n")
			if i < 0 {
				want.WriteString(m.Mask(rest))
				break
			}
			want.WriteString(m.Mask(rest[:i]) + rest[i:i+1])
			rest = rest[i+1:]
		}
		if got := out.String(); got != want.String() {
			t.Fatalf("writes cut at %v gave\n%q\nwant the lines masked whole\n%q", cuts, got, want.String())
		}
		if p := leaks(m, out.String()); p != "" {
			t.Fatalf("output shows the registered %q: %q", p, out.String())
		}
	})
}

// FuzzMaskPiece: a line written in pieces as the step output writer writes
// a line too long to hold (each piece with Longest()-1 bytes of look-ahead,
// the head of one call passed to the next) shows no registered value, cut
// anywhere; and a line with no secret in it comes out unchanged.
func FuzzMaskPiece(f *testing.F) {
	f.Add("s3cr3t-v4lue", []byte("start s3cr3t-v4lue middle x s3cr3t-v4lues3cr3t-v4lue end"), uint16(5), byte(2), byte(0))
	f.Add("ab", []byte("abababa"), uint16(1), byte(2), byte(0))
	f.Add("multi\nline secret", []byte(strings.Repeat("x", 1<<20)), uint16(4093), byte(0), byte(1))
	f.Fuzz(func(t *testing.T, secret string, text []byte, size uint16, how, pick byte) {
		m := New()
		register(m, how, secret)
		line := strings.NewReplacer("\r", " ", "\n", " ").Replace(withSecret(secret, text, pick))
		line = strings.TrimSuffix(line, " ")
		// At most 4096 pieces, so that a 1 MB line is cut as finely as
		// the writer cuts it (1 MiB pieces) and then some, not a million
		// times.
		n := max(int(size), 1, len(line)/4096)
		lookahead := max(m.Longest()-1, 0)

		var out strings.Builder
		rest, head := line, 0
		for len(rest) > n+lookahead {
			piece, next := m.MaskPiece(rest[:n+lookahead], n, head)
			out.WriteString(piece)
			rest, head = rest[n:], next
		}
		last, _ := m.MaskPiece(rest, len(rest), head)
		out.WriteString(last)

		if p := leaks(m, out.String()); p != "" {
			t.Fatalf("pieces of %d bytes show the registered %q: %q", n, p, out.String())
		}
		if m.Mask(line) == line && out.String() != line {
			t.Fatalf("pieces of %d bytes changed %q, which holds no secret, into %q", n, line, out.String())
		}
	})
}
