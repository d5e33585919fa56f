package mask

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rehearse-dev/rehearse/emulate/jsonesc"
)

// encoder derives one variation of a secret. An empty result adds nothing.
type encoder func(string) string

// encoders are the value encoders the runner registers on its masker, in
// registration order (Runner.Common/HostContext.cs). Each function follows
// Sdk/DTLogging/Logging/ValueEncoders.cs.
var encoders = []encoder{
	base64Escape,
	func(v string) string { return base64Shift(v, 1) },
	func(v string) string { return base64Shift(v, 2) },
	commandLineArgumentEscape,
	expressionStringEscape,
	jsonesc.Escape, // JsonStringEscape: JsonConvert.ToString without the quotes
	uriDataEscape,
	xmlDataEscape,
	trimDoubleQuotes,
	powerShellPreAmpersand,
	powerShellPostAmpersand,
}

// base64Escape is Base64StringEscape: standard base64 of the UTF-8 bytes,
// with padding.
func base64Escape(v string) string {
	return base64.StdEncoding.EncodeToString([]byte(v))
}

// base64Shift is Base64StringEscapeShift. A secret inside a longer base64
// text, as in base64("user:password"), starts at a byte offset that depends
// on the text before it. Dropping the first one or two bytes gives the
// encodings for the other two alignments. A value no longer than the shift
// is encoded whole.
func base64Shift(v string, shift int) string {
	b := []byte(v)
	if len(b) > shift {
		b = b[shift:]
	}
	return base64.StdEncoding.EncodeToString(b)
}

// commandLineArgumentEscape is CommandLineArgumentEscape: how the runner
// quotes environment values for docker, with `"` written as `\"`.
func commandLineArgumentEscape(v string) string {
	return strings.ReplaceAll(v, `"`, `\"`)
}

// expressionStringEscape is ExpressionUtility.StringEscape: a ' doubled, as
// inside an expression string literal.
func expressionStringEscape(v string) string {
	return strings.ReplaceAll(v, "'", "''")
}

// uriDataEscape is Uri.EscapeDataString: every byte of the UTF-8 encoding
// outside the RFC 3986 unreserved set (letters, digits, "-", ".", "_", "~")
// becomes %XX with upper-case hex.
func uriDataEscape(v string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xF])
	}
	return b.String()
}

// xmlDataEscape is SecurityElement.Escape.
var xmlDataEscape = strings.NewReplacer("<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;", "&", "&amp;").Replace

// trimDoubleQuotes is TrimDoubleQuotes: a value longer than eight UTF-16
// code units that starts and ends with `"` is also masked without them.
func trimDoubleQuotes(v string) string {
	if utf16Len(v) > 8 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
		return v[1 : len(v)-1]
	}
	return ""
}

// powerShellPreAmpersand is PowerShellPreAmpersandEscape. When PowerShell
// reports a command that contains "&", it may print the text up to and
// including the last "&" on its own (or up to the first "&+"). That part is
// masked when it is at least six UTF-16 code units long.
func powerShellPreAmpersand(v string) string {
	if !strings.Contains(v, "&") {
		return ""
	}
	var section string
	if i := strings.Index(v, "&+"); i >= 0 {
		section = v[:i+2]
	} else {
		section = v[:strings.LastIndex(v, "&")+1]
	}
	if utf16Len(section) >= 6 {
		return section
	}
	return ""
}

// powerShellPostAmpersand is PowerShellPostAmpersandEscape: the part after
// the last "&", or after the first "&+" and the one character PowerShell
// colours, when it is at least six UTF-16 code units long. The runner throws
// for a value that ends in its first "&+". That exception makes the runner
// drop the whole secret. Here the variation is skipped and the value is
// still masked.
func powerShellPostAmpersand(v string) string {
	if !strings.Contains(v, "&") {
		return ""
	}
	var section string
	if i := strings.Index(v, "&+"); i >= 0 {
		rest := v[i+2:]
		if rest == "" {
			return ""
		}
		_, size := utf8.DecodeRuneInString(rest)
		section = rest[size:]
	} else {
		section = v[strings.LastIndex(v, "&")+1:]
	}
	if utf16Len(section) >= 6 {
		return section
	}
	return ""
}

// utf16Len is String.Length: the number of UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
