package mockserver

import (
	"net/http"
	"strconv"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/listing"
	"github.com/globus-conformance/kit/mockserver/runs"
)

// runBody is the body of POST /flows/{id}/run and validate_run.
type runBody struct {
	Body         map[string]any `json:"body"`
	Label        *string        `json:"label"`
	Tags         []string       `json:"tags"`
	RunManagers  *[]string      `json:"run_managers"`
	RunMonitors  *[]string      `json:"run_monitors"`
	Notification *struct {
		Status []string `json:"status"`
	} `json:"activity_notification_policy"`
}

// startRequest checks the caller's right to start the flow (its scope, then flow_starter) and
// decodes the body; shared by run and validate_run.
func (s *Server) startRequest(c *call) (runs.FlowSnapshot, runs.StartInput, error) {
	flowID := c.param("flow_id")
	if scope := auth.FlowScope(flowID); !c.caller.Token.HasScope(scope) {
		return runs.FlowSnapshot{}, runs.StartInput{}, apierr.New(apierr.MissingScope, "MISSING_SCOPE", "This action requires the following scope: %s", scope)
	}
	var b runBody
	if err := c.decode(&b); err != nil {
		return runs.FlowSnapshot{}, runs.StartInput{}, err
	}
	f, err := s.flows.ForRun(c.caller, flowID)
	if err != nil {
		return runs.FlowSnapshot{}, runs.StartInput{}, err
	}
	if errs := runs.CheckRoleLists("", b.RunManagers, b.RunMonitors); len(errs) > 0 {
		return runs.FlowSnapshot{}, runs.StartInput{}, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
	}
	in := runs.StartInput{Body: b.Body, Label: b.Label, Tags: b.Tags}
	if b.RunManagers != nil {
		in.Managers = *b.RunManagers
	}
	if b.RunMonitors != nil {
		in.Monitors = *b.RunMonitors
	}
	if b.Notification != nil {
		in.Notify = b.Notification.Status
		if in.Notify == nil {
			in.Notify = []string{}
		}
	}
	snap := runs.FlowSnapshot{ID: f.ID, Title: f.Title, UpdatedAt: f.UpdatedAt, Definition: f.Definition, InputSchema: f.InputSchema}
	return snap, in, nil
}

func (s *Server) runFlow(c *call) (int, any, error) {
	f, in, err := s.startRequest(c)
	if err != nil {
		return 0, nil, err
	}
	doc, err := s.runs.Start(c.caller, f, in)
	return http.StatusCreated, doc, err
}

func (s *Server) validateRun(c *call) (int, any, error) {
	f, in, err := s.startRequest(c)
	if err != nil {
		return 0, nil, err
	}
	if err := runs.Check(f, in); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"message": "validation successful"}, nil
}

// runOf finds the run of a legacy /flows/{flow_id}/{run_id}/... path: it must belong to the flow.
func (s *Server) runOf(c *call) (string, error) {
	id := c.param("run_id")
	if flowID := c.route.Params["flow_id"]; flowID != "" {
		doc, err := s.runs.Get(c.caller, id, false)
		if err != nil {
			return "", err
		}
		if doc.FlowID != flowID {
			return "", apierr.New(apierr.NotFound, "NOT_FOUND", "No Run exists with id value %s", id)
		}
	}
	return id, nil
}

func (s *Server) getRun(c *call) (int, any, error) {
	id, err := s.runOf(c)
	if err != nil {
		return 0, nil, err
	}
	with, _ := strconv.ParseBool(c.r.URL.Query().Get("include_flow_description"))
	doc, err := s.runs.Get(c.caller, id, with)
	return http.StatusOK, doc, err
}

