package matrix

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// ValueIndex holds the values of one axis indexed for the comparisons that
// include and exclude entries make, so that an entry finds the values it
// matches by looking them up rather than by comparing itself with each:
// with thousands of values and thousands of entries, comparing every pair
// would take minutes.
//
// An entry's checks compare a scalar found in the value (the value itself,
// or one at a path of keys and indexes below it) with a scalar, by
// GitHub's == (see filter.go). That equality is loose but decidable by
// keys: two strings are equal when their upper-cased forms are; a string
// and a number, boolean or null are equal when the string read as a number
// equals the other converted to a number; two numbers, booleans or nulls
// are equal when their numbers are; an object or array equals no scalar.
type ValueIndex struct {
	values []expr.Value
	// columns maps a path below the values (see pathKey) to the scalars
	// found there; the empty path is the values themselves.
	columns map[string]*column
	// classes holds every class of this axis, by id.
	classes []*class
	// inter memoizes the intersections built for entries with several
	// checks on this axis, by the ids of the classes intersected.
	inter map[string]*class
}

// class is a set of values of one axis that the same checks match: the
// values whose scalar at some path has the same key.
type class struct {
	id int32
	// values are indexes into the axis's values, ascending.
	values []int32
}

// column indexes the scalars found at one path below an axis's values.
// Each value is in at most one class of byFold and one of strByNumber (a
// string) or in at most one class of byNumber (a number, boolean or null).
type column struct {
	// byFold holds strings by their upper-cased form.
	byFold map[string]*class
	// strByNumber holds strings by the number they read as (NaN left out).
	strByNumber map[float64]*class
	// byNumber holds numbers, booleans and null by their number (NaN left
	// out), which is what == compares them by.
	byNumber map[float64]*class
}

// NewValueIndex indexes the values of one axis. Building the index of a
// path costs one pass over the values, on the first lookup that needs it.
func NewValueIndex(values []expr.Value) *ValueIndex {
	return &ValueIndex{values: values, columns: map[string]*column{}, inter: map[string]*class{}}
}

// MatchesAny reports whether the include or exclude entry {key: want},
// with key the name of this axis, matches at least one of its values as
// GitHub compares them. A want with no scalar inside ({} or []) matches
// every value.
func (x *ValueIndex) MatchesAny(want expr.Value) bool {
	var f filter
	f.addLeaves([]expr.Value{""}, want)
	c, ok := x.accepted(f, nil)
	if !ok {
		return len(x.values) > 0
	}
	return len(c) > 0
}

// accepted returns the classes of the values that pass every check of the
// leaves (paths start with the axis key, which is skipped): for one leaf
// the disjoint classes it matches, for several their intersection as one
// class. ok is false when there is no leaf, which every value passes.
// steps counts the work, when not nil.
func (x *ValueIndex) accepted(leaves []leaf, steps *int) (classes []*class, ok bool) {
	switch len(leaves) {
	case 0:
		return nil, false
	case 1:
		return x.matching(leaves[0], steps), true
	}
	// Several checks on one axis: an entry naming parts of an object value.
	// Identical entries share the intersection.
	var key []byte
	sets := make([][]*class, len(leaves))
	for i, l := range leaves {
		sets[i] = x.matching(l, steps)
		if len(sets[i]) == 0 {
			return nil, true
		}
		for _, c := range sets[i] {
			key = binary.AppendVarint(key, int64(c.id))
		}
		key = append(key, 0xff)
	}
	if c, done := x.inter[string(key)]; done {
		if c == nil {
			return nil, true
		}
		return []*class{c}, true
	}
	vals := union(sets[0])
	for _, s := range sets[1:] {
		vals = intersect(vals, union(s))
		if steps != nil {
			*steps += len(vals)
		}
	}
	var c *class
	if len(vals) > 0 {
		c = x.newClass(vals)
	}
	x.inter[string(key)] = c
	if c == nil {
		return nil, true
	}
	return []*class{c}, true
}

