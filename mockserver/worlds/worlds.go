// Package worlds serves many isolated worlds from one listener, so that parallel test jobs
// (pytest-xdist, Jest workers, CI matrices) share one mock process. Each world is a
// *mockserver.Server of its own (state, clock, faults, journal, rate limit, reset); the
// multiplexer in front of them picks one per request:
//
//   - /_mock/worlds/{id}/... is the control plane of world id (/_mock/... of that world);
//   - a bearer token, a client secret (HTTP Basic or form) or a token, refresh token or code
//     in an OAuth form carries its world's prefix ("<id>-"), given to the world's server as
//     mockserver.Options.TokenPrefix; a confidential client registered with a secret of its own
//     choosing is found by its id and secret;
//   - anything else (plain /_mock/..., the default world's tokens, browser logins, unknown
//     tokens) goes to the default world.
package worlds

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/world"
)

// DefaultID names the default world in /_mock/worlds/{id}/... addresses.
const DefaultID = "default"

// MaxWorlds bounds the worlds besides the default one: each holds a whole mock.
const MaxWorlds = 1000

// Mux is the multiplexer: an http.Handler over the default world and the worlds created since.
// Safe for concurrent use.
type Mux struct {
	opts mockserver.Options // every world's options, but its World and TokenPrefix
	def  *mockserver.Server
	root http.Handler // the /_mock/worlds routes
	max  int          // MaxWorlds; smaller in tests

	mu     sync.RWMutex
	worlds map[string]*World
	order  []string // ids in creation order
}

// World is one world: its server and what its clients need to reach it.
type World struct {
	ID      string            `json:"id"`
	Tokens  map[string]string `json:"tokens"`
	Clients []Client          `json:"clients"`
	Control string            `json:"control"`
	server  *mockserver.Server
}

// Client is a confidential client of a world, with its secret.
type Client struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// Server is the world's mock.
func (w *World) Server() *mockserver.Server { return w.server }

// New builds a multiplexer whose default world is mockserver.New(opts); new worlds get the
// same options with their own seed and token prefix.
func New(opts mockserver.Options) (*Mux, error) {
	def, err := mockserver.New(opts)
	if err != nil {
		return nil, err
	}
	m := &Mux{opts: opts, def: def, max: MaxWorlds, worlds: map[string]*World{}}
	routes := http.NewServeMux()
	routes.Handle("POST /_mock/worlds", def.ControlRoute(m.create))
	routes.Handle("GET /_mock/worlds", def.ControlRoute(func(*http.Request) (int, any, error) {
		return http.StatusOK, map[string]any{"worlds": m.List()}, nil
	}))
	routes.Handle("GET /_mock/worlds/{id}", def.ControlRoute(func(r *http.Request) (int, any, error) {
		w, err := m.find(r.PathValue("id"))
		return http.StatusOK, w, err
	}))
	routes.Handle("DELETE /_mock/worlds/{id}", def.ControlRoute(func(r *http.Request) (int, any, error) {
		w, err := m.find(r.PathValue("id"))
		if err == nil {
			err = m.Delete(w.ID)
		}
		return http.StatusOK, map[string]any{"deleted": r.PathValue("id")}, err
	}))
	routes.Handle("/_mock/worlds/", def.ControlRoute(noOperation))
	routes.Handle("/_mock/worlds", def.ControlRoute(noOperation))
	m.root = routes
	return m, nil
}

// Default is the default world's server.
func (m *Mux) Default() *mockserver.Server { return m.def }

// Create makes a world from a seed (nil: the seed the multiplexer was made with, the embedded
// default world unless Options.World says otherwise). A seed the mock would not serve is
// refused as the control plane refuses it (422 naming each problem).
func (m *Mux) Create(seed *world.World) (*World, error) {
	opts := m.opts
	if seed != nil {
		opts.World = seed
	}
	m.mu.Lock()
	if len(m.worlds) >= m.max {
		m.mu.Unlock()
		return nil, apierr.New(apierr.Conflict, "LIMIT_EXCEEDED", "at most %d worlds at once: delete one first", m.max)
	}
	id := "w" + ids.Token(6)
	for m.worlds[id] != nil {
		id = "w" + ids.Token(6)
	}
	m.worlds[id] = &World{ID: id} // reserved while its server is built
	m.mu.Unlock()

	opts.TokenPrefix = id + "-"
	srv, err := mockserver.New(opts)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		delete(m.worlds, id)
		return nil, mockserver.WorldRefusal(err)
	}
	w := describe(id, srv)
	m.worlds[id] = w
	m.order = append(m.order, id)
	return w, nil
}

