package mockserver

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// Faults are listed with an id, what they match and the times they have left, and removed one
// by one; the Go methods and the control plane see the same rules.
func TestFaultsAreListedAndRemovedOneByOne(t *testing.T) {
	s := newTestServer(t)
	code, first := do(t, s, "POST", "/_mock/faults", "", `{"operation": "getFlow", "status": 503, "times": 2}`)
	require.Equal(t, http.StatusCreated, code, first)
	require.NotEmpty(t, first["id"], "a fault has an id")
	second, err := s.InjectFault(Fault{Method: "GET", Path: "/runs/**", Status: 429, RetryAfter: 2})
	require.NoError(t, err)
	require.NotEmpty(t, second.ID)
	require.NotEqual(t, first["id"], second.ID)

	// One request takes one of the first fault's two times.
	code, _ = do(t, s, "GET", "/flows/"+"0a11ce00-0000-4000-8000-00000000f10f", "tok-alice", "")
	require.Equal(t, http.StatusServiceUnavailable, code)

	code, doc := do(t, s, "GET", "/_mock/faults", "", "")
	require.Equal(t, http.StatusOK, code, doc)
	want := []any{
		map[string]any{"id": first["id"], "operation": "getFlow", "status": 503.0, "code": "ServiceUnavailable",
			"message": "The service is temporarily unable to handle the request (injected fault)", "times": 1.0},
		map[string]any{"id": second.ID, "method": "GET", "path": "/runs/**", "status": 429.0, "code": "RateLimited",
			"message": "The service is temporarily unable to handle the request (injected fault)", "retry_after": 2.0},
	}
	if diff := cmp.Diff(want, doc["faults"]); diff != "" {
		t.Fatalf("GET /_mock/faults (-want +got):\n%s", diff)
	}
	require.Len(t, s.Faults(), 2)

	code, doc = do(t, s, "DELETE", "/_mock/faults/"+second.ID, "", "")
	require.Equal(t, http.StatusOK, code, doc)
	code, _ = do(t, s, "GET", "/runs", "tok-alice", "")
	require.Equal(t, http.StatusOK, code, "the removed fault no longer applies")
	code, doc = do(t, s, "DELETE", "/_mock/faults/"+second.ID, "", "")
	require.Equal(t, http.StatusNotFound, code, "removing it twice: %v", doc)
	require.Equal(t, "NOT_FOUND", doc["error"].(map[string]any)["code"])

	require.True(t, s.RemoveFault(first["id"].(string)))
	require.False(t, s.RemoveFault(first["id"].(string)))
	require.Empty(t, s.Faults())
	_, doc = do(t, s, "GET", "/_mock/faults", "", "")
	require.Equal(t, []any{}, doc["faults"])

	code, doc = do(t, s, "POST", "/_mock/faults", "", `{"id": "mine", "operation": "getFlow"}`)
	require.Equal(t, http.StatusUnprocessableEntity, code, "the mock chooses the ids: %v", doc)
}

// A fault's probability is a chance between 0 and 1, and its times may not be negative: each
// refusal says which, and what is allowed.
func TestFaultRefusalsSayWhatIsAllowed(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		body, field, detail string
	}{
		{`{"path": "/x", "probability": 2}`, "probability", "probability must be between 0 and 1"},
		{`{"path": "/x", "probability": -0.5}`, "probability", "probability must be between 0 and 1"},
		{`{"path": "/x", "times": -1}`, "times", "times may not be negative (0: until removed)"},
	}
	for _, c := range cases {
		t.Run(c.body, func(t *testing.T) {
			code, doc := do(t, s, "POST", "/_mock/faults", "", c.body)
			require.Equal(t, http.StatusUnprocessableEntity, code, doc)
			detail := doc["error"].(map[string]any)["detail"].([]any)[0].(map[string]any)
			require.Equal(t, []any{c.field}, detail["loc"])
			require.Equal(t, c.detail, detail["msg"])
		})
	}
	require.Empty(t, s.Faults())
}

// After a freeze (or an advance), follow makes the clock show wall time again.
func TestFollowReturnsToWallTime(t *testing.T) {
	s := newTestServer(t)
	for _, move := range []struct{ path, body string }{
		{"/_mock/clock/freeze", `{"now": "2031-06-01T00:00:00Z"}`},
		{"/_mock/clock/freeze", `{"now": "1999-06-01T00:00:00Z"}`},
		{"/_mock/clock/advance", `{"seconds": 86400}`},
	} {
		code, doc := do(t, s, "POST", move.path, "", move.body)
		require.Equal(t, http.StatusOK, code, doc)
		code, doc = do(t, s, "POST", "/_mock/clock/follow", "", "")
		require.Equal(t, http.StatusOK, code, doc)
		require.Equal(t, false, doc["frozen"])
		now, err := time.Parse(time.RFC3339Nano, doc["now"].(string))
		require.NoError(t, err)
		require.WithinDuration(t, time.Now(), now, time.Minute, "after %s %s", move.path, move.body)
	}
}

// A reset puts the world back but keeps the request journal: a test reads what its client sent
// before it reset the mock. DELETE /_mock/requests empties it.
func TestResetKeepsTheJournal(t *testing.T) {
	s := newTestServer(t)
	code, _ := do(t, s, "GET", "/flows", "tok-alice", "")
	require.Equal(t, http.StatusOK, code)
	code, _ = do(t, s, "POST", "/_mock/reset", "", "")
	require.Equal(t, http.StatusOK, code)
	_, doc := do(t, s, "GET", "/_mock/requests?path=/flows", "", "")
	require.Len(t, doc["requests"], 1, "the request before the reset is still there")

	w := s.Dump()
	require.NoError(t, s.Load(w))
	_, doc = do(t, s, "GET", "/_mock/requests?path=/flows", "", "")
	require.Len(t, doc["requests"], 1, "loading a world keeps it too")

	code, _ = do(t, s, "DELETE", "/_mock/requests", "", "")
	require.Equal(t, http.StatusOK, code)
	_, doc = do(t, s, "GET", "/_mock/requests", "", "")
	require.Empty(t, doc["requests"])
}
