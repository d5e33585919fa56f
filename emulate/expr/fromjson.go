package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// FromJSON parses JSON text into a Value, keeping the order of object keys.
// It is strict JSON (no comments, trailing commas or single quotes), as the
// runner's StrictJsonParsing parser and languageservices' JSON.parse are;
// when a key repeats, the last value wins at the first key's position, as
// in JSON.parse. Numbers become float64; ones beyond float64's range become
// ±Infinity.
func FromJSON(s string) (Value, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeJSON(dec)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("unexpected data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

func decodeJSON(dec *json.Decoder) (Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			// Capacity of at least one keeps distinct empty arrays distinct
			// for == (see sameArray).
			arr := make([]any, 0, 1)
			for dec.More() {
				item, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, item)
			}
			_, err := dec.Token() // ]
			return arr, err
		case '{':
			obj := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				item, err := decodeJSON(dec)
				if err != nil {
					return nil, err
				}
				obj.Set(key, item)
			}
			_, err := dec.Token() // }
			return obj, err
		}
		return nil, fmt.Errorf("unexpected %q at offset %d", t, dec.InputOffset())
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, err
		}
		return f, nil
	case string, bool, nil:
		return t, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}
