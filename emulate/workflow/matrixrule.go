package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
)

// ruleMatrix is actionlint's rule "matrix" (rule_matrix.go, v1.7.12) with
// the same findings at the same positions, in time linear in the matrix:
// actionlint compares each value of a row with every earlier one, and each
// exclude value with every value of its row, which takes minutes for rows
// of 100,000 values or thousands of exclude entries. Here equal values are
// found by a key of their contents; an exclude value is looked up among
// its row's strings, and only a value that is an object or array is
// compared with the row's objects and arrays, within a budget.
//
// Two messages list values; from maxListed on, a list ends with how many
// more there are, so that thousands of exclude entries against a long row
// do not print the row thousands of times.
type ruleMatrix struct {
	actionlint.RuleBase
}

// maxListed is how many row values or matrix keys a message lists.
const maxListed = 50

// maxSubsetSteps bounds, per job, the comparisons of exclude objects and
// arrays with the objects and arrays of their row. Past it, the remaining
// such values are taken to match (no finding), as actionlint takes values
// it cannot check statically.
const maxSubsetSteps = 2_000_000

func newRuleMatrix() *ruleMatrix {
	return &ruleMatrix{RuleBase: actionlint.NewRuleBase("matrix", "Checks for matrix combinations in \"matrix:\"")}
}

// replaceMatrixRule swaps actionlint's matrix rule for ruleMatrix, in place.
func replaceMatrixRule(rules []actionlint.Rule) []actionlint.Rule {
	for i, r := range rules {
		if _, ok := r.(*actionlint.RuleMatrix); ok {
			rules[i] = newRuleMatrix()
		}
	}
	return rules
}

// VisitJobPre checks the job's literal matrix.
func (r *ruleMatrix) VisitJobPre(n *actionlint.Job) error {
	if n.Strategy == nil || n.Strategy.Matrix == nil || n.Strategy.Matrix.Expression != nil {
		return nil
	}
	m := n.Strategy.Matrix
	for _, row := range m.Rows {
		r.checkDuplicateInRow(row)
	}
	r.checkExclude(m)
	return nil
}

func (r *ruleMatrix) checkDuplicateInRow(row *actionlint.MatrixRow) {
	if row.Values == nil {
		return // an expression
	}
	// actionlint's Equals is structural equality: equal values have equal
	// keys, so the first equal value is the one seen under the key.
	seen := make(map[string]actionlint.RawYAMLValue, len(row.Values))
	var key []byte
	for _, v := range row.Values {
		key = yamlKey(key[:0], v)
		if p, ok := seen[string(key)]; ok {
			r.Errorf(v.Pos(), "duplicate value %s is found in matrix %q. the same value is at %s", v.String(), row.Name.Value, p.Pos().String())
			continue
		}
		seen[string(key)] = v
	}
}

// yamlKey appends to b an encoding of v that equal values (actionlint's
// RawYAMLValue.Equals) share and unequal values do not.
func yamlKey(b []byte, v actionlint.RawYAMLValue) []byte {
	switch v := v.(type) {
	case *actionlint.RawYAMLString:
		b = append(b, 's')
		b = strconv.AppendInt(b, int64(len(v.Value)), 10)
		b = append(b, ':')
		return append(b, v.Value...)
	case *actionlint.RawYAMLArray:
		b = append(b, 'a')
		b = strconv.AppendInt(b, int64(len(v.Elems)), 10)
		for _, e := range v.Elems {
			b = yamlKey(append(b, ','), e)
		}
		return b
	case *actionlint.RawYAMLObject:
		names := make([]string, 0, len(v.Props))
		for n := range v.Props {
			names = append(names, n)
		}
		slices.Sort(names)
		b = append(b, 'o')
		b = strconv.AppendInt(b, int64(len(names)), 10)
		for _, n := range names {
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(len(n)), 10)
			b = append(b, ':')
			b = append(b, n...)
			b = yamlKey(b, v.Props[n])
		}
		return b
	}
	return append(b, '?')
}

// row is one matrix row for exclude checks: its values in order (with
// those include entries add), indexed.
type row struct {
	values []actionlint.RawYAMLValue
	keys   map[string]bool
	// strings holds the plain string values; anyExpr is set when a string
	// value contains ${{ }}, which actionlint takes to match anything.
	strings map[string]bool
	anyExpr bool
	// nested are the object and array values.
	nested []actionlint.RawYAMLValue
}

func (w *row) add(v actionlint.RawYAMLValue, key string) {
	w.values = append(w.values, v)
	w.keys[key] = true
	switch v := v.(type) {
	case *actionlint.RawYAMLString:
		if actionlint.ContainsExpression(v.Value) {
			w.anyExpr = true
		} else {
			w.strings[v.Value] = true
		}
	default:
		w.nested = append(w.nested, v)
	}
}

