package expr

import (
	"math"
	"sort"
	"strings"
)

// StatusFuncs supplies the job status behind success(), failure(),
// cancelled() and always(). A nil func gives the value for a job that is
// running normally: success() true, failure() false, cancelled() false,
// always() true.
type StatusFuncs struct {
	Success, Failure, Cancelled, Always func() bool
}

// Env is what an expression can see.
type Env struct {
	// Contexts maps named-values (github, env, matrix, ...) to their values,
	// which must be Values (see FromGo). Lookups ignore case. Evaluate,
	// Interpolate and Condition accept exactly these names, so a context
	// GitHub allows but that has no data should be present as null or an
	// empty Object rather than left out.
	Contexts map[string]Value
	// Status answers the status functions.
	Status StatusFuncs
	// HashFiles implements hashFiles(); it receives the arguments as strings
	// (see HashFiles). When nil, calling hashFiles is an evaluation error.
	HashFiles func(patterns []string) (string, error)
}

// evaluator is one evaluation of one tree.
type evaluator struct {
	env *Env
	mem *evalMemory
}

// Eval evaluates a parsed expression. A nil Node (the empty expression) is
// null. Errors are *Error with Kind ErrorEvaluation.
func Eval(n Node, env *Env) (Value, error) {
	if n == nil {
		return nil, nil
	}
	if env == nil {
		env = &Env{}
	}
	ev := &evaluator{env: env, mem: newMemory(MaxMemory, n)}
	v, err := ev.eval(n, 0)
	if err != nil {
		return nil, err
	}
	return export(v), nil
}

// Evaluate parses src, accepting exactly the contexts in env.Contexts plus
// the built-in, status and hashFiles functions, and evaluates it.
func Evaluate(src string, env *Env) (Value, error) {
	if env == nil {
		env = &Env{}
	}
	n, err := parseExpr(src, parseOptions{names: contextNames(env), funcs: allFunctions})
	if err != nil {
		return nil, err
	}
	return Eval(n, env)
}

// contextNames lists the names in env.Contexts.
func contextNames(env *Env) []string {
	names := make([]string, 0, len(env.Contexts))
	for k := range env.Contexts {
		names = append(names, k)
	}
	return names
}

// export turns the evaluator's internal filtered arrays into plain arrays.
func export(v Value) Value {
	if f, ok := v.(filteredArray); ok {
		return []any(f)
	}
	return v
}

// eval evaluates n at tree level (the root is 0) and accounts for the memory
// its result holds. The error is a *Error; it is returned as that type so
// callers never see a non-nil error interface holding a nil pointer.
func (ev *evaluator) eval(n Node, level int) (Value, *Error) {
	var (
		v   Value
		rm  resultMemory
		err *Error
	)
	switch n := n.(type) {
	case *Literal:
		v = n.Value
	case *NamedValue:
		v = ev.lookup(n.Name)
	case *Index:
		v, rm, err = ev.index(n, level)
	case *Not:
		var x Value
		x, err = ev.eval(n.Operand, level+1)
		v = !Truthy(x)
	case *Binary:
		v, err = ev.binary(n, level)
	case *Logical:
		v, err = ev.logical(n, level)
	case *Call:
		if n.fn == nil || n.fn.eval == nil {
			return nil, evalError(n.Off, "Unrecognized function: '%s'", n.Name)
		}
		v, rm, err = n.fn.eval(ev, n, level)
	case *Wildcard:
		return nil, evalError(n.Off, "Unexpected symbol: '*'")
	}
	if err != nil {
		return nil, err
	}
	if err := ev.mem.account(n, level, v, rm); err != nil {
		return nil, err
	}
	return v, nil
}

