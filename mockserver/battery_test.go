package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/openapi"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The bad-input battery: every operation of the contract gets malformed JSON, wrong types, a body
// over the limit, deep nesting, invalid UTF-8, unknown ids, a wrong method, and missing or
// malformed tokens. Each answer must be a 4xx in its service's error format, and the state (the
// control plane's dump) must not change.

const batteryLimit = 64 << 10

// seedWorld makes one of everything through the public API and returns the ids by the name of
// the path parameter that takes them.
func seedWorld(t testing.TB, s *Server) map[string]string {
	t.Helper()
	ids := map[string]string{"endpoint_id": "c011ec70-0000-4000-8000-000000000301"}
	create := func(method, path, body, key string) map[string]any {
		t.Helper()
		status, doc := do(t, s, method, path, "tok-alice", body)
		require.Less(t, status, 300, "%s %s: %v", method, path, doc)
		return doc
	}
	ids["policy_id"] = fmt.Sprint(create("POST", "/v2/api/policies", `{"policy": {"project_id": "d0c5e000-0000-4000-8000-000000000001", "display_name": "P", "description": "p", "high_assurance": false}}`, "")["policy"].(map[string]any)["id"])
	flow := create("POST", "/flows", `{"title": "Ask", "definition": {"StartAt": "Ask", "States": {
		"Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection", "Context": {"Title": "Q"},
		        "Options": [{"Value": 1, "Label": "One"}], "RespondentUrns": ["urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"]},
		        "ResultPath": "$.q", "Next": "Wait"},
		"Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.q.web_input_id"}, "End": true}}}}`, "")
	ids["flow_id"] = fmt.Sprint(flow["id"])
	run := create("POST", "/flows/"+ids["flow_id"]+"/run", `{"body": {}}`, "")
	ids["run_id"] = fmt.Sprint(run["run_id"])
	s.Settle()
	_, got := do(t, s, "GET", "/runs/"+ids["run_id"], "tok-alice", "")
	ids["web_input_id"] = fmt.Sprint(got["blocking_web_input_id"])
	ids["rule_id"] = fmt.Sprint(create("POST", "/v0.10/endpoint/"+ids["endpoint_id"]+"/access",
		`{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/data/", "permissions": "r"}`, "")["access_id"])
	ids["role_id"] = fmt.Sprint(create("POST", "/v0.10/endpoint/"+ids["endpoint_id"]+"/role",
		`{"DATA_TYPE": "role", "principal_type": "identity", "principal": "0ca20100-0000-4000-8000-000000000003", "role": "activity_monitor"}`, "")["id"])
	ids["registered_api_id"] = fmt.Sprint(create("POST", "/registered_apis", `{"name": "R", "subscription_id": "5b5c0000-0000-4000-8000-000000000201",
		"target": {"type": "openapi", "openapi_version": "3.1", "destination": {"method": "get", "url": "https://api.example.org/x"}, "specification": {}}}`, "")["id"])
	return ids
}

