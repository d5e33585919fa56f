package expr

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// This file holds GitHub's loose typing: how values become numbers, strings
// and booleans, and how ==, <, > compare them. The rules are those of
// actions/runner src/Sdk/Expressions/EvaluationResult.cs (AbstractEqual,
// AbstractGreaterThan, CoerceTypes, ConvertToNumber, ConvertToString) and
// Sdk/ExpressionUtility.cs (ParseNumber), which follow JavaScript's abstract
// equality except that strings compare ignoring case and objects are never
// coerced to primitives.

// filteredArray is the result of a .* or [*] filter. It behaves as an Array
// everywhere except as the left operand of another index, where the index
// applies to each element (actions/runner Sdk/Operators/Index.cs FilteredArray).
// It never escapes the evaluator: Eval converts it to []any.
type filteredArray []any

// newFiltered allocates a filtered array with room for n items. The capacity is
// at least one so that two filters never share a backing array, which keeps
// reference equality (==) false between them, as it is on GitHub.
func newFiltered(n int) filteredArray {
	return make(filteredArray, 0, n+1)
}

// kindOf is KindOf that also knows the evaluator's internal filtered arrays.
func kindOf(v Value) Kind {
	if _, ok := v.(filteredArray); ok {
		return KindArray
	}
	return KindOf(v)
}

// asArray returns the elements of an Array value (plain or filtered).
func asArray(v Value) ([]any, bool) {
	switch a := v.(type) {
	case []any:
		return a, true
	case filteredArray:
		return a, true
	}
	return nil, false
}

// isPrimitive reports whether v is null, a boolean, a number or a string.
func isPrimitive(v Value) bool {
	switch kindOf(v) {
	case KindNull, KindBoolean, KindNumber, KindString:
		return true
	}
	return false
}

// Truthy reports whether v counts as true in a condition or for ! && ||:
// null, false, 0, -0, NaN and the empty string are false; everything else, including empty
// arrays and objects, is true (EvaluationResult.IsFalsy).
func Truthy(v Value) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return kindOf(v) != KindNull
}

// ToNumber converts v as JavaScript's Number() would: null is 0, booleans are
// 1 and 0, strings are parsed (see [ParseNumber]), arrays and objects are NaN.
func ToNumber(v Value) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case bool:
		if x {
			return 1
		}
		return 0
	case float64:
		return x
	case string:
		return ParseNumber(x)
	}
	return math.NaN()
}

// ToString converts v to the text that replaces an expression inside a
// workflow string and that format() and join() use: null is the empty string, booleans are
// true/false, numbers use the runner's "G15" format (integers without a
// decimal point, -0 as 0, 1E+15 from 15 digits on), arrays are 'Array' and
// objects are 'Object' (EvaluationResult.ConvertToString).
func ToString(v Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return formatNumber(x)
	case string:
		return x
	}
	switch kindOf(v) {
	case KindArray:
		return "Array"
	case KindObject:
		return "Object"
	}
	return ""
}

// ParseNumber converts a string to a number as the runner does
// (ExpressionUtility.ParseNumber): surrounding whitespace is ignored, the
// empty string is 0, decimals with an optional sign, fraction and exponent
// are accepted, as are 0x hex and 0o octal (32-bit, no sign) and
// [+-]Infinity; anything else is NaN.
func ParseNumber(s string) float64 {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return 0
	}
	if isDecimal(s) {
		// ErrRange still returns ±Inf or 0, which is what .NET Core returns
		// for out-of-range input, so the error is deliberately ignored.
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	if len(s) > 2 && s[0] == '0' && s[1] == 'x' {
		return parseInt32(s[2:], 16)
	}
	if len(s) > 2 && s[0] == '0' && s[1] == 'o' {
		return parseInt32(s[2:], 8)
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	return math.NaN()
}

// isDecimal matches what .NET's Double.TryParse accepts with AllowLeadingSign,
// AllowDecimalPoint and AllowExponent: [+-]? (d+ [.d*] | .d+) ([eE][+-]?d+)?.
// strconv.ParseFloat alone would also take hex floats, "inf" and underscores.
func isDecimal(s string) bool {
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
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
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseInt32 parses hex or octal digits into a 32-bit two's complement
// integer, as Int32.TryParse(AllowHexSpecifier) and Convert.ToInt32(s, 8) do:
// 0xffffffff is -1, and anything wider than 32 bits is NaN.
func parseInt32(digits string, base int) float64 {
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		ok := c >= '0' && c <= '7' ||
			base == 16 && (c >= '8' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
		if !ok {
			return math.NaN()
		}
	}
	u, err := strconv.ParseUint(digits, base, 32)
	if err != nil {
		return math.NaN()
	}
	return float64(int32(uint32(u)))
}

// formatNumber is [FormatNumber] with -0 printed as 0, as
// EvaluationResult.ConvertToString does (it notes that .NET Core 3 started
// printing -0): the form of a number in expression results, format() and
// toJSON().
func formatNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	return FormatNumber(f)
}

// FormatNumber formats f as .NET's f.ToString("G15", InvariantCulture)
// (actions/runner: src/Sdk/Expressions/Data/NumberExpressionData.cs
// ToString, ExpressionConstants.NumberFormat), which is how GitHub prints a
// number in a matrix job's name. G15 keeps 15 significant digits, drops
// trailing zeros, and uses fixed notation only when the decimal exponent is
// above -5 and below 15; otherwise scientific notation with at least two
// exponent digits: 3.10 prints "3.1", 1e15 "1E+15", 0.00001 "1E-05". Like
// .NET Core it keeps the sign of negative zero ("-0"); [ToString] prints
// "0" for it.
//
// Rounding to 15 digits is Go's (correct, ties to even); .NET may round an
// exact tie at the 16th digit away from zero. Such a tie needs a number with
// 16 or more significant digits.
func FormatNumber(f float64) string {
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
	e := strconv.FormatFloat(f, 'e', 14, 64) // [-]d.dddddddddddddde±dd
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")

	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case exp <= -5 || exp >= 15:
		b.WriteByte(digits[0])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('E')
		if exp < 0 {
			b.WriteByte('-')
			exp = -exp
		} else {
			b.WriteByte('+')
		}
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
	case exp < 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -exp-1))
		b.WriteString(digits)
	default:
		if len(digits) <= exp+1 {
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", exp+1-len(digits)))
		} else {
			b.WriteString(digits[:exp+1])
			b.WriteByte('.')
			b.WriteString(digits[exp+1:])
		}
	}
	return b.String()
}

