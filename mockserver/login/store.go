package login

import (
	"slices"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// CodeLifetime is how long an authorization code may be exchanged (Globus Auth: 10 minutes).
const CodeLifetime = 10 * time.Minute

// Decision stands for what a person chose at the login page: who logs in and whether with MFA.
// Auto keeps the decision for every later login until it is cleared.
type Decision struct {
	Persona    string `json:"persona,omitempty"`
	IdentityID string `json:"identity_id,omitempty"`
	MFA        bool   `json:"mfa"`
	Auto       bool   `json:"auto,omitempty"`
}

// Login is one authorize request and, once decided, who logged in.
type Login struct {
	ID      string    `json:"id"`
	Request Request   `json:"request"`
	Created time.Time `json:"created"`
	Status  string    `json:"status"` // pending, approved
	// Refusal says why the last decision could not satisfy the request's requirements.
	Refusal  string    `json:"refusal,omitempty"`
	Decided  time.Time `json:"decided,omitzero"`
	Identity string    `json:"identity_id,omitempty"`
	MFA      bool      `json:"mfa"`
	// SessionID is the browser session the login joins (its cookie), or the new one it starts.
	SessionID string    `json:"session_id,omitempty"`
	Code      string    `json:"-"`
	ExpiresAt time.Time `json:"-"`
	Used      bool      `json:"-"`
}

// Store holds logins, the decisions waiting for them and the codes they produced. It is safe
// for concurrent use and hands out copies.
type Store struct {
	clock *clock.Clock

	mu      sync.Mutex
	logins  []*Login
	next    []Decision // decisions for the next logins, in order
	auto    *Decision
	byCode  map[string]*Login
	resolve Resolver
	prefix  string // starts every code (Options.TokenPrefix)
}

// SetCodePrefix makes every authorization code start with prefix.
func (s *Store) SetCodePrefix(prefix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prefix = prefix
}

// Resolver turns a decision into the identity id that logs in (a persona's name or an identity
// id), refusing one that names nobody or, given the request (nil when the decision is queued),
// one that cannot satisfy its session requirements.
type Resolver func(Decision, *Request) (string, error)

// NewStore returns an empty store that judges decisions with resolve.
func NewStore(c *clock.Clock, resolve Resolver) *Store {
	return &Store{clock: c, byCode: map[string]*Login{}, resolve: resolve}
}

// Reset forgets every login, decision and code.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins, s.next, s.auto, s.byCode = nil, nil, nil, map[string]*Login{}
}

// Decide queues the decision for the next login (or, with Auto, for every login until Clear).
func (s *Store) Decide(d Decision) (Decision, error) {
	if (d.Persona == "") == (d.IdentityID == "") {
		return Decision{}, apierr.New(apierr.BadRequest, "invalid_request", "give exactly one of persona and identity_id")
	}
	if _, err := s.resolve(d, nil); err != nil {
		return Decision{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.Auto {
		s.auto = &d
	} else {
		s.next = append(s.next, d)
	}
	return d, nil
}

// Clear drops the queued and automatic decisions.
func (s *Store) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next, s.auto = nil, nil
}

// Start records an authorize request that passed Validate, from a browser holding a session
// ("" for none). If a decision waits, the login is approved at once and the copy returned carries
// its code; otherwise it stays pending.
func (s *Store) Start(r Request, session string) (Login, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := &Login{ID: ids.UUID(), Request: r, Created: s.clock.Now(), Status: "pending", SessionID: session}
	s.logins = append(s.logins, l)
	var d *Decision
	switch {
	case len(s.next) > 0:
		d = &s.next[0]
		s.next = s.next[1:]
	case s.auto != nil:
		d = s.auto
	}
	if d == nil {
		return *l, nil
	}
	identity, err := s.resolve(*d, &l.Request)
	if err != nil {
		// The login waits for another choice; the page says why this one was refused.
		l.Refusal = err.Error()
		return *l, nil
	}
	s.approveLocked(l, identity, d.MFA)
	return *l, nil
}

// Approve decides a pending login (the login page's answer) and returns it with its code.
func (s *Store) Approve(id, identityID string, mfa bool) (Login, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.logins, func(l *Login) bool { return l.ID == id })
	if i < 0 {
		return Login{}, apierr.New(apierr.NotFound, "not_found", "No login %s", id)
	}
	l := s.logins[i]
	if l.Status != "pending" {
		return Login{}, apierr.New(apierr.Conflict, "invalid_request", "login %s is already %s", id, l.Status)
	}
	identity, err := s.resolve(Decision{IdentityID: identityID, MFA: mfa}, &l.Request)
	if err != nil {
		l.Refusal = err.Error()
		return *l, err
	}
	s.approveLocked(l, identity, mfa)
	return *l, nil
}

func (s *Store) approveLocked(l *Login, identity string, mfa bool) {
	now := s.clock.Now()
	l.Status, l.Decided, l.Identity, l.MFA = "approved", now, identity, mfa
	if l.SessionID == "" {
		l.SessionID = ids.UUID() // the browser's first login starts its session
	}
	l.Code = s.prefix + ids.Token(24)
	l.ExpiresAt = now.Add(CodeLifetime)
	s.byCode[l.Code] = l
}

// Get returns a login by id.
func (s *Store) Get(id string) (Login, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.logins {
		if l.ID == id {
			return *l, true
		}
	}
	return Login{}, false
}

// Logins lists every login, oldest first.
func (s *Store) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Login, 0, len(s.logins))
	for _, l := range s.logins {
		out = append(out, *l)
	}
	return out
}

// Exchange is the authorization_code grant: the code is used once, within CodeLifetime, by the
// client it was issued to, with the same redirect_uri and (if the login had a challenge) the
// verifier that hashes to it. Every refusal is invalid_grant, as RFC 6749 §5.2 says. A refusal
// of its own client for a wrong redirect_uri or verifier uses the code up: such a request is a bug
// or a stolen code, and a code that survives it would let the verifier be guessed.
func (s *Store) Exchange(code, clientID, redirectURI, verifier string) (Login, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.byCode[code]
	refuse := func(why string) (Login, error) {
		return Login{}, apierr.New(apierr.BadRequest, "invalid_grant", "%s", why)
	}
	switch {
	case !ok:
		return refuse("unknown authorization code")
	case l.Used:
		return refuse("the authorization code was already used")
	case !s.clock.Now().Before(l.ExpiresAt):
		return refuse("the authorization code expired")
	case l.Request.ClientID != clientID:
		return refuse("the authorization code was issued to another client")
	}
	l.Used = true
	switch {
	case l.Request.RedirectURI != redirectURI:
		return refuse("redirect_uri does not match the authorize request")
	case l.Request.CodeChallenge != "" && !VerifyS256(l.Request.CodeChallenge, verifier):
		return refuse("code_verifier does not match the code_challenge")
	case l.Request.CodeChallenge == "" && verifier != "":
		return refuse("code_verifier given but the authorize request had no code_challenge")
	}
	return *l, nil
}
