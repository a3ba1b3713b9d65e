package engine

import (
	"maps"
	"slices"
	"strings"
)

// Parameters templates (reference flow-engine.md §2): keys ending ".$" take the value a JSONPath
// selects, keys ending ".=" the value of an expression, other keys are copied; objects and arrays
// are rendered element by element. "__Private_Parameters" lists sibling keys (with or without
// their suffix) whose values are kept out of run documents and logs; it is not part of the result.

// PrivateKey is the template key naming private sibling parameters.
const PrivateKey = "__Private_Parameters"

// Rendered is a rendered template and the locations (relative to it) of its private values.
type Rendered struct {
	Value   any
	Private [][]string
}

// Render evaluates a Parameters template against input, the state the template reads.
func Render(tmpl any, input any, ctx map[string]any) (Rendered, error) {
	var private [][]string
	v, err := render(tmpl, input, ctx, nil, &private)
	return Rendered{Value: v, Private: private}, err
}

func render(tmpl any, input any, ctx map[string]any, at []string, private *[][]string) (any, error) {
	switch t := tmpl.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, v := range t {
			if k == PrivateKey {
				continue
			}
			switch {
			case strings.HasSuffix(k, ".$"):
				p, _ := v.(string)
				got, err := Lookup(p, input, ctx)
				if err != nil {
					return nil, &StateError{Name: ErrParameterPath, Cause: "Parameter " + strings.Join(append(at, k), ".") + ": " + err.Error()}
				}
				out[strings.TrimSuffix(k, ".$")] = got // shared: run values are never changed in place
			case strings.HasSuffix(k, ".="):
				src, _ := v.(string)
				got, err := Eval(src, input, ctx)
				if err != nil {
					return nil, &StateError{Name: ErrRuntime, Cause: "Parameter " + strings.Join(append(at, k), ".") + ": " + err.Error()}
				}
				out[strings.TrimSuffix(k, ".=")] = got
			default:
				child, err := render(v, input, ctx, append(at, k), private)
				if err != nil {
					return nil, err
				}
				out[k] = child
			}
		}
		if names, ok := t[PrivateKey].([]any); ok {
			for _, n := range names {
				if s, ok := n.(string); ok {
					name := strings.TrimSuffix(strings.TrimSuffix(s, ".$"), ".=")
					*private = append(*private, append(append([]string{}, at...), name))
				}
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			child, err := render(v, input, ctx, at, private)
			if err != nil {
				return nil, err
			}
			out[i] = child
		}
		return out, nil
	}
	return tmpl, nil
}

// deepCopyValue copies a JSON value: for values handed to code that may change them (action
// providers). Run states and everything made from them are never changed in place, so the
// engine shares them instead of copying.
func deepCopyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopyValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopyValue(e)
		}
		return out
	}
	return v
}

// DeepCopy copies a JSON value.
func DeepCopy(v any) any { return deepCopyValue(v) }

// Redact returns v without the values at the given locations and without any object key starting
// with "_private", at any depth. v is not changed: the objects and arrays that lose something are
// copied, the rest is shared (v itself when nothing is private).
func Redact(v any, private [][]string) any {
	out, _ := stripPrivateKeys(v)
	for _, loc := range private {
		out, _ = removeAt(out, loc)
	}
	return out
}

// stripPrivateKeys returns v without "_private" keys, and whether that is a new value.
func stripPrivateKeys(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		var out map[string]any // made at the first change
		for k, e := range x {
			if strings.HasPrefix(k, "_private") {
				if out == nil {
					out = maps.Clone(x)
				}
				delete(out, k)
				continue
			}
			if stripped, changed := stripPrivateKeys(e); changed {
				if out == nil {
					out = maps.Clone(x)
				}
				out[k] = stripped
			}
		}
		if out != nil {
			return out, true
		}
	case []any:
		return eachElement(x, stripPrivateKeys)
	}
	return v, false
}

// removeAt returns v without the key at loc, and whether that is a new value; a location that runs
// through an array applies to every element.
func removeAt(v any, loc []string) (any, bool) {
	if len(loc) == 0 {
		return v, false
	}
	switch x := v.(type) {
	case map[string]any:
		child, ok := x[loc[0]]
		if !ok {
			return v, false
		}
		if len(loc) == 1 {
			out := maps.Clone(x)
			delete(out, loc[0])
			return out, true
		}
		removed, changed := removeAt(child, loc[1:])
		if !changed {
			return v, false
		}
		out := maps.Clone(x)
		out[loc[0]] = removed
		return out, true
	case []any:
		return eachElement(x, func(e any) (any, bool) { return removeAt(e, loc) })
	}
	return v, false
}

// eachElement applies f to every element of x and returns the result, and whether it is new: x
// is copied at the first element f changes, and returned as it is when f changes none.
func eachElement(x []any, f func(any) (any, bool)) (any, bool) {
	var out []any
	for i, e := range x {
		if changed, ok := f(e); ok {
			if out == nil {
				out = slices.Clone(x)
			}
			out[i] = changed
		}
	}
	if out == nil {
		return x, false
	}
	return out, true
}

// StripPrivate removes __Private_Parameters and the keys it names from every state's Parameters,
// at any depth: what callers who may not see private parameters get of a definition.
func StripPrivate(def map[string]any) {
	states, _ := def["States"].(map[string]any)
	for _, st := range states {
		if state, ok := st.(map[string]any); ok {
			stripTemplate(state["Parameters"])
		}
	}
}

// HasPrivate reports whether a definition declares private parameters anywhere.
func HasPrivate(def map[string]any) bool {
	var walk func(v any) bool
	walk = func(v any) bool {
		switch t := v.(type) {
		case map[string]any:
			if _, ok := t[PrivateKey]; ok {
				return true
			}
			for _, e := range t {
				if walk(e) {
					return true
				}
			}
		case []any:
			for _, e := range t {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	states, _ := def["States"].(map[string]any)
	for _, st := range states {
		if state, ok := st.(map[string]any); ok && walk(state["Parameters"]) {
			return true
		}
	}
	return false
}

func stripTemplate(v any) {
	switch t := v.(type) {
	case map[string]any:
		if names, ok := t[PrivateKey].([]any); ok {
			for _, n := range names {
				if s, ok := n.(string); ok {
					base := strings.TrimSuffix(strings.TrimSuffix(s, ".$"), ".=")
					delete(t, base)
					delete(t, base+".$")
					delete(t, base+".=")
				}
			}
		}
		delete(t, PrivateKey)
		for _, e := range t {
			stripTemplate(e)
		}
	case []any:
		for _, e := range t {
			stripTemplate(e)
		}
	}
}
