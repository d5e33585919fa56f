package matrix

import (
	"math"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Axis is one matrix variable and the values it takes, in YAML order
// (GitHub calls it a vector).
type Axis struct {
	Name   string
	Values []expr.Value
}

// Spec is strategy.matrix after YAML decoding. Axes keep the order in which
// their keys appear in the YAML; values keep their YAML types (3.10 is the
// Number 3.1, as on GitHub).
type Spec struct {
	Axes    []Axis
	Include []*expr.Object
	Exclude []*expr.Object
}

// Cell is one job of the matrix.
type Cell struct {
	// Values is the matrix context of this job: axis keys first in axis
	// order, then the keys include entries added. Nested values are shared
	// with the Spec and with other cells; do not modify them.
	Values *expr.Object
	// Added are the keys of Values that include entries added to an original
	// combination, in the order they were first added. GitHub leaves them out
	// of the job's display name. A cell that an include entry created on its
	// own has none: all its values are named.
	Added []string
}

// Expand returns the cells in the order GitHub creates the jobs: the cross
// product of the axes with the first axis varying slowest, minus the
// combinations an exclude entry matches, each extended by the include entries
// that match it; then one cell per include entry that matched no combination
// (actions/runner: src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs Build).
//
// No cells, without an error, means the job runs once with a null matrix:
// that is the case for an empty Spec (no matrix) and also when exclude
// removed every combination and no include is left over, because GitHub then
// falls back to the single configuration of a job without a matrix
// (actions/runner: src/Sdk/WorkflowParser/WorkflowTemplateEvaluator.cs
// EvaluateStrategy).
//
// Problems are reported as GitHub reports them: one [*Error], or several
// joined with [errors.Join] in GitHub's order, and then no cells. More than 256
// cells is the error "Strategy produced more than 256".
func Expand(s Spec) ([]Cell, error) {
	return expand(s, true)
}

// Validate returns the error [Expand] would return for s, without building
// the cells: for a check that needs no cell, it saves building up to 256
// matrix contexts with every include entry's keys.
func Validate(s Spec) error {
	_, err := expand(s, false)
	return err
}

// expand is [Expand], building the cells when build is set and only
// counting them otherwise.
func expand(s Spec, build bool) ([]Cell, error) {
	if len(s.Axes) == 0 && len(s.Include) == 0 && len(s.Exclude) == 0 {
		return nil, nil
	}

	var errs errorList
	// axes maps each usable axis name (case-insensitively) to its values;
	// an empty axis is reported and left out, as ConvertToStrategy does, so
	// include and exclude entries cannot name it either.
	axes := expr.NewObject()
	used := make([]Axis, 0, len(s.Axes))
	for _, a := range s.Axes {
		if len(a.Values) == 0 {
			errs.add(errEmptyAxis(a.Name))
			continue
		}
		if _, dup := axes.Get(a.Name); dup {
			// GitHub throws here, which ends the evaluation at once.
			errs.add(errDuplicateAxis(a.Name))
			return nil, errs.err()
		}
		axes.Set(a.Name, a.Values)
		used = append(used, a)
	}
	// An empty axis still counts as "a vector" here; only a matrix with no
	// axis key at all and no include entry is rejected.
	if len(s.Axes) == 0 && len(s.Include) == 0 {
		errs.add(errNoVector())
	}
	includes := parseIncludes(axes, s.Include, &errs)
	excludes := parseExcludes(axes, s.Exclude, &errs)

	size := 0
	if len(used) > 0 {
		size = 1
		for _, a := range used {
			// C# checked Int32 multiplication in MatrixBuilder.Build.
			if size > math.MaxInt32/len(a.Values) {
				errs.add(errOverflow())
				return nil, errs.err()
			}
			size *= len(a.Values)
		}
	}
	if len(errs) > 0 {
		return nil, errs.err()
	}

	// The axes' values indexed by name (ignoring case, as axes is) and
	// for the entries' comparisons.
	names := expr.NewObject()
	index := make([]*ValueIndex, len(used))
	sizes := make([]int, len(used))
	for k, a := range used {
		names.Set(a.Name, k)
		index[k] = NewValueIndex(a.Values)
		sizes[k] = len(a.Values)
	}
	steps := 0
	exChecks := make([]checks, len(excludes))
	for i, f := range excludes {
		exChecks[i] = checksOf(f, names, index, &steps)
	}
	for _, inc := range includes {
		inc.checks = checksOf(inc.filter, names, index, &steps)
	}
	matcher := newIncludeMatcher(includes, index)

	var cells []Cell
	w := newWalker(sizes, index, exChecks, &steps)
	w.emit = func(cur []int) bool {
		if !build {
			for _, i := range matcher.match(includes, cur) {
				includes[i].matched = true
			}
			cells = append(cells, Cell{})
			return len(cells) <= maxJobs
		}
		m := expr.NewObject()
		for k, a := range used {
			m.Set(a.Name, a.Values[cur[k]])
		}
		added := apply(includes, matcher.match(includes, cur), m)
		cells = append(cells, Cell{Values: m, Added: added})
		// Stop early: GitHub would reject the strategy anyway, and a huge
		// product should not be walked in full first.
		return len(cells) <= maxJobs
	}
	w.run()
	switch {
	case w.overBudget:
		return nil, errTooCostly(size)
	case len(cells)+unmatched(includes) > maxJobs:
		return nil, errTooManyJobs()
	}
	if !build {
		return nil, nil
	}
	return append(cells, unmatchedCells(includes)...), nil
}
