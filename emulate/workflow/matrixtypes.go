package workflow

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// maxTypeCopies bounds the work actionlint's expression rule does to type
// a job's literal matrix (rule_expression.go checkMatrix): it merges the
// types of a row's values one by one, and of each include key's values,
// and every merge of two object types copies the properties of both
// (expr_type.go ObjectType.Merge). A row of objects with different keys
// thus costs the square of its length: 80,000 of them take minutes. Real
// matrices cost a few hundred copies.
const maxTypeCopies = 10_000_000

// matrixTypeFinding returns an error finding at the first matrix row,
// include or exclude list of the workflow document root whose typing
// would take actionlint more than maxTypeCopies copies; nil otherwise.
// It follows the merges without copying, so its own cost is linear.
func matrixTypeFinding(path string, root *yaml.Node) *Finding {
	var at *yaml.Node
	eachMatrix(root, func(m *yaml.Node) {
		if at != nil || m == nil || m.Kind != yaml.MappingNode {
			return
		}
		copies := 0
		// The row types by key, which include entries then extend.
		rows := map[string]*typeShape{}
		var include, exclude *yaml.Node
		for k := 0; k+1 < len(m.Content); k += 2 {
			key, val := m.Content[k].Value, deref(m.Content[k+1])
			switch {
			case val == nil:
			case key == "include":
				include = val
			case key == "exclude":
				exclude = val
			case val.Kind == yaml.SequenceNode:
				var ty *typeShape
				for _, v := range val.Content {
					ty = ty.merge(shapeOf(v, &copies), &copies)
				}
				rows[strings.ToLower(key)] = ty
			}
			if copies > maxTypeCopies {
				at = m.Content[k]
				return
			}
		}
		for _, list := range []*yaml.Node{exclude, include} {
			if list == nil || list.Kind != yaml.SequenceNode {
				continue
			}
			for _, e := range list.Content {
				e = deref(e)
				if e == nil || e.Kind != yaml.MappingNode {
					continue
				}
				for k := 0; k+1 < len(e.Content); k += 2 {
					ty := shapeOf(e.Content[k+1], &copies)
					if list == include {
						key := strings.ToLower(e.Content[k].Value)
						rows[key] = rows[key].merge(ty, &copies)
					}
				}
				if copies > maxTypeCopies {
					at = e
					return
				}
			}
		}
	})
	if at == nil {
		return nil
	}
	return &Finding{Path: path, Line: at.Line, Column: at.Column, Kind: "matrix", Severity: SeverityError,
		Message: fmt.Sprintf("the objects in this matrix have so many different keys that checking their types takes more than %d steps, more than rehearse allows; use fewer values or fewer keys", maxTypeCopies)}
}

// typeShape is what matters of an actionlint expression type here: its
// kind, and the properties or element type an object or array has. A nil
// *typeShape is no type yet.
type typeShape struct {
	kind  typeKind
	props map[string]*typeShape
	elem  *typeShape
}

type typeKind int

const (
	kindAny typeKind = iota
	kindNull
	kindNumber
	kindBool
	kindString
	kindObject
	kindArray
)

// shapeOf is the type actionlint gives a YAML value (checkRawYAMLValue):
// scalars by their text, objects by their keys, arrays by merging their
// elements' types, which is counted in copies.
func shapeOf(n *yaml.Node, copies *int) *typeShape {
	n = deref(n)
	if n == nil {
		return &typeShape{kind: kindAny}
	}
	switch n.Kind {
	case yaml.MappingNode:
		t := &typeShape{kind: kindObject, props: make(map[string]*typeShape, len(n.Content)/2)}
		for k := 0; k+1 < len(n.Content); k += 2 {
			t.props[n.Content[k].Value] = shapeOf(n.Content[k+1], copies)
		}
		return t
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return &typeShape{kind: kindArray, elem: &typeShape{kind: kindAny}}
		}
		var elem *typeShape
		for _, c := range n.Content {
			elem = elem.merge(shapeOf(c, copies), copies)
		}
		return &typeShape{kind: kindArray, elem: elem}
	}
	s := strings.TrimSpace(n.Value)
	switch {
	case strings.Contains(s, "${{"):
		return &typeShape{kind: kindAny}
	case s == "true" || s == "false":
		return &typeShape{kind: kindBool}
	case s == "null":
		return &typeShape{kind: kindNull}
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return &typeShape{kind: kindNumber}
	}
	return &typeShape{kind: kindString}
}

// merge is actionlint's ExprType.Merge of t into s, done in place: an
// object merge adds what actionlint copies, both objects' properties, to
// copies.
func (s *typeShape) merge(t *typeShape, copies *int) *typeShape {
	if s == nil {
		return t
	}
	switch {
	case s.kind == kindAny:
		return s
	case s.kind == kindObject && t.kind == kindObject:
		*copies += len(s.props) + len(t.props)
		for k, p := range t.props {
			if q, ok := s.props[k]; ok {
				s.props[k] = q.merge(p, copies)
			} else {
				s.props[k] = p
			}
		}
		return s
	case s.kind == kindArray && t.kind == kindArray:
		if s.elem.kind == kindAny {
			return s
		}
		if t.elem.kind == kindAny {
			return t
		}
		s.elem = s.elem.merge(t.elem, copies)
		return s
	case s.kind == t.kind && s.kind != kindObject && s.kind != kindArray:
		return s
	case s.kind == kindString && (t.kind == kindNumber || t.kind == kindBool):
		return s
	case (s.kind == kindNumber || s.kind == kindBool) && t.kind == kindString:
		return t
	}
	return &typeShape{kind: kindAny}
}
