package matrix

import (
	"math"
	"testing"
)

// parseNumber is expr.ParseNumber (tested there) but for the case of the
// Infinity words; these cases pin that difference and that the rest is
// passed through.
func TestParseNumber(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		what string
		in   string
		want float64
	}{
		{"Infinity", "Infinity", math.Inf(1)},
		{"-Infinity", "-Infinity", math.Inf(-1)},
		{"infinity ignoring case", "infinity", math.Inf(1)},
		{"signed infinity ignoring case", " +INFINITY ", math.Inf(1)},
		{"negative infinity ignoring case", "-infinity", math.Inf(-1)},
		{"inf is not a word .NET knows", "inf", nan},
		{"empty is zero", "", 0},
		{"spaces are trimmed", " 12 ", 12},
		{"fraction", "3.10", 3.1},
		{"hex wraps at 32 bits", "0xFFFFFFFF", -1},
		{"word", "abc", nan},
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
