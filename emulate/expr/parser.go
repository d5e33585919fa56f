package expr

import (
	"strings"
)

// The parser is a recursive-descent parser shaped like actions/languageservices
// expressions/src/parser.ts, whose error messages and positions the shared
// test data records. It builds the runner's tree shape (see [Node]) and checks
// the depth limit on the finished tree, as actions/runner ExpressionParser.cs
// CheckMaxDepth does.

// parser holds the state of one parse.
type parser struct {
	src    string
	base   int // added to node offsets and error offsets (position in an outer template)
	tokens []token
	pos    int

	names        map[string]bool // lower-cased allowed named-values; nil allows any
	funcs        map[string]*function
	unknownFuncs bool // Syntax mode: unknown functions are allowed and not checked
	maxDepth     int
}

// parseOptions says which names a parse accepts.
type parseOptions struct {
	names        []string // nil: any named-value
	anyName      bool
	funcs        map[string]*function
	unknownFuncs bool
	base         int
	maxDepth     int // 0: MaxDepth
}

// Parse parses an expression (the text between ${{ and }}), accepting any
// named-value and the built-in functions plus success, failure, cancelled,
// always and hashFiles. The empty expression parses to a nil Node, which
// evaluates to null. Errors are *Error with Kind ErrorLexing or ErrorParsing.
func Parse(src string) (Node, error) {
	return parseExpr(src, parseOptions{anyName: true, funcs: allFunctions})
}

// parseExpr returns a nil error interface (not a nil *Error) on success.
func parseExpr(src string, o parseOptions) (Node, error) {
	n, err := parseNode(src, o)
	if err != nil {
		return nil, err
	}
	return n, nil
}

func parseNode(src string, o parseOptions) (Node, *Error) {
	if utf16Len(src) > MaxLength {
		return nil, &Error{Kind: ErrorParsing, Message: "Exceeded max expression length 21000", Offset: o.base}
	}
	tokens, lerr := lex(src)
	if lerr != nil {
		lerr.Offset += o.base
		return nil, lerr
	}
	p := &parser{src: src, base: o.base, tokens: tokens, funcs: o.funcs, unknownFuncs: o.unknownFuncs, maxDepth: o.maxDepth}
	if p.maxDepth == 0 {
		p.maxDepth = MaxDepth
	}
	if !o.anyName {
		p.names = make(map[string]bool, len(o.names))
		for _, n := range o.names {
			p.names[strings.ToLower(n)] = true
		}
	}
	return p.parse()
}

// parseError carries an *Error out of the recursive descent.
type parseError struct{ err *Error }

func (p *parser) parse() (n Node, err *Error) {
	if p.atEnd() {
		return nil, nil
	}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			n, err = nil, pe.err
		}
	}()
	n = p.expression()
	if !p.atEnd() {
		p.fail("Unexpected symbol", p.peek())
	}
	if depth(n) > p.maxDepth {
		// The runner reports this without a token (ParseException with a
		// null token), so the message has no position.
		return nil, &Error{Kind: ErrorParsing, Message: "Exceeded max expression depth 50", Offset: p.base}
	}
	return n, nil
}

func (p *parser) fail(description string, t token) {
	raw := t.raw
	if t.kind == tokEOF {
		// Running out of tokens where one was required ("foo[1", "f(1")
		// is reported as the runner does: at the last token read.
		description, t = "Unexpected end of expression", p.tokens[len(p.tokens)-2]
		raw = t.raw
	}
	e := tokenError(ErrorParsing, description, raw, t.off, p.src)
	e.Offset += p.base
	panic(parseError{e})
}

func (p *parser) peek() token     { return p.tokens[p.pos] }
func (p *parser) previous() token { return p.tokens[p.pos-1] }
func (p *parser) atEnd() bool     { return p.tokens[p.pos].kind == tokEOF }

func (p *parser) check(kind tokenKind) bool {
	return !p.atEnd() && p.peek().kind == kind
}

func (p *parser) match(kinds ...tokenKind) bool {
	for _, k := range kinds {
		if p.check(k) {
			p.pos++
			return true
		}
	}
	return false
}

func (p *parser) consume(kind tokenKind) {
	if !p.match(kind) {
		p.fail("Unexpected symbol", p.peek())
	}
}

func (p *parser) off(t token) int { return p.base + t.off }

// expression := or
func (p *parser) expression() Node {
	return p.logical(tokOr, "||", func() Node { return p.logical(tokAnd, "&&", p.equality) })
}

// logical parses operand (op operand)* into one flattened Logical node. The
// runner flattens nested chains of the same operator, parenthesised or not,
// so (a && b) && c is one node with three arguments.
func (p *parser) logical(kind tokenKind, op string, operand func() Node) Node {
	first := operand()
	if !p.check(kind) {
		return first
	}
	n := &Logical{Op: op, Off: p.off(p.peek())}
	n.Args = appendFlat(n.Args, op, first)
	for p.match(kind) {
		n.Args = appendFlat(n.Args, op, operand())
	}
	return n
}

