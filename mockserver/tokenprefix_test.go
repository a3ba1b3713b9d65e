package mockserver

import (
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver/auth"
)

// With a TokenPrefix every token and secret of the seed, and every one made later, starts with
// it, and a dump loads back without a second prefix.
func TestTokenPrefix(t *testing.T) {
	const prefix = "wtest-"
	s, err := New(Options{TokenPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	issued, err := s.IssueToken(auth.Token{IdentityID: "0b0b0000-0000-4000-8000-000000000002", AllScopes: true})
	if err != nil {
		t.Fatal(err)
	}
	named, err := s.IssueToken(auth.Token{Token: "tok-x", IdentityID: "0b0b0000-0000-4000-8000-000000000002"})
	if err != nil {
		t.Fatal(err)
	}
	client, err := s.AddClient(auth.Client{Name: "made"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Load(s.Dump()); err != nil {
		t.Fatal(err)
	}
	d := s.Dump()
	var values []string
	for _, tok := range d.Tokens {
		values = append(values, tok.Token)
	}
	for _, c := range d.Clients {
		if c.Secret != "" {
			values = append(values, c.Secret)
		}
	}
	values = append(values, issued.Token, named.Token, client.Secret)
	for _, v := range values {
		if !strings.HasPrefix(v, prefix) || strings.HasPrefix(v, prefix+prefix) {
			t.Errorf("%q does not start with %s exactly once", v, prefix)
		}
	}
	if len(values) < 8 {
		t.Errorf("only %d tokens and secrets to check", len(values))
	}
}
