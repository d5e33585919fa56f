package trigger

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// TestJSONRoundTrip checks that an event file read with [expr.FromJSON]
// (--event-file) and written with EncodeJSON comes out as it went in: key
// order, value kinds and the indented form of event.json.
func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, in string
	}{
		{"scalars", "{\n  \"s\": \"x\",\n  \"n\": 1.5,\n  \"i\": 42,\n  \"t\": true,\n  \"f\": false,\n  \"z\": null\n}\n"},
		{"key order is kept, not sorted", "{\n  \"b\": 1,\n  \"a\": 2,\n  \"c\": 3\n}\n"},
		{"nested", "{\n  \"a\": {\n    \"b\": [\n      1,\n      {\n        \"c\": \"d\"\n      }\n    ]\n  }\n}\n"},
		{"empty containers", "{\n  \"a\": [],\n  \"b\": {}\n}\n"},
		{"HTML characters are not escaped", "{\n  \"m\": \"a <b> & c\"\n}\n"},
		{"unicode and escapes", "{\n  \"m\": \"été\\n\\\"q\\\"\"\n}\n"},
		{"big integers stay integral", "{\n  \"id\": 1536140711\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			v, err := expr.FromJSON(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := EncodeJSON(v)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.in, string(out)); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMergeObjects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, dst, src, want string
	}{
		{"src keys win", `{"a":1,"b":2}`, `{"b":3}`, `{"a":1,"b":3}`},
		{"new keys are appended", `{"a":1}`, `{"c":3}`, `{"a":1,"c":3}`},
		{"objects merge key by key", `{"pr":{"title":"t","number":1}}`, `{"pr":{"title":"u"}}`, `{"pr":{"title":"u","number":1}}`},
		{"arrays are replaced", `{"l":[1,2]}`, `{"l":[3]}`, `{"l":[3]}`},
		{"an object replaces a scalar", `{"a":1}`, `{"a":{"b":2}}`, `{"a":{"b":2}}`},
		{"null replaces a value", `{"a":{"b":1}}`, `{"a":null}`, `{"a":null}`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			dst := mustObject(t, tc.dst)
			orig := mustJSON(t, dst)
			before := dst.Clone()
			mergeObjects(dst, mustObject(t, tc.src))
			if diff := cmp.Diff(mustJSON(t, mustObject(t, tc.want)), mustJSON(t, dst)); diff != "" {
				t.Errorf("merge mismatch (-want +got):\n%s", diff)
			}
			// Nested objects are copied, so a shallow clone taken before is
			// unchanged.
			if diff := cmp.Diff(orig, mustJSON(t, before)); diff != "" {
				t.Errorf("merge changed shared nested objects (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScalarString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   expr.Value
		want string
	}{
		{"string", "x", "x"},
		{"true", true, "true"},
		{"integral number", 3.0, "3"},
		{"fraction", 2.5, "2.5"},
		{"null", nil, ""},
		{"array", []any{1.0}, "[\n  1\n]"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := scalarString(tc.in); got != tc.want {
				t.Errorf("scalarString(%#v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func mustObject(t *testing.T, s string) *expr.Object {
	t.Helper()
	v, err := expr.FromJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*expr.Object)
}

func mustJSON(t *testing.T, v expr.Value) string {
	t.Helper()
	b, err := EncodeJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
