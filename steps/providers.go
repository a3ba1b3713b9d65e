package steps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"
	"github.com/gavv/httpexpect/v2"
)

// Steps for a provider a scenario brings: it registers with the mock (POST /_mock/providers) and,
// as its own client, introspects the token the mock called it with and trades it for dependent
// tokens, over the Auth API only.

// provider is a registered provider as the control plane answered it.
type provider struct {
	URL      string `json:"url"`
	ClientID string `json:"client_id"`
	Secret   string `json:"secret"`
	Scope    string `json:"scope"`
}

func registerProviderSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^a provider "([^"]*)" at (the service|"[^"]*") with:$`, func(name, at string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.registerProvider(name, at, doc.Content) })
	})
	st(`^the provider "([^"]*)"( with a wrong secret)? introspects the token the service received$`, func(name, wrong string) error {
		return w(func(s *scenario) error {
			return s.asProvider(name, wrong != "", "/v2/oauth2/token/introspect", url.Values{"include": {"identity_set"}})
		})
	})
	st(`^the provider "([^"]*)"( with a wrong secret)? trades the token the service received for dependent tokens(?: with "([^"]*)")?$`, func(name, wrong, extra string) error {
		return w(func(s *scenario) error {
			form, err := url.ParseQuery(extra)
			if err != nil {
				return err
			}
			form.Set("grant_type", "urn:globus:auth:grant_type:dependent_token")
			if err := s.asProvider(name, wrong != "", "/v2/oauth2/token", form); err != nil {
				return err
			}
			s.keepDependentTokens()
			return nil
		})
	})
	st(`^the listed groups include "([^"]*)"$`, func(name string) error {
		return w(func(s *scenario) error {
			list, _ := s.last.doc.([]any)
			for _, g := range list {
				if doc, _ := g.(map[string]any); doc["name"] == name {
					return nil
				}
			}
			return fmt.Errorf("the groups listed are not %q: %s", name, truncate(s.last.body))
		})
	})
	st(`^the journal is read for "([^"]*)" "([^"]*)"$`, func(method, path string) error {
		return w(func(s *scenario) error {
			q := url.Values{"method": {method}, "path": {path}}
			return s.controlExchange(http.MethodGet, "/_mock/requests?"+q.Encode(), nil)
		})
	})
	st(`^the control plane is asked (GET|DELETE) "([^"]*)"$`, func(method, path string) error {
		return w(func(s *scenario) error { return s.controlExchange(method, path, nil) })
	})
	st(`^the control plane is asked (POST|PUT) "([^"]*)" with:$`, func(method, path string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.controlExchange(method, path, &doc.Content) })
	})
}

// registerProvider registers a provider at the scenario's service or at a URL, remembering what
// the mock made of it (its client id, secret and scope).
func (s *scenario) registerProvider(name, at, doc string) error {
	u := strings.Trim(at, `"`)
	if at == "the service" {
		u = "{service}"
	}
	u, err := s.expand(u)
	if err != nil {
		return err
	}
	body, err := s.withFields(map[string]any{"url": u}, doc)
	if err != nil {
		return err
	}
	var p provider
	if err := s.control(http.MethodPost, "/_mock/providers", json.RawMessage(body), &p); err != nil {
		return err
	}
	s.providers[name] = p
	return nil
}

// providerField is a registered provider's client_id, scope or url, for a {provider:Name.field}
// placeholder.
func (s *scenario) providerField(ref string) (string, error) {
	name, field, _ := strings.Cut(ref, ".")
	p, ok := s.providers[name]
	if !ok {
		return "", fmt.Errorf("no provider named %q in this scenario", name)
	}
	switch field {
	case "client_id":
		return p.ClientID, nil
	case "scope":
		return p.Scope, nil
	case "url":
		return p.URL, nil
	}
	return "", fmt.Errorf("a provider has no field %q (client_id, scope, url)", field)
}

// asProvider posts an Auth form as the provider's client (HTTP Basic) with the token the
// scenario's service last received.
func (s *scenario) asProvider(name string, wrongSecret bool, path string, form url.Values) error {
	p, ok := s.providers[name]
	if !ok {
		return fmt.Errorf("no provider named %q in this scenario", name)
	}
	if s.service == nil {
		return fmt.Errorf("no service in this scenario")
	}
	got, ok := s.service.last()
	if !ok {
		return fmt.Errorf("the service received no request")
	}
	secret := p.Secret
	if wrongSecret {
		secret += "-wrong"
	}
	form.Set("token", strings.TrimPrefix(got.auth, "Bearer "))
	return s.sendForm(p.ClientID, secret, path, form)
}

// keepDependentTokens names each token of a dependent-token answer "dependent <resource server>".
func (s *scenario) keepDependentTokens() {
	list, _ := s.last.doc.([]any)
	for _, t := range list {
		doc, _ := t.(map[string]any)
		rs, _ := doc["resource_server"].(string)
		if tok, ok := doc["access_token"].(string); ok && rs != "" {
			s.tokens["dependent "+rs] = tok
		}
	}
}

// controlExchange sends a control-plane request and keeps its answer as the last response,
// whatever its status, so the usual response steps check it.
func (s *scenario) controlExchange(method, path string, doc *string) error {
	if !s.target.ControlPlane() {
		return ErrNoControlPlane
	}
	path, body, err := s.expandRequest(path, doc)
	if err != nil {
		return err
	}
	return s.doWith(func(r *httpexpect.Request) *httpexpect.Request {
		if tok := s.target.ControlPlaneToken(); tok != "" {
			r = r.WithHeader(controlTokenHeader, tok)
		}
		return r
	}, "", method, path, body, "")
}
