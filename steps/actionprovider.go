package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// The action-provider profile: the features in features/action_provider/ run against an Action
// Provider at a URL, with a mock at a URL as its Globus Auth. Before each scenario the mock is
// reset and the provider registered with it (its client and scope), so the personas' tokens the
// control plane mints for the provider's scope are ones its client may introspect.

// DefaultActionBodies are the run bodies the profile's scenarios ask for, by what they make the
// provider do; they suit the example provider (cmd/example-provider/actionprovider). A provider of other
// inputs gives its own with --bodies.
var DefaultActionBodies = map[string]json.RawMessage{
	"succeeds": json.RawMessage(`{}`),                      // ends SUCCEEDED, at once or later
	"finishes": json.RawMessage(`{"wait": 1}`),             // ACTIVE first, SUCCEEDED on a later status
	"active":   json.RawMessage(`{"wait": 1000}`),          // stays ACTIVE while the scenario runs
	"inactive": json.RawMessage(`{"needs_consent": true}`), // INACTIVE with details.required_scope
}

// ActionProvider is an Action Provider at a URL, checked with a mock at a URL for tokens.
type ActionProvider struct {
	defaultWorld
	// Mock is the mock that stands for Globus Auth (reset before each scenario).
	Mock URL
	// Provider is the provider's base URL.
	Provider string
	// ClientID and Secret are the provider's client, registered with the mock before each scenario.
	ClientID, Secret string
	// DependentScopes are the scopes the provider may ask the dependent-token grant for.
	DependentScopes []string
	// Bodies are the run bodies by name (default DefaultActionBodies).
	Bodies map[string]json.RawMessage
}

