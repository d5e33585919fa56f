package expr

import (
	"fmt"
	"unicode/utf8"
)

// ErrorKind says which stage rejected an expression.
type ErrorKind int

// The stages, named as GitHub's shared expression test data names them.
const (
	// ErrorLexing: a token could not be read (bad number, unterminated
	// string, illegal character).
	ErrorLexing ErrorKind = iota
	// ErrorParsing: the tokens do not form an expression, or they name an
	// unknown context or function, or a limit (depth, length) is exceeded.
	ErrorParsing
	// ErrorEvaluation: the expression is well formed but failed while running
	// (invalid format string, fromJSON of bad JSON, memory limit, ...).
	ErrorEvaluation
)

// String returns "lexing", "parsing" or "evaluation".
func (k ErrorKind) String() string {
	switch k {
	case ErrorLexing:
		return "lexing"
	case ErrorParsing:
		return "parsing"
	case ErrorEvaluation:
		return "evaluation"
	}
	return "unknown"
}

// Error is an expression error. Message is GitHub's own wording (for example
// "Unexpected symbol: '2'. Located at position 3 within expression: 1 2"), so it
// can be shown to users exactly as GitHub would show it; that is why it is
// capitalised, unlike the house style for Go errors.
type Error struct {
	Kind    ErrorKind
	Message string
	// Offset is the 0-based byte offset of the offending token or node in the
	// expression source (or, for Interpolate and Condition, in the whole string).
	Offset int
}

// Error returns the message.
func (e *Error) Error() string {
	return e.Message
}

// Limits from actions/runner src/Sdk/Expressions/ExpressionConstants.cs and
// actions/languageservices expressions/src/errors.ts.
const (
	// MaxDepth is the deepest an expression tree may nest.
	MaxDepth = 50
	// MaxLength is the longest an expression may be, in UTF-16 code units.
	MaxLength = 21000
	// MaxMemory is the default memory budget of one evaluation, in the
	// runner's estimated bytes (EvaluationContext: "1 mb").
	MaxMemory = 1048576
	// maxFuncArgs is Byte.MaxValue, the arity cap of format() and case().
	maxFuncArgs = 255
)

// tokenError builds a parse or lex error about the token text raw found at
// byte offset off in src, worded as actions/runner ParseException does:
// "<description>: '<token>'. Located at position <n> within expression: <src>".
// The position is 1-based and counts UTF-16 code units, as .NET strings do.
func tokenError(kind ErrorKind, description, raw string, off int, src string) *Error {
	return &Error{
		Kind:    kind,
		Message: fmt.Sprintf("%s: '%s'. Located at position %d within expression: %s", description, raw, utf16Len(src[:off])+1, src),
		Offset:  off,
	}
}

// evalError builds an evaluation error located at the node at byte offset off.
func evalError(off int, format string, args ...any) *Error {
	return &Error{Kind: ErrorEvaluation, Message: fmt.Sprintf(format, args...), Offset: off}
}

// utf16Len counts UTF-16 code units, the unit of .NET string lengths and
// positions, which GitHub's messages and MaxLength use.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 && r <= utf8.MaxRune {
			n += 2
		} else {
			n++
		}
	}
	return n
}
