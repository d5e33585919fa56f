package expr

import (
	"math"
	"testing"
)

func TestParseNumber(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		what  string
		input string
		want  float64
	}{
		{"empty is zero", "", 0},
		{"blank is zero", " \t\n", 0},
		{"surrounding whitespace", " 12 ", 12},
		{"plus sign", "+1", 1},
		{"exponent", "-1.5e2", -150},
		{"trailing dot", "1.", 1},
		{"leading dot", ".5", 0.5},
		{"lone dot", ".", nan},
		{"exponent without digits", "1e", nan},
		{"hex", "0x1F", 31},
		{"hex needs a lower-case x", "0X1F", nan},
		{"hex is 32-bit two's complement", "0xffffffff", -1},
		{"hex wider than 32 bits", "0x100000000", nan},
		{"signed hex", "-0x1", nan},
		{"bare prefix", "0x", nan},
		{"octal", "0o17", 15},
		{"octal digit out of range", "0o8", nan},
		{"infinity", "Infinity", math.Inf(1)},
		{"signed infinity", "+Infinity", math.Inf(1)},
		{"negative infinity", "-Infinity", math.Inf(-1)},
		{"infinity is case-sensitive", "infinity", nan},
		{"Go's inf is not a number here", "inf", nan},
		{"no underscores", "1_000", nan},
		{"no hex floats", "0x1p3", nan},
		{"overflow is infinite", "1e400", math.Inf(1)},
		{"words", "abc", nan},
		{"NaN text is NaN", "NaN", nan},
		{"fraction", "3.10", 3.1},
		{"two points", "1.2.3", nan},
		{"bare sign", "-", nan},
		{"binary is not supported", "0b1", nan},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got := ParseNumber(tc.input)
			if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("ParseNumber(%q) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

// The wants are what .NET's Double.ToString("G15", InvariantCulture) prints
// (actions/runner: src/Sdk/Expressions/Data/NumberExpressionData.cs).
func TestFormatNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input float64
		want  string
	}{
		{"zero", 0, "0"},
		{"negative zero keeps its sign", math.Copysign(0, -1), "-0"},
		{"integer", 16, "16"},
		{"YAML 3.10 is 3.1", 3.1, "3.1"},
		{"negative fraction", -2.5, "-2.5"},
		{"hundred has no exponent", 100, "100"},
		{"15 digits stay fixed", 123456789012345, "123456789012345"},
		{"16 digits round to 15 and switch to E", 1234567890123456, "1.23456789012346E+15"},
		{"1e15 uses an exponent", 1e15, "1E+15"},
		{"1e14 does not", 1e14, "100000000000000"},
		{"rounding up carries into the exponent", 999999999999999.9, "1E+15"},
		{"1e-4 is fixed", 0.0001, "0.0001"},
		{"1e-5 uses an exponent with two digits", 0.00001, "1E-05"},
		{"small with digits", 1.5e-7, "1.5E-07"},
		{"three-digit exponent", 1e100, "1E+100"},
		{"largest double", math.MaxFloat64, "1.79769313486232E+308"},
		{"smallest denormal", 5e-324, "4.94065645841247E-324"},
		{"0.1+0.2 rounds to 0.3", 0.1 + 0.2, "0.3"},
		{"NaN", math.NaN(), "NaN"},
		{"Infinity", math.Inf(1), "Infinity"},
		{"-Infinity", math.Inf(-1), "-Infinity"},
		{"negative exponent form", -1.25e20, "-1.25E+20"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := FormatNumber(tc.input); got != tc.want {
				t.Errorf("FormatNumber(%v) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestToString(t *testing.T) {
	t.Parallel()
	obj := NewObject()
	obj.Set("a", 1.0)
	tests := []struct {
		what  string
		input Value
		want  string
	}{
		{"null", nil, ""},
		{"true", true, "true"},
		{"false", false, "false"},
		{"string", "abc", "abc"},
		{"integer", 42.0, "42"},
		{"negative zero", math.Copysign(0, -1), "0"},
		{"fraction", -123456.789, "-123456.789"},
		{"15 significant digits", 0.84551240822557006, "0.84551240822557"},
		{"binary noise is rounded away", 0.1 + 0.2, "0.3"},
		{"largest fixed", 999999999999999.0, "999999999999999"},
		{"1e15 is scientific", 1e15, "1E+15"},
		{"rounded mantissa", 1.23456789012345678e20, "1.23456789012346E+20"},
		{"small fixed", 0.0001, "0.0001"},
		{"1e-5 is scientific", 0.00001, "1E-05"},
		{"negative small", -1.5e-7, "-1.5E-07"},
		{"three-digit exponent", 1.5e300, "1.5E+300"},
		{"NaN", math.NaN(), "NaN"},
		{"infinity", math.Inf(1), "Infinity"},
		{"negative infinity", math.Inf(-1), "-Infinity"},
		{"array", []any{1.0}, "Array"},
		{"filtered array", filteredArray{}, "Array"},
		{"object", obj, "Object"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := ToString(tc.input); got != tc.want {
				t.Errorf("ToString(%v) = %q, want %q", tc.input, got, tc.want)
			}
		})
	}
}

func TestToNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input Value
		want  float64
	}{
		{"null", nil, 0},
		{"true", true, 1},
		{"false", false, 0},
		{"number", 2.5, 2.5},
		{"numeric string", " 0o10 ", 8},
		{"other string", "abc", math.NaN()},
		{"array", []any{}, math.NaN()},
		{"object", NewObject(), math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got := ToNumber(tc.input)
			if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
				t.Errorf("ToNumber(%v) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestTruthy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what  string
		input Value
		want  bool
	}{
		{"null", nil, false},
		{"false", false, false},
		{"true", true, true},
		{"zero", 0.0, false},
		{"negative zero", math.Copysign(0, -1), false},
		{"NaN", math.NaN(), false},
		{"number", -0.5, true},
		{"infinity", math.Inf(-1), true},
		{"empty string", "", false},
		{"the string false", "false", true},
		{"the string 0", "0", true},
		{"empty array", []any{}, true},
		{"empty object", NewObject(), true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := Truthy(tc.input); got != tc.want {
				t.Errorf("Truthy(%v) = %v, want %v", tc.input, got, tc.want)
			}
		})
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	arr := []any{1.0}
	empty1, empty2 := make([]any, 0, 1), make([]any, 0, 1)
	obj := NewObject()
	tests := []struct {
		what string
		a, b Value
		want bool
	}{
		{"null and null", nil, nil, true},
		{"null is zero", nil, 0.0, true},
		{"null is the empty string", nil, "", true},
		{"null is not the string null", nil, "null", false},
		{"false is zero", false, 0.0, true},
		{"true is one", true, 1.0, true},
		{"true is not two", true, 2.0, false},
		{"true is ' 1.0 '", true, " 1.0 ", true},
		{"number and numeric string", 255.0, " 0xff ", true},
		{"NaN is not NaN", math.NaN(), math.NaN(), false},
		{"zero and negative zero", 0.0, math.Copysign(0, -1), true},
		{"strings ignore case", "ABC", "abc", true},
		{"Greek sigmas", "ς", "Σ", true},
		{"dotless i is not I", "ı", "I", false},
		{"dotted I is not i", "İ", "i", false},
		{"Cyrillic", "ЖЁ", "жё", true},
		{"different strings", "a", "b", false},
		{"same array", arr, arr, true},
		{"equal but distinct arrays", empty1, empty2, false},
		{"same object", obj, obj, true},
		{"distinct objects", NewObject(), NewObject(), false},
		{"object and its name", obj, "Object", false},
		{"array and false", []any{}, false, false},
		{"filtered array is itself", filteredArray(arr), arr, true},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := Equal(tc.a, tc.b); got != tc.want {
				t.Errorf("Equal(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := Equal(tc.b, tc.a); got != tc.want {
				t.Errorf("Equal(%v, %v) = %v, want %v (swapped)", tc.b, tc.a, got, tc.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		a, b        Value
		less, great bool
	}{
		{"numbers", 1.0, 2.0, true, false},
		{"NaN compares false", math.NaN(), 1.0, false, false},
		{"strings ignore case", "a", "B", true, false},
		{"ı sorts after I", "ı", "I", false, true},
		{"İ sorts after i", "İ", "i", false, true},
		{"prefix sorts first", "ab", "abc", true, false},
		{"UTF-16 order puts supplementary before U+FFFD", "😀", "\uFFFD", true, false},
		{"booleans", false, true, true, false},
		{"number and string", 10.0, "9", false, true},
		{"null and number", nil, 1.0, true, false},
		{"objects never compare", NewObject(), NewObject(), false, false},
		{"array and number", []any{}, 1.0, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := less(tc.a, tc.b); got != tc.less {
				t.Errorf("less(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.less)
			}
			if got := greater(tc.a, tc.b); got != tc.great {
				t.Errorf("greater(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.great)
			}
		})
	}
}
