package expr

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string // kind and ToJSON of the result
	}{
		{"null", " null ", "Null null"},
		{"number", "-1234.5", "Number -1234.5"},
		{"integer", "123456789", "Number 123456789"},
		{"out of range number", "1e400", "Number Infinity"},
		{"string escapes", `"a\u00e9\"\\"`, "String \"aé\\\"\\\\\""},
		{"key order is kept", `{"z": 1, "a": 2, "m": 3}`, "Object {\n  \"z\": 1,\n  \"a\": 2,\n  \"m\": 3\n}"},
		{"repeated key: last value, first place", `{"a": 1, "b": 2, "a": 3}`, "Object {\n  \"a\": 3,\n  \"b\": 2\n}"},
		{"keys repeat ignoring case", `{"A": 1, "a": 2}`, "Object {\n  \"A\": 2\n}"},
		{"nested", `[[], {}, [null]]`, "Array [\n  [],\n  {},\n  [\n    null\n  ]\n]"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := FromJSON(tc.input)
			if err != nil {
				t.Fatalf("FromJSON(%q): %v", tc.input, err)
			}
			if diff := cmp.Diff(tc.want, evalResult(got)); diff != "" {
				t.Errorf("FromJSON(%q) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestFromJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input string
		want  string
	}{
		{"empty", "", "unexpected end of JSON input"},
		{"blank", "   ", "unexpected end of JSON input"},
		{"unclosed array", "[1", "unexpected end of JSON input"},
		{"trailing comma", "[1,]", "invalid character ']' looking for beginning of value"},
		{"trailing comma in object", `{"a":1,}`, "invalid character '}' looking for beginning of object key string"},
		{"single quotes", "'a'", "invalid character '\\'' looking for beginning of value"},
		{"comment", "1 // one", "invalid character '/' looking for beginning of value"},
		{"two values", "1 2", "unexpected data after the JSON value at offset 3"},
		{"bare word", "NaN", "invalid character 'N' looking for beginning of value"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := FromJSON(tc.input)
			if err == nil {
				t.Fatalf("FromJSON(%q) succeeded, want an error", tc.input)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("FromJSON(%q) error = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestFromJSONArraysAreDistinct(t *testing.T) {
	t.Parallel()
	a, _ := FromJSON("[]")
	b, _ := FromJSON("[]")
	tests := []struct {
		what string
		x, y Value
		want bool
	}{
		{"an array equals itself", a, a, true},
		{"two decoded empty arrays differ", a, b, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := Equal(tc.x, tc.y); got != tc.want {
				t.Errorf("Equal = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFromJSONNegativeZero(t *testing.T) {
	t.Parallel()
	v, err := FromJSON("-0")
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := v.(float64); !ok || f != 0 || !math.Signbit(f) {
		t.Errorf("FromJSON(-0) = %#v, want negative zero", v)
	}
}
