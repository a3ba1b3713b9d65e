package mockserver

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/listing"
	"github.com/globus-conformance/kit/mockserver/webinputs"
)

// Web inputs (reference flows-api.md §9): WebInputResponse and WebInputSummary documents.

func webInputTimes(w webinputs.WebInput, doc map[string]any) {
	doc["created_timestamp"] = flows.Timestamp(w.Created)
	doc["edited_timestamp"] = flows.Timestamp(w.Edited)
	doc["closed_timestamp"] = nil
	if w.ClosedAt != nil {
		doc["closed_timestamp"] = flows.Timestamp(*w.ClosedAt)
	}
	doc["flow"] = map[string]any{"id": w.FlowID, "title": w.FlowTitle}
	doc["run"] = map[string]any{"id": w.RunID, "label": nilIfEmpty(w.RunLabel)}
}

func webInputSummary(w webinputs.WebInput, roles []string, redacted bool) map[string]any {
	doc := map[string]any{"id": w.ID, "status": w.Status, "user_roles": roles, "input_type": "selection", "title": w.Context.Title}
	if redacted {
		doc["title"] = "" // listings never show what a high-assurance flow asks
	}
	webInputTimes(w, doc)
	return doc
}

func webInputDoc(w webinputs.WebInput, roles []string) map[string]any {
	ctx := map[string]any{"title": w.Context.Title, "presentation_style": w.Context.Style}
	if w.Context.Style == "text" {
		ctx["text"] = w.Context.Text
	} else {
		ctx["rows"] = w.Context.Rows
	}
	options := make([]map[string]any, len(w.Options))
	for i, o := range w.Options {
		options[i] = map[string]any{"option_id": o.ID, "label": o.Label, "description": o.Description}
	}
	doc := map[string]any{"id": w.ID, "status": w.Status, "user_roles": roles, "input_type": "selection",
		"input_schema": w.InputSchema(), "context": ctx, "options": options, "creator_urn": w.Creator,
		"roles": map[string]any{"viewer_urns": w.Viewers, "respondent_urns": w.Respondents}}
	webInputTimes(w, doc)
	return doc
}

func (s *Server) listWebInputs(c *call) (int, any, error) {
	q := c.r.URL.Query()
	var query webinputs.Query
	if m := q.Get("marker"); m != "" {
		if err := listing.DecodeMarker(m, &query); err != nil {
			return 0, nil, err
		}
	} else {
		var err error
		for _, f := range []struct {
			name string
			dst  *[]string
		}{{"filter_roles", &query.Roles}, {"filter_states", &query.States}, {"filter_flow_ids", &query.FlowIDs},
			{"filter_run_ids", &query.RunIDs}, {"orderby", &query.OrderBy}} {
			if *f.dst, err = listValues(q, f.name); err != nil {
				return 0, nil, err
			}
		}
		query.PerPage, _ = strconv.Atoi(q.Get("per_page"))
	}
	page, err := s.webinputs.List(c.caller, query, s.clock.Now())
	if err != nil {
		return 0, nil, err
	}
	list := make([]map[string]any, len(page.Items))
	for i, it := range page.Items {
		list[i] = webInputSummary(it.WebInput, it.UserRoles, it.Redacted)
	}
	return http.StatusOK, map[string]any{"web_input_summaries": list, "marker": nilIfEmpty(page.Marker)}, nil
}

func (s *Server) getWebInput(c *call) (int, any, error) {
	w, err := s.webinputs.Get(c.caller, c.param("web_input_id"), s.clock.Now())
	if err != nil {
		return 0, nil, webInputRefusal(c, err)
	}
	return http.StatusOK, webInputDoc(w, w.Roles(c.caller)), nil
}

func (s *Server) respondToWebInput(c *call) (int, any, error) {
	var in struct {
		Response map[string]any `json:"response"`
	}
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	w, err := s.webinputs.Respond(c.caller, c.param("web_input_id"), in.Response, s.clock.Now())
	if err != nil {
		return 0, nil, webInputRefusal(c, err)
	}
	s.webInputAnswered(w)
	return http.StatusOK, map[string]any{"status": "ok"}, nil
}

