package expr

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromGo(t *testing.T) {
	t.Parallel()
	type labelled struct {
		Name  string `json:"name"`
		Count int    `json:"count,omitempty"`
	}
	obj := NewObject()
	obj.Set("K", int8(3))
	var nilSlice []string
	var nilPtr *labelled
	n := 7
	tests := []struct {
		what  string
		input any
		want  string
	}{
		{"nil", nil, "Null null"},
		{"bool", true, "Boolean true"},
		{"int", 42, "Number 42"},
		{"int64", int64(-5), "Number -5"},
		{"uint8", uint8(200), "Number 200"},
		{"float32", float32(0.5), "Number 0.5"},
		{"json.Number", json.Number("1e3"), "Number 1000"},
		{"string", "s", `String "s"`},
		{"string slice", []string{"a", "b"}, "Array [\n  \"a\",\n  \"b\"\n]"},
		{"nil slice is empty", nilSlice, "Array []"},
		{"int slice", []int{1, 2}, "Array [\n  1,\n  2\n]"},
		{"array", [2]bool{true, false}, "Array [\n  true,\n  false\n]"},
		{"map keys are sorted", map[string]any{"b": 1, "a": []any{int32(2)}}, "Object {\n  \"a\": [\n    2\n  ],\n  \"b\": 1\n}"},
		{"string map", map[string]string{"y": "1", "x": "2"}, "Object {\n  \"x\": \"2\",\n  \"y\": \"1\"\n}"},
		{"typed map", map[string]int{"n": 1}, "Object {\n  \"n\": 1\n}"},
		{"non-string keys", map[int]string{1: "a"}, "Null null"},
		{"object values are converted", obj, "Object {\n  \"K\": 3\n}"},
		{"pointer", &n, "Number 7"},
		{"nil pointer", nilPtr, "Null null"},
		{"struct via json tags", labelled{Name: "bug"}, "Object {\n  \"name\": \"bug\"\n}"},
		{"function", func() {}, "Null null"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, evalResult(FromGo(tc.input))); diff != "" {
				t.Errorf("FromGo(%#v) mismatch (-want +got):\n%s", tc.input, diff)
			}
		})
	}
}

func TestFromGoUsableInExpressions(t *testing.T) {
	t.Parallel()
	env := &Env{Contexts: map[string]Value{"matrix": FromGo(map[string]any{"py": []string{"3.11", "3.12"}, "n": 2})}}
	tests := []struct {
		what  string
		input string
		want  Value
	}{
		{"index", "matrix.py[1]", "3.12"},
		{"number comparison", "matrix.n == '2'", true},
		{"contains", "contains(matrix.py, '3.11')", true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(tc.input, env)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Evaluate(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}
