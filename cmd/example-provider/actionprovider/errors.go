package actionprovider

import (
	"encoding/json"
	"net/http"
)

// apError is an Action Provider error document, as the Action Provider tools write it:
// {"code": ..., "description": ...} with the HTTP status.
type apError struct {
	status      int
	Code        string `json:"code"`
	Description string `json:"description"`
}

func unauthorized(msg string) *apError {
	return &apError{status: http.StatusUnauthorized, Code: "UnauthorizedRequest", Description: msg}
}

func badRequest(msg string) *apError {
	return &apError{status: http.StatusBadRequest, Code: "BadActionRequest", Description: msg}
}

func notFound(msg string) *apError {
	return &apError{status: http.StatusNotFound, Code: "ActionNotFound", Description: msg}
}

func conflict(msg string) *apError {
	return &apError{status: http.StatusConflict, Code: "ActionConflict", Description: msg}
}

func methodNotAllowed() *apError {
	return &apError{status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Description: "method not allowed on this route"}
}

func writeError(w http.ResponseWriter, e *apError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="action provider"`)
	}
	writeJSON(w, e.status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
