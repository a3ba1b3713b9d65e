package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/stretchr/testify/require"
)

// TestExternalActionProvider: an Action state calls a provider outside the mock over the Action
// Provider API (with a token minted for its scope), polls it on the mock clock, and stores its
// final status.
func TestExternalActionProvider(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	polls := 0
	ap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		doc := map[string]any{"action_id": "ext-1", "status": "ACTIVE", "details": map[string]any{}, "creator_id": "x"}
		switch {
		case r.URL.Path == "/run":
			var in map[string]any
			_ = json.NewDecoder(r.Body).Decode(&in)
			if in["request_id"] == nil || in["body"] == nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusAccepted)
		case strings.HasSuffix(r.URL.Path, "/status"):
			polls++
			if polls >= 2 {
				doc["status"], doc["details"] = "SUCCEEDED", map[string]any{"answer": 42}
			}
		}
		_ = json.NewEncoder(w).Encode(doc)
	}))
	defer ap.Close()

	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	flow := `{"title": "External", "definition": {"StartAt": "Ask", "States": {"Ask": {"Type": "Action",
		"ActionUrl": "` + ap.URL + `", "ActionScope": "https://auth.globus.org/scopes/ext/run",
		"Parameters": {"question": "?"}, "ResultPath": "$.ask", "End": true}}}}`
	code, body := do(t, s, "POST", "/flows", "tok-alice", flow)
	require.Equal(t, http.StatusCreated, code, body)
	code, body = do(t, s, "POST", "/flows/"+body["id"].(string)+"/run", "tok-alice", `{"body": {}}`)
	require.Equal(t, http.StatusCreated, code, body)
	runID := body["run_id"].(string)
	s.Settle()
	_, body = do(t, s, "GET", "/runs/"+runID, "tok-alice", "")
	require.Equal(t, "ACTIVE", body["status"])
	for range 3 {
		s.Clock().Advance(5 * time.Second)
		s.Settle()
	}
	_, body = do(t, s, "GET", "/runs/"+runID, "tok-alice", "")
	require.Equal(t, "SUCCEEDED", body["status"], body)
	out := body["details"].(map[string]any)["output"].(map[string]any)["ask"].(map[string]any)
	require.Equal(t, "SUCCEEDED", out["status"])
	require.EqualValues(t, 42, out["details"].(map[string]any)["answer"])
	mu.Lock()
	defer mu.Unlock()
	require.True(t, strings.HasPrefix(seen[0], "POST /run Bearer mock-dep-"), seen[0])
	require.Contains(t, seen[1], "GET /ext-1/status")
}

// TestBuiltinProvidersOverHTTP: the built-in providers speak the Action Provider API at /actions/.
func TestBuiltinProvidersOverHTTP(t *testing.T) {
	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	code, body := do(t, s, "GET", "/actions/hello_world/", "tok-alice", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "https://auth.globus.org/scopes/actions.globus.org/hello_world", body["globus_auth_scope"])

	code, body = do(t, s, "POST", "/actions/hello_world/run", "tok-alice", `{"request_id": "r1", "body": {"echo_string": "hi", "sleep_time": 10}}`)
	require.Equal(t, http.StatusAccepted, code, body)
	id := body["action_id"].(string)
	require.Equal(t, "ACTIVE", body["status"])
	code, _ = do(t, s, "POST", "/actions/hello_world/"+id+"/release", "tok-alice", "")
	require.Equal(t, http.StatusConflict, code, "an active action cannot be released")
	s.Clock().Advance(10 * time.Second)
	code, body = do(t, s, "GET", "/actions/hello_world/"+id+"/status", "tok-alice", "")
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, "SUCCEEDED", body["status"])
	require.Equal(t, "hi", body["details"].(map[string]any)["hello"])
	code, _ = do(t, s, "POST", "/actions/hello_world/"+id+"/release", "tok-alice", "")
	require.Equal(t, http.StatusOK, code)
	code, _ = do(t, s, "GET", "/actions/hello_world/"+id+"/status", "tok-alice", "")
	require.Equal(t, http.StatusNotFound, code)

	code, body = do(t, s, "POST", "/actions/hello_world/run", "tok-alice", `{"request_id": "r2", "body": {}}`)
	require.Equal(t, http.StatusBadRequest, code, body)
	require.Equal(t, "InvalidInput", body["code"])
	code, _ = do(t, s, "POST", "/actions/hello_world/run", "", `{"request_id": "r3", "body": {"echo_string": "x"}}`)
	require.Equal(t, http.StatusUnauthorized, code)
	// A provider accepts only tokens for its own scope.
	narrow, err := s.IssueToken(auth.Token{IdentityID: "0a11ce00-0000-4000-8000-000000000001", Scopes: []string{auth.FlowsScope("view_flows")}})
	require.NoError(t, err)
	code, body = do(t, s, "POST", "/actions/hello_world/run", narrow.Token, `{"request_id": "r5", "body": {"echo_string": "x"}}`)
	require.Equal(t, http.StatusForbidden, code, body)
	code, body = do(t, s, "POST", "/actions/transfer/ls/run", "tok-alice",
		`{"request_id": "r4", "body": {"endpoint_id": "c011ec70-0000-4000-8000-000000000301", "path": "/"}}`)
	require.Equal(t, http.StatusAccepted, code, body)
	require.Equal(t, "SUCCEEDED", body["status"])
}
