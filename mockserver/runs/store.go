package runs

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/jsonw"
	"github.com/globus-conformance/kit/mockserver/listing"
)

// Flows is what the run store needs to know of flows now (not at run start): the flow's run role
// lists, its description for include_flow_description (a deleted flow keeps one, with deleted_at),
// and whether a caller may see its private parameters.
type Flows interface {
	RunRoles(flowID string) (managers, monitors []string)
	Embed(flowID string) (FlowEmbed, bool)
	SeesPrivate(c auth.Caller, flowID string) bool
	// CheckSession enforces the flow's high-assurance policy; holds tells whether one identity
	// (with its own groups) holds a role on the run.
	CheckSession(c auth.Caller, flowID string, holds func(single auth.Caller) bool) error
	IsHighAssurance(flowID string) bool
}

// Tokens answers what the runs layer cannot know by itself: the scope of a provider registered
// with the mock, and whose a token given for a RunAs role is.
type Tokens interface {
	ProviderScope(actionURL string) (string, bool)
	Resolve(token string) (auth.Caller, error)
}

// SetTokens sets where registered providers' scopes and RunAs tokens are looked up.
func (s *Store) SetTokens(t Tokens) { s.tokens = t }

// Actions runs the actions of Action states (package actions implements it).
type Actions interface {
	Start(c actions.Call, now time.Time) (map[string]any, error)
	Status(url, id string, g actions.Grant, now time.Time) (map[string]any, time.Time, error)
	Resume(url, id string, g actions.Grant, now time.Time)
	Cancel(url, id string, g actions.Grant, now time.Time)
	Release(url, id string, g actions.Grant)
}

// FlowSnapshot is the flow as a run starts it: the definition and input schema are copied.
type FlowSnapshot struct {
	ID          string
	Title       string
	UpdatedAt   time.Time
	Definition  map[string]any
	InputSchema map[string]any
}

// Limits of runs (reference flows-api.md §11, flow-engine.md §2): a run state of at most 200 KB,
// labels of at most 64 characters, at most 16 principals per role list. MaxSteps is the mock's
// own bound on state transitions, so that a definition that loops forever ends.
const (
	MaxStateBytes = 200 * 1024
	MaxSteps      = 10_000
	MaxLabel      = 64
)

// Store holds the runs. Safe for concurrent use; each run has its own lock, and the engine runs
// outside every lock so a slow expression never blocks other requests.
type Store struct {
	clock   *clock.Clock
	flows   Flows
	actions Actions
	notify  Notifier
	tokens  Tokens
	exec    *executor
	timer   *timers
	// webInputs makes and answers the web inputs of CreateWebInput and AwaitWebInput states.
	webInputs WebInputs
	// consented reports whether an identity let a client use a dependency path of scopes.
	consented Consented

	mu   sync.RWMutex
	runs map[string]*run
	// byOwner and byOwnerFlow order each owner's runs, and each owner's runs of each flow, as
	// the default listing does (start_time DESC, id); a run's owner, flow and start time never
	// change.
	byOwner, byOwnerFlow *listing.Index[*run]
}

// oldestFirst is the order of the run indexes: the default listing's read backwards.
func oldestFirst(a, b *run) int {
	if c := a.StartTime.Compare(b.StartTime); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

func sameRun(a, b *run) bool { return a.ID == b.ID }

// NewStore returns an empty store whose runs execute on c.
func NewStore(c *clock.Clock, flows Flows, acts Actions) *Store {
	s := &Store{clock: c, flows: flows, actions: acts, runs: map[string]*run{},
		byOwner: listing.NewIndex(oldestFirst, sameRun), byOwnerFlow: listing.NewIndex(oldestFirst, sameRun)}
	s.exec = newExecutor(s.advance)
	s.timer = newTimers(c, s.exec.enqueue)
	return s
}

// Consented reports whether an identity let a client use the scopes of a dependency path, the
// first for the client and each next one under the one before it.
type Consented func(identityID, clientID string, scopes ...string) bool

// SetConsents sets how the consents of a run's user are looked up.
func (s *Store) SetConsents(f Consented) { s.consented = f }

// SetNotifier sets where run status notifications go.
func (s *Store) SetNotifier(n Notifier) { s.notify = n }

// Settle waits until no run can make progress without the clock moving.
func (s *Store) Settle() { s.exec.settle() }

func notFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "No Run exists with id value %s", id)
}

