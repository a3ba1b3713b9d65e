package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/globus-conformance/kit/mockserver/clock"
)

// The interpreter (reference flow-engine.md §7): Step executes one state of a definition against
// the run state and says where the run goes next. It is pure: the runs package owns time, logs,
// status and scheduling.

// Error names a run can fail or be caught with. ParameterPathFailure, ResultPathMatchFailure and
// NoChoiceMatched are the States Language's; Runtime covers expression failures and other runtime
// errors; DataLimitExceeded is the States Language's name for an over-large state.
const (
	ErrAll               = "States.ALL"
	ErrParameterPath     = "States.ParameterPathFailure"
	ErrResultPathMatch   = "States.ResultPathMatchFailure"
	ErrNoChoiceMatched   = "States.NoChoiceMatched"
	ErrRuntime           = "States.Runtime"
	ErrDataLimitExceeded = "States.DataLimitExceeded"
	ErrActionUnableToRun = "ActionUnableToRun"
	ErrActionFailed      = "ActionFailedException"
	ErrActionTimeout     = "ActionTimeout"
	ErrWebInputExpired   = "Flows.WebInputExpired"
)

// StateError is an error raised while executing a state; a Catch may handle it.
type StateError struct {
	Name  string
	Cause string
}

func (e *StateError) Error() string { return e.Name + ": " + e.Cause }

// Failure is how a run ended unsuccessfully: a Fail state's Error and Cause, or an uncaught error.
type Failure struct {
	Error string `json:"Error"`
	Cause string `json:"Cause"`
}

// Result is what one step did.
type Result struct {
	Type  string // the state's Type
	State any    // the run state after the step
	// Private are the locations of the private values in State.
	Private []Location
	// Input is the state's effective input and Output what it produced, as logs show them
	// (<Type>Started details.input, <Type>Completed details.output): private values removed.
	Input     any
	Output    any
	Next      string    // the next state, unless End or Fail
	End       bool      // the run succeeded
	WaitUntil time.Time // a Wait state: the run sleeps until then, then goes to Next/End
	Fail      *Failure  // the run failed here
	Caught    *Failure  // an error a Catch handled; Next is the catcher's
	// Action, for an Action state, is the call the runs layer makes to the provider; the step
	// completes with ActionOutcome once the action ends.
	Action *ActionCall
	// WebInput, for a CreateWebInput state, is its rendered Parameters (WebInputPrivate the
	// locations of their private values); Await, for an AwaitWebInput state, is the web input it
	// waits for. The runs layer does the rest and completes the step with Complete.
	WebInput        map[string]any
	WebInputPrivate []Location
	Await           string
}

// ActionCall is what an Action state asks of its provider.
type ActionCall struct {
	URL string
	// RegisteredAPI is the id of a registered API a Handler names instead of a URL.
	RegisteredAPI string
	Scope         string
	RunAs         string
	Body          any
	// Private are the locations of the private values in Body.
	Private  []Location
	WaitTime time.Duration
}

// DefaultWaitTime bounds an action without WaitTime (reference flow-engine.md §1).
const DefaultWaitTime = 300

// Step executes state name of def on the run state, whose private values are at private. The
// run state is not modified; Result.State is a new value.
func Step(def map[string]any, name string, state any, private []Location, ctx map[string]any, now time.Time) Result {
	states, _ := def["States"].(map[string]any)
	s, _ := states[name].(map[string]any)
	typ, _ := s["Type"].(string)
	r := Result{Type: typ, State: state, Private: private}
	v := view{value: state, private: private, ctx: ctx}
	next, _ := s["Next"].(string)
	end, _ := s["End"].(bool)
	var err error
	switch typ {
	case "Pass":
		err = r.pass(s, v)
	case "ExpressionEval":
		err = r.expressionEval(s, v)
	case "Choice":
		r.Input = Redact(state, private)
		r.Output = r.Input
		next, err = choose(s, state, ctx)
		end = false
	case "Wait":
		r.Input = Redact(state, private)
		r.Output = r.Input
		r.WaitUntil, err = waitUntil(s, state, ctx, now)
	case "Fail":
		r.Input = Redact(state, private)
		r.Fail = failure(name, s, v)
		return r
	case "Action":
		err = r.action(s, v)
		if err == nil {
			return r
		}
	case "CreateWebInput", "AwaitWebInput":
		err = r.webInput(typ, s, v)
		if err == nil {
			return r
		}
	default:
		err = &StateError{Name: ErrRuntime, Cause: fmt.Sprintf("state %q has unsupported type %q", name, typ)}
	}
	if err != nil {
		return r.raise(s, v, err)
	}
	r.Next, r.End = next, end
	return r
}

