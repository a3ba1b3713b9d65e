package mockserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/exactjson"
	"github.com/globus-conformance/kit/mockserver/flows"
)

// flowBody is the JSON body of POST /flows and PUT /flows/{id}. Pointers tell "absent" from
// "empty": fields left out of an update keep their values.
type flowBody struct {
	Title                  *string        `json:"title"`
	Subtitle               *string        `json:"subtitle"`
	Description            *string        `json:"description"`
	Keywords               *[]string      `json:"keywords"`
	Definition             map[string]any `json:"definition"`
	InputSchema            map[string]any `json:"input_schema"`
	FlowViewers            *[]string      `json:"flow_viewers"`
	FlowStarters           *[]string      `json:"flow_starters"`
	FlowAdministrators     *[]string      `json:"flow_administrators"`
	RunManagers            *[]string      `json:"run_managers"`
	RunMonitors            *[]string      `json:"run_monitors"`
	SubscriptionID         nullable       `json:"subscription_id"`
	AuthenticationPolicyID nullable       `json:"authentication_policy_id"`
	FlowOwner              *string        `json:"flow_owner"`
}

// nullable is a string field that tells "absent" from null: null (or "") asks to remove the value,
// which matters for a high-assurance flow's policy and subscription.
type nullable struct {
	set   bool
	value string
}

// UnmarshalJSON records that the field was sent; null leaves the value empty.
func (n *nullable) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &n.value)
}

// ptr is nil when the field was absent.
func (n nullable) ptr() *string {
	if !n.set {
		return nil
	}
	return &n.value
}

func (b flowBody) fields() flows.Fields {
	return flows.Fields{
		Title: b.Title, Subtitle: b.Subtitle, Description: b.Description, Keywords: b.Keywords,
		Definition: b.Definition, InputSchema: b.InputSchema,
		Viewers: b.FlowViewers, Starters: b.FlowStarters, Administrators: b.FlowAdministrators,
		RunManagers: b.RunManagers, RunMonitors: b.RunMonitors,
		SubscriptionID: b.SubscriptionID.ptr(), AuthenticationPolicyID: b.AuthenticationPolicyID.ptr(), Owner: b.FlowOwner,
	}
}

// decode reads the JSON body into v, keeping numbers exact. Every request body is decoded here:
// field names match exactly, as the services match them (a key that differs from a field only
// by case is an unknown field, which the contract lets a body carry).
func (c *call) decode(v any) error {
	if err := (exactjson.Options{UseNumber: true}).Decode(c.body, v); err != nil {
		return apierr.New(apierr.BadRequest, "BAD_REQUEST", "The request body could not be parsed as JSON: %v", err)
	}
	return nil
}

func (s *Server) createFlow(c *call) (int, any, error) {
	var b flowBody
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	if b.FlowOwner != nil {
		return 0, nil, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{
			Loc: []any{"flow_owner"}, Msg: "extra fields not permitted", Type: "value_error.extra"}})
	}
	doc, err := s.flows.Create(c.caller, b.fields())
	return http.StatusCreated, doc, err
}

func (s *Server) getFlow(c *call) (int, any, error) {
	doc, err := s.flows.Get(c.caller, c.param("flow_id"))
	return http.StatusOK, doc, err
}

func (s *Server) updateFlow(c *call) (int, any, error) {
	var b flowBody
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	doc, err := s.flows.Update(c.caller, c.param("flow_id"), b.fields())
	return http.StatusOK, doc, err
}

func (s *Server) deleteFlow(c *call) (int, any, error) {
	doc, err := s.flows.Delete(c.caller, c.param("flow_id"))
	return http.StatusOK, doc, err
}

func (s *Server) validateFlow(c *call) (int, any, error) {
	var b struct {
		Definition  map[string]any `json:"definition"`
		InputSchema map[string]any `json:"input_schema"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	scopes, err := flows.Validate(b.Definition, b.InputSchema, s.dir.ProviderScope)
	return http.StatusOK, map[string]any{"scopes": scopes}, err
}

// listValues reads a multi-valued query parameter sent comma-joined, repeated, or both.
func listValues(q map[string][]string, name string) ([]string, error) {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				return nil, apierr.New(apierr.BadRequest, "BAD_REQUEST", "%s may not contain empty values", name)
			}
			out = append(out, part)
		}
	}
	return out, nil
}

func (s *Server) listFlows(c *call) (int, any, error) {
	q := c.r.URL.Query()
	var query flows.Query
	if m := q.Get("marker"); m != "" {
		var err error
		if query, err = flows.DecodeMarker(m); err != nil {
			return 0, nil, err
		}
	} else {
		var err error
		lists := []struct {
			name string
			dst  *[]string
		}{
			{"filter_roles", &query.Roles}, {"filter_title", &query.Title}, {"filter_subtitle", &query.Subtitle},
			{"filter_description", &query.Description}, {"filter_keywords", &query.Keywords},
			{"filter_scope_string", &query.ScopeString}, {"filter_fulltext", &query.Fulltext}, {"orderby", &query.OrderBy},
		}
		for _, l := range lists {
			if *l.dst, err = listValues(q, l.name); err != nil {
				return 0, nil, err
			}
		}
		query.Role = q.Get("filter_role")
		if pp := q.Get("per_page"); pp != "" {
			query.PerPage, _ = strconv.Atoi(pp) // range checked by the contract and the store
		}
	}
	p, err := s.flows.List(c.caller, query)
	if err != nil {
		return 0, nil, err
	}
	body := page[flows.Document]{key: "flows", items: p.Flows, limit: p.Limit, hasNext: p.HasNextPage, marker: p.Marker, nullMarker: true}
	return http.StatusOK, body, nil
}
