package mask

import (
	"strings"
	"testing"
)

// TestMaskPieceNoSecretEscapesACut writes a line in pieces cut at every
// position around each secret occurrence: joined, the pieces never show a
// byte of a secret, and text away from the secrets is kept.
func TestMaskPieceNoSecretEscapesACut(t *testing.T) {
	m := New()
	m.AddValue("s3cr3t-v4lue")
	m.AddValue("ab")
	line := "start s3cr3t-v4lue middle abab x s3cr3t-v4lues3cr3t-v4lue end"
	lookahead := m.Longest() - 1
	for size := 1; size <= len(line); size++ {
		var out strings.Builder
		rest, head := line, 0
		for len(rest) > size+lookahead {
			piece, next := m.MaskPiece(rest[:size+lookahead], size, head)
			out.WriteString(piece)
			rest, head = rest[size:], next
		}
		last, _ := m.MaskPiece(rest, len(rest), head)
		out.WriteString(last)
		got := out.String()
		for _, leak := range []string{"s3cr", "3t-v", "lue", "ab", "cr3t"} {
			if strings.Contains(got, leak) {
				t.Fatalf("pieces of %d bytes: %q shows %q", size, got, leak)
			}
		}
		for _, kept := range []string{"start ", " middle ", " x ", " end"} {
			if !strings.Contains(got, kept) {
				t.Fatalf("pieces of %d bytes: %q lost %q", size, got, kept)
			}
		}
	}
}

func TestMaskPieceWholeLine(t *testing.T) {
	m := New()
	m.AddValue("secret")
	tests := []struct {
		s        string
		n, head  int
		want     string
		wantHead int
	}{
		{"a secret b", 10, 0, "a *** b", 0},
		{"a secr", 4, 0, "a se", 0},        // found in the next call
		{"a secret b", 4, 0, "a ***", 4},   // cut inside: the rest is covered too
		{"cret tail", 9, 4, "*** tail", 0}, // the head of the next call
		{"cr", 2, 6, "***", 4},             // a head longer than the piece
		{"nothing here", 12, 0, "nothing here", 0},
	}
	for _, tt := range tests {
		got, head := m.MaskPiece(tt.s, tt.n, tt.head)
		if got != tt.want || head != tt.wantHead {
			t.Errorf("MaskPiece(%q, %d, %d) = %q, %d; want %q, %d", tt.s, tt.n, tt.head, got, head, tt.want, tt.wantHead)
		}
	}
	if New().Longest() != 0 || m.Longest() < len("secret") {
		t.Errorf("Longest: %d", m.Longest())
	}
}
