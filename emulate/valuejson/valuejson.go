// Package valuejson writes expression values as JSON the way rehearse's
// machine-readable output shows them.
package valuejson

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Marshal writes an expression value as JSON, keeping object key order
// (encoding/json would sort map keys) and writing non-finite numbers as the
// strings "NaN", "Infinity" and "-Infinity".
func Marshal(v expr.Value) ([]byte, error) {
	var b bytes.Buffer
	if err := writeValue(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeValue(b *bytes.Buffer, v expr.Value) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case float64:
		switch {
		case math.IsNaN(x):
			b.WriteString(`"NaN"`)
		case math.IsInf(x, 1):
			b.WriteString(`"Infinity"`)
		case math.IsInf(x, -1):
			b.WriteString(`"-Infinity"`)
		default:
			enc, err := json.Marshal(x)
			if err != nil {
				return err
			}
			b.Write(enc)
		}
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case *expr.Object:
		b.WriteByte('{')
		var err error
		i := 0
		x.Range(func(k string, e expr.Value) bool {
			if i > 0 {
				b.WriteByte(',')
			}
			i++
			key, _ := json.Marshal(k)
			b.Write(key)
			b.WriteByte(':')
			err = writeValue(b, e)
			return err == nil
		})
		if err != nil {
			return err
		}
		b.WriteByte('}')
	default:
		enc, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(enc)
	}
	return nil
}

// Value wraps an expression value so encoding/json prints it with Marshal's
// rules, e.g. inside a map of other fields.
type Value struct{ V expr.Value }

// MarshalJSON implements json.Marshaler.
func (v Value) MarshalJSON() ([]byte, error) { return Marshal(v.V) }