// lookup finds a context by name: an exact match first, otherwise the
// case-insensitive match whose key sorts first (so the choice is stable).
func (ev *evaluator) lookup(name string) Value {
	if v, ok := ev.env.Contexts[name]; ok {
		return v
	}
	var keys []string
	for k := range ev.env.Contexts {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	return ev.env.Contexts[keys[0]]
}

func (ev *evaluator) binary(n *Binary, level int) (Value, *Error) {
	l, err := ev.eval(n.Left, level+1)
	if err != nil {
		return nil, err
	}
	r, err := ev.eval(n.Right, level+1)
	if err != nil {
		return nil, err
	}
	switch n.Op {
	case "==":
		return Equal(l, r), nil
	case "!=":
		return !Equal(l, r), nil
	case "<":
		return less(l, r), nil
	case "<=":
		return Equal(l, r) || less(l, r), nil
	case ">":
		return greater(l, r), nil
	case ">=":
		return Equal(l, r) || greater(l, r), nil
	}
	return nil, evalError(n.Off, "Unexpected symbol: '%s'", n.Op)
}

// logical returns the operand that decided the result, not a boolean:
// && stops at the first falsy operand and || at the first truthy one.
func (ev *evaluator) logical(n *Logical, level int) (Value, *Error) {
	var v Value
	for _, a := range n.Args {
		var err *Error
		v, err = ev.eval(a, level+1)
		if err != nil {
			return nil, err
		}
		if Truthy(v) == (n.Op == "||") {
			return v, nil
		}
	}
	return v, nil
}

// index implements a[b], a.b, a.* and a[*] (actions/runner
// Sdk/Operators/Index.cs). Out-of-range and mistyped indexes give null; a
// filter over a non-collection gives an empty array.
func (ev *evaluator) index(n *Index, level int) (Value, resultMemory, *Error) {
	left, err := ev.eval(n.Left, level+1)
	if err != nil {
		return nil, resultMemory{}, err
	}
	_, wild := n.Index.(*Wildcard)
	counter := &memCounter{node: n, max: MaxMemory}
	switch l := left.(type) {
	case filteredArray:
		return ev.indexFiltered(n, l, wild, level, counter)
	case *Object:
		if wild {
			out := newFiltered(l.Len())
			if err := counter.add(minObjectSize); err != nil {
				return nil, resultMemory{}, err
			}
			for _, k := range l.Keys() {
				v, _ := l.Get(k)
				out = append(out, v)
				if err := counter.add(pointerSize); err != nil {
					return nil, resultMemory{}, err
				}
			}
			return out, sized(counter.cur), nil
		}
		idx, err := ev.eval(n.Index, level+1)
		if err != nil {
			return nil, resultMemory{}, err
		}
		if key, ok := stringIndex(idx); ok {
			if v, ok := l.Get(key); ok {
				return v, resultMemory{}, nil
			}
		}
		return nil, resultMemory{}, nil
	case []any:
		if wild {
			out := newFiltered(len(l))
			if err := counter.add(minObjectSize); err != nil {
				return nil, resultMemory{}, err
			}
			for _, v := range l {
				out = append(out, v)
				if err := counter.add(pointerSize); err != nil {
					return nil, resultMemory{}, err
				}
			}
			return out, sized(counter.cur), nil
		}
		idx, err := ev.eval(n.Index, level+1)
		if err != nil {
			return nil, resultMemory{}, err
		}
		if i, ok := intIndex(idx); ok && i < len(l) {
			return l[i], resultMemory{}, nil
		}
		return nil, resultMemory{}, nil
	}
	if wild {
		return newFiltered(0), resultMemory{}, nil
	}
	return nil, resultMemory{}, nil
}

// indexFiltered applies an index to every element of a filtered array,
// keeping only the hits: foo.*.name collects each element's name.
func (ev *evaluator) indexFiltered(n *Index, items filteredArray, wild bool, level int, counter *memCounter) (Value, resultMemory, *Error) {
	var idx Value
	if !wild {
		var err *Error
		if idx, err = ev.eval(n.Index, level+1); err != nil {
			return nil, resultMemory{}, err
		}
	}
	key, hasKey := stringIndex(idx)
	i, hasInt := intIndex(idx)
	out := newFiltered(len(items))
	keep := func(v Value) *Error {
		out = append(out, v)
		return counter.add(pointerSize)
	}
	for _, item := range items {
		var err *Error
		switch c := item.(type) {
		case *Object:
			switch {
			case wild:
				for _, k := range c.Keys() {
					v, _ := c.Get(k)
					if err = keep(v); err != nil {
						break
					}
				}
			case hasKey:
				if v, ok := c.Get(key); ok {
					err = keep(v)
				}
			}
		case []any:
			switch {
			case wild:
				for _, v := range c {
					if err = keep(v); err != nil {
						break
					}
				}
			case hasInt && i < len(c):
				err = keep(c[i])
			}
		}
		if err != nil {
			return nil, resultMemory{}, err
		}
	}
	return out, sized(counter.cur), nil
}

// intIndex converts an index to an array position: the number is floored,
// and NaN, negative and huge values are no position (Index.cs IndexHelper).
func intIndex(v Value) (int, bool) {
	f := ToNumber(v)
	if math.IsNaN(f) || f < 0 {
		return 0, false
	}
	f = math.Floor(f)
	if f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

// stringIndex converts an index to an object key; only primitives are keys,
// so foo[fromJSON('{}')] finds nothing even if foo has a key 'Object'.
func stringIndex(v Value) (string, bool) {
	if !isPrimitive(v) {
		return "", false
	}
	return ToString(v), true
}
