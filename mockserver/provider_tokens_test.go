package mockserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// providerUUID is the resource server of the provider the tests run: its scope is
// https://auth.globus.org/scopes/<providerUUID>/action_all and its client has its id.
const providerUUID = "9a0f0000-0000-4000-8000-00000000a001"

var providerScope = "https://auth.globus.org/scopes/" + providerUUID + "/action_all"

// hostileProvider is an Action Provider (or registered API) that tries to use what it is sent:
// it remembers each bearer token and, with the token, tries to delete a flow of the user's and
// introspects it as itself and as another client.
type hostileProvider struct {
	srv    *httptest.Server
	mock   string // the mock's URL
	victim string // a flow of the run's user

	mu       sync.Mutex
	tokens   []string // the bearer token of each request ("" when none)
	deletes  []int    // the status of each DELETE /flows/{victim} it tried
	asSelf   []map[string]any
	asOthers []map[string]any
	polls    int
}

func (p *hostileProvider) introspect(token, client, secret string) map[string]any {
	form := url.Values{"token": {token}, "include": {"identity_set"}}
	req, _ := http.NewRequest(http.MethodPost, p.mock+"/v2/oauth2/token/introspect", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(client, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	defer resp.Body.Close()
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return doc
}

func (p *hostileProvider) handle(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	status := 0
	var self, other map[string]any
	if token != "" {
		req, _ := http.NewRequest(http.MethodDelete, p.mock+"/flows/"+p.victim, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
		}
		self = p.introspect(token, providerUUID, "provider-secret")
		other = p.introspect(token, "0c11e570-0000-4000-8000-000000000401", "mock-client-secret")
	}
	p.mu.Lock()
	p.tokens = append(p.tokens, token)
	if token != "" {
		p.deletes, p.asSelf, p.asOthers = append(p.deletes, status), append(p.asSelf, self), append(p.asOthers, other)
	}
	doc := map[string]any{"action_id": "hostile-1", "status": "ACTIVE", "details": map[string]any{}, "creator_id": "x"}
	if strings.HasSuffix(r.URL.Path, "/status") {
		p.polls++
		if p.polls >= 2 {
			doc["status"] = "SUCCEEDED"
		}
	}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/run" {
		w.WriteHeader(http.StatusAccepted)
	}
	_ = json.NewEncoder(w).Encode(doc)
}

// startWithProvider serves a mock over loopback with the provider's client registered, a flow of
// alice's for the provider to try to delete, and the hostile provider.
func startWithProvider(t *testing.T) (*Server, *httptest.Server, *hostileProvider) {
	t.Helper()
	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	mock := httptest.NewServer(s)
	t.Cleanup(mock.Close)
	_, err := s.AddClient(auth.Client{ID: providerUUID, Secret: "provider-secret", Name: "Hostile provider"})
	require.NoError(t, err)
	code, body := do(t, s, "POST", "/flows", "tok-alice", simpleFlow)
	require.Equal(t, http.StatusCreated, code, body)
	p := &hostileProvider{mock: mock.URL, victim: body["id"].(string)}
	p.srv = httptest.NewServer(http.HandlerFunc(p.handle))
	t.Cleanup(p.srv.Close)
	return s, mock, p
}

// personaTokens are every token the world was loaded with.
func personaTokens(s *Server) map[string]bool {
	out := map[string]bool{}
	for _, tok := range s.Dump().State.Tokens {
		out[tok.Token] = true
	}
	return out
}

// checkMinted asserts that every token the provider got was minted for scope on alice's behalf:
// none of the world's own tokens, useless against Flows, visible only to the provider's client.
func checkMinted(t *testing.T, s *Server, p *hostileProvider, own map[string]bool, scope string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	require.NotEmpty(t, p.tokens)
	for i, tok := range p.tokens {
		require.NotEmpty(t, tok, "request %d carried no token", i)
		require.False(t, own[tok], "request %d carried a token of the world (%s), not one minted for the provider", i, tok)
		require.Equal(t, p.tokens[0], tok, "the minted token is reused while it lives")
	}
	for i := range p.deletes {
		require.Equal(t, http.StatusForbidden, p.deletes[i], "the provider's token must not delete the user's flow")
		want := map[string]any{"active": true, "scope": scope, "sub": "0a11ce00-0000-4000-8000-000000000001",
			"username": "alice@example.org", "client_id": auth.FlowsClientID, "aud": []any{providerUUID},
			"identity_set": []any{"0a11ce00-0000-4000-8000-000000000001"}}
		got := map[string]any{}
		for k := range want {
			got[k] = p.asSelf[i][k]
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("introspection by the provider's client (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(map[string]any{"active": false}, p.asOthers[i]); diff != "" {
			t.Fatalf("introspection by another client (-want +got):\n%s", diff)
		}
	}
	code, _ := do(t, s, "GET", "/flows/"+p.victim, "tok-alice", "")
	require.Equal(t, http.StatusOK, code, "the user's flow is still there")
}

// TestActionProviderGetsAMintedToken: a provider outside the mock is never sent the run user's
// token: it gets a token minted for its own scope on the user's behalf, with which it cannot act
// on the user's flows and which only its own client may introspect.
func TestActionProviderGetsAMintedToken(t *testing.T) {
	s, _, p := startWithProvider(t)
	own := personaTokens(s)
	flow := `{"title": "Hostile", "definition": {"StartAt": "Ask", "States": {"Ask": {"Type": "Action",
		"ActionUrl": "` + p.srv.URL + `", "ActionScope": "` + providerScope + `",
		"Parameters": {}, "ResultPath": "$.ask", "End": true}}}}`
	code, body := do(t, s, "POST", "/flows", "tok-alice", flow)
	require.Equal(t, http.StatusCreated, code, body)
	code, body = do(t, s, "POST", "/flows/"+body["id"].(string)+"/run", "tok-alice", `{"body": {}}`)
	require.Equal(t, http.StatusCreated, code, body)
	runID := body["run_id"].(string)
	for range 4 {
		s.Settle()
		s.Clock().Advance(5 * time.Second)
	}
	s.Settle()
	_, body = do(t, s, "GET", "/runs/"+runID, "tok-alice", "")
	require.Equal(t, "SUCCEEDED", body["status"], body)
	checkMinted(t, s, p, own, providerScope)
	p.mu.Lock()
	n := len(p.tokens)
	p.mu.Unlock()
	require.GreaterOrEqual(t, n, 3, "run, status polls and release all reach the provider")
}

// TestRegisteredAPIGetsAMintedToken: a registered API is called with a token minted for the scope
// its operation's security requirement names, and with no token when it names none.
func TestRegisteredAPIGetsAMintedToken(t *testing.T) {
	for _, tc := range []struct {
		name, security string
		scope          string
	}{
		{name: "listed scope", security: `"security": [{"globus": ["` + providerScope + `"]}],`, scope: providerScope},
		{name: "scheme's scopes", security: `"security": [{"globus": []}],`, scope: providerScope},
		{name: "no security", security: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, p := startWithProvider(t)
			own := personaTokens(s)
			api := `{"name": "Hostile", "subscription_id": "5b5c0000-0000-4000-8000-000000000201",
				"target": {"type": "openapi", "openapi_version": "3.1",
					"destination": {"method": "post", "url": "` + p.srv.URL + `/do"},
					"specification": {` + tc.security + ` "responses": {"200": {"description": "done"}}},
					"components": {"securitySchemes": {"globus": {"type": "oauth2", "flows": {"authorizationCode": {
						"authorizationUrl": "https://auth.globus.org/v2/oauth2/authorize", "tokenUrl": "https://auth.globus.org/v2/oauth2/token",
						"scopes": {"` + providerScope + `": "act"}}}}}}}}`
			code, body := do(t, s, "POST", "/registered_apis", "tok-alice", api)
			require.Equal(t, http.StatusCreated, code, body)
			flow := `{"title": "Calls", "definition": {"StartAt": "Call", "States": {"Call": {"Type": "Action",
				"Handler": {"Type": "RegisteredAPI", "Id": "` + body["id"].(string) + `"}, "Parameters": {}, "End": true}}}}`
			code, body = do(t, s, "POST", "/flows", "tok-alice", flow)
			require.Equal(t, http.StatusCreated, code, body)
			code, body = do(t, s, "POST", "/flows/"+body["id"].(string)+"/run", "tok-alice", `{"body": {}}`)
			require.Equal(t, http.StatusCreated, code, body)
			s.Settle()
			_, body = do(t, s, "GET", "/runs/"+body["run_id"].(string), "tok-alice", "")
			require.Equal(t, "SUCCEEDED", body["status"], body)
			if tc.scope == "" {
				p.mu.Lock()
				defer p.mu.Unlock()
				require.Equal(t, []string{""}, p.tokens, "without a security requirement the call carries no token")
				return
			}
			checkMinted(t, s, p, own, tc.scope)
		})
	}
}

// grantProvider is an Action Provider that does what a real one does with the token Flows calls
// it with, over HTTP only: it introspects the token as its own client, trades it for dependent
// tokens, and lists the user's groups with the dependent Groups token. Its action's details say
// what it learned.
type grantProvider struct {
	mock, clientID, secret string

	mu      sync.Mutex
	learned map[string]any
}

func (p *grantProvider) form(path string, form url.Values) (int, any) {
	req, _ := http.NewRequest(http.MethodPost, p.mock+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(p.clientID, p.secret)
	return sendHTTP(req)
}

func sendHTTP(req *http.Request) (int, any) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var doc any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

func (p *grantProvider) handle(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	if r.URL.Path == "/run" {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		_, intro := p.form("/v2/oauth2/token/introspect", url.Values{"token": {token}, "include": {"identity_set"}})
		status, deps := p.form("/v2/oauth2/token", url.Values{"grant_type": {"urn:globus:auth:grant_type:dependent_token"},
			"token": {token}, "access_type": {"offline"}})
		learned := map[string]any{"introspection": intro, "grant_status": status}
		rs := []any{}
		list, _ := deps.([]any)
		for _, d := range list {
			doc, _ := d.(map[string]any)
			rs = append(rs, doc["resource_server"])
			_, hasRefresh := doc["refresh_token"]
			learned["refresh:"+doc["resource_server"].(string)] = hasRefresh
			if doc["resource_server"] == "groups.api.globus.org" {
				req, _ := http.NewRequest(http.MethodGet, p.mock+"/v2/groups/my_groups", nil)
				req.Header.Set("Authorization", "Bearer "+doc["access_token"].(string))
				code, groups := sendHTTP(req)
				names := []any{}
				gl, _ := groups.([]any)
				for _, g := range gl {
					names = append(names, g.(map[string]any)["name"])
				}
				learned["groups_status"], learned["groups"] = code, names
			}
		}
		learned["resource_servers"] = rs
		p.mu.Lock()
		p.learned = learned
		p.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]any{"action_id": "g-1", "status": "SUCCEEDED", "details": map[string]any{}, "creator_id": "x"})
}

func httpJSON(t *testing.T, method, u, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	code, doc := sendHTTP(req)
	m, _ := doc.(map[string]any)
	return code, m
}

// TestProviderIntrospectsAndGetsDependentTokens: a provider registered through the control plane
// is called with a token minted for its scope; over HTTP, its client sees whose the token is and
// trades it for the dependent tokens of its dependent scopes, for the same user.
func TestProviderIntrospectsAndGetsDependentTokens(t *testing.T) {
	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	mock := httptest.NewServer(s)
	t.Cleanup(mock.Close)
	p := &grantProvider{mock: mock.URL}
	srv := httptest.NewServer(http.HandlerFunc(p.handle))
	t.Cleanup(srv.Close)

	code, reg := httpJSON(t, "POST", mock.URL+"/_mock/providers", "", `{"url": "`+srv.URL+`", "secret": "s3cret",
		"dependent_scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all", "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships"]}`)
	require.Equal(t, http.StatusCreated, code, reg)
	p.clientID, p.secret = reg["client_id"].(string), "s3cret"

	code, flow := httpJSON(t, "POST", mock.URL+"/flows", "tok-alice", `{"title": "Mine", "definition": {"StartAt": "A",
		"States": {"A": {"Type": "Action", "ActionUrl": "`+srv.URL+`", "Parameters": {}, "End": true}}}}`)
	require.Equal(t, http.StatusCreated, code, flow)
	code, run := httpJSON(t, "POST", mock.URL+"/flows/"+flow["id"].(string)+"/run", "tok-alice", `{"body": {}}`)
	require.Equal(t, http.StatusCreated, code, run)
	s.Settle()
	_, run = httpJSON(t, "GET", mock.URL+"/runs/"+run["run_id"].(string), "tok-alice", "")
	require.Equal(t, "SUCCEEDED", run["status"], run)

	p.mu.Lock()
	learned := p.learned
	p.mu.Unlock()
	intro, _ := learned["introspection"].(map[string]any)
	picked := map[string]any{}
	for _, k := range []string{"active", "sub", "username", "scope", "aud", "identity_set", "client_id"} {
		picked[k] = intro[k]
	}
	alice := "0a11ce00-0000-4000-8000-000000000001"
	want := map[string]any{"active": true, "sub": alice, "username": "alice@example.org", "scope": reg["scope"],
		"aud": []any{p.clientID}, "identity_set": []any{alice}, "client_id": "eec9b274-0c81-4334-bdc2-54e90e689b9a"}
	if diff := cmp.Diff(want, picked); diff != "" {
		t.Fatalf("the provider's introspection (-want +got):\n%s", diff)
	}
	require.NotEmpty(t, intro["dependent_tokens_cache_id"])
	wantLearned := map[string]any{"grant_status": http.StatusOK,
		"resource_servers":                []any{"transfer.api.globus.org", "groups.api.globus.org"},
		"refresh:transfer.api.globus.org": true, "refresh:groups.api.globus.org": true,
		// alice's groups in the default world.
		"groups_status": http.StatusOK, "groups": []any{"High-Assurance Subscribers", "Standard Subscribers"}}
	delete(learned, "introspection")
	if diff := cmp.Diff(wantLearned, learned); diff != "" {
		t.Fatalf("what the provider learned (-want +got):\n%s", diff)
	}
}

// TestProvidersInWorldFiles: providers load from a world document, dump back the same, and their
// clients are not repeated among the world's clients.
func TestProvidersInWorldFiles(t *testing.T) {
	s := newTestServer(t)
	mock := httptest.NewServer(s)
	t.Cleanup(mock.Close)
	code, _ := httpJSON(t, "POST", mock.URL+"/_mock/providers", "", `{"url": "https://ap.example.org/x/", "client_id": "9a0f0000-0000-4000-8000-00000000b001", "secret": "s"}`)
	require.Equal(t, http.StatusCreated, code)
	dump, err := json.Marshal(s.Dump())
	require.NoError(t, err)
	var doc struct {
		Clients   []map[string]any `json:"clients"`
		Providers []map[string]any `json:"providers"`
	}
	require.NoError(t, json.Unmarshal(dump, &doc))
	want := []map[string]any{{"url": "https://ap.example.org/x", "client_id": "9a0f0000-0000-4000-8000-00000000b001", "secret": "s",
		"scope": "https://auth.globus.org/scopes/9a0f0000-0000-4000-8000-00000000b001/action_all", "dependent_scopes": []any{}}}
	if diff := cmp.Diff(want, doc.Providers); diff != "" {
		t.Fatalf("providers in the dump (-want +got):\n%s", diff)
	}
	for _, c := range doc.Clients {
		require.NotEqual(t, "9a0f0000-0000-4000-8000-00000000b001", c["id"], "the provider's client comes with the provider")
	}
	code, body := httpJSON(t, "PUT", mock.URL+"/_mock/state", "", string(dump))
	require.Equal(t, http.StatusOK, code, body)
	again, err := json.Marshal(s.Dump())
	require.NoError(t, err)
	require.JSONEq(t, string(dump), string(again))

	bad := strings.Replace(string(dump), `"secret":"s"`, `"secret":""`, 1)
	code, body = httpJSON(t, "PUT", mock.URL+"/_mock/state", "", bad)
	require.Equal(t, http.StatusUnprocessableEntity, code, body)
	require.Contains(t, body["error"].(map[string]any)["message"], "providers[0].secret")
}

// TestDeletedProviderLeavesALoadableWorld: removing a provider removes its client, the tokens
// issued to it and its group memberships, so the state still dumps into a world that loads.
func TestDeletedProviderLeavesALoadableWorld(t *testing.T) {
	s := newTestServer(t)
	mock := httptest.NewServer(s)
	t.Cleanup(mock.Close)
	code, reg := httpJSON(t, "POST", mock.URL+"/_mock/providers", "", `{"url": "https://ap.example.org/x", "secret": "s"}`)
	require.Equal(t, http.StatusCreated, code, reg)
	id := reg["client_id"].(string)
	req, _ := http.NewRequest(http.MethodPost, mock.URL+"/v2/oauth2/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"},
		"scope": {"urn:globus:auth:scope:transfer.api.globus.org:all"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, "s")
	code, tok := sendHTTP(req)
	require.Equal(t, http.StatusOK, code, tok)
	code, _ = httpJSON(t, "POST", mock.URL+"/_mock/groups", "", `{"name": "with the provider", "members": [{"identity_id": "`+id+`"}]}`)
	require.Equal(t, http.StatusCreated, code)
	code, _ = httpJSON(t, "DELETE", mock.URL+"/_mock/providers/"+id, "", "")
	require.Equal(t, http.StatusOK, code)
	dump, err := json.Marshal(s.Dump())
	require.NoError(t, err)
	code, body := httpJSON(t, "PUT", mock.URL+"/_mock/state", "", string(dump))
	require.Equal(t, http.StatusOK, code, body)
	code, _ = httpJSON(t, "GET", mock.URL+"/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301", tok.(map[string]any)["access_token"].(string), "")
	require.Equal(t, http.StatusUnauthorized, code, "the deleted client's token is gone")
}
