package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/login"
	"github.com/globus-conformance/kit/mockserver/world"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const (
	nativeClient  = "0c11e570-0000-4000-8000-000000000402"
	confidential  = "0c11e570-0000-4000-8000-000000000401"
	loginVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	loopback      = "http://127.0.0.1:50123/callback"
)

// web sends a browser's or a client's request and returns the recorder.
func web(h http.Handler, method, path, form string) *httptest.ResponseRecorder {
	r := localRequest(method, path, strings.NewReader(form))
	if form != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Accept", "text/html,application/xhtml+xml")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func authorizeQuery(change func(url.Values)) string {
	q := url.Values{"client_id": {nativeClient}, "redirect_uri": {loopback}, "response_type": {"code"},
		"scope": {auth.FlowsScope("all") + " openid"}, "state": {"st-1"},
		"code_challenge": {login.Challenge(loginVerifier)}, "code_challenge_method": {"S256"}}
	if change != nil {
		change(q)
	}
	return "/v2/oauth2/authorize?" + q.Encode()
}

func decideLogin(t *testing.T, s *Server, body string) {
	t.Helper()
	if code, doc := do(t, s, "POST", "/_mock/logins", "", body); code != http.StatusCreated {
		t.Fatalf("POST /_mock/logins %s = %d %v", body, code, doc)
	}
}

func redirectQuery(t *testing.T, w *httptest.ResponseRecorder) url.Values {
	t.Helper()
	if w.Code != http.StatusFound {
		t.Fatalf("status %d, want 302; body %s", w.Code, w.Body)
	}
	u, err := url.Parse(w.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func exchange(s *Server, code, redirect string) (int, map[string]any) {
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {nativeClient}, "code": {code},
		"redirect_uri": {redirect}, "code_verifier": {loginVerifier}}
	return postForm(s, "/v2/oauth2/token", form)
}

// A native client's login decided through the control plane: the code comes back with the
// state, is exchanged once with its PKCE verifier, and the token works and carries the login.
func TestNativeLoginThroughTheControlPlane(t *testing.T) {
	s := newTestServer(t)
	s.Clock().Freeze(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	decideLogin(t, s, `{"persona": "alice", "mfa": true}`)
	q := redirectQuery(t, web(s, "GET", authorizeQuery(nil), ""))
	if q.Get("state") != "st-1" || q.Get("code") == "" {
		t.Fatalf("redirect query %v, want code and state st-1", q)
	}
	code, doc := exchange(s, q.Get("code"), loopback)
	if code != http.StatusOK {
		t.Fatalf("exchange = %d %v", code, doc)
	}
	// The login asked for openid: the Auth token comes first, with the ID token.
	if doc["resource_server"] != "auth.globus.org" || doc["id_token"] == nil {
		t.Errorf("first token is for %v (id_token %v), want Auth's with the ID token", doc["resource_server"], doc["id_token"] != nil)
	}
	others, _ := doc["other_tokens"].([]any)
	rs, _ := auth.ResourceServer(auth.FlowsScope("all"))
	if len(others) != 1 || others[0].(map[string]any)["resource_server"] != rs {
		t.Fatalf("other_tokens = %v, want one for Flows", others)
	}
	token := others[0].(map[string]any)["access_token"].(string)
	if st, body := do(t, s, "GET", "/flows", token, ""); st != http.StatusOK {
		t.Errorf("GET /flows with the login's token = %d %v", st, body)
	}
	tok, _ := s.Token(token)
	if tok.IdentityID != "0a11ce00-0000-4000-8000-000000000001" || tok.ClientID != nativeClient ||
		len(tok.Authentications) != 1 || !tok.Authentications[0].MFA || !tok.Authentications[0].Time.Equal(s.Clock().Now()) {
		t.Errorf("token %+v, want alice's, for the native client, one MFA authentication now", tok)
	}
	if code, doc := exchange(s, q.Get("code"), loopback); code != http.StatusBadRequest || !strings.Contains(toJSON(doc), "invalid_grant") {
		t.Errorf("second exchange = %d %v, want 400 invalid_grant", code, doc)
	}
	if l, ok := s.logins.Logins(), true; !ok || len(l) != 1 || l[0].Status != "approved" {
		t.Errorf("logins = %+v, want one approved", l)
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// Authorize errors: the client and redirect_uri cannot be trusted get a page and no redirect;
// other errors go back to the client with error and state.
func TestAuthorizeErrors(t *testing.T) {
	tests := []struct {
		name      string
		change    func(url.Values)
		redirect  bool
		wantError string
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "0c11e570-0000-4000-8000-0000000004ff") }, false, "invalid_client"},
		{"unregistered redirect", func(q url.Values) { q.Set("redirect_uri", "https://evil.example.org/cb") }, false, "invalid_request"},
		{"confidential client on loopback", func(q url.Values) { q.Set("client_id", confidential) }, false, "invalid_request"},
		{"implicit grant", func(q url.Values) { q.Set("response_type", "token") }, true, "unsupported_response_type"},
		{"unknown scope", func(q url.Values) { q.Set("scope", "urn:globus:auth:scope:nowhere:all") }, true, "invalid_scope"},
		{"no PKCE", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, true, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t)
			decideLogin(t, s, `{"persona": "alice", "auto": true}`)
			w := web(s, "GET", authorizeQuery(tt.change), "")
			if !tt.redirect {
				if w.Code != http.StatusBadRequest || w.Header().Get("Location") != "" || !strings.Contains(w.Body.String(), tt.wantError) ||
					!strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
					t.Errorf("= %d Location %q body %s; want a 400 page naming %s", w.Code, w.Header().Get("Location"), w.Body, tt.wantError)
				}
				// A caller that is no browser gets Auth's error document.
				if st, doc := do(t, s, "GET", authorizeQuery(tt.change), "", ""); st != http.StatusBadRequest || doc["error"] != tt.wantError {
					t.Errorf("without Accept: text/html = %d %v, want 400 with error %s", st, doc, tt.wantError)
				}
				return
			}
			q := redirectQuery(t, w)
			if q.Get("error") != tt.wantError || q.Get("state") != "st-1" || q.Get("code") != "" {
				t.Errorf("redirect query %v, want error %s with state and no code", q, tt.wantError)
			}
		})
	}
}

