package matrix

import (
	"math"

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
		*f = append(*f, leaf{path: path, want: expr.ParseNumber(expr.FormatNumber(v))})
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
			key = expr.ToString(k) // G15, with -0 as "0"
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

// toNumber is GitHub's conversion to a number (EvaluationResult.
// ConvertToNumber): [expr.ToNumber], with strings read by [parseNumber].
func toNumber(v expr.Value) float64 {
	if s, ok := v.(string); ok {
		return parseNumber(s)
	}
	return expr.ToNumber(v)
}
