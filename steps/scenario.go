package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gavv/httpexpect/v2"
	"github.com/globus-conformance/kit/openapi"
)

// exchange is one request and its response.
type exchange struct {
	method, path string
	reqBody      []byte
	status       int
	body         []byte
	doc          any    // decoded JSON body (nil if none or not JSON)
	location     string // where a redirect sends the client
	cookies      []*http.Cookie
}

// scenario is the state of one scenario. godog builds one per scenario, so concurrent scenarios
// share nothing.
type scenario struct {
	target Target
	spec   *openapi.Spec
	expect *httpexpect.Expect
	report *collector
	last   *exchange
	// loginCode is the code of the last login redirect; loginPage where its page's form answers.
	// loginRefresh is the refresh token of the last exchange that gave one.
	loginCode, loginPage, loginRefresh string
	// cookies are what the scenario's browser keeps from Auth's answers (its session), by name.
	cookies map[string]string
	prev    *exchange         // the exchange before the last
	flows   map[string]string // flow name -> id
	groups  map[string]string // group name -> id
	runs    map[string]string // run name -> id
	// collections, rules and roles name Transfer objects made in the scenario.
	collections, rules, roles map[string]string
	// policies, projects and subscriptions name Auth objects made in the scenario.
	policies, projects, subscriptions map[string]string
	apis                              map[string]string // registered API name -> id
	webInputs                         map[string]string // web input name -> id
	// cast binds the roles a scenario speaks of ("the owner", "an outsider") to personas.
	cast map[string]string
	// service is a scenario's own HTTP service that the mock calls (a registered API's destination).
	service *fakeService
	// runOwners remembers who started each named run, to read it back.
	runOwners map[string]string
	tokens    map[string]string   // token name -> token (for named tokens)
	providers map[string]provider // provider name -> what the mock registered
	idCache   map[string]string   // persona -> identity id
	// worlds are the worlds the scenario made, by name; worldOf binds a role to one of them.
	worlds  map[string]mockWorld
	worldOf map[string]string
	// recorder, when set, records every exchange for the coverage table, under pickleID.
	recorder *Recorder
	pickleID string
	// created lists what the scenario made through the public API, for cleanup on shared targets.
	created []createdResource
	// undo puts back the settings the scenario changed through the control plane (shared targets).
	undo []func()
	// ap is the action-provider profile's view of the provider under test.
	ap *apState
}

// collector turns httpexpect's failures into the step's error.
type collector struct{ errs []string }

func (c *collector) Errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

func (c *collector) take() error {
	if len(c.errs) == 0 {
		return nil
	}
	err := fmt.Errorf("%s", strings.Join(c.errs, "\n"))
	c.errs = nil
	return err
}

func newScenario(t Target, spec *openapi.Spec) (*scenario, error) {
	base, client, err := t.Open()
	if err != nil {
		return nil, err
	}
	rep := &collector{}
	e := httpexpect.WithConfig(httpexpect.Config{
		BaseURL:  base,
		Client:   client,
		Reporter: rep,
	})
	return &scenario{target: t, spec: spec, expect: e, report: rep,
		flows: map[string]string{}, groups: map[string]string{}, runs: map[string]string{}, runOwners: map[string]string{},
		collections: map[string]string{}, rules: map[string]string{}, roles: map[string]string{},
		policies: map[string]string{}, projects: map[string]string{}, subscriptions: map[string]string{}, apis: map[string]string{}, webInputs: map[string]string{}, cast: map[string]string{}, tokens: map[string]string{}, idCache: map[string]string{}, providers: map[string]provider{},
		worlds: map[string]mockWorld{}, worldOf: map[string]string{}}, nil
}

// do sends a request with an optional bearer token and body, validates the response against the
// contract, and records it as the last exchange.
func (s *scenario) do(token, method, path string, body []byte, contentType string) error {
	return s.doWith(nil, token, method, path, body, contentType)
}

// doWith is do with a hook that adjusts the request (for example to add client credentials).
func (s *scenario) doWith(adjust func(*httpexpect.Request) *httpexpect.Request, token, method, path string, body []byte, contentType string) error {
	p, query, _ := strings.Cut(path, "?")
	req := s.expect.Request(method, p)
	if adjust != nil {
		req = adjust(req)
	}
	if query != "" {
		req = req.WithQueryString(query)
	}
	if token != "" {
		req = req.WithHeader("Authorization", "Bearer "+token)
	}
	if body != nil {
		if contentType == "" {
			contentType = "application/json"
		}
		req = req.WithHeader("Content-Type", contentType).WithBytes(body)
	}
	resp := req.Expect()
	if err := s.report.take(); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	raw := resp.Raw()
	respBody := []byte(resp.Body().Raw())
	ex := &exchange{method: method, path: path, reqBody: body, status: raw.StatusCode, body: respBody, location: raw.Header.Get("Location"), cookies: raw.Cookies()}
	ex.doc = decodeJSON(respBody)
	s.prev, s.last = s.last, ex
	return s.validate(method, path, body, raw.StatusCode, raw.Header, respBody)
}

