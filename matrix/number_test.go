package matrix

import (
	"math"
	"testing"
)

// The wants are what .NET's Double.ToString("G15", InvariantCulture) prints
// (actions/runner: src/Sdk/Expressions/Data/NumberExpressionData.cs).
func TestFormatNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		in   float64
		want string
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
			diff(t, "formatted", tc.want, formatNumber(tc.in))
		})
	}
}

// actions/runner: src/Sdk/Expressions/Sdk/ExpressionUtility.cs ParseNumber.
func TestParseNumber(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		what string
		in   string
		want float64
	}{
		{"empty is zero", "", 0},
		{"blank is zero", "  \t", 0},
		{"spaces are trimmed", " 12 ", 12},
		{"fraction", "3.10", 3.1},
		{"leading point", ".5", 0.5},
		{"trailing point", "5.", 5},
		{"plus sign", "+1", 1},
		{"minus sign", "-1.5", -1.5},
		{"exponent", "1e3", 1000},
		{"signed exponent", "1.5E-2", 0.015},
		{"overflow is infinity", "1e999", math.Inf(1)},
		{"hex", "0x10", 16},
		{"hex upper-case digits", "0xFF", 255},
		{"hex wraps at 32 bits", "0xFFFFFFFF", -1},
		{"hex beyond 32 bits", "0x100000000", nan},
		{"upper-case X is not hex", "0X10", nan},
		{"octal", "0o17", 15},
		{"octal with 8", "0o18", nan},
		{"binary is not supported", "0b1", nan},
		{"Infinity", "Infinity", math.Inf(1)},
		{"-Infinity", "-Infinity", math.Inf(-1)},
		{"word", "abc", nan},
		{"underscore", "1_000", nan},
		{"two points", "1.2.3", nan},
		{"bare sign", "-", nan},
		{"exponent without digits", "1e", nan},
		{"Go hex float is not a number here", "0x1p-2", nan},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got := parseNumber(tc.in)
			if math.IsNaN(tc.want) {
				if !math.IsNaN(got) {
					t.Errorf("parseNumber(%q) = %v, want NaN", tc.in, got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("parseNumber(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
