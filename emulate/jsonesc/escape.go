package jsonesc

import "strings"

// Escape returns s escaped for the inside of a JSON string, without the
// surrounding quotes: `"` and `\` get a backslash; \b, \f, \n, \r and \t
// are written by name; the other control characters below U+0020 and
// U+0085, U+2028 and U+2029 become \u00xx with lower-case hex. Everything
// else, including `/`, U+007F and all other non-ASCII characters, stays as
// it is (invalid UTF-8 becomes U+FFFD).
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	write(&b, s)
	return b.String()
}

// Quote returns s as a JSON string literal: [Escape] between double quotes,
// which is JsonConvert.ToString(s).
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	write(&b, s)
	b.WriteByte('"')
	return b.String()
}

// write writes the escaped form of s to b.
func write(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\u0085', '\u2028', '\u2029':
			b.WriteString(`\u`)
			b.WriteByte(hex[r>>12&0xf])
			b.WriteByte(hex[r>>8&0xf])
			b.WriteByte(hex[r>>4&0xf])
			b.WriteByte(hex[r&0xf])
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[r>>4])
				b.WriteByte(hex[r&0xf])
			} else {
				b.WriteRune(r)
			}
		}
	}
}
