package workflow

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// A workflow file is read by whatever is in the tree (an editor, a
// pre-push hook), so its shape is bounded before the validator walks it:
// YAML aliases expand each time they are used, and a few hundred bytes of
// anchors can stand for millions of nodes ("billion laughs"); a deep
// nesting costs memory at every level.
const (
	// maxExpandedNodes bounds the nodes that aliases add to the document
	// when expanded. Real workflows have a few thousand nodes in all; a
	// file without aliases is bounded by its own size.
	maxExpandedNodes = 250_000
	// maxNestingDepth bounds how deep mappings and sequences nest.
	maxNestingDepth = 100
)

// shapeFinding returns an error finding when root, a file parsed as YAML
// (aliases not expanded), nests deeper than maxNestingDepth or expands
// through its aliases into more than maxExpandedNodes nodes beyond its
// own; nil
// otherwise, and nil when root is nil (the file is not YAML: the
// validator reports that). The cost is linear in the size of the file:
// each node's expanded size is counted once.
func shapeFinding(path string, root *yaml.Node) *Finding {
	if root == nil {
		return nil
	}
	if n, depth := deepest(root, 0); n != nil {
		return &Finding{Path: path, Line: n.Line, Column: n.Column, Kind: "syntax-check", Severity: SeverityError,
			Message: fmt.Sprintf("values nest %d levels deep here, more than the %d rehearse reads; flatten the workflow", depth, maxNestingDepth)}
	}
	own := written(root)
	sizes := map[*yaml.Node]int{}
	if expanded(root, sizes, own+maxExpandedNodes) > own+maxExpandedNodes {
		at := biggestAlias(root, sizes)
		return &Finding{Path: path, Line: at.Line, Column: at.Column, Kind: "syntax-check", Severity: SeverityError,
			Message: fmt.Sprintf("YAML aliases expand this workflow by more than %d values (an alias bomb?); use fewer or smaller aliases", maxExpandedNodes)}
	}
	return nil
}

// deepest returns the first node found below maxNestingDepth, and its
// depth; aliases are not followed (expanded bounds them).
func deepest(n *yaml.Node, depth int) (*yaml.Node, int) {
	if depth > maxNestingDepth {
		return n, depth
	}
	for _, c := range n.Content {
		if d, at := deepest(c, depth+1); d != nil {
			return d, at
		}
	}
	return nil, 0
}

// written is the number of nodes under n as written, an alias counting
// one.
func written(n *yaml.Node) int {
	total := 1
	for _, c := range n.Content {
		total += written(c)
	}
	return total
}

// expanded is the number of nodes under n with aliases expanded, capped
// just above limit; sizes memoizes each node's count, so every node is
// counted once however often it is used.
func expanded(n *yaml.Node, sizes map[*yaml.Node]int, limit int) int {
	if s, ok := sizes[n]; ok {
		return s
	}
	sizes[n] = 1 // an alias cycle counts once
	total := 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		total = expanded(n.Alias, sizes, limit)
	}
	for _, c := range n.Content {
		total = min(total+expanded(c, sizes, limit), limit+1)
	}
	sizes[n] = total
	return total
}

// biggestAlias is the alias that stands for the most values, first in the
// document on a tie: where to point at an alias bomb.
func biggestAlias(root *yaml.Node, sizes map[*yaml.Node]int) *yaml.Node {
	best, bestSize := root, 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			if s := sizes[n.Alias]; s > bestSize {
				best, bestSize = n, s
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return best
}
