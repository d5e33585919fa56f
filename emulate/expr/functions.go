package expr

import (
	"strings"
)

// function describes one callable function.
type function struct {
	name     string // canonical spelling, for messages
	min, max int    // arity
	oddArgs  bool   // case() takes pairs plus a default
	eval     func(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error)
}

// builtinFunctions are available in every expression (actions/runner
// src/Sdk/Expressions/ExpressionConstants.cs plus case(), which
// languageservices registers in funcs.ts and the runner with arity 3..255).
var builtinFunctions = map[string]*function{
	"case":       {name: "case", min: 3, max: maxFuncArgs, oddArgs: true, eval: evalCase},
	"contains":   {name: "contains", min: 2, max: 2, eval: evalContains},
	"endswith":   {name: "endsWith", min: 2, max: 2, eval: evalEndsWith},
	"format":     {name: "format", min: 1, max: maxFuncArgs, eval: evalFormat},
	"fromjson":   {name: "fromJSON", min: 1, max: 1, eval: evalFromJSON},
	"join":       {name: "join", min: 1, max: 2, eval: evalJoin},
	"startswith": {name: "startsWith", min: 2, max: 2, eval: evalStartsWith},
	"tojson":     {name: "toJSON", min: 1, max: 1, eval: evalToJSON},
}

// extensionFunctions are the ones GitHub only allows in some places: the
// status functions in if: conditions, hashFiles in step fields
// (PipelineTemplateConverter s_stepConditionFunctions).
var extensionFunctions = map[string]*function{
	"always":    {name: "always", max: 0, eval: statusFunc(func(s StatusFuncs) func() bool { return s.Always }, true)},
	"cancelled": {name: "cancelled", max: 0, eval: statusFunc(func(s StatusFuncs) func() bool { return s.Cancelled }, false)},
	"failure":   {name: "failure", max: 0, eval: statusFunc(func(s StatusFuncs) func() bool { return s.Failure }, false)},
	"success":   {name: "success", max: 0, eval: statusFunc(func(s StatusFuncs) func() bool { return s.Success }, true)},
	"hashfiles": {name: "hashFiles", min: 1, max: maxFuncArgs, eval: evalHashFiles},
}

// allFunctions is builtinFunctions plus extensionFunctions.
var allFunctions = func() map[string]*function {
	m := map[string]*function{}
	for k, v := range builtinFunctions {
		m[k] = v
	}
	for k, v := range extensionFunctions {
		m[k] = v
	}
	return m
}()

// isStatusFunction reports whether name (any case) is one of the four
// status functions.
func isStatusFunction(name string) bool {
	switch strings.ToLower(name) {
	case "success", "failure", "cancelled", "always":
		return true
	}
	return false
}

func statusFunc(pick func(StatusFuncs) func() bool, dflt bool) func(*evaluator, *Call, int) (Value, resultMemory, *Error) {
	return func(ev *evaluator, _ *Call, _ int) (Value, resultMemory, *Error) {
		if f := pick(ev.env.Status); f != nil {
			return f(), resultMemory{}, nil
		}
		return dflt, resultMemory{}, nil
	}
}

// evalContains: contains(search, item). For a primitive search both sides
// become strings and the test ignores case; for an array, an item must be
// == to one element. The item is not evaluated when the search is an empty
// array or an object (actions/runner Sdk/Functions/Contains.cs).
func evalContains(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	left, err := ev.eval(c.Args[0], level+1)
	if err != nil {
		return nil, resultMemory{}, err
	}
	if isPrimitive(left) {
		right, err := ev.eval(c.Args[1], level+1)
		if err != nil {
			return nil, resultMemory{}, err
		}
		if isPrimitive(right) {
			return strings.Contains(foldString(ToString(left)), foldString(ToString(right))), resultMemory{}, nil
		}
		return false, resultMemory{}, nil
	}
	if items, ok := asArray(left); ok && len(items) > 0 {
		right, err := ev.eval(c.Args[1], level+1)
		if err != nil {
			return nil, resultMemory{}, err
		}
		for _, item := range items {
			if Equal(right, item) {
				return true, resultMemory{}, nil
			}
		}
	}
	return false, resultMemory{}, nil
}

// evalStartsWith: startsWith(s, prefix), primitives only, ignoring case.
func evalStartsWith(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	return affix(ev, c, level, strings.HasPrefix)
}

// evalEndsWith: endsWith(s, suffix), primitives only, ignoring case.
func evalEndsWith(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	return affix(ev, c, level, strings.HasSuffix)
}