// validate checks a response against openapi/: documented status, content type, body schema.
// Control-plane responses and 501s for operations not yet built are outside the contract.
func (s *scenario) validate(method, path string, reqBody []byte, status int, header http.Header, body []byte) error {
	if strings.HasPrefix(path, "/_mock/") || status == http.StatusNotImplemented {
		return nil
	}
	p, rawQuery, _ := strings.Cut(path, "?")
	q, _ := url.ParseQuery(rawQuery)
	r, err := http.NewRequest(method, (&url.URL{Scheme: "http", Host: "target", Path: p, RawQuery: q.Encode()}).String(), bytes.NewReader(reqBody))
	if err != nil {
		return err
	}
	route, err := s.spec.FindRoute(r)
	if err != nil {
		return nil // no described operation: nothing to check against
	}
	s.recorder.exchange(s.pickleID, route.OperationID, status)
	if err := s.spec.ValidateResponse(context.Background(), r, route, status, header, body); err != nil {
		return fmt.Errorf("the response of %s %s (%d) breaks the OpenAPI contract: %v\nbody: %s", method, path, status, err, truncate(body))
	}
	return nil
}

// decodeJSON decodes a response body, numbers kept as written; nil when it is empty or not JSON.
func decodeJSON(body []byte) any {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil
	}
	return doc
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "..."
	}
	return string(b)
}

// token returns the bearer token of a persona or of a named token.
func (s *scenario) token(who string) (string, error) {
	if t, ok := s.tokens[who]; ok {
		return t, nil
	}
	if t, ok := s.worldToken(who); ok {
		return t, nil
	}
	who = s.persona(who)
	if t, ok := s.target.Token(who); ok {
		return t, nil
	}
	return "", fmt.Errorf("unknown persona or token %q", who)
}

// persona is the persona playing a role of the scenario's cast ("the owner", "an outsider",
// "administrator"), or the name itself when it is a persona.
func (s *scenario) persona(who string) string {
	if p, ok := s.cast[roleOf(who)]; ok {
		return p
	}
	return who
}

// roleOf is a role of the cast as a step names it, without its article.
func roleOf(who string) string {
	for _, article := range []string{"the ", "an ", "a "} {
		who = strings.TrimPrefix(who, article)
	}
	return who
}

