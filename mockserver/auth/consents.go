package auth

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Consent is one node of an identity's consent forest, as Globus Auth's consents API shows it:
// the identity let a client use a scope, under the consents of its dependency path (the ids
// from the root consent down to this one). A root's client is the client the user logged in
// to; a dependent consent's client is the resource server of the scope above it, which is the
// one that uses the dependent scope.
type Consent struct {
	ID                  int64     `json:"id"`
	ClientID            string    `json:"client"`
	ScopeName           string    `json:"scope_name"`
	IdentityID          string    `json:"effective_identity"`
	DependencyPath      []int64   `json:"dependency_path"`
	Created             time.Time `json:"created"`
	Updated             time.Time `json:"updated"`
	LastUsed            time.Time `json:"last_used"`
	Status              string    `json:"status"`
	AllowsRefresh       bool      `json:"allows_refresh"`
	AutoApproved        bool      `json:"auto_approved"`
	AtomicallyRevocable bool      `json:"atomically_revocable"`
}

// ScopeID is the id Globus Auth shows for a scope: stable for the scope's name.
func ScopeID(scope string) string { return ids.NameUUID("scope " + scope) }

// Grant asks for consents: what a login by an identity to a client grants for the scope string
// it asked for, dependencies in brackets included.
type Grant struct {
	IdentityID string `json:"identity_id"`
	ClientID   string `json:"client_id"`
	Scope      string `json:"scope"`
}

// scopeTree is one scope of a scope string with its dependent scopes.
type scopeTree struct {
	name string
	deps []scopeTree
}

// parseScopes reads a scope string into trees: "a[b c[d]] e" is a (b, c (d)) and e. An optional
// dependency's "*" is dropped: a login that asked for it consents to it.
func parseScopes(s string) []scopeTree {
	var out []scopeTree
	for _, part := range splitScopes(s) {
		part = strings.TrimPrefix(part, "*")
		base, deps, _ := strings.Cut(part, "[")
		out = append(out, scopeTree{name: base, deps: parseScopes(strings.TrimSuffix(deps, "]"))})
	}
	return out
}

// scopeClient is the client a scope's resource server is: the client id of a URL scope or a
// UUID-named URN scope, else a stable id for the named service.
func scopeClient(scope string) string {
	rs, _ := baseResourceServer(scope)
	if rs == FlowsResourceServer {
		return FlowsClientID
	}
	if ids.IsUUID(rs) {
		return rs
	}
	return ids.NameUUID("client " + rs)
}

