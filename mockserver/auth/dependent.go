package auth

import (
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// dependentReuse is how long a minted token must still live to be handed out again.
const dependentReuse = time.Minute

// DependentToken is the token the Flows service holds for calling a provider on a user's behalf.
// Globus Auth gives it through the dependent-token grant on the user's flow-scope token: the same
// user and session, the provider's scope alone (so its audience is the provider's resource server
// and no other API of the mock accepts it unless it accepts that scope), and an expiry of its own
// on the mock clock. The user's own token never leaves the mock. A token for the same user,
// session and scope is reused while it has at least a minute to live. scope may name several
// scopes, space-separated.
//
// userToken names the run's token (for its session); identityID is the run's user, which stands
// when that token is gone (a reset, an expiry: Flows keeps refresh tokens and goes on).
func (d *Directory) DependentToken(userToken, identityID, scope string) (Token, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock.Now()
	scopes := strings.Fields(scope)
	user, ok := d.tokens[userToken]
	if !ok || user.IdentityID != identityID {
		user = Token{IdentityID: identityID}
	}
	if _, ok := d.identities[identityID]; !ok {
		return Token{}, invalid("identity_id", "no identity %s", identityID)
	}
	for _, t := range d.tokens {
		if t.Dependent && t.IdentityID == identityID && t.SessionID == user.SessionID &&
			slices.Equal(t.Scopes, scopes) && t.ExpiresAt.Sub(now) >= dependentReuse {
			return cloneToken(t), nil
		}
	}
	t := Token{
		Token: d.mint("mock-dep-", 24), IdentityID: identityID, ClientID: FlowsClientID,
		Scopes: scopes, IssuedAt: now, ExpiresAt: now.Add(TokenLifetime),
		SessionID: user.SessionID, Authentications: slices.Clone(user.Authentications), Dependent: true,
	}
	if t.SessionID == "" {
		t.SessionID = ids.UUID()
	}
	d.tokens[t.Token] = t
	return cloneToken(t), nil
}

// Audience lists the resource servers a token is for, as introspection shows them.
func (t Token) Audience() []string {
	scopes := t.Scopes
	if t.AllScopes {
		scopes = StandardScopes
	}
	aud := []string{}
	for _, sc := range scopes {
		if rs, ok := ResourceServer(sc); ok && !slices.Contains(aud, rs) {
			aud = append(aud, rs)
		}
	}
	return aud
}

// VisibleTo reports whether a client may introspect the token: a minted provider token only by
// the clients of its audience (a resource server's client id is its name for a provider) or the
// client it was issued to; other tokens by any authenticated client, so tests can inspect persona
// tokens with the default world's client.
func (t Token) VisibleTo(clientID string) bool {
	if !t.Dependent {
		return true
	}
	return clientID == t.ClientID || slices.Contains(t.Audience(), clientID)
}

// AddClient registers an OAuth client (an application, or the client of a provider's resource
// server): its identity <id>@clients.auth.globus.org comes with it. A missing id or secret is made.
func (d *Directory) AddClient(c Client) (Client, error) {
	if c.ID == "" {
		c.ID = ids.UUID()
	} else if !ids.IsUUID(c.ID) {
		return Client{}, invalid("id", "id must be a UUID")
	}
	if c.Secret == "" && !c.Native {
		c.Secret = d.mint("", 32)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.identities[c.ID]; ok {
		return Client{}, apierr.New(apierr.Conflict, "CONFLICT", "an identity or client %s already exists", c.ID)
	}
	d.putClient(c)
	return c, nil
}

// LookupToken returns a stored token, active or not (the control plane shows what a token is).
func (d *Directory) LookupToken(token string) (Token, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t, ok := d.tokens[token]
	return cloneToken(t), ok
}
