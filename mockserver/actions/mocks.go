package actions

import (
	"slices"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
)

// Action mocks (the control plane's POST /_mock/action-mocks, or a fixtures file): a rule makes
// an ActionUrl, optionally only within a flow and a state, answer scripted responses in sequence
// (the last one repeats), so a scenario drives every branch of a definition without a provider.

// MockRule scripts an action provider.
type MockRule struct {
	ActionURL string         `json:"action_url"`
	FlowID    string         `json:"flow_id,omitempty"`
	StateName string         `json:"state_name,omitempty"`
	Responses []MockResponse `json:"responses"`
	calls     int
}

// MockResponse is one scripted answer: the action stays ACTIVE for ActiveSeconds of mock time,
// then ends with Status (SUCCEEDED by default) and Details; or the provider refuses to run it.
// An INACTIVE action becomes AfterResume when its run is resumed.
type MockResponse struct {
	Status        string        `json:"status,omitempty"`
	Details       any           `json:"details,omitempty"`
	ActiveSeconds float64       `json:"active_seconds,omitempty"`
	UnableToRun   *Unable       `json:"unable_to_run,omitempty"`
	AfterResume   *MockResponse `json:"after_resume,omitempty"`
}

// Mocks is the rule set; safe for concurrent use.
type Mocks struct {
	mu    sync.Mutex
	rules []*MockRule
}

func (m MockResponse) outcome() Outcome {
	o := Outcome{Status: m.Status, Details: m.Details, Delay: time.Duration(m.ActiveSeconds * float64(time.Second))}
	if o.Status == "" {
		o.Status = Succeeded
	}
	if o.Details == nil {
		o.Details = map[string]any{}
	}
	if m.AfterResume != nil {
		r := m.AfterResume.outcome()
		o.Resumed = &r
	}
	return o
}

// Check refuses a rule a provider could not play: no URL or responses, an unknown status, or
// an action ACTIVE longer than a run lives (clock.MaxRun).
func (r MockRule) Check() error {
	if r.ActionURL == "" || len(r.Responses) == 0 {
		return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "an action mock needs action_url and at least one response")
	}
	for i, resp := range r.Responses {
		loc := []any{"responses", i}
		for cur := &resp; cur != nil; cur, loc = cur.AfterResume, append(loc, "after_resume") {
			if cur.Status != "" && !slices.Contains([]string{Active, Inactive, Succeeded, Failed}, cur.Status) {
				return apierr.Located(append(loc, "status"), "status must be ACTIVE, INACTIVE, SUCCEEDED or FAILED")
			}
			if _, ok := clock.Seconds(cur.ActiveSeconds, clock.MaxRun); !ok {
				return apierr.Located(append(loc, "active_seconds"), "active_seconds must be between 0 and %d (a year, the longest a run lives)",
					int64(clock.MaxRun/time.Second))
			}
		}
	}
	return nil
}

// Add checks and adds a rule.
func (m *Mocks) Add(r MockRule) (MockRule, error) {
	if err := r.Check(); err != nil {
		return MockRule{}, err
	}
	for i, resp := range r.Responses {
		for cur := &resp; cur != nil; cur = cur.AfterResume {
			if cur.UnableToRun != nil && cur.UnableToRun.HTTPStatus < 400 {
				cur.UnableToRun.HTTPStatus = 400
			}
		}
		r.Responses[i] = resp
	}
	r.ActionURL = normalizeURL(r.ActionURL)
	m.mu.Lock()
	defer m.mu.Unlock()
	stored := r
	m.rules = append(m.rules, &stored)
	return r, nil
}

// Clear removes every rule.
func (m *Mocks) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rules = nil
}

// Rules returns the rules (for a dump).
func (m *Mocks) Rules() []MockRule {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]MockRule, len(m.rules))
	for i, r := range m.rules {
		out[i] = *r
	}
	return out
}

// Take answers a call from the most specific matching rule, if any.
func (m *Mocks) Take(c Call) (Outcome, *Unable, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best *MockRule
	score := -1
	for _, r := range m.rules {
		if r.ActionURL != normalizeURL(c.URL) || (r.FlowID != "" && r.FlowID != c.FlowID) || (r.StateName != "" && r.StateName != c.StateName) {
			continue
		}
		s := 0
		if r.FlowID != "" {
			s++
		}
		if r.StateName != "" {
			s += 2
		}
		if s > score {
			best, score = r, s
		}
	}
	if best == nil {
		return Outcome{}, nil, false
	}
	resp := best.Responses[min(best.calls, len(best.Responses)-1)]
	best.calls++
	if resp.UnableToRun != nil {
		u := *resp.UnableToRun
		if u.Body == nil {
			u.Body = map[string]any{"code": "ActionUnableToRun", "description": "The action provider refused the action (action mock)"}
		}
		return Outcome{}, &u, true
	}
	return resp.outcome(), nil, true
}
