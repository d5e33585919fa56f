package workflow

import "go.yaml.in/yaml/v4"

// costFinding returns an error finding for a workflow document whose
// expressions or matrices would cost actionlint more than linear time or
// hundreds of MB (see exprLengthFinding and matrixTypeFinding), before it
// is handed to actionlint; nil otherwise. Like shapeFinding, it keeps a
// hostile file from taking seconds or minutes to be refused.
func costFinding(path string, root *yaml.Node) *Finding {
	if f := exprLengthFinding(path, root); f != nil {
		return f
	}
	return matrixTypeFinding(path, root)
}