// describe lists a new world's persona tokens (by the user part of their identity's username)
// and confidential clients.
func describe(id string, srv *mockserver.Server) *World {
	dump := srv.Dump()
	w := &World{ID: id, Tokens: map[string]string{}, Clients: []Client{}, Control: "/_mock/worlds/" + id, server: srv}
	persona := map[string]string{}
	for _, i := range dump.Identities {
		persona[i.ID], _, _ = strings.Cut(i.Username, "@")
	}
	for _, t := range dump.Tokens {
		name := persona[t.IdentityID]
		if _, seen := w.Tokens[name]; name != "" && !seen && !t.Dependent {
			w.Tokens[name] = t.Token
		}
	}
	for _, c := range dump.Clients {
		if !c.Native && c.Secret != "" {
			w.Clients = append(w.Clients, Client{ID: c.ID, Secret: c.Secret})
		}
	}
	return w
}

// List describes the worlds in creation order (the default world is not listed).
func (m *Mux) List() []*World {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]*World, 0, len(m.order))
	for _, id := range m.order {
		out = append(out, m.worlds[id])
	}
	return out
}

// Delete frees a world: its tokens route to the default world from now on, where they are
// unknown.
func (m *Mux) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w := m.worlds[id]; w == nil || w.server == nil {
		return notFound(id)
	}
	delete(m.worlds, id)
	m.order = slices.DeleteFunc(m.order, func(o string) bool { return o == id })
	return nil
}

// find is a created world by id; the default world is not one.
func (m *Mux) find(id string) (*World, error) {
	if id == DefaultID {
		return nil, apierr.New(apierr.Conflict, "CONFLICT", "the default world is always there: reset it with POST /_mock/reset")
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if w := m.worlds[id]; w != nil && w.server != nil {
		return w, nil
	}
	return nil, notFound(id)
}

func noOperation(r *http.Request) (int, any, error) {
	return 0, nil, apierr.New(apierr.NotFound, "NOT_FOUND", "No control-plane operation at %s %s", r.Method, r.URL.Path)
}

func notFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "no world %s", id)
}

// create is POST /_mock/worlds: a world of the document sent, or of the default seed.
func (m *Mux) create(r *http.Request) (int, any, error) {
	seed, err := mockserver.DecodeWorld(r)
	if err != nil {
		return 0, nil, err
	}
	w, err := m.Create(seed)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, w, nil
}

// ServeHTTP routes a request to its world.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == "/_mock/worlds" {
		m.root.ServeHTTP(w, r)
		return
	}
	if rest, ok := strings.CutPrefix(p, "/_mock/worlds/"); ok {
		id, sub, more := strings.Cut(rest, "/")
		if !more {
			m.root.ServeHTTP(w, r)
			return
		}
		srv := m.def
		if id != DefaultID {
			world, err := m.find(id)
			if err != nil {
				m.def.ControlRoute(func(*http.Request) (int, any, error) { return 0, nil, err }).ServeHTTP(w, r)
				return
			}
			srv = world.server
		}
		srv.ServeHTTP(w, withPath(r, "/_mock/"+sub))
		return
	}
	m.route(r).ServeHTTP(w, r)
}

// withPath is the request addressed to another path of the same server.
func withPath(r *http.Request, path string) *http.Request {
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.Path, u.RawPath = path, ""
	r2.URL = &u
	return r2
}

// route picks the world a request of the emulated services belongs to.
func (m *Mux) route(r *http.Request) *mockserver.Server {
	if m.count() == 0 {
		return m.def
	}
	if scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		if w := m.byPrefix(strings.TrimSpace(tok)); w != nil {
			return w
		}
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		if w := m.byPrefix(secret); w != nil {
			return w
		}
	}
	form := oauthForm(r)
	for _, key := range []string{"client_secret", "token", "refresh_token", "code"} {
		if w := m.byPrefix(form.Get(key)); w != nil {
			return w
		}
	}
	if !basic {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	if id != "" && secret != "" && !m.def.CheckClient(id, secret) {
		if w := m.byClient(id, secret); w != nil {
			return w
		}
	}
	return m.def
}

func (m *Mux) count() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.worlds)
}

// byPrefix is the server of the world whose prefix a token or secret carries, or nil.
func (m *Mux) byPrefix(v string) *mockserver.Server {
	id, _, ok := strings.Cut(v, "-")
	if !ok || !strings.HasPrefix(id, "w") {
		return nil
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if w := m.worlds[id]; w != nil {
		return w.server
	}
	return nil
}

// byClient is the server of the first world (in creation order) holding a confidential client
// with this id and secret, or nil: a client registered with a secret of its own choosing.
func (m *Mux) byClient(id, secret string) *mockserver.Server {
	for _, w := range m.List() {
		if w.server.CheckClient(id, secret) {
			return w.server
		}
	}
	return nil
}

// maxForm bounds the OAuth form read to route a request; a larger body is left to the server.
const maxForm = 1 << 20

// oauthForm reads the form of an Auth request without consuming it: the server reads the body
// again.
func oauthForm(r *http.Request) url.Values {
	if !strings.HasPrefix(r.URL.Path, "/v2/oauth2/") || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxForm+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil || len(head) > maxForm {
		return nil
	}
	form, _ := url.ParseQuery(string(head)) // what parses routes; the server refuses the rest
	return form
}
