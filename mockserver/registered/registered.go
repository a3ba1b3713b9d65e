// Package registered is the Flows service's registered APIs (reference flows-api.md §9, §16.11):
// OpenAPI operations registered for flows to call, with owner, administrator and viewer roles.
// Owners include administrators, who include viewers; the creator is an owner; a caller with no
// role gets 404; creation needs a subscription whose group holds the caller.
package registered

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/listing"
)

// Target is the registered operation and where to call it.
type Target struct {
	Type           string         `json:"type"`
	OpenAPIVersion string         `json:"openapi_version"`
	Destination    Destination    `json:"destination"`
	Specification  map[string]any `json:"specification"`
	Components     map[string]any `json:"components,omitempty"`
	// Transforms are kept as given: Flows shows the field, null when none were given.
	Transforms any `json:"transforms"`
}

// Destination is the method and URL of the registered operation.
type Destination struct {
	Method string `json:"method"`
	URL    string `json:"url"`
}

// Roles are the principal URN lists of a registered API.
type Roles struct {
	Owners         []string `json:"owners"`
	Administrators []string `json:"administrators"`
	Viewers        []string `json:"viewers"`
}

// API is a stored registered API.
type API struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Target         Target    `json:"target"`
	Roles          Roles     `json:"roles"`
	SubscriptionID string    `json:"subscription_id"`
	Created        time.Time `json:"created_timestamp"`
	Updated        time.Time `json:"updated_timestamp"`
	// Edited is when a caller last changed the API (null until then).
	Edited *time.Time `json:"edited_timestamp,omitempty"`
}

// Role is a caller's role on an API.
type Role int

// The roles, weakest first.
const (
	None Role = iota
	Viewer
	Administrator
	Owner
)

var roleNames = map[string]Role{"viewer": Viewer, "administrator": Administrator, "owner": Owner}

func anyIn(list []string, p map[string]bool) bool {
	return slices.ContainsFunc(list, func(u string) bool { return p[u] })
}

func (a *API) roleOf(c auth.Caller) Role {
	p := c.Principals()
	switch {
	case anyIn(a.Roles.Owners, p):
		return Owner
	case anyIn(a.Roles.Administrators, p):
		return Administrator
	case anyIn(a.Roles.Viewers, p):
		return Viewer
	}
	return None
}

// Store holds the registered APIs; safe for concurrent use.
type Store struct {
	clock *clock.Clock
	dir   *auth.Directory

	mu   sync.RWMutex
	apis map[string]*API
}

// NewStore returns an empty store.
func NewStore(c *clock.Clock, dir *auth.Directory) *Store {
	return &Store{clock: c, dir: dir, apis: map[string]*API{}}
}

func notFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "No Registered API exists with id value %s", id)
}

// Input is a create or patch body; nil means "not given".
type Input struct {
	Name           *string     `json:"name"`
	Description    *string     `json:"description"`
	Target         *Target     `json:"target"`
	Roles          *RolesInput `json:"roles"`
	SubscriptionID *string     `json:"subscription_id"`
}

// RolesInput is the roles of a create or patch body; nil means "not given".
type RolesInput struct {
	Owners         *[]string `json:"owners"`
	Administrators *[]string `json:"administrators"`
	Viewers        *[]string `json:"viewers"`
}

// methods are those a stored API can show: the request schema allows every HTTP method, the
// document only these, so the others are refused rather than stored.
var methods = []string{"get", "post", "put", "patch", "delete"}

func invalid(field, msg string) error {
	return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{Loc: []any{field}, Msg: msg, Type: "value_error"}})
}