func forbidden(id, missing string) error {
	return apierr.New(apierr.Forbidden, "FORBIDDEN",
		"You do not have the necessary permissions to perform this action on the run with id value %s. Missing permissions: %s.", id, missing)
}

// StartInput is the body of POST /flows/{id}/run and validate_run.
type StartInput struct {
	Body     map[string]any
	Label    *string
	Tags     []string
	Managers []string
	Monitors []string
	Notify   []string // activity_notification_policy.status; nil means the default
}

// NormalizeTags trims each tag and collapses its inner whitespace (OAS Tags).
func NormalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for i, t := range tags {
		n := strings.Join(strings.Fields(t), " ")
		if n == "" {
			return nil, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
				Loc: []any{"tags", i}, Msg: "tags may not be empty or only whitespace", Type: "value_error"}})
		}
		out = append(out, n)
	}
	return out, nil
}

// Check validates a start request against the flow: the input schema and the run metadata.
func Check(f FlowSnapshot, in StartInput) error {
	if errs := engine.ValidateInput(f.InputSchema, in.Body); len(errs) > 0 {
		e := apierr.WithFields(apierr.BadRequest, "FLOW_INPUT_ERROR", errs)
		e.Message = fmt.Sprintf("Input failed schema validation with %d error%s.", len(errs), plural(len(errs)))
		return e
	}
	if size := jsonSize(in.Body); size > MaxStateBytes {
		return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
			Loc: []any{"body"}, Msg: fmt.Sprintf("the run input is %d bytes; runs are limited to %d bytes of state", size, MaxStateBytes),
			Type: "value_error"}})
	}
	if _, err := NormalizeTags(in.Tags); err != nil {
		return err
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func jsonSize(v any) int {
	n, _ := jsonw.Size(v)
	return n
}

// Start creates a run of f for the caller and schedules it. The caller's right to start the
// flow is checked by the flow store before.
func (s *Store) Start(c auth.Caller, f FlowSnapshot, in StartInput) (Document, error) {
	if err := Check(f, in); err != nil {
		return Document{}, err
	}
	tags, _ := NormalizeTags(in.Tags)
	now := s.clock.Now()
	id := ids.UUID()
	state, roleTokens := takeRoleTokens(engine.DeepCopy(any(in.Body)))
	notify := in.Notify
	if notify == nil {
		notify = []string{"INACTIVE"}
	}
	r := &run{Record: Record{
		ID: id, FlowID: f.ID, FlowTitle: f.Title, FlowLastUpdated: f.UpdatedAt,
		// Shared with the flow: a stored definition is never changed in place (updates replace it).
		Definition: f.Definition, InputSchema: f.InputSchema,
		Owner: c.URN(), Managers: orEmpty(in.Managers), Monitors: orEmpty(in.Monitors),
		Tags: tags, Notify: slices.Clone(notify), Status: Active, StartTime: now,
		Context: runContext(c, f.ID, id, now), State: state, RoleTokens: roleTokens,
		Log: []Entry{}, Token: c.Token.Token, Scopes: slices.Clone(c.Token.Scopes), AllScopes: c.Token.AllScopes,
		ClientID: c.Token.ClientID, GroupIDs: slices.Clone(c.GroupIDs),
	}, notify: s.notify, onEnd: s.runEnded}
	for _, i := range c.IdentitySet {
		r.IdentityIDs = append(r.IdentityIDs, i.ID)
	}
	if in.Label != nil {
		r.Label = *in.Label
	}
	r.Current, _ = f.Definition["StartAt"].(string)
	input := engine.Redact(r.State, nil)
	r.Details = map[string]any{"code": "FlowStarting", "description": "The Flow is starting execution",
		"details": map[string]any{"input": input}, "time": ts(now)}
	// The details and the first log entry share the redacted input: neither is changed in place.
	r.Log = append(r.Log, Entry{Time: now, Code: "FlowStarted", Description: "The Flow Instance started execution",
		Details: map[string]any{"input": input}})
	r.mu.Lock()
	doc := r.renderLocked(access{owner: true})
	r.mu.Unlock()
	s.mu.Lock()
	s.runs[id] = r
	s.byOwner.Add(r.Owner, r)
	s.byOwnerFlow.Add(ownerFlow(r.Owner, r.FlowID), r)
	s.mu.Unlock()
	s.exec.enqueue(id)
	return doc, nil
}

// takeRoleTokens removes _tokens from run input: {"<RunAs role>": <access token, or a token
// response with its access_token>} (reference flow-engine.md §4). The tokens are kept apart
// from the run state, so neither the state nor any document shows them.
func takeRoleTokens(input any) (any, map[string]string) {
	m, ok := input.(map[string]any)
	if !ok {
		return input, nil
	}
	given, ok := m[RoleTokensKey].(map[string]any)
	delete(m, RoleTokensKey)
	if !ok {
		return m, nil
	}
	out := map[string]string{}
	for role, v := range given {
		if doc, ok := v.(map[string]any); ok {
			v = doc["access_token"]
		}
		if t, ok := v.(string); ok && t != "" {
			out[role] = t
		}
	}
	return m, out
}

// RoleTokensKey is the run input key that carries the tokens of RunAs roles.
const RoleTokensKey = "_tokens"

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return slices.Clone(l)
}

