// Package webinputs is the Flows service's Web Inputs (reference flows-api.md §9, flow-engine.md
// §6): questions a run asks people, made by CreateWebInput states and by the Wait For User
// Selection provider, answered through POST /web_inputs/{id}/respond. Respondents may answer and
// view, viewers may view; the creator gets no implicit access; anyone else is told the web input
// does not exist. A web input is open until answered, expired (on the mock clock) or closed with
// its run.
package webinputs

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/listing"
)

// Statuses of a web input.
const (
	Open   = "open"
	Closed = "closed"
)

// Row is a line of a table context.
type Row struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Context is what respondents are shown: a table of rows or a block of text.
type Context struct {
	Title string `json:"title"`
	Style string `json:"presentation_style"`
	Rows  []Row  `json:"rows,omitempty"`
	Text  string `json:"text,omitempty"`
}

// Option is one choice of a selection; Value is what the run receives when it is chosen, and
// Private the locations of its private values: they stay private in the run.
type Option struct {
	ID          string            `json:"option_id"`
	Label       string            `json:"label"`
	Description string            `json:"description"`
	Value       any               `json:"value"`
	Private     []engine.Location `json:"private,omitempty"`
}

// Origin is the run a web input belongs to.
type Origin struct {
	FlowID    string `json:"flow_id"`
	FlowTitle string `json:"flow_title"`
	RunID     string `json:"run_id"`
	RunLabel  string `json:"run_label"`
	Creator   string `json:"creator_urn"` // the run's user
	// ActionID is the Wait For User Selection action the web input answers, if any.
	ActionID string `json:"action_id,omitempty"`
}

