// Package dotenv reads the KEY=VALUE files given to --secret-file,
// --var-file and --env-file.
package dotenv

import (
	"fmt"
	"strings"
)

// Parse reads dotenv text: `KEY=value`, optional `export `, `#` comments,
// single-quoted values taken literally, double-quoted values with \n, \t,
// \" and \\ escapes, and quoted values spanning several lines (multi-line
// secrets such as SSH keys).
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
			for !closed(parts[len(parts)-1], q) {
				i++
				if i >= len(lines) {
					return nil, fmt.Errorf("line %d: quoted value of %s is not closed", start, key)
				}
				parts = append(parts, lines[i])
			}
			body := strings.TrimRight(strings.Join(parts, "\n"), " \t")
			body = body[:len(body)-1]
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

// closed reports whether line, the last line read of a quoted value (the
// text after the opening quote on the first), ends with an unescaped
// closing quote, ignoring trailing blanks and a comment.
func closed(line string, q byte) bool {
	t := strings.TrimRight(line, " \t")
	if t == "" || t[len(t)-1] != q {
		return false
	}
	if q == '\'' {
		return true
	}
	n := 0
	for i := len(t) - 2; i >= 0 && t[i] == '\\'; i-- {
		n++
	}
	return n%2 == 0
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