// GrantConsents records the consents a grant gives and returns the whole tree of each of its
// scopes; a consent already in the forest is updated, not repeated.
func (d *Directory) GrantConsents(g Grant) ([]Consent, error) {
	if why := ScopeProblem(g.Scope); why != "" {
		return nil, invalid("scope", "%s", why)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.identities[g.IdentityID]; !ok {
		return nil, invalid("identity_id", "no identity %s", g.IdentityID)
	}
	if _, ok := d.clients[g.ClientID]; !ok {
		return nil, invalid("client_id", "no client %s", g.ClientID)
	}
	now := d.clock.Now()
	var out []Consent
	var grant func(trees []scopeTree, client string, path []int64)
	grant = func(trees []scopeTree, client string, path []int64) {
		for _, t := range trees {
			c := d.consentLocked(g.IdentityID, client, t.name, path)
			if c == nil {
				d.lastConsent++
				c = &Consent{ID: d.lastConsent, ClientID: client, ScopeName: t.name, IdentityID: g.IdentityID,
					DependencyPath: append(slices.Clone(path), d.lastConsent), Created: now, Status: "approved",
					AllowsRefresh: true, AtomicallyRevocable: len(path) > 0}
				d.consents = append(d.consents, c)
			}
			c.Updated, c.LastUsed = now, now
			out = append(out, cloneConsent(*c))
			grant(t.deps, scopeClient(t.name), c.DependencyPath)
		}
	}
	grant(parseScopes(g.Scope), g.ClientID, nil)
	return out, nil
}

// consentLocked finds the consent of an identity for a client and scope under a dependency path.
func (d *Directory) consentLocked(identityID, client, scope string, path []int64) *Consent {
	for _, c := range d.consents {
		if c.IdentityID == identityID && c.ClientID == client && c.ScopeName == scope &&
			slices.Equal(c.DependencyPath[:len(c.DependencyPath)-1], path) {
			return c
		}
	}
	return nil
}

// Consents lists an identity's consents, oldest first; with a client, only the trees rooted at
// that client.
func (d *Directory) Consents(identityID, rootClient string) []Consent {
	d.mu.RLock()
	defer d.mu.RUnlock()
	roots := map[int64]bool{}
	for _, c := range d.consents {
		if c.IdentityID == identityID && len(c.DependencyPath) == 1 && (rootClient == "" || c.ClientID == rootClient) {
			roots[c.ID] = true
		}
	}
	out := []Consent{}
	for _, c := range d.consents {
		if c.IdentityID == identityID && roots[c.DependencyPath[0]] {
			out = append(out, cloneConsent(*c))
		}
	}
	return out
}

// HasConsent reports whether an identity let a client use the scopes of a dependency path: the
// first scope for the client, each next one under the one before it.
func (d *Directory) HasConsent(identityID, clientID string, scopes ...string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var path []int64
	client := clientID
	for _, s := range scopes {
		c := d.consentLocked(identityID, client, s, path)
		if c == nil || c.Status != "approved" {
			return false
		}
		path, client = c.DependencyPath, scopeClient(s)
	}
	return true
}

func cloneConsent(c Consent) Consent {
	c.DependencyPath = slices.Clone(c.DependencyPath)
	return c
}

// restoreConsentsLocked replaces the forest with a world's consents, in id order.
func (d *Directory) restoreConsentsLocked(list []Consent) {
	d.consents, d.lastConsent = nil, 0
	for _, c := range list {
		c := cloneConsent(c)
		d.consents = append(d.consents, &c)
		d.lastConsent = max(d.lastConsent, c.ID)
	}
	sort.Slice(d.consents, func(a, b int) bool { return d.consents[a].ID < d.consents[b].ID })
}

// snapshotConsentsLocked copies the forest out, in id order.
func (d *Directory) snapshotConsentsLocked() []Consent {
	out := make([]Consent, 0, len(d.consents))
	for _, c := range d.consents {
		out = append(out, cloneConsent(*c))
	}
	return out
}

// completeConsents fills what GrantConsents fills: a root's dependency path, the times (now),
// the status.
func completeConsents(list []Consent, now time.Time) []Consent {
	list = slices.Clone(list)
	for i := range list {
		c := &list[i]
		c.DependencyPath = slices.Clone(c.DependencyPath)
		if len(c.DependencyPath) == 0 {
			c.DependencyPath = []int64{c.ID}
		}
		for _, t := range []*time.Time{&c.Created, &c.Updated, &c.LastUsed} {
			if t.IsZero() {
				*t = now
			}
		}
		if c.Status == "" {
			c.Status = "approved"
		}
	}
	return list
}

// checkConsents reports consents a world may not hold: ids that are not positive or repeat,
// unknown identities, and dependency paths that do not end at the consent or do not go
// through consents of the same identity above it.
func checkConsents(list []Consent, identities map[string]bool) []apierr.FieldError {
	var errs []apierr.FieldError
	bad := func(msg string, loc ...any) { errs = append(errs, apierr.Problem(loc, "%s", msg)) }
	byID := map[int64]Consent{}
	for i, c := range list {
		if c.ID <= 0 {
			bad("must be a positive integer", "consents", i, "id")
		} else if _, dup := byID[c.ID]; dup {
			bad("appears twice", "consents", i, "id")
		}
		byID[c.ID] = c
		if !identities[c.IdentityID] {
			bad("is not an identity of the world", "consents", i, "effective_identity")
		}
		if !ids.IsUUID(c.ClientID) {
			bad("must be a UUID", "consents", i, "client")
		}
		if _, ok := baseResourceServer(c.ScopeName); !ok {
			bad("is not a known scope", "consents", i, "scope_name")
		}
		if !slices.Contains([]string{"approved", "denied"}, c.Status) {
			bad("must be approved or denied", "consents", i, "status")
		}
	}
	for i, c := range list {
		p := c.DependencyPath
		if len(p) == 0 || p[len(p)-1] != c.ID {
			bad("must end with the consent's id", "consents", i, "dependency_path")
			continue
		}
		if len(p) > 1 {
			parent, ok := byID[p[len(p)-2]]
			if !ok || parent.IdentityID != c.IdentityID || !slices.Equal(parent.DependencyPath, p[:len(p)-1]) {
				bad("must go through the consents above this one", "consents", i, "dependency_path")
			}
		}
	}
	return errs
}

// ViewConsentsScope lets a token read the consents of every client, not only its own.
const ViewConsentsScope = "urn:globus:auth:scope:auth.globus.org:view_consents"

// ConsentsFor is what a caller may read of an identity's consents: only its own (any identity
// of its account), rooted at its token's client unless all is asked for, which needs
// ViewConsentsScope. A token without a client (a persona's, one the control plane minted)
// reads every tree.
func (d *Directory) ConsentsFor(c Caller, identityID string, all bool) ([]Consent, error) {
	identityID = strings.ToLower(identityID)
	if !slices.ContainsFunc(c.IdentitySet, func(i Identity) bool { return i.ID == identityID }) {
		if d.IdentityExists(identityID) {
			return nil, apierr.New(apierr.Forbidden, "FORBIDDEN", "A token may read only its own identity's consents")
		}
		return nil, apierr.New(apierr.NotFound, "NOT_FOUND", "No identity %s", identityID)
	}
	if all && !c.Token.HasScope(ViewConsentsScope) {
		return nil, apierr.New(apierr.MissingScope, "FORBIDDEN", "all=true needs the scope %s", ViewConsentsScope)
	}
	root := c.Token.ClientID
	if all {
		root = ""
	}
	return d.Consents(identityID, root), nil
}
