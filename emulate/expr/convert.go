package expr

import (
	"encoding/json"
	"reflect"
	"sort"
)

// FromGo converts ordinary Go data into a Value: nil, bool, every integer and
// float type, string, json.Number, []any, []string and other slices and
// arrays, map[string]any and other maps with string keys (keys sorted, so the
// order is deterministic), *Object, and pointers to any of these. Values that
// are already Values are returned as they are (arrays and objects are
// converted element by element). Structs go through encoding/json, so their
// json tags apply. Anything else (functions, channels, complex numbers) is
// null.
func FromGo(v any) Value {
	switch x := v.(type) {
	case nil:
		return nil
	case bool, string:
		return x
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case uint64:
		return float64(x)
	case json.Number:
		return ParseNumber(string(x))
	case *Object:
		if x == nil {
			return nil
		}
		out := x.newLike()
		x.Range(func(k string, item Value) bool {
			out.Set(k, FromGo(item))
			return true
		})
		return out
	case filteredArray:
		return FromGo([]any(x))
	case []any:
		out := make([]any, len(x), max(len(x), 1))
		for i, item := range x {
			out[i] = FromGo(item)
		}
		return out
	case []string:
		out := make([]any, len(x), max(len(x), 1))
		for i, item := range x {
			out[i] = item
		}
		return out
	case map[string]any:
		out := NewObject()
		for _, k := range sortedKeys(x) {
			out.Set(k, FromGo(x[k]))
		}
		return out
	case map[string]string:
		out := NewObject()
		for _, k := range sortedKeys(x) {
			out.Set(k, x[k])
		}
		return out
	}
	return fromReflect(reflect.ValueOf(v))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fromReflect handles the types FromGo has no fast path for.
func fromReflect(rv reflect.Value) Value {
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.String:
		return rv.String()
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return FromGo(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return make([]any, 0, 1)
		}
		out := make([]any, rv.Len(), max(rv.Len(), 1))
		for i := range out {
			out[i] = FromGo(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		out := NewObject()
		for _, k := range keys {
			out.Set(k, FromGo(rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())).Interface()))
		}
		return out
	case reflect.Struct:
		b, err := json.Marshal(rv.Interface())
		if err != nil {
			return nil
		}
		out, err := FromJSON(string(b))
		if err != nil {
			return nil
		}
		return out
	}
	return nil
}
