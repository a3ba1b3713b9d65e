package auth

import (
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// A world's Auth part (package world): what a hand-written world may leave out is filled as the
// control plane fills it, and what the control plane would refuse is refused, located in the
// world document.

// identityStatuses are the statuses Globus Auth gives identities.
var identityStatuses = []string{"used", "unused", "private", "closed"}

// groupRoles are the roles of a group's members.
var groupRoles = []string{"member", "manager", "admin"}

// Complete fills what AddIdentity, AddGroup and IssueToken fill: an identity's provider and
// status, a member's role, a token's issue time (now), expiry (the token lifetime later) and
// session.
// Every list it changes is a copy.
func (s *State) Complete(now time.Time) {
	s.Identities = slices.Clone(s.Identities)
	for i := range s.Identities {
		id := &s.Identities[i]
		if id.IdentityProvider == "" {
			id.IdentityProvider = ExampleIdentityProvider
		}
		if id.Status == "" {
			id.Status = "used"
		}
	}
	s.Groups = slices.Clone(s.Groups)
	for i := range s.Groups {
		g := &s.Groups[i]
		g.Members = slices.Clone(g.Members)
		if g.Members == nil {
			g.Members = []Member{}
		}
		for j := range g.Members {
			if g.Members[j].Role == "" {
				g.Members[j].Role = "member"
			}
		}
	}
	s.Consents = completeConsents(s.Consents, now)
	s.Providers = slices.Clone(s.Providers)
	for i := range s.Providers {
		s.Providers[i] = s.Providers[i].completed()
	}
	s.Tokens = slices.Clone(s.Tokens)
	for i := range s.Tokens {
		t := &s.Tokens[i]
		t.fill(now, s.lifetime())
		t.Authentications = slices.Clone(t.Authentications)
		for j := range t.Authentications {
			if t.Authentications[j].Time.IsZero() {
				t.Authentications[j].Time = t.IssuedAt
			}
		}
	}
}

// Check reports what the Auth part of a world may not hold: ids that are not UUIDs or appear
// twice, missing names and secrets, and references to identities, groups and clients it does not
// hold. Locations start at the world's list (identities[0].username).
func (s State) Check() []apierr.FieldError {
	var errs []apierr.FieldError
	bad := func(format string, loc ...any) {
		errs = append(errs, apierr.Problem(loc, "%s", format))
	}
	seen := map[string]bool{}
	// unique reports whether id is new among the ids of one kind.
	unique := func(kind, id string) bool {
		key := kind + " " + strings.ToLower(id)
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	uuid := func(id string, loc ...any) {
		switch {
		case id == "":
			errs = append(errs, apierr.Missing(loc...))
		case !ids.IsUUID(id):
			bad("must be a UUID", loc...)
		case !unique(loc[0].(string), id):
			bad("appears twice", loc...)
		}
	}
	if s.TokenLifetime < 0 || time.Duration(s.TokenLifetime)*time.Second > clock.MaxTokenLifetime {
		bad(sprintf("must be between 1 and %d seconds (10 years)", int64(clock.MaxTokenLifetime/time.Second)), "token_lifetime")
	}
	identities := map[string]bool{}
	for i, id := range s.Identities {
		uuid(id.ID, "identities", i, "id")
		identities[id.ID] = true
		switch {
		case id.Username == "":
			errs = append(errs, apierr.Missing("identities", i, "username"))
		case !strings.Contains(id.Username, "@"):
			bad("must look like name@domain", "identities", i, "username")
		case !unique("username", id.Username):
			bad("appears twice", "identities", i, "username")
		}
		if !ids.IsUUID(id.IdentityProvider) {
			bad("must be a UUID", "identities", i, "identity_provider")
		}
		if !slices.Contains(identityStatuses, id.Status) {
			bad("must be one of used, unused, private, closed", "identities", i, "status")
		}
	}
	clients := map[string]bool{}
	for i, c := range s.Clients {
		uuid(c.ID, "clients", i, "id")
		if identities[c.ID] {
			bad("is an identity's id too", "clients", i, "id")
		}
		if c.Secret == "" && !c.Native {
			errs = append(errs, apierr.Missing("clients", i, "secret"))
		}
		clients[c.ID] = true
	}
	for i, c := range s.Clients {
		if c.TemplateID != "" && !slices.ContainsFunc(s.Clients, func(t Client) bool { return t.ID == c.TemplateID && t.Native }) {
			bad("is not a native client of the world", "clients", i, "template_id")
		}
	}
	urls := map[string]bool{}
	for i, pr := range s.Providers {
		errs = append(errs, apierr.Within([]any{"providers", i}, pr.problems())...)
		switch {
		case identities[pr.ClientID] || clients[pr.ClientID]:
			bad("is an identity's or client's id too", "providers", i, "client_id")
		case urls[pr.URL]:
			bad("appears twice", "providers", i, "url")
		}
		clients[pr.ClientID], urls[pr.URL] = true, true
	}
	known := func(id string) bool { return identities[id] || clients[id] }
	for i, id := range s.Identities {
		if id.LinkedTo != "" && !identities[id.LinkedTo] {
			bad("is not an identity of the world", "identities", i, "linked_to")
		}
	}
	groups := map[string]bool{}
	for i, g := range s.Groups {
		uuid(g.ID, "groups", i, "id")
		groups[g.ID] = true
		if g.Name == "" {
			errs = append(errs, apierr.Missing("groups", i, "name"))
		}
		for j, m := range g.Members {
			if !known(m.IdentityID) {
				bad("is not an identity of the world", "groups", i, "members", j, "identity_id")
			}
			if !slices.Contains(groupRoles, m.Role) {
				bad("must be one of member, manager, admin", "groups", i, "members", j, "role")
			}
		}
	}
	for i, sub := range s.Subscriptions {
		uuid(sub.ID, "subscriptions", i, "id")
		if sub.GroupID != "" && !groups[sub.GroupID] {
			bad("is not a group of the world", "subscriptions", i, "group_id")
		}
	}
	for i, t := range s.Tokens {
		switch {
		case t.Token == "":
			errs = append(errs, apierr.Missing("tokens", i, "token"))
		case !unique("token", t.Token):
			bad("appears twice", "tokens", i, "token")
		}
		if !known(t.IdentityID) {
			bad("is not an identity of the world", "tokens", i, "identity_id")
		}
		if t.ClientID != "" && !clients[t.ClientID] {
			bad("is not a client of the world", "tokens", i, "client_id")
		}
		if t.ExpiresAt.Before(t.IssuedAt) {
			bad("is before issued_at", "tokens", i, "expires_at")
		}
		for j, a := range t.Authentications {
			if !known(a.IdentityID) {
				bad("is not an identity of the world", "tokens", i, "authentications", j, "identity_id")
			}
		}
	}
	errs = append(errs, checkConsents(s.Consents, identities)...)
	for i, p := range s.Projects {
		uuid(p.ID, "projects", i, "id")
		if p.DisplayName == "" {
			errs = append(errs, apierr.Missing("projects", i, "display_name"))
		}
		if len(p.AdminIDs) == 0 && len(p.AdminGroupIDs) == 0 {
			bad("a project needs admin_ids or admin_group_ids", "projects", i)
		}
		for j, admin := range p.AdminIDs {
			if !known(admin) {
				bad("is not an identity of the world", "projects", i, "admin_ids", j)
			}
		}
		for j, g := range p.AdminGroupIDs {
			if !groups[g] {
				bad("is not a group of the world", "projects", i, "admin_group_ids", j)
			}
		}
	}
	for i, p := range s.Policies {
		uuid(p.ID, "policies", i, "id")
		if !ids.IsUUID(p.ProjectID) {
			bad("must be a UUID", "policies", i, "project_id")
		}
		errs = append(errs, apierr.FieldsOf([]any{"policies", i, "authentication_assurance_timeout"}, CheckTimeout(p.AuthenticationAssurance))...)
		if p.RequiredMFA && !p.HighAssurance {
			bad("is only for high-assurance policies", "policies", i, "required_mfa")
		}
		for j, admin := range p.Admins {
			if !known(admin) {
				bad("is not an identity of the world", "policies", i, "project_admins", j)
			}
		}
	}
	return errs
}
