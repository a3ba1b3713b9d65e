package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestExternalActionProvider: an Action state calls a provider outside the mock over the Action
// Provider API with the run's token, polls it on the mock clock, and stores its final status.
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
	require.Equal(t, "POST /run Bearer tok-alice", seen[0])
	require.Contains(t, seen[1], "GET /ext-1/status")
}
