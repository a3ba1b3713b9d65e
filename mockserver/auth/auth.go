// Package auth emulates the part of Globus Auth and Globus Groups that Flows and Transfer rely on:
// identities (with linked identities), groups, subscriptions, OAuth clients, and tokens that carry
// scopes, an expiry and a session of authentications. It is pure domain code: no net/http.
package auth

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Identity is a Globus Auth identity. LinkedTo names the primary identity of the account this
// identity is linked into; a token for any identity of an account carries the whole identity set.
type Identity struct {
	ID               string `json:"id"`
	Username         string `json:"username"`
	Name             string `json:"name,omitempty"`
	Email            string `json:"email,omitempty"`
	Organization     string `json:"organization,omitempty"`
	IdentityProvider string `json:"identity_provider"`
	Status           string `json:"status,omitempty"`
	LinkedTo         string `json:"linked_to,omitempty"`
}

// URN is the identity's principal URN.
func (i Identity) URN() string { return IdentityURN(i.ID) }

// Domain is the part of the username after "@", used by domain constraints.
func (i Identity) Domain() string {
	if at := strings.LastIndexByte(i.Username, '@'); at >= 0 {
		return strings.ToLower(i.Username[at+1:])
	}
	return ""
}

// Member is one membership of a group.
type Member struct {
	IdentityID string `json:"identity_id"`
	Role       string `json:"role"` // member, manager, admin
}

// Group is a Globus group.
type Group struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []Member `json:"members"`
}

// Subscription is a Globus subscription; high-assurance ones allow high-assurance resources.
type Subscription struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	HighAssurance bool   `json:"high_assurance"`
	GroupID       string `json:"group_id,omitempty"`
}

// Client is an OAuth client that may use the client_credentials grant. Its identity has the
// client's id and the username <id>@clients.auth.globus.org, as in Globus Auth.
type Client struct {
	ID     string `json:"id"`
	Secret string `json:"secret,omitempty"`
	Name   string `json:"name"`
	// RedirectURIs are where an interactive login may send the browser back with a code.
	RedirectURIs []string `json:"redirect_uris,omitempty"`
	// Native clients (the CLI, a NativeAppAuthClient) hold no secret and use PKCE instead; they
	// may also redirect to the auth-code page and to loopback addresses.
	Native bool `json:"native,omitempty"`
	// TemplateID names the native client this confidential one was made from (POST
	// /v2/api/clients with a template_id, as the CLI registers itself); it keeps the template's
	// redirect rules. Created is when it was made.
	TemplateID string    `json:"template_id,omitempty"`
	Created    time.Time `json:"created,omitzero"`
}

// Authentication records that an identity logged in at a time, with or without MFA.
type Authentication struct {
	IdentityID string    `json:"identity_id"`
	Time       time.Time `json:"time"`
	MFA        bool      `json:"mfa"`
}

// Token is an access token: an identity, scopes, an expiry and a session.
// AllScopes marks the persona tokens of the default world, which hold every scope, including the
// scope of every flow created later.
type Token struct {
	Token           string           `json:"token"`
	IdentityID      string           `json:"identity_id"`
	ClientID        string           `json:"client_id,omitempty"`
	Scopes          []string         `json:"scopes,omitempty"`
	AllScopes       bool             `json:"all_scopes,omitempty"`
	IssuedAt        time.Time        `json:"issued_at"`
	ExpiresAt       time.Time        `json:"expires_at"`
	SessionID       string           `json:"session_id"`
	Authentications []Authentication `json:"authentications,omitempty"`
	// Dependent marks a token minted for a provider on a user's behalf (DependentToken): only the
	// clients of its audience may introspect it.
	Dependent bool `json:"dependent,omitempty"`
	// RefreshToken, issued with a login that asked for offline access, gets new access tokens
	// like this one after it expires, until it is revoked.
	RefreshToken string `json:"refresh_token,omitempty"`
}

// HasScope reports whether the token holds a scope (dependent scopes in brackets are ignored).
func (t Token) HasScope(scope string) bool {
	return t.AllScopes || slices.ContainsFunc(t.Scopes, func(s string) bool { return baseScope(s) == scope })
}