func copyObject(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return engine.DeepCopy(m).(map[string]any)
}

// runContext is $._context (reference flow-engine.md §2).
func runContext(c auth.Caller, flowID, runID string, now time.Time) map[string]any {
	identities := make([]any, 0, len(c.IdentitySet))
	for _, i := range c.IdentitySet {
		identities = append(identities, i.URN())
	}
	iat := c.Token.IssuedAt
	if iat.IsZero() {
		iat = now
	}
	return map[string]any{
		"flow_id": flowID, "run_id": runID, "username": c.Identity.Username, "email": c.Identity.Email,
		"user_id": c.URN(), "identities": identities,
		"token_info": map[string]any{"exp": json.Number(fmt.Sprint(c.Token.ExpiresAt.Unix())),
			"iat": json.Number(fmt.Sprint(iat.Unix())), "nbf": json.Number(fmt.Sprint(iat.Unix()))},
	}
}

func ts(t time.Time) string { return string(flows.AppendTimestamp(nil, t)) }

// find returns a run the caller may see, with the caller's access, once the caller's session
// satisfies the high-assurance policy of the run's flow. The run is locked on success.
func (s *Store) find(c auth.Caller, id string) (*run, access, error) {
	s.mu.RLock()
	r, ok := s.runs[id]
	s.mu.RUnlock()
	if !ok {
		return nil, access{}, notFound(id)
	}
	managers, monitors := s.flows.RunRoles(r.FlowID)
	r.mu.Lock()
	a := r.accessLocked(c.Principals(), managers, monitors)
	if !a.canView() {
		r.mu.Unlock()
		return nil, access{}, notFound(id)
	}
	holds := func(single auth.Caller) bool {
		return r.accessLocked(single.Principals(), managers, monitors).canView()
	}
	if err := s.flows.CheckSession(c, r.FlowID, holds); err != nil {
		r.mu.Unlock()
		return nil, access{}, err
	}
	return r, a, nil
}

// Get returns the run, with its flow's description when asked.
func (s *Store) Get(c auth.Caller, id string, withFlow bool) (Document, error) {
	r, a, err := s.find(c, id)
	if err != nil {
		return Document{}, err
	}
	doc := r.renderLocked(a)
	flowID := r.FlowID
	r.mu.Unlock()
	if withFlow {
		if e, ok := s.flows.Embed(flowID); ok {
			doc.FlowDescription = &e
		}
	}
	return doc, nil
}

// UpdateInput is the body of PUT /runs/{id}; nil means "not given".
type UpdateInput struct {
	Label    *string
	Tags     *[]string
	Managers *[]string
	Monitors *[]string
}

// findManaged is find for the operations that change a run: the caller must also manage it
// (403 naming the permission).
func (s *Store) findManaged(c auth.Caller, id, permission string) (*run, access, error) {
	r, a, err := s.find(c, id)
	if err != nil {
		return nil, access{}, err
	}
	if !a.canManage() {
		r.mu.Unlock()
		return nil, access{}, forbidden(id, permission)
	}
	return r, a, nil
}

// CheckRoleLists validates the run_managers and run_monitors lists a request gives or a change
// leaves (nil: not given); prefix locates them in the body ("set." in a batch).
func CheckRoleLists(prefix string, managers, monitors *[]string) []apierr.FieldError {
	return append(flows.CheckPrincipals(prefix+"run_managers", "RunManager", managers, auth.BadPrincipal),
		flows.CheckPrincipals(prefix+"run_monitors", "RunMonitor", monitors, auth.BadPrincipal)...)
}

