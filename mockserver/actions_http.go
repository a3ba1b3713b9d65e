package mockserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
)

// The built-in action providers over HTTP (Action Provider API: introspection, run, status,
// cancel, release, resume) at /actions/... on the mock, so any client can call them directly:
//
//	/actions/hello_world, /actions/expression_eval, /actions/notification/notify,
//	/actions/weboption/wait_for_option, /actions/transfer/{transfer,delete,ls,stat,mkdir,...}

// providerURL maps a mount path ("transfer/ls") to the provider's real URL.
func providerURL(mount string) string {
	if rest, ok := strings.CutPrefix(mount, "transfer/"); ok {
		return TransferActionsURL + rest
	}
	return "https://actions.globus.org/" + mount
}

// providerMount is the provider part of an /actions/ path: the path itself (introspection), or
// without its last segment (run) or last two (an action's status, cancel, resume, release).
func providerMount(parts []string) string {
	n := len(parts)
	switch {
	case n > 1 && parts[n-1] == "run":
		return strings.Join(parts[:n-1], "/")
	case n > 2:
		if m := strings.Join(parts[:n-2], "/"); slices.Contains([]string{"status", "cancel", "resume", "release"}, parts[n-1]) {
			return m
		}
	}
	return strings.Join(parts, "/")
}

func apError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]any{"code": code, "description": description})
}

// serveActions answers one Action Provider API request.
func (s *Server) serveActions(w http.ResponseWriter, r *http.Request) {
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, "/actions/"), "/")
	parts := strings.Split(rest, "/")
	known := func(mount string) bool {
		return mount != "" && slices.Contains(s.actions.URLs(), providerURL(mount))
	}
	token, ok := bearer(r)
	var caller auth.Caller
	if ok {
		var err error
		caller, err = s.dir.Resolve(token)
		ok = err == nil
	}
	if !ok {
		apError(w, http.StatusUnauthorized, "AuthenticationFailed", "A valid bearer token is required")
		return
	}
	// A provider accepts only tokens for its own scope (those Flows mints for it, or a persona's).
	if mount := providerMount(parts); known(mount) {
		if scope, _ := engine.ProviderScope(providerURL(mount)); scope != "" && !caller.Token.HasScope(scope) {
			apError(w, http.StatusForbidden, "Forbidden", "The token is not for this provider's scope "+scope)
			return
		}
	}
	grant := actions.Grant{UserToken: token, IdentityID: caller.Identity.ID}
	switch {
	case r.Method == http.MethodGet && known(rest):
		url := providerURL(rest)
		scope, _ := engine.ProviderScope(url)
		writeJSON(w, http.StatusOK, map[string]any{"api_version": "1.0", "title": rest, "subtitle": "Built into the conformance kit's mock",
			"globus_auth_scope": scope, "synchronous": false, "log_supported": false, "types": []string{"Action"},
			"visible_to": []string{"public"}, "runnable_by": []string{"all_authenticated_users"}, "maximum_deadline": "P30D",
			"keywords": []string{}, "administered_by": []string{}, "admin_contact": "support@example.org"})
	case r.Method == http.MethodPost && len(parts) > 1 && parts[len(parts)-1] == "run" && known(strings.Join(parts[:len(parts)-1], "/")):
		var in struct {
			RequestID string `json:"request_id"`
			Body      any    `json:"body"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)).Decode(&in); err != nil || in.Body == nil {
			apError(w, http.StatusBadRequest, "BadRequest", "The body must be {\"request_id\": ..., \"body\": {...}}")
			return
		}
		url := providerURL(strings.Join(parts[:len(parts)-1], "/"))
		doc, err := s.actions.Start(actions.Call{URL: url, Body: in.Body, Caller: caller}, s.clock.Now())
		if u, isUnable := err.(*actions.Unable); isUnable {
			writeJSON(w, u.HTTPStatus, u.Body)
			return
		}
		if err != nil {
			apError(w, http.StatusBadGateway, "ProviderError", err.Error())
			return
		}
		writeJSON(w, http.StatusAccepted, doc)
	case len(parts) > 2 && known(strings.Join(parts[:len(parts)-2], "/")):
		url, id, verb := providerURL(strings.Join(parts[:len(parts)-2], "/")), parts[len(parts)-2], parts[len(parts)-1]
		now := s.clock.Now()
		switch {
		case r.Method == http.MethodGet && verb == "status":
		case r.Method == http.MethodPost && verb == "cancel":
			s.actions.Cancel(url, id, grant, now)
		case r.Method == http.MethodPost && verb == "resume":
			s.actions.Resume(url, id, grant, now)
		case r.Method == http.MethodPost && verb == "release":
			doc, _, err := s.actions.Status(url, id, grant, now)
			if err != nil {
				apError(w, http.StatusNotFound, "NotFound", "No action "+id)
				return
			}
			if st := doc["status"]; st != actions.Succeeded && st != actions.Failed {
				apError(w, http.StatusConflict, "Conflict", "Action "+id+" has not completed")
				return
			}
			s.actions.Release(url, id, grant)
			writeJSON(w, http.StatusOK, doc)
			return
		default:
			apError(w, http.StatusNotFound, "NotFound", "No Action Provider operation at "+r.Method+" "+r.URL.Path)
			return
		}
		doc, _, err := s.actions.Status(url, id, grant, now)
		if err != nil {
			apError(w, http.StatusNotFound, "NotFound", "No action "+id)
			return
		}
		writeJSON(w, http.StatusOK, doc)
	default:
		apError(w, http.StatusNotFound, "NotFound", "No Action Provider operation at "+r.Method+" "+r.URL.Path)
	}
}
