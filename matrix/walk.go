package matrix

import (
	"encoding/binary"
	"slices"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// maxSteps bounds the work of finding a matrix's combinations: the
// lookups, marks and visits below. The walk prunes what exclude entries
// remove as a whole, so real matrices, and hostile ones of one or two
// long axes with thousands of entries, take a few thousand steps; only a
// crafted mesh of partial entries over three or more axes, whose product
// runs into billions, gets here (deciding such a union of exclusions is
// hard in general). A step is a few nanoseconds: the bound is well under
// a second.
const maxSteps = 4_000_000

// checks are an include or exclude entry's checks on the axes, grouped by
// axis: which values of each axis it accepts.
type checks struct {
	// axes are the axes the entry has checks on, ascending.
	axes []int
	// accept holds, for each of axes, the disjoint classes of values that
	// pass every check on it.
	accept [][]*class
	// never is set when some axis has no value that passes: the entry
	// matches no combination.
	never bool
}

// checksOf groups the leaves of f by the axis their path starts with
// (named ignoring case) and looks up the values each axis accepts.
func checksOf(f filter, names *expr.Object, index []*ValueIndex, steps *int) checks {
	var c checks
	// The leaves by axis, in axis order; entries have a few keys.
	type axisLeaf struct {
		axis int
		leaf leaf
	}
	leaves := make([]axisLeaf, 0, len(f))
	for _, l := range f {
		name, _ := l.path[0].(string)
		v, _ := names.Get(name)
		k, ok := v.(int)
		if !ok {
			// Expand reports keys that name no axis before it looks up.
			c.never = true
			continue
		}
		leaves = append(leaves, axisLeaf{k, l})
	}
	slices.SortStableFunc(leaves, func(a, b axisLeaf) int { return a.axis - b.axis })
	for len(leaves) > 0 {
		k, n := leaves[0].axis, 1
		for n < len(leaves) && leaves[n].axis == k {
			n++
		}
		group := make([]leaf, n)
		for i := range group {
			group[i] = leaves[i].leaf
		}
		leaves = leaves[n:]
		cls, ok := index[k].accepted(group, steps)
		if !ok {
			continue // only {} or [] here: every value passes
		}
		if len(cls) == 0 {
			c.never = true
		}
		c.axes = append(c.axes, k)
		c.accept = append(c.accept, cls)
	}
	return c
}

// walker finds the combinations of the axes that no exclude entry
// matches, in GitHub's order (the first axis varies slowest), by a
// depth-first walk over the axes that never enters what an entry
// removes as a whole.
//
// An exclude entry matches a combination when every axis it has checks on
// takes a value the entry accepts. Walking down, the axes are fixed one
// by one; an entry whose checks before its last axis all hold is ready,
// and the values its last axis accepts are then removed with all that
// lies below them, without being visited. Entries with checks on one axis
// only are ready everywhere (base). Below a value that readies no entry,
// or the same entries as a sibling, the walk finds the same combinations
// removed: a subtree found empty marks its siblings of the same kind
// (sig) empty too. Thus a long axis costs one pass, and an axis whose
// every value an entry removes costs none below it.
type walker struct {
	sizes []int
	lv    []level
	// Per exclude entry: the number of axes it checks, its last axis and
	// the classes accepted there, and how many of its checks before that
	// axis the current combination passes.
	need  []int
	last  []int
	final [][]*class
	sat   []int
	// all is set when an entry without checks removes every combination.
	all bool
	cur []int
	// gen counts the levels entered; marks made while at one are stamped
	// with its number, so they need no clearing.
	gen   int32
	steps *int
	emit  func(cur []int) bool
	stop  bool
	// overBudget is set when the walk stopped at maxSteps.
	overBudget bool
}

// level is the walker's state for one axis.
type level struct {
	// base marks the values that one-axis exclude entries remove.
	base      []bool
	baseCount int
	// mark stamps the values removed by ready entries at the current visit.
	mark []int32
	// seen stamps the classes already marked at the current visit.
	seen []int32
	// ready is the stack of exclude entries whose last axis this is and
	// whose checks on the axes before it all hold.
	ready []int
	// advance lists, per value, the classes that hold it among those the
	// entries check before their last axis; byClass lists, per class id,
	// the entries that check for it there.
	advance [][]int32
	byClass [][]int
	// sig numbers the distinct advance lists; deadSig stamps those found
	// to lead to no combination at the current visit.
	sig     []int32
	deadSig []int32
}

func newWalker(sizes []int, index []*ValueIndex, excludes []checks, steps *int) *walker {
	w := &walker{sizes: sizes, lv: make([]level, len(sizes)), cur: make([]int, len(sizes)), steps: steps}
	// A level's tables are made for the axes entries check only: a long
	// axis that no entry names costs nothing here.
	base := func(k int) *level {
		l := &w.lv[k]
		if l.base == nil {
			l.base = make([]bool, sizes[k])
		}
		return l
	}
	final := func(k int) {
		l := base(k)
		if l.mark == nil {
			l.mark = make([]int32, sizes[k])
			l.seen = make([]int32, len(index[k].classes))
		}
	}
	advancing := func(k int) *level {
		l := &w.lv[k]
		if l.advance == nil {
			l.advance = make([][]int32, sizes[k])
			l.byClass = make([][]int, len(index[k].classes))
		}
		return l
	}
	for _, c := range excludes {
		switch {
		case c.never:
			continue
		case len(c.axes) == 0:
			w.all = true
			return w
		case len(c.axes) == 1:
			l := base(c.axes[0])
			for _, cl := range c.accept[0] {
				for _, v := range cl.values {
					if !l.base[v] {
						l.base[v] = true
						l.baseCount++
					}
				}
				*steps += len(cl.values)
			}
			continue
		}
		e := len(w.need)
		n := len(c.axes)
		w.need = append(w.need, n)
		w.last = append(w.last, c.axes[n-1])
		w.final = append(w.final, c.accept[n-1])
		w.sat = append(w.sat, 0)
		final(c.axes[n-1])
		for j, k := range c.axes[:n-1] {
			l := advancing(k)
			for _, cl := range c.accept[j] {
				if len(l.byClass[cl.id]) == 0 {
					for _, v := range cl.values {
						l.advance[v] = append(l.advance[v], cl.id)
					}
					*steps += len(cl.values)
				}
				l.byClass[cl.id] = append(l.byClass[cl.id], e)
			}
		}
	}
	for k := range w.lv {
		l := &w.lv[k]
		sigs := map[string]int32{"": 0}
		if l.advance != nil {
			l.sig = make([]int32, sizes[k])
		}
		var key []byte
		for v, a := range l.advance {
			if len(a) == 0 {
				continue
			}
			slices.Sort(a)
			key = key[:0]
			for _, id := range a {
				key = binary.AppendUvarint(key, uint64(id))
			}
			s, ok := sigs[string(key)]
			if !ok {
				s = int32(len(sigs))
				sigs[string(key)] = s
			}
			l.sig[v] = s
		}
		l.deadSig = make([]int32, len(sigs))
	}
	return w
}

// run walks every combination, calling emit for each one no exclude entry
// matches, until emit returns false or the walk runs out of steps.
func (w *walker) run() {
	if w.all || len(w.sizes) == 0 {
		return
	}
	w.walk(0)
}

// walk visits the combinations below the values fixed for the axes before
// k and reports whether it found any.
func (w *walker) walk(k int) bool {
	if k == len(w.sizes) {
		if !w.emit(w.cur) {
			w.stop = true
		}
		return true
	}
	w.gen++
	g := w.gen
	l := &w.lv[k]
	n := w.sizes[k]
	removed := l.baseCount
	for _, e := range l.ready {
		*w.steps++
		for _, c := range w.final[e] {
			if l.seen[c.id] == g {
				continue
			}
			l.seen[c.id] = g
			*w.steps += len(c.values)
			for _, v := range c.values {
				if !l.base[v] && l.mark[v] != g {
					l.mark[v] = g
					removed++
				}
			}
		}
	}
	if removed == n {
		return false
	}
	found := false
	for i := 0; i < n && !w.stop; i++ {
		*w.steps++
		if *w.steps > maxSteps {
			w.overBudget, w.stop = true, true
			break
		}
		if l.base != nil && l.base[i] || l.mark != nil && l.mark[i] == g {
			continue
		}
		var sig int32
		if l.sig != nil {
			sig = l.sig[i]
		}
		if l.deadSig[sig] == g {
			continue
		}
		w.cur[k] = i
		w.advance(l, i)
		sub := w.walk(k + 1)
		w.retreat(l, i)
		if sub {
			found = true
		} else if !w.stop {
			l.deadSig[sig] = g
		}
	}
	return found
}

// advance counts the checks that value i of level l passes, readying the
// entries whose checks before their last axis then all hold.
func (w *walker) advance(l *level, i int) {
	if l.advance == nil {
		return
	}
	for _, id := range l.advance[i] {
		for _, e := range l.byClass[id] {
			*w.steps++
			w.sat[e]++
			if w.sat[e] == w.need[e]-1 {
				r := &w.lv[w.last[e]].ready
				*r = append(*r, e)
			}
		}
	}
}

// retreat undoes advance, in reverse order, so each ready stack pops what
// was pushed last.
func (w *walker) retreat(l *level, i int) {
	if l.advance == nil {
		return
	}
	a := l.advance[i]
	for x := len(a) - 1; x >= 0; x-- {
		es := l.byClass[a[x]]
		for y := len(es) - 1; y >= 0; y-- {
			e := es[y]
			if w.sat[e] == w.need[e]-1 {
				r := &w.lv[w.last[e]].ready
				*r = (*r)[:len(*r)-1]
			}
			w.sat[e]--
		}
	}
}