// State is the directory's serializable content.
type State struct {
	Identities    []Identity     `json:"identities"`
	Groups        []Group        `json:"groups"`
	Subscriptions []Subscription `json:"subscriptions"`
	Clients       []Client       `json:"clients"`
	Tokens        []Token        `json:"tokens"`
	Projects      []Project      `json:"projects,omitempty"`
	Policies      []Policy       `json:"policies,omitempty"`
	Consents      []Consent      `json:"consents,omitempty"`
	Providers     []Provider     `json:"providers,omitempty"`
	// TokenLifetime is how many seconds the tokens the grants issue live (0: TokenLifetime).
	TokenLifetime int `json:"token_lifetime,omitempty"`
}

// lifetime is how long the tokens the grants issue live in this state.
func (s State) lifetime() time.Duration {
	if s.TokenLifetime == 0 {
		return TokenLifetime
	}
	return time.Duration(s.TokenLifetime) * time.Second
}

// Directory holds the Auth state. It is safe for concurrent use and hands out copies.
type Directory struct {
	clock *clock.Clock

	mu            sync.RWMutex
	identities    map[string]Identity
	byUsername    map[string]string
	groups        map[string]Group
	subscriptions map[string]Subscription
	clients       map[string]Client
	tokens        map[string]Token
	policies      map[string]Policy
	projects      map[string]Project
	lifetime      int        // State.TokenLifetime
	consents      []*Consent // in id order
	lastConsent   int64
	providers     map[string]Provider // by client id
	// prefix starts every token and secret the directory makes, so that a server of many
	// worlds can tell by a token alone which world it belongs to.
	prefix string
}

// SetTokenPrefix makes every token and secret minted from now on start with prefix, and every
// token given without it (a seed's, a control-plane token) get it.
func (d *Directory) SetTokenPrefix(prefix string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.prefix = prefix
}

// mint is a fresh opaque value of n random bytes with the directory's prefix and a kind
// ("mock-", "mock-rt-", ...).
func (d *Directory) mint(kind string, n int) string { return d.prefix + kind + ids.Token(n) }

// TokenLifetime is how long issued tokens live unless the world says otherwise (Globus Auth's
// 48 hours).
const TokenLifetime = 48 * time.Hour

// SetTokenLifetime makes the tokens the grants issue from now on live seconds (1 second to 10
// years); tokens already issued keep their expiry.
func (d *Directory) SetTokenLifetime(seconds int) error {
	if seconds < 1 || time.Duration(seconds)*time.Second > clock.MaxTokenLifetime {
		return apierr.Located([]any{"seconds"}, "seconds must be between 1 and %d", int64(clock.MaxTokenLifetime/time.Second))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lifetime = seconds
	return nil
}

// TokenLifetimeSeconds is how many seconds the tokens the grants issue live.
func (d *Directory) TokenLifetimeSeconds() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return int(State{TokenLifetime: d.lifetime}.lifetime() / time.Second)
}

// ClientIdentityProvider is the identity provider id given to client identities.
const ClientIdentityProvider = "6d3a5a9d-5a27-4b0e-9d6e-1ad2d0c3f5a1"

// NewDirectory returns an empty directory on a clock.
func NewDirectory(c *clock.Clock) *Directory {
	d := &Directory{clock: c}
	d.Restore(State{})
	return d
}

// Restore replaces the whole content.
func (d *Directory) Restore(s State) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.identities = map[string]Identity{}
	d.byUsername = map[string]string{}
	d.groups = map[string]Group{}
	d.subscriptions = map[string]Subscription{}
	d.clients = map[string]Client{}
	d.tokens = map[string]Token{}
	d.policies = map[string]Policy{}
	d.projects = map[string]Project{}
	for _, p := range s.Projects {
		d.projects[p.ID] = cloneProject(p)
	}
	d.lifetime = s.TokenLifetime
	d.restoreConsentsLocked(s.Consents)
	d.providers = map[string]Provider{}
	for _, p := range s.Policies {
		d.policies[p.ID] = clonePolicy(p)
	}
	for _, i := range s.Identities {
		d.putIdentity(i)
	}
	for _, g := range s.Groups {
		d.groups[g.ID] = cloneGroup(g)
	}
	for _, sub := range s.Subscriptions {
		d.subscriptions[sub.ID] = sub
	}
	for _, c := range s.Clients {
		d.putClient(c)
	}
	for _, t := range s.Tokens {
		d.tokens[t.Token] = cloneToken(t)
	}
	for _, p := range s.Providers {
		d.putProvider(p)
	}
}

