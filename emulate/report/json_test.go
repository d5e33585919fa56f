package report

import (
	"bytes"
	"encoding/json"
	"github.com/rehearse-dev/rehearse/fixtures/golden"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rehearse-dev/rehearse/emulate/valuejson"
)

func TestWriteJSONGolden(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	Conclude(r)
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "report.json.golden", b.Bytes())
}

// TestWriteJSONKeys checks that every object in the JSON has exactly the
// keys its Go type declares: nothing extra, nothing left out, and no null
// where a list or map belongs.
func TestWriteJSONKeys(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	r.Workflows[0].Jobs[0].Outputs = nil // nil maps and lists print as {} and []
	r.Workflows[0].Jobs[0].Annotations = nil
	r.Artifacts = nil
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	checkKeys(t, "report", doc, reflect.TypeFor[Report]())
}

// checkKeys walks v alongside the Go type typ.
func checkKeys(t *testing.T, path string, v any, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch typ.Kind() {
	case reflect.Struct:
		if reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Marshaler]()) {
			return // a matrix or a time: written by its own MarshalJSON
		}
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: got %T, want an object", path, v)
			return
		}
		var want, got []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			want = append(want, name)
			checkKeys(t, path+"."+name, obj[name], f.Type)
		}
		for k := range obj {
			got = append(got, k)
		}
		if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("%s: keys differ from %s's fields (-fields +json):\n%s", path, typ.Name(), diff)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			t.Errorf("%s: got %T, want an array", path, v)
			return
		}
		for i, e := range arr {
			checkKeys(t, path+"["+strconv.Itoa(i)+"]", e, typ.Elem())
		}
	case reflect.Map:
		if _, ok := v.(map[string]any); !ok {
			t.Errorf("%s: got %T, want an object", path, v)
		}
	}
}

func TestWriteJSONKeepsReport(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	r.Workflows[0].Jobs[0].Outputs = nil
	before := sampleReport()
	before.Workflows[0].Jobs[0].Outputs = nil
	if err := WriteJSON(&bytes.Buffer{}, r); err != nil {
		t.Fatal(err)
	}
	sameMatrix := cmp.Comparer(func(a, b *valuejson.Value) bool {
		if a == nil || b == nil {
			return a == b
		}
		x, errX := valuejson.Marshal(a.V)
		y, errY := valuejson.Marshal(b.V)
		return errX == nil && errY == nil && bytes.Equal(x, y)
	})
	if diff := cmp.Diff(before, r, sameMatrix); diff != "" {
		t.Errorf("WriteJSON changed the report (-before +after):\n%s", diff)
	}
	if r.Version != 0 {
		t.Errorf("WriteJSON set Version on the caller's report")
	}
}

func TestWriteJSONFieldOrder(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteJSON(&b, &Report{}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for l := range strings.SplitSeq(b.String(), "\n") {
		if strings.HasPrefix(l, `  "`) {
			k, _, _ := strings.Cut(strings.TrimPrefix(l, `  "`), `"`)
			keys = append(keys, k)
		}
	}
	want := []string{"version", "conclusion", "event", "workflows", "artifacts", "run_dir", "log_dir", "started", "duration_ms", "partial"}
	if !slices.Equal(keys, want) {
		t.Errorf("top-level keys in order %v, want %v", keys, want)
	}
}
