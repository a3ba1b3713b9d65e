// Package apierr is the domain's error vocabulary. Domain packages return *Error values; the HTTP
// layer maps Kind to a status once and renders each service's own error document.
package apierr

import (
	"errors"
	"fmt"
)

// Kind classifies an error independently of HTTP.
type Kind int

// The kinds, with the HTTP status the mock maps them to.
const (
	Invalid          Kind = iota + 1 // 422: a well-formed request whose content is refused
	BadRequest                       // 400: a request that cannot be parsed or is malformed
	Unauthenticated                  // 401: missing, unknown or expired token
	Forbidden                        // 403: visible resource, missing role
	MissingScope                     // 403: the token lacks the scope the operation needs
	NotFound                         // 404: absent, or hidden from the caller
	Conflict                         // 409: state conflict
	TooLarge                         // 413: body beyond the configured limit
	NotImplemented                   // 501: known operation the mock does not serve
	Unavailable                      // 503: the service is unavailable (fault injection)
	RateLimited                      // 429: too many requests (fault injection)
	Upstream                         // 502: an upstream service failed (fault injection)
	Internal                         // 500: an internal error (fault injection; otherwise a bug)
	MediaType                        // 415: a body in a media type the operation does not take
	MethodNotAllowed                 // 405: a method the resource does not answer
)

// FieldError locates one problem in a request, pydantic style: loc is the path of keys and
// indexes, msg the human text, typ a category such as value_error.missing.
type FieldError struct {
	Loc  []any          `json:"loc"`
	Msg  string         `json:"msg"`
	Type string         `json:"type"`
	Ctx  map[string]any `json:"ctx,omitempty"`
}

// Error is a domain error.
type Error struct {
	Kind    Kind
	Code    string       // service error code, e.g. NOT_FOUND, FORBIDDEN, Exists
	Detail  string       // human text when there are no field errors
	Message string       // optional summary (Flows error.message)
	Fields  []FieldError // field-level problems (Flows detail list)
	// Authorization holds the authorization_parameters of a Globus Auth Requirements Error: the
	// caller must re-authenticate (or consent) before retrying.
	Authorization *AuthorizationParameters
	// With are further top-level members of a GARE document (a web input's summary).
	With map[string]any
}

// AuthorizationParameters are a GARE's requirements (reference transfer-acl-and-auth.md §4).
type AuthorizationParameters struct {
	SessionMessage          string   `json:"session_message,omitempty"`
	SessionRequiredPolicies []string `json:"session_required_policies,omitempty"`
	SessionRequiredMFA      bool     `json:"session_required_mfa,omitempty"`
}

// Requirements returns a GARE: a 403 whose cure is a new authentication.
func Requirements(code, message string, params AuthorizationParameters) *Error {
	return &Error{Kind: Forbidden, Code: code, Detail: message, Authorization: &params}
}

var _ error = (*Error)(nil)

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Fields[0].Msg)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Detail)
}

// New returns an error of a kind with a code and a formatted detail.
func New(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// WithFields returns a validation error with the given field problems.
func WithFields(kind Kind, code string, fields []FieldError) *Error {
	msg := fmt.Sprintf("%d validation error", len(fields))
	if len(fields) != 1 {
		msg += "s"
	}
	return &Error{Kind: kind, Code: code, Fields: fields, Message: msg + " in body. " + summary(fields)}
}

// Located returns a 422 UNPROCESSABLE_ENTITY with one problem at loc (a field's path).
func Located(loc []any, format string, args ...any) *Error {
	return WithFields(Invalid, "UNPROCESSABLE_ENTITY", []FieldError{{Loc: loc, Msg: fmt.Sprintf(format, args...), Type: "value_error"}})
}

func summary(fields []FieldError) string {
	s := ""
	for i, f := range fields {
		if i > 0 {
			s += " ; "
		}
		s += "$"
		if len(f.Loc) > 0 {
			if _, index := f.Loc[0].(int); !index {
				s += "."
			}
		}
		s += Path(f.Loc) + ": " + f.Msg
	}
	return s
}

// Path writes a location as a document path: flows[0].title.
func Path(loc []any) string {
	s := ""
	for i, l := range loc {
		switch v := l.(type) {
		case int:
			s += fmt.Sprintf("[%d]", v)
		default:
			if i > 0 {
				s += "."
			}
			s += fmt.Sprint(v)
		}
	}
	return s
}

// Problem is one problem at loc.
func Problem(loc []any, format string, args ...any) FieldError {
	return FieldError{Loc: loc, Msg: fmt.Sprintf(format, args...), Type: "value_error"}
}

// Missing is the problem of a required field that is absent or empty.
func Missing(loc ...any) FieldError {
	return FieldError{Loc: loc, Msg: "required", Type: "value_error.missing"}
}

// Within locates problems found in a part of a document at that part's location: a flow's
// title problem becomes flows[3].title.
func Within(prefix []any, fields []FieldError) []FieldError {
	out := make([]FieldError, len(fields))
	for i, f := range fields {
		f.Loc = append(append([]any{}, prefix...), f.Loc...)
		out[i] = f
	}
	return out
}

// FieldsOf turns an error about the part at loc into its located problems: the error's own
// fields within loc, or its detail at loc.
func FieldsOf(loc []any, err error) []FieldError {
	if err == nil {
		return nil
	}
	if e, ok := As(err); ok && len(e.Fields) > 0 {
		return Within(loc, e.Fields)
	} else if ok {
		return []FieldError{Problem(loc, "%s", e.Detail)}
	}
	return []FieldError{Problem(loc, "%v", err)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
