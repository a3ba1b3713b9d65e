package auth

import (
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
)

func TestResourceServer(t *testing.T) {
	cases := []struct{ scope, want string }{
		{"openid", AuthResourceServer},
		{"urn:globus:auth:scope:auth.globus.org:view_identity_set", AuthResourceServer},
		{"urn:globus:auth:scope:transfer.api.globus.org:all", TransferResourceServer},
		{"urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships", GroupsResourceServer},
		{FlowsScope("all"), FlowsResourceServer},
		{FlowScope("6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f"), "6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f"},
		{FlowsScope("all") + "[urn:globus:auth:scope:transfer.api.globus.org:all]", FlowsResourceServer},
		{"urn:example:nonsense", ""},
		{"https://auth.globus.org/scopes/not-a-uuid/x", ""},
	}
	for _, c := range cases {
		got, ok := ResourceServer(c.scope)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ResourceServer(%q) = %q, %v; want %q", c.scope, got, ok, c.want)
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
