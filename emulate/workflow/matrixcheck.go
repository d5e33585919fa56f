package workflow

import (
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/matrix"
)

// matrixFindings checks what actionlint does not about matrices: GitHub
// refuses a matrix it cannot expand (more than 256 jobs, an empty vector),
// and a version written 3.10 without quotes is the number 3.1, the classic
// trap of Python matrices (docs: "Using a matrix for your jobs").
func matrixFindings(path string, root *yaml.Node, wf *Workflow) []*Finding {
	var out []*Finding
	for _, j := range wf.Jobs {
		if j.Strategy == nil || j.Strategy.Matrix == nil || j.Strategy.Matrix.Deferred() {
			continue
		}
		m := j.Strategy.Matrix
		if _, err := matrix.Expand(m.Spec); err != nil {
			out = append(out, &Finding{Path: path, Line: m.Pos.Line, Column: m.Pos.Col, Message: fmt.Sprintf("job %q: %v", j.ID, err), Kind: "matrix", Severity: SeverityError})
		}
	}
	if root == nil || len(root.Content) == 0 {
		return out
	}
	jobs := mapGet(root.Content[0], "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		m := mapGet(mapGet(jobs.Content[i+1], "strategy"), "matrix")
		walkScalars(m, func(n *yaml.Node) {
			if n.Style == 0 && n.ShortTag() == "!!float" && trailingZero.MatchString(n.Value) {
				v, _ := parseYAMLFloat(n.Value)
				out = append(out, &Finding{
					Path: path, Line: n.Line, Column: n.Column, Kind: "matrix", Severity: SeverityWarning,
					Message: fmt.Sprintf("%s is the YAML number %v, so GitHub names the job and sets the matrix value with %v; quote it (%q) to keep the text", n.Value, v, v, n.Value),
				})
			}
		})
	}
	return out
}

// trailingZero matches numbers whose text loses a zero as a number: 3.10.
var trailingZero = regexp.MustCompile(`^[0-9]+\.[0-9]*0$`)

func walkScalars(n *yaml.Node, f func(*yaml.Node)) {
	n = deref(n)
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		f(n)
		return
	}
	for _, c := range n.Content {
		walkScalars(c, f)
	}
}