// raise handles an error with the state's Catch, or fails the run. Causes never hold private
// values: they are made without them.
func (r Result) raise(s map[string]any, v view, err error) Result {
	se, ok := err.(*StateError)
	if !ok {
		se = &StateError{Name: ErrRuntime, Cause: err.Error()}
	}
	f := &Failure{Error: se.Name, Cause: se.Cause}
	catches, _ := s["Catch"].([]any)
	for _, raw := range catches {
		c, _ := raw.(map[string]any)
		names, _ := c["ErrorEquals"].([]any)
		if !slices.Contains(names, any(se.Name)) && !slices.Contains(names, any(ErrAll)) {
			continue
		}
		rp, _ := c["ResultPath"].(string)
		if err := r.put(v, orDollar(rp), map[string]any{"Error": f.Error, "Cause": f.Cause}, nil); err != nil {
			r.Fail = &Failure{Error: ErrResultPathMatch, Cause: err.Error()}
			return r
		}
		r.Caught = f
		r.Next, _ = c["Next"].(string)
		r.Output = map[string]any{"Error": f.Error, "Cause": f.Cause}
		return r
	}
	r.Fail = f
	return r
}

// pass: effective input = InputPath; result = Parameters rendered on it, else Result, else the
// input; the result is merged into the original state at ResultPath (default $).
func (r *Result) pass(s map[string]any, v view) error {
	in := v
	if p, ok := s["InputPath"].(string); ok {
		var err error
		if in.value, in.private, err = v.lookup(p); err != nil {
			return &StateError{Name: ErrParameterPath, Cause: "InputPath: " + err.Error()}
		}
	}
	result := Rendered{Value: in.value, Private: in.private}
	if tmpl, ok := s["Parameters"]; ok {
		var err error
		if result, err = in.render(tmpl); err != nil {
			return err
		}
	} else if lit, ok := s["Result"]; ok {
		result = Rendered{Value: lit}
	}
	r.Input = Redact(in.value, in.private)
	return r.store(s, v, result)
}

// expressionEval: Parameters rendered against the whole state, stored at ResultPath.
func (r *Result) expressionEval(s map[string]any, v view) error {
	rendered, err := v.render(s["Parameters"])
	if err != nil {
		return err
	}
	r.Input = Redact(v.value, v.private)
	return r.store(s, v, rendered)
}

func orDollar(p string) string {
	if p == "" {
		return "$"
	}
	return p
}

// store writes result at the state's ResultPath; `"ResultPath": null` discards it. The output, the
// new state and the old one share values: none of them is changed in place.
func (r *Result) store(s map[string]any, v view, result Rendered) error {
	r.Output = Redact(result.Value, result.Private)
	raw, has := s["ResultPath"]
	if has && raw == nil {
		return nil
	}
	rp, _ := raw.(string)
	if err := r.put(v, orDollar(rp), result.Value, result.Private); err != nil {
		return &StateError{Name: ErrResultPathMatch, Cause: err.Error()}
	}
	return nil
}

// put writes value, whose private values are at rel, at the reference path p of the state: the
// new state and where its private values are.
func (r *Result) put(v view, p string, value any, rel []Location) error {
	newState, err := Put(v.value, p, value)
	if err != nil {
		return err
	}
	steps, _ := parseReference(p)
	r.State, r.Private = newState, relocate(v.private, steps, rel)
	return nil
}

