package auth

import (
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
)

// TestUserClaimsFollowTheScopes: openid gives sub and last_authentication, profile the names
// and the provider, email the address, view_identity_set the linked identities.
func TestUserClaimsFollowTheScopes(t *testing.T) {
	d := NewDirectory(clock.New())
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	d.Restore(State{Identities: []Identity{
		{ID: "p", Username: "erin@example.org", Name: "Erin", Email: "erin@example.org", Organization: "Org", IdentityProvider: "idp-1"},
		{ID: "q", Username: "erin@university.example.edu", IdentityProvider: "idp-2", LinkedTo: "p"},
	}})
	token := func(scopes ...string) Token {
		return Token{IdentityID: "p", Scopes: scopes, Authentications: []Authentication{{IdentityID: "p", Time: at}}}
	}
	last := at.Unix()
	for _, tc := range []struct {
		name  string
		token Token
		want  map[string]any
	}{
		{"openid", token(OpenIDScope), map[string]any{"sub": "p", "last_authentication": last}},
		{"email", token(OpenIDScope, EmailScope), map[string]any{"sub": "p", "last_authentication": last, "email": "erin@example.org"}},
		{"profile", token(OpenIDScope, ProfileScope), map[string]any{"sub": "p", "last_authentication": last,
			"name": "Erin", "organization": "Org", "preferred_username": "erin@example.org",
			"identity_provider": "idp-1", "identity_provider_display_name": "example.org"}},
		{"identity set", token(OpenIDScope, IdentitySetScope), map[string]any{"sub": "p", "last_authentication": last,
			"identity_set": []map[string]any{
				{"sub": "p", "username": "erin@example.org", "last_authentication": last},
				{"sub": "q", "username": "erin@university.example.edu", "last_authentication": nil},
			}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := d.UserClaims(tc.token)
			if !ok {
				t.Fatal("no claims")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
	if _, ok := d.UserClaims(Token{IdentityID: "gone"}); ok {
		t.Error("claims for an identity that does not exist")
	}
}

// TestTokenLifetime: the tokens issued after SetTokenLifetime live that long; out-of-range
// lifetimes are refused and change nothing.
func TestTokenLifetime(t *testing.T) {
	d := NewDirectory(clock.New())
	d.Restore(State{Identities: []Identity{{ID: "p", Username: "p@example.org"}}})
	for _, bad := range []int{0, -1, 315360001} {
		if err := d.SetTokenLifetime(bad); err == nil {
			t.Errorf("SetTokenLifetime(%d) accepted", bad)
		}
	}
	if got := d.TokenLifetimeSeconds(); got != 172800 {
		t.Fatalf("default lifetime %d s, want 172800", got)
	}
	if err := d.SetTokenLifetime(60); err != nil {
		t.Fatal(err)
	}
	tok, err := d.IssueToken(Token{IdentityID: "p", Scopes: []string{OpenIDScope}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.ExpiresAt.Sub(tok.IssuedAt); got != time.Minute {
		t.Errorf("a token lives %v, want 1m", got)
	}
	if got := d.Snapshot().TokenLifetime; got != 60 {
		t.Errorf("the snapshot's lifetime is %d, want 60", got)
	}
}