func fill(path string, ids map[string]string) string {
	for k, v := range ids {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	return path
}

// inServiceFormat tells whether an error document is in the service's own format.
func inServiceFormat(svc openapi.Service, doc map[string]any) bool {
	switch svc {
	case openapi.Transfer:
		return doc["code"] != nil && doc["message"] != nil && doc["request_id"] != nil && doc["DATA_TYPE"] == "result"
	case openapi.Auth:
		_, list := doc["errors"].([]any)
		return doc["error"] != nil && list
	}
	if e, ok := doc["error"].(map[string]any); ok {
		return e["code"] != nil && e["detail"] != nil && doc["debug_id"] != nil
	}
	return doc["code"] != nil && doc["authorization_parameters"] != nil // a GARE
}

type probe struct {
	name    string
	method  string // "" keeps the operation's
	path    func(string) string
	token   string // "" sends none
	auth    string // a raw Authorization header instead of a token
	body    string
	ctype   string
	skipFor func(op openapi.Described, hasBody bool) bool
}

func bodiless(_ openapi.Described, hasBody bool) bool { return !hasBody }

func noPathID(op openapi.Described, _ bool) bool { return !strings.Contains(op.Path, "{") }

func probes() []probe {
	same := func(p string) string { return p }
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	return []probe{
		{name: "no token", path: same, body: "{}"},
		{name: "malformed token", path: same, auth: "Bearer", body: "{}"},
		{name: "unknown token", path: same, token: "tok-nobody", body: "{}"},
		{name: "basic scheme", path: same, auth: "Basic Zm9vOmJhcg==", body: "{}"},
		{name: "malformed JSON", path: same, token: "tok-alice", body: `{"title": `, skipFor: bodiless},
		{name: "wrong type", path: same, token: "tok-alice", body: `["not", "an", "object"]`, skipFor: bodiless},
		{name: "wrong field types", path: same, token: "tok-alice", skipFor: bodiless,
			body: `{"title": 7, "definition": "x", "body": 3, "principal_type": [], "policy": 1, "name": {}, "response": 2, "filters": 1, "tags": "x", "label": 1}`},
		{name: "body over the limit", path: same, token: "tok-alice", body: `{"x": "` + strings.Repeat("a", batteryLimit) + `"}`, skipFor: bodiless},
		{name: "deep nesting", path: same, token: "tok-alice", body: deep, skipFor: bodiless},
		{name: "invalid UTF-8", path: same, token: "tok-alice", body: "{\"title\": \"\xff\xfe\"}", skipFor: bodiless},
		{name: "unknown ids", token: "tok-alice", body: "{}", skipFor: noPathID, path: func(p string) string {
			for _, k := range []string{"flow_id", "run_id", "rule_id", "role_id", "policy_id", "registered_api_id", "web_input_id", "endpoint_id"} {
				p = strings.ReplaceAll(p, "{"+k+"}", "00000000-dead-4bee-8000-000000000000")
			}
			return p
		}},
		{name: "wrong method", method: "TRACE", path: same, token: "tok-alice"},
	}
}

func TestBadInputBattery(t *testing.T) {
	s, err := New(Options{ValidateResponses: true, MaxBodyBytes: batteryLimit})
	require.NoError(t, err)
	ids := seedWorld(t, s)
	s.Settle()
	spec := openapi.MustLoad()
	for _, op := range spec.Operations() {
		item := spec.Doc(op.Service).Paths.Find(op.Path)
		hasBody := item.GetOperation(op.Method).RequestBody != nil
		for _, p := range probes() {
			if p.skipFor != nil && p.skipFor(op, hasBody) {
				continue
			}
			if (op.OperationID == "issueToken" || op.OperationID == "introspectToken") && p.token == "tok-alice" {
				continue // these take client credentials, not bearer tokens: the other probes cover them
			}
			if (op.OperationID == "openIDConfiguration" || op.OperationID == "getJWKS") && p.token != "tok-alice" {
				continue // public documents (OpenID discovery, the signing keys) answer anyone
			}
			t.Run(op.OperationID+"/"+p.name, func(t *testing.T) {
				before, _ := json.Marshal(s.Dump())
				method := op.Method
				if p.method != "" {
					method = p.method
				}
				r := httptest.NewRequest(method, fill(p.path(op.Path), ids), strings.NewReader(p.body))
				switch {
				case p.auth != "":
					r.Header.Set("Authorization", p.auth)
				case p.token != "":
					r.Header.Set("Authorization", "Bearer "+p.token)
				}
				if p.body != "" {
					ct := "application/json"
					if strings.HasPrefix(op.Path, "/v2/oauth2/") {
						ct = "application/x-www-form-urlencoded"
					}
					r.Header.Set("Content-Type", ct)
				}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				var doc map[string]any
				_ = json.Unmarshal(w.Body.Bytes(), &doc)
				if w.Code < 400 || w.Code > 499 {
					t.Fatalf("%s %s: status %d, want a 4xx: %s", method, r.URL.Path, w.Code, truncateBody(w.Body.String()))
				}
				if !inServiceFormat(op.Service, doc) {
					t.Fatalf("%s %s: %d body not in the %s error format: %s", method, r.URL.Path, w.Code, op.Service, truncateBody(w.Body.String()))
				}
				s.Settle()
				after, _ := json.Marshal(s.Dump())
				if diff := cmp.Diff(string(before), string(after)); diff != "" {
					t.Fatalf("%s %s changed the state (-before +after):\n%s", method, r.URL.Path, diff)
				}
			})
		}
	}
	require.Equal(t, http.StatusOK, func() int { st, _ := do(t, s, "GET", "/flows/"+ids["flow_id"], "tok-alice", ""); return st }())
}

func truncateBody(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