// An undecided login shows the page; a choice that cannot satisfy the requirements is refused
// with the reason, and one that can redirects with the code.
func TestLoginPage(t *testing.T) {
	s := newTestServer(t)
	page := web(s, "GET", authorizeQuery(func(q url.Values) {
		q.Set("session_required_mfa", "true")
		q.Set("session_message", "The flow needs MFA")
	}), "")
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "The flow needs MFA") || !strings.Contains(body, auth.FlowsScope("all")) || !strings.Contains(body, "Mock native app") {
		t.Fatalf("login page = %d %s", page.Code, body)
	}
	logins := s.logins.Logins()
	if len(logins) != 1 || logins[0].Status != "pending" {
		t.Fatalf("logins %+v, want one pending", logins)
	}
	action := "/v2/web/login/" + logins[0].ID
	alice := "identity_id=0a11ce00-0000-4000-8000-000000000001"
	refused := web(s, "POST", action, alice)
	if refused.Code != http.StatusBadRequest || !strings.Contains(refused.Body.String(), "multi-factor authentication is required") {
		t.Errorf("choice without MFA = %d %s, want 400 saying MFA is required", refused.Code, refused.Body)
	}
	q := redirectQuery(t, web(s, "POST", action, alice+"&mfa=true"))
	if code, doc := exchange(s, q.Get("code"), loopback); code != http.StatusOK {
		t.Errorf("exchange = %d %v", code, doc)
	}
	if w := web(s, "POST", "/v2/web/login/nope", alice); w.Code != http.StatusNotFound {
		t.Errorf("unknown login = %d, want 404", w.Code)
	}
}

// The auth-code page shows the code a native client's user pastes.
func TestAuthCodePage(t *testing.T) {
	s := newTestServer(t)
	decideLogin(t, s, `{"persona": "bob"}`)
	own := "http://localhost/v2/web/auth-code"
	q := redirectQuery(t, web(s, "GET", authorizeQuery(func(q url.Values) { q.Set("redirect_uri", own) }), ""))
	w := web(s, "GET", "/v2/web/auth-code?code="+q.Get("code"), "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), q.Get("code")) {
		t.Errorf("auth-code page = %d %s, want the code", w.Code, w.Body)
	}
	if code, doc := exchange(s, q.Get("code"), own); code != http.StatusOK {
		t.Errorf("exchange = %d %v", code, doc)
	}
}

func postForm(s *Server, path string, form url.Values) (int, map[string]any) {
	w := web(s, "POST", path, form.Encode())
	var doc map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &doc)
	return w.Code, doc
}

