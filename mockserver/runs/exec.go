package runs

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/engine"
)

// Runs execute asynchronously (DESIGN §7): starting a run queues it; a few workers take queued
// runs and execute their states until each one ends or waits. A Wait state sleeps on the mock
// clock: a frozen clock wakes it when advanced, a following clock when its time comes. Settle
// waits until no run can make progress without the clock moving, so tests never sleep.

// stepsPerTurn bounds how many states one run executes before yielding to the others.
const stepsPerTurn = 64

// executor runs queued work with at most GOMAXPROCS workers; a run is never executed by two
// workers at once, and one queued twice is executed once more after its current turn.
type executor struct {
	run func(id string)

	mu     sync.Mutex
	idle   *sync.Cond
	queue  []string
	status map[string]int // queuedRun, runningRun, rerunRun
	active int
	max    int
}

const (
	queuedRun = iota + 1
	runningRun
	rerunRun
)

func newExecutor(run func(id string)) *executor {
	e := &executor{run: run, status: map[string]int{}, max: runtime.GOMAXPROCS(0)}
	e.idle = sync.NewCond(&e.mu)
	return e
}

func (e *executor) enqueue(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch e.status[id] {
	case queuedRun, rerunRun:
		return
	case runningRun:
		e.status[id] = rerunRun
		return
	}
	e.status[id] = queuedRun
	e.queue = append(e.queue, id)
	if e.active < e.max {
		e.active++
		go e.work()
	}
}

func (e *executor) work() {
	e.mu.Lock()
	for len(e.queue) > 0 {
		id := e.queue[0]
		e.queue[0] = ""
		e.queue = e.queue[1:]
		e.status[id] = runningRun
		e.mu.Unlock()
		e.run(id)
		e.mu.Lock()
		if e.status[id] == rerunRun {
			e.status[id] = queuedRun
			e.queue = append(e.queue, id)
		} else {
			delete(e.status, id)
		}
	}
	e.active--
	if e.active == 0 {
		e.idle.Broadcast()
	}
	e.mu.Unlock()
}

// settle waits until nothing is queued or running.
func (e *executor) settle() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for len(e.queue) > 0 || e.active > 0 {
		e.idle.Wait()
	}
}

// timers wakes sleeping runs when the mock clock reaches their time.
type timers struct {
	clock *clock.Clock
	wake  func(id string)

	mu   sync.Mutex
	due  wakeHeap
	wall *time.Timer
}

type wakeItem struct {
	at time.Time
	id string
}

type wakeHeap []wakeItem

func (h wakeHeap) Len() int           { return len(h) }
func (h wakeHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h wakeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *wakeHeap) Push(x any)        { *h = append(*h, x.(wakeItem)) }
func (h *wakeHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func newTimers(c *clock.Clock, wake func(string)) *timers {
	t := &timers{clock: c, wake: wake}
	c.OnChange(t.check)
	return t
}

func (t *timers) schedule(id string, at time.Time) {
	t.mu.Lock()
	heap.Push(&t.due, wakeItem{at: at, id: id})
	t.mu.Unlock()
	t.check()
}

func (t *timers) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.due = nil
	if t.wall != nil {
		t.wall.Stop()
	}
}

// check wakes every run whose time has come and, when the clock follows wall time, sets a wall
// timer for the next one.
func (t *timers) check() {
	now := t.clock.Now()
	var woken []string
	t.mu.Lock()
	for t.due.Len() > 0 && !t.due[0].at.After(now) {
		woken = append(woken, heap.Pop(&t.due).(wakeItem).id)
	}
	if t.wall != nil {
		t.wall.Stop()
		t.wall = nil
	}
	if t.due.Len() > 0 && t.clock.Following() {
		t.wall = time.AfterFunc(t.due[0].at.Sub(now), t.check)
	}
	t.mu.Unlock()
	for _, id := range woken {
		t.wake(id)
	}
}

