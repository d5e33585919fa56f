package matrix

import "github.com/rehearse-dev/rehearse/emulate/expr"

// include is one matrix.include entry split as GitHub splits it
// (actions/runner: src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs
// MatrixInclude): the keys that name an axis form the filter, which must
// match an original combination; every other key is extra, added to each
// combination the filter matches. The docs describe the same rule as "added
// to each of the matrix combinations if none of the key:value pairs overwrite
// any of the original matrix values" (github/docs:
// data/reusables/actions/jobs/matrix-include.md).
type include struct {
	// axisKeys are the entry's keys that name an axis, with their values,
	// in the entry's order.
	axisKeys *expr.Object
	filter   filter
	// extra holds the other keys in the entry's order.
	extra *expr.Object
	// matched is set once the filter matched an original combination.
	matched bool
}

// parseIncludes splits the include entries. An entry with no key at all is
// an error and is left out, as GitHub leaves it out.
func parseIncludes(axes *expr.Object, entries []*expr.Object, errs *errorList) []*include {
	var out []*include
	for i, e := range entries {
		inc := &include{axisKeys: expr.NewObject(), extra: expr.NewObject()}
		e.Range(func(k string, v expr.Value) bool {
			// Axis names are matched ignoring case: GitHub looks them up in
			// a case-insensitive dictionary (vectors.ContainsKey).
			if _, ok := axes.Get(k); ok {
				inc.axisKeys.Set(k, v)
				inc.filter.addLeaves([]expr.Value{k}, v)
			} else {
				inc.extra.Set(k, v)
			}
			return true
		})
		if inc.axisKeys.Len() == 0 && inc.extra.Len() == 0 {
			errs.add(errEmptyInclude(i))
			continue
		}
		out = append(out, inc)
	}
	return out
}

// apply adds to the original combination m the extra values of every
// include whose filter matches it, later entries overwriting earlier ones,
// and marks those includes as matched. It returns the keys it added, in the
// order they were first added.
func apply(includes []*include, m *expr.Object) []string {
	var extra *expr.Object
	for _, inc := range includes {
		if !inc.filter.match(m) {
			continue
		}
		inc.matched = true
		if extra == nil {
			extra = expr.NewObject()
		}
		// An overwritten key keeps the place and spelling of its first
		// addition (DictionaryExpressionData's indexer does the same).
		inc.extra.Range(func(k string, v expr.Value) bool {
			extra.Set(k, v)
			return true
		})
	}
	if extra.Len() == 0 {
		return nil
	}
	added := make([]string, 0, extra.Len())
	extra.Range(func(k string, v expr.Value) bool {
		m.Set(k, v)
		added = append(added, k)
		return true
	})
	return added
}

// unmatchedCells returns a new combination for each include that matched no
// original combination, in include order: its axis keys first, then its
// other keys (MatrixInclude.GetUnmatchedVectors). All of these values show
// in the job's display name.
func unmatchedCells(includes []*include) []Cell {
	var out []Cell
	for _, inc := range includes {
		if inc.matched {
			continue
		}
		m := expr.NewObject()
		for _, src := range []*expr.Object{inc.axisKeys, inc.extra} {
			src.Range(func(k string, v expr.Value) bool {
				m.Set(k, v)
				return true
			})
		}
		out = append(out, Cell{Values: m})
	}
	return out
}
