// Package steps is the conformance harness: godog step definitions that drive any implementation
// of the Flows, Transfer ACL and Auth APIs over HTTP, and check every response against openapi/.
//
// A scenario talks to a Target. The in-process target builds a fresh mock per scenario and binds
// httpexpect to its handler without a socket, so scenarios are independent and run concurrently.
// Steps never reach into the mock: what a scenario arranges beyond the public API goes through the
// control plane (/_mock/), and such scenarios are tagged @control.
package steps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/gavv/httpexpect/v2"
	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/worlds"
)

// Target is an implementation under test.
type Target interface {
	// Open starts one scenario's view of the target: the base URL and the HTTP client to reach it.
	Open() (baseURL string, client *http.Client, err error)
	// ControlPlane reports whether /_mock/ is available.
	ControlPlane() bool
	// ControlPlaneToken is the token a guarded control plane needs ("" for none); it is sent on
	// control-plane requests only, never to the emulated APIs.
	ControlPlaneToken() string
	// Token returns a persona's bearer token.
	Token(persona string) (string, bool)
	// Identity returns a persona's identity id when the target knows it without asking Auth.
	Identity(persona string) (string, bool)
	// Cleanup reports whether scenarios must remove what they made (shared targets).
	Cleanup() bool
	// Collections are collections a target without a control plane offers the Transfer
	// scenarios in place of making them.
	Collections() []RealCollection
	// Name describes the target in reports.
	Name() string
}

// controlTokenHeader carries a guarded control plane's token (the mock also takes it as a bearer
// token, but the harness keeps Authorization for personas).
const controlTokenHeader = "X-Mock-Control-Token"

// Personas of the default world; their tokens are tok-<name>.
var Personas = []string{"alice", "bob", "carol", "dave", "erin"}

func defaultToken(persona string) (string, bool) {
	for _, p := range Personas {
		if p == persona {
			return "tok-" + p, true
		}
	}
	return "", false
}

// defaultWorld is what the mock targets share: default-world personas, a control plane, nothing
// to clean (a fresh or reset mock per scenario).
type defaultWorld struct{}

func (defaultWorld) ControlPlane() bool             { return true }
func (defaultWorld) ControlPlaneToken() string      { return "" }
func (defaultWorld) Token(p string) (string, bool)  { return defaultToken(p) }
func (defaultWorld) Identity(string) (string, bool) { return "", false }
func (defaultWorld) Cleanup() bool                  { return false }
func (defaultWorld) Collections() []RealCollection  { return nil }

// InProcess is the default target: a fresh mock per scenario (the worlds multiplexer, as
// cmd/mockserver serves it), on the default world, with response validation switched on so the
// mock can never answer outside its contract. Wrap, when set, wraps each mock's handler (the
// mutation tests inject defects with it).
type InProcess struct {
	defaultWorld
	Wrap func(http.Handler) http.Handler
}

// Open builds the scenario's mock.
func (t InProcess) Open() (string, *http.Client, error) {
	srv, err := worlds.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		return "", nil, err
	}
	var h http.Handler = srv
	if t.Wrap != nil {
		h = t.Wrap(h)
	}
	// localhost: the control plane answers only hosts DNS rebinding cannot forge.
	return "http://localhost", &http.Client{Transport: httpexpect.NewBinder(h)}, nil
}

// Name of the in-process target.
func (InProcess) Name() string { return "the in-process mock" }

// URL is a mock already running at a URL, on the default world; scenarios reset it through the
// control plane, so they run one at a time. ControlToken is the mock's control token, if it has one.
type URL struct {
	defaultWorld
	Base         string
	ControlToken string
}

// ControlPlaneToken is the mock's control token.
func (u URL) ControlPlaneToken() string { return u.ControlToken }

// Open resets the mock and returns its URL.
func (u URL) Open() (string, *http.Client, error) {
	client := &http.Client{}
	req, err := http.NewRequest(http.MethodPost, u.Base+"/_mock/reset", nil)
	if err != nil {
		return "", nil, err
	}
	if u.ControlToken != "" {
		req.Header.Set(controlTokenHeader, u.ControlToken)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("reset the mock at %s: %w", u.Base, err)
	}
	_ = resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return "", nil, fmt.Errorf("reset the mock at %s: status 401: its control plane needs the control token "+
			"(--control-token or MOCKSERVER_CONTROL_TOKEN), or the one given is not its own", u.Base)
	case resp.StatusCode != http.StatusOK:
		return "", nil, fmt.Errorf("reset the mock at %s: status %d (is it a conformance-kit mock?)", u.Base, resp.StatusCode)
	}
	return u.Base, client, nil
}

