// Package world is the mock's whole state as one document: the fixtures format (a seed) and the
// dump format are the same, so a dump loads back as a seed and dumps to the same bytes. A
// hand-written world may leave out what the operations that create each object fill in (Prepare
// fills it); fixtures/world.schema.json describes the document.
package world

import (
	"bytes"
	"encoding/json"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/exactjson"
	"github.com/globus-conformance/kit/mockserver/flows"
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
	TokenLifetime int                   `json:"token_lifetime,omitempty"`
	Identities    []auth.Identity       `json:"identities"`
	Groups        []auth.Group          `json:"groups"`
	Subscriptions []auth.Subscription   `json:"subscriptions"`
	Clients       []auth.Client         `json:"clients"`
	Tokens        []auth.Token          `json:"tokens"`
	Projects      []auth.Project        `json:"projects,omitempty"`
	Policies      []auth.Policy         `json:"policies,omitempty"`
	Consents      []auth.Consent        `json:"consents,omitempty"`
	Providers     []auth.Provider       `json:"providers,omitempty"`
	Collections   []transfer.Collection `json:"collections"`
	Flows         []flows.Flow          `json:"flows"`
	Runs          []runs.Record         `json:"runs,omitempty"`
	ActionMocks   []actions.MockRule    `json:"action_mocks,omitempty"`
	Registered    []registered.API      `json:"registered_apis,omitempty"`
	WebInputs     []webinputs.WebInput  `json:"web_inputs,omitempty"`
}

// MarshalJSON writes the world with a stable layout, compact.
func (w World) MarshalJSON() ([]byte, error) { return w.encode("") }

// Encode writes a world as a dump: indented by two spaces and ending in a newline, with <, >
// and & as they are (definitions, expressions and messages hold them).
func Encode(w World) ([]byte, error) {
	b, err := w.encode("  ")
	return append(b, '\n'), err
}

func (w World) encode(indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	err := enc.Encode(worldJSON{w.Description, w.Clock, w.TokenLifetime, w.Identities, w.Groups, w.Subscriptions, w.Clients, w.Tokens, w.Projects, w.Policies, w.Consents, w.Providers,
		w.Collections, w.Flows, w.Runs, w.ActionMocks, w.Registered, w.WebInputs})
	return bytes.TrimRight(b.Bytes(), "\n"), err
}

// UnmarshalJSON reads a world; unknown keys are refused so typos in fixtures show.
func (w *World) UnmarshalJSON(b []byte) error {
	var j worldJSON
	if err := (exactjson.Options{DisallowUnknownFields: true}).Decode(b, &j); err != nil {
		return err
	}
	*w = World{Description: j.Description, Clock: j.Clock,
		State:       auth.State{Identities: j.Identities, Groups: j.Groups, Subscriptions: j.Subscriptions, Clients: j.Clients, Tokens: j.Tokens, Projects: j.Projects, Policies: j.Policies, TokenLifetime: j.TokenLifetime, Consents: j.Consents, Providers: j.Providers},
		Collections: j.Collections, Flows: j.Flows, Runs: j.Runs, ActionMocks: j.ActionMocks, Registered: j.Registered, WebInputs: j.WebInputs}
	return nil
}

// Parse reads a world document. It only decodes: Prepare completes and checks the world.
func Parse(data []byte) (World, error) {
	var w World
	err := json.Unmarshal(data, &w)
	return w, err
}