// advance executes a run's states until it ends, sleeps, or has had its turn. The engine and the
// action providers are called without the run's lock.
func (s *Store) advance(id string) {
	for range stepsPerTurn {
		s.mu.RLock()
		r := s.runs[id]
		s.mu.RUnlock()
		if r == nil {
			return
		}
		r.mu.Lock()
		if r.Status != Active && (r.Status != Inactive || r.Awaiting == "") {
			r.mu.Unlock()
			return
		}
		now := s.clock.Now()
		if r.Awaiting != "" {
			r.mu.Unlock()
			if !s.awaitWebInput(r, now) {
				return
			}
			continue
		}
		if r.WakeAt != nil && now.Before(*r.WakeAt) {
			at := *r.WakeAt
			r.mu.Unlock()
			s.timer.schedule(id, at)
			return
		}
		if r.Action != nil {
			r.mu.Unlock()
			s.pollAction(r, now)
			continue
		}
		if r.WakeAt != nil {
			r.endWaitLocked(now)
			r.mu.Unlock()
			continue
		}
		if r.Steps >= MaxSteps {
			r.failLocked(now, r.Current, engine.ErrRuntime, fmt.Sprintf("The run executed %d states, the most a run may execute in this mock", MaxSteps))
			r.mu.Unlock()
			return
		}
		def, name, state, private, ctx, seq := r.Definition, r.Current, r.State, r.Private, r.Context, r.Sequence
		call, roleTokens := r.callLocked(name), r.RoleTokens
		origin := r.originLocked()
		r.mu.Unlock()
		res := engine.Step(def, name, state, private, ctx, now)
		if res.WebInput != nil || res.Await != "" {
			s.startWebInputState(r, seq, origin, res, now)
			continue
		}
		var started map[string]any
		var startErr error
		if res.Action != nil {
			if res.Action.RegisteredAPI != "" {
				res.Action.URL = actions.RegisteredAPIURL(res.Action.RegisteredAPI)
			}
			res.Action.Scope = s.actionScope(res.Action)
			if call, startErr = s.runAs(call, res.Action.RunAs, roleTokens); startErr == nil {
				if scope := res.Action.Scope; scope != "" && !s.hasConsent(call, scope) {
					r.mu.Lock()
					if r.Sequence == seq && r.Status == Active {
						r.consentLocked(name, scope, now)
					}
					r.mu.Unlock()
					return
				}
				call.URL, call.Body, call.Private, call.RegisteredAPI = res.Action.URL, res.Action.Body, res.Action.Private, res.Action.RegisteredAPI
				call.Scope = res.Action.Scope
				started, startErr = s.actions.Start(call, now)
			}
		}
		r.mu.Lock()
		if r.Sequence != seq || r.Status != Active {
			r.mu.Unlock()
			if started != nil {
				s.actions.Cancel(res.Action.URL, fmt.Sprint(started["action_id"]), call.Grant(), now)
			}
			return
		}
		if res.Action == nil {
			r.applyLocked(name, res, now)
			r.mu.Unlock()
			continue
		}
		r.startActionLocked(name, res, started, startErr, now)
		if r.Action != nil && call.Caller.Token.Token != r.Token {
			r.Action.Token, r.Action.IdentityID = call.Caller.Token.Token, call.Caller.Identity.ID
		}
		r.mu.Unlock()
		if st := started["status"]; st == actions.Succeeded || st == actions.Failed {
			// An action that ended in the provider's first answer is released like one that
			// ends on a poll: the run keeps its final status, the provider may forget it.
			s.actions.Release(res.Action.URL, fmt.Sprint(started["action_id"]), call.Grant())
		}
	}
	s.exec.enqueue(id)
}

// callLocked is an action call on behalf of the run's starter.
func (r *run) callLocked(state string) actions.Call {
	set := make([]auth.Identity, len(r.IdentityIDs))
	for i, id := range r.IdentityIDs {
		set[i] = auth.Identity{ID: id}
	}
	return actions.Call{RunID: r.ID, FlowID: r.FlowID, StateName: state, Label: r.Label,
		ManageBy: slices.Clone(r.Managers), MonitorBy: slices.Clone(r.Monitors),
		Caller: auth.Caller{Identity: auth.Identity{ID: r.userLocked()}, IdentitySet: set, GroupIDs: r.GroupIDs,
			Token: auth.Token{Token: r.Token, Scopes: r.Scopes, AllScopes: r.AllScopes, ClientID: r.ClientID}}}
}

// userLocked is the id of the identity the run acts as: its context's user, else the starter's.
func (r *run) userLocked() string {
	if u, ok := r.Context["user_id"].(string); ok {
		return strings.TrimPrefix(u, auth.IdentityURNPrefix)
	}
	if len(r.IdentityIDs) > 0 {
		return r.IdentityIDs[0]
	}
	return ""
}

// grantLocked is the run's user, or the RunAs role the action started as, asking a provider
// about its pending action.
func (r *run) grantLocked(p PendingAction) actions.Grant {
	if p.Token != "" {
		return actions.Grant{UserToken: p.Token, IdentityID: p.IdentityID, Scope: p.Scope}
	}
	return actions.Grant{UserToken: r.Token, IdentityID: r.userLocked(), Scope: p.Scope}
}

