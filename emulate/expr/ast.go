package expr

import "strings"

// Node is a parsed expression. The concrete types are *Literal, *NamedValue,
// *Wildcard, *Index, *Not, *Binary, *Logical and *Call; callers may walk them
// with [Walk] (for example to list the contexts an expression reads).
//
// The tree has the shape of the runner's (actions/runner
// src/Sdk/Expressions/ExpressionParser.cs): there is no node for parentheses,
// and nested && (or ||) chains are flattened into one Logical node. The depth
// limit and the memory accounting are defined on this shape.
type Node interface {
	// Pos returns the byte offset of the node's first token in the source
	// (for Interpolate and Condition, in the whole template string).
	Pos() int
	// String renders the node back as expression text, as the runner's
	// ConvertToExpression does (used in memory-limit messages).
	String() string
	children() []Node
}

// Literal is null, true, false, a number or a string; property names after a
// dot are string literals too.
type Literal struct {
	Value Value
	Off   int
}

// NamedValue reads a context such as github or matrix.
type NamedValue struct {
	Name string
	Off  int
}

// Wildcard is the * in .* and [*].
type Wildcard struct {
	Off int
}

// Index is Left[Index] or Left.name; Index is a *Wildcard for .* and [*].
type Index struct {
	Left  Node
	Index Node
	Off   int
}

// Not is !Operand.
type Not struct {
	Operand Node
	Off     int
}

// Binary is a comparison; Op is one of == != < <= > >=.
type Binary struct {
	Op          string
	Left, Right Node
	Off         int
}

// Logical is a chain of && or ||; Op is "&&" or "||".
type Logical struct {
	Op   string
	Args []Node
	Off  int
}

// Call is a function call. Name is spelled as in the source; function names
// are case-insensitive.
type Call struct {
	Name string
	Args []Node
	Off  int
	fn   *function // resolved by the parser; nil for unknown names in Syntax mode
}

// Pos implements [Node]; the other node types' Pos methods are the same.
func (n *Literal) Pos() int    { return n.Off }
func (n *NamedValue) Pos() int { return n.Off }
func (n *Wildcard) Pos() int   { return n.Off }
func (n *Index) Pos() int      { return n.Off }
func (n *Not) Pos() int        { return n.Off }
func (n *Binary) Pos() int     { return n.Off }
func (n *Logical) Pos() int    { return n.Off }
func (n *Call) Pos() int       { return n.Off }

func (n *Literal) children() []Node    { return nil }
func (n *NamedValue) children() []Node { return nil }
func (n *Wildcard) children() []Node   { return nil }
func (n *Index) children() []Node      { return []Node{n.Left, n.Index} }
func (n *Not) children() []Node        { return []Node{n.Operand} }
func (n *Binary) children() []Node     { return []Node{n.Left, n.Right} }
func (n *Logical) children() []Node    { return n.Args }
func (n *Call) children() []Node       { return n.Args }

// String renders a literal as expression source (quoted with doubled quotes, 1.5, null).
func (n *Literal) String() string {
	if s, ok := n.Value.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	if n.Value == nil {
		return "null"
	}
	return ToString(n.Value)
}

// String returns the name as written.
func (n *NamedValue) String() string { return n.Name }

// String returns "*".
func (n *Wildcard) String() string { return "*" }

// String prefers the dotted form (github.sha) when the index is a literal
// name, as actions/runner Sdk/Operators/Index.cs ConvertToExpression does.
func (n *Index) String() string {
	if _, ok := n.Index.(*Wildcard); ok {
		return n.Left.String() + ".*"
	}
	if lit, ok := n.Index.(*Literal); ok {
		if s, ok := lit.Value.(string); ok && isLegalIdentifier(s) {
			return n.Left.String() + "." + s
		}
	}
	return n.Left.String() + "[" + n.Index.String() + "]"
}

// String renders !operand.
func (n *Not) String() string { return "!" + n.Operand.String() }

// String renders (left op right).
func (n *Binary) String() string {
	return "(" + n.Left.String() + " " + n.Op + " " + n.Right.String() + ")"
}

// String renders (a && b && c).
func (n *Logical) String() string {
	return "(" + joinNodes(n.Args, " "+n.Op+" ") + ")"
}

// String renders name(arg, arg).
func (n *Call) String() string {
	return n.Name + "(" + joinNodes(n.Args, ", ") + ")"
}

func joinNodes(nodes []Node, sep string) string {
	parts := make([]string, len(nodes))
	for i, a := range nodes {
		parts[i] = a.String()
	}
	return strings.Join(parts, sep)
}

// Walk calls f for n and then, if f returns true, for each of its children
// in source order. A nil n (the empty expression) is not visited.
func Walk(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, c := range n.children() {
		Walk(c, f)
	}
}

// depth returns the height of the tree, counting n itself as 1.
func depth(n Node) int {
	d := 0
	for _, c := range n.children() {
		d = max(d, depth(c))
	}
	return d + 1
}
