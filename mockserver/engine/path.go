package engine

import (
	"fmt"
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
			return nil, fmt.Errorf("the JSONPath %s matches nothing in the run state", p)
		}
		return nodes[0], nil
	}
	out := make([]any, len(nodes))
	copy(out, nodes)
	return out, nil
}

// Present reports whether a JSONPath selects anything.
func Present(p string, state any, ctx map[string]any) bool {
	parsed, err := parsePath(p)
	if err != nil {
		return false
	}
	return len(parsed.Select(withContext(state, ctx))) > 0
}

// refStep is one step of a reference path: a name or an index.
type refStep struct {
	name  string
	index int
	isIdx bool
}

// parseReference parses a reference path such as $.a.b[0]; "$" alone is the whole state.
func parseReference(p string) ([]refStep, error) {
	parsed, err := parsePath(p)
	if err != nil {
		return nil, err
	}
	var steps []refStep
	for _, seg := range parsed.Query().Segments() {
		sels := seg.Selectors()
		if seg.IsDescendant() || len(sels) != 1 {
			return nil, fmt.Errorf("%s is not a reference path: only names and indexes are allowed", p)
		}
		switch s := sels[0].(type) {
		case spec.Name:
			steps = append(steps, refStep{name: string(s)})
		case spec.Index:
			if s < 0 {
				return nil, fmt.Errorf("%s is not a reference path: negative indexes are not allowed", p)
			}
			steps = append(steps, refStep{index: int(s), isIdx: true})
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
	if len(steps) > 0 && !steps[0].isIdx && steps[0].name == ContextKey {
		return fmt.Errorf("the run context $._context is read-only")
	}
	return nil
}

// Put stores value at the reference path p inside state and returns the new state. `$` replaces
// the whole state; otherwise intermediate objects are created as needed and everything else is
// kept. state is modified in place where it is an object.
func Put(state any, p string, value any) (any, error) {
	if err := CheckResultPath(p); err != nil {
		return nil, err
	}
	steps, _ := parseReference(p)
	if len(steps) == 0 {
		return value, nil
	}
	root, ok := state.(map[string]any)
	if !ok {
		// A ResultPath below $ on a state that is not an object starts a fresh object, as the
		// States Language does when merging into a non-object input.
		root = map[string]any{}
	}
	if err := putSteps(root, steps, value, p); err != nil {
		return nil, err
	}
	return root, nil
}

func putSteps(container any, steps []refStep, value any, p string) error {
	st := steps[0]
	last := len(steps) == 1
	switch c := container.(type) {
	case map[string]any:
		if st.isIdx {
			return fmt.Errorf("ResultPath %s indexes into an object", p)
		}
		if last {
			c[st.name] = value
			return nil
		}
		child, ok := c[st.name]
		if !ok || !isContainer(child, steps[1]) {
			child = newContainer(steps[1])
			c[st.name] = child
		}
		return putSteps(child, steps[1:], value, p)
	case []any:
		if !st.isIdx || st.index >= len(c) {
			return fmt.Errorf("ResultPath %s does not match the run state", p)
		}
		if last {
			c[st.index] = value
			return nil
		}
		child := c[st.index]
		if !isContainer(child, steps[1]) {
			child = newContainer(steps[1])
			c[st.index] = child
		}
		return putSteps(child, steps[1:], value, p)
	}
	return fmt.Errorf("ResultPath %s does not match the run state", p)
}

func isContainer(v any, next refStep) bool {
	if next.isIdx {
		_, ok := v.([]any)
		return ok
	}
	_, ok := v.(map[string]any)
	return ok
}

func newContainer(next refStep) any {
	if next.isIdx {
		return []any{}
	}
	return map[string]any{}
}