// Update changes a run's metadata; run managers (and the owner) may.
func (s *Store) Update(c auth.Caller, id string, in UpdateInput) (Document, error) {
	if in.Tags != nil {
		tags, err := NormalizeTags(*in.Tags)
		if err != nil {
			return Document{}, err
		}
		in.Tags = &tags
	}
	r, _, err := s.findManaged(c, id, "UPDATE")
	if err != nil {
		return Document{}, err
	}
	defer r.mu.Unlock()
	r.setLocked(in)
	managers, monitors := s.flows.RunRoles(r.FlowID)
	return r.renderLocked(r.accessLocked(c.Principals(), managers, monitors)), nil
}

// setLocked writes the metadata an update or a batch gives (tags already normalized).
func (r *run) setLocked(in UpdateInput) {
	if in.Label != nil {
		r.Label = *in.Label
	}
	if in.Tags != nil {
		r.Tags = orEmpty(*in.Tags)
	}
	if in.Managers != nil {
		r.Managers = orEmpty(*in.Managers)
	}
	if in.Monitors != nil {
		r.Monitors = orEmpty(*in.Monitors)
	}
}

// Cancel stops an active or inactive run: it ends FAILED with details.code FlowCanceled. A run
// that already ended is returned as it is.
func (s *Store) Cancel(c auth.Caller, id string) (Document, error) {
	r, a, err := s.findManaged(c, id, "CANCEL")
	if err != nil {
		return Document{}, err
	}
	now := s.clock.Now()
	pending := r.cancelLocked(now)
	doc := r.renderLocked(a)
	var grant actions.Grant
	if pending != nil {
		grant = r.grantLocked(*pending)
	}
	r.mu.Unlock()
	if pending != nil {
		// Canceling the run cancels its action at the provider.
		s.actions.Cancel(pending.URL, pending.ActionID, grant, now)
	}
	return doc, nil
}

// Release removes a run that has ended; a run still going is a 409 STATE_CONFLICT.
func (s *Store) Release(c auth.Caller, id string) (Document, error) {
	r, a, err := s.findManaged(c, id, "RELEASE")
	if err != nil {
		return Document{}, err
	}
	if !Terminal(r.Status) {
		status := r.Status
		r.mu.Unlock()
		return Document{}, apierr.New(apierr.Conflict, "STATE_CONFLICT",
			"Run %s has status '%s' but must have status in {'ENDED', 'SUCCEEDED', 'FAILED'} for requested operation", id, status)
	}
	doc := r.renderLocked(a)
	r.mu.Unlock()
	s.mu.Lock()
	delete(s.runs, id)
	s.byOwner.Remove(r.Owner, r)
	s.byOwnerFlow.Remove(ownerFlow(r.Owner, r.FlowID), r)
	s.mu.Unlock()
	return doc, nil
}

// Resume asks an INACTIVE run to go on. For any other status it is only a hint and changes
// nothing (OAS: "the resume operation is just a hint").
func (s *Store) Resume(c auth.Caller, id string) (Document, error) {
	r, a, err := s.find(c, id)
	if err != nil {
		return Document{}, err
	}
	if !a.canResume() {
		r.mu.Unlock()
		return Document{}, notFound(id) // OAS: 404 when the caller may not manage the run
	}
	var pending *PendingAction
	// A run waiting on a web input goes on only when someone responds to it.
	if r.Status == Inactive && r.Awaiting == "" {
		r.Status = Active
		r.WakeAt = nil
		r.Sequence++
		// The resumer's token (with the consents it now carries) is what the run goes on with.
		r.Token, r.Scopes, r.AllScopes, r.ClientID = c.Token.Token, slices.Clone(c.Token.Scopes), c.Token.AllScopes, c.Token.ClientID
		if r.Action != nil {
			p := *r.Action
			pending = &p
		}
	}
	doc := r.renderLocked(a)
	var grant actions.Grant
	if pending != nil {
		grant = r.grantLocked(*pending)
	}
	r.mu.Unlock()
	if pending != nil {
		s.actions.Resume(pending.URL, pending.ActionID, grant, s.clock.Now())
	}
	s.exec.enqueue(id)
	return doc, nil
}

// DefinitionDocument is GET /runs/{id}/definition.
type DefinitionDocument struct {
	FlowID      string         `json:"flow_id"`
	Definition  map[string]any `json:"definition"`
	InputSchema map[string]any `json:"input_schema"`
}