// Snapshot returns the content, sorted so equal states serialize to equal bytes.
func (d *Directory) Snapshot() State {
	d.mu.RLock()
	defer d.mu.RUnlock()
	s := State{TokenLifetime: d.lifetime}
	clientIDs := map[string]bool{}
	for _, c := range d.clients {
		// A provider's client comes with the provider.
		if _, ok := d.providers[c.ID]; !ok {
			s.Clients = append(s.Clients, c)
		}
		clientIDs[c.ID] = true
	}
	if len(d.providers) > 0 {
		s.Providers = d.providersLocked()
	}
	for _, i := range d.identities {
		if !clientIDs[i.ID] {
			s.Identities = append(s.Identities, i)
		}
	}
	for _, g := range d.groups {
		s.Groups = append(s.Groups, cloneGroup(g))
	}
	for _, sub := range d.subscriptions {
		s.Subscriptions = append(s.Subscriptions, sub)
	}
	for _, t := range d.tokens {
		s.Tokens = append(s.Tokens, cloneToken(t))
	}
	for _, p := range d.policies {
		s.Policies = append(s.Policies, clonePolicy(p))
	}
	for _, p := range d.projects {
		s.Projects = append(s.Projects, cloneProject(p))
	}
	sort.Slice(s.Projects, func(a, b int) bool { return s.Projects[a].ID < s.Projects[b].ID })
	if len(d.consents) > 0 {
		s.Consents = d.snapshotConsentsLocked()
	}
	sort.Slice(s.Policies, func(a, b int) bool { return s.Policies[a].ID < s.Policies[b].ID })
	sort.Slice(s.Identities, func(a, b int) bool { return s.Identities[a].ID < s.Identities[b].ID })
	sort.Slice(s.Groups, func(a, b int) bool { return s.Groups[a].ID < s.Groups[b].ID })
	sort.Slice(s.Subscriptions, func(a, b int) bool { return s.Subscriptions[a].ID < s.Subscriptions[b].ID })
	sort.Slice(s.Clients, func(a, b int) bool { return s.Clients[a].ID < s.Clients[b].ID })
	sort.Slice(s.Tokens, func(a, b int) bool { return s.Tokens[a].Token < s.Tokens[b].Token })
	if s.Identities == nil {
		s.Identities = []Identity{}
	}
	if s.Groups == nil {
		s.Groups = []Group{}
	}
	if s.Subscriptions == nil {
		s.Subscriptions = []Subscription{}
	}
	if s.Clients == nil {
		s.Clients = []Client{}
	}
	if s.Tokens == nil {
		s.Tokens = []Token{}
	}
	return s
}

func (d *Directory) putIdentity(i Identity) {
	if i.Status == "" {
		i.Status = "used"
	}
	d.identities[i.ID] = i
	d.byUsername[strings.ToLower(i.Username)] = i.ID
}

func (d *Directory) putClient(c Client) {
	d.clients[c.ID] = c
	d.putIdentity(Identity{ID: c.ID, Username: c.ID + "@clients.auth.globus.org", Name: c.Name, IdentityProvider: ClientIdentityProvider})
}

func cloneGroup(g Group) Group {
	g.Members = slices.Clone(g.Members)
	return g
}

func cloneToken(t Token) Token {
	t.Scopes = slices.Clone(t.Scopes)
	t.Authentications = slices.Clone(t.Authentications)
	return t
}

func invalid(field, format string, args ...any) error {
	return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
		Loc: []any{field}, Msg: sprintf(format, args...), Type: "value_error",
	}})
}