// Open resets the mock and registers the provider with the scope its introspection document names.
func (t ActionProvider) Open() (string, *http.Client, error) {
	base, client, err := t.Mock.Open()
	if err != nil {
		return "", nil, err
	}
	scope, err := t.scope(client)
	if err != nil {
		return "", nil, err
	}
	reg, _ := json.Marshal(map[string]any{"url": t.Provider, "client_id": t.ClientID, "secret": t.Secret,
		"scope": scope, "dependent_scopes": orNone(t.DependentScopes)})
	req, err := http.NewRequest(http.MethodPost, base+"/_mock/providers", bytes.NewReader(reg))
	if err != nil {
		return "", nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if t.Mock.ControlToken != "" {
		req.Header.Set(controlTokenHeader, t.Mock.ControlToken)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode >= 300 {
		return "", nil, fmt.Errorf("register the provider with the mock: %d %s", resp.StatusCode, body)
	}
	return base, client, nil
}

// scope reads the provider's globus_auth_scope from its introspection document.
func (t ActionProvider) scope(client *http.Client) (string, error) {
	resp, err := client.Get(t.Provider + "/")
	if err != nil {
		return "", fmt.Errorf("the provider at %s: %w", t.Provider, err)
	}
	defer resp.Body.Close()
	var doc struct {
		Scope string `json:"globus_auth_scope"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || doc.Scope == "" {
		return "", fmt.Errorf("the provider at %s: GET / (%d) gives no globus_auth_scope", t.Provider, resp.StatusCode)
	}
	return doc.Scope, nil
}

// ControlPlaneToken is the mock's control token.
func (t ActionProvider) ControlPlaneToken() string { return t.Mock.ControlToken }

// Name of the provider target.
func (t ActionProvider) Name() string { return "the Action Provider at " + t.Provider }

func (t ActionProvider) body(name string) (json.RawMessage, error) {
	bodies := t.Bodies
	if bodies == nil {
		bodies = DefaultActionBodies
	}
	if b, ok := bodies[name]; ok {
		return b, nil
	}
	if b, ok := DefaultActionBodies[name]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("no run body named %q (the profile's bodies: succeeds, finishes, active, inactive)", name)
}

func orNone(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// apState is what an action-provider scenario knows: the provider, its scope, the route family
// it speaks and the actions it started, by name.
type apState struct {
	target  ActionProvider
	scope   string
	family  string // "classic" (/run, /{id}/status) or "actions" (/actions, /actions/{id})
	actions map[string]apAction
}

type apAction struct {
	id      string
	request map[string]any // the run request sent, for replays
	token   string
	ended   string // the action's document once it was seen SUCCEEDED or FAILED
}

// observe checks an answer about a named action against what was seen of it before: once it is
// SUCCEEDED or FAILED its document never changes (ACTIVE and INACTIVE may alternate freely).
func (ap *apState) observe(name string, doc any) error {
	a := ap.actions[name]
	if id, _ := lookup(doc, "action_id"); fmt.Sprint(id) != a.id {
		return nil
	}
	b, _ := json.Marshal(doc)
	if a.ended != "" && string(b) != a.ended {
		return fmt.Errorf("the action %q changed after its end: %s, then %s", name, a.ended, b)
	}
	if st, _ := lookup(doc, "status"); st == "SUCCEEDED" || st == "FAILED" {
		a.ended = string(b)
		ap.actions[name] = a
	}
	return nil
}

func (s *scenario) actionProvider() (*apState, error) {
	if s.ap != nil {
		return s.ap, nil
	}
	t, ok := s.target.(ActionProvider)
	if !ok {
		return nil, fmt.Errorf("this step needs the action-provider profile (cmd/conformance --profile action-provider)")
	}
	scope, err := t.scope(http.DefaultClient)
	if err != nil {
		return nil, err
	}
	s.ap = &apState{target: t, scope: scope, family: "classic", actions: map[string]apAction{}}
	return s.ap, nil
}

// actionProviderField is the provider's url or client_id, or a run body (body:Name), for an
// {ap.<field>} placeholder.
func (s *scenario) actionProviderField(field string) (string, error) {
	ap, err := s.actionProvider()
	if err != nil {
		return "", err
	}
	switch {
	case field == "url":
		return ap.target.Provider, nil
	case field == "client_id":
		return ap.target.ClientID, nil
	case strings.HasPrefix(field, "body:"):
		b, err := ap.target.body(strings.TrimPrefix(field, "body:"))
		return string(b), err
	}
	return "", fmt.Errorf("the provider has no field %q (url, client_id, body:<name>)", field)
}

// apToken is a token of a persona for the provider's scope alone, or one that the provider must
// refuse: none, expired, or for another scope.
func (s *scenario) apToken(who, kind string) (string, error) {
	ap, err := s.actionProvider()
	if err != nil {
		return "", err
	}
	name := "ap " + kind + " " + s.persona(who)
	if t, ok := s.tokens[name]; ok {
		return t, nil
	}
	switch kind {
	case "no token":
		return "", nil
	case "an expired token":
		secs := 60
		if err := s.issueToken(name, who, []string{ap.scope}, &secs); err != nil {
			return "", err
		}
		if err := s.control(http.MethodPost, "/_mock/clock/advance", map[string]any{"seconds": 120}, nil); err != nil {
			return "", err
		}
	case "a token for another scope":
		if err := s.issueToken(name, who, []string{"urn:globus:auth:scope:transfer.api.globus.org:all"}, nil); err != nil {
			return "", err
		}
	default:
		if err := s.issueToken(name, who, []string{ap.scope}, nil); err != nil {
			return "", err
		}
	}
	return s.tokens[name], nil
}

// apDo sends a request to the provider and keeps the answer as the last exchange.
func (s *scenario) apDo(token, method, path string, body any) error {
	ap, err := s.actionProvider()
	if err != nil {
		return err
	}
	var raw []byte
	var rd io.Reader
	if body != nil {
		raw, _ = json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, ap.target.Provider+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	respBody, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	s.prev, s.last = s.last, &exchange{method: method, path: path, reqBody: raw, status: resp.StatusCode, body: respBody, doc: decodeJSON(respBody)}
	if ct := resp.Header.Get("Content-Type"); len(respBody) > 0 && !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s %s answered %d with Content-Type %q, not JSON", method, path, resp.StatusCode, ct)
	}
	return nil
}

// runAction starts an action of a named body as a persona (or with a refused token kind), with
// extra request fields, and names it.
func (s *scenario) runAction(who, kind, bodyName, name, extra string) error {
	ap, err := s.actionProvider()
	if err != nil {
		return err
	}
	body, err := ap.target.body(bodyName)
	if err != nil {
		return err
	}
	reqDoc, err := s.withFields(map[string]any{"request_id": ids.UUID(), "body": body}, extra)
	if err != nil {
		return err
	}
	var req map[string]any
	if err := json.Unmarshal(reqDoc, &req); err != nil {
		return err
	}
	tok, err := s.apToken(who, kind)
	if err != nil {
		return err
	}
	if err := s.apDo(tok, http.MethodPost, ap.runPath(), req); err != nil {
		return err
	}
	if id, ok := lookup(s.last.doc, "action_id"); ok && name != "" {
		ap.actions[name] = apAction{id: fmt.Sprint(id), request: req, token: tok}
		return ap.observe(name, s.last.doc)
	}
	return nil
}

func (ap *apState) runPath() string {
	if ap.family == "actions" {
		return "/actions"
	}
	return "/run"
}

// opPath is where an operation on an action is, in the scenario's route family.
func (ap *apState) opPath(id, op string) string {
	if ap.family == "actions" {
		if op == "status" {
			return "/actions/" + id
		}
		return "/actions/" + id + "/" + op
	}
	return "/" + id + "/" + op
}

var apOps = map[string]struct{ method, op string }{
	"reads the status of": {http.MethodGet, "status"}, "reads the log of": {http.MethodGet, "log"},
	"cancels": {http.MethodPost, "cancel"}, "releases": {http.MethodPost, "release"}, "resumes": {http.MethodPost, "resume"},
}

func (s *scenario) actOnAction(who, kind, verb, name string) error {
	ap, err := s.actionProvider()
	if err != nil {
		return err
	}
	a, ok := ap.actions[name]
	if !ok {
		return fmt.Errorf("no action named %q in this scenario (did its run fail? %s)", name, s.lastBody())
	}
	tok, err := s.apToken(who, kind)
	if err != nil {
		return err
	}
	op := apOps[verb]
	if err := s.apDo(tok, op.method, ap.opPath(a.id, op.op), nil); err != nil {
		return err
	}
	if s.last.status == http.StatusOK && op.op != "log" {
		return ap.observe(name, s.last.doc)
	}
	return nil
}

func (s *scenario) lastBody() string {
	if s.last == nil {
		return "no response yet"
	}
	return fmt.Sprintf("last answer %d %s", s.last.status, truncate(s.last.body))
}

var apStatuses = []string{"ACTIVE", "INACTIVE", "SUCCEEDED", "FAILED"}

// pollUntilEnded reads the action's status until it ends (at most 20 times), then once more:
// every answer is an ActionStatus, and an ended action must not change (see observe).
func (s *scenario) pollUntilEnded(who, name string) error {
	var seen []any
	for range 20 {
		if err := s.actOnAction(who, "", "reads the status of", name); err != nil {
			return err
		}
		if s.last.status != http.StatusOK {
			return fmt.Errorf("status read %d: %s", len(seen)+1, s.lastBody())
		}
		if err := checkActionStatus(s.last.doc); err != nil {
			return err
		}
		st, _ := lookup(s.last.doc, "status")
		seen = append(seen, st)
		if st == "SUCCEEDED" || st == "FAILED" {
			return s.actOnAction(who, "", "reads the status of", name)
		}
	}
	return fmt.Errorf("the action did not end in 20 status reads: %v", seen)
}

var (
	rfc3339   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)
	isoPeriod = regexp.MustCompile(`^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$`)
	principal = regexp.MustCompile(`^urn:globus:(auth:identity|groups:id):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// checkActionStatus checks an ActionStatus document: action_id, status (one of the four),
// details and creator_id required; label, display_status, manage_by, monitor_by, start_time,
// completion_time and release_after of their types and formats when present.
func checkActionStatus(doc any) error {
	m, ok := doc.(map[string]any)
	if !ok {
		return fmt.Errorf("the answer is not an ActionStatus object: %v", doc)
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if id, _ := m["action_id"].(string); id == "" {
		bad("action_id must be a non-empty string")
	}
	if st, _ := m["status"].(string); !slices.Contains(apStatuses, st) {
		bad("status %v is not one of %v", m["status"], apStatuses)
	}
	if _, ok := m["details"].(map[string]any); !ok {
		bad("details must be an object")
	}
	if c, _ := m["creator_id"].(string); !principal.MatchString(c) {
		bad("creator_id %v is not an identity URN", m["creator_id"])
	}
	for _, f := range []string{"label", "display_status"} {
		if v, ok := m[f]; ok && v != nil {
			if str, _ := v.(string); len(str) < 1 || len(str) > 64 {
				bad("%s must be null or 1..64 characters", f)
			}
		}
	}
	for _, f := range []string{"manage_by", "monitor_by"} {
		if v, ok := m[f]; ok && v != nil {
			list, isList := v.([]any)
			if !isList {
				bad("%s must be a list of principal URNs", f)
			}
			for _, p := range list {
				if str, _ := p.(string); !principal.MatchString(str) {
					bad("%s holds %v, not a principal URN", f, p)
				}
			}
		}
	}
	for _, f := range []string{"start_time", "completion_time"} {
		if v, ok := m[f]; ok && v != nil {
			str, _ := v.(string)
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil || !rfc3339.MatchString(str) {
				bad("%s %v is not an ISO 8601 date-time with a zone", f, v)
			}
		}
	}
	if v, ok := m["release_after"]; ok && v != nil {
		if str, _ := v.(string); !isoPeriod.MatchString(str) || str == "P" {
			bad("release_after %v is not an ISO 8601 duration", v)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("not an ActionStatus: %s\n%v", strings.Join(problems, "; "), doc)
	}
	return nil
}

const apWho = `((?:the |an? )?[\w-]+)`

const apTokenKinds = `(no token|an expired token|a token for another scope)`

func registerActionProviderSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^the provider is called on the "(classic|actions)" routes$`, func(family string) error {
		return w(func(s *scenario) error {
			ap, err := s.actionProvider()
			if err == nil {
				ap.family = family
			}
			return err
		})
	})
	st(`^`+apWho+` reads the provider's introspection document$`, func(who string) error {
		return w(func(s *scenario) error {
			tok, err := s.apToken(who, "")
			if err != nil {
				return err
			}
			return s.apDo(tok, http.MethodGet, "/", nil)
		})
	})
	st(`^`+apWho+` runs an? "(\w+)" action "([^"]*)"$`, func(who, body, name string) error {
		return w(func(s *scenario) error { return s.runAction(who, "", body, name, "") })
	})
	st(`^`+apWho+` runs an? "(\w+)" action "([^"]*)" with:$`, func(who, body, name string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.runAction(who, "", body, name, doc.Content) })
	})
	st(`^a client with `+apTokenKinds+` runs an? "(\w+)" action$`, func(kind, body string) error {
		return w(func(s *scenario) error { return s.runAction("caller", kind, body, "", "") })
	})
	st(`^`+apWho+` runs the action "([^"]*)" again with the same request(?: but the body "(\w+)")?$`, func(who, name, body string) error {
		return w(func(s *scenario) error {
			ap, err := s.actionProvider()
			if err != nil {
				return err
			}
			a, ok := ap.actions[name]
			if !ok {
				return fmt.Errorf("no action named %q in this scenario", name)
			}
			req := copyMap(a.request)
			if body != "" {
				if req["body"], err = ap.target.body(body); err != nil {
					return err
				}
			}
			tok, err := s.apToken(who, "")
			if err != nil {
				return err
			}
			return s.apDo(tok, http.MethodPost, ap.runPath(), req)
		})
	})
	st(`^`+apWho+` (reads the status of|reads the log of|cancels|releases|resumes) the action "([^"]*)"$`, func(who, verb, name string) error {
		return w(func(s *scenario) error { return s.actOnAction(who, "", verb, name) })
	})
	st(`^a client with `+apTokenKinds+` (reads the status of|reads the log of|cancels|releases|resumes) the action "([^"]*)"$`, func(kind, verb, name string) error {
		return w(func(s *scenario) error { return s.actOnAction("caller", kind, verb, name) })
	})
	st(`^`+apWho+` polls the action "([^"]*)" until it ends$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.pollUntilEnded(who, name) })
	})
	st(`^the response is an ActionStatus$`, func() error {
		return w(func(s *scenario) error { return checkActionStatus(s.last.doc) })
	})
	st(`^the response is the action "([^"]*)"$`, func(name string) error {
		return w(func(s *scenario) error {
			ap, err := s.actionProvider()
			if err != nil {
				return err
			}
			if got, _ := lookup(s.last.doc, "action_id"); fmt.Sprint(got) != ap.actions[name].id {
				return fmt.Errorf("action_id %v, want the action %q (%s): %s", got, name, ap.actions[name].id, s.lastBody())
			}
			return nil
		})
	})
	st(`^the response status is (\d+) or (\d+)$`, func(a, b int) error {
		return w(func(s *scenario) error {
			if s.last == nil || (s.last.status != a && s.last.status != b) {
				return fmt.Errorf("status %d or %d wanted: %s", a, b, s.lastBody())
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" is an? (boolean|object|list|string)$`, func(path, kind string) error {
		return w(func(s *scenario) error {
			v, _ := lookup(s.last.doc, path)
			var ok bool
			switch kind {
			case "boolean":
				_, ok = v.(bool)
			case "object":
				_, ok = v.(map[string]any)
			case "list":
				_, ok = v.([]any)
			case "string":
				_, ok = v.(string)
			}
			if !ok {
				return fmt.Errorf("field %q is %v, not a %s: %s", path, v, kind, s.lastBody())
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" lists principals$`, func(path string) error {
		return w(func(s *scenario) error {
			v, _ := lookup(s.last.doc, path)
			list, ok := v.([]any)
			if !ok {
				return fmt.Errorf("field %q is not a list: %s", path, s.lastBody())
			}
			for _, p := range list {
				if str, _ := p.(string); str != "public" && str != "all_authenticated_users" && !principal.MatchString(str) {
					return fmt.Errorf("field %q holds %v: neither a principal URN, public nor all_authenticated_users", path, p)
				}
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" is the provider's scope$`, func(path string) error {
		return w(func(s *scenario) error {
			ap, err := s.actionProvider()
			if err != nil {
				return err
			}
			if v, _ := lookup(s.last.doc, path); v != ap.scope {
				return fmt.Errorf("field %q is %v, want the scope the provider is registered with, %s", path, v, ap.scope)
			}
			return nil
		})
	})
}

// copyMap copies a request document one level deep.
func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
