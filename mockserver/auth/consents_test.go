package auth

import (
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// A grant's nested brackets become a tree of consents: each dependent consent under the one of
// the scope it is written in, for that scope's resource server; a second grant of the same scopes
// adds nothing, and a dependency path holds only when every consent above it does.
func TestConsentsFollowTheScopeStringsBrackets(t *testing.T) {
	const app = "0c11e570-0000-4000-8000-000000000402"
	flow := FlowScope("f1000000-0000-4000-8000-000000000001")
	action := "https://auth.globus.org/scopes/" + provider + "/action_all"
	data := "https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access"
	clk := clock.New()
	clk.Freeze(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	d := NewDirectory(clk)
	d.Restore(State{Identities: []Identity{{ID: user, Username: "alice@example.org"}}, Clients: []Client{{ID: app, Native: true}}})
	for range 2 {
		_, err := d.GrantConsents(Grant{IdentityID: user, ClientID: app, Scope: flow + "[" + action + "[*" + data + "]] openid"})
		require.NoError(t, err)
	}
	type node struct {
		Client, Scope string
		Path          []int64
	}
	var got []node
	for _, c := range d.Consents(user, "") {
		got = append(got, node{c.ClientID, c.ScopeName, c.DependencyPath})
	}
	want := []node{{app, flow, []int64{1}}, {"f1000000-0000-4000-8000-000000000001", action, []int64{1, 2}},
		{provider, data, []int64{1, 2, 3}}, {app, "openid", []int64{4}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the forest (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		name   string
		client string
		path   []string
		want   bool
	}{
		{"the root", app, []string{flow}, true},
		{"a dependency under its scope", app, []string{flow, action}, true},
		{"two levels down", app, []string{flow, action, data}, true},
		{"a dependency at the root", app, []string{action}, false},
		{"a dependency under another scope", app, []string{"openid", action}, false},
		{"another client", "0c11e570-0000-4000-8000-000000000401", []string{flow, action}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, d.HasConsent(user, c.client, c.path...))
		})
	}
	require.Len(t, d.Consents(user, "0c11e570-0000-4000-8000-000000000401"), 0, "a client's view holds only its own trees")
}
