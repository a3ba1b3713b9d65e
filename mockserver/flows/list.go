package flows

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
)

// Page sizes of GET /flows: default 20 as in every recorded listing, at most 50 (the legacy
// clients' documented maximum; reference flows-api.md §16.4).
const (
	DefaultPerPage = 20
	MaxPerPage     = 50
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

func badQuery(format string, args ...any) error {
	return apierr.New(apierr.BadRequest, "BAD_REQUEST", format, args...)
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

type order struct {
	field string
	desc  bool
}

var orderFields = map[string]func(a, b *Flow) int{
	"id":                  func(a, b *Flow) int { return cmp.Compare(a.ID, b.ID) },
	"scope_string":        func(a, b *Flow) int { return cmp.Compare(a.ID, b.ID) }, // the scope string embeds the id
	"flow_owner":          func(a, b *Flow) int { return cmp.Compare(a.Owner, b.Owner) },
	"flow_administrators": func(a, b *Flow) int { return slices.Compare(a.Administrators, b.Administrators) },
	"title":               func(a, b *Flow) int { return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) },
	"created_at":          func(a, b *Flow) int { return a.CreatedAt.Compare(b.CreatedAt) },
	"updated_at":          func(a, b *Flow) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
}

// DefaultOrder is used when no orderby is given (the CLI's default, most recently updated first).
var DefaultOrder = []string{"updated_at DESC"}

func parseOrder(criteria []string) ([]order, error) {
	if len(criteria) == 0 {
		criteria = DefaultOrder
	}
	var out []order
	for _, c := range criteria {
		f := strings.Fields(c)
		if len(f) == 0 || len(f) > 2 {
			return nil, badQuery("Invalid orderby criterion %q: expected \"FIELD ASC\" or \"FIELD DESC\"", c)
		}
		if _, ok := orderFields[f[0]]; !ok {
			return nil, badQuery("Invalid orderby field %q: supported fields are id, scope_string, flow_owner, flow_administrators, title, created_at, updated_at", f[0])
		}
		o := order{field: f[0]}
		if len(f) == 2 {
			switch strings.ToUpper(f[1]) {
			case "ASC":
			case "DESC":
				o.desc = true
			default:
				return nil, badQuery("Invalid orderby ordering %q: expected ASC or DESC", f[1])
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// EncodeMarker and DecodeMarker turn a query into the opaque marker and back.
func EncodeMarker(q Query) string {
	b, _ := json.Marshal(q)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeMarker parses a marker; a marker that was not made by EncodeMarker is a bad request.
func DecodeMarker(m string) (Query, error) {
	var q Query
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil || json.Unmarshal(b, &q) != nil || q.Offset < 0 {
		return Query{}, badQuery("Invalid marker %q", m)
	}
	return q, nil
}

// matchesAny reports whether any needle is a case-insensitive substring of any haystack.
func matchesAny(needles []string, haystacks ...string) bool {
	for _, n := range needles {
		n = strings.ToLower(n)
		for _, h := range haystacks {
			if strings.Contains(strings.ToLower(h), n) {
				return true
			}
		}
	}
	return false
}

// List returns a page of the flows the query selects among those the caller may see. Without
// role filters only the caller's own flows are listed (the documented default).
func (s *Store) List(c auth.Caller, q Query) (Page, error) {
	for _, r := range q.Roles {
		if _, ok := roleFilters[r]; !ok {
			return Page{}, badQuery("Invalid filter_roles value %q", r)
		}
	}
	if q.Role != "" {
		if _, ok := roleFilters[q.Role]; !ok {
			return Page{}, badQuery("Invalid filter_role value %q", q.Role)
		}
	}
	orders, err := parseOrder(q.OrderBy)
	if err != nil {
		return Page{}, err
	}
	if q.PerPage == 0 {
		q.PerPage = DefaultPerPage
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		return Page{}, badQuery("per_page must be between 1 and %d", MaxPerPage)
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
	type hit struct {
		f *Flow
		a Access
	}
	var hits []hit
	for _, f := range s.flows {
		a := f.AccessOf(c)
		if !a.CanView() || !slices.ContainsFunc(roles, func(r string) bool { return roleFilters[r](a) }) {
			continue
		}
		if len(q.Title) > 0 && !matchesAny(q.Title, f.Title) ||
			len(q.Subtitle) > 0 && !matchesAny(q.Subtitle, f.Subtitle) ||
			len(q.Description) > 0 && !matchesAny(q.Description, f.Description) ||
			len(q.Keywords) > 0 && !matchesAny(q.Keywords, f.Keywords...) ||
			len(q.ScopeString) > 0 && !matchesAny(q.ScopeString, auth.FlowScope(f.ID)) ||
			len(q.Fulltext) > 0 && !matchesAny(q.Fulltext, append([]string{f.Title, f.Subtitle, f.Owner, f.Description, f.ID}, f.Administrators...)...) {
			continue
		}
		hits = append(hits, hit{f, a})
	}
	slices.SortFunc(hits, func(x, y hit) int {
		for _, o := range orders {
			c := orderFields[o.field](x.f, y.f)
			if o.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(x.f.ID, y.f.ID)
	})
	start := min(q.Offset, len(hits))
	end := min(start+q.PerPage, len(hits))
	p := Page{Flows: make([]Document, 0, end-start), Limit: q.PerPage}
	for _, h := range hits[start:end] {
		p.Flows = append(p.Flows, render(h.f, h.a, true))
	}
	if end < len(hits) {
		next := q
		next.Offset = end
		p.HasNextPage, p.Marker = true, EncodeMarker(next)
	}
	return p, nil
}
