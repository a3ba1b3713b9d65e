// Package mockserver is the conformance kit's reference mock of Globus Flows, the Transfer
// endpoint ACL API and the slice of Globus Auth their clients need. One http.Handler serves every
// service at the origin root (the JS SDK drops any path prefix), routed by path:
//
//	/flows, /runs, ...      Flows
//	/v0.10/...              Transfer
//	/v2/oauth2/, /v2/api/   Auth
//	/v2/groups/             Groups
//	/_mock/                 the control plane (test hooks, never part of the emulated API)
//
// The control plane mints tokens and dumps every secret: it refuses cross-site requests and
// non-JSON bodies, and answers only IP literals, localhost and Options.AllowedHosts as its Host,
// or, with Options.ControlToken, requests of any Host that carry that token.
//
// Every request is matched and validated against the embedded OpenAPI contract (package openapi);
// with Options.ValidateResponses every response is checked too, so the mock cannot answer outside
// its contract. Operations the mock knows but does not serve answer 501 with a JSON body.
//
// Use it in Go tests with New and Handler (or httptest.NewServer), or standalone with cmd/mockserver.
package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/globus-conformance/kit/fixtures"
	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/jsonw"
	"github.com/globus-conformance/kit/mockserver/login"
	"github.com/globus-conformance/kit/mockserver/registered"
	"github.com/globus-conformance/kit/mockserver/runs"
	"github.com/globus-conformance/kit/mockserver/transfer"
	"github.com/globus-conformance/kit/mockserver/webinputs"
	"github.com/globus-conformance/kit/mockserver/world"
	"github.com/globus-conformance/kit/openapi"
)

// Options configure a Server.
type Options struct {
	// World is the seed; nil loads the default world of fixtures/default-world.json. What it
	// leaves out is filled in once, and a world the mock could not serve is refused (see
	// world.World.Prepare).
	World *world.World
	// ValidateResponses checks every response against the contract and turns a violation into
	// a 500 naming it. Tests switch it on; it costs a little time per request.
	ValidateResponses bool
	// Logger receives the access log; nil discards it.
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (default 10 MiB); larger bodies get 413.
	MaxBodyBytes int64
	// RateLimit, when set, limits each token's requests (429 with Retry-After beyond it).
	RateLimit *RateLimit
	// ControlToken, when set, guards the control plane: every /_mock/ request must carry it as
	// "Authorization: Bearer <token>" or in ControlTokenHeader, and then any Host is accepted.
	// Set it whenever the mock can be reached from other machines: the control plane mints
	// tokens and dumps every secret.
	ControlToken string
	// AllowedHosts are host names, besides IP literals and localhost, that the control plane
	// answers under when no ControlToken is set (the guard against DNS rebinding).
	AllowedHosts []string
	// TokenPrefix starts every token, refresh token, authorization code and client secret the
	// server holds: its seed's and loaded worlds' (given without it), and every one it makes. A
	// server of many worlds (package worlds) routes a request by it.
	TokenPrefix string
}

// Server is one mock: its state and its handler. Safe for concurrent use.
type Server struct {
	opts  Options
	spec  *openapi.Spec
	seed  world.World
	log   *slog.Logger
	clock *clock.Clock

	// state guards whole-world operations: requests hold it shared, reset and load exclusively,
	// so a request never sees half a world.
	state       sync.RWMutex
	dir         *auth.Directory
	flows       *flows.Store
	runs        *runs.Store
	collections *transfer.Collections
	actions     *actions.Registry
	registered  *registered.Store
	limiter     *limiter
	external    *actions.External
	webinputs   *webinputs.Store
	actionMocks *actions.Mocks
	outbox      *actions.Outbox
	logins      *login.Store
	keys        login.Keys

	control http.Handler
	guard   controlGuard
	ops     map[string]operation
	faults  faults
	journal journal
}

// DefaultWorld parses the embedded default world.
func DefaultWorld() (world.World, error) { return world.Parse(fixtures.DefaultWorld) }

