package flows

import (
	"cmp"
	"slices"
	"strings"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/listing"
)

// Query is a GET /flows query. Its JSON form is what the pagination marker carries, so a marker
// alone reproduces the query it came from.
type Query struct {
	Roles       []string `json:"roles,omitempty"`       // filter_roles: any of
	Role        string   `json:"role,omitempty"`        // filter_role (deprecated): this role or stronger
	Title       []string `json:"title,omitempty"`       // filter_title
	Subtitle    []string `json:"subtitle,omitempty"`    // filter_subtitle
	Description []string `json:"description,omitempty"` // filter_description
	Keywords    []string `json:"keywords,omitempty"`    // filter_keywords
	ScopeString []string `json:"scope,omitempty"`       // filter_scope_string
	Fulltext    []string `json:"fulltext,omitempty"`    // filter_fulltext
	OrderBy     []string `json:"orderby,omitempty"`     // "field ASC|DESC" criteria
	PerPage     int      `json:"per_page,omitempty"`
	Offset      int      `json:"offset,omitempty"`
}

// Page is one page of a listing.
type Page struct {
	Flows       []Document
	Limit       int
	HasNextPage bool
	Marker      string
}

// roleFilters maps each accepted filter_roles spelling (singular as the SDK and CLI send, plural
// as the OpenAPI enum lists) to a predicate on the caller's access.
var roleFilters = map[string]func(Access) bool{
	"flow_owner":          func(a Access) bool { return a.Role == Owner },
	"flow_administrator":  func(a Access) bool { return a.Role >= Administrator },
	"flow_administrators": func(a Access) bool { return a.Role >= Administrator },
	"flow_starter":        func(a Access) bool { return a.Role >= Starter },
	"flow_starters":       func(a Access) bool { return a.Role >= Starter },
	"flow_viewer":         func(a Access) bool { return a.Role >= Viewer },
	"flow_viewers":        func(a Access) bool { return a.Role >= Viewer },
	"run_manager":         func(a Access) bool { return a.RunManager },
	"run_managers":        func(a Access) bool { return a.RunManager },
	"run_monitor":         func(a Access) bool { return a.RunMonitor },
	"run_monitors":        func(a Access) bool { return a.RunMonitor },
}

// hit is a listed flow and the caller's access to it.
type hit struct {
	f *Flow
	a Access
}

var orderFields = map[string]func(a, b hit) int{
	"id":                  func(a, b hit) int { return cmp.Compare(a.f.ID, b.f.ID) },
	"scope_string":        func(a, b hit) int { return cmp.Compare(a.f.ID, b.f.ID) }, // the scope string embeds the id
	"flow_owner":          func(a, b hit) int { return cmp.Compare(a.f.Owner, b.f.Owner) },
	"flow_administrators": func(a, b hit) int { return slices.Compare(a.f.Administrators, b.f.Administrators) },
	"title":               func(a, b hit) int { return cmp.Compare(strings.ToLower(a.f.Title), strings.ToLower(b.f.Title)) },
	"created_at":          func(a, b hit) int { return a.f.CreatedAt.Compare(b.f.CreatedAt) },
	"updated_at":          func(a, b hit) int { return a.f.UpdatedAt.Compare(b.f.UpdatedAt) },
}

// DefaultOrder is used when no orderby is given (the CLI's default, most recently updated first).
var DefaultOrder = []string{"updated_at DESC"}

// DecodeMarker reads the query a marker encodes.
func DecodeMarker(m string) (Query, error) {
	var q Query
	if err := listing.DecodeMarker(m, &q); err != nil {
		return Query{}, err
	}
	if q.Offset < 0 {
		return Query{}, listing.BadQuery("Invalid marker %q", m)
	}
	return q, nil
}

