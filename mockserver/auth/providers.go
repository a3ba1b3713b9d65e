package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Provider is an Action Provider a test brings to the mock: where Flows calls it, its resource
// server (the client it introspects tokens with, which has the same id), the scope Flows mints
// its tokens for, and the scopes of other services it may get dependent tokens for.
type Provider struct {
	URL             string   `json:"url"`
	ClientID        string   `json:"client_id"`
	Secret          string   `json:"secret"`
	Name            string   `json:"name,omitempty"`
	Scope           string   `json:"scope"`
	DependentScopes []string `json:"dependent_scopes"`
}

// DependentGrant is the dependent-token grant's grant_type.
const DependentGrant = "urn:globus:auth:grant_type:dependent_token"

// completed is the provider with its defaults: the action_all scope of its resource server and
// no dependent scopes.
func (p Provider) completed() Provider {
	p.URL = strings.TrimSuffix(p.URL, "/")
	p.ClientID = strings.ToLower(p.ClientID)
	if p.Scope == "" && p.ClientID != "" {
		p.Scope = "https://auth.globus.org/scopes/" + p.ClientID + "/action_all"
	}
	p.DependentScopes = slices.Clone(p.DependentScopes)
	if p.DependentScopes == nil {
		p.DependentScopes = []string{}
	}
	return p
}

// problems are what keeps Flows from calling a completed provider or minting tokens for it.
func (p Provider) problems() []apierr.FieldError {
	var errs []apierr.FieldError
	bad := func(msg string, loc ...any) { errs = append(errs, apierr.Problem(loc, "%s", msg)) }
	if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("must be an http or https URL", "url")
	}
	if !ids.IsUUID(p.ClientID) {
		bad("must be a UUID (the provider's resource server)", "client_id")
	} else if rs, ok := ResourceServer(p.Scope); !ok || rs != p.ClientID || strings.ContainsRune(p.Scope, '[') {
		// Its scope belongs to its resource server, so the tokens minted for it are for it alone.
		bad("must be a scope of the resource server "+p.ClientID+", such as https://auth.globus.org/scopes/"+p.ClientID+"/action_all", "scope")
	}
	if p.Secret == "" {
		errs = append(errs, apierr.Missing("secret"))
	}
	for i, s := range p.DependentScopes {
		if _, ok := ResourceServer(s); !ok || strings.ContainsRune(s, '[') {
			bad("is not a known scope", "dependent_scopes", i)
		}
	}
	return errs
}