// New builds a server loaded with its seed world.
func New(opts Options) (*Server, error) {
	spec, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 10 << 20
	}
	s := &Server{opts: opts, spec: spec, log: opts.Logger, clock: clock.New()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	seed := world.World{}
	if opts.World != nil {
		seed = *opts.World
	} else if seed, err = DefaultWorld(); err != nil {
		return nil, err
	}
	// The seed is prepared once, so that every reset gives the same world, timestamps included.
	if s.seed, err = seed.Prepare(time.Now()); err != nil {
		return nil, fmt.Errorf("seed world: %w", err)
	}
	s.seed = s.seed.WithTokenPrefix(opts.TokenPrefix)
	if opts.RateLimit != nil {
		if err := opts.RateLimit.check(); err != nil {
			return nil, err
		}
	}
	if s.guard, err = newControlGuard(opts.ControlToken, opts.AllowedHosts); err != nil {
		return nil, err
	}
	s.limiter = newLimiter(opts.RateLimit)
	s.dir = auth.NewDirectory(s.clock)
	s.dir.SetTokenPrefix(opts.TokenPrefix)
	s.flows = flows.NewStore(s.clock, s.dir)
	s.registered = registered.NewStore(s.clock, s.dir)
	s.webinputs = webinputs.NewStore(s.flows)
	s.outbox = &actions.Outbox{}
	s.actionMocks = &actions.Mocks{}
	s.external = actions.NewExternal()
	s.actions = actions.NewRegistry(s.builtinProviders(), s.actionMocks, s.external)
	s.actions.CallRegisteredAPIs(s.callRegisteredAPI)
	s.actions.MintTokens(s.providerToken)
	s.runs = runs.NewStore(s.clock, flowsForRuns{s.flows}, s.actions)
	s.runs.SetWebInputs(s.webinputs)
	s.runs.SetConsents(s.dir.HasConsent)
	s.runs.SetTokens(s.dir)
	s.runs.SetNotifier(func(to, subject, body, runID string) { s.outbox.Send(to, subject, body, runID, s.clock.Now()) })
	s.collections = transfer.NewCollections(s.dir, s.clock.Now)
	s.logins = login.NewStore(s.clock, s.resolveLogin)
	s.logins.SetCodePrefix(opts.TokenPrefix)
	if err := s.restore(s.seed); err != nil {
		return nil, fmt.Errorf("seed world: %w", err)
	}
	s.control = s.controlPlane()
	s.ops = s.operations()
	return s, nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s }

// Clock is the mock clock, for tests that move time.
func (s *Server) Clock() *clock.Clock { return s.clock }

// Reset puts the server back to its seed world.
func (s *Server) Reset() error { return s.restore(s.seed) }

// Dump returns the whole state; Load(Dump()) followed by Dump() gives the same document.
func (s *Server) Dump() world.World {
	s.state.RLock()
	defer s.state.RUnlock()
	return world.World{
		Description: s.seed.Description,
		Clock:       s.clock.State(),
		State:       s.dir.Snapshot(),
		Collections: s.collections.Snapshot(),
		Flows:       s.flows.Snapshot(),
		Runs:        s.runs.Snapshot(),
		ActionMocks: s.actionMocks.Rules(),
		Registered:  s.registered.Snapshot(),
		WebInputs:   s.webinputs.Snapshot(),
	}
}

// Load replaces the whole state with a world; an invalid world is refused and changes nothing.
// The fault rules go with the old world; the request journal stays, as a record of what clients
// sent (DELETE /_mock/requests empties it).
// What a hand-written world leaves out is filled in first (world.Prepare); a world that would
// make the mock answer outside its contract is refused with world.Problems naming each field.
func (s *Server) Load(w world.World) error {
	w, err := w.Prepare(time.Now())
	if err != nil {
		return err
	}
	return s.restore(w.WithTokenPrefix(s.opts.TokenPrefix))
}

// restore replaces the whole state with a prepared world.
func (s *Server) restore(w world.World) error {
	s.state.Lock()
	defer s.state.Unlock()
	if err := s.flows.Restore(w.Flows); err != nil {
		return err
	}
	s.faults.clear()
	s.registered.Restore(w.Registered)
	s.webinputs.Restore(w.WebInputs)
	s.actions.Reset()
	s.actionMocks.Clear()
	for _, m := range w.ActionMocks {
		if _, err := s.actionMocks.Add(m); err != nil {
			return err
		}
	}
	s.outbox.Clear()
	s.logins.Reset()
	if err := s.runs.Restore(w.Runs); err != nil {
		return err
	}
	s.clock.Restore(w.Clock)
	s.dir.Restore(w.State)
	return s.collections.Restore(w.Collections)
}

// InjectFault makes the next requests of an operation fail (control plane).
func (s *Server) InjectFault(f Fault) (Fault, error) {
	return s.faults.add(f, func(op string) bool { _, ok := s.ops[op]; return ok })
}

// Faults lists the fault rules in the order they apply, each with the times it has left.
func (s *Server) Faults() []Fault { return s.faults.rules() }

// RemoveFault deletes one fault rule by id; it reports whether there was one.
func (s *Server) RemoveFault(id string) bool { return s.faults.remove(id) }

// Settle waits until every run has gone as far as it can without the clock moving: after it,
// a run started or woken before is SUCCEEDED, FAILED, or waiting on the clock.
func (s *Server) Settle() { s.runs.Settle() }

// builtinProviders are the action providers served in process.
func (s *Server) builtinProviders() map[string]actions.Provider {
	b := actions.Builtins(s.outbox)
	actions.Provide(b, actions.WaitForOptionURL, s.selectionProvider(b[actions.WaitForOptionURL]))
	s.transferProviders(b)
	return b
}

// flowsForRuns is what the run store needs of the flow store.
type flowsForRuns struct{ *flows.Store }

