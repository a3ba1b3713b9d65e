package engine

import (
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
				out[strings.TrimSuffix(k, ".$")] = deepCopyValue(got)
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

// deepCopyValue copies a JSON value so that results never alias the run state.
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

// Redact returns a copy of v without the values at the given locations and without any object key
// starting with "_private", at any depth.
func Redact(v any, private [][]string) any {
	out := stripPrivateKeys(deepCopyValue(v))
	for _, loc := range private {
		removeAt(out, loc)
	}
	return out
}

func stripPrivateKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "_private") {
				delete(x, k)
				continue
			}
			x[k] = stripPrivateKeys(e)
		}
	case []any:
		for i, e := range x {
			x[i] = stripPrivateKeys(e)
		}
	}
	return v
}

// removeAt deletes the key at loc; a location that runs through an array applies to every element.
func removeAt(v any, loc []string) {
	if len(loc) == 0 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if len(loc) == 1 {
			delete(x, loc[0])
			return
		}
		removeAt(x[loc[0]], loc[1:])
	case []any:
		for _, e := range x {
			removeAt(e, loc)
		}
	}
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
