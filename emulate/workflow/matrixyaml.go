package workflow

import (
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/matrix"
)

// decodeMatrices reads every jobs.<id>.strategy.matrix straight from the YAML
// node tree. actionlint's tree keeps matrix scalars as strings, but GitHub
// types them as YAML does (python-version: [3.9, 3.10] gives 3.9 and 3.1),
// and both the job's display name and the matrix context depend on it.
func decodeMatrices(root *yaml.Node) map[string]*Matrix {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	jobs := mapGet(root.Content[0], "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return nil
	}
	out := map[string]*Matrix{}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		strategy := mapGet(jobs.Content[i+1], "strategy")
		key, m := mapGetKey(strategy, "matrix")
		if m == nil {
			continue
		}
		dm := decodeMatrix(m)
		// Errors about the whole matrix (more than 256 jobs) point at its key.
		dm.Pos = nodePos(key)
		out[jobs.Content[i].Value] = dm
	}
	return out
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	_, v := mapGetKey(n, key)
	return v
}

// mapGetKey returns the key node and the value node of key in mapping n.
func mapGetKey(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], deref(n.Content[i+1])
		}
	}
	return nil, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func nodePos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func decodeMatrix(n *yaml.Node) *Matrix {
	m := &Matrix{Pos: nodePos(n)}
	if n.Kind == yaml.ScalarNode {
		m.Expr = &String{Value: n.Value, Pos: nodePos(n)}
		return m
	}
	if n.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i].Value, deref(n.Content[i+1])
		if val.Kind == yaml.ScalarNode && strings.Contains(val.Value, "${{") {
			m.KeyExprs = append(m.KeyExprs, Input{Name: key, Value: String{Value: val.Value, Pos: nodePos(val)}})
			if key != "include" && key != "exclude" {
				m.Spec.Axes = append(m.Spec.Axes, matrix.Axis{Name: key})
			}
			continue
		}
		switch key {
		case "include", "exclude":
			var list []*expr.Object
			if val.Kind == yaml.SequenceNode {
				for _, item := range val.Content {
					if o, ok := yamlValue(item).(*expr.Object); ok {
						list = append(list, o)
					}
				}
			}
			if key == "include" {
				m.Spec.Include = list
			} else {
				m.Spec.Exclude = list
			}
		default:
			axis := matrix.Axis{Name: key}
			if val.Kind == yaml.SequenceNode {
				for _, item := range val.Content {
					axis.Values = append(axis.Values, yamlValue(item))
				}
			}
			m.Spec.Axes = append(m.Spec.Axes, axis)
		}
	}
	return m
}

// yamlValue converts a YAML node to an expression value with the types
// GitHub's YAML reader gives scalars: null, booleans, and integers or floats
// (hex, octal, .inf, .nan) become Null, Boolean and Number; a quoted scalar
// is always a String.
func yamlValue(n *yaml.Node) expr.Value {
	n = deref(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		o := expr.NewObject()
		for i := 0; i+1 < len(n.Content); i += 2 {
			o.Set(n.Content[i].Value, yamlValue(n.Content[i+1]))
		}
		return o
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			arr = append(arr, yamlValue(c))
		}
		return arr
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil
}

func scalarValue(n *yaml.Node) expr.Value {
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true")
	case "!!int":
		if f, ok := parseYAMLInt(n.Value); ok {
			return f
		}
	case "!!float":
		if f, ok := parseYAMLFloat(n.Value); ok {
			return f
		}
	}
	return n.Value
}

func parseYAMLInt(s string) (float64, bool) {
	t := strings.ReplaceAll(s, "_", "")
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimLeft(t, "+-")
	base := 10
	switch {
	case strings.HasPrefix(t, "0x"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "0o"):
		base, t = 8, t[2:]
	case strings.HasPrefix(t, "0b"):
		base, t = 2, t[2:]
	}
	u, err := strconv.ParseUint(t, base, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		return f, ferr == nil
	}
	f := float64(u)
	if neg {
		f = -f
	}
	return f, true
}

func parseYAMLFloat(s string) (float64, bool) {
	switch strings.ToLower(strings.TrimLeft(s, "+")) {
	case ".inf":
		return math.Inf(1), true
	case "-.inf":
		return math.Inf(-1), true
	case ".nan":
		return math.NaN(), true
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	return f, err == nil
}