func (f flowsForRuns) Embed(id string) (runs.FlowEmbed, bool) {
	fl, ok := f.Described(id)
	if !ok {
		return runs.FlowEmbed{}, false
	}
	e := runs.FlowEmbed{ID: fl.ID, FlowOwner: fl.Owner, CreatedBy: fl.CreatedBy, GlobusAuthScope: auth.FlowScope(fl.ID), CreatedAt: runs.Timestamp(fl.CreatedAt), UpdatedAt: runs.Timestamp(fl.UpdatedAt),
		Title: fl.Title, Subtitle: fl.Subtitle, Description: fl.Description, Keywords: fl.Keywords}
	if fl.DeletedAt != nil {
		d := runs.Timestamp(*fl.DeletedAt)
		e.DeletedAt = &d
	}
	return e, true
}

// AddIdentity creates an identity (control plane).
func (s *Server) AddIdentity(i auth.Identity) (auth.Identity, error) { return s.dir.AddIdentity(i) }

// AddGroup creates a group (control plane).
func (s *Server) AddGroup(g auth.Group) (auth.Group, error) { return s.dir.AddGroup(g) }

// AddSubscription creates a subscription (control plane).
func (s *Server) AddSubscription(sub auth.Subscription) (auth.Subscription, error) {
	return s.dir.AddSubscription(sub)
}

// AddCollection creates a collection (control plane); its owner must be a known identity.
func (s *Server) AddCollection(c transfer.Collection) (transfer.Collection, error) {
	if len(s.dir.Identities([]string{c.OwnerID}, nil)) == 0 {
		return transfer.Collection{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "owner_id %q is not a known identity", c.OwnerID)
	}
	return s.collections.Add(c)
}

// IssueToken makes a token for an identity (control plane).
func (s *Server) IssueToken(t auth.Token) (auth.Token, error) { return s.dir.IssueToken(t) }

// SetTokenLifetime makes the tokens the token endpoint issues from now on live seconds
// (control plane); a reset restores the world's lifetime.
func (s *Server) SetTokenLifetime(seconds int) error { return s.dir.SetTokenLifetime(seconds) }

// AddClient registers an OAuth client (control plane): an application or a provider's client.
func (s *Server) AddClient(c auth.Client) (auth.Client, error) { return s.dir.AddClient(c) }

// GrantConsents records the consents a login of an identity to a client for a scope string
// would grant (control plane), and answers them as the consents API shows them.
func (s *Server) GrantConsents(g auth.Grant) (map[string]any, error) {
	list, err := s.dir.GrantConsents(g)
	return consentsDoc(list), err
}

// CheckClient reports whether the server holds a confidential client with this id and secret.
func (s *Server) CheckClient(id, secret string) bool { return s.dir.CheckClient(id, secret) }

// Token describes a stored token, active or not (control plane).
func (s *Server) Token(token string) (auth.Token, bool) { return s.dir.LookupToken(token) }

// Authenticate records a fresh authentication in a token's session (control plane).
func (s *Server) Authenticate(token, identityID string, mfa bool) (auth.Token, error) {
	return s.dir.Authenticate(token, identityID, mfa)
}

// ListenAndServe serves on addr until ctx is done, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(addr string)) error {
	return Serve(ctx, addr, s, ready)
}

// Serve serves h on addr until ctx is done, then shuts down gracefully; ready, if set, hears
// the address bound.
func Serve(ctx context.Context, addr string, h http.Handler, ready func(addr string)) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdownCtx)
	}
}

// writeJSON writes a JSON document with a status.
func writeJSON(w http.ResponseWriter, status int, body any) {
	buf := answerBuffer()
	defer buf.release()
	b, err := buf.encode(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"UNKNOWN_ERROR","detail":"response encoding failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// buffer holds an answer's bytes until they are written; buffers are reused between answers, so
// an answer's bytes grow once and are not copied.
type buffer struct{ b []byte }

var buffers = sync.Pool{New: func() any { return new(buffer) }}

func answerBuffer() *buffer { return buffers.Get().(*buffer) }

// release returns the buffer for another answer; its bytes must not be used after.
func (b *buffer) release() {
	if cap(b.b) <= 1<<20 { // keep the pool from holding on to huge answers
		b.b = b.b[:0]
		buffers.Put(b)
	}
}

// encode writes v as JSON without HTML escaping, as the real services do (messages contain <, >),
// replacing what the buffer held. Documents that write their own JSON (jsonw.Appender: flows, runs,
// pages of them) and maps of them skip reflection.
func (b *buffer) encode(v any) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case json.RawMessage: // written as it is (a dump, indented)
		b.b = append(b.b[:0], v...)
		return b.b, nil
	case jsonw.Appender, map[string]any:
		b.b, err = jsonw.Value(b.b[:0], v)
		return b.b, err
	}
	w := bytes.NewBuffer(b.b[:0])
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = enc.Encode(v)
	b.b = w.Bytes()
	return bytes.TrimRight(b.b, "\n"), err
}
