package auth

import (
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// LookupClient returns a registered client.
func (d *Directory) LookupClient(id string) (Client, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	c, ok := d.clients[id]
	if ok {
		c.RedirectURIs = slices.Clone(c.RedirectURIs)
	}
	return c, ok
}

// PersonaIdentity finds the identity a persona name stands for: the one whose username is
// <name>@<domain>, when exactly one is.
func (d *Directory) PersonaIdentity(name string) (Identity, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var found []Identity
	prefix := strings.ToLower(name) + "@"
	for u, id := range d.byUsername {
		if strings.HasPrefix(u, prefix) && !strings.HasSuffix(u, "@clients.auth.globus.org") {
			found = append(found, d.identities[id])
		}
	}
	if len(found) != 1 {
		return Identity{}, false
	}
	return found[0], true
}

// LoginTokens issues the tokens of an interactive login: one per resource server named by scope,
// for the client, in the browser's session, which gains the login's authentication (every token
// of the session sees it); offline gives each a refresh token. The login grants consent to the
// scopes it asked for.
func (d *Directory) LoginTokens(clientID, scope string, a Authentication, offline bool, session string) ([]Token, error) {
	if !d.IdentityExists(a.IdentityID) {
		return nil, apierr.New(apierr.BadRequest, "invalid_grant", "identity %s no longer exists", a.IdentityID)
	}
	if why := ScopeProblem(scope); why != "" {
		return nil, apierr.New(apierr.BadRequest, "invalid_scope", "%s", why)
	}
	if session == "" {
		session = ids.UUID()
	}
	proto := Token{IdentityID: a.IdentityID, ClientID: clientID, SessionID: session, Authentications: d.joinSession(session, a)}
	tokens, err := d.issuePerResourceServer(proto, scope)
	if err != nil {
		return nil, err
	}
	// The person approved the scopes asked for, dependencies included: Globus Auth keeps that
	// as consents, which later runs and logins rely on.
	if _, err := d.GrantConsents(Grant{IdentityID: a.IdentityID, ClientID: clientID, Scope: scope}); err != nil {
		return nil, err
	}
	if !offline {
		return tokens, nil
	}
	return d.withRefreshTokens(tokens), nil
}

// withRefreshTokens gives each issued token a refresh token (offline access).
func (d *Directory) withRefreshTokens(tokens []Token) []Token {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i := range tokens {
		tokens[i].RefreshToken = d.mint("mock-rt-", 20)
		d.tokens[tokens[i].Token] = cloneToken(tokens[i])
	}
	return tokens
}

// joinSession adds an authentication to a session, replacing an earlier one of the same
// identity, and gives every token of the session the session's authentications.
func (d *Directory) joinSession(session string, a Authentication) []Authentication {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.joinSessionLocked(session, a)
}

func (d *Directory) joinSessionLocked(session string, a Authentication) []Authentication {
	var auths []Authentication
	for _, t := range d.tokens {
		if t.SessionID == session {
			auths = slices.Clone(t.Authentications) // a session's tokens share its authentications
			break
		}
	}
	auths = append(slices.DeleteFunc(auths, func(old Authentication) bool { return old.IdentityID == a.IdentityID }), a)
	for k, t := range d.tokens {
		if t.SessionID == session {
			t.Authentications = slices.Clone(auths)
			d.tokens[k] = t
		}
	}
	return auths
}

// Refresh is the refresh_token grant: a new access token like the latest one issued with the
// refresh token (same identity, scopes and session), which works after that one expired.
func (d *Directory) Refresh(clientID, refresh string) (Token, error) {
	d.mu.RLock()
	var latest Token
	found := false
	for _, t := range d.tokens {
		if refresh != "" && t.RefreshToken == refresh && (!found || t.IssuedAt.After(latest.IssuedAt)) {
			latest, found = cloneToken(t), true
		}
	}
	d.mu.RUnlock()
	if !found || latest.ClientID != clientID {
		return Token{}, apierr.New(apierr.BadRequest, "invalid_grant", "unknown or revoked refresh token")
	}
	latest.Token, latest.IssuedAt, latest.ExpiresAt = "", time.Time{}, time.Time{}
	return d.IssueToken(latest)
}

// Revoke forgets an access token, or a refresh token and every access token issued with it, as
// long as the client may revoke them (revocableByLocked); it reports whether anything was revoked.
func (d *Directory) Revoke(clientID, token string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	revoked := false
	for k, t := range d.tokens {
		if token != "" && d.revocableByLocked(clientID, t.ClientID) && (t.Token == token || t.RefreshToken == token) {
			delete(d.tokens, k)
			revoked = true
		}
	}
	return revoked
}

// revocableByLocked reports whether a client may revoke a token issued to owner: its own, or one
// of a client made from it as a template, since the CLI's logout revokes its instance's tokens
// with the template's id.
func (d *Directory) revocableByLocked(clientID, owner string) bool {
	if owner == clientID {
		return true
	}
	c, ok := d.clients[strings.ToLower(owner)]
	return ok && c.TemplateID != "" && strings.EqualFold(c.TemplateID, clientID)
}

// Valid reports whether a token belongs to the client and still works: an access token until
// it expires, a refresh token while any token issued with it is kept (until it is revoked).
func (d *Directory) Valid(clientID, token string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	now := d.clock.Now()
	for _, t := range d.tokens {
		if token == "" || t.ClientID != clientID {
			continue
		}
		if t.RefreshToken == token || (t.Token == token && now.Before(t.ExpiresAt)) {
			return true
		}
	}
	return false
}

// LoginMeetsPolicies reports why a login by an identity (with or without MFA, now) would not
// satisfy each of the policies, judged as a token of that login would be judged; "" when it does.
func (d *Directory) LoginMeetsPolicies(identityID string, mfa bool, policyIDs []string) string {
	d.mu.RLock()
	id, ok := d.identities[identityID]
	set := d.identitySetLocked(identityID)
	d.mu.RUnlock()
	if !ok {
		return "no identity " + identityID
	}
	now := d.clock.Now()
	c := Caller{Identity: id, IdentitySet: set,
		Token: Token{IdentityID: identityID, Authentications: []Authentication{{IdentityID: identityID, Time: now, MFA: mfa}}}}
	for _, pid := range policyIDs {
		p, ok := d.LookupPolicy(pid)
		switch {
		case !ok:
			return "policy " + pid + " is unknown"
		case !p.Satisfied(c, []string{identityID}, now):
			why := "policy " + pid + " is not satisfied by " + id.Username
			if p.RequiredMFA && !mfa {
				why += " without MFA"
			}
			return why
		}
	}
	return ""
}

// ScopeProblem says why a requested scope string cannot be granted ("" when it can).
func ScopeProblem(scope string) string {
	scopes := splitScopes(scope)
	if len(scopes) == 0 {
		return "At least one scope is required"
	}
	for _, s := range scopes {
		if _, ok := ResourceServer(s); !ok {
			return "Unknown scope " + s
		}
	}
	return ""
}

// OfflineAccessScope asks a login for refresh tokens, as access_type=offline does (the JS SDK's
// useRefreshTokens sends it). It names no resource server, so no token is issued for it.
const OfflineAccessScope = "offline_access"

// WithoutOfflineAccess returns a requested scope string without offline_access and whether it
// was asked for; a dependent scope's brackets are left as they are.
func WithoutOfflineAccess(scope string) (string, bool) {
	var rest []string
	offline := false
	for _, s := range splitScopes(scope) {
		if s == OfflineAccessScope {
			offline = true
			continue
		}
		rest = append(rest, s)
	}
	return strings.Join(rest, " "), offline
}
