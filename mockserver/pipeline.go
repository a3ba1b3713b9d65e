package mockserver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/openapi"
)

// A request's way through the mock (DESIGN §4): recover + request id + access log → route and
// validate against openapi/ → authenticate → handler → (optionally) validate the response.

// call is what a handler gets: the request, its route, its body and the authenticated caller.
type call struct {
	r         *http.Request
	route     *openapi.Route
	body      []byte
	caller    auth.Caller
	requestID string
}

// param returns a path parameter.
func (c *call) param(name string) string { return c.route.Params[name] }

// handlerFunc returns a status and a document, or an error for errorResponse.
type handlerFunc func(*call) (int, any, error)

// authMode says how an operation authenticates its caller.
type authMode int

const (
	bearerAuth  authMode = iota // Authorization: Bearer <token> (every emulated resource operation)
	clientAuth                  // client credentials, which the token endpoint checks itself (Basic or form)
	basicAuth                   // HTTP Basic client credentials only (introspection, reference transfer-acl-and-auth.md §3b)
	browserAuth                 // a person's browser at a login page: no credentials
	publicAuth                  // a public document (OpenID discovery, the signing keys): no credentials
)

// operation binds an OpenAPI operation id to its handler and its access rule.
type operation struct {
	auth   authMode
	scopes []string // the token needs any one of these; empty means any valid token
	fn     handlerFunc
}

// recorder remembers the status for the access log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Hijack lets an injected fault drop the connection.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be hijacked")
	}
	return hj.Hijack()
}

// ServeHTTP is the pipeline.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	requestID := ids.UUID()
	entry := &journalEntry{Time: s.clock.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		ClientInfo: r.Header.Get("X-Globus-Client-Info"), UserAgent: r.Header.Get("User-Agent"), RequestID: requestID}
	control := hasPrefix(r.URL.Path, "/_mock/") || r.URL.Path == "/_mock"
	preflight := !control && r.Method == http.MethodOptions
	if !control && !preflight {
		if r.Body != nil {
			entry.request.contentType = r.Header.Get("Content-Type")
			r.Body = tap{ReadCloser: r.Body, into: &entry.request}
		}
		entry.ClientID, _, _ = r.BasicAuth()
		r = withJournal(r, entry)
		defer func() {
			if entry.journaled {
				return
			}
			entry.Status = rec.status
			entry.DurationMS = float64(time.Since(start).Microseconds()) / 1000
			s.journal.add(*entry)
		}()
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic", "request_id", requestID, "panic", fmt.Sprint(p))
			status, body := errorResponse(serviceOf(r.URL.Path), fmt.Errorf("panic: %v", p), requestID, r.URL.Path)
			writeJSON(rec, status, body)
		}
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "request_id", requestID,
			"client_info", r.Header.Get("X-Globus-Client-Info"))
	}()
	if control {
		s.control.ServeHTTP(rec, r)
		return
	}
	// Every answer of an emulated service, errors, faults and rate limits included, is readable
	// by a page of another origin; a preflight is answered before faults and rate limits, which
	// are for the call it announces.
	withCORS(rec.Header())
	if preflight {
		s.preflight(rec, r, requestID)
		return
	}
	if fault, err := s.faultFor(r); err != nil {
		status, body := errorResponse(serviceOf(r.URL.Path), err, requestID, r.URL.Path)
		writeJSON(rec, status, body)
		return
	} else if fault != nil && s.injectFault(rec, r, fault, requestID, entry) {
		return
	}
	if s.rateLimited(rec, r, requestID, entry) {
		return
	}
	if hasPrefix(r.URL.Path, "/actions/") {
		s.state.RLock()
		defer s.state.RUnlock()
		s.serveActions(rec, r)
		return
	}
	// The world lock is held while the operation runs, not while its answer is encoded and
	// written: documents are built from values that are replaced, never changed in place, so
	// they stay valid after a reset or a load.
	route, status, body := s.serveInWorld(r, requestID)
	if web, ok := body.(*webAnswer); ok {
		s.writeWeb(rec, r, route, status, web, requestID)
		return
	}
	buf := answerBuffer()
	defer buf.release()
	payload, err := buf.encode(body)
	if err != nil {
		status, payload = http.StatusInternalServerError, []byte(`{"error":{"code":"UNKNOWN_ERROR","detail":"response encoding failed"},"debug_id":"`+requestID+`"}`)
	}
	header := http.Header{"Content-Type": []string{"application/json"}}
	if route != nil && s.opts.ValidateResponses && status != http.StatusNotImplemented {
		if verr := s.spec.ValidateResponse(r.Context(), r, route, status, header, payload); verr != nil {
			s.log.Error("response breaks the contract", "operation", route.OperationID, "status", status, "error", verr)
			status, body = errorResponse(route.Service, fmt.Errorf("response of %s (%d) breaks the contract: %v", route.OperationID, status, verr), requestID, r.URL.Path)
			payload, _ = buf.encode(body)
		}
	}
	rec.Header().Set("Content-Type", "application/json")
	rec.WriteHeader(status)
	_, _ = rec.Write(payload)
	entry.response = rawBody{contentType: "application/json"}
	entry.response.keep(payload)
}

