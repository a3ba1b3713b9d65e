package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	"github.com/gavv/httpexpect/v2"
	"github.com/globus-conformance/kit/openapi"
	"github.com/google/go-cmp/cmp"
)

// ErrNoControlPlane skips @control scenarios on targets without /_mock/.
var ErrNoControlPlane = fmt.Errorf("%w: this scenario needs the mock's control plane (@control), or what the target's config does not offer", godog.ErrSkip)

// A simple one-state definition used when a scenario does not care about the definition.
const defaultDefinition = `{"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}`

// Initialize registers the steps for one scenario against a target. godog calls it once per
// scenario, so each scenario gets its own state.
func Initialize(sc *godog.ScenarioContext, target Target) {
	(&Harness{Target: target}).Initialize(sc)
}

// Harness binds the steps to a target and, optionally, a recorder of outcomes and exchanges.
type Harness struct {
	Target   Target
	Recorder *Recorder
}

// Initialize registers the steps for one scenario.
func (h *Harness) Initialize(sc *godog.ScenarioContext) {
	spec := openapi.MustLoad()
	target := h.Target
	var s *scenario
	sc.Before(func(ctx context.Context, pickle *godog.Scenario) (context.Context, error) {
		tags := tagNames(pickle)
		h.Recorder.begin(pickle.Id)
		if slices.Contains(tags, "@control") && !target.ControlPlane() {
			h.Recorder.scenario(pickle.Id, featureName(pickle.Uri), pickle.Name, tags, "skipped", ErrNoControlPlane.Error())
			return ctx, godog.ErrSkip
		}
		var err error
		s, err = newScenario(target, spec)
		if s != nil {
			s.recorder, s.pickleID = h.Recorder, pickle.Id
		}
		return ctx, err
	})
	sc.After(func(ctx context.Context, pickle *godog.Scenario, err error) (context.Context, error) {
		status, reason := "passed", ""
		switch {
		case errors.Is(err, godog.ErrSkip):
			status, reason = "skipped", err.Error()
		case err != nil:
			status, reason = "failed", err.Error()
		}
		h.Recorder.scenario(pickle.Id, featureName(pickle.Uri), pickle.Name, tagNames(pickle), status, reason)
		if err != nil && s != nil && s.last != nil {
			godog.Logf(ctx, "last exchange: %s %s -> %d\nrequest: %s\nresponse: %s",
				s.last.method, s.last.path, s.last.status, truncate(s.last.reqBody), truncate(s.last.body))
		}
		if s != nil && target.Cleanup() {
			s.cleanup()
		}
		if s != nil {
			s.closeService()
			s.closeWorlds()
		}
		return ctx, nil
	})
	st := func(pattern string, fn any) { sc.Step(pattern, fn) }
	// Every step closes over s, which Before sets; wrappers keep the step functions readable.
	w := func(f func(*scenario) error) error { return f(s) }

	// Arrange.
	st(`^the cast:$`, func(table *godog.Table) error {
		return w(func(s *scenario) error { return s.setCast(table) })
	})
	st(`^((?:the |an? )?[\w-]+) has created a flow "([^"]*)"$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.createFlow(who, name, "", true) })
	})
	st(`^((?:the |an? )?[\w-]+) has created a flow "([^"]*)" with:$`, func(who, name string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.createFlow(who, name, doc.Content, true) })
	})
	st(`^((?:the |an? )?[\w-]+) has created (\d+) flows$`, func(who string, n int) error {
		return w(func(s *scenario) error {
			for i := 1; i <= n; i++ {
				if err := s.createFlow(who, fmt.Sprintf("Flow %d", i), "", true); err != nil {
					return err
				}
			}
			return nil
		})
	})
	st(`^a group "([^"]*)" with members? (.+)$`, func(name, members string) error {
		return w(func(s *scenario) error { return s.createGroup(name, members) })
	})
	st(`^a token "([^"]*)" for ((?:the |an? )?[\w-]+) with scopes? "([^"]*)"$`, func(name, who, scopes string) error {
		return w(func(s *scenario) error {
			expanded, err := s.expand(scopes)
			if err != nil {
				return err
			}
			return s.issueToken(name, who, strings.Fields(expanded), nil)
		})
	})
	st(`^a token "([^"]*)" for ((?:the |an? )?[\w-]+) that expires in (\d+) seconds?$`, func(name, who string, secs int) error {
		return w(func(s *scenario) error { return s.issueToken(name, who, nil, &secs) })
	})
	st(`^the clock is frozen at "([^"]*)"$`, func(at string) error {
		return w(func(s *scenario) error {
			return s.control(http.MethodPost, "/_mock/clock/freeze", map[string]any{"now": at}, nil)
		})
	})
	st(`^the clock advances by (\d+) seconds?$`, func(secs int) error {
		return w(func(s *scenario) error {
			return s.control(http.MethodPost, "/_mock/clock/advance", map[string]any{"seconds": secs}, nil)
		})
	})

	// Act.
	st(`^((?:the |an? )?[\w-]+) sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)"$`, func(who, method, path string) error {
		return w(func(s *scenario) error { return s.send(who, method, path, nil) })
	})
	st(`^((?:the |an? )?[\w-]+) sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)" with:$`, func(who, method, path string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.send(who, method, path, &doc.Content) })
	})
	st(`^a client without a token sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)"$`, func(method, path string) error {
		return w(func(s *scenario) error { return s.sendAs("", method, path, nil) })
	})
	st(`^a client without a token sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)" with:$`, func(method, path string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.sendAs("", method, path, &doc.Content) })
	})
	st(`^a client with the token "([^"]*)" sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)"$`, func(tok, method, path string) error {
		return w(func(s *scenario) error { return s.sendWithToken(tok, method, path, nil) })
	})
	st(`^a client with the token "([^"]*)" sends (GET|POST|PUT|PATCH|DELETE) "([^"]*)" with:$`, func(tok, method, path string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.sendWithToken(tok, method, path, &doc.Content) })
	})
	st(`^((?:the |an? )?[\w-]+) creates a flow "([^"]*)"$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.createFlow(who, name, "", false) })
	})
	st(`^((?:the |an? )?[\w-]+) creates a flow "([^"]*)" with:$`, func(who, name string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.createFlow(who, name, doc.Content, false) })
	})
	st(`^((?:the |an? )?[\w-]+) gets the flow "([^"]*)"$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.send(who, http.MethodGet, "/flows/{flow:"+name+"}", nil) })
	})
	st(`^((?:the |an? )?[\w-]+) updates the flow "([^"]*)" with:$`, func(who, name string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.send(who, http.MethodPut, "/flows/{flow:"+name+"}", &doc.Content) })
	})
	st(`^((?:the |an? )?[\w-]+) deletes the flow "([^"]*)"$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.send(who, http.MethodDelete, "/flows/{flow:"+name+"}", nil) })
	})
	st(`^((?:the |an? )?[\w-]+) lists flows$`, func(who string) error {
		return w(func(s *scenario) error { return s.send(who, http.MethodGet, "/flows", nil) })
	})
	st(`^((?:the |an? )?[\w-]+) lists flows with "([^"]*)"$`, func(who, query string) error {
		return w(func(s *scenario) error { return s.send(who, http.MethodGet, "/flows?"+query, nil) })
	})
	st(`^((?:the |an? )?[\w-]+) requests the next page of flows$`, func(who string) error {
		return w(func(s *scenario) error {
			m, ok := lookup(s.last.doc, "marker")
			if ms, isStr := m.(string); !ok || !isStr || ms == "" {
				return fmt.Errorf("the last response has no marker: %s", truncate(s.last.body))
			}
			return s.send(who, http.MethodGet, "/flows?marker="+url.QueryEscape(m.(string)), nil)
		})
	})

	st(`^the client "([^"]*)" with secret "([^"]*)" requests the scopes "([^"]*)"$`, func(id, secret, scopes string) error {
		return w(func(s *scenario) error {
			form := url.Values{"grant_type": {"client_credentials"}, "scope": {scopes}}
			return s.sendForm(id, secret, "/v2/oauth2/token", form)
		})
	})
	st(`^the client "([^"]*)" with secret "([^"]*)" introspects "([^"]*)" including "([^"]*)"$`, func(id, secret, token, include string) error {
		return w(func(s *scenario) error {
			token, err := s.expand(token)
			if err != nil {
				return err
			}
			form := url.Values{"token": {token}}
			if include != "" {
				form.Set("include", include)
			}
			return s.sendForm(id, secret, "/v2/oauth2/token/introspect", form)
		})
	})
	st(`^((?:the |an? )?[\w-]+) introspects the token of ((?:the |an? )?[\w-]+) with (?:his|her|their) own bearer token including "([^"]*)"$`, func(who, whose, include string) error {
		return w(func(s *scenario) error {
			caller, err := s.token(who)
			if err != nil {
				return err
			}
			subject, err := s.token(whose)
			if err != nil {
				return err
			}
			form := url.Values{"token": {subject}, "include": {include}}
			return s.do(caller, http.MethodPost, "/v2/oauth2/token/introspect", []byte(form.Encode()), "application/x-www-form-urlencoded")
		})
	})

	registerRunSteps(st, w)
	registerTransferSteps(st, w)
	registerHASteps(st, w)
	registerRegisteredAPISteps(st, w)
	registerWebInputSteps(st, w)
	registerLoginSteps(st, w)
	registerServiceSteps(st, w)
	registerProviderSteps(st, w)
	registerActionProviderSteps(st, w)
	registerListingSteps(st, w)
	registerPagingSteps(st, w)
	registerWorldSteps(st, w)

	// Assert.
	st(`^the response status is (\d+)$`, func(code int) error {
		return w(func(s *scenario) error {
			if s.last.status != code {
				return fmt.Errorf("status = %d, want %d; body: %s", s.last.status, code, truncate(s.last.body))
			}
			return nil
		})
	})
	st(`^the (?:error|response) code is "([^"]*)"$`, func(code string) error {
		return w(func(s *scenario) error {
			if got := errorCode(s.last.doc); got != code {
				return fmt.Errorf("error code = %q, want %q; body: %s", got, code, truncate(s.last.body))
			}
			return nil
		})
	})
	st(`^the error locates "([^"]*)"$`, func(loc string) error {
		return w(func(s *scenario) error { return s.errorLocates(loc) })
	})
	st(`^the error message mentions "([^"]*)"$`, func(text string) error {
		return w(func(s *scenario) error {
			text, err := s.expand(text)
			if err != nil {
				return err
			}
			if !strings.Contains(strings.ToLower(string(s.last.body)), strings.ToLower(text)) {
				return fmt.Errorf("the error does not mention %q: %s", text, truncate(s.last.body))
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" is "([^"]*)"$`, func(path, want string) error {
		return w(func(s *scenario) error { return s.fieldIs(path, want) })
	})
	st(`^the response field "([^"]*)" is (true|false|null|-?\d+)$`, func(path, lit string) error {
		return w(func(s *scenario) error { return s.fieldJSON(path, lit) })
	})
	st(`^the response does not contain "([^"]*)"$`, func(text string) error {
		return w(func(s *scenario) error {
			if strings.Contains(string(s.last.body), text) {
				return fmt.Errorf("the response contains %q: %s", text, truncate(s.last.body))
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" is not "([^"]*)"$`, func(path, unwanted string) error {
		return w(func(s *scenario) error {
			if _, ok := lookup(s.last.doc, path); !ok {
				return fmt.Errorf("no field %q in %s", path, truncate(s.last.body))
			}
			if s.fieldIs(path, unwanted) == nil {
				return fmt.Errorf("field %q is %q", path, unwanted)
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" is:$`, func(path string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.fieldJSON(path, doc.Content) })
	})
	st(`^the response field "([^"]*)" has (\d+) items?$`, func(path string, n int) error {
		return w(func(s *scenario) error {
			v, ok := lookup(s.last.doc, path)
			list, isList := v.([]any)
			if !ok || !isList {
				return fmt.Errorf("field %q is not a list: %s", path, truncate(s.last.body))
			}
			if len(list) != n {
				b, _ := json.Marshal(list)
				return fmt.Errorf("field %q has %d items, want %d: %s", path, len(list), n, truncate(b))
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" (contains|does not contain) "([^"]*)"$`, func(path, verb, item string) error {
		return w(func(s *scenario) error { return s.fieldContains(path, item, verb == "contains") })
	})
	st(`^the response field "([^"]*)" matches the Flows timestamp format$`, func(path string) error {
		return w(func(s *scenario) error {
			v, _ := lookup(s.last.doc, path)
			if str, ok := v.(string); !ok || !flowsTimestamp.MatchString(str) {
				return fmt.Errorf("field %q = %v, want a timestamp like 2020-09-01T17:59:20.711845+00:00", path, v)
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" is absent$`, func(path string) error {
		return w(func(s *scenario) error {
			if v, ok := lookup(s.last.doc, path); ok {
				return fmt.Errorf("field %q is present: %v", path, v)
			}
			return nil
		})
	})
	st(`^the response field "([^"]*)" mentions "([^"]*)"$`, func(path, text string) error {
		return w(func(s *scenario) error {
			v, ok := lookup(s.last.doc, path)
			if !ok || !strings.Contains(fmt.Sprint(v), text) {
				return fmt.Errorf("field %s = %v, want it to mention %q", path, v, text)
			}
			return nil
		})
	})
	st(`^the listed flows are "([^"]*)"$`, func(titles string) error {
		return w(func(s *scenario) error { return s.listedFlows(titles) })
	})
	st(`^the listed flows (include|exclude) "([^"]*)"$`, func(verb, title string) error {
		return w(func(s *scenario) error {
			got := s.listedTitles()
			if slices.Contains(got, title) != (verb == "include") {
				return fmt.Errorf("listed flows %q should %s %q", got, verb, title)
			}
			return nil
		})
	})
}

func tagNames(p *godog.Scenario) []string {
	out := make([]string, len(p.Tags))
	for i, t := range p.Tags {
		out[i] = t.Name
	}
	return out
}

func featureName(uri string) string {
	return strings.TrimSuffix(path.Base(uri), ".feature")
}

var flowsTimestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$`)

// sendWithToken sends with a token named in the scenario, or one written out (placeholders
// expanded).
func (s *scenario) sendWithToken(tok, method, path string, body *string) error {
	if t, ok := s.tokens[tok]; ok {
		tok = t
	}
	tok, err := s.expand(tok)
	if err != nil {
		return err
	}
	return s.sendAs(tok, method, path, body)
}

// send expands placeholders in the path and body and sends as a persona.
func (s *scenario) send(who, method, path string, body *string) error {
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	if err := s.sendAs(tok, method, path, body); err != nil {
		return err
	}
	if method == http.MethodPost && s.last.status == http.StatusCreated {
		s.rememberCreated(who, s.last.path)
	}
	return nil
}

// createdBy maps what a POST creates to how it is removed, by the id field of the answer.
var createdBy = []struct {
	path          *regexp.Regexp
	idField       string
	removal       []string // "METHOD " + the path of the created thing
	createdSuffix string
}{
	{regexp.MustCompile(`^/flows$`), "id", []string{"DELETE "}, ""},
	{regexp.MustCompile(`^/flows/[^/]+/run$`), "run_id", []string{"POST /cancel", "POST /release"}, "/runs/"},
	{regexp.MustCompile(`^/v0\.10/endpoint/[^/]+/access$`), "access_id", []string{"DELETE "}, ""},
	{regexp.MustCompile(`^/v0\.10/endpoint/[^/]+/role$`), "id", []string{"DELETE "}, ""},
	{regexp.MustCompile(`^/registered_apis$`), "id", []string{"DELETE "}, ""},
}

// rememberCreated records how to remove what a raw POST made, for cleanup on shared targets.
func (s *scenario) rememberCreated(who, path string) {
	for _, c := range createdBy {
		if !c.path.MatchString(path) {
			continue
		}
		id, ok := lookup(s.last.doc, c.idField)
		if !ok {
			return
		}
		base := path + "/" + fmt.Sprint(id)
		if c.createdSuffix != "" {
			base = c.createdSuffix + fmt.Sprint(id)
		}
		var calls []string
		for _, r := range c.removal {
			method, suffix, _ := strings.Cut(r, " ")
			calls = append(calls, method+" "+base+suffix)
		}
		s.remember(who, calls...)
		return
	}
}

func (s *scenario) sendAs(tok, method, path string, body *string) error {
	p, b, err := s.expandRequest(path, body)
	if err != nil {
		return err
	}
	return s.do(tok, method, p, b, "")
}

// expandRequest fills the placeholders of a request's path and body (nil: no body).
func (s *scenario) expandRequest(path string, body *string) (string, []byte, error) {
	p, err := s.expand(path)
	if err != nil || body == nil {
		return p, nil, err
	}
	text, err := s.expand(*body)
	return p, []byte(text), err
}

// sendForm posts a form with HTTP Basic client credentials, as OAuth clients do.
func (s *scenario) sendForm(clientID, secret, path string, form url.Values) error {
	return s.doWith(func(r *httpexpect.Request) *httpexpect.Request {
		return r.WithBasicAuth(clientID, secret)
	}, "", http.MethodPost, path, []byte(form.Encode()), "application/x-www-form-urlencoded")
}

// createFlow creates a flow named name; extra is a JSON object merged over the defaults. When
// arranging (must), anything but 201 fails the step.
func (s *scenario) createFlow(who, name, extra string, must bool) error {
	b, err := s.withFields(map[string]any{"title": name, "definition": json.RawMessage(defaultDefinition)}, extra)
	if err != nil {
		return err
	}
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	if err := s.do(tok, http.MethodPost, "/flows", b, ""); err != nil {
		return err
	}
	if s.last.status == http.StatusCreated {
		id, _ := lookup(s.last.doc, "id")
		s.flows[name] = fmt.Sprint(id)
		s.remember(who, "DELETE /flows/"+fmt.Sprint(id))
	} else if must {
		return fmt.Errorf("creating flow %q: status %d: %s", name, s.last.status, truncate(s.last.body))
	}
	return nil
}

// withFields sets the fields of a JSON object (placeholders expanded) over a body's defaults.
func (s *scenario) withFields(body map[string]any, extra string) ([]byte, error) {
	if extra != "" {
		text, err := s.expand(extra)
		if err != nil {
			return nil, err
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &fields); err != nil {
			return nil, fmt.Errorf("the fields are not a JSON object: %w", err)
		}
		for k, v := range fields {
			body[k] = v
		}
	}
	return json.Marshal(body)
}

// control calls the control plane and decodes its answer into out.
func (s *scenario) control(method, path string, in any, out any) error {
	if !s.target.ControlPlane() {
		return ErrNoControlPlane
	}
	p, query, _ := strings.Cut(path, "?")
	req := s.expect.Request(method, p)
	if in != nil { // no body is not a JSON null (a null world document is an empty world)
		b, _ := json.Marshal(in)
		req = req.WithHeader("Content-Type", "application/json").WithBytes(b)
	}
	if tok := s.target.ControlPlaneToken(); tok != "" {
		req = req.WithHeader(controlTokenHeader, tok)
	}
	if query != "" {
		req = req.WithQueryString(query)
	}
	resp := req.Expect()
	if err := s.report.take(); err != nil {
		return err
	}
	if resp.Raw().StatusCode >= 300 {
		return fmt.Errorf("control plane %s %s: %d %s", method, path, resp.Raw().StatusCode, resp.Body().Raw())
	}
	if out != nil {
		return json.Unmarshal([]byte(resp.Body().Raw()), out)
	}
	return nil
}

// identityIDs are the identity ids of the personas a step lists ("alice, bob and carol").
func (s *scenario) identityIDs(personas string) ([]string, error) {
	var out []string
	for _, m := range strings.FieldsFunc(personas, func(r rune) bool { return r == ',' || r == ' ' }) {
		if m == "and" || m == "the" || m == "a" || m == "an" {
			continue
		}
		id, err := s.identityID(m)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

func (s *scenario) createGroup(name, members string) error {
	idList, err := s.identityIDs(members)
	if err != nil {
		return err
	}
	var list []map[string]any
	for _, id := range idList {
		list = append(list, map[string]any{"identity_id": id})
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := s.control(http.MethodPost, "/_mock/groups", map[string]any{"name": name, "members": list}, &out); err != nil {
		return err
	}
	s.groups[name] = out.ID
	return nil
}

func (s *scenario) issueToken(name, who string, scopes []string, expiresIn *int) error {
	id, err := s.identityID(who)
	if err != nil {
		return err
	}
	in := map[string]any{"identity_id": id}
	if scopes != nil {
		in["scopes"] = scopes
	} else {
		in["all_scopes"] = true
	}
	if expiresIn != nil {
		in["expires_in"] = *expiresIn
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := s.control(http.MethodPost, "/_mock/tokens", in, &out); err != nil {
		return err
	}
	s.tokens[name] = out.Token
	return nil
}

// errorCode finds the code in any of the services' error documents.
func errorCode(doc any) string {
	for _, path := range []string{"error.code", "code", "errors.0.code"} {
		if v, ok := lookup(doc, path); ok {
			if s, ok := v.(string); ok {
				return s
			}
		}
	}
	return ""
}

func (s *scenario) errorLocates(want string) error {
	detail, _ := lookup(s.last.doc, "error.detail")
	list, _ := detail.([]any)
	var seen []string
	for _, d := range list {
		loc, _ := lookup(d, "loc")
		parts, _ := loc.([]any)
		strs := make([]string, len(parts))
		for i, p := range parts {
			strs[i] = fmt.Sprint(p)
		}
		got := strings.Join(strs, ".")
		if got == want {
			return nil
		}
		seen = append(seen, got)
	}
	return fmt.Errorf("no error entry locates %q; locations: %q; body: %s", want, seen, truncate(s.last.body))
}

func (s *scenario) fieldIs(path, want string) error {
	want, err := s.expand(want)
	if err != nil {
		return err
	}
	v, ok := lookup(s.last.doc, path)
	if !ok {
		return fmt.Errorf("no field %q in %s", path, truncate(s.last.body))
	}
	if got := fmt.Sprint(v); got != want {
		return fmt.Errorf("field %q = %q, want %q", path, got, want)
	}
	return nil
}

func (s *scenario) fieldJSON(path, wantText string) error {
	wantText, err := s.expand(wantText)
	if err != nil {
		return err
	}
	if path, err = s.expand(path); err != nil {
		return err
	}
	var want any
	dec := json.NewDecoder(strings.NewReader(wantText))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		return fmt.Errorf("expected value is not JSON: %w", err)
	}
	got, ok := lookup(s.last.doc, path)
	if !ok {
		return fmt.Errorf("no field %q in %s", path, truncate(s.last.body))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		return fmt.Errorf("field %q differs (-want +got):\n%s", path, diff)
	}
	return nil
}

func (s *scenario) fieldContains(path, item string, want bool) error {
	item, err := s.expand(item)
	if err != nil {
		return err
	}
	v, ok := lookup(s.last.doc, path)
	list, isList := v.([]any)
	if !ok || !isList {
		return fmt.Errorf("field %q is not a list: %s", path, truncate(s.last.body))
	}
	has := slices.ContainsFunc(list, func(x any) bool { return fmt.Sprint(x) == item })
	if has != want {
		return fmt.Errorf("field %q = %v; contains %q: %v, want %v", path, list, item, has, want)
	}
	return nil
}

func (s *scenario) listedTitles() []string {
	v, _ := lookup(s.last.doc, "flows")
	list, _ := v.([]any)
	titles := []string{}
	for _, f := range list {
		t, _ := lookup(f, "title")
		titles = append(titles, fmt.Sprint(t))
	}
	return titles
}

func (s *scenario) listedFlows(want string) error {
	if s.last.status != http.StatusOK {
		return fmt.Errorf("the listing failed: %d %s", s.last.status, truncate(s.last.body))
	}
	wantList := []string{}
	for _, t := range strings.Split(want, ",") {
		if t = strings.TrimSpace(t); t != "" {
			wantList = append(wantList, t)
		}
	}
	if diff := cmp.Diff(wantList, s.listedTitles()); diff != "" {
		return fmt.Errorf("listed flows differ (-want +got):\n%s", diff)
	}
	return nil
}

// setCast binds roles to personas from a table of role and persona; the personas' tokens and
// identities come from the target (the default world, or a real target's config).
func (s *scenario) setCast(table *godog.Table) error {
	for i, row := range table.Rows {
		if len(row.Cells) != 2 {
			return fmt.Errorf("the cast has rows of a role and a persona")
		}
		role, persona := row.Cells[0].Value, row.Cells[1].Value
		if i == 0 && role == "role" {
			continue
		}
		if _, ok := s.target.Token(persona); !ok {
			return fmt.Errorf("the cast names %q, which the target has no persona for", persona)
		}
		s.cast[role] = persona
	}
	return nil
}