// Definition returns the definition and input schema the run started with. Private parameters
// are shown only to those who see them on the flow.
func (s *Store) Definition(c auth.Caller, id string) (DefinitionDocument, error) {
	r, _, err := s.find(c, id)
	if err != nil {
		return DefinitionDocument{}, err
	}
	d := DefinitionDocument{FlowID: r.FlowID, Definition: engine.DeepCopy(r.Definition).(map[string]any), InputSchema: copyObject(r.InputSchema)}
	r.mu.Unlock()
	if !s.flows.SeesPrivate(c, d.FlowID) {
		engine.StripPrivate(d.Definition)
	}
	return d, nil
}

// cancelLocked ends a run that is still going as canceled (FAILED, FlowCanceled) and returns the
// action it waited on, which the caller cancels at its provider once the lock is released.
func (r *run) cancelLocked(now time.Time) *PendingAction {
	if Terminal(r.Status) {
		return nil
	}
	pending := r.Action
	r.Action, r.WakeAt = nil, nil
	r.finishLocked(now, Failed, Entry{Time: now, Code: "FlowCanceled",
		Description: "The Flow Instance was canceled by the user", Details: map[string]any{}})
	return pending
}

// finishLocked ends the run with a status and its final log entry, which is also its details.
func (r *run) finishLocked(now time.Time, status string, last Entry) {
	defer r.notifyLocked(status)
	r.Status = status
	r.CompletionTime = &now
	r.Current, r.Awaiting = "", ""
	if r.onEnd != nil {
		r.onEnd(r.ID, now)
	}
	r.logLocked(last) // the details are the last entry's, but for a success
	if status == Succeeded {
		r.Details = map[string]any{"time": ts(now), "code": "FlowSucceeded",
			"description": "The Flow run reached a successful completion state", "output": last.Details["output"]}
	}
	r.Sequence++
}

// Restore replaces the runs (a loaded world) and schedules the ones still going.
func (s *Store) Restore(records []Record) error {
	m := make(map[string]*run, len(records))
	// Runs of one flow version share one definition, as runs started here do.
	definitions := map[string]map[string]any{}
	for i := range records {
		if !ids.IsUUID(records[i].ID) {
			return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "run id %q is not a UUID", records[i].ID)
		}
		rec := cloneRecord(&records[i])
		if key, err := json.Marshal(rec.Definition); err == nil {
			if shared, ok := definitions[string(key)]; ok {
				rec.Definition = shared
			} else {
				definitions[string(key)] = rec.Definition
			}
		}
		m[rec.ID] = &run{Record: rec, notify: s.notify, onEnd: s.runEnded}
	}
	s.mu.Lock()
	s.runs = m
	all := slices.Collect(maps.Values(m))
	s.byOwner.Build(all, func(r *run) string { return r.Owner })
	s.byOwnerFlow.Build(all, func(r *run) string { return ownerFlow(r.Owner, r.FlowID) })
	s.mu.Unlock()
	s.timer.reset()
	for id, r := range m {
		if r.Status == Active {
			s.exec.enqueue(id)
		}
	}
	return nil
}

