package toolchain

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tomlDoc is what the version-file readers need from a TOML document: the
// string values by dotted key path and the top-level keys present. It is a
// small reader, not a validator: it follows TOML 1.0 for tables, dotted and
// quoted keys, inline tables and all four string forms, and skips other
// values (numbers, dates, arrays) without interpreting them.
type tomlDoc struct {
	strings map[string]string
	top     map[string]bool
}

func parseTOML(src string) (tomlDoc, error) {
	p := &tomlParser{src: src, doc: tomlDoc{strings: map[string]string{}, top: map[string]bool{}}}
	if err := p.parse(); err != nil {
		return tomlDoc{}, fmt.Errorf("line %d: %w", p.line(), err)
	}
	return p.doc, nil
}

type tomlParser struct {
	src string
	pos int
	doc tomlDoc
}

func (p *tomlParser) line() int { return strings.Count(p.src[:p.pos], "\n") + 1 }

func (p *tomlParser) eof() bool { return p.pos >= len(p.src) }

func (p *tomlParser) peek(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

// skipSpace skips blanks, and newlines and comments when lines is set.
func (p *tomlParser) skipSpace(lines bool) {
	for !p.eof() {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == '\n' && lines:
			p.pos++
		case c == '#':
			for !p.eof() && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *tomlParser) parse() error {
	var table []string
	for {
		p.skipSpace(true)
		if p.eof() {
			return nil
		}
		if p.src[p.pos] == '[' {
			array := p.peek("[[")
			p.pos++
			if array {
				p.pos++
			}
			key, err := p.key()
			if err != nil {
				return err
			}
			closing := "]"
			if array {
				closing = "]]"
			}
			p.skipSpace(false)
			if !p.peek(closing) {
				return fmt.Errorf("expected %q after table name", closing)
			}
			p.pos += len(closing)
			table = key
			p.doc.top[key[0]] = true
			continue
		}
		if err := p.keyValue(table); err != nil {
			return err
		}
	}
}

func (p *tomlParser) keyValue(prefix []string) error {
	key, err := p.key()
	if err != nil {
		return err
	}
	full := append(append([]string(nil), prefix...), key...)
	p.doc.top[full[0]] = true
	p.skipSpace(false)
	if !p.peek("=") {
		return fmt.Errorf("expected \"=\" after key %q", strings.Join(key, "."))
	}
	p.pos++
	p.skipSpace(false)
	return p.value(full)
}

// key reads a dotted key of bare and quoted parts.
func (p *tomlParser) key() ([]string, error) {
	var parts []string
	for {
		p.skipSpace(false)
		if p.eof() {
			return nil, fmt.Errorf("unexpected end of file in a key")
		}
		switch c := p.src[p.pos]; {
		case c == '"' || c == '\'':
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			parts = append(parts, s)
		default:
			start := p.pos
			for !p.eof() && isBareKeyChar(p.src[p.pos]) {
				p.pos++
			}
			if p.pos == start {
				return nil, fmt.Errorf("invalid key character %q", c)
			}
			parts = append(parts, p.src[start:p.pos])
		}
		p.skipSpace(false)
		if !p.peek(".") {
			return parts, nil
		}
		p.pos++
	}
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value reads one value at path, recording strings.
func (p *tomlParser) value(path []string) error {
	if p.eof() {
		return fmt.Errorf("missing value")
	}
	switch c := p.src[p.pos]; c {
	case '"', '\'':
		s, err := p.str()
		if err != nil {
			return err
		}
		if path != nil {
			p.doc.strings[strings.Join(path, ".")] = s
		}
		return nil
	case '[':
		p.pos++
		for {
			p.skipSpace(true)
			if p.peek("]") {
				p.pos++
				return nil
			}
			if err := p.value(nil); err != nil {
				return err
			}
			p.skipSpace(true)
			if p.peek(",") {
				p.pos++
			}
		}
	case '{':
		p.pos++
		for {
			p.skipSpace(false)
			if p.peek("}") {
				p.pos++
				return nil
			}
			key, err := p.key()
			if err != nil {
				return err
			}
			p.skipSpace(false)
			if !p.peek("=") {
				return fmt.Errorf("expected \"=\" in an inline table")
			}
			p.pos++
			p.skipSpace(false)
			var sub []string
			if path != nil {
				sub = append(append([]string(nil), path...), key...)
			}
			if err := p.value(sub); err != nil {
				return err
			}
			p.skipSpace(false)
			if p.peek(",") {
				p.pos++
			}
		}
	default:
		// Number, boolean or date: up to the end of the value.
		start := p.pos
		for !p.eof() && !strings.ContainsRune(",]}#\n", rune(p.src[p.pos])) {
			p.pos++
		}
		if strings.TrimSpace(p.src[start:p.pos]) == "" {
			return fmt.Errorf("missing value")
		}
		return nil
	}
}

// str reads any of the four string forms.
func (p *tomlParser) str() (string, error) {
	switch {
	case p.peek(`"""`):
		return p.delimited(`"""`, true, true)
	case p.peek(`'''`):
		return p.delimited(`'''`, false, true)
	case p.peek(`"`):
		return p.delimited(`"`, true, false)
	default:
		return p.delimited(`'`, false, false)
	}
}

func (p *tomlParser) delimited(delim string, escapes, multiline bool) (string, error) {
	p.pos += len(delim)
	if multiline {
		// A newline right after the opening delimiter is trimmed.
		if p.peek("\r\n") {
			p.pos += 2
		} else if p.peek("\n") {
			p.pos++
		}
	}
	var b strings.Builder
	for {
		if p.eof() {
			return "", fmt.Errorf("unterminated string")
		}
		if p.peek(delim) {
			p.pos += len(delim)
			// Up to two more quotes directly before the closing delimiter
			// belong to a multi-line string.
			for extra := 0; multiline && extra < 2 && p.peek(delim[:1]); extra++ {
				b.WriteByte(delim[0])
				p.pos++
			}
			return b.String(), nil
		}
		c := p.src[p.pos]
		if c == '\n' && !multiline {
			return "", fmt.Errorf("newline in a single-line string")
		}
		if c == '\\' && escapes {
			if err := p.escape(&b, multiline); err != nil {
				return "", err
			}
			continue
		}
		b.WriteByte(c)
		p.pos++
	}
}

func (p *tomlParser) escape(b *strings.Builder, multiline bool) error {
	p.pos++ // the backslash
	if p.eof() {
		return fmt.Errorf("unterminated escape")
	}
	c := p.src[p.pos]
	simple := map[byte]string{'b': "\b", 't': "\t", 'n': "\n", 'f': "\f", 'r': "\r", '"': `"`, '\\': `\`}
	if s, ok := simple[c]; ok {
		b.WriteString(s)
		p.pos++
		return nil
	}
	if c == 'u' || c == 'U' {
		n := 4
		if c == 'U' {
			n = 8
		}
		if p.pos+1+n > len(p.src) {
			return fmt.Errorf("short unicode escape")
		}
		r, err := strconv.ParseUint(p.src[p.pos+1:p.pos+1+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(r)) {
			return fmt.Errorf("invalid unicode escape")
		}
		b.WriteRune(rune(r))
		p.pos += 1 + n
		return nil
	}
	if multiline && (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		// Line-ending backslash: drop the newline and leading whitespace.
		for !p.eof() && strings.ContainsRune(" \t\r\n", rune(p.src[p.pos])) {
			p.pos++
		}
		return nil
	}
	return fmt.Errorf("invalid escape \\%c", c)
}