// Name of the URL target.
func (u URL) Name() string { return "the mock at " + u.Base }

// RealConfig describes a real implementation (or a staging deployment): where each service is
// and who the personas are. It is read from a JSON file (see the README for an example).
type RealConfig struct {
	// Name is shown in reports.
	Name string `json:"name"`
	// Services maps flows, transfer, auth and groups to their base URLs.
	Services map[string]string `json:"services"`
	// ControlPlane is true only for implementations that serve the mock's /_mock/ hooks.
	ControlPlane bool `json:"control_plane"`
	// ControlToken is the token that guards those hooks, if any.
	ControlToken string `json:"control_token,omitempty"`
	// Personas maps alice, bob, carol, dave and erin to their tokens and identities.
	Personas map[string]RealPersona `json:"personas"`
	// Collections the Transfer scenarios may use: a guest collection administered by its owner
	// persona and nobody else, with no rules, on a mapped collection.
	Collections []RealCollection `json:"collections,omitempty"`
}

// RealCollection is a collection of a real target, owned (administered) by a persona.
type RealCollection struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`  // guest, mapped, GCP guest or GCP mapped, as scenarios say
	Owner string `json:"owner"` // a persona
	Host  string `json:"host,omitempty"`
}

// RealPersona is one persona on a real implementation.
type RealPersona struct {
	Token      string `json:"token"`
	IdentityID string `json:"identity_id"`
}

// Real is a real implementation described by a RealConfig.
type Real struct {
	Config RealConfig
}

// LoadReal reads a RealConfig file.
func LoadReal(path string) (Real, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Real{}, err
	}
	var c RealConfig
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Real{}, fmt.Errorf("%s: %w", path, err)
	}
	for _, svc := range []string{"flows", "transfer", "auth"} {
		if _, err := url.Parse(c.Services[svc]); err != nil || c.Services[svc] == "" {
			return Real{}, fmt.Errorf("%s: services.%s needs a base URL", path, svc)
		}
	}
	return Real{Config: c}, nil
}

// serviceOf names the service a request path belongs to.
func serviceOf(p string) string {
	switch {
	case strings.HasPrefix(p, "/v0.10/"):
		return "transfer"
	case strings.HasPrefix(p, "/v2/groups/"):
		return "groups"
	case strings.HasPrefix(p, "/v2/"):
		return "auth"
	}
	return "flows"
}

// router sends each request to its service's base URL.
type router struct {
	services map[string]string
	next     http.RoundTripper
}

func (rt router) RoundTrip(r *http.Request) (*http.Response, error) {
	svc := serviceOf(r.URL.Path)
	base, ok := rt.services[svc]
	if !ok && svc == "groups" {
		base, ok = rt.services["auth"]
	}
	if !ok {
		return nil, fmt.Errorf("no base URL for the %s service in the target config", svc)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = u.Scheme, u.Host, u.Host
	r.URL.Path = strings.TrimSuffix(u.Path, "/") + r.URL.Path
	return rt.next.RoundTrip(r)
}

// Open routes the scenario's requests to the services of the config.
func (t Real) Open() (string, *http.Client, error) {
	return "http://target.invalid", &http.Client{Transport: router{services: t.Config.Services, next: http.DefaultTransport}}, nil
}

// ControlPlane as the config says.
func (t Real) ControlPlane() bool { return t.Config.ControlPlane }

// ControlPlaneToken as the config says.
func (t Real) ControlPlaneToken() string { return t.Config.ControlToken }

// Collections as the config lists them.
func (t Real) Collections() []RealCollection { return t.Config.Collections }

// Token of a configured persona.
func (t Real) Token(p string) (string, bool) {
	persona, ok := t.Config.Personas[p]
	return persona.Token, ok && persona.Token != ""
}

// Identity of a configured persona.
func (t Real) Identity(p string) (string, bool) {
	persona, ok := t.Config.Personas[p]
	return persona.IdentityID, ok && persona.IdentityID != ""
}

// Cleanup: a real implementation is shared.
func (Real) Cleanup() bool { return true }

// Name of the real target.
func (t Real) Name() string {
	if t.Config.Name != "" {
		return t.Config.Name
	}
	return t.Config.Services["flows"]
}
