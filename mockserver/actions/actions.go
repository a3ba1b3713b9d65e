// Package actions is the Action Provider side of the flow engine (reference flow-engine.md §4):
// the action status documents, the built-in providers (Hello World, Expression Evaluation,
// Send Notification Email, the Transfer family), action mocks for testing one's own flows, and
// calls to any other provider over HTTP. Pure domain code apart from the HTTP client of external
// providers.
package actions

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Action statuses.
const (
	Active    = "ACTIVE"
	Inactive  = "INACTIVE"
	Succeeded = "SUCCEEDED"
	Failed    = "FAILED"
)

// Call is one Action state asking its provider to run.
type Call struct {
	RunID, FlowID, StateName string
	// ActionID is the id an in-process action gets, known to its provider from the start.
	ActionID string
	// RegisteredAPI is the id of the registered API an Action state's Handler names (no URL).
	RegisteredAPI string
	URL           string
	Body          any
	// Private are the locations of the private values in Body.
	Private []engine.Location
	Caller  auth.Caller // the run's user
	// Scope is the provider's scope: a provider outside the mock gets a token minted for it.
	Scope string
	// Label, ManageBy and MonitorBy are the run's label, managers and monitors: Flows hands them
	// to the provider with every action, and status documents repeat them.
	Label               string
	ManageBy, MonitorBy []string
}

// Grant is on whose behalf, and for which scope, a provider is asked about an action. The registry
// turns it into a token minted for that scope (Minter); the user's own token is never sent.
type Grant struct {
	UserToken  string // the run's token: its session, never sent
	IdentityID string // the run's user
	Scope      string
}

// Grant is the call's user and scope.
func (c Call) Grant() Grant {
	return Grant{UserToken: c.Caller.Token.Token, IdentityID: c.Caller.Identity.ID, Scope: c.Scope}
}

// Minter gives the bearer token a provider outside the mock is called with ("" sends none).
type Minter func(Grant) (string, error)

// Outcome is what a built-in provider or an action mock decides: the action is Status (after
// Delay of virtual time during which it is ACTIVE), with Details.
type Outcome struct {
	Status  string
	Details any
	Delay   time.Duration
	// Resumed is what an INACTIVE action becomes when its run is resumed (nil: it stays).
	Resumed *Outcome
	// Commit, when set, runs when the outcome takes effect (after Delay) and gives the final
	// outcome: a transfer copies its files then.
	Commit func() Outcome
}

// Unable is a provider refusing to start an action (the run gets ActionUnableToRun).
type Unable struct {
	HTTPStatus int            `json:"http_status"`
	Body       map[string]any `json:"body"`
}

func (u *Unable) Error() string {
	return fmt.Sprintf("the action provider refused the action (%d): %s", u.HTTPStatus, text(u.Body))
}

