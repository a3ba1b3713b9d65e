package auth

import (
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
)

// The scope strings are the Python SDK's (globus_sdk.scopes.data), as the SDK and the CLI request
// them; the resource servers are the ones the SDK names for them.
func TestResourceServer(t *testing.T) {
	const (
		collection = "c011ec70-0000-4000-8000-000000000301"
		endpoint   = "9e0d0000-0000-4000-8000-0000000000e1"
		timers     = "524230d7-ea86-4a52-8312-86065a9e0417"
		compute    = "facd7ccc-c5f4-42aa-916b-a0e270e2c2a9"
	)
	cases := []struct{ scope, want string }{
		{"openid", AuthResourceServer},
		{"email", AuthResourceServer},
		{"profile", AuthResourceServer},
		{"urn:globus:auth:scope:auth.globus.org:view_identity_set", AuthResourceServer},
		{"urn:globus:auth:scope:auth.globus.org:manage_projects", AuthResourceServer},
		{"urn:globus:auth:scope:auth.globus.org:view_consents", AuthResourceServer},
		{"urn:globus:auth:scope:transfer.api.globus.org:all", TransferResourceServer},
		{"urn:globus:auth:scope:transfer.api.globus.org:gcp_install", TransferResourceServer},
		{"urn:globus:auth:scope:groups.api.globus.org:all", GroupsResourceServer},
		{"urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships", GroupsResourceServer},
		{"urn:globus:auth:scope:nexus.api.globus.org:groups", "nexus.api.globus.org"},
		{"urn:globus:auth:scope:search.api.globus.org:all", "search.api.globus.org"},
		{"urn:globus:auth:scope:search.api.globus.org:search", "search.api.globus.org"},
		{"urn:globus:auth:scope:search.api.globus.org:ingest", "search.api.globus.org"},
		{"urn:globus:auth:scope:search.api.globus.org:globus_connect_server", "search.api.globus.org"},
		{FlowsScope("all"), FlowsResourceServer},
		{FlowsScope("run_manage"), FlowsResourceServer},
		{FlowScope("6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f"), "6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f"},
		{FlowsScope("all") + "[urn:globus:auth:scope:transfer.api.globus.org:all]", FlowsResourceServer},
		{"https://auth.globus.org/scopes/" + timers + "/timer", timers},
		// The CLI's Timers scope, with the data_access scopes of two collections as dependencies.
		{"https://auth.globus.org/scopes/" + timers + "/timer[urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/" + collection + "/data_access *https://auth.globus.org/scopes/" + endpoint + "/data_access]]", timers},
		{"https://auth.globus.org/scopes/" + compute + "/all", "funcx_service"},
		{"https://auth.globus.org/scopes/" + collection + "/data_access", collection},
		{"https://auth.globus.org/scopes/" + collection + "/https", collection},
		{"urn:globus:auth:scope:" + endpoint + ":manage_collections", endpoint},
		{"urn:example:nonsense", ""},
		{"https://auth.globus.org/scopes/" + timers + "/timer[urn:example:nonsense]", ""},
		{"https://auth.globus.org/scopes/" + timers + "/timer[urn:globus:auth:scope:transfer.api.globus.org:all", ""},
		{"https://auth.globus.org/scopes/" + timers + "/timer[]", ""},
		{"openid]", ""},
		{"urn:globus:auth:scope:search.example.org:all", ""},
		{"urn:globus:auth:scope:transfer.api.globus.org:", ""},
		{"urn:globus:auth:scope:" + endpoint, ""},
		{"https://auth.globus.org/scopes/not-a-uuid/x", ""},
		{"https://auth.globus.org/scopes/" + collection + "/", ""},
		{"https://example.org/scopes/" + collection + "/data_access", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, ok := ResourceServer(c.scope)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ResourceServer(%q) = %q, %v; want %q", c.scope, got, ok, c.want)
		}
	}
}

// A request's scopes are split at the spaces between them, not at those inside the brackets of
// a scope's dependencies.
func TestSplitScopes(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"openid  email", []string{"openid", "email"}},
		{"a[b c[d e]] f", []string{"a[b c[d e]]", "f"}},
		{" a[b] ", []string{"a[b]"}},
		{"", nil},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, splitScopes(c.in)); diff != "" {
			t.Errorf("splitScopes(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

func TestLinkedIdentitiesAndExpiry(t *testing.T) {
	clk := clock.New()
	clk.Freeze(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	d := NewDirectory(clk)
	primary, err := d.AddIdentity(Identity{Username: "p@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	linked, err := d.AddIdentity(Identity{Username: "l@uni.example.edu", LinkedTo: primary.ID})
	if err != nil {
		t.Fatal(err)
	}
	g, err := d.AddGroup(Group{Name: "g", Members: []Member{{IdentityID: linked.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := d.IssueToken(Token{IdentityID: primary.ID, Scopes: []string{"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Resolve(tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Principals()
	if !p[IdentityURN(linked.ID)] || !p[GroupURN(g.ID)] || c.IdentitySet[0].ID != primary.ID {
		t.Fatalf("principals %v should include the linked identity and its group, primary first", p)
	}
	clk.Advance(TokenLifetime)
	if _, err := d.Resolve(tok.Token); err == nil {
		t.Fatal("a token at its expiry must be refused")
	}
}
