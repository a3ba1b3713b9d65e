package engine

import (
	"slices"
	"strconv"
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
	Private []Location
}

// view is what a state reads: a value (the run state, or what an InputPath selects of it), the
// locations of its private values, and the run context.
type view struct {
	value   any
	private []Location
	ctx     map[string]any
}

// render evaluates a Parameters template against what the state reads. A parameter is private
// when its object's __Private_Parameters names it, when it lies inside a private parameter, or
// where a ".$" reference copies a private value.
func (v view) render(tmpl any) (Rendered, error) {
	var private []Location
	out, err := v.renderAt(tmpl, nil, false, &private)
	return Rendered{Value: out, Private: private}, err
}

func (v view) renderAt(tmpl any, at Location, secret bool, private *[]Location) (any, error) {
	switch t := tmpl.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		names := privateNames(t)
		for k, e := range t {
			if k == PrivateKey {
				continue
			}
			name := trimSuffixes(k)
			dst := at.with(KeyStep(name))
			hidden := secret || slices.Contains(names, name)
			var got any
			var rel []Location
			var err error
			switch {
			case strings.HasSuffix(k, ".$"):
				p, _ := e.(string)
				if got, rel, err = v.lookup(p); err != nil {
					return nil, parameterError(ErrParameterPath, at, k, err, hidden)
				}
			case strings.HasSuffix(k, ".="):
				src, _ := e.(string)
				var rd reads
				if got, rd, err = evaluate(src, v.value, v.ctx); err != nil {
					return nil, parameterError(ErrRuntime, at, k, err, hidden || v.readsPrivate(rd))
				}
				rel = Echoes(got, v.textsRead(rd))
			default:
				if got, err = v.renderAt(e, dst, hidden, private); err != nil {
					return nil, err
				}
			}
			if hidden {
				rel = whole
			}
			*private = append(*private, Under(dst, rel)...)
			out[name] = got // shared: run values are never changed in place
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			child, err := v.renderAt(e, at.with(IndexStep(i)), secret, private)
			if err != nil {
				return nil, err
			}
			out[i] = child
		}
		return out, nil
	}
	return tmpl, nil
}

// parameterError is the error of a parameter that could not be rendered. Expression errors
// repeat values and sources, so the cause of a private parameter, or of one whose expression read
// a private value, names the parameter only.
func parameterError(name string, at Location, key string, err error, private bool) error {
	param := "Parameter " + paramName(at, key)
	switch {
	case private && strings.HasSuffix(key, ".="):
		return &StateError{Name: name, Cause: param + " failed; it is private or reads a private value, so its error is not shown"}
	case private:
		return &StateError{Name: name, Cause: param + " failed; it is private, so its error is not shown"}
	}
	return &StateError{Name: name, Cause: param + ": " + err.Error()}
}

// paramName is a parameter's place in its template: a.0.b.=
func paramName(at Location, key string) string {
	parts := make([]string, 0, len(at)+1)
	for _, s := range at {
		if s.IsIndex {
			parts = append(parts, strconv.Itoa(s.Index))
		} else {
			parts = append(parts, s.Key)
		}
	}
	return strings.Join(append(parts, key), ".")
}

func trimSuffixes(k string) string { return strings.TrimSuffix(strings.TrimSuffix(k, ".$"), ".=") }

// privateNames are the parameters a template object's __Private_Parameters names, without their
// suffixes. Definitions refuse anything but a list of strings; a single string, which stored
// definitions may still hold, names one parameter.
func privateNames(t map[string]any) []string {
	var raw []any
	switch x := t[PrivateKey].(type) {
	case []any:
		raw = x
	case string:
		raw = []any{x}
	}
	names := make([]string, 0, len(raw))
	for _, n := range raw {
		if s, ok := n.(string); ok {
			names = append(names, trimSuffixes(s))
		}
	}
	return names
}

// eachRead calls fn with every value an expression read that holds a private value (a top-level
// name it mentions, or a JSONPath it looked up), and the locations of those inside it.
func (v view) eachRead(rd reads, fn func(val any, rel []Location)) {
	obj, _ := v.value.(map[string]any)
	for name := range rd.names {
		if val, ok := obj[name]; ok {
			if rel := Within(v.private, Location{KeyStep(name)}); touchesPrivate(val, rel) {
				fn(val, rel)
			}
		}
	}
	for _, p := range rd.paths {
		if val, rel, err := v.lookup(p); err == nil && touchesPrivate(val, rel) {
			fn(val, rel)
		}
	}
}

// readsPrivate reports whether an expression read a private value.
func (v view) readsPrivate(rd reads) bool {
	found := false
	v.eachRead(rd, func(any, []Location) { found = true })
	return found
}

// textsRead are the private values an expression read, as text: a result that repeats one of
// them keeps it private.
func (v view) textsRead(rd reads) []string {
	var texts []string
	v.eachRead(rd, func(val any, rel []Location) { texts = append(texts, PrivateTexts(val, rel)...) })
	return texts
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
		for _, base := range privateNames(t) {
			delete(t, base)
			delete(t, base+".$")
			delete(t, base+".=")
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
