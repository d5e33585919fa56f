package matrix

import "github.com/rehearse-dev/rehearse/emulate/expr"

// parseExcludes turns the exclude entries into filters (actions/runner:
// src/Sdk/WorkflowParser/Conversion/MatrixBuilder.cs MatrixExclude). An
// entry may only use axis names as keys (compared ignoring case) and must not
// be empty. A combination is excluded when any entry matches it; an entry
// naming fewer axes matches every combination that agrees on those ("An
// excluded configuration only has to be a partial match for it to be
// excluded", github/docs: data/reusables/actions/jobs/matrix-exclude.md).
func parseExcludes(axes *expr.Object, entries []*expr.Object, errs *errorList) []filter {
	var out []filter
	for i, e := range entries {
		if e.Len() == 0 {
			errs.add(errEmptyExclude(i))
			continue
		}
		var f filter
		e.Range(func(k string, v expr.Value) bool {
			if _, ok := axes.Get(k); !ok {
				errs.add(errUnknownExcludeKey(i, k))
			}
			f.addLeaves([]expr.Value{k}, v)
			return true
		})
		out = append(out, f)
	}
	return out
}
