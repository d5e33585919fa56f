package matrix

import (
	"math"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// The rules are those of actions/runner: src/Sdk/Expressions/
// EvaluationResult.cs AbstractEqual and CoerceTypes, and the docs' table
// "GitHub performs loose equality comparisons" (github/docs: content/actions/
// reference/workflows-and-actions/expressions.md).
func TestLooseEqual(t *testing.T) {
	t.Parallel()
	o := obj("a", 1)
	a := arr(1)
	tests := []struct {
		what string
		a, b expr.Value
		want bool
	}{
		{"null equals null", nil, nil, true},
		{"strings ignore case", "Ubuntu-Latest", "ubuntu-latest", true},
		{"strings ignore case beyond ASCII", "ÉTÉ", "été", true},
		{"different strings", "a", "b", false},
		{"Kelvin sign is not k (ordinal upper-casing)", "\u212a", "k", false},
		{"dotless ı is not I (shared test data, operators_case_insensitive)", "ı", "I", false},
		{"numbers", 3.1, 3.1, true},
		{"NaN is unequal to itself", math.NaN(), math.NaN(), false},
		{"string and number compare as numbers", "3.10", 3.1, true},
		{"number and string compare as numbers", 16.0, " 16 ", true},
		{"non-numeric string is NaN", "abc", 0.0, false},
		{"empty string is 0", "", 0.0, true},
		{"null and empty string are both 0", nil, "", true},
		{"null and false are both 0", nil, false, true},
		{"true is 1", true, 1.0, true},
		{"true and the string 1", true, "1", true},
		{"true and the string true are not equal", true, "true", false},
		{"booleans", false, false, true},
		{"same object", o, o, true},
		{"equal but distinct objects", obj("a", 1), obj("a", 1), false},
		{"same array", a, a, true},
		{"equal but distinct arrays", arr(1), arr(1), false},
		{"object and string", o, "a", false},
		{"object and null", o, nil, false},
		{"array and number", a, 1.0, false},
		{"hex string and number", "0x10", 16.0, true},
		{"infinity ignoring case and the number", "infinity", math.Inf(1), true},
		{"infinity ignoring case and true", "-INFINITY", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := looseEqual(tc.a, tc.b); got != tc.want {
				t.Errorf("looseEqual(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := looseEqual(tc.b, tc.a); got != tc.want {
				t.Errorf("looseEqual(%v, %v) = %v, want %v (swapped)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}

// actions/runner: src/Sdk/Expressions/Sdk/Operators/Index.cs.
func TestIndex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		v, k expr.Value
		want string
	}{
		{"object by key ignoring case", obj("OS", "linux"), "os", `"linux"`},
		{"missing key", obj("os", "linux"), "arch", "null"},
		{"object by number key", obj("0", "zero"), 0.0, `"zero"`},
		{"array by number", arr("a", "b"), 1.0, `"b"`},
		{"array index is floored", arr("a", "b"), 1.7, `"b"`},
		{"array by numeric string", arr("a", "b"), "1", `"b"`},
		{"array out of range", arr("a"), 1.0, "null"},
		{"array negative", arr("a"), -1.0, "null"},
		{"array by word", arr("a"), "x", "null"},
		{"scalar", "abc", 0.0, "null"},
		{"null", nil, "a", "null"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			diff(t, "value", tc.want, render(index(tc.v, tc.k)))
		})
	}
}

func TestFilterMatch(t *testing.T) {
	t.Parallel()
	m := obj(
		"os", "ubuntu-latest",
		"node", obj("version", 20, "env", "x"),
		"list", arr("a", "b"),
	)
	tests := []struct {
		what  string
		entry *expr.Object
		want  bool
	}{
		{"all keys match", obj("os", "Ubuntu-Latest", "node", obj("version", "20")), true},
		{"one key differs", obj("os", "ubuntu-latest", "node", obj("version", 18)), false},
		{"nested subset", obj("node", obj("env", "X")), true},
		{"missing nested key compares null", obj("node", obj("npm", nil)), true},
		{"missing nested key against a string", obj("node", obj("npm", "6")), false},
		{"array prefix", obj("list", arr("a")), true},
		{"array element differs", obj("list", arr("b")), false},
		{"array longer than the value", obj("list", arr("a", "b", "c")), false},
		{"object against a scalar", obj("os", obj("name", "ubuntu")), false},
		{"empty object matches anything", obj("os", obj()), true},
		{"no keys matches", obj(), true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			var f filter
			tc.entry.Range(func(k string, v expr.Value) bool {
				f.addLeaves([]expr.Value{k}, v)
				return true
			})
			if got := f.match(m); got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}