// hasConsent reports whether the run's user let the run's client use an Action state's scope
// under the flow's scope, as Flows asks Globus Auth before it calls a provider. A token holding
// every scope (a persona's) stands for a user who consented to everything.
func (s *Store) hasConsent(call actions.Call, scope string) bool {
	t := call.Caller.Token
	if t.AllScopes {
		return true
	}
	return s.consented != nil && s.consented(call.Caller.Identity.ID, t.ClientID, auth.FlowScope(call.FlowID), scope)
}

// actionScope is the scope an Action state needs: its ActionScope, or its provider's (a known
// provider's, or one registered with the mock).
func (s *Store) actionScope(a *engine.ActionCall) string {
	if a.Scope != "" {
		return a.Scope
	}
	if scope, ok := engine.ProviderScope(a.URL); ok {
		return scope
	}
	if s.tokens != nil {
		scope, _ := s.tokens.ProviderScope(a.URL)
		return scope
	}
	return ""
}

// ErrNoToken is the error of an Action state whose RunAs role has no token in the run input's
// _tokens (the name the real service's engine raises).
const ErrNoToken = "NoTokenException"

// runAs is the call made as an Action state's RunAs role: "User" (the default) and "Flow" act as
// the run's user; any other role acts as the identity of the token the run input's _tokens gave
// for it, which must be active.
func (s *Store) runAs(call actions.Call, role string, tokens map[string]string) (actions.Call, error) {
	if role == "" || role == "User" || role == "Flow" {
		return call, nil
	}
	token, ok := tokens[role]
	if !ok {
		return call, &engine.StateError{Name: ErrNoToken, Cause: fmt.Sprintf("The run input's _tokens holds no token for the RunAs role %s", role)}
	}
	if s.tokens != nil {
		if caller, err := s.tokens.Resolve(token); err == nil {
			call.Caller = caller
			return call, nil
		}
	}
	return call, &engine.StateError{Name: ErrNoToken, Cause: fmt.Sprintf("The token _tokens gave for the RunAs role %s is not active", role)}
}

// consentLocked parks the run INACTIVE because its user has not consented to the scope an Action
// state needs under the flow's scope (reference flows-api.md §7.3, §16.10): resuming with a token that has it goes on.
func (r *run) consentLocked(name, scope string, now time.Time) {
	r.Status = Inactive
	r.WakeAt = nil
	r.Sequence++
	r.Details = map[string]any{"time": ts(now), "code": "ConsentRequired", "state_name": name,
		"description":    fmt.Sprintf("The run needs consent to the scope %s for state %s", scope, name),
		"required_scope": auth.FlowScope(r.FlowID) + "[" + scope + "]"}
	r.notifyLocked(Inactive)
}

// startActionLocked records an Action state's start: the action ended at once, could not start,
// or is pending until its WaitTime.
func (r *run) startActionLocked(name string, res engine.Result, doc map[string]any, err error, now time.Time) {
	r.Steps++
	r.logLocked(Entry{Time: now, Code: "ActionStarted", Description: fmt.Sprintf("State %s of type Action started", name),
		Details: stateDetails(name, "Action", "input", res.Input)})
	pending := &PendingAction{URL: res.Action.URL, Scope: res.Action.Scope, Deadline: now.Add(res.Action.WaitTime),
		Private: res.Action.Private, Texts: engine.PrivateTexts(res.Action.Body, res.Action.Private)}
	if se, ok := err.(*engine.StateError); ok {
		r.finishActionLocked(name, nil, se, now)
		return
	}
	if err != nil {
		r.finishActionLocked(name, nil, &engine.StateError{Name: engine.ErrActionUnableToRun, Cause: providerCause(err, pending.Texts)}, now)
		return
	}
	pending.ActionID = fmt.Sprint(doc["action_id"])
	r.Action = pending
	if doc["status"] == actions.Active {
		r.WakeAt = nil // poll at once: the provider says when to look again
		return
	}
	r.observeLocked(name, doc, time.Time{}, now)
}

