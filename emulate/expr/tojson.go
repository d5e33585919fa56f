package expr

import (
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/jsonesc"
)

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
		return w.emit(prefix + jsonesc.Quote(x))
	case *Object:
		if x.Len() == 0 {
			return w.emit(prefix + "{}")
		}
		if err := w.emit(prefix + "{"); err != nil {
			return err
		}
		w.depth++
		for i, k := range x.Keys() {
			if err := w.emit(w.itemPrefix(i) + jsonesc.Quote(k)); err != nil {
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
