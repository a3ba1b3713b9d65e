package runs

import (
	"fmt"
	"time"

	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/webinputs"
)

// Web inputs in runs (flow-engine.md §6): a CreateWebInput state makes a web input at once and
// stores {"web_input_id": ...} at its ResultPath; an AwaitWebInput state makes the run INACTIVE,
// with blocking_web_input_id, until a respondent answers ({"response": <the option's Value>} at
// ResultPath) or the web input expires (Flows.WebInputExpired, which a Catch may handle). A run's
// open web inputs close when it ends.

// WebInputs is what runs need of the web inputs.
type WebInputs interface {
	Create(o webinputs.Origin, spec webinputs.Spec, now time.Time) webinputs.WebInput
	Await(id, runID string, now time.Time) webinputs.Outcome
	CloseRun(runID string, now time.Time)
}

// SetWebInputs sets the web inputs runs make and wait on; without them those states fail.
func (s *Store) SetWebInputs(w WebInputs) { s.webInputs = w }

// WakeWebInput tells a run that one of its web inputs was answered.
func (s *Store) WakeWebInput(runID string) { s.exec.enqueue(runID) }

func (s *Store) runEnded(runID string, now time.Time) {
	if s.webInputs != nil {
		s.webInputs.CloseRun(runID, now)
	}
}

func (r *run) originLocked() webinputs.Origin {
	return webinputs.Origin{FlowID: r.FlowID, FlowTitle: r.FlowTitle, RunID: r.ID, RunLabel: r.Label, Creator: r.Owner}
}

// blockingLocked is the web input an INACTIVE run waits for, if any.
func (r *run) blockingLocked() string {
	switch {
	case r.Status != Inactive:
		return ""
	case r.Awaiting != "":
		return r.Awaiting
	case r.Action != nil:
		return r.Action.WebInputID
	}
	return ""
}

var errNoWebInputs = &engine.StateError{Name: engine.ErrRuntime, Cause: "web inputs are not available in this store"}

// startWebInputState carries out a CreateWebInput state, or starts an AwaitWebInput state.
func (s *Store) startWebInputState(r *run, seq int, origin webinputs.Origin, res engine.Result, now time.Time) {
	var output map[string]any
	var stateErr *engine.StateError
	if res.WebInput != nil {
		spec, err := webinputs.ParseSpec(res.WebInput, res.WebInputPrivate, now)
		switch {
		case err != nil:
			stateErr = &engine.StateError{Name: engine.ErrRuntime, Cause: err.Error()}
		case s.webInputs == nil:
			stateErr = errNoWebInputs
		default:
			output = map[string]any{"web_input_id": s.webInputs.Create(origin, spec, now).ID}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Sequence != seq || r.Status != Active {
		if output != nil {
			s.runEnded(r.ID, now) // the run ended meanwhile: its new web input closes with it
		}
		return
	}
	r.Steps++
	r.logLocked(Entry{Time: now, Code: res.Type + "Started", Description: fmt.Sprintf("State %s of type %s started", r.Current, res.Type),
		Details: stateDetails(r.Current, res.Type, "input", res.Input)})
	if res.WebInput != nil {
		r.completeLocked(r.Current, res.Type, engine.Complete(r.Definition, r.Current, r.State, r.Private, engine.Rendered{Value: output}, stateErr), nil, now)
		return
	}
	r.Awaiting = res.Await
}

// awaitWebInput looks at the web input an AwaitWebInput state waits on: still open, the run is
// INACTIVE (and wakes at its expiry); answered or expired, the state completes. It reports
// whether the run can go on.
func (s *Store) awaitWebInput(r *run, now time.Time) bool {
	r.mu.Lock()
	id, seq, name := r.Awaiting, r.Sequence, r.Current
	r.mu.Unlock()
	out := webinputs.Outcome{}
	if s.webInputs != nil {
		out = s.webInputs.Await(id, r.ID, now)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Sequence != seq || r.Awaiting != id {
		return false
	}
	if out.Open {
		if r.Status == Active {
			r.Status = Inactive
			r.Sequence++
			r.Details = map[string]any{"time": ts(now), "code": "WaitingForWebInput", "state_name": name,
				"description": fmt.Sprintf("The run waits for a response to web input %s", id), "web_input_id": id}
			r.notifyLocked(Inactive)
		}
		if out.ExpiresAt != nil {
			s.timer.schedule(r.ID, *out.ExpiresAt)
		}
		return false
	}
	var output engine.Rendered
	var stateErr *engine.StateError
	switch {
	case !out.Found:
		stateErr = &engine.StateError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("No Web Input of this run exists with id value %s", id)}
	case out.Expired:
		stateErr = &engine.StateError{Name: engine.ErrWebInputExpired, Cause: fmt.Sprintf("Web Input %s expired before anyone responded", id)}
	default:
		// A private option value stays private in the run.
		output = engine.Rendered{Value: map[string]any{"response": out.Value},
			Private: engine.Under(engine.Location{engine.KeyStep("response")}, out.Private)}
	}
	r.Awaiting = ""
	if r.Status == Inactive {
		r.Status = Active
		r.Sequence++
	}
	r.completeLocked(name, "AwaitWebInput", engine.Complete(r.Definition, name, r.State, r.Private, output, stateErr), nil, now)
	return true
}

// Origin describes a run for the web inputs its actions make.
func (s *Store) Origin(runID string) (webinputs.Origin, bool) {
	s.mu.RLock()
	r := s.runs[runID]
	s.mu.RUnlock()
	if r == nil {
		return webinputs.Origin{RunID: runID}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.originLocked(), true
}
