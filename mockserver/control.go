package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/console"
	"github.com/globus-conformance/kit/mockserver/exactjson"
	"github.com/globus-conformance/kit/mockserver/transfer"
	"github.com/globus-conformance/kit/mockserver/world"
)

// The control plane (DESIGN §6): test hooks under /_mock/, the same as the Go methods of Server.
// It is never part of an emulated API, needs no persona token, speaks the Flows error format, and
// answers only what its guard lets through (controlguard.go).
func (s *Server) controlPlane() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, fn func(r *http.Request) (int, any, error)) {
		mux.Handle(pattern, controlFunc(fn))
	}
	handle("POST /_mock/reset", func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"reset": true}, s.Reset()
	})
	handle("GET /_mock/state", func(*http.Request) (int, any, error) {
		dump, err := world.Encode(s.Dump())
		return http.StatusOK, json.RawMessage(dump), err
	})
	handle("PUT /_mock/state", func(r *http.Request) (int, any, error) {
		w, err := DecodeWorld(r)
		if err != nil {
			return 0, nil, err
		}
		if w == nil { // a load needs a world: refused as a body that is not one
			_, err := world.Parse(nil)
			return 0, nil, decodeError(err)
		}
		if err := s.Load(*w); err != nil {
			return 0, nil, WorldRefusal(err)
		}
		return http.StatusOK, map[string]any{"loaded": true}, nil
	})
	handle("POST /_mock/identities", created(s.AddIdentity))
	handle("POST /_mock/groups", created(s.AddGroup))
	handle("POST /_mock/subscriptions", created(s.AddSubscription))
	handle("POST /_mock/collections", created(s.AddCollection))
	handle("POST /_mock/tokens", func(r *http.Request) (int, any, error) {
		var in struct {
			auth.Token
			ExpiresIn *float64 `json:"expires_in"`
		}
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		if in.ExpiresIn != nil {
			life, ok := clock.Seconds(*in.ExpiresIn, clock.MaxTokenLifetime)
			if !ok {
				return 0, nil, outOfRange("expires_in", clock.MaxTokenLifetime, "10 years")
			}
			in.IssuedAt = s.clock.Now()
			in.ExpiresAt = in.IssuedAt.Add(life)
		}
		out, err := s.IssueToken(in.Token)
		return http.StatusCreated, out, err
	})
	handle("GET /_mock/tokens/{token}", func(r *http.Request) (int, any, error) {
		t, ok := s.Token(r.PathValue("token"))
		if !ok {
			return 0, nil, apierr.New(apierr.NotFound, "NOT_FOUND", "no token %s", r.PathValue("token"))
		}
		return http.StatusOK, struct {
			auth.Token
			Audience []string `json:"audience"`
			Active   bool     `json:"active"`
		}{t, t.Audience(), s.clock.Now().Before(t.ExpiresAt)}, nil
	})
	// Logins: the decision for the next interactive login (or, with auto, for every login until
	// DELETE), standing for a person at the login page.
	handle("POST /_mock/logins", created(s.logins.Decide))
	handle("GET /_mock/logins", func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"logins": s.logins.Logins()}, nil
	})
	handle("DELETE /_mock/logins", func(*http.Request) (int, any, error) {
		s.logins.Clear()
		return http.StatusOK, map[string]any{"cleared": true}, nil
	})
	handle("POST /_mock/clients", created(s.AddClient))
	// The lifetime of the tokens the token endpoint issues from now on (a reset restores the
	// world's).
	lifetimeDoc := func() map[string]any { return map[string]any{"seconds": s.dir.TokenLifetimeSeconds()} }
	handle("GET /_mock/token-lifetime", func(*http.Request) (int, any, error) { return http.StatusOK, lifetimeDoc(), nil })
	handle("PUT /_mock/token-lifetime", func(r *http.Request) (int, any, error) {
		var in struct {
			Seconds int `json:"seconds"`
		}
		err := decodeControl(r, &in)
		if err == nil {
			err = s.SetTokenLifetime(in.Seconds)
		}
		return http.StatusOK, lifetimeDoc(), err
	})
	handle("POST /_mock/consents", created(s.GrantConsents))
	handle("POST /_mock/tokens/{token}/authentications", func(r *http.Request) (int, any, error) {
		var in struct {
			IdentityID string `json:"identity_id"`
			MFA        bool   `json:"mfa"`
		}
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		out, err := s.Authenticate(r.PathValue("token"), in.IdentityID, in.MFA)
		return http.StatusOK, out, err
	})
	clockDoc := func() map[string]any {
		st := s.clock.State()
		return map[string]any{"now": s.clock.Now().Format(time.RFC3339Nano), "frozen": st.Frozen}
	}
	handle("GET /_mock/clock", func(*http.Request) (int, any, error) { return http.StatusOK, clockDoc(), nil })
	handle("POST /_mock/clock/advance", func(r *http.Request) (int, any, error) {
		var in struct {
			Seconds float64 `json:"seconds"`
		}
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		d, ok := clock.Seconds(in.Seconds, clock.MaxAdvance)
		if !ok {
			return 0, nil, outOfRange("seconds", clock.MaxAdvance, "100 years: the clock only moves forward")
		}
		if !clock.InRange(s.clock.Now().Add(d)) {
			return 0, nil, apierr.Located([]any{"seconds"}, "the clock may not move past %s", clock.Latest.Format(time.RFC3339))
		}
		s.clock.Advance(d)
		s.Settle()
		return http.StatusOK, clockDoc(), nil
	})
	handle("POST /_mock/clock/freeze", func(r *http.Request) (int, any, error) {
		var in struct {
			Now time.Time `json:"now"`
		}
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		if !in.Now.IsZero() && !clock.InRange(in.Now) {
			return 0, nil, apierr.Located([]any{"now"}, "now must be between %s and %s",
				clock.Earliest.Format(time.RFC3339), clock.Latest.Format(time.RFC3339))
		}
		s.clock.Freeze(in.Now)
		s.Settle()
		return http.StatusOK, clockDoc(), nil
	})
	handle("POST /_mock/clock/follow", func(*http.Request) (int, any, error) {
		s.clock.Follow()
		s.Settle()
		return http.StatusOK, clockDoc(), nil
	})
	handle("POST /_mock/faults", created(s.InjectFault))
	handle("GET /_mock/faults", func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"faults": s.Faults()}, nil
	})
	handle("DELETE /_mock/faults/{id}", func(r *http.Request) (int, any, error) {
		if !s.RemoveFault(r.PathValue("id")) {
			return 0, nil, apierr.New(apierr.NotFound, "NOT_FOUND", "No fault %s", r.PathValue("id"))
		}
		return http.StatusOK, map[string]any{"deleted": r.PathValue("id")}, nil
	})
	handle("GET /_mock/rate-limit", func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"rate_limit": s.limiter.config()}, nil
	})
	handle("PUT /_mock/rate-limit", func(r *http.Request) (int, any, error) {
		var in RateLimit
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		if err := in.check(); err != nil {
			return 0, nil, err
		}
		s.limiter.set(&in)
		return http.StatusOK, map[string]any{"rate_limit": in}, nil
	})
	handle("DELETE /_mock/rate-limit", func(*http.Request) (int, any, error) {
		s.limiter.set(nil)
		return http.StatusOK, map[string]any{"rate_limit": nil}, nil
	})
	handle("DELETE /_mock/faults", func(*http.Request) (int, any, error) {
		s.faults.clear()
		return http.StatusOK, map[string]any{"cleared": true}, nil
	})
	handle("GET /_mock/requests", func(r *http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"requests": s.journal.list(r)}, nil
	})
	handle("DELETE /_mock/requests", func(*http.Request) (int, any, error) {
		s.journal.clear()
		return http.StatusOK, map[string]any{"cleared": true}, nil
	})
	handle("GET /_mock/outbox", func(*http.Request) (int, any, error) {
		// One list: ACL notify_email messages and the notification provider's mail.
		messages := []map[string]any{}
		for _, n := range s.collections.Outbox() {
			messages = append(messages, map[string]any{"to": n.To, "subject": "", "message": n.Message, "source": "transfer",
				"collection_id": n.CollectionID, "rule_id": n.RuleID, "time": n.Time})
		}
		for _, m := range s.outbox.Messages() {
			messages = append(messages, map[string]any{"to": m.To, "subject": m.Subject, "message": m.Body, "source": "notify",
				"run_id": m.RunID, "time": m.Time})
		}
		return http.StatusOK, map[string]any{"messages": messages}, nil
	})
	handle("POST /_mock/providers", created(s.dir.AddProvider))
	handle("GET /_mock/providers", func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"providers": s.dir.Providers()}, nil
	})
	handle("DELETE /_mock/providers/{client_id}", func(r *http.Request) (int, any, error) {
		p, err := s.dir.DeleteProvider(r.PathValue("client_id"))
		return http.StatusOK, p, err
	})
	handle("POST /_mock/action-mocks", created(s.actionMocks.Add))
	handle("GET /_mock/action-mocks", func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"rules": s.actionMocks.Rules()}, nil
	})
	handle("DELETE /_mock/action-mocks", func(*http.Request) (int, any, error) {
		s.actionMocks.Clear()
		return http.StatusOK, map[string]any{"cleared": true}, nil
	})
	handle("POST /_mock/collections/{id}/files", func(r *http.Request) (int, any, error) {
		var in struct {
			Files []transfer.File `json:"files"`
		}
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		out, err := s.collections.AddFiles(r.PathValue("id"), in.Files)
		return http.StatusCreated, map[string]any{"files": out}, err
	})
	handle("GET /_mock/collections", func(*http.Request) (int, any, error) {
		// What each collection is; its roles and rules are read through Transfer, its files below.
		out := []transfer.Collection{}
		for _, c := range s.collections.Snapshot() {
			c.Roles, c.Rules, c.Files = nil, nil, nil
			out = append(out, c)
		}
		return http.StatusOK, map[string]any{"collections": out}, nil
	})
	handle("GET /_mock/collections/{id}/files", func(r *http.Request) (int, any, error) {
		c, ok := s.collections.Get(r.PathValue("id"))
		if !ok {
			return 0, nil, apierr.New(apierr.NotFound, "NOT_FOUND", "No collection %s", r.PathValue("id"))
		}
		files := c.Files
		if files == nil {
			files = []transfer.File{}
		}
		return http.StatusOK, map[string]any{"files": files}, nil
	})
	handle("GET /_mock/collections/{id}/access", func(r *http.Request) (int, any, error) {
		q := r.URL.Query()
		w := transfer.Who{}
		if id := q.Get("identity_id"); id != "" {
			// Without identity_id the question is asked for an anonymous user.
			if w.IdentityIDs, w.GroupIDs = s.dir.Principal(id); w.IdentityIDs == nil {
				return 0, nil, apierr.New(apierr.NotFound, "NOT_FOUND", "No identity %s", id)
			}
		}
		read, write, err := s.collections.Access(r.PathValue("id"), w, q.Get("path"))
		return http.StatusOK, map[string]any{"read": read, "write": write}, err
	})
	handle("POST /_mock/actions/{id}/select", func(r *http.Request) (int, any, error) {
		var in struct {
			Option string `json:"option"`
		}
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		if err := s.actions.Select(r.PathValue("id"), in.Option, s.clock.Now()); err != nil {
			return 0, nil, err
		}
		s.webinputs.CloseAction(r.PathValue("id"), s.clock.Now())
		s.runs.WakeAction(r.PathValue("id"))
		s.Settle()
		return http.StatusOK, map[string]any{"selected": in.Option}, nil
	})
	handle("POST /_mock/settle", func(*http.Request) (int, any, error) {
		s.Settle()
		return http.StatusOK, map[string]any{"settled": true}, nil
	})
	mux.HandleFunc("GET /_mock/console/{file...}", serveConsole)
	mux.Handle("GET /_mock/console", http.RedirectHandler("/_mock/console/", http.StatusMovedPermanently))
	handle("/_mock/console/", func(r *http.Request) (int, any, error) {
		return 0, nil, apierr.New(apierr.MethodNotAllowed, "METHOD_NOT_ALLOWED", "The console's files answer GET only, not %s", r.Method)
	})
	handle("/_mock/", func(r *http.Request) (int, any, error) {
		return 0, nil, apierr.New(apierr.NotFound, "NOT_FOUND", "No control-plane operation at %s %s", r.Method, r.URL.Path)
	})
	return s.guarded(mux)
}