// List returns a page of the flows the query selects among those the caller may see. Without
// role filters only the caller's own flows are listed (the documented default).
func (s *Store) List(c auth.Caller, q Query) (Page, error) {
	for _, r := range q.Roles {
		if _, ok := roleFilters[r]; !ok {
			return Page{}, listing.BadQuery("Invalid filter_roles value %q", r)
		}
	}
	if q.Role != "" {
		if _, ok := roleFilters[q.Role]; !ok {
			return Page{}, listing.BadQuery("Invalid filter_role value %q", q.Role)
		}
	}
	if _, err := listing.ParseOrder(q.OrderBy, DefaultOrder, orderFields); err != nil {
		return Page{}, err
	}
	var err error
	if q.PerPage, err = listing.PerPage(q.PerPage); err != nil {
		return Page{}, err
	}
	roles := q.Roles
	if q.Role != "" {
		roles = append(slices.Clone(roles), q.Role)
	}
	if len(roles) == 0 {
		roles = []string{"flow_owner"}
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if p, ok := s.ownFlowsLocked(c, q, roles); ok {
		return p, nil
	}
	return s.scanList(c, q, roles)
}

// scanList answers any listing by looking at every flow.
func (s *Store) scanList(c auth.Caller, q Query, roles []string) (Page, error) {
	orders, err := listing.ParseOrder(q.OrderBy, DefaultOrder, orderFields)
	if err != nil {
		return Page{}, err
	}
	var hits []hit
	principals := c.Principals()
	for _, f := range s.flows {
		a := f.accessFor(principals)
		if !a.CanView() || !slices.ContainsFunc(roles, func(r string) bool { return roleFilters[r](a) }) {
			continue
		}
		if len(q.Title) > 0 && !listing.ContainsAny(q.Title, f.Title) ||
			len(q.Subtitle) > 0 && !listing.ContainsAny(q.Subtitle, f.Subtitle) ||
			len(q.Description) > 0 && !listing.ContainsAny(q.Description, f.Description) ||
			len(q.Keywords) > 0 && !listing.ContainsAny(q.Keywords, f.Keywords...) ||
			len(q.ScopeString) > 0 && !listing.ContainsAny(q.ScopeString, auth.FlowScope(f.ID)) ||
			len(q.Fulltext) > 0 && !listing.ContainsAny(q.Fulltext, append([]string{f.Title, f.Subtitle, f.Owner, f.Description, f.ID}, f.Administrators...)...) {
			continue
		}
		hits = append(hits, hit{f, a})
	}
	listing.Sort(hits, orders, func(h hit) string { return h.f.ID })
	win := listing.Slice(len(hits), q.Offset, q.PerPage)
	p := Page{Flows: make([]Document, 0, win.End-win.Start), Limit: q.PerPage}
	for _, h := range hits[win.Start:win.End] {
		p.Flows = append(p.Flows, render(h.f, h.a, true))
	}
	if win.More {
		next := q
		next.Offset = win.End
		p.HasNextPage, p.Marker = true, listing.EncodeMarker(next)
	}
	return p, nil
}

// ownFlowsLocked answers the default listing (the caller's own flows, default order, no text
// filter) from the owner index; ok is false for any other query, or for a caller who owns flows
// under several identities.
func (s *Store) ownFlowsLocked(c auth.Caller, q Query, roles []string) (Page, bool) {
	if !slices.Equal(roles, []string{"flow_owner"}) || q.Role != "" || (len(q.OrderBy) > 0 && !slices.Equal(q.OrderBy, DefaultOrder)) ||
		len(q.Title)+len(q.Subtitle)+len(q.Description)+len(q.Keywords)+len(q.ScopeString)+len(q.Fulltext) > 0 {
		return Page{}, false
	}
	owner, principals := "", c.Principals()
	for p := range principals {
		if strings.HasPrefix(p, auth.IdentityURNPrefix) && s.byOwner.Len(p) > 0 {
			if owner != "" {
				return Page{}, false
			}
			owner = p
		}
	}
	win := listing.Slice(s.byOwner.Len(owner), q.Offset, q.PerPage)
	p := Page{Flows: make([]Document, 0, win.End-win.Start), Limit: q.PerPage}
	for _, f := range s.byOwner.Page(owner, win.Start, win.End-win.Start) {
		p.Flows = append(p.Flows, render(f, f.accessFor(principals), true))
	}
	if win.More {
		next := q
		next.Offset = win.End
		p.HasNextPage, p.Marker = true, listing.EncodeMarker(next)
	}
	return p, true
}
