package expr

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestToJSON(t *testing.T) {
	t.Parallel()
	obj := NewObject()
	obj.Set("b", 1.0)
	obj.Set("a", []any{})
	tests := []struct {
		what  string
		input Value
		want  string
	}{
		{"null", nil, "null"},
		{"booleans", []any{true, false}, "[\n  true,\n  false\n]"},
		{"numbers use G15", []any{1.0, math.Copysign(0, -1), 1e15, 0.1 + 0.2, math.NaN(), math.Inf(-1)}, "[\n  1,\n  0,\n  1E+15,\n  0.3,\n  NaN,\n  -Infinity\n]"},
		{"keys keep insertion order", obj, "{\n  \"b\": 1,\n  \"a\": []\n}"},
		{"empty object", NewObject(), "{}"},
		{"filtered array", filteredArray{"x"}, "[\n  \"x\"\n]"},
		{"unknown Go types print as an empty object", struct{}{}, "{}"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, ToJSON(tc.input)); diff != "" {
				t.Errorf("ToJSON mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToJSONGolden(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "tojson", "*.json"))
	if len(files) == 0 {
		t.Fatal("no testdata/tojson/*.json")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			v, err := FromJSON(string(in))
			if err != nil {
				t.Fatal(err)
			}
			got := ToJSON(v) + "\n"
			golden := file[:len(file)-len(".json")] + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("ToJSON(%s) mismatch (-want +got):\n%s", file, diff)
			}
		})
	}
}