// observeLocked acts on an action's status: ended → the state completes; INACTIVE → the run waits
// for a resume; ACTIVE → poll again at next (or at the deadline).
func (r *run) observeLocked(name string, doc map[string]any, next time.Time, now time.Time) {
	switch doc["status"] {
	case actions.Succeeded, actions.Failed:
		r.finishActionLocked(name, doc, nil, now)
	case actions.Inactive:
		r.Status = Inactive
		// Wait For User Selection asks through a web input: the run is blocked on it.
		r.Action.WebInputID, _ = lookupString(doc, "details", "web_input_id")
		shown := engine.DeepCopy(r.shownLocked(doc)).(map[string]any)
		details, _ := shown["details"].(map[string]any)
		code, _ := details["code"].(string)
		if code == "" {
			code = "ActionInactive"
		}
		description, _ := details["description"].(string)
		r.Details = map[string]any{"time": ts(now), "code": code, "description": description, "state_name": name,
			"action_statuses": []any{shown}}
		for _, k := range []string{"required_scope", "authorization_parameters"} {
			if v, ok := details[k]; ok {
				r.Details[k] = v
			}
		}
		r.WakeAt = nil
		r.Sequence++
		r.notifyLocked(Inactive)
	default:
		at := r.Action.Deadline
		if !next.IsZero() && next.Before(at) {
			at = next
		}
		r.WakeAt = &at
	}
}

// finishActionLocked completes an Action state with the action's final status or an error.
func (r *run) finishActionLocked(name string, doc map[string]any, stateErr *engine.StateError, now time.Time) {
	status := engine.Rendered{Value: doc, Private: r.echoesLocked(doc)}
	r.Action, r.WakeAt = nil, nil
	res := engine.ActionOutcome(r.Definition, name, r.State, r.Private, status, stateErr)
	var failed any
	if doc != nil {
		failed = engine.Redact(doc, status.Private)
	}
	r.completeLocked(name, "Action", res, failed, now)
}

// echoesLocked are the places where a document the pending action's provider answered repeats a
// private value of the action's body: the provider's answer is shown without them.
func (r *run) echoesLocked(doc map[string]any) []engine.Location {
	if r.Action == nil || doc == nil {
		return nil
	}
	return engine.Echoes(doc, r.Action.Texts)
}

// shownLocked is a document the pending action's provider answered, as run documents show it.
func (r *run) shownLocked(doc map[string]any) any { return engine.Redact(doc, r.echoesLocked(doc)) }

// providerCause is the cause of an error a provider answered, unless it repeats a private value
// of the action's body.
func providerCause(err error, texts []string) string {
	if cause := err.Error(); !engine.Repeats(cause, texts) {
		return cause
	}
	if u, ok := err.(*actions.Unable); ok {
		return fmt.Sprintf("the action provider refused the action (%d); its answer repeats a private value of the action's body, so it is not shown", u.HTTPStatus)
	}
	return "the action provider's answer repeats a private value of the action's body, so it is not shown"
}

// lookupString reads a string below nested object keys.
func lookupString(v any, keys ...string) (string, bool) {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, ok := v.(string)
	return s, ok
}

// completeLocked records the end of a state the runs layer carried out (an action, a web input):
// <Type>Failed with the failed output or the caught error, or <Type>Completed; then the run
// moves on.
func (r *run) completeLocked(name, typ string, res engine.Result, failed any, now time.Time) {
	switch {
	case res.Fail != nil:
		if failed != nil {
			r.logLocked(Entry{Time: now, Code: typ + "Failed", Description: fmt.Sprintf("State %s of type %s failed", name, typ),
				Details: stateDetails(name, typ, "output", failed)})
		}
		r.failLocked(now, name, res.Fail.Error, res.Fail.Cause)
		return
	case res.Caught != nil:
		r.logLocked(Entry{Time: now, Code: typ + "Failed", Description: fmt.Sprintf("State %s of type %s failed", name, typ),
			Details: map[string]any{"state_name": name, "state_type": typ, "error": map[string]any{"Error": res.Caught.Error, "Cause": res.Caught.Cause}}})
	default:
		r.logLocked(Entry{Time: now, Code: typ + "Completed", Description: fmt.Sprintf("State %s of type %s completed", name, typ),
			Details: stateDetails(name, typ, "output", res.Output)})
	}
	r.State, r.Private = res.State, res.Private
	if size := jsonSize(r.State); size > MaxStateBytes {
		r.failLocked(now, name, engine.ErrDataLimitExceeded,
			fmt.Sprintf("The run state is %d bytes, more than the limit of %d bytes", size, MaxStateBytes))
		return
	}
	r.transitionLocked(now, res.Next, res.End)
}

