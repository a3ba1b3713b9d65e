// Package actionprovider is an example Globus Action Provider: the whole Action Provider API
// (introspection, run, status, cancel, release, log, resume, on the classic routes and the
// /actions family) over net/http, with the token handling a provider owes its users. Given a
// collection and a path it grants a principal access there with a Transfer ACL rule, made with
// a dependent Transfer token for the user who started the action.
//
// Inputs (the run request's body): collection_id and path (a rule is made; principal, an
// identity id, defaults to the user, permissions to "r"), wait (the action is ACTIVE for that
// many status reads before it does its work), needs_consent (the action is INACTIVE with
// details.required_scope until it is resumed). A body without collection_id does nothing and
// SUCCEEDS.
//
// cmd/example-provider serves it, configured by environment variables; the conformance
// profile (cmd/conformance --profile action-provider) checks it.
package actionprovider

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

// TransferScope is the dependent scope the provider needs to make ACL rules.
const TransferScope = "urn:globus:auth:scope:transfer.api.globus.org:all"

// Config configures a Provider.
type Config struct {
	// AuthURL is the Globus Auth base URL (the mock's origin in tests), without /v2.
	AuthURL string
	// TransferURL is the Transfer base URL, without /v0.10 (default AuthURL: the mock serves both).
	TransferURL string
	// ClientID and Secret are the provider's resource server client.
	ClientID, Secret string
	// Scope is the provider's scope (default https://auth.globus.org/scopes/<ClientID>/action_all).
	Scope string
	// Title shows in the introspection document.
	Title string
	// Client makes the calls to Auth and Transfer (default: a 10 s timeout).
	Client *http.Client
	// Now is the provider's clock (default time.Now).
	Now func() time.Time

	// Defects, for the conformance kit's own tests only: each breaks one rule that the
	// action-provider profile checks, so the tests can show the profile catches it.
	IgnoreRequestID    bool // every run request starts a new action
	AcceptForeignScope bool // any active token is accepted, whatever its scope and audience
	MonitorMayManage   bool // monitor_by principals may cancel, release and resume
}

// Provider is the example Action Provider, an http.Handler.
type Provider struct {
	cfg    Config
	client *http.Client

	mu      sync.Mutex
	actions map[string]*action
	// requests maps a creator and a request_id to the action it started.
	requests map[string]string
}

// New returns a provider for the configuration.
func New(cfg Config) *Provider {
	cfg.AuthURL = strings.TrimSuffix(cfg.AuthURL, "/")
	if cfg.TransferURL == "" {
		cfg.TransferURL = cfg.AuthURL
	}
	cfg.TransferURL = strings.TrimSuffix(cfg.TransferURL, "/")
	if cfg.Scope == "" {
		cfg.Scope = "https://auth.globus.org/scopes/" + cfg.ClientID + "/action_all"
	}
	if cfg.Title == "" {
		cfg.Title = "Grant access"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Provider{cfg: cfg, client: client, actions: map[string]*action{}, requests: map[string]string{}}
}

// Scope is the provider's scope.
func (p *Provider) Scope() string { return p.cfg.Scope }

// operations of the Action Provider API on an action, by the last path segment; "" is the
// status read of the /actions family (GET /actions/{id}).
var operations = map[string]string{"status": http.MethodGet, "log": http.MethodGet, "": http.MethodGet,
	"cancel": http.MethodPost, "release": http.MethodPost, "resume": http.MethodPost}

// ServeHTTP routes the two route families: /run and /{id}/<op>, and /actions and
// /actions/{id}[/<op>]; GET / is the introspection document.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) == 1 && segs[0] == "" {
		segs = nil
	}
	var id, op string
	switch {
	case len(segs) == 0:
		if r.Method != http.MethodGet {
			writeError(w, methodNotAllowed())
			return
		}
		writeJSON(w, http.StatusOK, p.description())
		return
	case len(segs) == 1 && (segs[0] == "run" || segs[0] == "actions"):
		if r.Method != http.MethodPost {
			writeError(w, methodNotAllowed())
			return
		}
		p.run(w, r)
		return
	case segs[0] == "actions" && len(segs) == 2:
		id = segs[1]
	case segs[0] == "actions" && len(segs) == 3 && segs[2] != "status":
		id, op = segs[1], segs[2]
	case segs[0] != "actions" && len(segs) == 2 && segs[1] != "":
		id, op = segs[0], segs[1]
		if op == "status" {
			op = ""
		}
	default:
		writeError(w, notFound("no such route"))
		return
	}
	method, ok := operations[op]
	if !ok {
		writeError(w, notFound("no such route"))
		return
	}
	if r.Method != method {
		writeError(w, methodNotAllowed())
		return
	}
	p.operate(w, r, id, op)
}

// description is the introspection document (the AP API's ProviderDescription).
func (p *Provider) description() map[string]any {
	return map[string]any{
		"types": []string{"Action"}, "api_version": "1.0", "synchronous": false,
		"title": p.cfg.Title, "subtitle": "Grant a principal access to a path of a collection",
		"description":       "Makes a Transfer ACL rule for the user who runs it, with a dependent Transfer token.",
		"keywords":          []string{"transfer", "acl", "example"},
		"admin_contact":     "admin@example.org",
		"administered_by":   []string{},
		"visible_to":        []string{"public"},
		"runnable_by":       []string{"all_authenticated_users"},
		"globus_auth_scope": p.cfg.Scope,
		"log_supported":     true,
		"maximum_deadline":  "P30D",
		"input_schema":      inputSchema,
	}
}

var inputSchema = map[string]any{
	"type": "object", "additionalProperties": false,
	"properties": map[string]any{
		"collection_id": map[string]any{"type": "string", "format": "uuid"},
		"path":          map[string]any{"type": "string", "pattern": "^/"},
		"principal":     map[string]any{"type": "string", "format": "uuid"},
		"permissions":   map[string]any{"type": "string", "enum": []string{"r", "rw"}},
		"wait":          map[string]any{"type": "integer", "minimum": 0, "maximum": 1000},
		"needs_consent": map[string]any{"type": "boolean"},
	},
	"dependentRequired": map[string]any{"collection_id": []string{"path"}, "path": []string{"collection_id"}},
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