// AddIdentity creates an identity; the id is made when empty.
func (d *Directory) AddIdentity(i Identity) (Identity, error) {
	if i.Username == "" || !strings.Contains(i.Username, "@") {
		return Identity{}, invalid("username", "username must look like name@domain")
	}
	if i.ID == "" {
		i.ID = ids.UUID()
	} else if !ids.IsUUID(i.ID) {
		return Identity{}, invalid("id", "id must be a UUID")
	}
	i.ID = strings.ToLower(i.ID)
	if i.IdentityProvider == "" {
		i.IdentityProvider = ExampleIdentityProvider
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.identities[i.ID]; ok {
		return Identity{}, apierr.New(apierr.Conflict, "CONFLICT", "identity %s already exists", i.ID)
	}
	if _, ok := d.byUsername[strings.ToLower(i.Username)]; ok {
		return Identity{}, apierr.New(apierr.Conflict, "CONFLICT", "username %s already exists", i.Username)
	}
	if i.LinkedTo != "" {
		p, ok := d.identities[i.LinkedTo]
		if !ok {
			return Identity{}, invalid("linked_to", "no identity %s to link to", i.LinkedTo)
		}
		if p.LinkedTo != "" {
			i.LinkedTo = p.LinkedTo
		}
	}
	d.putIdentity(i)
	return i, nil
}

// ExampleIdentityProvider is the identity provider of identities made without one (example.org).
const ExampleIdentityProvider = "41143743-f3c8-4d60-bbdb-eeecaba85bd9"

// AddGroup creates a group; the id is made when empty.
func (d *Directory) AddGroup(g Group) (Group, error) {
	if g.Name == "" {
		return Group{}, invalid("name", "a group needs a name")
	}
	if g.ID == "" {
		g.ID = ids.UUID()
	} else if !ids.IsUUID(g.ID) {
		return Group{}, invalid("id", "id must be a UUID")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.groups[g.ID]; ok {
		return Group{}, apierr.New(apierr.Conflict, "CONFLICT", "group %s already exists", g.ID)
	}
	for i, m := range g.Members {
		if _, ok := d.identities[m.IdentityID]; !ok {
			return Group{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
				Loc: []any{"members", i, "identity_id"}, Msg: "unknown identity " + m.IdentityID, Type: "value_error"}})
		}
		if g.Members[i].Role == "" {
			g.Members[i].Role = "member"
		}
	}
	g = cloneGroup(g)
	d.groups[g.ID] = g
	return cloneGroup(g), nil
}

// AddSubscription creates a subscription; the id is made when empty.
func (d *Directory) AddSubscription(s Subscription) (Subscription, error) {
	if s.ID == "" {
		s.ID = ids.UUID()
	} else if !ids.IsUUID(s.ID) {
		return Subscription{}, invalid("id", "id must be a UUID")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.subscriptions[s.ID]; ok {
		return Subscription{}, apierr.New(apierr.Conflict, "CONFLICT", "subscription %s already exists", s.ID)
	}
	if s.GroupID != "" {
		if _, ok := d.groups[s.GroupID]; !ok {
			return Subscription{}, invalid("group_id", "no group %s", s.GroupID)
		}
	}
	d.subscriptions[s.ID] = s
	return s, nil
}

// Subscription returns a subscription by id.
func (d *Directory) Subscription(id string) (Subscription, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	s, ok := d.subscriptions[id]
	return s, ok
}

// IssueToken makes a token for an identity with the given scopes (or all scopes).
func (d *Directory) IssueToken(t Token) (Token, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.identities[t.IdentityID]; !ok {
		return Token{}, invalid("identity_id", "no identity %s", t.IdentityID)
	}
	for i, s := range t.Scopes {
		if _, ok := ResourceServer(s); !ok {
			return Token{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
				Loc: []any{"scopes", i}, Msg: "unknown scope " + s, Type: "value_error"}})
		}
	}
	now := d.clock.Now()
	if t.Token == "" {
		t.Token = d.mint("mock-", 20)
	} else if !strings.HasPrefix(t.Token, d.prefix) {
		t.Token = d.prefix + t.Token
	}
	if _, ok := d.tokens[t.Token]; ok {
		return Token{}, apierr.New(apierr.Conflict, "CONFLICT", "token %s already exists", t.Token)
	}
	t.fill(now, State{TokenLifetime: d.lifetime}.lifetime())
	if t.Authentications == nil {
		t.Authentications = []Authentication{{IdentityID: t.IdentityID, Time: t.IssuedAt}}
	}
	t = cloneToken(t)
	d.tokens[t.Token] = t
	return cloneToken(t), nil
}

