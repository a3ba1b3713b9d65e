// Package flows is the Flows service's flow store: documents, roles and listing. It is pure domain
// code (no net/http); the HTTP layer decodes requests into the inputs here and renders Documents.
//
// Roles (docs.globus.org "Globus Flows — Permissions"; reference flows-api.md §3, §12): flow_owner ⊃
// flow_administrators ⊃ flow_starters ⊃ flow_viewers, each including the ones below. "public" may
// be a viewer, "all_authenticated_users" a starter. The flow's run_managers and run_monitors see the
// flow too (user_roles flow_run_manager / flow_run_monitor). A caller who may not see a flow gets 404;
// a caller who sees it but lacks the operation's role gets 403.
package flows

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/listing"
)

// Flow is a stored flow.
type Flow struct {
	ID                     string         `json:"id"`
	Title                  string         `json:"title"`
	Subtitle               string         `json:"subtitle"`
	Description            string         `json:"description"`
	Keywords               []string       `json:"keywords"`
	Definition             map[string]any `json:"definition"`
	InputSchema            map[string]any `json:"input_schema"`
	Owner                  string         `json:"flow_owner"`
	CreatedBy              string         `json:"created_by"`
	Viewers                []string       `json:"flow_viewers"`
	Starters               []string       `json:"flow_starters"`
	Administrators         []string       `json:"flow_administrators"`
	RunManagers            []string       `json:"run_managers"`
	RunMonitors            []string       `json:"run_monitors"`
	SubscriptionID         string         `json:"subscription_id,omitempty"`
	AuthenticationPolicyID string         `json:"authentication_policy_id,omitempty"`
	CreatedAt              time.Time      `json:"created_at"`
	UpdatedAt              time.Time      `json:"updated_at"`
	DeletedAt              *time.Time     `json:"-"`

	enc *encoded // what every answer about the flow needs, worked out when the flow is stored
}

// Role is a caller's hierarchical role on a flow.
type Role int

// The hierarchical roles, weakest first.
const (
	NoRole Role = iota
	Viewer
	Starter
	Administrator
	Owner
)

var roleNames = map[Role]string{Viewer: "flow_viewer", Starter: "flow_starter", Administrator: "flow_administrator", Owner: "flow_owner"}

// Access is everything a caller holds on a flow.
type Access struct {
	Role       Role
	RunManager bool // listed in the flow's run_managers
	RunMonitor bool // listed in the flow's run_monitors
}

// CanView reports whether the flow is visible to the caller.
func (a Access) CanView() bool { return a.Role >= Viewer || a.RunManager || a.RunMonitor }

func anyIn(list []string, principals map[string]bool) bool {
	return slices.ContainsFunc(list, func(p string) bool { return principals[p] })
}

// AccessOf computes the caller's access to a flow.
func (f *Flow) AccessOf(c auth.Caller) Access { return f.accessFor(c.Principals()) }

// accessFor is AccessOf for principals worked out once (a listing asks for many flows).
func (f *Flow) accessFor(p map[string]bool) Access {
	var a Access
	switch {
	case p[f.Owner]:
		a.Role = Owner
	case anyIn(f.Administrators, p):
		a.Role = Administrator
	case slices.Contains(f.Starters, "all_authenticated_users") || anyIn(f.Starters, p):
		a.Role = Starter
	case slices.Contains(f.Viewers, "public") || anyIn(f.Viewers, p):
		a.Role = Viewer
	}
	a.RunManager = anyIn(f.RunManagers, p)
	a.RunMonitor = anyIn(f.RunMonitors, p)
	return a
}

// Store holds the flows. It is safe for concurrent use; documents are built from copies.
type Store struct {
	clock *clock.Clock
	dir   *auth.Directory

	mu      sync.RWMutex
	flows   map[string]*Flow
	deleted map[string]*Flow // tombstones: runs of a deleted flow still describe it
	byOwner *listing.Index[*Flow]
}

// NewStore returns an empty store.
func NewStore(c *clock.Clock, dir *auth.Directory) *Store {
	return &Store{clock: c, dir: dir, flows: map[string]*Flow{}, deleted: map[string]*Flow{}, byOwner: newOwnerIndex()}
}

// newOwnerIndex orders each owner's flows by the default listing order (updated_at DESC, id).
func newOwnerIndex() *listing.Index[*Flow] {
	return listing.NewIndex(func(a, b *Flow) int {
		if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	}, func(a, b *Flow) bool { return a.ID == b.ID })
}