func (s *Server) updateRun(c *call) (int, any, error) {
	var b struct {
		Label       *string   `json:"label"`
		Tags        *[]string `json:"tags"`
		RunManagers *[]string `json:"run_managers"`
		RunMonitors *[]string `json:"run_monitors"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	if errs := runs.CheckRoleLists("", b.RunManagers, b.RunMonitors); len(errs) > 0 {
		return 0, nil, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
	}
	doc, err := s.runs.Update(c.caller, c.param("run_id"), runs.UpdateInput{Label: b.Label, Tags: b.Tags, Managers: b.RunManagers, Monitors: b.RunMonitors})
	return http.StatusOK, doc, err
}

func (s *Server) cancelRun(c *call) (int, any, error) {
	id, err := s.runOf(c)
	if err != nil {
		return 0, nil, err
	}
	doc, err := s.runs.Cancel(c.caller, id)
	return http.StatusAccepted, doc, err
}

func (s *Server) releaseRun(c *call) (int, any, error) {
	id, err := s.runOf(c)
	if err != nil {
		return 0, nil, err
	}
	doc, err := s.runs.Release(c.caller, id)
	return http.StatusOK, doc, err
}

// resumeRun needs the run's flow scope, as the SDKs' SpecificFlowClient sends it.
func (s *Server) resumeRun(c *call) (int, any, error) {
	id, err := s.runOf(c)
	if err != nil {
		return 0, nil, err
	}
	doc, err := s.runs.Get(c.caller, id, false)
	if err != nil {
		return 0, nil, err
	}
	if scope := auth.FlowScope(doc.FlowID); !c.caller.Token.HasScope(scope) {
		return 0, nil, apierr.New(apierr.MissingScope, "MISSING_SCOPE", "This action requires the following scope: %s", scope)
	}
	doc, err = s.runs.Resume(c.caller, id)
	return http.StatusOK, doc, err
}

func (s *Server) getRunDefinition(c *call) (int, any, error) {
	doc, err := s.runs.Definition(c.caller, c.param("run_id"))
	return http.StatusOK, doc, err
}

func (s *Server) getRunLogs(c *call) (int, any, error) {
	id, err := s.runOf(c)
	if err != nil {
		return 0, nil, err
	}
	q := c.r.URL.Query()
	var lq runs.LogQuery
	if m := firstOf(q.Get("marker"), q.Get("pagination_token")); m != "" {
		if err := runs.DecodeMarker(m, &lq); err != nil {
			return 0, nil, err
		}
	} else {
		lq.Limit, _ = strconv.Atoi(q.Get("limit")) // range checked by the contract
		lq.Reverse, _ = strconv.ParseBool(q.Get("reverse_order"))
	}
	p, err := s.runs.Log(c.caller, id, lq)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page[runs.Entry]{key: "entries", items: p.Entries, limit: p.Limit, hasNext: p.HasNextPage, marker: p.Marker}, nil
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// runQuery reads the query of GET /runs and GET /flows/{flow_id}/runs.
func runQuery(c *call) (runs.Query, error) {
	q := c.r.URL.Query()
	var query runs.Query
	if m := firstOf(q.Get("marker"), q.Get("pagination_token")); m != "" {
		err := runs.DecodeMarker(m, &query)
		return query, err
	}
	lists := []struct {
		name string
		dst  *[]string
	}{
		{"filter_roles", &query.Roles}, {"filter_status", &query.Status}, {"filter_label", &query.Label},
		{"filter_flow_title", &query.FlowTitle}, {"filter_flow_id", &query.FlowIDs}, {"orderby", &query.OrderBy},
	}
	for _, l := range lists {
		var err error
		if *l.dst, err = listValues(q, l.name); err != nil {
			return query, err
		}
	}
	query.Role = q.Get("filter_role")
	query.StartTime, query.CompletionTime = q.Get("filter_start_time"), q.Get("filter_completion_time")
	if pp := q.Get("per_page"); pp != "" {
		query.PerPage, _ = strconv.Atoi(pp)
	}
	if page, _ := strconv.Atoi(q.Get("page")); page > 1 {
		per := query.PerPage
		if per == 0 {
			per = listing.DefaultPerPage
		}
		query.Offset = (page - 1) * per
	}
	return query, nil
}

func (s *Server) listRuns(c *call) (int, any, error) {
	return s.runListing(c, "runs")
}

// listFlowRuns is the legacy per-flow listing: 404 when the caller cannot see the flow.
func (s *Server) listFlowRuns(c *call) (int, any, error) {
	if _, err := s.flows.Get(c.caller, c.param("flow_id")); err != nil {
		return 0, nil, err
	}
	return s.runListing(c, "actions")
}

func (s *Server) runListing(c *call, key string) (int, any, error) {
	query, err := runQuery(c)
	if err != nil {
		return 0, nil, err
	}
	if flowID := c.route.Params["flow_id"]; flowID != "" && c.r.URL.Query().Get("marker") == "" && c.r.URL.Query().Get("pagination_token") == "" {
		query.FlowIDs = []string{flowID}
	}
	p, err := s.runs.List(c.caller, query)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page[runs.Document]{key: key, items: p.Runs, limit: p.Limit, hasNext: p.HasNextPage, marker: p.Marker, nullMarker: true}, nil
}

// batchChange is one operation of a batch body.
type batchChange struct {
	Tags        *[]string `json:"tags"`
	RunManagers *[]string `json:"run_managers"`
	RunMonitors *[]string `json:"run_monitors"`
	Status      string    `json:"status"`
}

func (b *batchChange) change() runs.BatchChange {
	if b == nil {
		return runs.BatchChange{}
	}
	return runs.BatchChange{Tags: b.Tags, Managers: b.RunManagers, Monitors: b.RunMonitors}
}

func (s *Server) batchUpdateRuns(c *call) (int, any, error) {
	var b struct {
		Filters struct {
			RunIDs []string `json:"run_ids"`
		} `json:"filters"`
		Set    *batchChange `json:"set"`
		Add    *batchChange `json:"add"`
		Remove *batchChange `json:"remove"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	var errs []apierr.FieldError
	for _, op := range []struct {
		name string
		b    *batchChange
	}{{"set", b.Set}, {"add", b.Add}, {"remove", b.Remove}} {
		if op.b == nil {
			continue
		}
		errs = append(errs, runs.CheckRoleLists(op.name+".", op.b.RunManagers, op.b.RunMonitors)...)
	}
	if len(errs) > 0 {
		return 0, nil, apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
	}
	cancel := b.Set != nil && b.Set.Status == "cancel"
	err := s.runs.Batch(c.caller, b.Filters.RunIDs, b.Set.change(), b.Add.change(), b.Remove.change(), cancel)
	return http.StatusAccepted, map[string]any{}, err
}