// guarded serves h behind the control plane's guard (controlguard.go).
func (s *Server) guarded(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		withoutCORS(w.Header())
		check := s.guard.check
		if isConsole(r.URL.Path) {
			check = s.guard.checkOrigin
		}
		if err := check(r); err != nil {
			status, body := errorResponse(control, err, "", r.URL.Path)
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="mock control plane"`)
			}
			writeJSON(w, status, body)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// controlFunc answers a control-plane operation: its document, or its error in the control
// plane's format.
func controlFunc(fn func(r *http.Request) (int, any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body, err := fn(r)
		if err != nil {
			status, body = errorResponse(control, err, "", r.URL.Path)
		}
		writeJSON(w, status, body)
	})
}

// ControlRoute serves fn as an operation of this server's control plane: behind its guard, its
// errors in the control plane's format. A server of many worlds adds its own routes with it.
func (s *Server) ControlRoute(fn func(r *http.Request) (int, any, error)) http.Handler {
	return s.guarded(controlFunc(fn))
}

// DecodeWorld reads a control-plane body as a world document; an empty body is nil. A body that
// is not one is refused as the control plane refuses bodies.
func DecodeWorld(r *http.Request) (*world.World, error) {
	body, err := controlBody(r)
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return nil, err
	}
	w, err := world.Parse(body)
	if err != nil {
		return nil, decodeError(err)
	}
	return &w, nil
}

// WorldRefusal is the control plane's refusal of a world that New or Load would not serve: 422
// with one {loc, msg} per problem.
func WorldRefusal(err error) error {
	var problems world.Problems
	if errors.As(err, &problems) {
		return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", problems)
	}
	return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "%v", err)
}

func controlBody(r *http.Request) ([]byte, error) {
	body, cut, err := readBody(r.Body, 64<<20)
	if err != nil || cut {
		return nil, apierr.New(apierr.BadRequest, "BAD_REQUEST", "the body could not be read (at most 64 MiB)")
	}
	return body, nil
}

// decodeControl decodes a control-plane body strictly (unknown keys, and keys that match a field
// only by case, are refused); an empty body decodes as {}.
func decodeControl(r *http.Request, v any) error {
	body, err := controlBody(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := (exactjson.Options{DisallowUnknownFields: true}).Decode(body, v); err != nil {
		return decodeError(err)
	}
	return nil
}

// decodeError answers a control-plane body that did not decode: a value of the wrong type, or a
// number too large for its field, is 422 located at the field; anything else is 400.
func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return apierr.Located(fieldPath(typeErr.Field), "expected %s, got %s", typeErr.Type, typeErr.Value)
	}
	return apierr.New(apierr.BadRequest, "BAD_REQUEST", "invalid body: %v", err)
}

// fieldPath turns encoding/json's dotted field path into a location.
func fieldPath(dotted string) []any {
	var loc []any
	for _, part := range strings.Split(dotted, ".") {
		loc = append(loc, part)
	}
	return loc
}

// outOfRange is the refusal of a number of seconds outside [0, limit], located at its field.
func outOfRange(field string, limit time.Duration, why string) error {
	return apierr.Located([]any{field}, "%s must be between 0 and %d seconds (%s)", field, int64(limit/time.Second), why)
}

// created is a control-plane route that decodes a body into what add takes and answers 201 with
// what it makes.
func created[In, Out any](add func(In) (Out, error)) func(*http.Request) (int, any, error) {
	return func(r *http.Request) (int, any, error) {
		var in In
		if err := decodeControl(r, &in); err != nil {
			return 0, nil, err
		}
		out, err := add(in)
		return http.StatusCreated, out, err
	}
}

// isConsole reports whether a control-plane path is one of the console's files.
func isConsole(p string) bool {
	return p == "/_mock/console" || strings.HasPrefix(p, "/_mock/console/")
}

// serveConsole answers one of the console's embedded files.
func serveConsole(w http.ResponseWriter, r *http.Request) {
	body, contentType, ok := console.File(r.PathValue("file"))
	if !ok {
		status, doc := errorResponse(control, apierr.New(apierr.NotFound, "NOT_FOUND", "No console file at %s", r.URL.Path), "", r.URL.Path)
		writeJSON(w, status, doc)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Security-Policy", console.Policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(body)
}