// apply validates an input against an API and writes it; nothing changes on error.
func (s *Store) apply(c auth.Caller, a *API, in Input, creating bool) error {
	if in.Name != nil {
		if n := len([]rune(*in.Name)); n < 1 || n > 128 {
			return invalid("name", "the name must have 1 to 128 characters")
		}
		a.Name = *in.Name
	}
	if in.Description != nil {
		a.Description = *in.Description
	}
	if in.Target != nil {
		t := *in.Target
		t.Destination.Method = strings.ToLower(t.Destination.Method)
		if err := checkTarget(t); err != nil {
			return err
		}
		a.Target = t
	}
	if in.Roles != nil {
		for _, l := range []struct {
			name string
			in   *[]string
			dst  *[]string
		}{{"owners", in.Roles.Owners, &a.Roles.Owners}, {"administrators", in.Roles.Administrators, &a.Roles.Administrators},
			{"viewers", in.Roles.Viewers, &a.Roles.Viewers}} {
			if l.in == nil {
				continue
			}
			if err := checkRoleList(l.name, *l.in); err != nil {
				return err
			}
			*l.dst = slices.Clone(*l.in)
		}
	}
	if in.SubscriptionID != nil {
		sub, ok := s.dir.Subscription(*in.SubscriptionID)
		if !ok {
			return invalid("subscription_id", "No subscription exists with id value "+*in.SubscriptionID)
		}
		if sub.GroupID != "" && !slices.Contains(c.GroupIDs, sub.GroupID) {
			return apierr.New(apierr.Forbidden, "FORBIDDEN", "Creating a Registered API needs a subscription you belong to; you are not a member of %s", sub.ID)
		}
		a.SubscriptionID = sub.ID
	}
	if creating && (a.Name == "" || a.Target.Type == "" || a.SubscriptionID == "") {
		return invalid("subscription_id", "name, target and subscription_id are required: Registered API creation requires a subscription")
	}
	return nil
}

// checkTarget refuses a target no stored API may hold (its method already in lower case).
func checkTarget(t Target) error {
	switch {
	case t.Type != "openapi":
		return invalid("target", `target.type must be "openapi"`)
	case !slices.Contains(methods, t.Destination.Method):
		return invalid("target", "target.destination.method must be one of get, post, put, patch, delete")
	case !strings.HasPrefix(t.Destination.URL, "https://") && !strings.HasPrefix(t.Destination.URL, "http://"):
		return invalid("target", "target.destination.url must be an http(s) URL")
	case t.Specification == nil:
		return invalid("target", "target.specification is required")
	}
	return nil
}

// checkRoleList refuses a role list holding anything but identity and group URNs.
func checkRoleList(name string, list []string) error {
	for _, p := range list {
		if kind, _ := auth.ParsePrincipal(p); kind != auth.IdentityPrincipal && kind != auth.GroupPrincipal {
			return invalid("roles", "roles."+name+": "+p+" is not an identity or group URN")
		}
	}
	return nil
}

func clone(a *API) *API {
	c := *a
	c.Roles = Roles{Owners: slices.Clone(a.Roles.Owners), Administrators: slices.Clone(a.Roles.Administrators), Viewers: slices.Clone(a.Roles.Viewers)}
	return &c
}

// Create registers an API; the caller becomes an owner.
func (s *Store) Create(c auth.Caller, in Input) (API, error) {
	now := s.clock.Now()
	a := &API{ID: ids.UUID(), Created: now, Updated: now, Roles: Roles{Owners: []string{}, Administrators: []string{}, Viewers: []string{}}}
	if err := s.apply(c, a, in, true); err != nil {
		return API{}, err
	}
	if !slices.Contains(a.Roles.Owners, c.URN()) {
		a.Roles.Owners = append(a.Roles.Owners, c.URN())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apis[a.ID] = a
	return *clone(a), nil
}

// visibleLocked finds an API the caller may see and checks the role an operation needs.
func (s *Store) visibleLocked(c auth.Caller, id string, need Role, what, to string) (*API, error) {
	a, ok := s.apis[id]
	if !ok || a.roleOf(c) == None {
		return nil, notFound(id)
	}
	if a.roleOf(c) < need {
		return nil, mustBe(what, to)
	}
	return a, nil
}

func mustBe(what, to string) error {
	return apierr.New(apierr.Forbidden, "FORBIDDEN", "Caller must be %s of this registered API to %s", what, to)
}

// checkRoleChange applies the role table to a patch's role lists: only owners change the owners
// and the administrators (administrators change the rest and the viewers), so an administrator
// cannot take ownership; a list repeated unchanged is no change. The owners may never become
// empty: an API keeps an owner to manage and delete it.
func checkRoleChange(role Role, a *API, in Input) error {
	if in.Roles == nil {
		return nil
	}
	changes := func(given *[]string, cur []string) bool {
		return given != nil && !sameSet(*given, cur)
	}
	if role < Owner && (changes(in.Roles.Owners, a.Roles.Owners) || changes(in.Roles.Administrators, a.Roles.Administrators)) {
		return mustBe("an owner", "change its owners or administrators")
	}
	if in.Roles.Owners != nil && len(*in.Roles.Owners) == 0 {
		return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{Loc: []any{"roles", "owners"},
			Msg: "a registered API needs at least one owner: the last owner cannot be removed", Type: "value_error"}})
	}
	return nil
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(p string) bool { return !slices.Contains(b, p) }) &&
		!slices.ContainsFunc(b, func(p string) bool { return !slices.Contains(a, p) })
}