// fill gives a token what every issued token has: an issue time (now), an expiry a lifetime
// later and a session of its own.
func (t *Token) fill(now time.Time, lifetime time.Duration) {
	if t.IssuedAt.IsZero() {
		t.IssuedAt = now
	}
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = t.IssuedAt.Add(lifetime)
	}
	if t.SessionID == "" {
		t.SessionID = ids.UUID()
	}
}

// Authenticate records a fresh authentication of an identity of the token's account in its
// session, which every token of the session shares.
func (d *Directory) Authenticate(token, identityID string, mfa bool) (Token, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.tokens[token]
	if !ok {
		return Token{}, apierr.New(apierr.NotFound, "NOT_FOUND", "no token %s", token)
	}
	if identityID == "" {
		identityID = t.IdentityID
	}
	if !slices.ContainsFunc(d.identitySetLocked(t.IdentityID), func(i Identity) bool { return i.ID == identityID }) {
		return Token{}, invalid("identity_id", "identity %s is not linked to the token's identity", identityID)
	}
	// The session, not the token, holds the authentication: every token of it sees the login.
	d.joinSessionLocked(t.SessionID, Authentication{IdentityID: identityID, Time: d.clock.Now(), MFA: mfa})
	return cloneToken(d.tokens[token]), nil
}

// Caller is an authenticated request's principal: the token, its identity, the identities linked
// to it and the groups any of them is a member of.
type Caller struct {
	Token       Token
	Identity    Identity
	IdentitySet []Identity
	GroupIDs    []string
}

// URN is the caller's primary principal URN.
func (c Caller) URN() string { return c.Identity.URN() }

// Principals is the set of principal URNs the caller acts as.
func (c Caller) Principals() map[string]bool {
	p := make(map[string]bool, len(c.IdentitySet)+len(c.GroupIDs))
	for _, i := range c.IdentitySet {
		p[i.URN()] = true
	}
	for _, g := range c.GroupIDs {
		p[GroupURN(g)] = true
	}
	return p
}

// ErrUnauthenticated is the error for a missing, unknown or expired token.
func ErrUnauthenticated() error {
	return apierr.New(apierr.Unauthenticated, "AUTHENTICATION_ERROR", "Expired or invalid Bearer token")
}

// Resolve turns a bearer token into a Caller; unknown and expired tokens are refused.
func (d *Directory) Resolve(token string) (Caller, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t, ok := d.tokens[token]
	if !ok || !d.clock.Now().Before(t.ExpiresAt) {
		return Caller{}, ErrUnauthenticated()
	}
	id, ok := d.identities[t.IdentityID]
	if !ok {
		return Caller{}, ErrUnauthenticated()
	}
	set := d.identitySetLocked(id.ID)
	return Caller{Token: cloneToken(t), Identity: id, IdentitySet: set, GroupIDs: d.groupsOfLocked(set)}, nil
}

// Introspect returns the token if it is active.
func (d *Directory) Introspect(token string) (Caller, bool) {
	c, err := d.Resolve(token)
	return c, err == nil
}

func (d *Directory) identitySetLocked(id string) []Identity {
	primary := id
	if i, ok := d.identities[id]; ok && i.LinkedTo != "" {
		primary = i.LinkedTo
	}
	var set []Identity
	if p, ok := d.identities[primary]; ok {
		set = append(set, p)
	}
	for _, i := range d.identities {
		if i.LinkedTo == primary && i.ID != primary {
			set = append(set, i)
		}
	}
	sort.Slice(set, func(a, b int) bool { return set[a].ID < set[b].ID })
	// The token's own identity comes first.
	for k, i := range set {
		if i.ID == id {
			set[0], set[k] = set[k], set[0]
			break
		}
	}
	return set
}

