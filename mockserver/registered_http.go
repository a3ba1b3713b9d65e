package mockserver

import (
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
	doc["edited_timestamp"] = flows.Timestamp(a.Edited)
	doc["scheduled_deletion_timestamp"] = nil
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
