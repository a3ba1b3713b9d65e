// Package mocktest starts the mock for a Go test: one call gives a mock served on a free
// loopback port, its URL, the personas' tokens and identities, and closes it when the test ends.
//
//	func TestMyClient(t *testing.T) {
//		m := mocktest.New(t)
//		c := myclient.New(m.URL, m.Token("alice"))
//		...
//	}
package mocktest

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/world"
)

// Mock is a started mock. Server is the mock itself, for its Go control methods (Settle,
// Clock, Dump, Load, IssueToken, ...).
type Mock struct {
	*mockserver.Server
	// URL is the origin every emulated service and the control plane answer under.
	URL string
	// Personas maps each persona of the world (alice, bob, ...) to its bearer token.
	Personas map[string]string
	// Identities maps each persona to its identity id.
	Identities map[string]string
}

// Option adjusts the mock New starts.
type Option func(*mockserver.Options)

// WithWorld starts the mock on a world of the test's instead of the default world.
func WithWorld(w world.World) Option { return func(o *mockserver.Options) { o.World = &w } }

// WithOptions adjusts any of the mock's options (rate limits, a control token, a logger).
func WithOptions(f func(*mockserver.Options)) Option { return Option(f) }

// New starts a mock for the test, with response validation on (an answer outside the contract
// is a 500 naming the violation: a bug of the mock the test should not pass over), and stops it
// when the test and its subtests are done.
func New(t testing.TB, opts ...Option) *Mock {
	t.Helper()
	o := mockserver.Options{ValidateResponses: true}
	for _, f := range opts {
		f(&o)
	}
	srv, err := mockserver.New(o)
	if err != nil {
		t.Fatalf("mocktest: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	m := &Mock{Server: srv, URL: hs.URL, Personas: map[string]string{}, Identities: map[string]string{}}
	w := srv.Dump()
	usernames := map[string]string{}
	for _, id := range w.Identities {
		usernames[id.ID] = id.Username
	}
	for _, tok := range w.Tokens {
		// A persona is a person's token holding every scope: <name>@<domain> gives its name.
		name, _, ok := strings.Cut(usernames[tok.IdentityID], "@")
		if !ok || !tok.AllScopes || strings.HasSuffix(usernames[tok.IdentityID], "@clients.auth.globus.org") {
			continue
		}
		if _, seen := m.Personas[name]; !seen {
			m.Personas[name], m.Identities[name] = tok.Token, tok.IdentityID
		}
	}
	return m
}

// Token is a persona's bearer token; the test fails at once for a persona the world lacks.
func (m *Mock) Token(persona string) string {
	tok, ok := m.Personas[persona]
	if !ok {
		panic("mocktest: no persona " + persona)
	}
	return tok
}

// Env is what points the official SDKs and the CLI at this mock (GLOBUS_SDK_SERVICE_URL_*),
// for a test that runs one as a subprocess.
func (m *Mock) Env() []string {
	var env []string
	for _, svc := range []string{"FLOWS", "TRANSFER", "AUTH", "GROUPS", "TIMERS", "SEARCH"} {
		env = append(env, "GLOBUS_SDK_SERVICE_URL_"+svc+"="+m.URL+"/")
	}
	return env
}