func text(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// record is an in-process action.
type record struct {
	doc      map[string]any
	url      string
	finalAt  time.Time
	final    *Outcome
	released bool
}

// Registry runs actions: action mocks first, then built-in providers by URL, then HTTP.
type Registry struct {
	mu       sync.Mutex
	actions  map[string]*record
	builtins map[string]Provider
	mocks    *Mocks
	external *External
	apis     Provider // calls registered APIs
	mint     Minter
}

// MintTokens sets how tokens for providers outside the mock are made.
func (r *Registry) MintTokens(m Minter) { r.mint = m }

// token is the bearer token for a provider outside the mock: without a minter, none.
func (r *Registry) token(g Grant) (string, error) {
	if r.mint == nil || g.Scope == "" {
		return "", nil
	}
	return r.mint(g)
}

// CallRegisteredAPIs sets what carries out Action states whose Handler is a registered API.
func (r *Registry) CallRegisteredAPIs(p Provider) { r.apis = p }

// Provider runs an action in process.
type Provider func(c Call, now time.Time) (Outcome, *Unable)

// NewRegistry returns a registry with the built-in providers given.
func NewRegistry(builtins map[string]Provider, mocks *Mocks, external *External) *Registry {
	return &Registry{actions: map[string]*record{}, builtins: builtins, mocks: mocks, external: external}
}

// RegisteredAPIURL is how the action of a registered API call is tracked and shown.
func RegisteredAPIURL(id string) string { return "urn:globus:flows:registered_api:" + id }

// normalizeURL drops a trailing slash and any "/actions" mount prefix of the mock's own host.
func normalizeURL(u string) string { return strings.TrimSuffix(u, "/") }

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000+00:00") }

// statusDoc is an ActionStatus document.
func statusDoc(id string, c Call, status string, details any, start time.Time) map[string]any {
	return map[string]any{
		"action_id": id, "status": status, "display_status": status, "details": details,
		"creator_id": c.Caller.URN(), "label": nilIfEmpty(c.Label), "manage_by": principals(c.ManageBy),
		"monitor_by": principals(c.MonitorBy), "release_after": "P30D", "start_time": ts(start),
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// principals is a list of URNs as a status document holds it: never null.
func principals(urns []string) []any {
	out := make([]any, len(urns))
	for i, u := range urns {
		out[i] = u
	}
	return out
}

// Start runs an action. It answers the first status document, or an Unable.
func (r *Registry) Start(c Call, now time.Time) (map[string]any, error) {
	url := normalizeURL(c.URL)
	c.ActionID = "act-" + strings.ReplaceAll(ids.UUID(), "-", "")[:20]
	if c.RegisteredAPI != "" {
		if r.apis == nil {
			return nil, &Unable{HTTPStatus: 501, Body: map[string]any{"code": "NotImplemented", "description": "registered APIs are not available here"}}
		}
		out, unable := r.apis(c, now)
		if unable != nil {
			return nil, unable
		}
		return r.track(RegisteredAPIURL(c.RegisteredAPI), c, out, now), nil
	}
	if out, unable, ok := r.mocks.Take(c); ok {
		if unable != nil {
			return nil, unable
		}
		return r.track(url, c, out, now), nil
	}
	if b, ok := r.builtins[url]; ok {
		out, unable := b(c, now)
		if unable != nil {
			return nil, unable
		}
		return r.track(url, c, out, now), nil
	}
	token, err := r.token(c.Grant())
	if err != nil {
		return nil, &Unable{HTTPStatus: 401, Body: map[string]any{"code": "TokenUnavailable", "description": err.Error()}}
	}
	return r.external.Run(c, token)
}

// track records an in-process action and answers its first status.
func (r *Registry) track(url string, c Call, out Outcome, now time.Time) map[string]any {
	id := c.ActionID
	rec := &record{url: url, doc: statusDoc(id, c, Active, map[string]any{"description": "The action is in progress"}, now)}
	r.settle(rec, out, now)
	r.mu.Lock()
	r.actions[id] = rec
	r.mu.Unlock()
	return copyDoc(rec.doc)
}

// settle applies an outcome: at once when it has no delay, else at now+Delay.
func (r *Registry) settle(rec *record, out Outcome, now time.Time) {
	if out.Delay > 0 {
		o := out
		o.Delay = 0
		rec.final, rec.finalAt = &o, now.Add(out.Delay)
		return
	}
	rec.final = nil
	if out.Commit != nil {
		out = out.Commit()
	}
	rec.doc["status"], rec.doc["display_status"], rec.doc["details"] = out.Status, out.Status, out.Details
	if out.Status == Succeeded || out.Status == Failed {
		rec.doc["completion_time"] = ts(now)
	}
	if out.Status == Inactive && out.Resumed != nil {
		rec.final = out.Resumed // applied on resume
		rec.finalAt = time.Time{}
	}
}

func copyDoc(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// Status polls an action: its status now, and when to poll again (zero: only on resume or never).
func (r *Registry) Status(url, id string, g Grant, now time.Time) (map[string]any, time.Time, error) {
	r.mu.Lock()
	rec, ok := r.actions[id]
	if ok {
		if rec.final != nil && !rec.finalAt.IsZero() && !now.Before(rec.finalAt) {
			r.settle(rec, *rec.final, rec.finalAt)
		}
		doc := copyDoc(rec.doc)
		next := time.Time{}
		if rec.final != nil && !rec.finalAt.IsZero() {
			next = rec.finalAt
		}
		r.mu.Unlock()
		return doc, next, nil
	}
	r.mu.Unlock()
	if r.isBuiltin(url) {
		return nil, time.Time{}, fmt.Errorf("no action %s at %s (released or never started)", id, url)
	}
	token, err := r.token(g)
	if err != nil {
		return nil, time.Time{}, err
	}
	doc, err := r.external.Status(url, id, token)
	if err != nil {
		return nil, time.Time{}, err
	}
	next := time.Time{}
	if s, _ := doc["status"].(string); s == Active {
		next = now.Add(ExternalPollInterval)
	}
	return doc, next, nil
}

// ExternalPollInterval is how often (mock time) an external provider's ACTIVE action is polled.
const ExternalPollInterval = 2 * time.Second

// Resume resumes an INACTIVE in-process action (its Resumed outcome) or asks an external one.
func (r *Registry) Resume(url, id string, g Grant, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec, ok := r.actions[id]; ok {
		if rec.doc["status"] == Inactive && rec.final != nil && rec.finalAt.IsZero() {
			r.settle(rec, *rec.final, now)
		}
		return
	}
	if !r.isBuiltin(url) {
		if token, err := r.token(g); err == nil {
			r.external.Resume(url, id, token)
		}
	}
}

// Cancel stops an action that is still going.
func (r *Registry) Cancel(url, id string, g Grant, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec, ok := r.actions[id]; ok {
		if s := rec.doc["status"]; s == Active || s == Inactive {
			r.settle(rec, Outcome{Status: Failed, Details: map[string]any{"code": "Canceled", "description": "The action was canceled"}}, now)
		}
		return
	}
	if !r.isBuiltin(url) {
		if token, err := r.token(g); err == nil {
			r.external.Cancel(url, id, token)
		}
	}
}

// Release forgets a finished action.
func (r *Registry) Release(url, id string, g Grant) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rec, ok := r.actions[id]; ok {
		if s := rec.doc["status"]; s == Succeeded || s == Failed {
			delete(r.actions, id)
		}
		return
	}
	if !r.isBuiltin(url) {
		if token, err := r.token(g); err == nil {
			r.external.Release(url, id, token)
		}
	}
}

// Reset forgets every in-process action (a loaded world).
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.actions = map[string]*record{}
}

// URLs lists the built-in providers' URLs.
func (r *Registry) URLs() []string {
	out := make([]string, 0, len(r.builtins))
	for u := range r.builtins {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// Select records a person's choice for a wait_for_option action: it SUCCEEDS with the option.
func (r *Registry) Select(id, choice string, now time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec, ok := r.actions[id]
	if !ok || rec.url != normalizeURL(WaitForOptionURL) {
		return apierr.New(apierr.NotFound, "NOT_FOUND", "No action waiting for a selection with id %s", id)
	}
	if rec.doc["status"] != Inactive {
		return apierr.New(apierr.Conflict, "STATE_CONFLICT", "Action %s is %v, not waiting for a selection", id, rec.doc["status"])
	}
	details, _ := rec.doc["details"].(map[string]any)
	options, _ := details["options"].([]any)
	for _, o := range options {
		m, _ := o.(map[string]any)
		if m["name"] == choice || m["url_suffix"] == choice {
			r.settle(rec, Outcome{Status: Succeeded, Details: map[string]any{"name": m["name"], "url_suffix": m["url_suffix"],
				"completed_message": m["completed_message"], "selected_option": m}}, now)
			return nil
		}
	}
	return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "No option %q", choice)
}

// isBuiltin reports whether a URL is served in process (a built-in provider or an action mock).
func (r *Registry) isBuiltin(url string) bool {
	_, ok := r.builtins[normalizeURL(url)]
	return ok
}