func choose(s map[string]any, state any, ctx map[string]any) (string, error) {
	choices, _ := s["Choices"].([]any)
	for _, raw := range choices {
		rule, _ := raw.(map[string]any)
		ok, err := evalRule(rule, state, ctx)
		if err != nil {
			return "", err
		}
		if ok {
			next, _ := rule["Next"].(string)
			return next, nil
		}
	}
	if d, ok := s["Default"].(string); ok {
		return d, nil
	}
	return "", &StateError{Name: ErrNoChoiceMatched, Cause: "No choice rule matched and the state has no Default"}
}

func waitUntil(s map[string]any, state any, ctx map[string]any, now time.Time) (time.Time, error) {
	seconds := func(v any, from string) (time.Time, error) {
		d, err := runSeconds(v, from)
		return now.Add(d), err
	}
	stamp := func(v any, from string) (time.Time, error) {
		t, ok := timestamp(v)
		if !ok {
			return time.Time{}, &StateError{Name: ErrRuntime, Cause: from + " must be an RFC 3339 timestamp"}
		}
		return t.UTC(), nil
	}
	switch {
	case s["Seconds"] != nil:
		return seconds(s["Seconds"], "Seconds")
	case s["Timestamp"] != nil:
		return stamp(s["Timestamp"], "Timestamp")
	case s["SecondsPath"] != nil:
		p, _ := s["SecondsPath"].(string)
		v, err := Lookup(p, state, ctx)
		if err != nil {
			return time.Time{}, &StateError{Name: ErrParameterPath, Cause: "SecondsPath: " + err.Error()}
		}
		return seconds(v, "the value at SecondsPath "+p)
	default:
		p, _ := s["TimestampPath"].(string)
		v, err := Lookup(p, state, ctx)
		if err != nil {
			return time.Time{}, &StateError{Name: ErrParameterPath, Cause: "TimestampPath: " + err.Error()}
		}
		return stamp(v, "the value at TimestampPath "+p)
	}
}

// MaxWaitSeconds bounds a Wait state and an action's WaitTime: a run lives at most a year
// (reference flows-api.md §11).
const MaxWaitSeconds = int64(clock.MaxRun / time.Second)

// runSeconds reads a number of seconds a run waits (a Wait state's, an action's WaitTime): a
// value that is not a number within [0, MaxWaitSeconds] raises States.Runtime.
func runSeconds(v any, from string) (time.Duration, error) {
	f, ok := number(v)
	if !ok {
		return 0, &StateError{Name: ErrRuntime, Cause: from + " must be a number of seconds"}
	}
	sec, _ := f.Float64()
	d, ok := clock.Seconds(sec, clock.MaxRun)
	if !ok {
		return 0, &StateError{Name: ErrRuntime, Cause: fmt.Sprintf("%s must be between 0 and %d seconds", from, MaxWaitSeconds)}
	}
	return d, nil
}

// failure is how a Fail state ends the run. An ErrorPath or CausePath that selects a private value
// gives a text naming the state instead.
func failure(name string, s map[string]any, v view) *Failure {
	f := &Failure{}
	f.Error, _ = s["Error"].(string)
	f.Cause, _ = s["Cause"].(string)
	for key, dst := range map[string]*string{"ErrorPath": &f.Error, "CausePath": &f.Cause} {
		p, ok := s[key].(string)
		if !ok {
			continue
		}
		got, rel, err := v.lookup(p)
		str, isStr := got.(string)
		switch {
		case err != nil:
			*dst = ""
		case isWhole(rel):
			*dst = fmt.Sprintf("the %s of state %s selects a private value", key, name)
		case isStr:
			*dst = str
		default:
			*dst = jsonText(Redact(got, rel))
		}
	}
	return f
}

