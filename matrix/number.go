package matrix

import (
	"math"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// parseNumber converts a string to a number the way GitHub's expressions do
// when they compare a string with a number (actions/runner:
// src/Sdk/Expressions/Sdk/ExpressionUtility.cs ParseNumber). It is
// [expr.ParseNumber], which has the grammar, except for one deliberate
// difference: Infinity, +Infinity and -Infinity are read ignoring case.
// ParseNumber first calls .NET Core's Double.TryParse, which matches the
// invariant Infinity symbols with OrdinalIgnoreCase (Number.Parsing.cs
// TryParseFloat); expr instead pins "infinity" to NaN, as ParseNumber's own
// exact-case checks and JavaScript's Number() would give.
func parseNumber(s string) float64 {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "infinity", "+infinity":
		return math.Inf(1)
	case "-infinity":
		return math.Inf(-1)
	}
	return expr.ParseNumber(s)
}
