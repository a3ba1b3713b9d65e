package actionprovider_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/globus-conformance/kit/cmd/example-provider/actionprovider"
	"github.com/globus-conformance/kit/mockserver"
)

const (
	clientID = "9a0f0000-0000-4000-8000-00000000e001"
	secret   = "example-secret"
	guest    = "c011ec70-0000-4000-8000-000000000301" // alice's guest collection in the default world
	bob      = "0b0b0000-0000-4000-8000-000000000002"
)

// call sends a JSON request to the mock and decodes its answer.
func call(t *testing.T, method, u, token string, body any) (int, map[string]any) {
	t.Helper()
	header := http.Header{}
	var payload []byte
	if body != nil {
		payload, _ = json.Marshal(body)
		header.Set("Content-Type", "application/json")
	}
	if token != "" {
		header.Set("Authorization", "Bearer "+token)
	}
	req, _ := http.NewRequest(method, u, bytes.NewReader(payload))
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

// start serves a mock (validating its answers) and the example provider pointed at it.
func start(t *testing.T) (mock, ap *httptest.Server) {
	t.Helper()
	srv, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	mock = httptest.NewServer(srv)
	t.Cleanup(mock.Close)
	ap = httptest.NewServer(actionprovider.New(actionprovider.Config{AuthURL: mock.URL, ClientID: clientID, Secret: secret}))
	t.Cleanup(ap.Close)
	return mock, ap
}

// TestFlowCallsTheExampleProvider runs a flow on the mock whose Action state calls the example
// provider: the provider introspects its token, trades it for a dependent Transfer token and
// makes the ACL rule the flow asked for, as the run's user.
func TestFlowCallsTheExampleProvider(t *testing.T) {
	mock, ap := start(t)

	if code, doc := call(t, "POST", mock.URL+"/_mock/providers", "", map[string]any{"url": ap.URL, "client_id": clientID, "secret": secret,
		"dependent_scopes": []string{actionprovider.TransferScope}}); code != http.StatusCreated && code != http.StatusOK {
		t.Fatalf("register the provider: %d %v", code, doc)
	}
	def := map[string]any{"StartAt": "Grant", "States": map[string]any{"Grant": map[string]any{"Type": "Action", "ActionUrl": ap.URL,
		"Parameters": map[string]any{"collection_id": guest, "path": "/shared/", "principal": bob, "wait": 1},
		"ResultPath": "$.grant", "End": true}}}
	code, flow := call(t, "POST", mock.URL+"/flows", "tok-alice", map[string]any{"title": "Grant bob", "definition": def})
	if code != http.StatusCreated {
		t.Fatalf("create the flow: %d %v", code, flow)
	}
	code, run := call(t, "POST", fmt.Sprintf("%s/flows/%s/run", mock.URL, flow["id"]), "tok-alice", map[string]any{"body": map[string]any{}})
	if code != http.StatusCreated {
		t.Fatalf("start the run: %d %v", code, run)
	}
	// The action is ACTIVE for one status read: the mock polls it after 2 s of its clock.
	call(t, "POST", mock.URL+"/_mock/clock/advance", "", map[string]any{"seconds": 5})
	call(t, "POST", mock.URL+"/_mock/settle", "", nil)
	_, got := call(t, "GET", fmt.Sprintf("%s/runs/%s", mock.URL, run["run_id"]), "tok-alice", nil)
	if got["status"] != "SUCCEEDED" {
		t.Fatalf("the run is %v, want SUCCEEDED: %v", got["status"], got)
	}
	out, _ := got["details"].(map[string]any)["output"].(map[string]any)["grant"].(map[string]any)
	details, _ := out["details"].(map[string]any)
	ruleID, _ := details["access_id"].(string)
	if ruleID == "" {
		t.Fatalf("the action's details name no rule: %v", out)
	}

	// The rule exists, for bob, at the path, as the provider reported.
	code, rule := call(t, "GET", fmt.Sprintf("%s/v0.10/endpoint/%s/access/%s", mock.URL, guest, ruleID), "tok-alice", nil)
	if code != http.StatusOK || rule["principal"] != bob || rule["path"] != "/shared/" {
		t.Errorf("the rule %s: %d %v", ruleID, code, rule)
	}

	// The journal shows the provider's introspection and its dependent-token grant, as its client.
	q := url.Values{"method": {"POST"}, "path": {"/v2/oauth2/**"}}
	_, journal := call(t, "GET", mock.URL+"/_mock/requests?"+q.Encode(), "", nil)
	var introspections, grants int
	for _, r := range journal["requests"].([]any) {
		r := r.(map[string]any)
		if r["client_id"] != clientID {
			continue
		}
		switch {
		case r["path"] == "/v2/oauth2/token/introspect":
			introspections++
		case r["path"] == "/v2/oauth2/token" && r["grant_type"] == "urn:globus:auth:grant_type:dependent_token":
			grants++
		}
	}
	if introspections == 0 || grants != 1 {
		t.Errorf("the journal shows %d introspections and %d dependent-token grants by the provider, want some and 1:\n%v", introspections, grants, journal)
	}
}

// TestBadRequestsAreRefused: the provider answers bad input with a 4xx in its own error document
// ({"code", "description"}) and starts nothing.
func TestBadRequestsAreRefused(t *testing.T) {
	mock, ap := start(t)
	call(t, "POST", mock.URL+"/_mock/providers", "", map[string]any{"url": ap.URL, "client_id": clientID, "secret": secret})
	_, minted := call(t, "POST", mock.URL+"/_mock/tokens", "", map[string]any{"identity_id": bob,
		"scopes": []string{"https://auth.globus.org/scopes/" + clientID + "/action_all"}})
	tok, _ := minted["token"].(string)
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"no request_id", "POST", "/run", map[string]any{"body": map[string]any{}}, 400, "BadActionRequest"},
		{"no body", "POST", "/run", map[string]any{"request_id": "r1"}, 400, "BadActionRequest"},
		{"a body that is not an object", "POST", "/run", map[string]any{"request_id": "r2", "body": nil}, 400, "BadActionRequest"},
		{"a list for a body", "POST", "/actions", map[string]any{"request_id": "r3", "body": []int{1}}, 400, "BadActionRequest"},
		{"an unknown input", "POST", "/run", map[string]any{"request_id": "r4", "body": map[string]any{"nope": 1}}, 400, "BadActionRequest"},
		{"a path without a collection", "POST", "/run", map[string]any{"request_id": "r5", "body": map[string]any{"path": "/x/"}}, 400, "BadActionRequest"},
		{"a wait out of range", "POST", "/run", map[string]any{"request_id": "r6", "body": map[string]any{"wait": -1}}, 400, "BadActionRequest"},
		{"a label too long", "POST", "/run", map[string]any{"request_id": "r7", "body": map[string]any{}, "label": string(make([]byte, 65))}, 400, "BadActionRequest"},
		{"an unknown field", "POST", "/run", map[string]any{"request_id": "r8", "body": map[string]any{}, "colour": "red"}, 400, "BadActionRequest"},
		{"an unknown action", "GET", "/nope/status", nil, 404, "ActionNotFound"},
		{"an unknown operation", "POST", "/actions/nope/explode", nil, 404, "ActionNotFound"},
		{"the wrong method", "GET", "/run", nil, 405, "MethodNotAllowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, doc := call(t, tc.method, ap.URL+tc.path, tok, tc.body)
			if code != tc.status || doc["code"] != tc.code || doc["description"] == "" {
				t.Errorf("%s %s = %d %v, want %d %s with a description", tc.method, tc.path, code, doc, tc.status, tc.code)
			}
		})
	}
}