// Snapshot returns every run, sorted by id.
func (s *Store) Snapshot() []Record {
	s.mu.RLock()
	list := make([]*run, 0, len(s.runs))
	for _, r := range s.runs {
		list = append(list, r)
	}
	s.mu.RUnlock()
	out := make([]Record, 0, len(list))
	for _, r := range list {
		r.mu.Lock()
		r.detailsLocked()
		out = append(out, cloneRecord(&r.Record))
		r.mu.Unlock()
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// cloneRecord deep-copies a record through its JSON form, which is what Dump and Load exchange.
func cloneRecord(r *Record) Record {
	b, err := json.Marshal(r)
	if err != nil {
		return Record{ID: r.ID}
	}
	var c Record
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	_ = dec.Decode(&c)
	return c
}

// WakeAction makes the INACTIVE run waiting on an action ACTIVE again (its action changed outside
// the run, such as a selection), and schedules it.
func (s *Store) WakeAction(actionID string) bool {
	s.mu.RLock()
	list := make([]*run, 0, len(s.runs))
	for _, r := range s.runs {
		list = append(list, r)
	}
	s.mu.RUnlock()
	for _, r := range list {
		r.mu.Lock()
		if r.Status == Inactive && r.Action != nil && r.Action.ActionID == actionID {
			r.Status, r.WakeAt = Active, nil
			r.Sequence++
			id := r.ID
			r.mu.Unlock()
			s.exec.enqueue(id)
			return true
		}
		r.mu.Unlock()
	}
	return false
}

// BatchChange is one part of POST /batch/runs: values to set, add or remove.
type BatchChange struct {
	Tags     *[]string
	Managers *[]string
	Monitors *[]string
}

// Batch updates many runs at once: set replaces, add appends, remove takes away; cancel cancels.
// Each run is checked as its single-run operation checks it: find (the caller sees the run and
// satisfies its flow's session policy), the manager role, and the role lists the change would
// leave it with. If any run fails, nothing changes on any run, and the first failing run in
// request order decides the answer: for a role refusal (the run is hidden from the caller or not
// managed by them) one 403 FORBIDDEN naming every run refused for its role, so that a batch
// reveals no more than a 404 would; otherwise that run's own error (the GARE, the lockout, or
// the 422 of a role list over the limit).
func (s *Store) Batch(c auth.Caller, ids []string, set, add, remove BatchChange, cancel bool) error {
	var tagsSet, tagsAdd, tagsRemove []string
	var err error
	for _, p := range []struct {
		in  *[]string
		out *[]string
	}{{set.Tags, &tagsSet}, {add.Tags, &tagsAdd}, {remove.Tags, &tagsRemove}} {
		if p.in != nil {
			if *p.out, err = NormalizeTags(*p.in); err != nil {
				return err
			}
		}
	}
	var locked []*run
	defer func() {
		for _, r := range locked {
			r.mu.Unlock()
		}
	}()
	failed := map[string]error{}
	next := map[*run]UpdateInput{}
	// Runs are locked in id order, so two batches over the same runs cannot deadlock.
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	for _, id := range slices.Compact(sorted) {
		r, a, err := s.find(c, id)
		if e, ok := apierr.As(err); ok && e.Kind == apierr.NotFound {
			err = errRoleRefused // find's only not-found answer; its others are the session's
		}
		if err != nil {
			failed[id] = err
			continue
		}
		locked = append(locked, r)
		if !a.canManage() {
			failed[id] = errRoleRefused
			continue
		}
		tags := merged(r.Tags, set.Tags != nil, tagsSet, tagsAdd, tagsRemove)
		managers := merged(r.Managers, set.Managers != nil, deref(set.Managers), deref(add.Managers), deref(remove.Managers))
		monitors := merged(r.Monitors, set.Monitors != nil, deref(set.Monitors), deref(add.Monitors), deref(remove.Monitors))
		if errs := CheckRoleLists("", &managers, &monitors); len(errs) > 0 {
			e := apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
			e.Message = fmt.Sprintf("The batch would leave the run %s with a role list over the limit of %d principals; no run was changed", id, flows.MaxPrincipals)
			failed[id] = e
			continue
		}
		next[r] = UpdateInput{Tags: &tags, Managers: &managers, Monitors: &monitors}
	}
	if err := batchRefusal(ids, failed); err != nil {
		return err
	}
	now := s.clock.Now()
	var canceled []PendingAction
	var grants []actions.Grant
	for _, r := range locked {
		r.setLocked(next[r])
		if cancel {
			if a := r.cancelLocked(now); a != nil {
				canceled, grants = append(canceled, *a), append(grants, r.grantLocked(*a))
			}
		}
	}
	for i, a := range canceled {
		s.actions.Cancel(a.URL, a.ActionID, grants[i], now)
	}
	return nil
}

// errRoleRefused marks a run of a batch that is hidden from the caller or not managed by them.
var errRoleRefused = errors.New("the caller may not manage the run")

// batchRefusal is the answer of a batch in which some runs failed their checks (nil if none did):
// the first failing run in request order decides, as Batch says.
func batchRefusal(ids []string, failed map[string]error) error {
	for _, id := range ids {
		err, ok := failed[id]
		if !ok {
			continue
		}
		if err != errRoleRefused {
			return err
		}
		var names []string
		for _, id := range ids {
			if failed[id] == errRoleRefused && !slices.Contains(names, id) {
				names = append(names, id)
			}
		}
		return apierr.New(apierr.Forbidden, "FORBIDDEN", "You may not manage the runs %s (they do not exist or you are not their manager); no run was changed", strings.Join(names, ", "))
	}
	return nil
}

// merged is a list after a batch: set replaces it (when given), add appends what it lacks,
// remove takes away.
func merged(cur []string, hasSet bool, set, add, remove []string) []string {
	out := slices.Clone(cur)
	if hasSet {
		out = slices.Clone(set)
	}
	for _, v := range add {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	out = slices.DeleteFunc(out, func(v string) bool { return slices.Contains(remove, v) })
	if out == nil {
		return []string{}
	}
	return out
}

func deref(p *[]string) []string {
	if p == nil {
		return nil
	}
	return *p
}