// Restore replaces the content.
func (s *Store) Restore(flows []Flow) error {
	m := make(map[string]*Flow, len(flows))
	for i := range flows {
		f := cloneFlow(&flows[i])
		f.Definition, f.InputSchema = deepCopy(f.Definition), deepCopy(f.InputSchema) // the world stays the caller's
		f.encode()
		if !ids.IsUUID(f.ID) {
			return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "flow id %q is not a UUID", f.ID)
		}
		m[f.ID] = f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flows = m
	s.deleted = map[string]*Flow{}
	s.byOwner.Build(slices.Collect(maps.Values(m)), func(f *Flow) string { return f.Owner })
	return nil
}

// Snapshot returns every flow, sorted by id.
func (s *Store) Snapshot() []Flow {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Flow, 0, len(s.flows))
	for _, f := range s.flows {
		out = append(out, *cloneFlow(f))
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// cloneFlow copies a flow. The definition and input schema are shared: a stored flow's are never
// changed in place (an update replaces them with fresh copies), and readers that change them
// (render, for callers who may not see private parameters) copy them first.
func cloneFlow(f *Flow) *Flow {
	c := *f
	c.Keywords = slices.Clone(f.Keywords)
	c.Viewers = slices.Clone(f.Viewers)
	c.Starters = slices.Clone(f.Starters)
	c.Administrators = slices.Clone(f.Administrators)
	c.RunManagers = slices.Clone(f.RunManagers)
	c.RunMonitors = slices.Clone(f.RunMonitors)
	return &c
}

// deepCopy copies a decoded JSON object.
func deepCopy(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return engine.DeepCopy(m).(map[string]any)
}

// Fields is the writable part of a flow. For an update, nil pointers and nil maps mean "not given".
type Fields struct {
	Title                  *string
	Subtitle               *string
	Description            *string
	Keywords               *[]string
	Definition             map[string]any
	InputSchema            map[string]any
	Viewers                *[]string
	Starters               *[]string
	Administrators         *[]string
	RunManagers            *[]string
	RunMonitors            *[]string
	SubscriptionID         *string
	AuthenticationPolicyID *string
	Owner                  *string // update only
}

func notFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "No Flow exists with id value %s", id)
}

func forbidden(id, missing string) error {
	return apierr.New(apierr.Forbidden, "FORBIDDEN",
		"You do not have the necessary permissions to perform this action on the flow with id value %s. Missing permissions: %s.", id, missing)
}

// Create stores a new flow owned by the caller.
func (s *Store) Create(c auth.Caller, in Fields) (Document, error) {
	if in.Definition == nil {
		return Document{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{
			{Loc: []any{"definition"}, Msg: "field required", Type: "value_error.missing"}})
	}
	if in.Title == nil {
		return Document{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{
			{Loc: []any{"title"}, Msg: "field required", Type: "value_error.missing"}})
	}
	now := s.clock.Now()
	f := &Flow{
		ID: ids.UUID(), Owner: c.URN(), CreatedBy: c.URN(), CreatedAt: now, UpdatedAt: now,
		Keywords: []string{}, Viewers: []string{}, Starters: []string{}, Administrators: []string{},
		RunManagers: []string{}, RunMonitors: []string{}, InputSchema: map[string]any{},
	}
	if err := s.apply(c, f, in); err != nil {
		return Document{}, err
	}
	if err := s.checkHighAssurance(c, nil, f, in); err != nil {
		return Document{}, err
	}
	s.mu.Lock()
	s.flows[f.ID] = f
	s.byOwner.Add(f.Owner, f)
	doc := render(f, f.AccessOf(c), false)
	s.mu.Unlock()
	return doc, nil
}

