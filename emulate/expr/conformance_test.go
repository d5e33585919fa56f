package expr

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
)

// This test runs GitHub's shared expression test data (the "x-lang" tests of
// actions/languageservices, expressions/testdata) against this package.
// The data comes from $REHEARSE_CONFORMANCE_DIR, else from
// ../shared/conformance/expressions beside the repository root, else from
// the copy in testdata/conformance (MIT, see its LICENSE).

// conformanceCases is the number of cases in the data; a different count
// means the data changed and this test needs a look.
const conformanceCases = 1020

type conformanceCase struct {
	Expr     string          `json:"expr"`
	Contexts json.RawMessage `json:"contexts"`
	Result   *struct {
		Kind  string          `json:"kind"`
		Value json.RawMessage `json:"value"`
	} `json:"result"`
	Err *struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"err"`
	Options struct {
		Skip []string `json:"skip"`
	} `json:"options"`
}

func conformanceDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("REHEARSE_CONFORMANCE_DIR"); dir != "" {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(dir, "..", "shared", "conformance", "expressions")
			if _, err := os.Stat(shared); err == nil {
				return shared
			}
			// A clone elsewhere uses the copy kept in testdata.
			return filepath.Join(wd, "testdata", "conformance")
		}
		if filepath.Dir(dir) == dir {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	dir := conformanceDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		msg := "no expression test data in " + dir + " (set REHEARSE_CONFORMANCE_DIR)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var total, passed atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var groups map[string][]conformanceCase
			if err := json.Unmarshal(data, &groups); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			names := make([]string, 0, len(groups))
			for name := range groups {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, group := range names {
				for i, tc := range groups[group] {
					total.Add(1)
					name := strings.TrimSuffix(filepath.Base(file), ".json") + "/" + group + "/" + itoa(i)
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						runConformanceCase(t, tc)
						if !t.Failed() {
							passed.Add(1)
						}
					})
				}
			}
		}
	})
	t.Logf("expression conformance: %d of %d cases passed", passed.Load(), total.Load())
	if total.Load() != conformanceCases {
		t.Errorf("found %d cases, want %d", total.Load(), conformanceCases)
	}
	if passed.Load() != total.Load() {
		t.Errorf("%d cases failed", total.Load()-passed.Load())
	}
}

func itoa(i int) string {
	return formatNumber(float64(i))
}

func runConformanceCase(t *testing.T, tc conformanceCase) {
	t.Helper()
	t.Logf("expr: %s", tc.Expr)
	contexts := map[string]Value{}
	var names []string
	if len(tc.Contexts) > 0 {
		v, err := FromJSON(string(tc.Contexts))
		if err != nil {
			t.Fatalf("contexts: %v", err)
		}
		obj := v.(*Object)
		obj.Range(func(k string, v Value) bool {
			contexts[k] = v
			names = append(names, k)
			return true
		})
	}

	var got Value
	n, err := ParseWithNames(tc.Expr, names, nil)
	if err == nil {
		got, err = Eval(n, &Env{Contexts: contexts})
	}

	if tc.Err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("got %v (err %v), want %s error %q", got, err, tc.Err.Kind, tc.Err.Value)
		}
		// GitHub's own harness checks that the message contains the
		// expected text (xlang.test.ts uses toContain).
		if e.Kind.String() != tc.Err.Kind || !strings.Contains(e.Message, tc.Err.Value) {
			t.Fatalf("got %s error %q, want %s error containing %q", e.Kind, e.Message, tc.Err.Kind, tc.Err.Value)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	want, werr := FromJSON(string(tc.Result.Value))
	if werr != nil {
		t.Fatalf("result value: %v", werr)
	}
	if k := KindOf(got).String(); k != tc.Result.Kind {
		t.Fatalf("got kind %s (%s), want %s (%s)", k, ToJSON(got), tc.Result.Kind, tc.Result.Value)
	}
	if !sameValue(got, want) {
		t.Fatalf("got %s, want %s", ToJSON(got), ToJSON(want))
	}
}

// sameValue compares values structurally for the tests: numbers exactly with
// NaN equal to NaN, strings exactly, objects by keys in order.
func sameValue(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i, k := range x.Keys() {
			if y.Keys()[i] != k {
				return false
			}
			xv, _ := x.Get(k)
			yv, _ := y.Get(k)
			if !sameValue(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}
