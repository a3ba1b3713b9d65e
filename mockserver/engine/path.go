package engine

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/theory/jsonpath"
	"github.com/theory/jsonpath/spec"
)

// Paths (reference flow-engine.md §2 "JSONPath", "ResultPath merge semantics"). `.$` references,
// InputPath, Variable, SecondsPath and friends are JSONPath queries (RFC 9535, through the
// theory/jsonpath library); ResultPath is a reference path: `$` or a chain of names and indexes.
// `$._context` reads the run context and can never be written.

// ContextKey is the name of the read-only run context inside the run state.
const ContextKey = "_context"

var pathCache sync.Map // string → *jsonpath.Path

// parsePath parses a JSONPath once and caches it: definitions reuse the same few paths.
func parsePath(p string) (*jsonpath.Path, error) {
	if v, ok := pathCache.Load(p); ok {
		return v.(*jsonpath.Path), nil
	}
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("a JSONPath must start with '$': %q", p)
	}
	parsed, err := jsonpath.Parse(p)
	if err != nil {
		return nil, fmt.Errorf("invalid JSONPath %q: %v", p, strings.TrimPrefix(err.Error(), "jsonpath: "))
	}
	pathCache.Store(p, parsed)
	return parsed, nil
}

// CheckPath reports whether p is a valid JSONPath.
func CheckPath(p string) error {
	_, err := parsePath(p)
	return err
}

// withContext is the run state as paths and expressions see it: its top level plus _context.
func withContext(state any, ctx map[string]any) any {
	obj, ok := state.(map[string]any)
	if !ok {
		return state // a state that is not an object has no place for _context
	}
	if ctx == nil {
		return obj
	}
	view := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		view[k] = v
	}
	view[ContextKey] = ctx
	return view
}

// Lookup evaluates a JSONPath against the run state (with the context). A singular path (names and
// indexes only) gives its one value and fails when nothing is there; any other path gives the
// list of what it selects, as the States Language does.
func Lookup(p string, state any, ctx map[string]any) (any, error) {
	parsed, err := parsePath(p)
	if err != nil {
		return nil, err
	}
	nodes := parsed.Select(withContext(state, ctx))
	if parsed.Query().Singular() != nil {
		if len(nodes) == 0 {
			return nil, noMatch(p)
		}
		return nodes[0], nil
	}
	out := make([]any, len(nodes))
	copy(out, nodes)
	return out, nil
}

func noMatch(p string) error {
	return fmt.Errorf("the JSONPath %s matches nothing in the run state", p)
}

// lookup is Lookup that also tells where the private values of what it selects are: a value read
// by reference keeps its privacy.
func (v view) lookup(p string) (any, []Location, error) {
	parsed, err := parsePath(p)
	if err != nil {
		return nil, nil, err
	}
	nodes := parsed.SelectLocated(withContext(v.value, v.ctx))
	if parsed.Query().Singular() != nil {
		if len(nodes) == 0 {
			return nil, nil, noMatch(p)
		}
		return nodes[0].Node, Within(v.private, location(nodes[0].Path)), nil
	}
	out := make([]any, len(nodes))
	var rel []Location
	for i, n := range nodes {
		out[i] = n.Node
		rel = append(rel, Under(Location{IndexStep(i)}, Within(v.private, location(n.Path)))...)
	}
	return out, rel, nil
}

// location is a normalized path (names and indexes only) as a Location.
func location(np spec.NormalizedPath) Location {
	loc := make(Location, 0, len(np))
	for _, sel := range np {
		switch s := sel.(type) {
		case spec.Name:
			loc = append(loc, KeyStep(string(s)))
		case spec.Index:
			loc = append(loc, IndexStep(int(s)))
		}
	}
	return loc
}

// Present reports whether a JSONPath selects anything.
func Present(p string, state any, ctx map[string]any) bool {
	parsed, err := parsePath(p)
	if err != nil {
		return false
	}
	return len(parsed.Select(withContext(state, ctx))) > 0
}

// parseReference parses a reference path such as $.a.b[0]; "$" alone is the whole state.
func parseReference(p string) (Location, error) {
	parsed, err := parsePath(p)
	if err != nil {
		return nil, err
	}
	var steps Location
	for _, seg := range parsed.Query().Segments() {
		sels := seg.Selectors()
		if seg.IsDescendant() || len(sels) != 1 {
			return nil, fmt.Errorf("%s is not a reference path: only names and indexes are allowed", p)
		}
		switch s := sels[0].(type) {
		case spec.Name:
			steps = append(steps, KeyStep(string(s)))
		case spec.Index:
			if s < 0 {
				return nil, fmt.Errorf("%s is not a reference path: negative indexes are not allowed", p)
			}
			steps = append(steps, IndexStep(int(s)))
		default:
			return nil, fmt.Errorf("%s is not a reference path: only names and indexes are allowed", p)
		}
	}
	return steps, nil
}

// CheckResultPath reports whether p may be written: a reference path outside $._context.
func CheckResultPath(p string) error {
	steps, err := parseReference(p)
	if err != nil {
		return err
	}
	if len(steps) > 0 && steps[0] == KeyStep(ContextKey) {
		return fmt.Errorf("the run context $._context is read-only")
	}
	return nil
}

// Put returns state with value stored at the reference path p. `$` replaces the whole state;
// otherwise intermediate objects are created as needed and everything else is kept. state is not
// changed: the objects and arrays on the path are copied and the rest is shared, so run states,
// log entries and documents can share values that are never changed in place once made.
func Put(state any, p string, value any) (any, error) {
	if err := CheckResultPath(p); err != nil {
		return nil, err
	}
	steps, _ := parseReference(p)
	if len(steps) == 0 {
		return value, nil
	}
	if _, ok := state.(map[string]any); !ok {
		// A ResultPath below $ on a state that is not an object starts a fresh object, as the
		// States Language does when merging into a non-object input.
		state = map[string]any{}
	}
	return putSteps(state, steps, value, p)
}

// putSteps returns a copy of container with value stored at steps.
func putSteps(container any, steps Location, value any, p string) (any, error) {
	st := steps[0]
	child := func(v any, ok bool) any {
		if !ok || !isContainer(v, steps[1]) {
			return newContainer(steps[1])
		}
		return v
	}
	switch c := container.(type) {
	case map[string]any:
		if st.IsIndex {
			return nil, fmt.Errorf("ResultPath %s indexes into an object", p)
		}
		out := make(map[string]any, len(c)+1)
		for k, v := range c {
			out[k] = v
		}
		if len(steps) == 1 {
			out[st.Key] = value
			return out, nil
		}
		v, ok := c[st.Key]
		v, err := putSteps(child(v, ok), steps[1:], value, p)
		if err != nil {
			return nil, err
		}
		out[st.Key] = v
		return out, nil
	case []any:
		if !st.IsIndex || st.Index >= len(c) {
			return nil, fmt.Errorf("ResultPath %s does not match the run state", p)
		}
		out := slices.Clone(c)
		if len(steps) == 1 {
			out[st.Index] = value
			return out, nil
		}
		v, err := putSteps(child(c[st.Index], true), steps[1:], value, p)
		if err != nil {
			return nil, err
		}
		out[st.Index] = v
		return out, nil
	}
	return nil, fmt.Errorf("ResultPath %s does not match the run state", p)
}

func isContainer(v any, next PathStep) bool {
	if next.IsIndex {
		_, ok := v.([]any)
		return ok
	}
	_, ok := v.(map[string]any)
	return ok
}

func newContainer(next PathStep) any {
	if next.IsIndex {
		return []any{}
	}
	return map[string]any{}
}
