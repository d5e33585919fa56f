// Package dotenv reads the KEY=VALUE files given to --secret-file,
// --var-file and --env-file.
package dotenv

import (
	"fmt"
	"strings"
)

// Parse reads dotenv text: `KEY=value`, optional `export `, `#` comments,
// single-quoted values taken literally, double-quoted values with \n, \t,
// \" and \\ escapes, quoted values spanning several lines (multi-line
// secrets such as SSH keys), and a `#` comment after the closing quote.
func Parse(text string) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, val, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("line %d: expected KEY=VALUE, got %q", i+1, lines[i])
		}
		val = strings.TrimLeft(val, " \t")
		start := i + 1
		if q := quote(val); q != 0 {
			// The lines are joined once the value is closed: adding each
			// line to the value read so far took minutes for a 2 MB
			// certificate bundle.
			parts := []string{val[1:]}
			end := closing(parts[0], q)
			for end < 0 {
				i++
				if i >= len(lines) {
					return nil, fmt.Errorf("line %d: quoted value of %s is not closed", start, key)
				}
				parts = append(parts, lines[i])
				end = closing(lines[i], q)
			}
			parts[len(parts)-1] = parts[len(parts)-1][:end]
			body := strings.Join(parts, "\n")
			if q == '"' {
				body = unescape(body)
			}
			out[key] = body
			continue
		}
		if j := strings.Index(val, " #"); j >= 0 {
			val = val[:j]
		}
		out[key] = strings.TrimSpace(val)
	}
	return out, nil
}

func quote(v string) byte {
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		return v[0]
	}
	return 0
}

// closing returns the index of the quote that closes a quoted value in
// line, the last line read of it (the text after the opening quote on the
// first), or -1: the first unescaped q followed by nothing but blanks and
// a comment.
func closing(line string, q byte) int {
	for i := 0; i < len(line); i++ {
		switch {
		case q == '"' && line[i] == '\\':
			i++ // an escaped character, perhaps a quote
		case line[i] == q:
			rest := strings.TrimLeft(line[i+1:], " \t")
			if rest == "" || rest[0] == '#' {
				return i
			}
		}
	}
	return -1
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
