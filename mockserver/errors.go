package mockserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/openapi"
)

// This file is the one place where errors become HTTP: a status per kind, and each service's own
// error document (DESIGN §4; reference flows-api.md §7, transfer-acl-and-auth.md §1).

var statusByKind = map[apierr.Kind]int{
	apierr.Invalid:          http.StatusUnprocessableEntity,
	apierr.BadRequest:       http.StatusBadRequest,
	apierr.Unauthenticated:  http.StatusUnauthorized,
	apierr.Forbidden:        http.StatusForbidden,
	apierr.MissingScope:     http.StatusForbidden,
	apierr.NotFound:         http.StatusNotFound,
	apierr.Conflict:         http.StatusConflict,
	apierr.TooLarge:         http.StatusRequestEntityTooLarge,
	apierr.NotImplemented:   http.StatusNotImplemented,
	apierr.Unavailable:      http.StatusServiceUnavailable,
	apierr.RateLimited:      http.StatusTooManyRequests,
	apierr.Upstream:         http.StatusBadGateway,
	apierr.Internal:         http.StatusInternalServerError,
	apierr.MediaType:        http.StatusUnsupportedMediaType,
	apierr.MethodNotAllowed: http.StatusMethodNotAllowed,
}

// transferCodes renames the pipeline's generic codes to Transfer's own; Transfer answers 400, never
// 422, for a body it refuses. A missing, unknown or expired token is
// ClientError.AuthenticationFailed, the code the CLI's "not logged in" handler looks for.
var transferCodes = map[string]string{
	"AUTHENTICATION_ERROR": "ClientError.AuthenticationFailed",
	"MISSING_SCOPE":        "PermissionDenied",
	"UNPROCESSABLE_ENTITY": "BadRequest",
	"BAD_REQUEST":          "BadRequest",
	"METHOD_NOT_ALLOWED":   "ClientError.BadMethod",
	"NOT_FOUND":            "ClientError.NotFound",
	"REQUEST_TOO_LARGE":    "RequestTooLarge",
}

// authCodes renames the pipeline's generic codes to Auth's own: a missing, unknown or expired
// token is UNAUTHORIZED, as the SDK's recorded Auth responses show it and the CLI's "not logged
// in" handler looks for it.
var authCodes = map[string]string{
	"AUTHENTICATION_ERROR": "UNAUTHORIZED",
}

// control is the pseudo-service of the control plane; it speaks the Flows error format.
const control openapi.Service = "control"

// errorResponse turns an error into the status and document of a service. An error that is not
// an *apierr.Error is a bug in the mock and answers 500.
func errorResponse(svc openapi.Service, err error, requestID, resource string) (int, any) {
	e, ok := apierr.As(err)
	if !ok {
		e = &apierr.Error{Code: "UNKNOWN_ERROR", Detail: "Internal Server Error: " + err.Error()}
	}
	status, ok := statusByKind[e.Kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	switch svc {
	case openapi.Transfer:
		msg := e.Detail
		if len(e.Fields) > 0 {
			msg = fieldMessage(e.Fields[0])
		}
		code := e.Code
		if c, ok := transferCodes[code]; ok {
			code = c
		}
		if status == http.StatusUnprocessableEntity {
			status = http.StatusBadRequest
		}
		return status, map[string]any{"code": code, "message": msg, "request_id": requestID,
			"resource": strings.TrimPrefix(resource, "/v0.10"), "DATA_TYPE": "result"}
	case openapi.Auth:
		detail := e.Detail
		if len(e.Fields) > 0 {
			detail = e.Fields[0].Msg
		}
		code := e.Code
		if c, ok := authCodes[code]; ok {
			code = c
		}
		// Auth names the status as a number in a string ("401") and its top-level error in lower
		// case ("unauthorized"), as the SDK's recorded responses show.
		return status, map[string]any{
			"error": strings.ToLower(code), "error_description": detail,
			"errors": []map[string]any{{"id": requestID, "code": code, "status": strconv.Itoa(status), "title": http.StatusText(status), "detail": detail}},
		}
	default:
		if e.Authorization != nil {
			// Flows sends a GARE as the whole document (reference flows-api.md §7.2).
			doc := map[string]any{"code": e.Code, "authorization_parameters": e.Authorization, "debug_id": requestID}
			for k, v := range e.With {
				doc[k] = v
			}
			return status, doc
		}
		body := map[string]any{"code": e.Code}
		if len(e.Fields) > 0 {
			body["detail"] = e.Fields
		} else {
			body["detail"] = e.Detail
		}
		if e.Message != "" {
			body["message"] = e.Message
		}
		return status, map[string]any{"error": body, "debug_id": requestID}
	}
}

// documentedStatus keeps a refusal within what the operation documents: the Flows operations
// whose spec lists 400 but no 422 (the registered APIs) refuse a bad body with 400, as the
// real service documents them.
func documentedStatus(route *openapi.Route, status int) int {
	if status == http.StatusUnprocessableEntity && !route.Documents(status) && route.Documents(http.StatusBadRequest) {
		return http.StatusBadRequest
	}
	return status
}

// serviceOf names the service a path belongs to, for errors on paths no route matched.
func serviceOf(path string) openapi.Service {
	switch {
	case hasPrefix(path, "/v0.10/"):
		return openapi.Transfer
	case hasPrefix(path, "/v2/"), hasPrefix(path, "/.well-known/"), path == "/jwk.json":
		return openapi.Auth
	case hasPrefix(path, "/_mock/"):
		return control
	}
	return openapi.Flows
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// fieldMessage phrases a located problem for services whose errors carry one message.
func fieldMessage(f apierr.FieldError) string {
	if len(f.Loc) == 0 {
		return f.Msg
	}
	parts := make([]string, len(f.Loc))
	for i, p := range f.Loc {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".") + ": " + f.Msg
}
