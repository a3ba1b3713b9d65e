package login

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
)

const own = "http://mock.test/v2/web/auth-code"

var clients = map[string]Client{
	"native": {ID: "native", Native: true},
	"web":    {ID: "web", RedirectURIs: []string{"https://app.example.org/callback"}},
}

func lookup(id string) (Client, bool) { c, ok := clients[id]; return c, ok }

func TestRedirectAllowed(t *testing.T) {
	tests := []struct {
		client, uri string
		want        bool
	}{
		{"web", "https://app.example.org/callback", true},
		{"web", "https://app.example.org/callback/", false},
		{"web", AuthCodePage, false},
		{"web", "http://127.0.0.1:8080/", false},
		{"native", AuthCodePage, true},
		{"native", own, true},
		{"native", "http://127.0.0.1:49152/callback", true},
		{"native", "http://localhost:1/", true},
		{"native", "http://[::1]:5000/", true},
		{"native", "https://127.0.0.1:5000/", false},
		{"native", "http://evil.example.org:5000/", false},
		{"native", "http://user@127.0.0.1:5000/", false},
		{"native", "http://127.0.0.1.evil.example.org/", false},
	}
	for _, tt := range tests {
		if got := clients[tt.client].RedirectAllowed(tt.uri, own); got != tt.want {
			t.Errorf("%s may redirect to %s = %v, want %v", tt.client, tt.uri, got, tt.want)
		}
	}
}

