package step

import "testing"

func TestDecodeText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   []byte
		want string
	}{
		{"plain UTF-8", []byte("a=é"), "a=é"},
		{"UTF-8 BOM removed", []byte("\xEF\xBB\xBFa"), "a"},
		{"UTF-16LE", []byte{0xFF, 0xFE, 'a', 0, 0xE9, 0}, "aé"},
		{"UTF-16BE", []byte{0xFE, 0xFF, 0, 'a', 0, 0xE9}, "aé"},
		{"UTF-16LE surrogate pair", []byte{0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE}, "😀"},
		{"UTF-16LE lone surrogate", []byte{0xFF, 0xFE, 0x3D, 0xD8, 'a', 0}, "\uFFFDa"},
		{"UTF-16LE odd trailing byte", []byte{0xFF, 0xFE, 'a', 0, 'b'}, "a\uFFFD"},
		{"UTF-32LE", []byte{0xFF, 0xFE, 0, 0, 'a', 0, 0, 0}, "a"},
		{"UTF-32BE", []byte{0, 0, 0xFE, 0xFF, 0, 0, 0, 'a'}, "a"},
		{"UTF-32LE out of range", []byte{0xFF, 0xFE, 0, 0, 0, 0, 0x11, 0}, "\uFFFD"},
		// Maximal subparts, Unicode 15 table 3-8.
		{"truncated 3-byte sequence is one U+FFFD", []byte("\xE2\x82x"), "\uFFFDx"},
		{"lone continuation bytes are one each", []byte("\x80\x80"), "\uFFFD\uFFFD"},
		{"C0 is never valid", []byte("\xC0\xAF"), "\uFFFD\uFFFD"},
		{"E0 needs A0..BF next", []byte("\xE0\x80\x80"), "\uFFFD\uFFFD\uFFFD"},
		{"ED A0 is a surrogate", []byte("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD"},
		{"F4 90 is above U+10FFFF", []byte("\xF4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"truncated 4-byte sequence at the end", []byte("a\xF0\x9F\x98"), "a\uFFFD"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := decodeText(tc.in); got != tc.want {
				t.Errorf("decodeText(% x) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
