package expr

import (
	"strings"
)

// ToJSON renders v as toJSON() does on GitHub (actions/runner
// src/Sdk/Expressions/Sdk/Functions/ToJson.cs): two-space indentation, one
// element per line, "key": value with a space after the colon, [] and {}
// for empty collections, numbers in the runner's G15 format and strings
// escaped as Newtonsoft's JsonConvert.ToString escapes them.
func ToJSON(v Value) string {
	s, _ := toJSON(v, nil)
	return s
}

// toJSON renders v, charging every chunk to counter when it is not nil.
func toJSON(v Value, counter *memCounter) (string, *Error) {
	w := &jsonWriter{counter: counter}
	if err := w.value(v, ""); err != nil {
		return "", err
	}
	return w.b.String(), nil
}

type jsonWriter struct {
	b       strings.Builder
	counter *memCounter
	depth   int
}

// emit writes one chunk; the runner counts memory per chunk.
func (w *jsonWriter) emit(s string) *Error {
	if w.counter != nil {
		if err := w.counter.addString(s); err != nil {
			return err
		}
	}
	w.b.WriteString(s)
	return nil
}

// itemPrefix starts the i-th element of the current collection on its own
// line, after a comma for all but the first.
func (w *jsonWriter) itemPrefix(i int) string {
	sep := ",\n"
	if i == 0 {
		sep = "\n"
	}
	return sep + strings.Repeat("  ", w.depth)
}

// value writes v after prefix ("" at the top, ": " after a key, a newline
// and indentation inside an array).
func (w *jsonWriter) value(v Value, prefix string) *Error {
	switch x := v.(type) {
	case nil:
		return w.emit(prefix + "null")
	case bool:
		if x {
			return w.emit(prefix + "true")
		}
		return w.emit(prefix + "false")
	case float64:
		return w.emit(prefix + formatNumber(x))
	case string:
		return w.emit(prefix + quoteJSON(x))
	case *Object:
		if x.Len() == 0 {
			return w.emit(prefix + "{}")
		}
		if err := w.emit(prefix + "{"); err != nil {
			return err
		}
		w.depth++
		for i, k := range x.Keys() {
			if err := w.emit(w.itemPrefix(i) + quoteJSON(k)); err != nil {
				return err
			}
			item, _ := x.Get(k)
			if err := w.value(item, ": "); err != nil {
				return err
			}
		}
		w.depth--
		return w.emit("\n" + strings.Repeat("  ", w.depth) + "}")
	}
	items, ok := asArray(v)
	if !ok {
		// The runner writes {} for "an object we don't know how to traverse".
		return w.emit(prefix + "{}")
	}
	if len(items) == 0 {
		return w.emit(prefix + "[]")
	}
	if err := w.emit(prefix + "["); err != nil {
		return err
	}
	w.depth++
	for i, item := range items {
		if err := w.value(item, w.itemPrefix(i)); err != nil {
			return err
		}
	}
	w.depth--
	return w.emit("\n" + strings.Repeat("  ", w.depth) + "]")
}

// quoteJSON quotes s as Newtonsoft.Json's JsonConvert.ToString(string) does
// with its default escaping: \" \\ \b \f \n \r \t, other control characters
// and U+0085, U+2028, U+2029 as \u00xx (lower-case hex); nothing else, so
// unlike encoding/json it leaves <, > and & alone.
func quoteJSON(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
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
		case 0x85, 0x2028, 0x2029:
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
	b.WriteByte('"')
	return b.String()
}