func appendFlat(args []Node, op string, n Node) []Node {
	if l, ok := n.(*Logical); ok && l.Op == op {
		return append(args, l.Args...)
	}
	return append(args, n)
}

// equality := comparison (("==" | "!=") comparison)*
func (p *parser) equality() Node {
	n := p.comparison()
	for p.match(tokEq, tokNe) {
		op := p.previous()
		n = &Binary{Op: op.raw, Left: n, Right: p.comparison(), Off: p.off(op)}
	}
	return n
}

// comparison := unary (("<" | "<=" | ">" | ">=") unary)*
func (p *parser) comparison() Node {
	n := p.unary()
	for p.match(tokGt, tokGe, tokLt, tokLe) {
		op := p.previous()
		n = &Binary{Op: op.raw, Left: n, Right: p.unary(), Off: p.off(op)}
	}
	return n
}

// unary := "!" unary | index
func (p *parser) unary() Node {
	if p.match(tokNot) {
		op := p.previous()
		return &Not{Operand: p.unary(), Off: p.off(op)}
	}
	return p.index()
}

// index := call ("[" (expression | "*") "]" | "." (name | "*"))*
// Only a group, a call or a named-value may be indexed.
func (p *parser) index() Node {
	n, indexable := p.call()
	if !indexable {
		return n
	}
	for {
		switch {
		case p.match(tokLBracket):
			open := p.previous()
			var idx Node
			if p.match(tokStar) {
				idx = &Wildcard{Off: p.off(p.previous())}
			} else {
				idx = p.expression()
			}
			p.consume(tokRBracket)
			n = &Index{Left: n, Index: idx, Off: p.off(open)}
		case p.match(tokDot):
			dot := p.previous()
			switch {
			case p.match(tokIdent):
				name := p.previous()
				n = &Index{Left: n, Index: &Literal{Value: name.raw, Off: p.off(name)}, Off: p.off(dot)}
			case p.match(tokStar):
				n = &Index{Left: n, Index: &Wildcard{Off: p.off(p.previous())}, Off: p.off(dot)}
			default:
				p.fail("Unexpected symbol", p.peek())
			}
		default:
			return n
		}
	}
}

// call := name "(" args ")" | name | primary
func (p *parser) call() (Node, bool) {
	if !p.check(tokIdent) {
		return p.primary()
	}
	id := p.peek()
	p.pos++
	if !p.match(tokLParen) {
		if p.names != nil && !p.names[strings.ToLower(id.raw)] {
			p.fail("Unrecognized named-value", id)
		}
		return &NamedValue{Name: id.raw, Off: p.off(id)}, true
	}
	c := &Call{Name: id.raw, Off: p.off(id)}
	for !p.match(tokRParen) {
		c.Args = append(c.Args, p.expression())
		if !p.check(tokRParen) {
			p.consume(tokComma)
		}
	}
	p.resolve(c, id)
	return c, true
}

// resolve looks the function up and checks its arity. Errors point at the
// function name (languageservices funcs.ts validateFunction).
func (p *parser) resolve(c *Call, id token) {
	f := p.funcs[strings.ToLower(c.Name)]
	if f == nil {
		if p.unknownFuncs {
			return
		}
		p.fail("Unrecognized function", id)
	}
	switch {
	case len(c.Args) < f.min:
		p.fail("Too few parameters supplied", id)
	case len(c.Args) > f.max:
		p.fail("Too many parameters supplied", id)
	case f.oddArgs && len(c.Args)%2 == 0:
		p.fail("Even number of parameters supplied, requires an odd number of parameters", id)
	}
	c.fn = f
}

// primary := literal | "(" expression ")"
func (p *parser) primary() (Node, bool) {
	switch {
	case p.match(tokFalse):
		return &Literal{Value: false, Off: p.off(p.previous())}, false
	case p.match(tokTrue):
		return &Literal{Value: true, Off: p.off(p.previous())}, false
	case p.match(tokNull):
		return &Literal{Value: nil, Off: p.off(p.previous())}, false
	case p.match(tokNumber):
		return &Literal{Value: p.previous().num, Off: p.off(p.previous())}, false
	case p.match(tokString):
		return &Literal{Value: p.previous().str, Off: p.off(p.previous())}, false
	case p.match(tokLParen):
		n := p.expression()
		if p.atEnd() {
			p.fail("Unexpected end of expression", p.previous())
		}
		p.consume(tokRParen)
		return n, true
	case p.atEnd():
		p.fail("Unexpected end of expression", p.previous())
	}
	p.fail("Unexpected symbol", p.peek())
	return nil, false
}