// apply validates the given fields and writes them into f. It changes nothing on error.
func (s *Store) apply(c auth.Caller, f *Flow, in Fields) error {
	if err := checkFields(in); err != nil {
		return err
	}
	if in.SubscriptionID != nil && *in.SubscriptionID != "" && *in.SubscriptionID != "DEFAULT" {
		sub, ok := s.dir.Subscription(*in.SubscriptionID)
		if !ok {
			return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{
				{Loc: []any{"subscription_id"}, Msg: "No subscription exists with id value " + *in.SubscriptionID, Type: "value_error"}})
		}
		if sub.GroupID != "" && !slices.Contains(c.GroupIDs, sub.GroupID) {
			return apierr.New(apierr.Forbidden, "FORBIDDEN", "You are not a member of the subscription %s", sub.ID)
		}
	}

	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setList := func(dst *[]string, v *[]string) {
		if v != nil {
			*dst = slices.Clone(*v)
			if *dst == nil {
				*dst = []string{}
			}
		}
	}
	set(&f.Title, in.Title)
	set(&f.Subtitle, in.Subtitle)
	set(&f.Description, in.Description)
	setList(&f.Keywords, in.Keywords)
	setList(&f.Viewers, in.Viewers)
	setList(&f.Starters, in.Starters)
	setList(&f.Administrators, in.Administrators)
	setList(&f.RunManagers, in.RunManagers)
	setList(&f.RunMonitors, in.RunMonitors)
	if in.SubscriptionID != nil {
		f.SubscriptionID = *in.SubscriptionID
		if f.SubscriptionID == "DEFAULT" {
			// "DEFAULT" asks for the caller's default subscription; the mock has none to pick.
			f.SubscriptionID = ""
		}
	}
	if in.AuthenticationPolicyID != nil {
		f.AuthenticationPolicyID = *in.AuthenticationPolicyID
	}
	if in.Definition != nil {
		f.Definition = deepCopy(in.Definition)
	}
	if in.InputSchema != nil {
		f.InputSchema = deepCopy(in.InputSchema)
	}
	if in.Definition != nil || in.InputSchema != nil || f.enc == nil {
		f.encode()
	}
	return nil
}

// checkFields refuses the fields given that no flow may hold, whoever writes them.
func checkFields(in Fields) error {
	var errs []apierr.FieldError
	errs = append(errs, checkText("title", in.Title, 1, 128)...)
	errs = append(errs, checkText("subtitle", in.Subtitle, 0, 128)...)
	errs = append(errs, checkText("description", in.Description, 0, 4096)...)
	if in.Keywords != nil {
		total := 0
		for _, k := range *in.Keywords {
			total += len([]rune(k))
		}
		if total > 1024 {
			errs = append(errs, apierr.FieldError{Loc: []any{"keywords"}, Msg: "the total length of all keywords must be at most 1024 characters", Type: "value_error"})
		}
	}
	errs = append(errs, CheckPrincipals("flow_viewers", "FlowViewer", in.Viewers, auth.PublicPrincipal)...)
	errs = append(errs, CheckPrincipals("flow_starters", "FlowStarter", in.Starters, auth.AllAuthenticatedPrincipal)...)
	errs = append(errs, CheckPrincipals("flow_administrators", "FlowAdministrator", in.Administrators, auth.BadPrincipal)...)
	errs = append(errs, CheckPrincipals("run_managers", "RunManager", in.RunManagers, auth.BadPrincipal)...)
	errs = append(errs, CheckPrincipals("run_monitors", "RunMonitor", in.RunMonitors, auth.BadPrincipal)...)
	return checkDefinition(in.Definition, in.InputSchema, errs)
}

// Complete fills what a flow of a world may leave out as Create fills it: empty lists and input
// schema, the owner as its creator, now as created_at and created_at as updated_at.
func (f *Flow) Complete(now time.Time) {
	for _, l := range []*[]string{&f.Keywords, &f.Viewers, &f.Starters, &f.Administrators, &f.RunManagers, &f.RunMonitors} {
		if *l == nil {
			*l = []string{}
		}
	}
	if f.InputSchema == nil {
		f.InputSchema = map[string]any{}
	}
	if f.CreatedBy == "" {
		f.CreatedBy = f.Owner
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = now
	}
	if f.UpdatedAt.IsZero() {
		f.UpdatedAt = f.CreatedAt
	}
}

// Check reports what a flow of a world may not hold: what Create and Update refuse, no title or
// definition, and an owner or creator that is not an identity URN. Locations are the flow's.
func (f *Flow) Check() []apierr.FieldError {
	var errs []apierr.FieldError
	in := Fields{Subtitle: &f.Subtitle, Description: &f.Description, Keywords: &f.Keywords, Definition: f.Definition,
		InputSchema: f.InputSchema, Viewers: &f.Viewers, Starters: &f.Starters, Administrators: &f.Administrators,
		RunManagers: &f.RunManagers, RunMonitors: &f.RunMonitors}
	if f.Title == "" {
		errs = append(errs, apierr.Missing("title"))
	} else {
		in.Title = &f.Title
	}
	if f.Definition == nil {
		errs = append(errs, apierr.Missing("definition"))
	}
	who := []struct{ field, urn string }{{"flow_owner", f.Owner}}
	if f.CreatedBy != f.Owner {
		who = append(who, struct{ field, urn string }{"created_by", f.CreatedBy})
	}
	for _, who := range who {
		if kind, _ := auth.ParsePrincipal(who.urn); who.urn == "" {
			errs = append(errs, apierr.Missing(who.field))
		} else if kind != auth.IdentityPrincipal {
			errs = append(errs, apierr.Problem([]any{who.field}, "must be an identity URN (urn:globus:auth:identity:<id>)"))
		}
	}
	return append(errs, apierr.FieldsOf(nil, checkFields(in))...)
}