// AddProvider registers a provider and its client; a provider's URL and client id are its own.
// A missing client id or secret is made.
func (d *Directory) AddProvider(p Provider) (Provider, error) {
	if p.ClientID == "" {
		p.ClientID = ids.UUID()
	}
	if p.Secret == "" {
		p.Secret = d.mint("", 32)
	}
	p = p.completed()
	if errs := p.problems(); len(errs) > 0 {
		return Provider{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.providerConflictLocked(p); err != nil {
		return Provider{}, err
	}
	d.putProvider(p)
	return p, nil
}

func (d *Directory) providerConflictLocked(p Provider) error {
	if _, ok := d.identities[p.ClientID]; ok {
		return apierr.New(apierr.Conflict, "CONFLICT", "an identity or client %s already exists", p.ClientID)
	}
	for _, q := range d.providers {
		if q.URL == p.URL {
			return apierr.New(apierr.Conflict, "CONFLICT", "a provider at %s already exists", p.URL)
		}
	}
	return nil
}

func (d *Directory) putProvider(p Provider) {
	p.DependentScopes = slices.Clone(p.DependentScopes)
	d.providers[p.ClientID] = p
	d.putClient(Client{ID: p.ClientID, Secret: p.Secret, Name: p.Name})
}

// Providers lists the registered providers by client id.
func (d *Directory) Providers() []Provider {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.providersLocked()
}

func (d *Directory) providersLocked() []Provider {
	out := []Provider{}
	for _, p := range d.providers {
		p.DependentScopes = slices.Clone(p.DependentScopes)
		out = append(out, p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ClientID < out[b].ClientID })
	return out
}

// DeleteProvider forgets a provider, its client and the tokens issued to that client (as deleting
// a client in Globus Auth revokes them); the tokens Flows minted for it stay until they expire.
func (d *Directory) DeleteProvider(clientID string) (Provider, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.providers[strings.ToLower(clientID)]
	if !ok {
		return Provider{}, apierr.New(apierr.NotFound, "NOT_FOUND", "No provider with client id %s", clientID)
	}
	delete(d.providers, p.ClientID)
	delete(d.clients, p.ClientID)
	delete(d.identities, p.ClientID)
	delete(d.byUsername, strings.ToLower(p.ClientID+"@clients.auth.globus.org"))
	for k, t := range d.tokens {
		if t.ClientID == p.ClientID || t.IdentityID == p.ClientID {
			delete(d.tokens, k)
		}
	}
	for k, g := range d.groups {
		g.Members = slices.DeleteFunc(slices.Clone(g.Members), func(m Member) bool { return m.IdentityID == p.ClientID })
		d.groups[k] = g
	}
	return p, nil
}

// ProviderScope is the scope of the provider registered at an action URL: Flows finds it as the
// real service finds a provider's globus_auth_scope, from the provider.
func (d *Directory) ProviderScope(actionURL string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	u := strings.TrimSuffix(actionURL, "/")
	for _, p := range d.providers {
		if p.URL == u {
			return p.Scope, true
		}
	}
	return "", false
}

// DependentTokens is the dependent-token grant: a provider, authenticated by its client
// credentials, trades a token it was called with (one whose audience is its resource server) for
// tokens for the same user and session, one per resource server of its dependent scopes (or of
// the requested ones among them), issued to it. Offline access gives each a refresh token.
func (d *Directory) DependentTokens(clientID, secret, token, scope string, offline bool) ([]Token, error) {
	d.mu.RLock()
	p, isProvider := d.providers[clientID]
	d.mu.RUnlock()
	if !d.CheckClient(clientID, secret) {
		return nil, apierr.New(apierr.Unauthenticated, "invalid_client", "Unknown client or wrong secret")
	}
	caller, err := d.Resolve(token)
	if err != nil || !slices.Contains(caller.Token.Audience(), clientID) {
		return nil, apierr.New(apierr.BadRequest, "invalid_grant", "The token is not active or not for this client")
	}
	allowed := p.DependentScopes
	if !isProvider {
		allowed = nil
	}
	want := allowed
	if scope != "" {
		want = splitScopes(scope)
		for _, s := range want {
			if !slices.Contains(allowed, s) {
				return nil, apierr.New(apierr.BadRequest, "invalid_scope", "%s is not a dependent scope of client %s", s, clientID)
			}
		}
	}
	if len(want) == 0 {
		return nil, apierr.New(apierr.BadRequest, "invalid_scope", "Client %s has no dependent scopes", clientID)
	}
	proto := Token{IdentityID: caller.Identity.ID, ClientID: clientID, SessionID: caller.Token.SessionID,
		Authentications: caller.Token.Authentications, Dependent: true}
	tokens, err := d.issuePerResourceServer(proto, strings.Join(want, " "))
	if err != nil || !offline {
		return tokens, err
	}
	return d.withRefreshTokens(tokens), nil
}

// DependentTokensCacheID is the key introspection gives a provider for caching the dependent
// tokens it gets with a token: the same for every token of one user's session and scopes.
func (t Token) DependentTokensCacheID() string {
	scopes := slices.Clone(t.Scopes)
	sort.Strings(scopes)
	sum := sha256.Sum256([]byte(t.IdentityID + "\x00" + t.SessionID + "\x00" + strings.Join(scopes, " ")))
	return hex.EncodeToString(sum[:16])
}