// Get returns an API the caller has a role on.
func (s *Store) Get(c auth.Caller, id string) (API, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.visibleLocked(c, id, Viewer, "", "")
	if err != nil {
		return API{}, err
	}
	return *clone(a), nil
}

// Update changes an API; administrators and owners may, as checkRoleChange allows.
func (s *Store) Update(c auth.Caller, id string, in Input) (API, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.visibleLocked(c, id, Administrator, "an administrator or an owner", "update")
	if err != nil {
		return API{}, err
	}
	if err := checkRoleChange(a.roleOf(c), a, in); err != nil {
		return API{}, err
	}
	next := clone(a)
	if err := s.apply(c, next, in, false); err != nil {
		return API{}, err
	}
	now := s.clock.Now()
	next.Updated, next.Edited = now, &now
	s.apis[id] = next
	return *clone(next), nil
}

// Delete removes an API; owners only.
func (s *Store) Delete(c auth.Caller, id string) (API, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.visibleLocked(c, id, Owner, "an owner", "delete")
	if err != nil {
		return API{}, err
	}
	delete(s.apis, id)
	return *clone(a), nil
}

// Query is a listing query; its JSON form is the marker.
type Query struct {
	Roles   []string `json:"roles,omitempty"`
	OrderBy []string `json:"orderby,omitempty"`
	PerPage int      `json:"per_page,omitempty"`
	Offset  int      `json:"offset,omitempty"`
}

var orderFields = map[string]func(a, b *API) int{
	"id":                func(a, b *API) int { return cmp.Compare(a.ID, b.ID) },
	"name":              func(a, b *API) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) },
	"created_timestamp": func(a, b *API) int { return a.Created.Compare(b.Created) },
	"updated_timestamp": func(a, b *API) int { return a.Updated.Compare(b.Updated) },
}

// Page is a page of APIs.
type Page struct {
	APIs        []API
	Limit       int
	HasNextPage bool
	Marker      string
}

// List returns the APIs on which the caller holds any of the roles; roles are cumulative, and
// without any only the owned ones are listed (the documented default).
func (s *Store) List(c auth.Caller, q Query) (Page, error) {
	least := Owner
	for _, r := range q.Roles {
		role, ok := roleNames[r]
		if !ok {
			return Page{}, listing.BadQuery("Invalid filter_roles value %q: expected owner, administrator or viewer", r)
		}
		least = min(least, role)
	}
	orders, err := listing.ParseOrder(q.OrderBy, []string{"created_timestamp DESC"}, orderFields)
	if err != nil {
		return Page{}, err
	}
	if q.PerPage, err = listing.PerPage(q.PerPage); err != nil {
		return Page{}, err
	}
	s.mu.RLock()
	var hits []*API
	for _, a := range s.apis {
		role := a.roleOf(c)
		if role != None && role >= least {
			hits = append(hits, clone(a))
		}
	}
	s.mu.RUnlock()
	listing.Sort(hits, orders, func(a *API) string { return a.ID })
	win := listing.Slice(len(hits), q.Offset, q.PerPage)
	p := Page{Limit: q.PerPage, APIs: []API{}}
	for _, a := range hits[win.Start:win.End] {
		p.APIs = append(p.APIs, *a)
	}
	if win.More {
		next := q
		next.Offset = win.End
		p.HasNextPage, p.Marker = true, listing.EncodeMarker(next)
	}
	return p, nil
}

func idOf(a *API) string { return a.ID }

func copyOf(a *API) API { return *clone(a) }

// Restore replaces the content.
func (s *Store) Restore(list []API) {
	m := ids.Index(list, idOf, copyOf)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apis = m
}

// Snapshot returns every API sorted by id.
func (s *Store) Snapshot() []API {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return ids.Sorted(s.apis, idOf, copyOf)
}