func affix(ev *evaluator, c *Call, level int, test func(s, affix string) bool) (Value, resultMemory, *Error) {
	left, err := ev.eval(c.Args[0], level+1)
	if err != nil || !isPrimitive(left) {
		return false, resultMemory{}, err
	}
	right, err := ev.eval(c.Args[1], level+1)
	if err != nil || !isPrimitive(right) {
		return false, resultMemory{}, err
	}
	return test(foldString(ToString(left)), foldString(ToString(right))), resultMemory{}, nil
}

// evalJoin: join(array, separator=','). A primitive is converted to a
// string; an object or empty array gives the empty string. A non-primitive separator is
// ignored (actions/runner Sdk/Functions/Join.cs).
func evalJoin(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	v, err := ev.eval(c.Args[0], level+1)
	if err != nil {
		return nil, resultMemory{}, err
	}
	items, ok := asArray(v)
	if !ok || len(items) == 0 {
		if isPrimitive(v) {
			return ToString(v), resultMemory{}, nil
		}
		return "", resultMemory{}, nil
	}
	counter := &memCounter{node: c, max: MaxMemory}
	var b strings.Builder
	first := ToString(items[0])
	if err := counter.addString(first); err != nil {
		return nil, resultMemory{}, err
	}
	b.WriteString(first)
	if len(items) > 1 {
		sep := ","
		if len(c.Args) > 1 {
			s, err := ev.eval(c.Args[1], level+1)
			if err != nil {
				return nil, resultMemory{}, err
			}
			if isPrimitive(s) {
				sep = ToString(s)
			}
		}
		for _, item := range items[1:] {
			str := ToString(item)
			if err := counter.addString(sep); err != nil {
				return nil, resultMemory{}, err
			}
			if err := counter.addString(str); err != nil {
				return nil, resultMemory{}, err
			}
			b.WriteString(sep)
			b.WriteString(str)
		}
	}
	return b.String(), resultMemory{}, nil
}

// evalToJSON: toJSON(value), pretty-printed as the runner prints it.
func evalToJSON(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	v, err := ev.eval(c.Args[0], level+1)
	if err != nil {
		return nil, resultMemory{}, err
	}
	s, err := toJSON(v, &memCounter{node: c, max: MaxMemory})
	if err != nil {
		return nil, resultMemory{}, err
	}
	return s, resultMemory{}, nil
}

// evalFromJSON: fromJSON(string).
func evalFromJSON(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	v, err := ev.eval(c.Args[0], level+1)
	if err != nil {
		return nil, resultMemory{}, err
	}
	out, jerr := FromJSON(ToString(v))
	if jerr != nil {
		return nil, resultMemory{}, evalError(c.Off, "Error parsing fromJson: %v", jerr)
	}
	return out, resultMemory{}, nil
}

// evalCase: case(pred1, val1, pred2, val2, ..., default) returns the value
// after the first predicate that is true. Predicates must be booleans, not
// merely truthy (actions/runner Sdk/Functions/Case.cs).
func evalCase(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	for i := 0; i+1 < len(c.Args); i += 2 {
		p, err := ev.eval(c.Args[i], level+1)
		if err != nil {
			return nil, resultMemory{}, err
		}
		b, ok := p.(bool)
		if !ok {
			return nil, resultMemory{}, evalError(c.Args[i].Pos(), "case predicate must evaluate to a boolean value")
		}
		if b {
			v, err := ev.eval(c.Args[i+1], level+1)
			return v, resultMemory{}, err
		}
	}
	v, err := ev.eval(c.Args[len(c.Args)-1], level+1)
	return v, resultMemory{}, err
}

// evalHashFiles: hashFiles(pattern, ...). The arguments are passed as strings
// to Env.HashFiles (a first argument of --follow-symbolic-links included,
// which HashFiles understands).
func evalHashFiles(ev *evaluator, c *Call, level int) (Value, resultMemory, *Error) {
	args := make([]string, 0, len(c.Args))
	for _, a := range c.Args {
		v, err := ev.eval(a, level+1)
		if err != nil {
			return nil, resultMemory{}, err
		}
		args = append(args, ToString(v))
	}
	if ev.env.HashFiles == nil {
		return nil, resultMemory{}, evalError(c.Off, "hashFiles is not available here")
	}
	sum, err := ev.env.HashFiles(args)
	if err != nil {
		return nil, resultMemory{}, evalError(c.Off, "hashFiles('%s') failed: %v", strings.ReplaceAll(strings.Join(args, ", "), "'", "''"), err)
	}
	return sum, resultMemory{}, nil
}
