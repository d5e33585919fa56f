package expr

import "strings"

// What only the tests need of the parser and toJSON: GitHub's conformance
// data names the contexts each case may use, and the evaluator's results
// are compared as toJSON() renders them.

// ParseWithNames parses src and, as GitHub's parser does, rejects any
// named-value (context) not in names ("Unrecognized named-value"; a nil or
// empty names allows none) and any
// function that is neither built in nor in extraFuncs ("Unrecognized
// function"). Names are case-insensitive. extraFuncs may name the status
// functions (success, failure, cancelled, always) and hashFiles, which then
// get their usual arity; other extra names accept any number of arguments
// but fail if evaluated.
func ParseWithNames(src string, names []string, extraFuncs []string) (Node, error) {
	funcs := builtinFunctions
	if len(extraFuncs) > 0 {
		funcs = make(map[string]*function, len(builtinFunctions)+len(extraFuncs))
		for k, v := range builtinFunctions {
			funcs[k] = v
		}
		for _, name := range extraFuncs {
			lower := strings.ToLower(name)
			if f, ok := extensionFunctions[lower]; ok {
				funcs[lower] = f
			} else if _, ok := funcs[lower]; !ok {
				funcs[lower] = &function{name: name, min: 0, max: maxFuncArgs}
			}
		}
	}
	if names == nil {
		names = []string{}
	}
	return parseExpr(src, parseOptions{names: names, funcs: funcs})
}

// Syntax checks that src lexes and parses, without checking which contexts
// and functions it names (the runner's ExpressionParser.ValidateSyntax). Known
// functions still get their arity checked.
func Syntax(src string) error {
	_, err := parseExpr(src, parseOptions{anyName: true, funcs: allFunctions, unknownFuncs: true})
	return err
}

// ToJSON renders v as toJSON() does on GitHub (actions/runner
// src/Sdk/Expressions/Sdk/Functions/ToJson.cs): two-space indentation, one
// element per line, "key": value with a space after the colon, [] and {}
// for empty collections, numbers in the runner's G15 format and strings
// escaped as Newtonsoft's JsonConvert.ToString escapes them ([jsonesc.Quote],
// shared with the secret masker's JSON variation).
func ToJSON(v Value) string {
	s, _ := toJSON(v, nil)
	return s
}