// identityID resolves a persona's identity id through the Auth API.
func (s *scenario) identityID(persona string) (string, error) {
	persona = s.persona(persona)
	if id, ok := s.idCache[persona]; ok {
		return id, nil
	}
	if id, ok := s.target.Identity(persona); ok {
		return id, nil
	}
	tok, err := s.token(persona)
	if err != nil {
		return "", err
	}
	saved, savedPrev := s.last, s.prev
	defer func() { s.last, s.prev = saved, savedPrev }()
	if err := s.do(tok, http.MethodGet, "/v2/api/identities?usernames="+persona+"@example.org", nil, ""); err != nil {
		return "", err
	}
	id, _ := lookup(s.last.doc, "identities.0.id")
	idStr, ok := id.(string)
	if !ok {
		return "", fmt.Errorf("no identity found for %s@example.org", persona)
	}
	s.idCache[persona] = idStr
	return idStr, nil
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_:. -]+)\}`)

// expand replaces placeholders: {alice.id}, {alice.urn}, {flow:Name}, {flow:Name.scope},
// {group:Name}, {group:Name.urn}, {run:Name}, {collection:Name}, {rule:Name}, {role:Name},
// {policy:Name}, {project:Name}, {subscription:Name}, {api:Name}, {webinput:Name}, {service},
// {template:var} (a literal {var}), {ap.url}, {ap.client_id}, {ap.body:Name} (the provider under
// the action-provider profile, and its run bodies), {last.<field path>}, {previous.<field path>} (the response
// before the last).
func (s *scenario) expand(text string) (string, error) {
	var firstErr error
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		key := m[1 : len(m)-1]
		v, err := s.resolve(key)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return m
		}
		return v
	})
	return out, firstErr
}

func (s *scenario) resolve(key string) (string, error) {
	switch {
	case strings.HasPrefix(key, "flow:"):
		id, attr, err := named("flow", s.flows, strings.TrimPrefix(key, "flow:"))
		if attr == "scope" {
			return "https://auth.globus.org/scopes/" + id + "/flow_" + strings.ReplaceAll(id, "-", "_") + "_user", err
		}
		return id, err
	case strings.HasPrefix(key, "collection:"):
		id, _, err := named("collection", s.collections, strings.TrimPrefix(key, "collection:"))
		return id, err
	case strings.HasPrefix(key, "rule:"):
		id, _, err := named("rule", s.rules, strings.TrimPrefix(key, "rule:"))
		return id, err
	case strings.HasPrefix(key, "role:"):
		id, _, err := named("role", s.roles, strings.TrimPrefix(key, "role:"))
		return id, err
	case strings.HasPrefix(key, "project:"):
		id, _, err := named("project", s.projects, strings.TrimPrefix(key, "project:"))
		return id, err
	case strings.HasPrefix(key, "policy:"):
		id, _, err := named("policy", s.policies, strings.TrimPrefix(key, "policy:"))
		return id, err
	case strings.HasPrefix(key, "template:"):
		// A literal URL-template variable, such as a registered API's {thing_id}.
		return "{" + strings.TrimPrefix(key, "template:") + "}", nil
	case key == "service":
		if s.service == nil {
			return "", fmt.Errorf("no service in this scenario: say \"Given a service that answers ...\" first")
		}
		return s.service.srv.URL, nil
	case strings.HasPrefix(key, "provider:"):
		return s.providerField(strings.TrimPrefix(key, "provider:"))
	case strings.HasPrefix(key, "ap."):
		return s.actionProviderField(strings.TrimPrefix(key, "ap."))
	case strings.HasPrefix(key, "token:"):
		// A named token, or the token of a persona or role.
		return s.token(strings.TrimPrefix(key, "token:"))
	case strings.HasPrefix(key, "webinput:"):
		id, _, err := named("web input", s.webInputs, strings.TrimPrefix(key, "webinput:"))
		return id, err
	case strings.HasPrefix(key, "api:"):
		id, _, err := named("registered API", s.apis, strings.TrimPrefix(key, "api:"))
		return id, err
	case strings.HasPrefix(key, "subscription:"):
		id, _, err := named("subscription", s.subscriptions, strings.TrimPrefix(key, "subscription:"))
		return id, err
	case strings.HasPrefix(key, "run:"):
		id, _, err := named("run", s.runs, strings.TrimPrefix(key, "run:"))
		return id, err
	case strings.HasPrefix(key, "group:"):
		id, attr, err := named("group", s.groups, strings.TrimPrefix(key, "group:"))
		if attr == "urn" {
			return "urn:globus:groups:id:" + id, err
		}
		return id, err
	case strings.HasPrefix(key, "kept:"):
		// A value kept from an answer ("the response field ... is kept as ...").
		if v, ok := s.tokens[strings.TrimPrefix(key, "kept:")]; ok {
			return v, nil
		}
		return "", fmt.Errorf("nothing was kept as %q", strings.TrimPrefix(key, "kept:"))
	case strings.HasPrefix(key, "repeat:"):
		// {repeat:N:text}: text N times, for a field at a length limit.
		n, text, _ := strings.Cut(strings.TrimPrefix(key, "repeat:"), ":")
		count, err := strconv.Atoi(n)
		if err != nil || count < 0 {
			return "", fmt.Errorf("{%s}: the count must be a number", key)
		}
		return strings.Repeat(text, count), nil
	case strings.HasPrefix(key, "urns:"):
		// {urns:N}: N distinct identity URNs, quoted and comma-separated, for a principal list at its limit.
		count, err := strconv.Atoi(strings.TrimPrefix(key, "urns:"))
		if err != nil || count < 0 {
			return "", fmt.Errorf("{%s}: the count must be a number", key)
		}
		urns := make([]string, count)
		for i := range urns {
			urns[i] = fmt.Sprintf("%q", fmt.Sprintf("urn:globus:auth:identity:%08x-0000-4000-8000-000000000000", i+1))
		}
		return strings.Join(urns, ", "), nil
	case strings.HasPrefix(key, "last."):
		return fieldOf(s.last, "last", strings.TrimPrefix(key, "last."))
	case strings.HasPrefix(key, "previous."):
		return fieldOf(s.prev, "previous", strings.TrimPrefix(key, "previous."))
	}
	persona, attr, ok := strings.Cut(key, ".")
	if ok && (attr == "id" || attr == "urn") {
		id, err := s.identityID(persona)
		if err != nil {
			return "", err
		}
		if attr == "urn" {
			return "urn:globus:auth:identity:" + id, nil
		}
		return id, nil
	}
	return "", fmt.Errorf("unknown placeholder {%s}", key)
}

// fieldOf is a field of an exchange's response, for a {last.} or {previous.} placeholder.
func fieldOf(ex *exchange, which, path string) (string, error) {
	if ex == nil {
		return "", fmt.Errorf("no %s response yet", which)
	}
	v, ok := lookup(ex.doc, path)
	if !ok {
		return "", fmt.Errorf("the %s response has no field %q", which, path)
	}
	return fmt.Sprint(v), nil
}

// named resolves "Name" or "Name.attr" against the ids a scenario created under names.
func named(kind string, ids map[string]string, ref string) (id, attr string, err error) {
	name, attr, _ := strings.Cut(ref, ".")
	id, ok := ids[name]
	if !ok {
		return "", "", fmt.Errorf("no %s named %q in this scenario", kind, name)
	}
	return id, attr, nil
}

// lookup follows a dotted path of keys and indexes ("flows.0.title"); negative indexes count
// from the end.
func lookup(doc any, path string) (any, bool) {
	if path == "" {
		return doc, true
	}
	cur := doc
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[part]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil {
				return nil, false
			}
			if i < 0 {
				i += len(v)
			}
			if i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
