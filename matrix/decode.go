package matrix

import (
	"fmt"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// FromValue makes a [Spec] from an evaluated strategy.matrix, such as the
// result of ${{ fromJSON(needs.setup.outputs.matrix) }}: an object whose keys
// "include" and "exclude" (matched with case, as GitHub's switch does) hold
// arrays of objects and whose other keys are axes holding arrays.
//
// It fails, as GitHub's ConvertToStrategy does (actions/runner:
// src/Sdk/WorkflowParser/Conversion/WorkflowTemplateConverter.cs), on the
// first value of the wrong type, and when the matrix has no axis and no
// include entry: "Matrix must define at least one vector" (an include that
// evaluates to [] gives this error, not zero jobs). Empty axes and bad entries
// are left for [Expand] to report.
func FromValue(v expr.Value) (Spec, error) {
	m, ok := v.(*expr.Object)
	if !ok {
		return Spec{}, errType("matrix", v, expr.KindObject, SectionMatrix, "")
	}
	var s Spec
	hasAxis := false
	var err error
	m.Range(func(k string, v expr.Value) bool {
		switch k {
		case "include", "exclude":
			desc := "matrix includes"
			sec := SectionInclude
			if k == "exclude" {
				desc, sec = "matrix excludes", SectionExclude
			}
			arr, ok := v.([]any)
			if !ok {
				err = errType(desc, v, expr.KindArray, sec, "")
				return false
			}
			list := make([]*expr.Object, 0, len(arr))
			for i, e := range arr {
				o, ok := e.(*expr.Object)
				if !ok {
					err = errType(desc+" item", e, expr.KindObject, sec, "")
					err.(*Error).Index = i
					return false
				}
				list = append(list, o)
			}
			if k == "include" {
				s.Include = list
			} else {
				s.Exclude = list
			}
		default:
			hasAxis = true
			arr, ok := v.([]any)
			if !ok {
				err = errType("matrix vector value", v, expr.KindArray, SectionAxis, k)
				return false
			}
			s.Axes = append(s.Axes, Axis{Name: k, Values: arr})
		}
		return true
	})
	if err != nil {
		return Spec{}, err
	}
	if !hasAxis && len(s.Include) == 0 {
		return Spec{}, errNoVector()
	}
	return s, nil
}

// errType is GitHub's AssertMapping/AssertSequence message (actions/runner:
// src/Sdk/WorkflowParser/ObjectTemplating/Tokens/TemplateTokenExtensions.cs),
// naming the template token types the values become.
func errType(desc string, got expr.Value, want expr.Kind, sec Section, axis string) *Error {
	return &Error{
		Message: fmt.Sprintf("Unexpected type '%s' encountered while reading '%s'. The type '%s' was expected.",
			tokenType(expr.KindOf(got)), desc, tokenType(want)),
		Section: sec,
		Axis:    axis,
	}
}

func tokenType(k expr.Kind) string {
	switch k {
	case expr.KindBoolean:
		return "BooleanToken"
	case expr.KindNumber:
		return "NumberToken"
	case expr.KindString:
		return "StringToken"
	case expr.KindArray:
		return "SequenceToken"
	case expr.KindObject:
		return "MappingToken"
	}
	return "NullToken"
}
