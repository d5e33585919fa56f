package matrix

import (
	"math"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// This file keeps the straightforward form of the matrix rules as the
// tests' reference: a filter tested against each combination, and
// Expand's first version, which walks the whole cross product and tests
// every combination against every exclude and include entry. Expand must
// give the same cells and errors, only faster.

// match reports whether every check of f holds for the combination m.
func (f filter) match(m *expr.Object) bool {
	for _, l := range f {
		var v expr.Value = m
		for _, k := range l.path {
			v = index(v, k)
		}
		if !looseEqual(v, l.want) {
			return false
		}
	}
	return true
}

// looseEqual is GitHub's == (actions/runner: src/Sdk/Expressions/
// EvaluationResult.cs AbstractEqual), which MatrixFilter evaluates as
// `matrix[k1][k2]... == literal`: [expr.Equal], except that a string
// compared with a number, a boolean or null is converted with [parseNumber],
// which reads Infinity ignoring case. expr.Equal would convert it the same
// way after turning booleans and null into numbers, so doing it first
// changes nothing else. Filters only compare with scalars, so expr.Equal's
// rule for arrays and objects (equal only to the same instance) never
// decides a match.
func looseEqual(a, b expr.Value) bool {
	if s, ok := a.(string); ok && numeric(b) {
		a = parseNumber(s)
	}
	if s, ok := b.(string); ok && numeric(a) {
		b = parseNumber(s)
	}
	return expr.Equal(a, b)
}

// numeric reports whether == converts v to a number to compare it with a
// string: v is a number, a boolean or null.
func numeric(v expr.Value) bool {
	switch expr.KindOf(v) {
	case expr.KindNumber, expr.KindBoolean, expr.KindNull:
		return true
	}
	return false
}

// referenceExpand is Expand as first written: every combination of the
// cross product in order, each tested against every exclude entry, then
// every include entry; at most maxJobs+1 cells are built.
func referenceExpand(s Spec) ([]Cell, error) {
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

	var cells []Cell
	for i := 0; i < size; i++ {
		m := expr.NewObject()
		block := size
		for _, a := range used {
			block /= len(a.Values)
			m.Set(a.Name, a.Values[(i/block)%len(a.Values)])
		}
		if referenceExcluded(excludes, m) {
			continue
		}
		added := referenceApply(includes, m)
		cells = append(cells, Cell{Values: m, Added: added})
		// Stop early: GitHub would reject the strategy anyway, and a huge
		// product should not be built in full first.
		if len(cells) > maxJobs {
			return nil, errTooManyJobs()
		}
	}
	cells = append(cells, unmatchedCells(includes)...)
	if len(cells) > maxJobs {
		return nil, errTooManyJobs()
	}
	return cells, nil
}

// apply adds to the original combination m the extra values of every
// include whose filter matches it, later entries overwriting earlier ones,
// and marks those includes as matched. It returns the keys it added, in the
// order they were first added.
func referenceApply(includes []*include, m *expr.Object) []string {
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
		for _, kv := range inc.extra {
			extra.Set(kv.key, kv.value)
		}
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

// excluded reports whether any exclude filter matches the combination m.
func referenceExcluded(excludes []filter, m *expr.Object) bool {
	for _, f := range excludes {
		if f.match(m) {
			return true
		}
	}
	return false
}