func checkText(field string, v *string, lo, hi int) []apierr.FieldError {
	if v == nil {
		return nil
	}
	n := len([]rune(*v))
	switch {
	case n < lo:
		return []apierr.FieldError{{Loc: []any{field}, Msg: sprintf("ensure this value has at least %d characters", lo),
			Type: "value_error.any_str.min_length", Ctx: map[string]any{"limit_value": lo}}}
	case n > hi:
		return []apierr.FieldError{{Loc: []any{field}, Msg: sprintf("ensure this value has at most %d characters", hi),
			Type: "value_error.any_str.max_length", Ctx: map[string]any{"limit_value": hi}}}
	}
	return nil
}

// MaxPrincipals is the most principals a role list may hold.
const MaxPrincipals = 16

// CheckPrincipals validates a role list: URNs of identities and groups (plus the role's special
// value), no duplicates, at most MaxPrincipals.
func CheckPrincipals(field, role string, v *[]string, special auth.PrincipalKind) []apierr.FieldError {
	if v == nil {
		return nil
	}
	var errs []apierr.FieldError
	if len(*v) > MaxPrincipals {
		errs = append(errs, apierr.FieldError{Loc: []any{field}, Msg: sprintf("ensure this value has at most %d items", MaxPrincipals),
			Type: "value_error.list.max_items", Ctx: map[string]any{"limit_value": MaxPrincipals}})
	}
	allowed := "[<AuthGroupUrn>, <AuthIdentityUrn>]"
	switch special {
	case auth.PublicPrincipal:
		allowed = `[<AuthGroupUrn>, <AuthIdentityUrn>, "public"]`
	case auth.AllAuthenticatedPrincipal:
		allowed = `[<AuthGroupUrn>, <AuthIdentityUrn>, "all_authenticated_users"]`
	}
	seen := map[string]bool{}
	for i, p := range *v {
		kind, _ := auth.ParsePrincipal(p)
		ok := kind == auth.IdentityPrincipal || kind == auth.GroupPrincipal || (kind == special && special != auth.BadPrincipal)
		if !ok {
			errs = append(errs, apierr.FieldError{Loc: []any{field, i},
				Msg:  sprintf("Unrecognized principal string: %q. Allowed principal types in role %q: %s", p, role, allowed),
				Type: "value_error"})
			continue
		}
		if seen[p] {
			errs = append(errs, apierr.FieldError{Loc: []any{field, i}, Msg: "the list has duplicated items", Type: "value_error.list.unique_items"})
		}
		seen[p] = true
	}
	return errs
}

// Get returns the flow as the caller may see it.
func (s *Store) Get(c auth.Caller, id string) (Document, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, a, err := s.visibleLocked(c, id, NoRole, "")
	if err != nil {
		return Document{}, err
	}
	if err := s.checkSession(c, f, viewerOf(f)); err != nil {
		return Document{}, err
	}
	return render(f, a, false), nil
}

// visibleLocked finds a flow the caller may see (404 otherwise, as for a missing one) and checks
// that the caller holds at least role for the operation (403 naming the missing permission).
func (s *Store) visibleLocked(c auth.Caller, id string, role Role, permission string) (*Flow, Access, error) {
	f, ok := s.flows[id]
	if !ok {
		return nil, Access{}, notFound(id)
	}
	a := f.AccessOf(c)
	if !a.CanView() {
		return nil, Access{}, notFound(id)
	}
	if a.Role < role {
		return nil, Access{}, forbidden(id, permission)
	}
	return f, a, nil
}