// writeWeb writes a redirect or a page, checked against the contract like any answer.
func (s *Server) writeWeb(w http.ResponseWriter, r *http.Request, route *openapi.Route, status int, web *webAnswer, requestID string) {
	header := http.Header{}
	if web.location != "" {
		header.Set("Location", web.location)
	} else {
		header.Set("Content-Type", "text/html; charset=utf-8")
	}
	if route != nil && s.opts.ValidateResponses {
		if verr := s.spec.ValidateResponse(r.Context(), r, route, status, header, web.html); verr != nil {
			s.log.Error("response breaks the contract", "operation", route.OperationID, "status", status, "error", verr)
			status, body := errorResponse(route.Service, fmt.Errorf("response of %s (%d) breaks the contract: %v", route.OperationID, status, verr), requestID, r.URL.Path)
			writeJSON(w, status, body)
			return
		}
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	if web.cookie != nil {
		http.SetCookie(w, web.cookie)
	}
	w.WriteHeader(status)
	_, _ = w.Write(web.html)
}

// faultFor finds the fault a request asks for (the one-shot header) or a rule applies to it.
func (s *Server) faultFor(r *http.Request) (*Fault, error) {
	if v := r.Header.Get(FaultHeader); v != "" {
		f, err := headerFault(v)
		if err != nil {
			return nil, apierr.New(apierr.BadRequest, "BAD_REQUEST", "%s: %v", FaultHeader, err)
		}
		return f, nil
	}
	if s.faults.empty() {
		return nil, nil
	}
	op := ""
	if route, err := s.spec.FindRoute(r); err == nil {
		op = route.OperationID
	}
	return s.faults.take(r, op), nil
}

// serveInWorld serves one request of an emulated service holding the world lock.
func (s *Server) serveInWorld(r *http.Request, requestID string) (*openapi.Route, int, any) {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.serveAPI(r, requestID)
}

// serveAPI routes, authenticates, validates and handles one request of an emulated service.
func (s *Server) serveAPI(r *http.Request, requestID string) (*openapi.Route, int, any) {
	fail := func(svc openapi.Service, err error) (*openapi.Route, int, any) {
		status, body := errorResponse(svc, err, requestID, r.URL.Path)
		return nil, status, body
	}
	route, err := s.spec.FindRoute(r)
	switch {
	case errors.Is(err, openapi.ErrMethodNotAllowed):
		return fail(serviceOf(r.URL.Path), apierr.New(apierr.BadRequest, "METHOD_NOT_ALLOWED", "%s is not allowed on %s", r.Method, r.URL.Path))
	case err != nil:
		if op, ok := s.spec.Unimplemented(r.Method, r.URL.Path); ok {
			return fail(op.Service, apierr.New(apierr.NotImplemented, "NOT_IMPLEMENTED",
				"%s (%s %s) is not implemented by this mock yet", op.Summary, op.Method, op.Path))
		}
		return fail(serviceOf(r.URL.Path), apierr.New(apierr.NotFound, "NOT_FOUND", "No operation at %s %s", r.Method, r.URL.Path))
	}
	op, ok := s.ops[route.OperationID]
	if !ok {
		return fail(route.Service, apierr.New(apierr.NotImplemented, "NOT_IMPLEMENTED", "%s is not implemented by this mock yet", route.OperationID))
	}
	respond := func(status int, body any, err error) (*openapi.Route, int, any) {
		if err != nil {
			status, body = errorResponse(route.Service, err, requestID, r.URL.Path)
			status = documentedStatus(route, status)
		}
		return route, status, body
	}
	if route.Service == openapi.Flows {
		dropEmptyValues(r.URL)
	}
	c := &call{r: r, route: route, requestID: requestID}
	if err := s.authenticate(c, op); err != nil {
		return respond(0, nil, err)
	}
	body, cut, err := readBody(r.Body, s.opts.MaxBodyBytes)
	if err != nil {
		return respond(0, nil, apierr.New(apierr.BadRequest, "BAD_REQUEST", "The request body could not be read"))
	}
	if cut {
		return respond(0, nil, apierr.New(apierr.TooLarge, "REQUEST_TOO_LARGE", "The request body is larger than %d bytes", s.opts.MaxBodyBytes))
	}
	if route.TakesBody() && !utf8.Valid(body) {
		// Go's JSON decoder would quietly replace the bytes; the services refuse them.
		return respond(0, nil, apierr.New(apierr.BadRequest, "BAD_REQUEST", "The request body is not valid UTF-8"))
	}
	c.body = body
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(bytes.TrimSpace(body)) == 0 {
		// The SDKs send body-less POSTs (cancel, release, resume) without a Content-Type.
		r.Body, r.ContentLength = http.NoBody, 0
	}
	if err := s.spec.ValidateRequest(r.Context(), r, route); err != nil {
		return respond(0, nil, requestProblem(err))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return respond(op.fn(c))
}

// dropEmptyValues removes the empty values of a query string (?filter_roles=&per_page=). The
// Flows service, a pydantic application, takes an empty value as not given, and the official
// clients send one for an empty list (globus flows run list sends filter_flow_id=&filter_roles=).
// A query that cannot be parsed is left for request validation to refuse.
func dropEmptyValues(u *url.URL) {
	if u.RawQuery == "" {
		return
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return
	}
	changed := false
	for name, values := range q {
		if !slices.Contains(values, "") {
			continue
		}
		changed = true
		if kept := slices.DeleteFunc(values, func(v string) bool { return v == "" }); len(kept) > 0 {
			q[name] = kept
		} else {
			delete(q, name)
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
}

func readBody(rd io.Reader, limit int64) ([]byte, bool, error) {
	if rd == nil {
		return nil, false, nil
	}
	b, err := io.ReadAll(io.LimitReader(rd, limit+1))
	return b, int64(len(b)) > limit, err
}

// authenticate resolves the caller of an operation and checks its scopes.
func (s *Server) authenticate(c *call, op operation) error {
	if op.auth == clientAuth || op.auth == browserAuth || op.auth == publicAuth {
		return nil // the token endpoint checks the client itself; login pages need nobody
	}
	if op.auth == basicAuth {
		// Auth answers introspection to a registered client only: a bearer token, whoever holds
		// it, is not a client and would read another user's session.
		id, secret, ok := c.r.BasicAuth()
		if !ok {
			return apierr.New(apierr.Unauthenticated, "invalid_client", "Client authentication with HTTP Basic (client id and secret) is required")
		}
		if !s.dir.CheckClient(id, secret) {
			return apierr.New(apierr.Unauthenticated, "invalid_client", "Unknown client or wrong secret")
		}
		return nil
	}
	token, ok := bearer(c.r)
	if !ok {
		return auth.ErrUnauthenticated()
	}
	caller, err := s.dir.Resolve(token)
	if err != nil {
		return err
	}
	c.caller = caller
	if len(op.scopes) == 0 {
		return nil
	}
	for _, sc := range op.scopes {
		if caller.Token.HasScope(sc) {
			return nil
		}
	}
	return apierr.New(apierr.MissingScope, "MISSING_SCOPE", "This action requires the following scope: %s", op.scopes[0])
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

var missingProperty = regexp.MustCompile(`property "([^"]+)" is missing`)

// requestProblem turns kin-openapi's validation errors into the domain's error: unparsable bodies
// and bad query parameters are 400, body content that breaks the schema is 422 with one entry per
// problem and its location, as pydantic-based Globus services report them.
func requestProblem(err error) error {
	var fields []apierr.FieldError
	var malformed string
	badQuery := false
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				walk(inner)
			}
		case *openapi3filter.RequestError:
			var parseErr *openapi3filter.ParseError
			switch {
			case e.Parameter != nil:
				badQuery = true
				msg := e.Reason
				if e.Err != nil {
					// kin-openapi repeats some reasons (an empty value) as the inner error.
					if inner := innerReason(e.Err); !strings.Contains(msg, inner) {
						msg = strings.TrimSpace(msg + " " + inner)
					}
				}
				fields = append(fields, apierr.FieldError{Loc: []any{e.Parameter.In, e.Parameter.Name}, Msg: msg, Type: "value_error"})
			case errors.As(e.Err, &parseErr):
				malformed = "The request body could not be parsed as JSON: " + parseErr.Error()
			case e.Err != nil:
				walk(e.Err)
			default:
				fields = append(fields, apierr.FieldError{Loc: []any{"body"}, Msg: "field required", Type: "value_error.missing"})
			}
		case *openapi3.SchemaError:
			fields = append(fields, schemaField(e))
		default:
			var schemaErr *openapi3.SchemaError
			if errors.As(err, &schemaErr) {
				fields = append(fields, schemaField(schemaErr))
				return
			}
			fields = append(fields, apierr.FieldError{Loc: []any{}, Msg: err.Error(), Type: "value_error"})
		}
	}
	walk(err)
	switch {
	case malformed != "":
		return apierr.New(apierr.BadRequest, "BAD_REQUEST", "%s", malformed)
	case badQuery:
		e := apierr.WithFields(apierr.BadRequest, "BAD_REQUEST", fields)
		e.Message = strings.Replace(e.Message, "in body", "in query", 1)
		return e
	}
	return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", fields)
}

func innerReason(err error) string {
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		return schemaErr.Reason
	}
	return err.Error()
}

// schemaField locates and phrases one schema violation.
func schemaField(e *openapi3.SchemaError) apierr.FieldError {
	loc := []any{}
	for _, p := range e.JSONPointer() {
		if n, err := strconv.Atoi(p); err == nil {
			loc = append(loc, n)
		} else {
			loc = append(loc, p)
		}
	}
	f := apierr.FieldError{Loc: loc, Msg: e.Reason, Type: "value_error"}
	sch := e.Schema
	switch e.SchemaField {
	case "required":
		if m := missingProperty.FindStringSubmatch(e.Reason); m != nil && (len(f.Loc) == 0 || f.Loc[len(f.Loc)-1] != m[1]) {
			f.Loc = append(f.Loc, m[1])
		}
		f.Msg, f.Type = "field required", "value_error.missing"
	case "maxLength":
		if sch != nil && sch.MaxLength != nil {
			f.Msg = fmt.Sprintf("ensure this value has at most %d characters", *sch.MaxLength)
			f.Ctx = map[string]any{"limit_value": *sch.MaxLength}
		}
		f.Type = "value_error.any_str.max_length"
	case "minLength":
		if sch != nil {
			f.Msg = fmt.Sprintf("ensure this value has at least %d characters", sch.MinLength)
			f.Ctx = map[string]any{"limit_value": sch.MinLength}
		}
		f.Type = "value_error.any_str.min_length"
	case "maxItems":
		if sch != nil && sch.MaxItems != nil {
			f.Msg = fmt.Sprintf("ensure this value has at most %d items", *sch.MaxItems)
		}
		f.Type = "value_error.list.max_items"
	case "type":
		if sch != nil && sch.Type != nil && len(sch.Type.Slice()) > 0 {
			want := sch.Type.Slice()[0]
			f.Msg, f.Type = pydanticType[want]+" type expected", "type_error."+pydanticType[want]
			if want == "object" {
				f.Msg = "value is not a valid dict"
			}
		}
	case "enum":
		f.Type = "type_error.enum"
	}
	return f
}

var pydanticType = map[string]string{
	"string": "str", "integer": "int", "number": "float", "boolean": "bool", "array": "list", "object": "dict",
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// LogLevel parses a log level name (debug, info, warn, error).
func LogLevel(name string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(name))
	return l, err
}
