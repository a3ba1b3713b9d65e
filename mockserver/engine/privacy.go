package engine

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/globus-conformance/kit/mockserver/jsonw"
)

// Private values (reference flow-engine.md §2 "Secrets"): the values of the parameters a template
// names in __Private_Parameters, and everything under an object key starting with "_private",
// never show in run documents, logs or errors, while later states still read them. The engine
// keeps where the private values of a run state sit as Locations, and follows them as states
// read and write: a value copied by reference (a ".$" parameter, an InputPath) stays private
// where it lands; what an expression computes from private values is a new value and is not
// private, but an expression that fails on them never repeats them.

// PathStep is one step of a Location: an object key or an array index (a string or a number in JSON).
type PathStep struct {
	Key     string
	Index   int
	IsIndex bool
}

// KeyStep is the step to an object key.
func KeyStep(k string) PathStep { return PathStep{Key: k} }

// IndexStep is the step to an array element.
func IndexStep(i int) PathStep { return PathStep{Index: i, IsIndex: true} }

// MarshalJSON writes a key as a string and an index as a number.
func (s PathStep) MarshalJSON() ([]byte, error) {
	if s.IsIndex {
		return strconv.AppendInt(nil, int64(s.Index), 10), nil
	}
	return jsonw.String(nil, s.Key), nil // <, > and & as they are, as every dump writes them
}

// UnmarshalJSON reads a string as a key and a number as an index.
func (s *PathStep) UnmarshalJSON(b []byte) error {
	var key string
	if err := json.Unmarshal(b, &key); err == nil {
		*s = KeyStep(key)
		return nil
	}
	var i int
	if err := json.Unmarshal(b, &i); err != nil || i < 0 {
		return fmt.Errorf("a location step is an object key or an array index, not %s", b)
	}
	*s = IndexStep(i)
	return nil
}

// Location is where a value sits inside a JSON value; the empty Location is the value itself. A
// key step that meets an array applies to each of its elements (the form locations took before
// they kept indexes).
type Location []PathStep

// with returns l followed by s, never sharing l's backing array.
func (l Location) with(s PathStep) Location { return append(l[:len(l):len(l)], s) }

// Under returns the locations rel, relative to base, as locations from the root.
func Under(base Location, rel []Location) []Location {
	out := make([]Location, 0, len(rel))
	for _, r := range rel {
		out = append(out, append(slices.Clone(base), r...))
	}
	return out
}

// whole is the privacy of a value that is private as a whole.
var whole = []Location{{}}

// isWhole reports whether rel makes the value itself private.
func isWhole(rel []Location) bool {
	return slices.ContainsFunc(rel, func(l Location) bool { return len(l) == 0 })
}

func isPrivateKey(s PathStep) bool { return !s.IsIndex && strings.HasPrefix(s.Key, "_private") }

// Within returns the private locations inside the value at `at`, relative to it: the empty
// location when that value is private as a whole (it lies at or below a private location, or
// below a "_private" key).
func Within(private []Location, at Location) []Location {
	if slices.ContainsFunc(at, isPrivateKey) {
		return whole
	}
	var out []Location
	for _, loc := range private {
		rest, ok := below(loc, at)
		if !ok {
			continue
		}
		if len(rest) == 0 {
			return whole
		}
		out = append(out, rest)
	}
	return out
}

// below matches loc against at: ok when one lies within the other; rest is what remains of loc
// below at (empty when at lies at or below loc).
func below(loc, at Location) (rest Location, ok bool) {
	i, j := 0, 0
	for i < len(loc) && j < len(at) {
		switch l, a := loc[i], at[j]; {
		case l == a:
			i, j = i+1, j+1
		case !l.IsIndex && a.IsIndex:
			j++ // a key step passes through arrays
		default:
			return nil, false
		}
	}
	return loc[i:], true
}

// relocate is the privacy of a state after a value with privacy rel is written at the reference
// path steps: what was private at or below steps is gone, the value's private places are added.
func relocate(private []Location, steps Location, rel []Location) []Location {
	out := make([]Location, 0, len(private)+len(rel))
	for _, loc := range private {
		if rest, ok := below(steps, loc); !ok || len(rest) > 0 {
			out = append(out, loc) // not overwritten
		}
	}
	return append(out, Under(steps, rel)...)
}

// Redact returns v as run documents and logs show it: without the values at the given locations
// and without any object key starting with "_private", at any depth. A private array element shows
// as null so that the others keep their indexes; a v private as a whole is nil. v is not changed:
// the objects and arrays that lose something are copied, the rest is shared (v itself when nothing
// is private).
func Redact(v any, private []Location) any {
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

// removeAt returns v without the value at loc, and whether that is a new value.
func removeAt(v any, loc Location) (any, bool) {
	if len(loc) == 0 {
		return nil, v != nil
	}
	st := loc[0]
	switch x := v.(type) {
	case map[string]any:
		child, ok := x[st.Key]
		if !ok || st.IsIndex {
			return v, false
		}
		if len(loc) == 1 {
			out := maps.Clone(x)
			delete(out, st.Key)
			return out, true
		}
		removed, changed := removeAt(child, loc[1:])
		if !changed {
			return v, false
		}
		out := maps.Clone(x)
		out[st.Key] = removed
		return out, true
	case []any:
		if !st.IsIndex {
			return eachElement(x, func(e any) (any, bool) { return removeAt(e, loc) })
		}
		if st.Index >= len(x) {
			return v, false
		}
		removed, changed := removeAt(x[st.Index], loc[1:])
		if !changed {
			return v, false
		}
		out := slices.Clone(x)
		out[st.Index] = removed
		return out, true
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

// touchesPrivate reports whether a value read with privacy rel holds anything private.
func touchesPrivate(v any, rel []Location) bool {
	if len(rel) > 0 {
		return true
	}
	_, changed := stripPrivateKeys(v)
	return changed
}

// PrivateTexts are the strings, and the numbers as text, that are private in v: what an action
// provider given v must not be seen repeating.
func PrivateTexts(v any, private []Location) []string {
	var out []string
	var walk func(v any, at Location, secret bool)
	walk = func(v any, at Location, secret bool) {
		secret = secret || isWhole(Within(private, at))
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, at.with(KeyStep(k)), secret)
			}
		case []any:
			for i, e := range x {
				walk(e, at.with(IndexStep(i)), secret)
			}
		case string, json.Number, float64, int, int64:
			if s := fmt.Sprint(x); secret && s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	walk(v, nil, false)
	return out
}

// minEcho is the length from which a private text counts inside a longer string; a shorter one
// counts only as a whole string (a private "1" would otherwise hide every timestamp).
const minEcho = 4

// Repeats reports whether s repeats one of texts: contains it, or is it when it is short.
func Repeats(s string, texts []string) bool {
	return slices.ContainsFunc(texts, func(t string) bool { return s == t || len(t) >= minEcho && strings.Contains(s, t) })
}

// Echoes returns the locations in v of the strings that repeat one of texts and of the numbers
// that are one of them: where an answer repeats private values it was given.
func Echoes(v any, texts []string) []Location {
	if len(texts) == 0 {
		return nil
	}
	var out []Location
	var walk func(v any, at Location)
	walk = func(v any, at Location) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, at.with(KeyStep(k)))
			}
		case []any:
			for i, e := range x {
				walk(e, at.with(IndexStep(i)))
			}
		case string:
			if Repeats(x, texts) {
				out = append(out, at)
			}
		case json.Number, float64, int, int64:
			if slices.Contains(texts, fmt.Sprint(x)) {
				out = append(out, at)
			}
		}
	}
	walk(v, nil)
	return out
}
