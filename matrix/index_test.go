package matrix

import (
	"math"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// trickyScalars are values whose comparisons under == are easy to get
// wrong: case, the dotless ı, the Kelvin sign, final sigma, invalid UTF-8
// against U+FFFD, numbers written as strings, Infinity in any case, hex,
// null, booleans, the empty string, -0 and NaN.
var trickyScalars = []expr.Value{
	"a", "A", "ı", "I", "i", "\u212a", "k", "K", "ς", "σ", "Σ", "\xff", "\ufffd", "\xfe",
	"1", "01", " 1 ", "1.0", "1e0", "0x1", "true", "True", "null", "", "0", "-0", "abc",
	"Infinity", "infinity", "-INFINITY", "NaN", "16", "0x10",
	1.0, 0.0, math.Copysign(0, -1), 16.0, 3.1, math.Inf(1), math.Inf(-1), math.NaN(),
	true, false, nil,
}

// TestValueIndexAgreesWithEqual: the index finds, for each scalar of an
// entry, exactly the values == says it equals, also at a path below
// object and array values, where a missing key reads as null.
func TestValueIndexAgreesWithEqual(t *testing.T) {
	t.Parallel()
	values := append([]expr.Value{}, trickyScalars...)
	for _, s := range trickyScalars {
		values = append(values, obj("v", s), arr(s))
	}
	values = append(values, obj(), arr(), obj("w", 1))
	x := NewValueIndex(values)
	for _, want := range trickyScalars {
		for _, path := range [][]expr.Value{{"k"}, {"k", "V"}, {"k", 0.0}, {"k", "0"}} {
			var ref, got []bool
			for _, v := range values {
				var at expr.Value = v
				for _, p := range path[1:] {
					at = index(at, p)
				}
				ref = append(ref, looseEqual(at, want))
			}
			got = make([]bool, len(values))
			for _, c := range x.matching(leaf{path: path, want: want}, nil) {
				for _, v := range c.values {
					if got[v] {
						t.Fatalf("want %#v at %v: value %d is in two classes", want, path, v)
					}
					got[v] = true
				}
			}
			for i := range values {
				if got[i] != ref[i] {
					t.Errorf("want %#v at %v, value %#v: index says %v, == says %v", want, path, values[i], got[i], ref[i])
				}
			}
		}
	}
}

func TestMatchesAny(t *testing.T) {
	t.Parallel()
	values := []expr.Value{"Linux", 3.1, obj("name", "ubuntu", "arch", "arm")}
	tests := []struct {
		what string
		want expr.Value
		ok   bool
	}{
		{"a string ignoring case", "LINUX", true},
		{"a number written as a string", "3.10", true},
		{"part of an object", obj("name", "Ubuntu"), true},
		{"two parts of one object", obj("name", "ubuntu", "arch", "ARM"), true},
		{"parts of different values", obj("name", "ubuntu", "arch", "x64"), false},
		{"no value", "windows", false},
		{"an empty object matches anything", obj(), true},
	}
	x := NewValueIndex(values)
	for _, tc := range tests {
		if got := x.MatchesAny(tc.want); got != tc.ok {
			t.Errorf("%s: MatchesAny(%s) = %v, want %v", tc.what, render(tc.want), got, tc.ok)
		}
	}
	if NewValueIndex(nil).MatchesAny(obj()) {
		t.Error("an empty object matches a value of an empty axis")
	}
}