// An offline login's refresh token gets a working token after the access token expired, in
// the same session; once revoked it gets invalid_grant and its access tokens get 401.
func TestRefreshAndRevoke(t *testing.T) {
	s := newTestServer(t)
	s.Clock().Freeze(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	decideLogin(t, s, `{"persona": "alice"}`)
	q := redirectQuery(t, web(s, "GET", authorizeQuery(func(q url.Values) {
		q.Set("access_type", "offline")
		q.Set("scope", auth.FlowsScope("all"))
	}), ""))
	code, doc := exchange(s, q.Get("code"), loopback)
	refresh, _ := doc["refresh_token"].(string)
	if code != http.StatusOK || refresh == "" {
		t.Fatalf("offline exchange = %d %v, want a refresh_token", code, doc)
	}
	first := doc["access_token"].(string)
	s.Clock().Advance(auth.TokenLifetime)
	if st, _ := do(t, s, "GET", "/flows", first, ""); st != http.StatusUnauthorized {
		t.Errorf("expired access token = %d, want 401", st)
	}
	refreshForm := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {nativeClient}}
	code, doc = postForm(s, "/v2/oauth2/token", refreshForm)
	if code != http.StatusOK {
		t.Fatalf("refresh = %d %v", code, doc)
	}
	second := doc["access_token"].(string)
	if st, body := do(t, s, "GET", "/flows", second, ""); st != http.StatusOK {
		t.Errorf("refreshed token = %d %v, want 200", st, body)
	}
	old, _ := s.Token(first)
	if now, _ := s.Token(second); now.SessionID != old.SessionID || now.IdentityID != old.IdentityID {
		t.Errorf("refreshed token %+v is not in the login's session %s", now, old.SessionID)
	}
	// A dump keeps the refresh token, valid for the published schema, and a load honours it.
	dump, err := world.Encode(s.Dump())
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(dump)))
	if err != nil {
		t.Fatal(err)
	}
	if err := worldSchema(t).Validate(inst); err != nil {
		t.Errorf("a dump with a refresh token breaks the world schema: %v", err)
	}
	loaded := newTestServer(t)
	if err := loaded.Load(s.Dump()); err != nil {
		t.Fatal(err)
	}
	if code, doc := postForm(loaded, "/v2/oauth2/token", refreshForm); code != http.StatusOK {
		t.Errorf("refresh on a loaded dump = %d %v", code, doc)
	}
	code, doc = postForm(s, "/v2/oauth2/token/revoke", url.Values{"token": {refresh}, "client_id": {nativeClient}})
	if code != http.StatusOK || doc["active"] != false {
		t.Fatalf("revoke = %d %v", code, doc)
	}
	if st, _ := do(t, s, "GET", "/flows", second, ""); st != http.StatusUnauthorized {
		t.Errorf("token of a revoked refresh token = %d, want 401", st)
	}
	if code, doc := postForm(s, "/v2/oauth2/token", refreshForm); code != http.StatusBadRequest || doc["error"] != "invalid_grant" {
		t.Errorf("refresh after revoke = %d %v, want 400 invalid_grant", code, doc)
	}
}

// Both ways a client asks for refresh tokens work: access_type=offline (the Python SDK's) and
// the offline_access scope (the JS SDK's useRefreshTokens), which is no resource server's and
// gives no token of its own.
func TestOfflineLogins(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(url.Values)
	}{
		{"access_type=offline", func(q url.Values) { q.Set("access_type", "offline") }},
		{"offline_access scope", func(q url.Values) { q.Set("scope", "openid offline_access "+auth.FlowsScope("all")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			decideLogin(t, s, `{"persona": "alice"}`)
			q := redirectQuery(t, web(s, "GET", authorizeQuery(tc.change), ""))
			if q.Get("error") != "" {
				t.Fatalf("authorize redirected with %s: %s", q.Get("error"), q.Get("error_description"))
			}
			code, doc := exchange(s, q.Get("code"), loopback)
			if code != http.StatusOK {
				t.Fatalf("exchange = %d %v", code, doc)
			}
			tokens := []any{doc}
			if others, ok := doc["other_tokens"].([]any); ok {
				tokens = append(tokens, others...)
			}
			var servers []string
			for _, tok := range tokens {
				m := tok.(map[string]any)
				servers = append(servers, m["resource_server"].(string))
				if m["refresh_token"] == nil || m["refresh_token"] == "" {
					t.Errorf("token for %v has no refresh_token", m["resource_server"])
				}
				if strings.Contains(m["scope"].(string), "offline_access") {
					t.Errorf("token for %v shows the offline_access scope: %v", m["resource_server"], m["scope"])
				}
			}
			slices.Sort(servers)
			if diff := cmp.Diff([]string{auth.AuthResourceServer, auth.FlowsResourceServer}, servers); diff != "" {
				t.Errorf("resource servers (-want +got):\n%s", diff)
			}
		})
	}
}
