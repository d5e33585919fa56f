package expr

// The runner bounds the memory one evaluation may use so that expressions
// like format('{0}{0}{0}...', toJSON(github)) cannot exhaust it. This file
// reproduces its accounting (actions/runner src/Sdk/Expressions/Sdk/
// EvaluationMemory.cs, MemoryCounter.cs, ExpressionNode.cs Evaluate): sizes
// are estimates in bytes (a string costs 26 + 2 per UTF-16 unit, anything
// else 24), summed per tree level, and a level's total is dropped once the
// node above it produces a value that no longer references it.

const (
	minObjectSize      = 24 // MemoryCounter.MinObjectSize
	stringBaseOverhead = 26 // MemoryCounter.StringBaseOverhead
	pointerSize        = 8  // IntPtr.Size on 64-bit runners
)

// memoryError is the runner's ExceededAllowedMemory message, which quotes
// the expression n; the error is located at the node at offset.
func memoryError(n Node, offset int) *Error {
	return evalError(offset, "The maximum allowed memory size was exceeded while evaluating the following expression: %s", n.String())
}

// stringSize is the runner's size estimate of a string.
func stringSize(s string) int {
	return stringBaseOverhead + 2*utf16Len(s)
}

// valueSize is EvaluationMemory.CalculateBytes.
func valueSize(v Value) int {
	if s, ok := v.(string); ok {
		return stringSize(s)
	}
	return minObjectSize
}

// resultMemory is what a node reports about the size of its result
// (Sdk/ResultMemory.cs). When bytes is not set, valueSize is used.
type resultMemory struct {
	bytes int
	set   bool
	total bool // bytes covers everything the result references
}

func sized(bytes int) resultMemory { return resultMemory{bytes: bytes, set: true} }

// evalMemory tracks the bytes held at each tree level of one evaluation.
type evalMemory struct {
	max       int
	root      Node
	levels    []int
	maxActive int
	total     int
}

func newMemory(max int, root Node) *evalMemory {
	return &evalMemory{max: max, root: root, maxActive: -1}
}

// add records bytes at level and reports whether the budget still holds.
// With trim, deeper levels are released first: their values are no longer
// reachable once a primitive (or a result of known total size) has been
// computed from them.
func (m *evalMemory) add(level, bytes int, trim bool) bool {
	if trim {
		for m.maxActive > level {
			m.total -= m.levels[m.maxActive]
			m.levels[m.maxActive] = 0
			m.maxActive--
		}
	}
	for len(m.levels) <= level {
		m.levels = append(m.levels, 0)
	}
	m.maxActive = max(m.maxActive, level)
	m.levels[level] += bytes
	m.total += bytes
	return m.total <= m.max
}

// account records the result v of node n evaluated at level
// (ExpressionNode.Evaluate). The runner's message names the whole
// expression; the error points at the node that went over the budget.
func (m *evalMemory) account(n Node, level int, v Value, rm resultMemory) *Error {
	bytes := rm.bytes
	if !rm.set {
		bytes = valueSize(v)
	}
	if !m.add(level, bytes, rm.total || isPrimitive(v)) {
		return memoryError(m.root, n.Pos())
	}
	return nil
}

// memCounter is the per-function budget a function uses while it builds a
// large result (format, join, toJSON, the * filters).
type memCounter struct {
	node Node
	max  int
	cur  int
}

func (c *memCounter) add(bytes int) *Error {
	if c.cur+bytes > c.max {
		return memoryError(c.node, c.node.Pos())
	}
	c.cur += bytes
	return nil
}

func (c *memCounter) addString(s string) *Error {
	return c.add(stringSize(s))
}
