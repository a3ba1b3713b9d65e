package auth

// The OpenID Connect scopes, which decide the claims about the user that an ID token and
// userinfo hold (Globus Auth: openid gives sub, profile the names and the identity provider,
// email the email address, view_identity_set the linked identities).
const (
	OpenIDScope      = "openid"
	ProfileScope     = "profile"
	EmailScope       = "email"
	IdentitySetScope = "urn:globus:auth:scope:auth.globus.org:view_identity_set"
)

// IdentityProviderDisplayName names an identity's provider. The mock keeps no registry of
// providers, so the name is the domain of the identity's username (example.org), as Globus
// names an organization's provider after the organization.
func IdentityProviderDisplayName(i Identity) string { return i.Domain() }

// UserClaims are the claims about a token's user that Globus Auth puts in an ID token and in
// userinfo, as far as the token's scopes allow: sub always, profile and email claims with those
// scopes, and identity_set (each linked identity, with the time it last authenticated in the
// token's session, or null) with view_identity_set. It is false for a token whose identity is
// gone.
func (d *Directory) UserClaims(t Token) (map[string]any, bool) {
	d.mu.RLock()
	id, ok := d.identities[t.IdentityID]
	set := d.identitySetLocked(t.IdentityID)
	d.mu.RUnlock()
	if !ok {
		return nil, false
	}
	lastAuth := func(identityID string) any {
		var last any
		for _, a := range t.Authentications {
			if a.IdentityID == identityID {
				last = a.Time.Unix()
			}
		}
		return last
	}
	claims := map[string]any{"sub": id.ID, "last_authentication": lastAuth(id.ID)}
	profile, email := t.HasScope(ProfileScope), t.HasScope(EmailScope)
	describe := func(i Identity, into map[string]any, username string) {
		if profile {
			into["name"], into["organization"], into[username] = nullable(i.Name), nullable(i.Organization), i.Username
			into["identity_provider"], into["identity_provider_display_name"] = i.IdentityProvider, IdentityProviderDisplayName(i)
		}
		if email {
			into["email"] = nullable(i.Email)
		}
	}
	describe(id, claims, "preferred_username")
	if t.HasScope(IdentitySetScope) {
		members := make([]map[string]any, 0, len(set))
		for _, i := range set {
			m := map[string]any{"sub": i.ID, "username": i.Username, "last_authentication": lastAuth(i.ID)}
			describe(i, m, "username")
			members = append(members, m)
		}
		claims["identity_set"] = members
	}
	return claims, true
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
