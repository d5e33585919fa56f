package expr

import (
	"strings"
)

// Kind is the kind of an expression value, named as GitHub names them.
type Kind int

// The kinds of values. Their String forms are the names GitHub's test data uses.
const (
	KindNull Kind = iota
	KindBoolean
	KindNumber
	KindString
	KindArray
	KindObject
)

func (k Kind) String() string {
	switch k {
	case KindNull:
		return "Null"
	case KindBoolean:
		return "Boolean"
	case KindNumber:
		return "Number"
	case KindString:
		return "String"
	case KindArray:
		return "Array"
	case KindObject:
		return "Object"
	}
	return "Unknown"
}

// Value is an expression value. It is always one of:
//
//	nil        Null
//	bool       Boolean
//	float64    Number
//	string     String
//	[]any      Array (elements are Values)
//	*Object    Object
//
// Other packages (matrix, plan, the run report) build contexts from these
// same types, so they convert to and from JSON without a wrapper type.
type Value = any

// KindOf returns the kind of v. Values of other Go types are reported as Null.
func KindOf(v Value) Kind {
	switch v.(type) {
	case bool:
		return KindBoolean
	case float64:
		return KindNumber
	case string:
		return KindString
	case []any:
		return KindArray
	case *Object:
		return KindObject
	}
	return KindNull
}

// Object is an ordered map from string keys to Values. Lookups ignore ASCII
// case, as GitHub's contexts do (github.REF and github.ref are the same), while
// the key's first spelling and insertion order are kept for output (toJSON,
// matrix display names).
//
// An Object made by [NewCaseSensitiveObject] compares keys exactly instead:
// the runner's CaseSensitiveDictionaryContextData, which it uses for the env
// context on Linux and macOS, where FOO and foo are two variables.
type Object struct {
	keys  []string
	index map[string]int // folded key -> position in keys/vals
	vals  []Value
	// caseSensitive keeps keys as they are in index.
	caseSensitive bool
}

// NewObject returns an empty Object whose keys ignore case.
func NewObject() *Object {
	return &Object{index: map[string]int{}}
}

// NewCaseSensitiveObject returns an empty Object whose keys are compared
// exactly, by property access (env.foo) and index (env['foo']) alike.
func NewCaseSensitiveObject() *Object {
	return &Object{index: map[string]int{}, caseSensitive: true}
}

// CaseSensitive reports whether o compares keys exactly.
func (o *Object) CaseSensitive() bool {
	return o != nil && o.caseSensitive
}

// newLike returns an empty Object that compares keys as o does.
func (o *Object) newLike() *Object {
	if o.CaseSensitive() {
		return NewCaseSensitiveObject()
	}
	return NewObject()
}

// fold is the form of key in the index.
func (o *Object) fold(key string) string {
	if o.caseSensitive {
		return key
	}
	return strings.ToLower(key)
}

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Get returns the value for key, ignoring case unless o is case-sensitive.
func (o *Object) Get(key string) (Value, bool) {
	if o == nil {
		return nil, false
	}
	i, ok := o.index[o.fold(key)]
	if !ok {
		return nil, false
	}
	return o.vals[i], true
}

// Set sets key to v. An existing key (ignoring case unless o is
// case-sensitive) keeps its position and first spelling.
func (o *Object) Set(key string, v Value) {
	if o.index == nil {
		o.index = map[string]int{}
	}
	lk := o.fold(key)
	if i, ok := o.index[lk]; ok {
		o.vals[i] = v
		return
	}
	o.index[lk] = len(o.keys)
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

// Delete removes key, ignoring case unless o is case-sensitive.
func (o *Object) Delete(key string) {
	if o == nil {
		return
	}
	lk := o.fold(key)
	i, ok := o.index[lk]
	if !ok {
		return
	}
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	delete(o.index, lk)
	for j := i; j < len(o.keys); j++ {
		o.index[o.fold(o.keys[j])] = j
	}
}

// Keys returns the keys in insertion order. The slice must not be modified.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Range calls f for each key and value in insertion order until f returns false.
func (o *Object) Range(f func(key string, v Value) bool) {
	if o == nil {
		return
	}
	for i, k := range o.keys {
		if !f(k, o.vals[i]) {
			return
		}
	}
}

// Clone returns a shallow copy of o, case-sensitive if o is.
func (o *Object) Clone() *Object {
	c := o.newLike()
	o.Range(func(k string, v Value) bool {
		c.Set(k, v)
		return true
	})
	return c
}