// pollAction asks the provider how the run's pending action goes, outside the run's lock.
func (s *Store) pollAction(r *run, now time.Time) {
	r.mu.Lock()
	if r.Action == nil || r.Status != Active {
		r.mu.Unlock()
		return
	}
	pa, name, grant, seq := *r.Action, r.Current, r.grantLocked(*r.Action), r.Sequence
	r.mu.Unlock()
	doc, next, err := s.actions.Status(pa.URL, pa.ActionID, grant, now)
	timedOut := err == nil && !now.Before(pa.Deadline) && (doc["status"] == actions.Active || doc["status"] == actions.Inactive)
	if timedOut {
		s.actions.Cancel(pa.URL, pa.ActionID, grant, now)
	}
	if err == nil && (doc["status"] == actions.Succeeded || doc["status"] == actions.Failed) {
		// The engine keeps the final status in the run; the provider may forget the action.
		defer s.actions.Release(pa.URL, pa.ActionID, grant)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Sequence != seq || r.Status != Active || r.Action == nil {
		return
	}
	switch {
	case err != nil:
		r.finishActionLocked(name, nil, &engine.StateError{Name: engine.ErrActionFailed, Cause: providerCause(err, r.Action.Texts)}, now)
	case timedOut:
		r.finishActionLocked(name, nil, &engine.StateError{Name: engine.ErrActionTimeout,
			Cause: fmt.Sprintf("The action did not complete within the state's WaitTime; last status: %s", jsonText(r.shownLocked(doc)))}, now)
	default:
		r.observeLocked(name, doc, next, now)
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func stateDetails(name, typ, key string, v any) map[string]any {
	return map[string]any{"state_name": name, "state_type": typ, key: v}
}

// applyLocked records one step: its log entries, the new state, and where the run goes.
func (r *run) applyLocked(name string, res engine.Result, now time.Time) {
	r.Steps++
	r.logLocked(Entry{Time: now, Code: res.Type + "Started", Description: fmt.Sprintf("State %s of type %s started", name, res.Type),
		Details: stateDetails(name, res.Type, "input", res.Input)})
	if res.Fail != nil {
		r.failLocked(now, name, res.Fail.Error, res.Fail.Cause)
		return
	}
	r.State, r.Private = res.State, res.Private
	if size := jsonSize(r.State); size > MaxStateBytes {
		r.failLocked(now, name, engine.ErrDataLimitExceeded,
			fmt.Sprintf("The run state is %d bytes, more than the limit of %d bytes", size, MaxStateBytes))
		return
	}
	if !res.WaitUntil.IsZero() {
		at := res.WaitUntil
		r.WakeAt = &at
		return
	}
	r.logLocked(Entry{Time: now, Code: res.Type + "Completed", Description: fmt.Sprintf("State %s of type %s completed", name, res.Type),
		Details: stateDetails(name, res.Type, "output", res.Output)})
	r.transitionLocked(now, res.Next, res.End)
}

// endWaitLocked completes a Wait state whose time has come.
func (r *run) endWaitLocked(now time.Time) {
	r.WakeAt = nil
	states, _ := r.Definition["States"].(map[string]any)
	st, _ := states[r.Current].(map[string]any)
	next, _ := st["Next"].(string)
	end, _ := st["End"].(bool)
	r.logLocked(Entry{Time: now, Code: "WaitCompleted", Description: fmt.Sprintf("State %s of type Wait completed", r.Current),
		Details: stateDetails(r.Current, "Wait", "output", engine.Redact(r.State, r.Private))})
	r.transitionLocked(now, next, end)
}

func (r *run) transitionLocked(now time.Time, next string, end bool) {
	if end {
		r.finishLocked(now, Succeeded, Entry{Time: now, Code: "FlowSucceeded", Description: "The Flow Instance completed successfully",
			Details: map[string]any{"output": engine.Redact(r.State, r.Private)}})
		return
	}
	r.Current = next
}

// failLocked ends the run FAILED with an error name and cause.
func (r *run) failLocked(now time.Time, state, name, cause string) {
	description := cause
	if description == "" {
		description = name
	}
	if description == "" {
		description = "The Flow Instance failed"
	}
	r.WakeAt = nil
	r.finishLocked(now, Failed, Entry{Time: now, Code: "FlowFailed", Description: description,
		Details: map[string]any{"state_name": state, "Error": name, "Cause": cause}})
}

// logLocked appends a log entry; while the run goes on, its details are its latest entry, made
// when something shows them (runs log far more often than they are looked at).
func (r *run) logLocked(e Entry) {
	r.Log = append(r.Log, e)
	r.Details = nil
}

// detailsLocked is the run's details: what the last change set, or its latest log entry.
func (r *run) detailsLocked() map[string]any {
	if r.Details == nil && len(r.Log) > 0 {
		e := r.Log[len(r.Log)-1]
		r.Details = map[string]any{"time": ts(e.Time), "code": e.Code, "description": e.Description, "details": e.Details}
	}
	return r.Details
}
