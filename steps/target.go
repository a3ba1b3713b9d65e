// Package steps is the conformance harness: godog step definitions that drive any implementation
// of the Flows, Transfer ACL and Auth APIs over HTTP, and check every response against openapi/.
//
// A scenario talks to a Target. The in-process target builds a fresh mock per scenario and binds
// httpexpect to its handler without a socket, so scenarios are independent and run concurrently.
// Steps never reach into the mock: what a scenario arranges beyond the public API goes through the
// control plane (/_mock/), and such scenarios are tagged @control.
package steps

import (
	"net/http"

	"github.com/gavv/httpexpect/v2"
	"github.com/globus-conformance/kit/mockserver"
)

// Target is an implementation under test.
type Target interface {
	// Open starts one scenario's view of the target: the base URL and the HTTP client to reach it.
	Open() (baseURL string, client *http.Client, err error)
	// ControlPlane reports whether /_mock/ is available.
	ControlPlane() bool
	// Token returns a persona's bearer token.
	Token(persona string) (string, bool)
}

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

// InProcess is the default target: a fresh mock per scenario, on the default world, with
// response validation switched on so the mock can never answer outside its contract.
type InProcess struct{}

// Open builds the scenario's mock.
func (InProcess) Open() (string, *http.Client, error) {
	srv, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		return "", nil, err
	}
	return "http://mock.invalid", &http.Client{Transport: httpexpect.NewBinder(srv.Handler())}, nil
}

// ControlPlane is always available in process.
func (InProcess) ControlPlane() bool { return true }

// Token of a default-world persona.
func (InProcess) Token(p string) (string, bool) { return defaultToken(p) }

// URL is a mock already running at a URL, on the default world; scenarios reset it through the
// control plane, so they run one at a time.
type URL struct{ Base string }

// Open resets the mock and returns its URL.
func (u URL) Open() (string, *http.Client, error) {
	client := &http.Client{}
	req, err := http.NewRequest(http.MethodPost, u.Base+"/_mock/reset", nil)
	if err != nil {
		return "", nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", nil, err
	}
	_ = resp.Body.Close()
	return u.Base, client, nil
}

// ControlPlane is available on a mock.
func (URL) ControlPlane() bool { return true }

// Token of a default-world persona.
func (URL) Token(p string) (string, bool) { return defaultToken(p) }
