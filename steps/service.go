package steps

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
}

// serviceReceived checks the last request the service got: method, path and query, the persona's
// bearer token, and the JSON body when one is given.
func (s *scenario) serviceReceived(method, uri, who string, doc *godog.DocString) error {
	if s.service == nil {
		return fmt.Errorf("no service in this scenario")
	}
	got, ok := s.service.last()
	if !ok {
		return fmt.Errorf("the service received no request")
	}
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	if got.method != method || got.uri != uri || got.auth != "Bearer "+tok {
		return fmt.Errorf("the service received %s %s with %q, want %s %s with %s's token", got.method, got.uri, got.auth, method, uri, who)
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

// closeService stops the scenario's service.
func (s *scenario) closeService() {
	if s.service != nil {
		s.service.srv.Close()
		s.service = nil
	}
}
