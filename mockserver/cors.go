package mockserver

import (
	"net/http"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// Browser apps built on the JS SDK call the emulated services from their own origin. The
// services take the token in Authorization, never a cookie, so any origin may read the answers
// and no credentials are allowed: "*" needs no Vary: Origin. The control plane never answers
// CORS (controlguard.go).

const (
	// corsAllowHeaders are the request headers a page may send: those the JS SDK sets, and the
	// mock's one-shot fault header so a browser test can inject faults.
	corsAllowHeaders = "Authorization, Content-Type, Accept, X-Globus-Client-Info, " + FaultHeader
	// corsExposeHeaders are the response headers beyond the safelisted ones a client reads.
	corsExposeHeaders = "Retry-After"
	// corsMaxAge lets a browser keep a preflight's answer for a day.
	corsMaxAge = "86400"
)

// withCORS marks an answer of an emulated service as readable by any origin.
func withCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

// preflight answers OPTIONS on a path of an emulated service with the methods it serves. It is
// not an API call: no token is asked for, and a path of no operation is a 404 in the service's
// own format.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request, requestID string) {
	methods := s.spec.Methods(r.URL.Path)
	if hasPrefix(r.URL.Path, "/actions/") {
		methods = actionMethods(r.URL.Path)
	}
	if len(methods) == 0 {
		status, body := errorResponse(serviceOf(r.URL.Path),
			apierr.New(apierr.NotFound, "NOT_FOUND", "No operation at %s", r.URL.Path), requestID, r.URL.Path)
		writeJSON(w, status, body)
		return
	}
	h := w.Header()
	h.Set("Allow", strings.Join(append(methods, http.MethodOptions), ", "))
	h.Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
}

// actionMethods are the Action Provider API's methods of a path under /actions/: POST to run,
// cancel, resume and release, GET for an action's status and a provider's description.
func actionMethods(path string) []string {
	switch path[strings.LastIndex(strings.TrimSuffix(path, "/"), "/")+1:] {
	case "run", "run/", "cancel", "cancel/", "resume", "resume/", "release", "release/":
		return []string{http.MethodPost}
	}
	return []string{http.MethodGet}
}
