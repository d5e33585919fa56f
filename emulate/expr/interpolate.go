package expr

import (
	"strings"
	"unicode"
)

// This file handles workflow strings that contain ${{ }}, following
// actions/runner src/Sdk/DTObjectTemplating/ObjectTemplating/TemplateReader.cs
// ParseScalar: the string is cut into literal text and expressions; a string
// that is exactly one ${{ expr }} keeps the expression's value and kind, and
// any other mix is evaluated as format('text{0}text{1}', expr0, expr1).

// templatePart is literal text or one expression of a template string.
type templatePart struct {
	isExpr bool
	text   string // the literal text, or the expression with whitespace trimmed
	off    int    // byte offset of text in the template string
	open   int    // byte offset of the expression's ${{
}

// Template scanning errors, worded as the runner's TemplateStrings.
const (
	msgNotClosed          = "The expression is not closed. An unescaped ${{ sequence was found, but the closing }} sequence was not found."
	msgExpectedExpression = "An expression was expected"
)

// splitTemplate cuts s into parts. The end of an expression is the first }}
// outside a single-quoted string.
func splitTemplate(s string) ([]templatePart, *Error) {
	next := strings.Index(s, "${{")
	if next < 0 {
		return []templatePart{{text: s}}, nil
	}
	var parts []templatePart
	literal := func(text string, off int) {
		if n := len(parts); n > 0 && !parts[n-1].isExpr {
			parts[n-1].text += text
			return
		}
		parts = append(parts, templatePart{text: text, off: off})
	}
	i := 0
	for i < len(s) {
		switch {
		case i == next:
			end, inString := -1, false
			for i += len("${{"); i < len(s); i++ {
				if s[i] == '\'' {
					inString = !inString // '' escapes toggle twice, which is harmless
				} else if !inString && s[i] == '}' && s[i-1] == '}' {
					end = i
					i++
					break
				}
			}
			if end < 0 {
				return nil, &Error{Kind: ErrorParsing, Message: msgNotClosed, Offset: next}
			}
			raw := s[next+len("${{") : end-1]
			trimmed := strings.TrimLeftFunc(raw, unicode.IsSpace)
			off := next + len("${{") + len(raw) - len(trimmed)
			trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
			if trimmed == "" {
				return nil, &Error{Kind: ErrorParsing, Message: msgExpectedExpression, Offset: next}
			}
			parts = append(parts, templatePart{isExpr: true, text: trimmed, off: off, open: next})
			if j := strings.Index(s[i:], "${{"); j >= 0 {
				next = i + j
			} else {
				next = -1
			}
		case next >= 0:
			literal(s[i:next], i)
			i = next
		default:
			literal(s[i:], i)
			i = len(s)
		}
	}
	return parts, nil
}

// expressionString reports whether an expression is nothing but one string
// literal, returning its value (TemplateReader.IsExpressionString). GitHub
// turns ${{ 'text' }} into the literal text before anything else looks at it.
func expressionString(expr string) (string, bool) {
	var b strings.Builder
	inString := false
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '\'':
			inString = !inString
			if inString && i != 0 {
				b.WriteByte(c)
			}
		case !inString:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// formatText is the expression GitHub builds for a mixed template:
// format('text{0}text{1}', expr0, expr1), with quotes doubled and braces
// escaped in the text.
func formatText(parts []templatePart) string {
	var format, args strings.Builder
	n := 0
	for _, p := range parts {
		if !p.isExpr {
			format.WriteString(escapeFormatText(p.text))
			continue
		}
		format.WriteString("{" + formatNumber(float64(n)) + "}")
		n++
		args.WriteString(", ")
		args.WriteString(p.text)
	}
	return "format('" + format.String() + "'" + args.String() + ")"
}

// formatTextEscaper escapes literal text for the format string inside an
// expression; braceEscaper for a format string that is already a value.
var (
	formatTextEscaper = strings.NewReplacer("'", "''", "{", "{{", "}", "}}")
	braceEscaper      = strings.NewReplacer("{", "{{", "}", "}}")
)

func escapeFormatText(s string) string {
	return formatTextEscaper.Replace(s)
}

// Interpolate evaluates every ${{ }} in s against env. A string without
// ${{ is returned as it is. When s is exactly one ${{ expr }}, with nothing
// around it (whitespace inside the braces is fine, whitespace outside is
// text, as on GitHub), the result keeps the expression's kind: ${{ 3 }} is
// the number 3 and ${{ matrix }} an object. Otherwise the result is the
// string with each expression replaced by its ToString form.
//
// Errors are *Error whose Offset is a byte offset in s: the offending token
// for syntax errors, the failing node for evaluation errors, the ${{ for an
// unclosed or empty expression.
func Interpolate(s string, env *Env) (Value, error) {
	if env == nil {
		env = &Env{}
	}
	n, lit, err := templateTree(s, parseOptions{names: contextNames(env), funcs: allFunctions})
	if err != nil {
		return nil, err
	}
	if n == nil {
		return lit, nil
	}
	return Eval(n, env)
}

// templateTree parses a template string. It returns the tree to evaluate, or
// (when there is nothing to evaluate) the literal string.
func templateTree(s string, o parseOptions) (Node, string, *Error) {
	parts, err := splitTemplate(s)
	if err != nil {
		return nil, "", err
	}
	var args []Node
	for _, p := range parts {
		if !p.isExpr {
			continue
		}
		po := o
		po.base = p.off
		n, err := parseNode(p.text, po)
		if err != nil {
			return nil, "", err
		}
		args = append(args, n)
	}
	switch {
	case len(args) == 0:
		return nil, s, nil
	case len(parts) == 1:
		return args[0], "", nil
	}

	// A mixed template is one format() call on GitHub, so it is subject to
	// format's arity and to the length and depth limits as a whole.
	if len(args)+1 > maxFuncArgs {
		return nil, "", &Error{Kind: ErrorParsing, Message: "Too many parameters supplied: 'format'", Offset: parts[0].off}
	}
	if utf16Len(formatText(parts)) > MaxLength {
		return nil, "", &Error{Kind: ErrorParsing, Message: "Exceeded max expression length 21000", Offset: 0}
	}
	var format strings.Builder
	n := 0
	for _, p := range parts {
		if p.isExpr {
			format.WriteString("{" + formatNumber(float64(n)) + "}")
			n++
		} else {
			format.WriteString(braceEscaper.Replace(p.text))
		}
	}
	call := &Call{
		Name: "format",
		Args: append([]Node{&Literal{Value: format.String(), Off: 0}}, args...),
		Off:  0,
		fn:   builtinFunctions["format"],
	}
	if depth(call) > MaxDepth {
		return nil, "", &Error{Kind: ErrorParsing, Message: "Exceeded max expression depth 50", Offset: 0}
	}
	return call, "", nil
}
