package openapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// A segment router over the path templates of every described service: requests are matched by
// splitting the path once and comparing segments, literal segments before parameters, so the
// routing costs no regular expressions (it was a fifth of a simple GET).

type template struct {
	service  Service
	doc      *openapi3.T
	path     string
	item     *openapi3.PathItem
	segments []string // "" stands for a parameter
	params   []string // parameter names by segment ("" for literals)
	// routes and checked are each method's route, and its route for request validation.
	routes, checked map[string]*routers.Route
}

type router struct {
	bySize map[int][]*template // by number of segments, most specific first
}

func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

func (rt *router) add(svc Service, doc *openapi3.T) {
	for path, item := range doc.Paths.Map() {
		t := &template{service: svc, doc: doc, path: path, item: item, routes: map[string]*routers.Route{}, checked: map[string]*routers.Route{}}
		for method, op := range item.Operations() {
			t.routes[method] = &routers.Route{Spec: doc, Server: doc.Servers[0], Path: path, PathItem: item, Method: method, Operation: op}
			unsecured := *op
			unsecured.Security = &openapi3.SecurityRequirements{}
			checked := *t.routes[method]
			checked.Operation = &unsecured
			t.checked[method] = &checked
		}
		for _, seg := range splitPath(path) {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				t.segments, t.params = append(t.segments, ""), append(t.params, seg[1:len(seg)-1])
			} else {
				t.segments, t.params = append(t.segments, seg), append(t.params, "")
			}
		}
		list := append(rt.bySize[len(t.segments)], t)
		// Literal segments win over parameters, from the left.
		slices.SortStableFunc(list, func(a, b *template) int {
			for i := range a.segments {
				if al, bl := a.segments[i] != "", b.segments[i] != ""; al != bl {
					if al {
						return -1
					}
					return 1
				}
			}
			return strings.Compare(a.path, b.path)
		})
		rt.bySize[len(t.segments)] = list
	}
}

// find matches a request: the operation, or ErrMethodNotAllowed when a path matches without the
// method, or ErrNoRoute.
func (rt *router) find(r *http.Request) (*Route, error) {
	segs := splitPath(r.URL.Path)
	pathMatched := false
	for _, t := range rt.bySize[len(segs)] {
		if !t.matches(segs) {
			continue
		}
		pathMatched = true
		kin := t.routes[r.Method]
		if kin == nil {
			continue
		}
		params := map[string]string{}
		for i, name := range t.params {
			if name != "" {
				params[name] = segs[i]
			}
		}
		return &Route{Service: t.service, OperationID: kin.Operation.OperationID, Params: params, route: kin, checked: t.checked[r.Method]}, nil
	}
	if pathMatched {
		return nil, ErrMethodNotAllowed
	}
	return nil, ErrNoRoute
}

// methods lists the methods described for a path, whichever templates it matches.
func (rt *router) methods(path string) []string {
	segs := splitPath(path)
	var out []string
	for _, t := range rt.bySize[len(segs)] {
		if t.matches(segs) {
			for m := range t.routes {
				out = append(out, m)
			}
		}
	}
	return out
}

func (t *template) matches(segs []string) bool {
	for i, s := range t.segments {
		if s == "" {
			if segs[i] == "" {
				return false
			}
		} else if s != segs[i] {
			return false
		}
	}
	return true
}
