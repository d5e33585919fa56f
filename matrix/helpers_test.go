package matrix

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// obj builds an *expr.Object from alternating keys and values; numbers may be
// written as Go ints.
func obj(kv ...any) *expr.Object {
	o := expr.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), val(kv[i+1]))
	}
	return o
}

// arr builds an array value.
func arr(vs ...any) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = val(v)
	}
	return out
}

// val converts Go ints in test literals to the Number type.
func val(v any) expr.Value {
	if n, ok := v.(int); ok {
		return float64(n)
	}
	return v
}

// axis builds an Axis; ints become Numbers.
func axis(name string, vs ...any) Axis {
	return Axis{Name: name, Values: arr(vs...)}
}

// render prints a value as compact JSON in key order, the way toJSON would
// print the matrix context apart from spacing. Tests compare cells with it
// so that key order is checked too.
func render(v expr.Value) string {
	var b strings.Builder
	renderTo(&b, v)
	return b.String()
}

func renderTo(b *strings.Builder, v expr.Value) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case float64:
		b.WriteString(expr.FormatNumber(v))
	case string:
		b.WriteString(strconv.Quote(v))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			renderTo(b, e)
		}
		b.WriteByte(']')
	case *expr.Object:
		b.WriteByte('{')
		i := 0
		v.Range(func(k string, e expr.Value) bool {
			if i > 0 {
				b.WriteByte(',')
			}
			i++
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			renderTo(b, e)
			return true
		})
		b.WriteByte('}')
	default:
		b.WriteString("?")
	}
}

// renderCells prints each cell's matrix context, one per element.
func renderCells(cells []Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = render(c.Values)
	}
	return out
}

// diff fails the test with a go-cmp diff when got and want differ.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// errorsOf is the [*Error]s in an error of Expand or FromValue: the one
// error, or each of those errors.Join joined. Anything else fails the test.
func errorsOf(t *testing.T, err error) []*Error {
	t.Helper()
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	out := make([]*Error, len(errs))
	for i, e := range errs {
		me, ok := e.(*Error)
		if !ok {
			t.Fatalf("error %v (%T) is not a *matrix.Error", e, e)
		}
		out[i] = me
	}
	return out
}