func newRow() *row {
	return &row{keys: map[string]bool{}, strings: map[string]bool{}}
}

func (r *ruleMatrix) checkExclude(m *actionlint.Matrix) {
	if m.Exclude == nil || len(m.Exclude.Combinations) == 0 || (m.Include != nil && m.Include.ContainsExpression()) {
		return
	}
	if len(m.Rows) == 0 && (m.Include == nil || len(m.Include.Combinations) == 0) {
		r.Error(m.Pos, "\"exclude\" section exists but no matrix variation exists")
		return
	}
	rows := make(map[string]*row, len(m.Rows))
	ignored := map[string]bool{}
	var key []byte
	for n, mr := range m.Rows {
		if mr.Expression != nil {
			ignored[n] = true
			continue
		}
		w := newRow()
		for _, v := range mr.Values {
			key = yamlKey(key[:0], v)
			w.add(v, string(key))
		}
		rows[n] = w
	}
	if m.Include != nil {
		for _, c := range m.Include.Combinations {
			for n, a := range c.Assigns {
				if ignored[n] {
					continue
				}
				w := rows[n]
				if w == nil {
					w = newRow()
					rows[n] = w
				}
				// An include value equal to one the row has is not added.
				key = yamlKey(key[:0], a.Value)
				if !w.keys[string(key)] {
					w.add(a.Value, string(key))
				}
			}
		}
	}
	budget := maxSubsetSteps
	for _, c := range m.Exclude.Combinations {
		for k, a := range c.Assigns {
			if ignored[k] {
				continue
			}
			w, ok := rows[k]
			if !ok {
				names := make([]string, 0, len(rows))
				for n := range rows {
					names = append(names, n)
				}
				slices.Sort(names)
				r.Errorf(a.Key.Pos, "%q in \"exclude\" section does not exist in matrix. available matrix configurations are %s", k, listed(names, strconv.Quote))
				continue
			}
			if w.matches(a.Value, &budget) {
				continue
			}
			r.Errorf(a.Value.Pos(), "value %s in \"exclude\" does not match in matrix %q combinations. possible values are %s", a.Value.String(), k,
				listed(w.values, actionlint.RawYAMLValue.String))
		}
	}
}

// matches reports whether some value of the row has sub as a subset
// (actionlint's isYAMLValueSubset), charging comparisons of objects and
// arrays to budget; with the budget spent it reports true.
func (w *row) matches(sub actionlint.RawYAMLValue, budget *int) bool {
	if s, ok := sub.(*actionlint.RawYAMLString); ok && actionlint.ContainsExpression(s.Value) {
		return len(w.values) > 0
	}
	if w.anyExpr {
		return true
	}
	if s, ok := sub.(*actionlint.RawYAMLString); ok {
		// Only a string value equals a string; objects and arrays need an
		// object or array.
		return w.strings[s.Value]
	}
	for _, v := range w.nested {
		if *budget <= 0 {
			return true
		}
		if isSubset(v, sub, budget) {
			return true
		}
	}
	return false
}

// isSubset is actionlint's isYAMLValueSubset (rule_matrix.go), counting
// the values it compares.
func isSubset(v, sub actionlint.RawYAMLValue, budget *int) bool {
	*budget--
	if s, ok := sub.(*actionlint.RawYAMLString); ok && actionlint.ContainsExpression(s.Value) {
		return true
	}
	switch v := v.(type) {
	case *actionlint.RawYAMLObject:
		sub, ok := sub.(*actionlint.RawYAMLObject)
		if !ok {
			return false
		}
		for n, s := range sub.Props {
			if p, ok := v.Props[n]; !ok || !isSubset(p, s, budget) {
				return false
			}
		}
		return true
	case *actionlint.RawYAMLArray:
		sub, ok := sub.(*actionlint.RawYAMLArray)
		if !ok || len(v.Elems) != len(sub.Elems) {
			return false
		}
		for i, e := range v.Elems {
			if !isSubset(e, sub.Elems[i], budget) {
				return false
			}
		}
		return true
	case *actionlint.RawYAMLString:
		if actionlint.ContainsExpression(v.Value) {
			return true
		}
		return v.Equals(sub)
	}
	return v.Equals(sub)
}

// listed joins the first maxListed items, each formatted by str, with ", ",
// and says how many more there are.
func listed[T any](items []T, str func(T) string) string {
	n := min(len(items), maxListed)
	parts := make([]string, 0, n+1)
	for _, it := range items[:n] {
		parts = append(parts, str(it))
	}
	if len(items) > n {
		parts = append(parts, fmt.Sprintf("and %d more", len(items)-n))
	}
	return strings.Join(parts, ", ")
}