// Update changes the given fields. Administrators and the owner may update; an administrator may
// take ownership by setting flow_owner to their own identity URN (it cannot be given away).
func (s *Store) Update(c auth.Caller, id string, in Fields) (Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, _, err := s.visibleLocked(c, id, Administrator, "UPDATE")
	if err != nil {
		return Document{}, err
	}
	if err := s.sessionForUpdate(c, f, in); err != nil {
		return Document{}, err
	}
	if in.Owner != nil && *in.Owner != f.Owner {
		if !slices.ContainsFunc(c.IdentitySet, func(i auth.Identity) bool { return i.URN() == *in.Owner }) {
			return Document{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
				Loc: []any{"flow_owner"}, Msg: "flow_owner may only be set to the caller's own identity URN", Type: "value_error"}})
		}
	}
	next := cloneFlow(f)
	if err := s.apply(c, next, in); err != nil {
		return Document{}, err
	}
	if err := s.checkHighAssurance(c, f, next, in); err != nil {
		return Document{}, err
	}
	if in.Owner != nil {
		next.Owner = *in.Owner
	}
	next.UpdatedAt = s.clock.Now()
	s.flows[id] = next
	s.byOwner.Remove(f.Owner, f)
	s.byOwner.Add(next.Owner, next)
	return render(next, next.AccessOf(c), false), nil
}

// Delete removes a flow (owner or administrator) and returns its final document, marked DELETED.
func (s *Store) Delete(c auth.Caller, id string) (Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, a, err := s.visibleLocked(c, id, Administrator, "DELETE")
	if err != nil {
		return Document{}, err
	}
	if err := s.checkSession(c, f, viewerOf(f)); err != nil {
		return Document{}, err
	}
	delete(s.flows, id)
	s.byOwner.Remove(f.Owner, f)
	now := s.clock.Now()
	f.UpdatedAt = now
	f.DeletedAt = &now
	s.deleted[id] = f
	doc := render(f, a, false)
	doc.Deleted = true
	ts := Timestamp(now)
	doc.DeletedAt = &ts
	return doc, nil
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// Validate checks a definition and input schema as create would, and returns the scopes the
// definition needs by RunAs role (registered resolves the scopes of providers registered with the
// mock).
func Validate(definition, inputSchema map[string]any, registered func(actionURL string) (string, bool)) (map[string][]string, error) {
	if definition == nil {
		definition = map[string]any{}
	}
	if err := checkDefinition(definition, inputSchema, nil); err != nil {
		return nil, err
	}
	return engine.Scopes(definition, registered)
}

// checkDefinition adds the definition's and input schema's problems to the field problems found
// so far: schema-level ones are 422 UNPROCESSABLE_ENTITY, and only a definition free of them is
// analyzed (422 FLOW_VALIDATION_FAILED). Nil maps are "not given".
func checkDefinition(definition, inputSchema map[string]any, errs []apierr.FieldError) error {
	if definition != nil {
		errs = append(errs, engine.CheckStructure(definition)...)
	}
	if inputSchema != nil {
		if err := engine.CheckInputSchema(inputSchema); err != nil {
			errs = append(errs, apierr.FieldError{Loc: []any{"input_schema"}, Msg: err.Error(), Type: "value_error.jsonschema"})
		}
	}
	if len(errs) > 0 {
		return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
	}
	if definition != nil {
		if errs := engine.Analyze(definition); len(errs) > 0 {
			e := apierr.WithFields(apierr.Invalid, "FLOW_VALIDATION_FAILED", errs)
			e.Message = "This flow contains errors."
			return e
		}
	}
	return nil
}

// ForRun returns a copy of a flow the caller may start: 404 when the caller cannot see it, 403
// FORBIDDEN "Missing permissions: RUN" when the caller sees it but is not a starter.
func (s *Store) ForRun(c auth.Caller, id string) (Flow, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, _, err := s.visibleLocked(c, id, Starter, "RUN")
	if err != nil {
		return Flow{}, err
	}
	if err := s.checkSession(c, f, func(single auth.Caller) bool { return f.AccessOf(single).Role >= Starter }); err != nil {
		return Flow{}, err
	}
	return *f, nil // its lists and definition are shared: a stored flow's are never changed in place
}

// RunRoles returns the flow's run_managers and run_monitors (nothing once the flow is deleted).
func (s *Store) RunRoles(id string) (managers, monitors []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f, ok := s.flows[id]; ok {
		return f.RunManagers, f.RunMonitors
	}
	return nil, nil
}

// Described returns a copy of a flow, or of its tombstone once deleted (DeletedAt set).
func (s *Store) Described(id string) (Flow, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.flows[id]
	if !ok {
		f, ok = s.deleted[id]
	}
	if !ok {
		return Flow{}, false
	}
	return *cloneFlow(f), true
}

// SeesPrivate reports whether the caller sees the flow's private parameters (administrators).
func (s *Store) SeesPrivate(c auth.Caller, id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.flows[id]
	return ok && f.AccessOf(c).Role >= Administrator
}