// Spec is what a web input asks.
type Spec struct {
	Context     Context    `json:"context"`
	Options     []Option   `json:"options"`
	Respondents []string   `json:"respondent_urns"`
	Viewers     []string   `json:"viewer_urns"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
}

// WebInput is a stored web input.
type WebInput struct {
	ID string `json:"id"`
	Spec
	Origin
	Status   string     `json:"status"`
	Created  time.Time  `json:"created_timestamp"`
	Edited   time.Time  `json:"edited_timestamp"`
	ClosedAt *time.Time `json:"closed_timestamp,omitempty"`
	// Expired tells that the web input closed because nobody answered in time.
	Expired bool `json:"expired,omitempty"`
	// Answer is the chosen option, once a respondent answered.
	Answer *Option `json:"answer,omitempty"`
	// Respondent is who answered.
	Respondent string `json:"respondent,omitempty"`
}

// InputSchema is the JSON Schema (draft-07) every response value must satisfy: the option_id
// of one of the options, as the recorded web inputs describe them.
func (w *WebInput) InputSchema() map[string]any {
	choices := make([]any, len(w.Options))
	for i, o := range w.Options {
		choices[i] = map[string]any{"const": o.ID, "title": o.Label, "description": o.Description}
	}
	return map[string]any{"$schema": "http://json-schema.org/draft-07/schema", "title": "Please select an option",
		"type": "string", "oneOf": choices}
}

// Roles are the caller's roles on a web input, as user_roles shows them.
func (w *WebInput) Roles(c auth.Caller) []string {
	p := c.Principals()
	roles := []string{}
	if slices.ContainsFunc(w.Viewers, func(u string) bool { return p[u] }) {
		roles = append(roles, "viewer")
	}
	if slices.ContainsFunc(w.Respondents, func(u string) bool { return p[u] }) {
		roles = append(roles, "respondent")
	}
	return roles
}

// Outcome is what an AwaitWebInput state finds.
type Outcome struct {
	Found     bool
	Open      bool
	ExpiresAt *time.Time // while open
	Expired   bool
	Value     any               // the chosen option's value, once answered
	Private   []engine.Location // where that value holds private values
}

// Flows is what the store needs of the flows: high-assurance sessions.
type Flows interface {
	CheckSession(c auth.Caller, flowID string, holds func(single auth.Caller) bool) error
	IsHighAssurance(flowID string) bool
}

// Store holds the web inputs; safe for concurrent use.
type Store struct {
	flows Flows

	mu     sync.Mutex
	inputs map[string]*WebInput
	byRun  map[string][]string // web input ids by run: every run that ends closes its own
}

// NewStore returns an empty store.
func NewStore(flows Flows) *Store {
	return &Store{flows: flows, inputs: map[string]*WebInput{}, byRun: map[string][]string{}}
}

func notFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "No Web Input exists with id value %s", id)
}

// expireLocked closes a web input whose time has passed: expiry happens on the mock clock and is
// applied whenever the web input is looked at.
func (w *WebInput) expireLocked(now time.Time) {
	if w.Status == Open && w.ExpiresAt != nil && !now.Before(*w.ExpiresAt) {
		at := *w.ExpiresAt
		w.Status, w.ClosedAt, w.Expired, w.Edited = Closed, &at, true, at
	}
}

func clone(w *WebInput) WebInput {
	c := *w
	c.Options = slices.Clone(w.Options)
	c.Respondents, c.Viewers = slices.Clone(w.Respondents), slices.Clone(w.Viewers)
	c.Context.Rows = slices.Clone(w.Context.Rows)
	return c
}

// Create stores a new open web input for a run.
func (s *Store) Create(o Origin, spec Spec, now time.Time) WebInput {
	w := &WebInput{ID: ids.UUID(), Spec: spec, Origin: o, Status: Open, Created: now, Edited: now}
	for i := range w.Options {
		w.Options[i].ID = ids.UUID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inputs[w.ID] = w
	s.byRun[w.RunID] = append(s.byRun[w.RunID], w.ID)
	return clone(w)
}

// visibleLocked finds a web input the caller holds a role on, with its high-assurance session
// checked by holds.
func (s *Store) visibleLocked(c auth.Caller, id string, now time.Time) (*WebInput, error) {
	w, ok := s.inputs[id]
	if !ok || len(w.Roles(c)) == 0 {
		return nil, notFound(id)
	}
	w.expireLocked(now)
	return w, nil
}

func (s *Store) checkSession(c auth.Caller, w *WebInput, role string) error {
	return s.flows.CheckSession(c, w.FlowID, func(single auth.Caller) bool {
		return slices.Contains(w.Roles(single), role) ||
			(role == "viewer" && len(w.Roles(single)) > 0)
	})
}

// Get returns a web input the caller may view.
func (s *Store) Get(c auth.Caller, id string, now time.Time) (WebInput, error) {
	s.mu.Lock()
	w, err := s.visibleLocked(c, id, now)
	var out WebInput
	if err == nil {
		out = clone(w)
	}
	s.mu.Unlock()
	if err != nil {
		return WebInput{}, err
	}
	if err := s.checkSession(c, &out, "viewer"); err != nil {
		return WebInput{}, policyError(err, out, viewDetail)
	}
	return out, nil
}

// What Flows says when a session falls short of the policy of a web input's flow.
const (
	SessionMessage = "Globus Flows detected an unsatisfied session policy for this web input."
	viewDetail     = "None of the identities in session meet the requirements for the authentication policy associated with this Web Input's flow. Reauthenticate as an identity that has permission to view the Web Input and can meet the requirements for the attached authentication policy."
	respondDetail  = "None of the identities in session for this authentication policy have the respondent role on this web input. Reauthenticate as an identity that has this permission and can meet the requirements for the attached authentication policy."
)

// PolicyError is a refusal of a caller who holds a role on a web input but whose session does not
// satisfy its flow's policy: the service sends, with the GARE, an error saying what to do and the
// web input's summary, so that a client can tell people which question asks them to log in.
type PolicyError struct {
	Err    *apierr.Error // the GARE, its session message naming the web input
	Detail string
	Input  WebInput
}

func (e *PolicyError) Error() string { return e.Err.Error() }
func (e *PolicyError) Unwrap() error { return e.Err }

// policyError makes a session failure of a web input's flow a PolicyError; other refusals (the
// lockout of a flow whose policy is gone) stay as they are.
func policyError(err error, w WebInput, detail string) error {
	e, ok := apierr.As(err)
	if !ok || e.Authorization == nil {
		return err
	}
	gare, params := *e, *e.Authorization
	params.SessionMessage = SessionMessage
	gare.Authorization = &params
	return &PolicyError{Err: &gare, Detail: detail, Input: w}
}

// Respond records a respondent's answer: the value must be the id of one of the options. The web
// input closes; nothing changes on error.
func (s *Store) Respond(c auth.Caller, id string, response map[string]any, now time.Time) (WebInput, error) {
	s.mu.Lock()
	w, err := s.visibleLocked(c, id, now)
	if err != nil {
		s.mu.Unlock()
		return WebInput{}, err
	}
	snapshot := clone(w)
	s.mu.Unlock()
	if !slices.Contains(snapshot.Roles(c), "respondent") {
		return WebInput{}, apierr.New(apierr.Forbidden, "FORBIDDEN", "User does not have respondent role on web input %s", id)
	}
	if err := s.checkSession(c, &snapshot, "respondent"); err != nil {
		return WebInput{}, policyError(err, snapshot, respondDetail)
	}
	if err := validate(&snapshot, response); err != nil {
		return WebInput{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w = s.inputs[id]; w == nil {
		return WebInput{}, notFound(id)
	}
	w.expireLocked(now)
	if w.Status != Open {
		return WebInput{}, apierr.New(apierr.Conflict, "STATE_CONFLICT", "Web Input %s is already closed.", id)
	}
	for i := range w.Options {
		if w.Options[i].ID == response["value"] {
			o := w.Options[i]
			w.Answer = &o
		}
	}
	w.Status, w.ClosedAt, w.Edited, w.Respondent = Closed, &now, now, c.URN()
	return clone(w), nil
}

// validate checks a response: an object holding only the value, which must be the option_id of
// one of the options (InputSchema). A malformed response is located, as body errors are; a value
// that names no option is refused as Flows refuses it, in words.
func validate(w *WebInput, response map[string]any) error {
	fail := func(loc, msg string) error {
		return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{Loc: []any{"response", loc}, Msg: msg, Type: "value_error"}})
	}
	for k := range response {
		if k != "value" {
			return fail(k, fmt.Sprintf("Additional properties are not allowed ('%s' was unexpected)", k))
		}
	}
	v, ok := response["value"]
	if !ok {
		return fail("value", "'value' is a required property")
	}
	choice, isString := v.(string)
	if !slices.ContainsFunc(w.Options, func(o Option) bool { return o.ID == choice }) {
		shown := fmt.Sprintf("'%s'", choice)
		if !isString {
			raw, _ := json.Marshal(v)
			shown = string(raw)
		}
		return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "%s is not a registered option id for this input.", shown)
	}
	return nil
}

// Await tells an AwaitWebInput state of run runID how its web input stands. A web input of
// another run is not found: a run waits only on its own questions.
func (s *Store) Await(id, runID string, now time.Time) Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.inputs[id]
	if !ok || w.RunID != runID {
		return Outcome{}
	}
	w.expireLocked(now)
	switch {
	case w.Status == Open:
		return Outcome{Found: true, Open: true, ExpiresAt: w.ExpiresAt}
	case w.Answer != nil:
		return Outcome{Found: true, Value: w.Answer.Value, Private: w.Answer.Private}
	}
	return Outcome{Found: true, Expired: true}
}

// CloseRun closes the open web inputs of a run that ended.
func (s *Store) CloseRun(runID string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.byRun[runID] {
		if w := s.inputs[id]; w != nil && w.Status == Open {
			w.Status, w.ClosedAt, w.Edited = Closed, &now, now
		}
	}
}

// CloseAction closes the web input of a Wait For User Selection action chosen another way.
func (s *Store) CloseAction(actionID string, now time.Time) {
	s.closeWhere(func(w *WebInput) bool { return w.ActionID == actionID }, now)
}

func (s *Store) closeWhere(match func(*WebInput) bool, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.inputs {
		if match(w) && w.Status == Open {
			w.Status, w.ClosedAt, w.Edited = Closed, &now, now
		}
	}
}

// ForAction returns the id of the open web input of an action, if any.
func (s *Store) ForAction(actionID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.inputs {
		if w.ActionID == actionID && w.Status == Open {
			return w.ID
		}
	}
	return ""
}

// Query is a listing query; its JSON form is the marker.
type Query struct {
	Roles   []string `json:"roles,omitempty"`
	States  []string `json:"states,omitempty"`
	FlowIDs []string `json:"flow_ids,omitempty"`
	RunIDs  []string `json:"run_ids,omitempty"`
	OrderBy []string `json:"orderby,omitempty"`
	PerPage int      `json:"per_page,omitempty"`
	Offset  int      `json:"offset,omitempty"`
}

// MaxFilterIDs bounds filter_flow_ids and filter_run_ids (reference flows-api.md §11).
const MaxFilterIDs = 10

func closedTime(w *WebInput) time.Time {
	if w.ClosedAt == nil {
		return time.Time{}
	}
	return *w.ClosedAt
}

var orderFields = map[string]func(a, b *WebInput) int{
	"created_timestamp": func(a, b *WebInput) int { return a.Created.Compare(b.Created) },
	"edited_timestamp":  func(a, b *WebInput) int { return a.Edited.Compare(b.Edited) },
	"closed_timestamp":  func(a, b *WebInput) int { return closedTime(a).Compare(closedTime(b)) },
}

// Item is a listed web input with the caller's roles on it.
type Item struct {
	WebInput
	UserRoles []string
	// Redacted tells that the web input belongs to a high-assurance flow: listings never show
	// its titles.
	Redacted bool
}

// Page is a page of web inputs; Marker is empty on the last page.
type Page struct {
	Items  []Item
	Marker string
}

// Check validates a query before it is used.
func (q Query) Check() error {
	for _, r := range q.Roles {
		if r != "viewer" && r != "respondent" {
			return listing.BadQuery("Invalid filter_roles value %q: expected viewer or respondent", r)
		}
	}
	for _, st := range q.States {
		if st != Open && st != Closed {
			return listing.BadQuery("Invalid filter_states value %q: expected open or closed", st)
		}
	}
	if len(q.FlowIDs) > MaxFilterIDs || len(q.RunIDs) > MaxFilterIDs {
		return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "filter_flow_ids and filter_run_ids take at most %d ids each", MaxFilterIDs)
	}
	return nil
}

// List returns the web inputs on which the caller holds one of the roles (viewer or respondent
// when none is given) in one of the states (open when none is given), newest first by default.
func (s *Store) List(c auth.Caller, q Query, now time.Time) (Page, error) {
	if err := q.Check(); err != nil {
		return Page{}, err
	}
	roles, states := q.Roles, q.States
	if len(roles) == 0 {
		roles = []string{"viewer", "respondent"}
	}
	if len(states) == 0 {
		states = []string{Open}
	}
	orders, err := listing.ParseOrder(q.OrderBy, []string{"created_timestamp DESC"}, orderFields)
	if err != nil {
		return Page{}, err
	}
	if q.PerPage, err = listing.PerPage(q.PerPage); err != nil {
		return Page{}, err
	}
	s.mu.Lock()
	var hits []*WebInput
	for _, w := range s.inputs {
		w.expireLocked(now)
		mine := w.Roles(c)
		if !slices.ContainsFunc(mine, func(r string) bool { return slices.Contains(roles, r) }) ||
			!slices.Contains(states, w.Status) ||
			(len(q.FlowIDs) > 0 && !slices.Contains(q.FlowIDs, w.FlowID)) ||
			(len(q.RunIDs) > 0 && !slices.Contains(q.RunIDs, w.RunID)) {
			continue
		}
		c := clone(w)
		hits = append(hits, &c)
	}
	s.mu.Unlock()
	listing.Sort(hits, orders, func(w *WebInput) string { return w.ID })
	win := listing.Slice(len(hits), q.Offset, q.PerPage)
	p := Page{Items: []Item{}}
	for _, w := range hits[win.Start:win.End] {
		p.Items = append(p.Items, Item{WebInput: *w, UserRoles: w.Roles(c), Redacted: s.flows.IsHighAssurance(w.FlowID)})
	}
	if win.More {
		next := q
		next.Offset = win.End
		p.Marker = listing.EncodeMarker(next)
	}
	return p, nil
}

func idOf(w *WebInput) string { return w.ID }

// Restore replaces the content.
func (s *Store) Restore(list []WebInput) {
	m := ids.Index(list, idOf, clone)
	byRun := map[string][]string{}
	for _, w := range m {
		byRun[w.RunID] = append(byRun[w.RunID], w.ID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inputs, s.byRun = m, byRun
}

// Snapshot returns every web input sorted by id.
func (s *Store) Snapshot() []WebInput {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ids.Sorted(s.inputs, idOf, clone)
}

// ParseSpec reads the Parameters of a CreateWebInput state (flow-engine.md §6), whose private
// values are at private. What a web input shows people (its Context, the options' Label and
// Description, RespondentUrns and ViewerUrns) cannot be private; an option's Value can, and stays
// private in the run that receives it.
func ParseSpec(p map[string]any, private []engine.Location, now time.Time) (Spec, error) {
	errShown := errors.New("CreateWebInput: what a web input shows people (its Context, the options' Label and Description, RespondentUrns and ViewerUrns) cannot be private")
	// The parameters without the private values people would see come first: only their errors
	// may be shown.
	shown, _ := engine.Redact(p, slices.DeleteFunc(slices.Clone(private), isOptionValue)).(map[string]any)
	seen, err := parseSpec(shown, now)
	if err != nil {
		if _, fullErr := parseSpec(p, now); fullErr != nil {
			return Spec{}, err
		}
		return Spec{}, errShown
	}
	spec, err := parseSpec(p, now)
	if err != nil {
		return Spec{}, errors.New("CreateWebInput: a private parameter is not valid; its error is not shown")
	}
	if len(seen.Options) == len(spec.Options) {
		for i := range seen.Options {
			seen.Options[i].Value = spec.Options[i].Value
		}
	}
	seen.ExpiresAt = spec.ExpiresAt
	if !reflect.DeepEqual(seen, spec) {
		return Spec{}, errShown
	}
	for i := range spec.Options {
		spec.Options[i].Private = engine.Within(private, engine.Location{engine.KeyStep("Options"), engine.IndexStep(i), engine.KeyStep("Value")})
	}
	return spec, nil
}

// isOptionValue reports whether a location lies in the Value of one of the Options.
func isOptionValue(l engine.Location) bool {
	return len(l) >= 3 && l[0] == engine.KeyStep("Options") && l[1].IsIndex && l[2] == engine.KeyStep("Value")
}

// parseSpec reads InputType "Selection"; Context with Title and PresentationStyle "Table" (Rows
// of Field and Value) or "Text" (Text); Options of Value, Label and Description; RespondentUrns;
// and, as this mock chooses, ViewerUrns and ExpiresIn (seconds on the mock clock).
func parseSpec(p map[string]any, now time.Time) (Spec, error) {
	bad := func(format string, args ...any) (Spec, error) {
		return Spec{}, fmt.Errorf("CreateWebInput: "+format, args...)
	}
	if t, _ := p["InputType"].(string); !strings.EqualFold(t, "Selection") {
		return bad(`InputType must be "Selection"`)
	}
	ctx, _ := p["Context"].(map[string]any)
	var spec Spec
	spec.Context.Title, _ = ctx["Title"].(string)
	if spec.Context.Title == "" {
		return bad("Context.Title is required")
	}
	style, _ := ctx["PresentationStyle"].(string)
	switch strings.ToLower(style) {
	case "table", "":
		spec.Context.Style = "table"
		rows, _ := ctx["Rows"].([]any)
		spec.Context.Rows = []Row{}
		for i, raw := range rows {
			r, _ := raw.(map[string]any)
			f, okf := r["Field"].(string)
			v, okv := r["Value"]
			if !okf || !okv {
				return bad("Context.Rows[%d] needs a Field and a Value", i)
			}
			sv, ok := v.(string)
			if !ok {
				sv = fmt.Sprint(v)
			}
			spec.Context.Rows = append(spec.Context.Rows, Row{Field: f, Value: sv})
		}
	case "text":
		spec.Context.Style = "text"
		spec.Context.Text, _ = ctx["Text"].(string)
	default:
		return bad(`Context.PresentationStyle must be "Table" or "Text"`)
	}
	opts, _ := p["Options"].([]any)
	if len(opts) == 0 {
		return bad("Options must list at least one option")
	}
	for i, raw := range opts {
		o, _ := raw.(map[string]any)
		label, _ := o["Label"].(string)
		v, hasValue := o["Value"]
		if label == "" || !hasValue {
			return bad("Options[%d] needs a Label and a Value", i)
		}
		desc, _ := o["Description"].(string)
		spec.Options = append(spec.Options, Option{Label: label, Description: desc, Value: v})
	}
	var err error
	if spec.Respondents, err = principals(p, "RespondentUrns"); err != nil {
		return Spec{}, err
	}
	if len(spec.Respondents) == 0 {
		return bad("RespondentUrns must name at least one identity or group")
	}
	if spec.Viewers, err = principals(p, "ViewerUrns"); err != nil {
		return Spec{}, err
	}
	if raw, ok := p["ExpiresIn"]; ok {
		secs, ok := seconds(raw)
		d, inRange := clock.Seconds(secs, clock.MaxRun)
		if !ok || !inRange || d == 0 {
			return bad("ExpiresIn must be a positive number of seconds, at most %d (a year, the longest a run lives)", int64(clock.MaxRun/time.Second))
		}
		at := now.Add(d)
		spec.ExpiresAt = &at
	}
	return spec, nil
}

func principals(p map[string]any, key string) ([]string, error) {
	raw, _ := p[key].([]any)
	out := []string{}
	for _, v := range raw {
		u, _ := v.(string)
		if kind, _ := auth.ParsePrincipal(u); kind != auth.IdentityPrincipal && kind != auth.GroupPrincipal {
			return nil, fmt.Errorf("CreateWebInput: %s: %v is not an identity or group URN", key, v)
		}
		out = append(out, u)
	}
	return out, nil
}

// seconds reads a JSON number however it was decoded.
func seconds(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}