func (d *Directory) groupsOfLocked(set []Identity) []string {
	var out []string
	for _, g := range d.groups {
		if slices.ContainsFunc(g.Members, func(m Member) bool {
			return slices.ContainsFunc(set, func(i Identity) bool { return i.ID == m.IdentityID })
		}) {
			out = append(out, g.ID)
		}
	}
	sort.Strings(out)
	return out
}

// Identities looks identities up by ids or usernames; unknown ones are left out.
func (d *Directory) Identities(idList, usernames []string) []Identity {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := []Identity{}
	for _, id := range idList {
		if i, ok := d.identities[strings.ToLower(id)]; ok {
			out = append(out, i)
		}
	}
	for _, u := range usernames {
		if id, ok := d.byUsername[strings.ToLower(u)]; ok {
			out = append(out, d.identities[id])
		}
	}
	return out
}

// GroupsOf returns the groups any identity of the caller is a member of.
func (d *Directory) GroupsOf(c Caller) []Group {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []Group
	for _, id := range c.GroupIDs {
		if g, ok := d.groups[id]; ok {
			out = append(out, cloneGroup(g))
		}
	}
	return out
}

// IsGroup reports whether a group exists.
func (d *Directory) IsGroup(id string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	_, ok := d.groups[id]
	return ok
}

// ClientCredentials authenticates a client and issues one token per resource server named by
// the requested scopes, in the order the scopes name them.
func (d *Directory) ClientCredentials(clientID, secret, scope string) ([]Token, error) {
	d.mu.RLock()
	c, ok := d.clients[clientID]
	d.mu.RUnlock()
	if !ok || c.Native || c.Secret != secret {
		// A native client has no secret to prove, so it has no client_credentials grant.
		return nil, apierr.New(apierr.Unauthenticated, "invalid_client", "Unknown client or wrong secret")
	}
	return d.issuePerResourceServer(Token{IdentityID: clientID, ClientID: clientID}, scope)
}

// issuePerResourceServer issues one token per resource server named by the requested scopes, in
// the order the scopes name them, each a copy of proto with that server's scopes.
func (d *Directory) issuePerResourceServer(proto Token, scope string) ([]Token, error) {
	scopes := splitScopes(scope)
	if len(scopes) == 0 {
		return nil, apierr.New(apierr.BadRequest, "invalid_scope", "At least one scope is required")
	}
	var order []string
	byRS := map[string][]string{}
	for _, s := range scopes {
		rs, ok := ResourceServer(s)
		if !ok {
			return nil, apierr.New(apierr.BadRequest, "invalid_scope", "Unknown scope %s", s)
		}
		if _, seen := byRS[rs]; !seen {
			order = append(order, rs)
		}
		// A token holds its scopes without their dependencies, which are consents.
		if base := baseScope(s); !slices.Contains(byRS[rs], base) {
			byRS[rs] = append(byRS[rs], base)
		}
	}
	out := make([]Token, 0, len(order))
	for _, rs := range order {
		t := cloneToken(proto)
		t.Scopes = byRS[rs]
		t, err := d.IssueToken(t)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// CheckClient reports whether a client id and secret match a registered client.
func (d *Directory) CheckClient(id, secret string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	c, ok := d.clients[id]
	return ok && !c.Native && c.Secret == secret
}

// IdentityExists reports whether an identity id is known.
func (d *Directory) IdentityExists(id string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	_, ok := d.identities[id]
	return ok
}

// Principal returns the ids of an identity's identity set and of its groups (nil for an unknown
// identity): what a rule or role may designate it by.
func (d *Directory) Principal(id string) (identityIDs, groupIDs []string) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	set := d.identitySetLocked(id)
	for _, i := range set {
		identityIDs = append(identityIDs, i.ID)
	}
	if len(set) == 0 {
		return nil, nil
	}
	return identityIDs, d.groupsOfLocked(set)
}

// GroupIDsOf lists the groups one identity (not its linked identities) is a member of.
func (d *Directory) GroupIDsOf(identityID string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	i, ok := d.identities[identityID]
	if !ok {
		return nil
	}
	return d.groupsOfLocked([]Identity{i})
}
