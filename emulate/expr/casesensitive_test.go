package expr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCaseSensitiveObject: a case-sensitive Object (the env context on
// Linux and macOS) keeps FOO and foo apart in every operation, and the
// objects made from it stay case-sensitive; an ordinary Object folds case.
func TestCaseSensitiveObject(t *testing.T) {
	t.Parallel()
	build := func(o *Object) *Object {
		o.Set("FOO", "upper")
		o.Set("foo", "lower")
		o.Set("Bar", "bar")
		return o
	}
	tests := []struct {
		what string
		obj  *Object
		// op transforms the built object before the lookups (nil: none).
		op        func(*Object) *Object
		sensitive bool
		keys      []string
		get       map[string]any // key -> value, or nil for a missing key
	}{
		{"case-sensitive keeps both spellings", NewCaseSensitiveObject(), nil, true,
			[]string{"FOO", "foo", "Bar"},
			map[string]any{"FOO": "upper", "foo": "lower", "Foo": nil, "Bar": "bar", "bar": nil, "BAR": nil}},
		{"case-insensitive folds them", NewObject(), nil, false,
			[]string{"FOO", "Bar"},
			map[string]any{"FOO": "lower", "foo": "lower", "Foo": "lower", "Bar": "bar", "bar": "bar"}},
		{"delete removes one spelling only", NewCaseSensitiveObject(), func(o *Object) *Object {
			o.Delete("FOO")
			return o
		}, true, []string{"foo", "Bar"},
			map[string]any{"FOO": nil, "foo": "lower", "Bar": "bar"}},
		{"delete of another spelling removes nothing", NewCaseSensitiveObject(), func(o *Object) *Object {
			o.Delete("bar")
			return o
		}, true, []string{"FOO", "foo", "Bar"},
			map[string]any{"Bar": "bar", "foo": "lower"}},
		{"delete reindexes the keys after it", NewCaseSensitiveObject(), func(o *Object) *Object {
			o.Delete("FOO")
			o.Set("Bar", "again")
			return o
		}, true, []string{"foo", "Bar"},
			map[string]any{"Bar": "again", "bar": nil}},
		{"clone stays case-sensitive", NewCaseSensitiveObject(), (*Object).Clone, true,
			[]string{"FOO", "foo", "Bar"},
			map[string]any{"FOO": "upper", "foo": "lower", "BAR": nil}},
		{"FromGo stays case-sensitive", NewCaseSensitiveObject(), func(o *Object) *Object {
			return FromGo(o).(*Object)
		}, true, []string{"FOO", "foo", "Bar"},
			map[string]any{"FOO": "upper", "foo": "lower"}},
		{"clone of an ordinary object folds case", NewObject(), (*Object).Clone, false,
			[]string{"FOO", "Bar"},
			map[string]any{"foo": "lower", "BAR": "bar"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			o := build(tc.obj)
			if tc.op != nil {
				o = tc.op(o)
			}
			if o.CaseSensitive() != tc.sensitive {
				t.Errorf("CaseSensitive() = %v, want %v", o.CaseSensitive(), tc.sensitive)
			}
			if diff := cmp.Diff(tc.keys, o.Keys()); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			for k, want := range tc.get {
				got, ok := o.Get(k)
				if want == nil {
					if ok {
						t.Errorf("Get(%q) = %v, want no such key", k, got)
					}
					continue
				}
				if !ok || got != want {
					t.Errorf("Get(%q) = %v, %v; want %v", k, got, ok, want)
				}
			}
		})
	}
	var nilObj *Object
	if nilObj.CaseSensitive() {
		t.Error("a nil Object is not case-sensitive")
	}
}

// TestCaseSensitiveContext: expressions read a case-sensitive context by
// the exact key, through property access, index access and the filters,
// while other contexts in the same evaluation and the context names
// themselves still ignore case.
func TestCaseSensitiveContext(t *testing.T) {
	t.Parallel()
	env := NewCaseSensitiveObject()
	env.Set("FOO", "upper")
	env.Set("foo", "lower")
	env.Set("Mixed", "m")
	gh := NewObject()
	gh.Set("event_name", "push")
	ctx := map[string]Value{"env": env, "github": gh, "list": []any{env}}
	tests := []struct {
		expr string
		want Value
	}{
		{"env.FOO", "upper"},
		{"env.foo", "lower"},
		{"env.Foo", nil},
		{"env.Mixed", "m"},
		{"env.mixed", nil},
		{"env.MIXED", nil},
		{"env['foo']", "lower"},
		{"env['FOO']", "upper"},
		{"env['fOO']", nil},
		{"env[format('{0}', 'Mixed')]", "m"},
		{"env[format('{0}', 'mixed')]", nil},
		{"list.*.foo", []any{"lower"}},
		{"list.*.Foo", []any{}},
		{"toJSON(env)", "{\n  \"FOO\": \"upper\",\n  \"foo\": \"lower\",\n  \"Mixed\": \"m\"\n}"},
		{"ENV.foo", "lower"},
		{"Env['FOO']", "upper"},
		{"github.EVENT_NAME", "push"},
		{"github['Event_Name']", "push"},
		{"env.foo == 'LOWER'", true},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			got, err := Evaluate(tc.expr, &Env{Contexts: ctx})
			if err != nil {
				t.Fatal(err)
			}
			if f, ok := got.(filteredArray); ok {
				got = []any(f)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}
