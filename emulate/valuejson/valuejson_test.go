package valuejson_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
)

// obj builds an Object from key, value pairs in order.
func obj(kv ...any) *expr.Object {
	o := expr.NewObject()
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func TestMarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input expr.Value
		want  string
	}{
		{"null", nil, `null`},
		{"true", true, `true`},
		{"false", false, `false`},
		{"integer", 3.0, `3`},
		{"negative integer", -42.0, `-42`},
		{"fraction", 3.10, `3.1`},
		{"small fraction", 0.1, `0.1`},
		// encoding/json's ES6 number format: integers print digit by digit
		// up to 1e21, as JSON.stringify does; a matrix value like 1e20
		// must not turn into "1e+20".
		{"large integer without exponent", 1e20, `100000000000000000000`},
		{"integer at 1e21 uses an exponent", 1e21, `1e+21`},
		{"tiny number uses an exponent", 1e-7, `1e-7`},
		{"NaN", math.NaN(), `"NaN"`},
		{"Infinity", math.Inf(1), `"Infinity"`},
		{"-Infinity", math.Inf(-1), `"-Infinity"`},
		{"plain string", "ubuntu-latest", `"ubuntu-latest"`},
		{"string escapes", "a\"b\\c\nd\te\x01", `"a\"b\\c\nd\te\u0001"`},
		{"non-ASCII kept", "héllo ✓", `"héllo ✓"`},
		{"invalid UTF-8 replaced", "a\xffb", `"a\ufffdb"`},
		{"empty array", []any{}, `[]`},
		{"array of mixed values", []any{1.0, "x", true, nil}, `[1,"x",true,null]`},
		{"nested arrays", []any{[]any{1.0, []any{2.0}}, []any{}}, `[[1,[2]],[]]`},
		{"non-finite numbers in an array", []any{math.NaN(), math.Inf(-1)}, `["NaN","-Infinity"]`},
		{"empty object", expr.NewObject(), `{}`},
		{"nil object", (*expr.Object)(nil), `{}`},
		{
			"object keeps insertion order, not sorted",
			obj("zeta", 1.0, "alpha", 2.0, "Mid", 3.0),
			`{"zeta":1,"alpha":2,"Mid":3}`,
		},
		{
			"keys are escaped",
			obj("a\"b", 1.0, "new\nline", 2.0),
			`{"a\"b":1,"new\nline":2}`,
		},
		{
			"nested objects and arrays",
			obj("os", "ubuntu-latest", "python", []any{3.12, "3.13"}, "include", obj("b", obj("y", nil, "x", math.Inf(1)), "a", []any{obj("k", "v")})),
			`{"os":"ubuntu-latest","python":[3.12,"3.13"],"include":{"b":{"y":null,"x":"Infinity"},"a":[{"k":"v"}]}}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := valuejson.Marshal(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("Marshal(%#v) (-want +got):\n%s", tc.input, diff)
			}
			if !json.Valid(got) {
				t.Errorf("Marshal(%#v) = %s, which is not valid JSON", tc.input, got)
			}
		})
	}
}

// TestMarshalUnsupportedType checks that a Go value that is not an
// expression value fails instead of printing something half-right.
func TestMarshalUnsupportedType(t *testing.T) {
	t.Parallel()
	if got, err := valuejson.Marshal([]any{make(chan int)}); err == nil {
		t.Errorf("Marshal(chan) = %s, want an error", got)
	}
	o := obj("ok", 1.0, "bad", func() {}, "after", 2.0)
	if got, err := valuejson.Marshal(o); err == nil {
		t.Errorf("Marshal(object with a func) = %s, want an error", got)
	}
}

func TestValueInsideEncodingJSON(t *testing.T) {
	t.Parallel()
	cell := obj("python", "3.12", "os", "ubuntu-latest", "n", math.NaN())
	tests := []struct {
		what  string
		input any
		want  string
	}{
		{
			// encoding/json sorts the map's keys but must leave the
			// wrapped object's order alone.
			"wrapped object in a map",
			map[string]any{"kind": "object", "value": valuejson.Value{V: cell}},
			`{"kind":"object","value":{"python":"3.12","os":"ubuntu-latest","n":"NaN"}}`,
		},
		{
			"pointer in a struct field",
			struct {
				Matrix *valuejson.Value `json:"matrix"`
			}{&valuejson.Value{V: cell}},
			`{"matrix":{"python":"3.12","os":"ubuntu-latest","n":"NaN"}}`,
		},
		{
			"nil pointer is null",
			struct {
				Matrix *valuejson.Value `json:"matrix"`
			}{},
			`{"matrix":null}`,
		},
		{
			"wrapped null",
			[]any{valuejson.Value{}},
			`[null]`,
		},
		{
			"wrapped infinity",
			[]any{valuejson.Value{V: math.Inf(1)}},
			`["Infinity"]`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("json.Marshal (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValueIndented checks that json.MarshalIndent re-indents the wrapped
// value, which it only can because Marshal writes valid compact JSON.
func TestValueIndented(t *testing.T) {
	t.Parallel()
	got, err := json.MarshalIndent(map[string]any{"m": valuejson.Value{V: obj("b", []any{1.0}, "a", 2.0)}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"m\": {\n    \"b\": [\n      1\n    ],\n    \"a\": 2\n  }\n}"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("json.MarshalIndent (-want +got):\n%s", diff)
	}
}
