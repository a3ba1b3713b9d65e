// Package world is the mock's whole state as one document: the fixtures format (a seed) and the
// dump format are the same, so a dump loads back as a seed and dumps to the same bytes.
package world

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/exactjson"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/registered"
	"github.com/globus-conformance/kit/mockserver/runs"
	"github.com/globus-conformance/kit/mockserver/transfer"
	"github.com/globus-conformance/kit/mockserver/webinputs"
)

// World is the serializable state of a mock.
type World struct {
	Description string `json:"description,omitempty"`
	Clock       clock.State
	auth.State
	Collections []transfer.Collection `json:"collections"`
	Flows       []flows.Flow          `json:"flows"`
	Runs        []runs.Record         `json:"runs,omitempty"`
	ActionMocks []actions.MockRule    `json:"action_mocks,omitempty"`
	Registered  []registered.API      `json:"registered_apis,omitempty"`
	WebInputs   []webinputs.WebInput  `json:"web_inputs,omitempty"`
}

// worldJSON fixes the field order of the document.
type worldJSON struct {
	Description   string                `json:"description,omitempty"`
	Clock         clock.State           `json:"clock"`
	Identities    []auth.Identity       `json:"identities"`
	Groups        []auth.Group          `json:"groups"`
	Subscriptions []auth.Subscription   `json:"subscriptions"`
	Clients       []auth.Client         `json:"clients"`
	Tokens        []auth.Token          `json:"tokens"`
	Policies      []auth.Policy         `json:"policies,omitempty"`
	Collections   []transfer.Collection `json:"collections"`
	Flows         []flows.Flow          `json:"flows"`
	Runs          []runs.Record         `json:"runs,omitempty"`
	ActionMocks   []actions.MockRule    `json:"action_mocks,omitempty"`
	Registered    []registered.API      `json:"registered_apis,omitempty"`
	WebInputs     []webinputs.WebInput  `json:"web_inputs,omitempty"`
}

// MarshalJSON writes the world with a stable layout.
func (w World) MarshalJSON() ([]byte, error) {
	return json.Marshal(worldJSON{w.Description, w.Clock, w.Identities, w.Groups, w.Subscriptions, w.Clients, w.Tokens, w.Policies, w.Collections, w.Flows, w.Runs, w.ActionMocks, w.Registered, w.WebInputs})
}

// UnmarshalJSON reads a world; unknown keys are refused so typos in fixtures show.
func (w *World) UnmarshalJSON(b []byte) error {
	var j worldJSON
	if err := (exactjson.Options{DisallowUnknownFields: true}).Decode(b, &j); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	*w = World{Description: j.Description, Clock: j.Clock,
		State:       auth.State{Identities: j.Identities, Groups: j.Groups, Subscriptions: j.Subscriptions, Clients: j.Clients, Tokens: j.Tokens, Policies: j.Policies},
		Collections: j.Collections, Flows: j.Flows, Runs: j.Runs, ActionMocks: j.ActionMocks, Registered: j.Registered, WebInputs: j.WebInputs}
	return nil
}

// Parse reads a world document.
func Parse(data []byte) (World, error) {
	var w World
	err := json.Unmarshal(data, &w)
	return w, err
}

// Validate checks a world's references so a bad seed is refused before it replaces anything.
func (w World) Validate() error {
	idents := map[string]bool{}
	for _, i := range w.Identities {
		if !ids.IsUUID(i.ID) || i.Username == "" {
			return fmt.Errorf("world: identity %q needs a UUID id and a username", i.ID)
		}
		idents[i.ID] = true
	}
	for _, c := range w.Clients {
		if !ids.IsUUID(c.ID) || c.Secret == "" {
			return fmt.Errorf("world: client %q needs a UUID id and a secret", c.ID)
		}
		idents[c.ID] = true
	}
	for _, i := range w.Identities {
		if i.LinkedTo != "" && !idents[i.LinkedTo] {
			return fmt.Errorf("world: identity %s is linked to unknown identity %s", i.ID, i.LinkedTo)
		}
	}
	groups := map[string]bool{}
	for _, g := range w.Groups {
		if !ids.IsUUID(g.ID) {
			return fmt.Errorf("world: group id %q is not a UUID", g.ID)
		}
		for _, m := range g.Members {
			if !idents[m.IdentityID] {
				return fmt.Errorf("world: group %s has unknown member %s", g.ID, m.IdentityID)
			}
		}
		groups[g.ID] = true
	}
	for _, s := range w.Subscriptions {
		if !ids.IsUUID(s.ID) || (s.GroupID != "" && !groups[s.GroupID]) {
			return fmt.Errorf("world: subscription %q needs a UUID id and a known group", s.ID)
		}
	}
	for _, t := range w.Tokens {
		if t.Token == "" || !idents[t.IdentityID] {
			return fmt.Errorf("world: token %q needs a known identity", t.Token)
		}
		if t.ExpiresAt.IsZero() {
			return fmt.Errorf("world: token %q needs expires_at", t.Token)
		}
	}
	for _, c := range w.Collections {
		if !ids.IsUUID(c.ID) || !idents[c.OwnerID] {
			return fmt.Errorf("world: collection %q needs a UUID id and a known owner", c.ID)
		}
	}
	for _, f := range w.Flows {
		if !ids.IsUUID(f.ID) || f.Definition == nil {
			return fmt.Errorf("world: flow %q needs a UUID id and a definition", f.ID)
		}
	}
	return w.checkBounds()
}

// checkBounds refuses times and durations the control plane would refuse: the clock's reading,
// policies' timeouts and action mocks' delays.
func (w World) checkBounds() error {
	if err := w.Clock.Check(time.Now()); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	for _, p := range w.Policies {
		if err := auth.CheckTimeout(p.AuthenticationAssurance); err != nil {
			return fmt.Errorf("world: policy %s: %w", p.ID, err)
		}
	}
	for i, m := range w.ActionMocks {
		if err := m.Check(); err != nil {
			return fmt.Errorf("world: action_mocks[%d]: %w", i, err)
		}
	}
	return nil
}