// action renders the body of an Action state (InputPath or Parameters) and asks for the call.
func (r *Result) action(s map[string]any, v view) error {
	var body Rendered
	if p, ok := s["InputPath"].(string); ok {
		var err error
		if body.Value, body.Private, err = v.lookup(p); err != nil {
			return &StateError{Name: ErrParameterPath, Cause: "InputPath: " + err.Error()}
		}
	} else {
		var err error
		if body, err = v.render(s["Parameters"]); err != nil {
			return err
		}
	}
	wait := DefaultWaitTime * time.Second
	if v, ok := s["WaitTime"]; ok {
		// Validation refuses a WaitTime out of range; a stored definition is checked again.
		var err error
		if wait, err = runSeconds(v, "WaitTime"); err != nil {
			return err
		}
	}
	url, _ := s["ActionUrl"].(string)
	var api string
	if h, ok := s["Handler"].(map[string]any); ok {
		url, _ = h["Url"].(string)
		api, _ = h["Id"].(string)
	}
	scope, _ := s["ActionScope"].(string)
	runAs, _ := s["RunAs"].(string)
	if runAs == "" {
		runAs = "User"
	}
	r.Input = Redact(body.Value, body.Private)
	// The provider gets a copy of its own: run values are shared and never changed in place.
	r.Action = &ActionCall{URL: url, RegisteredAPI: api, Scope: scope, RunAs: runAs, Body: deepCopyValue(body.Value),
		Private: body.Private, WaitTime: wait}
	return nil
}

// webInput renders the Parameters of a CreateWebInput or AwaitWebInput state (flow-engine.md §6).
func (r *Result) webInput(typ string, s map[string]any, v view) error {
	rendered, err := v.render(s["Parameters"])
	if err != nil {
		return err
	}
	params, _ := rendered.Value.(map[string]any)
	r.Input = Redact(params, rendered.Private)
	if typ == "CreateWebInput" {
		if params != nil {
			r.WebInput = deepCopyValue(params).(map[string]any) // the web input keeps a copy of its own
			r.WebInputPrivate = rendered.Private
		}
		return nil
	}
	id, _ := params["web_input_id"].(string)
	if id == "" {
		return &StateError{Name: ErrRuntime, Cause: "AwaitWebInput: Parameters.web_input_id must name a web input"}
	}
	r.Await = id
	return nil
}

// Complete finishes a state the runs layer carried out (a web input made or answered) on the run
// state, whose private values are at private: output (with its own private values) goes to
// ResultPath, or err to the state's Catch.
func Complete(def map[string]any, name string, state any, private []Location, output Rendered, err *StateError) Result {
	states, _ := def["States"].(map[string]any)
	s, _ := states[name].(map[string]any)
	typ, _ := s["Type"].(string)
	r := Result{Type: typ, State: state, Private: private}
	v := view{value: state, private: private}
	if err != nil {
		return r.raise(s, v, err)
	}
	if e := r.store(s, v, output); e != nil {
		return r.raise(s, v, e)
	}
	r.Next, _ = s["Next"].(string)
	r.End, _ = s["End"].(bool)
	return r
}

// ActionOutcome completes an Action state once its action ended: status is the final action
// status document, with the locations of its private values (nil when the action never started
// or timed out, with err saying why). A FAILED action raises ActionFailedException unless
// ExceptionOnActionFailure is false; the status document (with state_name) is stored at
// ResultPath; errors go to the state's Catch.
func ActionOutcome(def map[string]any, name string, state any, private []Location, status Rendered, err *StateError) Result {
	states, _ := def["States"].(map[string]any)
	s, _ := states[name].(map[string]any)
	r := Result{Type: "Action", State: state, Private: private}
	v := view{value: state, private: private}
	if err != nil {
		return r.raise(s, v, err)
	}
	doc := deepCopyValue(status.Value).(map[string]any)
	doc["state_name"] = name
	raise := true
	if b, ok := s["ExceptionOnActionFailure"].(bool); ok {
		raise = b
	}
	if doc["status"] == "FAILED" && raise {
		return r.raise(s, v, &StateError{Name: ErrActionFailed, Cause: jsonText(Redact(doc, status.Private))})
	}
	return Complete(def, name, state, private, Rendered{Value: doc, Private: status.Private}, nil)
}

// jsonText renders a value as compact JSON for an error's Cause.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
