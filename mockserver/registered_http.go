package mockserver

import (
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"net/http"
	"strconv"

	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/listing"
	"github.com/globus-conformance/kit/mockserver/registered"
)

// Registered APIs (reference flows-api.md §9): documents as the OpenAPI's RegisteredApi and
// RegisteredApiSummary show them.

func registeredSummary(a registered.API) map[string]any {
	return map[string]any{"id": a.ID, "name": a.Name, "description": a.Description,
		"created_timestamp": flows.Timestamp(a.Created), "updated_timestamp": flows.Timestamp(a.Updated)}
}

func registeredDoc(a registered.API) map[string]any {
	doc := registeredSummary(a)
	doc["edited_timestamp"] = nil
	if a.Edited != nil {
		doc["edited_timestamp"] = flows.Timestamp(*a.Edited)
	}
	doc["scheduled_deletion_timestamp"] = nil
	doc["status"] = "ACTIVE"
	doc["data_templates"] = a.DataTemplates()
	doc["state_input_schema"] = a.StateInputSchema()
	doc["roles"] = a.Roles
	doc["target"] = a.Target
	doc["subscription_id"] = nilIfEmpty(a.SubscriptionID)
	return doc
}

func (s *Server) listRegisteredAPIs(c *call) (int, any, error) {
	q := c.r.URL.Query()
	var query registered.Query
	if m := q.Get("marker"); m != "" {
		if err := listing.DecodeMarker(m, &query); err != nil {
			return 0, nil, err
		}
	} else {
		var err error
		if query.Roles, err = listValues(q, "filter_roles"); err != nil {
			return 0, nil, err
		}
		if query.OrderBy, err = listValues(q, "orderby"); err != nil {
			return 0, nil, err
		}
		query.PerPage, _ = strconv.Atoi(q.Get("per_page"))
	}
	page, err := s.registered.List(c.caller, query)
	if err != nil {
		return 0, nil, err
	}
	list := make([]map[string]any, len(page.APIs))
	for i, a := range page.APIs {
		list[i] = registeredSummary(a)
	}
	body := map[string]any{"registered_apis": list, "limit": page.Limit, "has_next_page": page.HasNextPage, "marker": nil}
	if page.HasNextPage {
		body["marker"] = page.Marker
	}
	return http.StatusOK, body, nil
}

func (s *Server) createRegisteredAPI(c *call) (int, any, error) {
	var in registered.Input
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	a, err := s.registered.Create(c.caller, in)
	return http.StatusCreated, registeredDoc(a), err
}

func (s *Server) getRegisteredAPI(c *call) (int, any, error) {
	a, err := s.registered.Get(c.caller, c.param("registered_api_id"))
	return http.StatusOK, registeredDoc(a), err
}

func (s *Server) updateRegisteredAPI(c *call) (int, any, error) {
	var in registered.Input
	if err := c.decode(&in); err != nil {
		return 0, nil, err
	}
	a, err := s.registered.Update(c.caller, c.param("registered_api_id"), in)
	return http.StatusOK, registeredDoc(a), err
}

func (s *Server) deleteRegisteredAPI(c *call) (int, any, error) {
	a, err := s.registered.Delete(c.caller, c.param("registered_api_id"))
	if err != nil {
		return 0, nil, err
	}
	// The real service reports a pending deletion; here it takes effect at once.
	doc := registeredDoc(a)
	doc["status"], doc["scheduled_deletion_timestamp"] = "DELETE_PENDING", flows.Timestamp(s.clock.Now())
	return http.StatusOK, doc, nil
}

// callRegisteredAPI carries out an Action state whose Handler is a registered API: the run's
// user must hold a role on it; the request goes to its destination with a token minted for its scope; a 2XX
// answer's body is the action's details, any other answer raises ActionUnableToRun with it.
func (s *Server) callRegisteredAPI(c actions.Call, _ time.Time) (actions.Outcome, *actions.Unable) {
	api, err := s.registered.Get(c.Caller, c.RegisteredAPI)
	if err != nil {
		e, _ := apierr.As(err)
		return actions.Outcome{}, &actions.Unable{HTTPStatus: http.StatusNotFound, Body: map[string]any{"code": e.Code, "description": e.Detail}}
	}
	params, _ := c.Body.(map[string]any)
	req, err := api.Request(params)
	if err != nil {
		return actions.Outcome{}, &actions.Unable{HTTPStatus: http.StatusBadRequest, Body: map[string]any{"code": "InvalidInput", "description": err.Error()}}
	}
	g := c.Grant()
	g.Scope = api.Scope()
	token, err := s.providerToken(g)
	if err != nil {
		return actions.Outcome{}, &actions.Unable{HTTPStatus: http.StatusUnauthorized, Body: map[string]any{"code": "TokenUnavailable", "description": err.Error()}}
	}
	status, body, err := s.external.Send(req.Method, req.URL, token, req.Header, req.Body, req.HasBody)
	if err != nil {
		return actions.Outcome{}, &actions.Unable{HTTPStatus: http.StatusBadGateway, Body: map[string]any{"code": "DestinationUnreachable", "description": err.Error()}}
	}
	if status < 200 || status > 299 {
		return actions.Outcome{}, &actions.Unable{HTTPStatus: status, Body: map[string]any{"cause": body, "exception": "ActionUnableToRun"}}
	}
	return actions.Outcome{Status: actions.Succeeded, Details: body}, nil
}

// providerToken is the token an action provider or a registered API outside the mock is called
// with: one minted for its scope on the run user's behalf, never the user's own (none without a
// scope).
func (s *Server) providerToken(g actions.Grant) (string, error) {
	if g.Scope == "" {
		return "", nil
	}
	t, err := s.dir.DependentToken(g.UserToken, g.IdentityID, g.Scope)
	return t.Token, err
}
