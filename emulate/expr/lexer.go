package expr

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// The lexer follows actions/languageservices expressions/src/lexer.ts, with
// the runner's whitespace rule (Tokens/LexicalAnalyzer.cs skips every
// Char.IsWhiteSpace) and the runner's number syntax (ParseNumber).

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
	tokDot
	tokNot
	tokNe
	tokEq
	tokGt
	tokGe
	tokLt
	tokLe
	tokAnd
	tokOr
	tokStar
	tokNumber
	tokString
	tokIdent
	tokTrue
	tokFalse
	tokNull
)

// token is one lexeme. off is its byte offset in the expression; raw is the
// source text, which error messages quote.
type token struct {
	kind tokenKind
	off  int
	raw  string
	num  float64 // tokNumber
	str  string  // tokString, unescaped
}

type lexer struct {
	src    string
	pos    int
	tokens []token
}

// lex splits src into tokens, ending with a tokEOF token.
func lex(src string) ([]token, *Error) {
	l := &lexer{src: src}
	for l.pos < len(src) {
		r, size := utf8.DecodeRuneInString(src[l.pos:])
		if unicode.IsSpace(r) {
			l.pos += size
			continue
		}
		start := l.pos
		var err *Error
		switch r {
		case '(':
			l.single(tokLParen)
		case ')':
			l.single(tokRParen)
		case '[':
			l.single(tokLBracket)
		case ']':
			l.single(tokRBracket)
		case ',':
			l.single(tokComma)
		case '*':
			l.single(tokStar)
		case '.':
			// A dot after something that can be dereferenced is the
			// dereference operator; anywhere else it starts a number (.5).
			switch l.previous() {
			case tokIdent, tokRBracket, tokRParen, tokStar:
				l.single(tokDot)
			default:
				err = l.number()
			}
		case '-', '+':
			err = l.number()
		case '!':
			l.operator(tokNot, '=', tokNe)
		case '<':
			l.operator(tokLt, '=', tokLe)
		case '>':
			l.operator(tokGt, '=', tokGe)
		case '=', '&', '|':
			// Only "==", "&&" and "||" exist; a lone one is read up to the
			// next boundary and reported as one bad symbol ('=2', '&').
			if l.pos+1 < len(src) && src[l.pos+1] == byte(r) {
				l.pos += 2
				l.add(doubled(r), start)
			} else {
				l.pos++
				err = l.identifier(start)
			}
		case '\'':
			err = l.stringLiteral()
		default:
			if r >= '0' && r <= '9' {
				err = l.number()
			} else {
				l.pos += size
				err = l.identifier(start)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	l.tokens = append(l.tokens, token{kind: tokEOF, off: len(src)})
	return l.tokens, nil
}

// doubled is the token kind of "==", "&&" or "||".
func doubled(r rune) tokenKind {
	switch r {
	case '=':
		return tokEq
	case '&':
		return tokAnd
	}
	return tokOr
}

func (l *lexer) previous() tokenKind {
	if len(l.tokens) == 0 {
		return tokEOF
	}
	return l.tokens[len(l.tokens)-1].kind
}

func (l *lexer) add(kind tokenKind, start int) *token {
	l.tokens = append(l.tokens, token{kind: kind, off: start, raw: l.src[start:l.pos]})
	return &l.tokens[len(l.tokens)-1]
}

func (l *lexer) single(kind tokenKind) {
	l.pos++
	l.add(kind, l.pos-1)
}

func (l *lexer) operator(one tokenKind, next byte, two tokenKind) {
	start := l.pos
	l.pos++
	if l.pos < len(l.src) && l.src[l.pos] == next {
		l.pos++
		l.add(two, start)
		return
	}
	l.add(one, start)
}

func (l *lexer) unexpected(start int) *Error {
	return tokenError(ErrorLexing, "Unexpected symbol", l.src[start:l.pos], start, l.src)
}

// number reads up to the next boundary (dots included) and parses the text
// with the runner's ParseNumber; text that is not a number is an error, which
// is why -0xFF and 0x01p2 are rejected while +1, .5 and 0o17 are not.
func (l *lexer) number() *Error {
	start := l.pos
	l.pos++
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if isBoundary(r) && r != '.' {
			break
		}
		l.pos += size
	}
	f := ParseNumber(l.src[start:l.pos])
	if math.IsNaN(f) {
		return l.unexpected(start)
	}
	l.add(tokNumber, start).num = f
	return nil
}

// stringLiteral reads a single-quoted string; two quotes inside it stand for one.
func (l *lexer) stringLiteral() *Error {
	start := l.pos
	l.pos++
	var buf []byte
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '\'' {
			if l.pos+1 < len(l.src) && l.src[l.pos+1] == '\'' {
				buf = append(buf, '\'')
				l.pos += 2
				continue
			}
			l.pos++
			l.add(tokString, start).str = string(buf)
			return nil
		}
		buf = append(buf, c)
		l.pos++
	}
	return l.unexpected(start)
}

// identifier reads a keyword, context, function or property name starting at
// start (the first character is already consumed). After a dot every word is
// a property name, so foo.true and foo.null are properties.
func (l *lexer) identifier(start int) *Error {
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if isBoundary(r) {
			break
		}
		l.pos += size
	}
	word := l.src[start:l.pos]
	if !isLegalIdentifier(word) {
		return l.unexpected(start)
	}
	kind := tokIdent
	var num float64
	if l.previous() != tokDot {
		switch word {
		case "true":
			kind = tokTrue
		case "false":
			kind = tokFalse
		case "null":
			kind = tokNull
		case "NaN":
			kind, num = tokNumber, math.NaN()
		case "Infinity":
			kind, num = tokNumber, math.Inf(1)
		}
	}
	l.add(kind, start).num = num
	return nil
}

// isBoundary reports whether r ends a word or number (LexicalAnalyzer
// TestTokenBoundary). '*' and quotes are not boundaries: foo* is one bad word.
func isBoundary(r rune) bool {
	switch r {
	case '(', '[', ')', ']', ',', '.', '!', '>', '<', '=', '&', '|':
		return true
	}
	return unicode.IsSpace(r)
}

// isLegalIdentifier is ExpressionUtility.IsLegalKeyword: a letter or _
// followed by letters, digits, _ and -.
func isLegalIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}
