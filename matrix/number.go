package matrix

import (
	"math"
	"strconv"
	"strings"
)

// formatNumber prints f as GitHub prints a number in a job name or an
// expression: .NET's Double.ToString("G15", InvariantCulture)
// (actions/runner: src/Sdk/Expressions/Data/NumberExpressionData.cs ToString,
// ExpressionConstants.NumberFormat). That is 15 significant digits without
// trailing zeros, in fixed point when the decimal exponent is in [-5, 15),
// else as d.dddE+XX with at least two exponent digits: 3.10 prints "3.1",
// 1e15 prints "1E+15", 0.00001 prints "1E-05". .NET Core keeps the sign of
// negative zero ("-0").
//
// Rounding to 15 digits is Go's (correct, ties to even); .NET may round an
// exact tie at the 16th digit away from zero. Such a tie needs a number with
// 16 or more significant digits in the YAML.
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	// "-d.dddddddddddddde±XX": 15 significant digits, correctly rounded.
	s := strconv.FormatFloat(f, 'e', 14, 64)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")

	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if e > -5 && e < 15 {
		switch {
		case e < 0:
			b.WriteString("0.")
			b.WriteString(strings.Repeat("0", -e-1))
			b.WriteString(digits)
		case len(digits) <= e+1:
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", e+1-len(digits)))
		default:
			b.WriteString(digits[:e+1])
			b.WriteByte('.')
			b.WriteString(digits[e+1:])
		}
		return b.String()
	}
	b.WriteString(digits[:1])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	b.WriteByte('E')
	if e < 0 {
		b.WriteByte('-')
		e = -e
	} else {
		b.WriteByte('+')
	}
	if e < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(e))
	return b.String()
}

// parseNumber converts a string to a number the way GitHub's expressions do
// when they compare a string with a number (actions/runner:
// src/Sdk/Expressions/Sdk/ExpressionUtility.cs ParseNumber, which follows
// JavaScript's Number()): surrounding white space is ignored, the empty
// string is 0, decimal numbers with sign, point and exponent parse, so do
// 0x (hex) and 0o (octal) integers that fit in 32 bits, and Infinity and
// -Infinity; anything else is NaN.
func parseNumber(s string) float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	if isDecimal(s) {
		// An out-of-range literal gives ±Inf with ErrRange, which is also
		// what .NET Core's Double.TryParse returns.
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	if len(s) > 2 && s[0] == '0' && s[1] == 'x' && allDigits(s[2:], 16) {
		// Int32.TryParse with AllowHexSpecifier reads up to 32 bits as a
		// two's complement pattern: 0xFFFFFFFF is -1.
		if u, err := strconv.ParseUint(s[2:], 16, 32); err == nil {
			return float64(int32(uint32(u)))
		}
		return math.NaN()
	}
	if len(s) > 2 && s[0] == '0' && s[1] == 'o' && allDigits(s[2:], 8) {
		// Convert.ToInt32(s, 8) is also two's complement over 32 bits.
		if u, err := strconv.ParseUint(s[2:], 8, 32); err == nil {
			return float64(int32(uint32(u)))
		}
		return math.NaN()
	}
	// .NET Core's Double.TryParse knows the invariant symbols Infinity,
	// -Infinity and NaN ignoring case; ParseNumber's own checks for
	// "Infinity" and "-Infinity" are then only reached for the exact words.
	switch strings.ToLower(s) {
	case "infinity", "+infinity":
		return math.Inf(1)
	case "-infinity":
		return math.Inf(-1)
	}
	return math.NaN()
}

// isDecimal reports whether s is what Double.TryParse accepts with
// AllowLeadingSign | AllowDecimalPoint | AllowExponent: an optional sign,
// digits with at most one point (at least one digit in all), and an optional
// exponent with its own optional sign.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string, base int) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '7':
		case c >= '8' && c <= '9' && base >= 10:
		case (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') && base == 16:
		default:
			return false
		}
	}
	return true
}
