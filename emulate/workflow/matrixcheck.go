package workflow

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/rehearse-dev/rehearse/emulate/expr"
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
		if err := matrix.Validate(m.Spec); err != nil {
			out = append(out, &Finding{Path: path, Line: m.Pos.Line, Column: m.Pos.Col, Message: fmt.Sprintf("job %q: %v", j.ID, err), Kind: "matrix", Severity: SeverityError})
		}
	}
	eachMatrix(root, func(m *yaml.Node) {
		walkScalars(m, func(n *yaml.Node) {
			if n.Style == 0 && n.ShortTag() == "!!float" && trailingZero.MatchString(n.Value) {
				v, _ := parseYAMLFloat(n.Value)
				out = append(out, &Finding{
					Path: path, Line: n.Line, Column: n.Column, Kind: "matrix", Severity: SeverityWarning,
					Message: fmt.Sprintf("%s is the YAML number %v, so GitHub names the job and sets the matrix value with %v; quote it (%q) to keep the text", n.Value, v, v, n.Value),
				})
			}
		})
	})
	return out
}

// eachMatrix calls fn with the strategy.matrix node of every job of the
// workflow document root, as written (nil for a job without one).
func eachMatrix(root *yaml.Node, fn func(m *yaml.Node)) {
	if root == nil || len(root.Content) == 0 {
		return
	}
	jobs := mapGet(root.Content[0], "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		fn(mapGet(mapGet(jobs.Content[i+1], "strategy"), "matrix"))
	}
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

// unmatchedExclude is the part of actionlint's message for an exclude value
// that equals no value of its matrix key (rule_matrix.go checkExclude).
const unmatchedExclude = `in "exclude" does not match in matrix`

// dropLooseExcludeMatches removes actionlint's "value ... in exclude does
// not match" findings for values that do match a value of their matrix key
// as GitHub compares them. actionlint compares the YAML text exactly;
// GitHub evaluates `matrix.<key> == <value>` (actions/runner: MatrixBuilder
// MatrixExclude), which ignores case in strings and converts between
// numbers and strings, so `os: Linux` excludes the combinations whose os is
// linux. Such an entry does exclude something: there is nothing to report.
func dropLooseExcludeMatches(findings []*Finding, root *yaml.Node) []*Finding {
	if !slices.ContainsFunc(findings, isUnmatchedExclude) {
		return findings
	}
	matched := looseExcludeMatches(root)
	return slices.DeleteFunc(findings, func(f *Finding) bool {
		return isUnmatchedExclude(f) && matched[Pos{Line: f.Line, Col: f.Column}]
	})
}

func isUnmatchedExclude(f *Finding) bool {
	return f.Kind == "matrix" && strings.Contains(f.Message, unmatchedExclude)
}

// looseExcludeMatches returns the positions of the exclude values, in every
// job's literal strategy.matrix, that match at least one value of the
// matrix key they are given for, as GitHub matches them.
func looseExcludeMatches(root *yaml.Node) map[Pos]bool {
	out := map[Pos]bool{}
	eachMatrix(root, func(m *yaml.Node) {
		if m == nil || m.Kind != yaml.MappingNode {
			return
		}
		// The matrix keys with their values indexed for GitHub's ==, by
		// name ignoring case, as GitHub looks them up.
		axes := map[string]*matrix.ValueIndex{}
		var excludes *yaml.Node
		for k := 0; k+1 < len(m.Content); k += 2 {
			key, val := m.Content[k].Value, deref(m.Content[k+1])
			switch {
			case key == "exclude":
				excludes = val
			case key == "include" || val == nil || val.Kind != yaml.SequenceNode:
			default:
				vals := make([]expr.Value, 0, len(val.Content))
				for _, c := range val.Content {
					vals = append(vals, yamlValue(c))
				}
				axes[strings.ToLower(key)] = matrix.NewValueIndex(vals)
			}
		}
		if excludes == nil || excludes.Kind != yaml.SequenceNode {
			return
		}
		for _, entry := range excludes.Content {
			entry = deref(entry)
			if entry == nil || entry.Kind != yaml.MappingNode {
				continue
			}
			for k := 0; k+1 < len(entry.Content); k += 2 {
				key, val := entry.Content[k].Value, entry.Content[k+1]
				// The entry {key: val} removes something when it matches at
				// least one value of its key, as GitHub's filter compares
				// (== on every scalar it names, objects matched on the
				// properties they give).
				if index, ok := axes[strings.ToLower(key)]; ok && index.MatchesAny(yamlValue(val)) {
					out[nodePos(val)] = true
				}
			}
		}
	})
	return out
}