// coerce brings two values to a common kind for comparison
// (EvaluationResult.CoerceTypes): a number and a string compare as numbers,
// null and booleans become numbers and are coerced again, and arrays and
// objects are left alone (so they only ever equal themselves).
func coerce(a, b Value) (Value, Value, Kind, Kind) {
	for {
		ka, kb := kindOf(a), kindOf(b)
		switch {
		case ka == kb:
			return a, b, ka, kb
		case ka == KindNumber && kb == KindString:
			return a, ToNumber(b), ka, KindNumber
		case ka == KindString && kb == KindNumber:
			return ToNumber(a), b, KindNumber, kb
		case ka == KindBoolean || ka == KindNull:
			a = ToNumber(a)
		case kb == KindBoolean || kb == KindNull:
			b = ToNumber(b)
		default:
			return a, b, ka, kb
		}
	}
}

// Equal reports whether a == b under GitHub's rules: loose coercion between
// kinds, NaN never equal, strings equal ignoring case, and arrays and objects
// equal only to themselves (the same instance).
func Equal(a, b Value) bool {
	a, b, ka, kb := coerce(a, b)
	if ka != kb {
		return false
	}
	switch ka {
	case KindNull:
		return true
	case KindBoolean:
		return a.(bool) == b.(bool)
	case KindNumber:
		return a.(float64) == b.(float64) // false for NaN, as required
	case KindString:
		return compareFold(a.(string), b.(string)) == 0
	case KindObject:
		return a.(*Object) == b.(*Object)
	case KindArray:
		x, _ := asArray(a)
		y, _ := asArray(b)
		return sameArray(x, y)
	}
	return false
}

// sameArray is reference equality for arrays: the same backing array and
// length. Decoded arrays are allocated with a non-zero capacity so that two
// distinct empty arrays do not both point at Go's shared zero-size block.
func sameArray(x, y []any) bool {
	return len(x) == len(y) && unsafe.SliceData(x) == unsafe.SliceData(y)
}

// greater reports a > b (EvaluationResult.AbstractGreaterThan).
func greater(a, b Value) bool {
	a, b, ka, kb := coerce(a, b)
	if ka != kb {
		return false
	}
	switch ka {
	case KindNumber:
		return a.(float64) > b.(float64)
	case KindString:
		return compareFold(a.(string), b.(string)) > 0
	case KindBoolean:
		return a.(bool) && !b.(bool)
	}
	return false
}

// less reports a < b (EvaluationResult.AbstractLessThan).
func less(a, b Value) bool {
	a, b, ka, kb := coerce(a, b)
	if ka != kb {
		return false
	}
	switch ka {
	case KindNumber:
		return a.(float64) < b.(float64)
	case KindString:
		return compareFold(a.(string), b.(string)) < 0
	case KindBoolean:
		return !a.(bool) && b.(bool)
	}
	return false
}

// foldRune upper-cases r as .NET's StringComparison.OrdinalIgnoreCase does:
// simple one-to-one upper-case mapping, except that the dotless ı (U+0131)
// stays itself, so 'ı' != 'I' while 'ς', 'σ' and 'Σ' are all equal (see
// operators_case_insensitive.json in the shared test data).
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if r >= 'a' && r <= 'z' {
			return r - ('a' - 'A')
		}
		return r
	}
	if r == 'ı' {
		return r
	}
	return unicode.ToUpper(r)
}

// foldString upper-cases s rune by rune with foldRune.
func foldString(s string) string {
	return strings.Map(foldRune, s)
}

// compareFold compares two strings ignoring case as String.Compare with
// OrdinalIgnoreCase: upper-cased UTF-16 code units compared in order, then
// lengths.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		a, b = a[na:], b[nb:]
		if c := compareUTF16(foldRune(ra), foldRune(rb)); c != 0 {
			return c
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// compareUTF16 orders two runes by their UTF-16 encodings, which differs from
// code point order only between U+E000..U+FFFF and supplementary characters
// (whose leading surrogate is 0xD800..0xDBFF).
func compareUTF16(x, y rune) int {
	if (x >= 0x10000) != (y >= 0x10000) {
		if x >= 0x10000 {
			x = 0xD800 + (x-0x10000)>>10
		} else {
			y = 0xD800 + (y-0x10000)>>10
		}
	}
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
