package matrix

import (
	"slices"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

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
	axisKeys []keyValue
	filter   filter
	// checks are filter's checks, looked up in the axes' indexes.
	checks checks
	// extra holds the other keys in the entry's order.
	extra []keyValue
	// matched is set once the filter matched an original combination.
	matched bool
}

// keyValue is one key of an entry. The entry is an object, so its keys
// differ ignoring case: a list is enough, and a long include list costs
// no map per entry.
type keyValue struct {
	key   string
	value expr.Value
}

// parseIncludes splits the include entries. An entry with no key at all is
// an error and is left out, as GitHub leaves it out.
func parseIncludes(axes *expr.Object, entries []*expr.Object, errs *errorList) []*include {
	var out []*include
	for i, e := range entries {
		inc := &include{}
		e.Range(func(k string, v expr.Value) bool {
			// Axis names are matched ignoring case: GitHub looks them up in
			// a case-insensitive dictionary (vectors.ContainsKey).
			if _, ok := axes.Get(k); ok {
				inc.axisKeys = append(inc.axisKeys, keyValue{k, v})
				inc.filter.addLeaves([]expr.Value{k}, v)
			} else {
				inc.extra = append(inc.extra, keyValue{k, v})
			}
			return true
		})
		if len(inc.axisKeys) == 0 && len(inc.extra) == 0 {
			errs.add(errEmptyInclude(i))
			continue
		}
		out = append(out, inc)
	}
	return out
}

// includeMatcher finds the include entries whose filters match a
// combination by looking up its values rather than by testing every
// entry: a cell is matched by the entries whose checks all hold, counted
// per entry over the classes that hold each of the cell's values.
type includeMatcher struct {
	// always are the entries without checks, which match every combination.
	always []int32
	// classesOf lists, per axis and value, the classes that hold it among
	// those the entries check for; byClass lists, per axis and class id,
	// the entries that check for it.
	classesOf [][][]int32
	byClass   [][][]int32
	count     []int32
	stamp     []int32
	gen       int32
}

func newIncludeMatcher(includes []*include, index []*ValueIndex) *includeMatcher {
	m := &includeMatcher{
		count:     make([]int32, len(includes)),
		stamp:     make([]int32, len(includes)),
		classesOf: make([][][]int32, len(index)),
		byClass:   make([][][]int32, len(index)),
	}
	for i, inc := range includes {
		c := inc.checks
		if c.never {
			continue
		}
		if len(c.axes) == 0 {
			m.always = append(m.always, int32(i))
			continue
		}
		for j, k := range c.axes {
			// Tables for the axes entries check only.
			if m.classesOf[k] == nil {
				m.classesOf[k] = make([][]int32, len(index[k].values))
				m.byClass[k] = make([][]int32, len(index[k].classes))
			}
			for _, cl := range c.accept[j] {
				if len(m.byClass[k][cl.id]) == 0 {
					for _, v := range cl.values {
						m.classesOf[k][v] = append(m.classesOf[k][v], cl.id)
					}
				}
				m.byClass[k][cl.id] = append(m.byClass[k][cl.id], int32(i))
			}
		}
	}
	return m
}

// match returns the include entries that match the combination cur (a
// value index per axis), in entry order.
func (m *includeMatcher) match(includes []*include, cur []int) []int32 {
	m.gen++
	out := append([]int32(nil), m.always...)
	for k, v := range cur {
		if m.classesOf[k] == nil {
			continue
		}
		for _, id := range m.classesOf[k][v] {
			for _, i := range m.byClass[k][id] {
				if m.stamp[i] != m.gen {
					m.stamp[i], m.count[i] = m.gen, 0
				}
				// An entry's classes on one axis are disjoint: one count
				// per axis at most.
				m.count[i]++
				if int(m.count[i]) == len(includes[i].checks.axes) {
					out = append(out, i)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// apply adds to the original combination m the extra values of the
// include entries matched (ascending indexes into includes), later
// entries overwriting earlier ones, and marks those entries as matched. It
// returns the keys it added, in the order they were first added.
func apply(includes []*include, matched []int32, m *expr.Object) []string {
	// Extra keys never name an axis, so they go after m's axis keys; an
	// overwritten key keeps the place and spelling of its first addition
	// (DictionaryExpressionData's indexer does the same), as m.Set does.
	axes := m.Len()
	for _, i := range matched {
		inc := includes[i]
		inc.matched = true
		for _, kv := range inc.extra {
			m.Set(kv.key, kv.value)
		}
	}
	if m.Len() == axes {
		return nil
	}
	return slices.Clone(m.Keys()[axes:])
}

// unmatched counts the includes that matched no original combination.
func unmatched(includes []*include) int {
	n := 0
	for _, inc := range includes {
		if !inc.matched {
			n++
		}
	}
	return n
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
		for _, kv := range slices.Concat(inc.axisKeys, inc.extra) {
			m.Set(kv.key, kv.value)
		}
		out = append(out, Cell{Values: m})
	}
	return out
}
