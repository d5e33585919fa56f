package expr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input Value
		want  string
	}{
		{"null", nil, "Null"},
		{"boolean", false, "Boolean"},
		{"number", 1.0, "Number"},
		{"string", "", "String"},
		{"array", []any{}, "Array"},
		{"object", NewObject(), "Object"},
		{"other Go types are null", 1, "Null"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := KindOf(tc.input).String(); got != tc.want {
				t.Errorf("KindOf(%#v) = %s, want %s", tc.input, got, tc.want)
			}
		})
	}
	if got := Kind(99).String(); got != "Unknown" {
		t.Errorf("Kind(99).String() = %q, want Unknown", got)
	}
}

func TestObject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		build func() *Object
		keys  []string
		json  string
	}{
		{"insertion order", func() *Object {
			o := NewObject()
			o.Set("b", 1.0)
			o.Set("a", 2.0)
			return o
		}, []string{"b", "a"}, "{\n  \"b\": 1,\n  \"a\": 2\n}"},
		{"set ignores case and keeps the first spelling", func() *Object {
			o := NewObject()
			o.Set("Key", 1.0)
			o.Set("KEY", 2.0)
			return o
		}, []string{"Key"}, "{\n  \"Key\": 2\n}"},
		{"delete reindexes", func() *Object {
			o := NewObject()
			o.Set("a", 1.0)
			o.Set("b", 2.0)
			o.Set("c", 3.0)
			o.Delete("B")
			o.Set("C", 4.0)
			return o
		}, []string{"a", "c"}, "{\n  \"a\": 1,\n  \"c\": 4\n}"},
		{"clone is independent", func() *Object {
			o := NewObject()
			o.Set("a", 1.0)
			c := o.Clone()
			o.Set("b", 2.0)
			return c
		}, []string{"a"}, "{\n  \"a\": 1\n}"},
		{"zero value is usable", func() *Object {
			var o Object
			o.Set("x", true)
			return &o
		}, []string{"x"}, "{\n  \"x\": true\n}"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			o := tc.build()
			if diff := cmp.Diff(tc.keys, o.Keys()); diff != "" {
				t.Errorf("Keys mismatch (-want +got):\n%s", diff)
			}
			if o.Len() != len(tc.keys) {
				t.Errorf("Len = %d, want %d", o.Len(), len(tc.keys))
			}
			if diff := cmp.Diff(tc.json, ToJSON(o)); diff != "" {
				t.Errorf("ToJSON mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNilObject(t *testing.T) {
	t.Parallel()
	var o *Object
	tests := []struct {
		what string
		got  any
		want any
	}{
		{"Len", o.Len(), 0},
		{"Keys", len(o.Keys()), 0},
		{"Get", func() bool { _, ok := o.Get("a"); return ok }(), false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if tc.got != tc.want {
				t.Errorf("%s on nil = %v, want %v", tc.what, tc.got, tc.want)
			}
		})
	}
	o.Delete("a")
	o.Range(func(string, Value) bool { t.Error("Range on nil called f"); return true })
}

func TestObjectRangeStops(t *testing.T) {
	t.Parallel()
	o := NewObject()
	for _, k := range []string{"a", "b", "c"} {
		o.Set(k, k)
	}
	var seen []string
	o.Range(func(k string, _ Value) bool {
		seen = append(seen, k)
		return k != "b"
	})
	if diff := cmp.Diff([]string{"a", "b"}, seen); diff != "" {
		t.Errorf("Range mismatch (-want +got):\n%s", diff)
	}
}
