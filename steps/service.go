package steps

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"
)

// A scenario's own service on loopback, standing for what a client developer registers or calls
// from a flow: it answers every request with one status and body and remembers the requests.
// The mock must be able to reach it, so scenarios using it run against a local mock.

type seenRequest struct {
	method, uri, auth string
	body              any
}

type fakeService struct {
	srv *httptest.Server

	mu   sync.Mutex
	seen []seenRequest
}

func newFakeService(status int, body string) *fakeService {
	f := &fakeService{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var doc any
		if len(b) > 0 {
			_ = json.Unmarshal(b, &doc)
		}
		f.mu.Lock()
		f.seen = append(f.seen, seenRequest{method: r.Method, uri: r.URL.RequestURI(), auth: r.Header.Get("Authorization"), body: doc})
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	return f
}

func (f *fakeService) last() (seenRequest, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seen) == 0 {
		return seenRequest{}, false
	}
	return f.seen[len(f.seen)-1], true
}

func registerServiceSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^a service that answers (\d+) with:$`, func(status int, doc *godog.DocString) error {
		return w(func(s *scenario) error {
			s.service = newFakeService(status, doc.Content)
			return nil
		})
	})
	st(`^the service received (GET|POST|PUT|PATCH|DELETE) "([^"]*)" from ((?:the |an? )?[\w-]+)$`, func(method, uri, who string) error {
		return w(func(s *scenario) error { return s.serviceReceived(method, uri, who, nil) })
	})
	st(`^the service received (GET|POST|PUT|PATCH|DELETE) "([^"]*)" from ((?:the |an? )?[\w-]+) with:$`, func(method, uri, who string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.serviceReceived(method, uri, who, doc) })
	})
	st(`^the service has been sent (GET|POST|PUT|PATCH|DELETE) "([^"]*)" from ((?:the |an? )?[\w-]+)$`, func(method, uri, who string) error {
		return w(func(s *scenario) error { return s.serviceWasSent(method, uri, who) })
	})
	st(`^the service received (GET|POST|PUT|PATCH|DELETE) "([^"]*)" without a token$`, func(method, uri string) error {
		return w(func(s *scenario) error { return s.serviceReceived(method, uri, "", nil) })
	})
}

// serviceReceived checks the last request the service got: method, path and query, its token,
// and the JSON body when one is given. A service is called on a persona's behalf with a token
// minted for the service, never with a persona's own token; with a control plane, the mock tells
// whose the token is. With who empty, the request must carry no token.
// serviceWasSent finds a request among all the service received, not only the last: a provider
// may be polled after the call a scenario looks for.
func (s *scenario) serviceWasSent(method, uri, who string) error {
	if s.service == nil {
		return fmt.Errorf("no service in this scenario")
	}
	s.service.mu.Lock()
	seen := slices.Clone(s.service.seen)
	s.service.mu.Unlock()
	var calls []string
	for _, got := range slices.Backward(seen) {
		if got.method == method && got.uri == uri {
			return s.onBehalfOf(got.auth, who)
		}
		calls = append(calls, got.method+" "+got.uri)
	}
	return fmt.Errorf("the service was never sent %s %s; it received (newest first): %s", method, uri, strings.Join(calls, ", "))
}

func (s *scenario) serviceReceived(method, uri, who string, doc *godog.DocString) error {
	if s.service == nil {
		return fmt.Errorf("no service in this scenario")
	}
	got, ok := s.service.last()
	if !ok {
		return fmt.Errorf("the service received no request")
	}
	if got.method != method || got.uri != uri {
		return fmt.Errorf("the service received %s %s, want %s %s", got.method, got.uri, method, uri)
	}
	if err := s.onBehalfOf(got.auth, who); err != nil {
		return err
	}
	if doc == nil {
		return nil
	}
	text, err := s.expand(doc.Content)
	if err != nil {
		return err
	}
	var want any
	if err := json.Unmarshal([]byte(text), &want); err != nil {
		return fmt.Errorf("the expected body is not JSON: %w", err)
	}
	if diff := cmp.Diff(want, got.body); diff != "" {
		return fmt.Errorf("the service's request body (-want +got):\n%s", strings.TrimSpace(diff))
	}
	return nil
}

// onBehalfOf checks the Authorization header a service got: none when who is empty, else a bearer
// token that is no persona's own and (with a control plane) was minted for who's identity.
func (s *scenario) onBehalfOf(header, who string) error {
	if who == "" {
		if header != "" {
			return fmt.Errorf("the service received the header Authorization: %q, want none", header)
		}
		return nil
	}
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || tok == "" {
		return fmt.Errorf("the service received the header Authorization: %q, want a bearer token", header)
	}
	for _, p := range Personas {
		if own, ok := s.target.Token(p); ok && own == tok {
			return fmt.Errorf("the service received %s's own token: a service must get a token minted for it", p)
		}
	}
	if !s.target.ControlPlane() {
		return nil
	}
	var minted struct {
		IdentityID string `json:"identity_id"`
		Dependent  bool   `json:"dependent"`
	}
	if err := s.control(http.MethodGet, "/_mock/tokens/"+tok, nil, &minted); err != nil {
		return err
	}
	id, err := s.identityID(who)
	if err != nil {
		return err
	}
	if !minted.Dependent || minted.IdentityID != id {
		return fmt.Errorf("the service's token is for identity %s (minted: %v), want a token minted for %s (%s)", minted.IdentityID, minted.Dependent, who, id)
	}
	return nil
}

// closeService stops the scenario's service.
func (s *scenario) closeService() {
	if s.service != nil {
		s.service.srv.Close()
		s.service = nil
	}
}