// matching returns the disjoint classes of values whose scalar at the
// leaf's path equals the leaf's scalar under GitHub's ==.
func (x *ValueIndex) matching(l leaf, steps *int) []*class {
	col := x.column(l.path[1:], steps)
	var out []*class
	add := func(m map[float64]*class, n float64) {
		if c := m[n]; c != nil { // a NaN key is never found
			out = append(out, c)
		}
	}
	switch want := l.want.(type) {
	case string:
		if c := col.byFold[foldKey(want)]; c != nil {
			out = append(out, c)
		}
		add(col.byNumber, parseNumber(want))
	case float64, bool, nil:
		n := expr.ToNumber(want)
		add(col.byNumber, n)
		add(col.strByNumber, n)
	}
	return out
}

// column returns the index of the scalars at path below the values,
// building it on first use.
func (x *ValueIndex) column(path []expr.Value, steps *int) *column {
	k := pathKey(path)
	if c, ok := x.columns[k]; ok {
		return c
	}
	c := &column{byFold: map[string]*class{}, strByNumber: map[float64]*class{}, byNumber: map[float64]*class{}}
	put := func(m map[float64]*class, n float64, i int) {
		if !math.IsNaN(n) {
			m[n] = x.appendTo(m[n], i)
		}
	}
	for i, v := range x.values {
		for _, p := range path {
			v = index(v, p)
		}
		switch v := v.(type) {
		case string:
			fk := foldKey(v)
			c.byFold[fk] = x.appendTo(c.byFold[fk], i)
			put(c.strByNumber, parseNumber(v), i)
		case float64, bool, nil:
			put(c.byNumber, expr.ToNumber(v), i)
		}
	}
	if steps != nil {
		*steps += len(x.values) * (1 + len(path))
	}
	x.columns[k] = c
	return c
}

// appendTo adds value i to c, creating the class when c is nil.
func (x *ValueIndex) appendTo(c *class, i int) *class {
	if c == nil {
		c = x.newClass(nil)
	}
	c.values = append(c.values, int32(i))
	return c
}

func (x *ValueIndex) newClass(values []int32) *class {
	c := &class{id: int32(len(x.classes)), values: values}
	x.classes = append(x.classes, c)
	return c
}

// pathKey encodes a path of keys (strings) and indexes (numbers) so that
// different paths get different keys.
func pathKey(path []expr.Value) string {
	var b []byte
	for _, p := range path {
		switch p := p.(type) {
		case string:
			b = append(b, 's')
			b = binary.AppendUvarint(b, uint64(len(p)))
			b = append(b, p...)
		case float64:
			b = append(b, 'n')
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p))
		}
	}
	return string(b)
}

// foldKey is the form of s that GitHub's case-insensitive comparison sees:
// each rune upper-cased as .NET's OrdinalIgnoreCase does, so that two
// strings are equal under == exactly when their keys are. It must agree
// with expr's foldRune (emulate/expr/coerce.go): simple upper-case mapping
// except that the dotless ı stays itself; invalid UTF-8 reads as U+FFFD
// there and here (strings.Map).
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			if r >= 'a' && r <= 'z' {
				return r - ('a' - 'A')
			}
			return r
		}
		if r == 'ı' {
			return r
		}
		return unicode.ToUpper(r)
	}, s)
}

// union merges disjoint classes into one ascending list.
func union(cs []*class) []int32 {
	if len(cs) == 1 {
		return cs[0].values
	}
	var out []int32
	for _, c := range cs {
		out = append(out, c.values...)
	}
	slices.Sort(out)
	return out
}

// intersect returns the values in both ascending lists.
func intersect(a, b []int32) []int32 {
	var out []int32
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case a[0] > b[0]:
			b = b[1:]
		default:
			out = append(out, a[0])
			a, b = a[1:], b[1:]
		}
	}
	return out
}
