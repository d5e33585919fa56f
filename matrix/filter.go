package matrix

import (
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// filter is an include or exclude entry turned into the checks GitHub makes.
// GitHub walks the entry down to its scalar leaves and, for each, evaluates
// `matrix[k1][k2]... == literal` against the combination; the entry matches
// when every check is true (actions/runner:
// src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs MatrixFilter). So
//
//	versions: {node: 12}
//
// matches {versions: {node: 12, npm: 6}}, a list matches on the elements it
// names, and an entry whose value is {} or [] has no leaf and matches
// anything.
type filter []leaf

// leaf is one check: the path of keys (string) and indexes (float64) from the
// matrix context down to a scalar, and that scalar.
type leaf struct {
	path []expr.Value
	want expr.Value
}

// addLeaves appends the checks for v found at path.
func (f *filter) addLeaves(path []expr.Value, v expr.Value) {
	switch v := v.(type) {
	case *expr.Object:
		v.Range(func(k string, c expr.Value) bool {
			f.addLeaves(appendPath(path, k), c)
			return true
		})
	case []any:
		for i, c := range v {
			f.addLeaves(appendPath(path, float64(i)), c)
		}
	case float64:
		// GitHub writes the number into the expression text with G15 and
		// parses it back (MatrixFilter.AddExpression uses
		// ExpressionUtility.ConvertToParseToken), so more than 15 significant
		// digits are lost before the comparison.
		*f = append(*f, leaf{path: path, want: parseNumber(formatNumber(v))})
	default:
		*f = append(*f, leaf{path: path, want: v})
	}
}

// appendPath returns path+k in a new slice, so sibling leaves do not share
// backing arrays.
func appendPath(path []expr.Value, k expr.Value) []expr.Value {
	p := make([]expr.Value, len(path)+1)
	copy(p, path)
	p[len(path)] = k
	return p
}

// match reports whether every check of f holds for the combination m.
func (f filter) match(m *expr.Object) bool {
	for _, l := range f {
		var v expr.Value = m
		for _, k := range l.path {
			v = index(v, k)
		}
		if !looseEqual(v, l.want) {
			return false
		}
	}
	return true
}

// index is GitHub's [] operator for the keys a filter uses (actions/runner:
// src/Sdk/Expressions/Sdk/Operators/Index.cs): an object is indexed by the
// key as a string, ignoring case; an array by the key as a number, floored,
// when it is in range; anything else gives null.
func index(v, k expr.Value) expr.Value {
	switch v := v.(type) {
	case *expr.Object:
		var key string
		switch k := k.(type) {
		case string:
			key = k
		case float64:
			key = formatIndexNumber(k)
		default:
			return nil
		}
		got, _ := v.Get(key)
		return got
	case []any:
		n := toNumber(k)
		if math.IsNaN(n) || n < 0 {
			return nil
		}
		n = math.Floor(n)
		if n >= float64(len(v)) {
			return nil
		}
		return v[int(n)]
	}
	return nil
}

// formatIndexNumber is EvaluationResult.ConvertToString for a number: G15,
// except that negative zero prints as "0".
func formatIndexNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	return formatNumber(f)
}

// looseEqual is GitHub's == (actions/runner: src/Sdk/Expressions/
// EvaluationResult.cs AbstractEqual): JavaScript's abstract equality, except
// that strings compare ignoring case and objects and arrays are equal only
// to themselves. Values of different kinds are compared as numbers when one
// is a number and the other a string, or when either is a boolean or null:
// so "3.10" == 3.1, "" == null and false == 0 are all true.
func looseEqual(a, b expr.Value) bool {
	ka, kb := expr.KindOf(a), expr.KindOf(b)
	for ka != kb {
		switch {
		case ka == expr.KindNumber && kb == expr.KindString:
			b, kb = toNumber(b), expr.KindNumber
		case ka == expr.KindString && kb == expr.KindNumber:
			a, ka = toNumber(a), expr.KindNumber
		case ka == expr.KindBoolean || ka == expr.KindNull:
			a, ka = toNumber(a), expr.KindNumber
		case kb == expr.KindBoolean || kb == expr.KindNull:
			b, kb = toNumber(b), expr.KindNumber
		default:
			return false
		}
	}
	switch ka {
	case expr.KindNull:
		return true
	case expr.KindBoolean:
		return a.(bool) == b.(bool)
	case expr.KindNumber:
		// NaN is unequal to everything, which float64 == already does.
		return a.(float64) == b.(float64)
	case expr.KindString:
		return equalIgnoreCase(a.(string), b.(string))
	case expr.KindArray:
		// Filters only ever compare against scalars; this keeps the rule
		// (same instance) for completeness. Empty arrays cannot be told
		// apart by identity in Go, so they are treated as distinct.
		x, y := a.([]any), b.([]any)
		return len(x) == len(y) && len(x) > 0 && &x[0] == &y[0]
	case expr.KindObject:
		return a.(*expr.Object) == b.(*expr.Object)
	}
	return false
}

// toNumber is GitHub's conversion to a number for comparisons
// (EvaluationResult.ConvertToNumber): null is 0, booleans are 1 and 0,
// strings go through [parseNumber], arrays and objects are NaN.
func toNumber(v expr.Value) float64 {
	switch v := v.(type) {
	case nil:
		return 0
	case bool:
		if v {
			return 1
		}
		return 0
	case float64:
		return v
	case string:
		return parseNumber(v)
	}
	if expr.KindOf(v) == expr.KindNull {
		return 0
	}
	return math.NaN()
}

// equalIgnoreCase is .NET's StringComparison.OrdinalIgnoreCase: the strings
// are equal when their characters are, one by one, after simple upper-casing.
// Unlike strings.EqualFold it does not treat the Kelvin sign as "k".
func equalIgnoreCase(a, b string) bool {
	if a == b {
		return true
	}
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb && unicode.ToUpper(ra) != unicode.ToUpper(rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}