// webInputRefusal is the error document of a refused web input operation: a session that falls
// short of the flow's policy gets the GARE with the error to report and the web input's summary.
func webInputRefusal(c *call, err error) error {
	var refused *webinputs.PolicyError
	if !errors.As(err, &refused) {
		return err
	}
	gare := *refused.Err
	gare.With = map[string]any{
		"error":             map[string]any{"code": "AUTHENTICATION_POLICY_REQUIRED", "detail": refused.Detail},
		"web_input_summary": webInputSummary(refused.Input, refused.Input.Roles(c.caller), false),
	}
	return &gare
}

// webInputAnswered lets the run go on: an AwaitWebInput state continues; a Wait For User
// Selection action succeeds with the chosen option.
func (s *Server) webInputAnswered(w webinputs.WebInput) {
	if w.ActionID == "" {
		s.runs.WakeWebInput(w.RunID)
		return
	}
	if w.Answer != nil {
		name, _ := w.Answer.Value.(string)
		if s.actions.Select(w.ActionID, name, s.clock.Now()) == nil {
			s.runs.WakeAction(w.ActionID)
		}
	}
}

// selectionProvider is Wait For User Selection asking through a web input: the options become
// the web input's options, the people who may select (selectable_by, else the run's user) its
// respondents.
func (s *Server) selectionProvider(inner actions.Provider) actions.Provider {
	return func(c actions.Call, now time.Time) (actions.Outcome, *actions.Unable) {
		out, unable := inner(c, now)
		if unable != nil {
			return out, unable
		}
		body, _ := c.Body.(map[string]any)
		spec := webinputs.Spec{Context: webinputs.Context{Title: "Select an option", Style: "text"}, Viewers: []string{}}
		if page, ok := body["landing_page"].(map[string]any); ok {
			if t, ok := page["header_text"].(string); ok && t != "" {
				spec.Context.Title = t
			}
			spec.Context.Text, _ = page["preamble_text"].(string)
			spec.Respondents = append(spec.Respondents, principalList(page["selectable_by"])...)
		}
		options, _ := body["options"].([]any)
		for _, raw := range options {
			o, _ := raw.(map[string]any)
			name, _ := o["name"].(string)
			desc, _ := o["completed_message"].(string)
			spec.Options = append(spec.Options, webinputs.Option{Label: name, Description: desc, Value: name})
			spec.Respondents = append(spec.Respondents, principalList(o["selectable_by"])...)
		}
		if len(spec.Respondents) == 0 {
			spec.Respondents = []string{c.Caller.URN()}
		}
		if showsPrivate(spec, engine.PrivateTexts(c.Body, c.Private)) {
			return actions.Outcome{}, &actions.Unable{HTTPStatus: http.StatusBadRequest, Body: map[string]any{"code": "InvalidInput",
				"description": "what the selection shows people (landing_page texts, option names and completed messages) cannot be private"}}
		}
		origin, _ := s.runs.Origin(c.RunID)
		origin.ActionID = c.ActionID
		w := s.webinputs.Create(origin, spec, now)
		details, _ := out.Details.(map[string]any)
		if details != nil {
			details["web_input_id"] = w.ID
		}
		return out, nil
	}
}

// showsPrivate reports whether a web input would show people one of the private texts.
func showsPrivate(spec webinputs.Spec, texts []string) bool {
	shown := []string{spec.Context.Title, spec.Context.Text}
	for _, o := range spec.Options {
		shown = append(shown, o.Label, o.Description)
	}
	shown = append(append(shown, spec.Respondents...), spec.Viewers...)
	return slices.ContainsFunc(shown, func(s string) bool { return engine.Repeats(s, texts) })
}

// principalList reads a list of identity or group URNs, or bare identity ids.
func principalList(v any) []string {
	raw, _ := v.([]any)
	var out []string
	for _, item := range raw {
		p, _ := item.(string)
		if kind, _ := auth.ParsePrincipal(p); kind == auth.IdentityPrincipal || kind == auth.GroupPrincipal {
			out = append(out, p)
		} else if p != "" {
			out = append(out, "urn:globus:auth:identity:"+p)
		}
	}
	return out
}
