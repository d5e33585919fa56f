package expr

import (
	"strings"
	"unicode"
)

// Condition evaluates an if: value as GitHub does (actions/runner
// PipelineTemplateConverter.ConvertToIfCondition, with the template handling
// of TemplateReader):
//
//   - the value may be a bare expression (github.ref == 'refs/heads/main') or
//     use ${{ }}; a value that is exactly ${{ expr }} is the bare expr, and a
//     value that mixes ${{ }} with other text becomes a format() string,
//     which is true whenever it is not empty (GitHub's well-known pitfall);
//   - an empty or blank value means success();
//   - a condition that calls none of success(), failure(), cancelled() and
//     always() is evaluated as success() && (condition), so it is skipped
//     once the job is failing or cancelled.
//
// The caller decides what the status functions mean (a job's if: looks at
// its needs, a step's at the steps before it) through env.Status. Errors are
// *Error with offsets in s.
func Condition(s string, env *Env) (bool, error) {
	if env == nil {
		env = &Env{}
	}
	n, err := conditionTree(s, parseOptions{names: contextNames(env), funcs: allFunctions})
	if err != nil {
		return false, err
	}
	v, verr := Eval(n, env)
	if verr != nil {
		return false, verr
	}
	return Truthy(v), nil
}

// UsesStatusFunction reports whether an if: value (bare or with ${{ }})
// calls success(), failure(), cancelled() or always(), in any case and
// anywhere in the expression. It is false for values that do not parse.
func UsesStatusFunction(cond string) bool {
	text, base, err := conditionText(cond, parseOptions{anyName: true, funcs: allFunctions, unknownFuncs: true})
	if err != nil {
		return false
	}
	n, perr := parseNode(text, parseOptions{anyName: true, funcs: allFunctions, unknownFuncs: true, base: base})
	return perr == nil && hasStatusFunction(n)
}

func hasStatusFunction(n Node) bool {
	found := false
	Walk(n, func(n Node) bool {
		if c, ok := n.(*Call); ok && isStatusFunction(c.Name) {
			found = true
		}
		return !found
	})
	return found
}

// conditionText returns the expression text GitHub evaluates for an if:
// value before the implicit success() is added, and the offset of that text
// in s. Expressions inside ${{ }} are checked with o first so that errors
// point into s.
func conditionText(s string, o parseOptions) (string, int, *Error) {
	if !strings.Contains(s, "${{") {
		return s, 0, nil
	}
	parts, err := splitTemplate(s)
	if err != nil {
		return "", 0, err
	}
	for _, p := range parts {
		if p.isExpr {
			po := o
			po.base = p.off
			if _, err := parseNode(p.text, po); err != nil {
				return "", 0, err
			}
		}
	}
	if len(parts) == 1 {
		// ${{ 'text' }} is read as the literal text, which is then parsed as
		// the condition, exactly as GitHub does.
		if str, ok := expressionString(parts[0].text); ok {
			return str, parts[0].off, nil
		}
		return parts[0].text, parts[0].off, nil
	}
	// The format() text is not in s; errors in it (only limits can remain)
	// point at the start of s.
	return formatText(parts), 0, nil
}

// conditionTree parses an if: value into the tree GitHub evaluates.
func conditionTree(s string, o parseOptions) (Node, *Error) {
	text, base, err := conditionText(s, o)
	if err != nil {
		return nil, err
	}
	if strings.TrimFunc(text, unicode.IsSpace) == "" {
		text, base = "success()", 0
	}
	po := o
	po.base = base
	n, err := parseNode(text, po)
	if err != nil {
		return nil, err
	}
	if n == nil || hasStatusFunction(n) {
		return n, nil
	}
	// success() && (condition): built as a tree rather than re-parsed so
	// offsets still point into s. The runner flattens a top-level && into
	// the new one, which matters for the depth limit.
	if utf16Len(text)+len("success() && ()") > MaxLength {
		return nil, &Error{Kind: ErrorParsing, Message: "Exceeded max expression length 21000", Offset: base}
	}
	success := &Call{Name: "success", Off: base, fn: extensionFunctions["success"]}
	and := &Logical{Op: "&&", Off: base, Args: appendFlat([]Node{success}, "&&", n)}
	if depth(and) > MaxDepth {
		return nil, &Error{Kind: ErrorParsing, Message: "Exceeded max expression depth 50", Offset: base}
	}
	return and, nil
}