func validNative() url.Values {
	return url.Values{"client_id": {"native"}, "redirect_uri": {AuthCodePage}, "scope": {"openid"},
		"response_type": {"code"}, "state": {"xyz"}, "code_challenge": {Challenge(verifier)},
		"code_challenge_method": {"S256"}}
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		want   *Error // nil: accepted
	}{
		{"valid", func(url.Values) {}, nil},
		{"unknown client", func(q url.Values) { q.Set("client_id", "nobody") }, &Error{Code: "invalid_client"}},
		{"no client", func(q url.Values) { q.Del("client_id") }, &Error{Code: "invalid_request"}},
		{"unregistered redirect", func(q url.Values) { q.Set("redirect_uri", "https://evil.example.org/") }, &Error{Code: "invalid_request"}},
		{"no redirect", func(q url.Values) { q.Del("redirect_uri") }, &Error{Code: "invalid_request"}},
		{"token response type", func(q url.Values) { q.Set("response_type", "token") }, &Error{Code: "unsupported_response_type", Redirect: true}},
		{"no scope", func(q url.Values) { q.Del("scope") }, &Error{Code: "invalid_scope", Redirect: true}},
		{"native without PKCE", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, &Error{Code: "invalid_request", Redirect: true}},
		{"plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain") }, &Error{Code: "invalid_request", Redirect: true}},
		{"bad access_type", func(q url.Values) { q.Set("access_type", "forever") }, &Error{Code: "invalid_request", Redirect: true}},
		{"bad prompt", func(q url.Values) { q.Set("prompt", "none") }, &Error{Code: "invalid_request", Redirect: true}},
		{"offline", func(q url.Values) { q.Set("access_type", "offline") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := validNative()
			tt.change(q)
			err := Validate(ParseRequest(q), lookup, own)
			var got *Error
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("error %v is not a *login.Error", err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Description" }, cmp.Ignore())); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRequestSessionParameters(t *testing.T) {
	q := validNative()
	q.Set("session_required_identities", "a, b")
	q.Set("session_required_single_domain", "uchicago.edu")
	q.Set("session_required_policies", "p1,p2")
	q.Set("session_required_mfa", "true")
	q.Set("session_message", "please")
	want := Session{RequiredIdentities: []string{"a", "b"}, RequiredSingleDomain: []string{"uchicago.edu"},
		RequiredPolicies: []string{"p1", "p2"}, RequiredMFA: true, Message: "please"}
	if diff := cmp.Diff(want, ParseRequest(q).Session); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
}

func TestRedirects(t *testing.T) {
	r := Request{RedirectURI: "http://127.0.0.1:5000/cb?x=1", State: "s 1"}
	if got, want := CodeRedirect(r, "abc"), "http://127.0.0.1:5000/cb?code=abc&state=s+1&x=1"; got != want {
		t.Errorf("CodeRedirect = %s, want %s", got, want)
	}
	e := &Error{Code: "invalid_scope", Description: "no"}
	if got, want := ErrorRedirect(r, e), "http://127.0.0.1:5000/cb?error=invalid_scope&error_description=no&state=s+1&x=1"; got != want {
		t.Errorf("ErrorRedirect = %s, want %s", got, want)
	}
}

func TestVerifyS256(t *testing.T) {
	// RFC 7636 appendix B.
	if got := Challenge(verifier); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Errorf("Challenge = %s", got)
	}
	tests := []struct {
		verifier string
		want     bool
	}{
		{verifier, true},
		{verifier[:42], false},
		{verifier + "x", false},
		{verifier[:42] + "!", false},
	}
	for _, tt := range tests {
		if got := VerifyS256(Challenge(verifier), tt.verifier); got != tt.want {
			t.Errorf("VerifyS256(%q) = %v, want %v", tt.verifier, got, tt.want)
		}
	}
}

func newStore(c *clock.Clock) *Store {
	return NewStore(c, func(d Decision, r *Request) (string, error) {
		if r != nil && r.Session.RequiredMFA && !d.MFA {
			return "", apierr.New(apierr.Invalid, "invalid_request", "MFA is required")
		}
		if d.Persona == "alice" || d.IdentityID == "id-alice" {
			return "id-alice", nil
		}
		return "", apierr.New(apierr.Invalid, "invalid_request", "nobody")
	})
}

func TestStartWaitsForADecision(t *testing.T) {
	s := newStore(clock.New())
	r := ParseRequest(validNative())
	l, err := s.Start(r, "")
	if err != nil || l.Status != "pending" || l.Code != "" {
		t.Fatalf("undecided login = %+v, %v; want pending without a code", l, err)
	}
	if _, err := s.Decide(Decision{Persona: "mallory"}); err == nil {
		t.Error("a decision naming nobody was accepted")
	}
	if _, err := s.Decide(Decision{Persona: "alice", IdentityID: "id-alice"}); err == nil {
		t.Error("a decision naming both a persona and an identity was accepted")
	}
	if _, err := s.Decide(Decision{Persona: "alice", MFA: true}); err != nil {
		t.Fatal(err)
	}
	l, _ = s.Start(r, "")
	if l.Status != "approved" || l.Identity != "id-alice" || !l.MFA || l.Code == "" {
		t.Errorf("decided login = %+v", l)
	}
	if l, _ := s.Start(r, ""); l.Status != "pending" {
		t.Errorf("a one-time decision served a second login: %+v", l)
	}
	if _, err := s.Decide(Decision{IdentityID: "id-alice", Auto: true}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if l, _ := s.Start(r, ""); l.Status != "approved" {
			t.Errorf("auto decision did not approve: %+v", l)
		}
	}
	s.Clear()
	if l, _ := s.Start(r, ""); l.Status != "pending" {
		t.Errorf("cleared auto decision still approves: %+v", l)
	}
	if got := len(s.Logins()); got != 6 {
		t.Errorf("Logins lists %d logins, want 6", got)
	}
}

func TestRefusedDecisionLeavesTheLoginPending(t *testing.T) {
	s := newStore(clock.New())
	q := validNative()
	q.Set("session_required_mfa", "true")
	if _, err := s.Decide(Decision{Persona: "alice", Auto: true}); err != nil {
		t.Fatal(err)
	}
	l, err := s.Start(ParseRequest(q), "")
	if err != nil || l.Status != "pending" || l.Code != "" || l.Refusal == "" {
		t.Fatalf("login refused for lack of MFA = %+v, %v; want pending with a refusal", l, err)
	}
	if _, err := s.Approve(l.ID, "id-alice", false); err == nil {
		t.Error("Approve without MFA satisfied a request that requires it")
	}
	if l, err := s.Approve(l.ID, "id-alice", true); err != nil || l.Code == "" {
		t.Errorf("Approve with MFA = %+v, %v", l, err)
	}
}

func TestExchange(t *testing.T) {
	tests := []struct {
		name                       string
		client, redirect, verifier string
		advance                    time.Duration
		secondUse                  bool
		wantErr                    bool
	}{
		{name: "valid", client: "native", redirect: AuthCodePage, verifier: verifier},
		{name: "used twice", client: "native", redirect: AuthCodePage, verifier: verifier, secondUse: true, wantErr: true},
		{name: "wrong verifier", client: "native", redirect: AuthCodePage, verifier: Challenge(verifier), wantErr: true},
		{name: "no verifier", client: "native", redirect: AuthCodePage, wantErr: true},
		{name: "other redirect", client: "native", redirect: own, verifier: verifier, wantErr: true},
		{name: "other client", client: "web", redirect: AuthCodePage, verifier: verifier, wantErr: true},
		{name: "just in time", client: "native", redirect: AuthCodePage, verifier: verifier, advance: CodeLifetime - time.Second},
		{name: "expired", client: "native", redirect: AuthCodePage, verifier: verifier, advance: CodeLifetime, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clock.New()
			c.Freeze(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			s := newStore(c)
			if _, err := s.Decide(Decision{Persona: "alice"}); err != nil {
				t.Fatal(err)
			}
			l, _ := s.Start(ParseRequest(validNative()), "")
			c.Advance(tt.advance)
			if tt.secondUse {
				if _, err := s.Exchange(l.Code, tt.client, tt.redirect, tt.verifier); err != nil {
					t.Fatalf("first use: %v", err)
				}
			}
			got, err := s.Exchange(l.Code, tt.client, tt.redirect, tt.verifier)
			if tt.wantErr {
				if e, ok := apierr.As(err); !ok || e.Code != "invalid_grant" {
					t.Errorf("Exchange = %+v, %v; want invalid_grant", got, err)
				}
				return
			}
			if err != nil || got.Identity != "id-alice" {
				t.Errorf("Exchange = %+v, %v; want alice's login", got, err)
			}
		})
	}
}
