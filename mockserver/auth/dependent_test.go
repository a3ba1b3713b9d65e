package auth

import (
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

const (
	provider = "9a0f0000-0000-4000-8000-00000000a001"
	user     = "0a11ce00-0000-4000-8000-000000000001"
)

var scope = "https://auth.globus.org/scopes/" + provider + "/action_all"

func dependentWorld(t *testing.T) (*Directory, *clock.Clock, Token) {
	t.Helper()
	clk := clock.New()
	clk.Freeze(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	d := NewDirectory(clk)
	d.Restore(State{Identities: []Identity{{ID: user, Username: "alice@example.org"}}})
	own, err := d.IssueToken(Token{Token: "tok-alice", IdentityID: user, AllScopes: true})
	require.NoError(t, err)
	return d, clk, own
}

// A minted token is the user's, for the provider's scope alone, in the user's session, and is
// reused while it has a minute to live; then a new one is minted.
func TestDependentTokenLifetime(t *testing.T) {
	d, clk, own := dependentWorld(t)
	first, err := d.DependentToken(own.Token, user, scope)
	require.NoError(t, err)
	want := Token{Token: first.Token, IdentityID: user, ClientID: FlowsClientID, Scopes: []string{scope},
		IssuedAt: clk.Now(), ExpiresAt: clk.Now().Add(TokenLifetime), SessionID: own.SessionID,
		Authentications: own.Authentications, Dependent: true}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Fatalf("minted token (-want +got):\n%s", diff)
	}
	require.NotEqual(t, own.Token, first.Token)
	again, err := d.DependentToken(own.Token, user, scope)
	require.NoError(t, err)
	require.Equal(t, first.Token, again.Token, "reused while it lives")

	clk.Advance(TokenLifetime - dependentReuse)
	edge, err := d.DependentToken(own.Token, user, scope)
	require.NoError(t, err)
	require.Equal(t, first.Token, edge.Token, "a minute left is enough")
	clk.Advance(time.Second)
	renewed, err := d.DependentToken(own.Token, user, scope)
	require.NoError(t, err)
	require.NotEqual(t, first.Token, renewed.Token, "a token with less than a minute left is not handed out")
	require.Equal(t, clk.Now().Add(TokenLifetime), renewed.ExpiresAt)

	other, err := d.DependentToken(own.Token, user, scope+" openid")
	require.NoError(t, err)
	require.NotEqual(t, renewed.Token, other.Token, "another scope, another token")
	require.Equal(t, []string{scope, "openid"}, other.Scopes)
}

// The run's user stands when the run's token is gone; an unknown user gets none.
func TestDependentTokenWithoutTheUserToken(t *testing.T) {
	d, _, _ := dependentWorld(t)
	tok, err := d.DependentToken("tok-gone", user, scope)
	require.NoError(t, err)
	require.Equal(t, user, tok.IdentityID)
	require.NotEmpty(t, tok.SessionID)
	_, err = d.DependentToken("tok-gone", "0b0b0000-0000-4000-8000-000000000002", scope)
	require.Error(t, err)
}

func TestTokenVisibleTo(t *testing.T) {
	d, _, own := dependentWorld(t)
	minted, err := d.DependentToken(own.Token, user, scope)
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		tok    Token
		client string
		want   bool
	}{
		{"the provider sees its token", minted, provider, true},
		{"Flows, which holds it, sees it", minted, FlowsClientID, true},
		{"another client does not", minted, "0c11e570-0000-4000-8000-000000000401", false},
		{"no client does not", minted, "", false},
		{"a persona token is seen by any client", own, "0c11e570-0000-4000-8000-000000000401", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.tok.VisibleTo(tc.client))
		})
	}
	require.Equal(t, []string{provider}, minted.Audience())
}
