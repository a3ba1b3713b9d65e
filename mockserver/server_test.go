package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Options{ValidateResponses: true})
	require.NoError(t, err)
	return s
}

// localRequest is httptest.NewRequest addressed to localhost, a host the control plane answers
// under (httptest's default, example.com, is refused there).
func localRequest(method, path string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, path, body)
	r.Host = "localhost"
	return r
}

func do(t testing.TB, h http.Handler, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	r := localRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var doc map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &doc)
	return w.Code, doc
}

const simpleFlow = `{"title": "T", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`

// A dump loads back as a seed and dumps to the same bytes (DESIGN §6).
func TestDumpLoadDumpIsIdentical(t *testing.T) {
	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	code, _ := do(t, s, "POST", "/flows", "tok-alice", simpleFlow)
	require.Equal(t, http.StatusCreated, code)
	code, body := do(t, s, "POST", "/flows", "tok-alice",
		`{"title": "Sleepy", "definition": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}}`)
	require.Equal(t, http.StatusCreated, code)
	code, body = do(t, s, "POST", "/flows/"+body["id"].(string)+"/run", "tok-alice", `{"body": {"secret": "x"}}`)
	require.Equal(t, http.StatusCreated, code)
	runID := body["run_id"].(string)
	s.Settle()
	first, err := json.Marshal(s.Dump())
	require.NoError(t, err)

	other := newTestServer(t)
	w := s.Dump()
	require.NoError(t, other.Load(w))
	second, err := json.Marshal(other.Dump())
	require.NoError(t, err)
	if diff := cmp.Diff(string(first), string(second)); diff != "" {
		t.Fatalf("dump after load differs (-first +second):\n%s", diff)
	}

	// The loaded run is still waiting, and goes on when the clock moves.
	other.Clock().Advance(time.Minute)
	other.Settle()
	code, body = do(t, other, "GET", "/runs/"+runID, "tok-alice", "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "SUCCEEDED", body["status"])
}

// A run saved while it waits keeps where its private values are, indexes included: once loaded
// and finished, its details still hide them.
func TestLoadedRunKeepsItsPrivateLocations(t *testing.T) {
	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	code, body := do(t, s, "POST", "/flows", "tok-alice", `{"title": "Keeper", "definition": {"StartAt": "Keep", "States": {
		"Keep": {"Type": "ExpressionEval", "Parameters": {"pin": "P1N-SAVED", "__Private_Parameters": ["pin"]}, "ResultPath": "$.slots[1]", "Next": "W"},
		"W": {"Type": "Wait", "Seconds": 60, "End": true}}}}`)
	require.Equal(t, http.StatusCreated, code)
	code, body = do(t, s, "POST", "/flows/"+body["id"].(string)+"/run", "tok-alice", `{"body": {"slots": [1, {}]}}`)
	require.Equal(t, http.StatusCreated, code)
	runID := body["run_id"].(string)
	s.Settle()

	other := newTestServer(t)
	require.NoError(t, other.Load(s.Dump()))
	other.Clock().Advance(time.Minute)
	other.Settle()
	r := httptest.NewRequest("GET", "/runs/"+runID, nil)
	r.Header.Set("Authorization", "Bearer tok-alice")
	w := httptest.NewRecorder()
	other.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code)
	require.Contains(t, w.Body.String(), `"output":{"slots":[1,{}]}`)
	require.NotContains(t, w.Body.String(), "P1N-SAVED")
}

func TestResetRestoresTheSeed(t *testing.T) {
	s := newTestServer(t)
	do(t, s, "POST", "/flows", "tok-alice", simpleFlow)
	require.NoError(t, s.Reset())
	_, doc := do(t, s, "GET", "/flows", "tok-alice", "")
	require.Empty(t, doc["flows"])
}

func TestControlPlaneStateRoundTrip(t *testing.T) {
	s := newTestServer(t)
	do(t, s, "POST", "/flows", "tok-alice", simpleFlow)
	r := localRequest("GET", "/_mock/state", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code)
	dumped := w.Body.Bytes()

	other := newTestServer(t)
	w2 := httptest.NewRecorder()
	put := localRequest("PUT", "/_mock/state", bytes.NewReader(dumped))
	put.Header.Set("Content-Type", "application/json")
	other.ServeHTTP(w2, put)
	require.Equal(t, http.StatusOK, w2.Code, w2.Body.String())
	w3 := httptest.NewRecorder()
	other.ServeHTTP(w3, localRequest("GET", "/_mock/state", nil))
	if diff := cmp.Diff(string(dumped), w3.Body.String()); diff != "" {
		t.Fatalf("state differs (-want +got):\n%s", diff)
	}
}

func TestLoadRefusesABadWorldAndKeepsTheOldOne(t *testing.T) {
	s := newTestServer(t)
	code, _ := do(t, s, "PUT", "/_mock/state", "", `{"tokens": [{"token": "x", "identity_id": "nobody"}]}`)
	require.Equal(t, http.StatusUnprocessableEntity, code)
	code, _ = do(t, s, "GET", "/flows", "tok-alice", "")
	require.Equal(t, http.StatusOK, code)
}

func TestPipelineErrors(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, method, path, token, body string
		wantStatus                      int
		wantCode                        string
	}{
		{"no token", "GET", "/flows", "", "", 401, "AUTHENTICATION_ERROR"},
		{"unknown path", "GET", "/nowhere", "tok-alice", "", 404, "NOT_FOUND"},
		{"unknown run", "POST", "/runs/00000000-0000-4000-8000-000000000000/cancel", "tok-alice", "", 404, "NOT_FOUND"},
		{"wrong method", "PATCH", "/flows", "tok-alice", "", 400, "METHOD_NOT_ALLOWED"},
		{"malformed json", "POST", "/flows", "tok-alice", "{", 400, "BAD_REQUEST"},
		{"schema violation", "POST", "/flows", "tok-alice", `{"title": 1}`, 422, "UNPROCESSABLE_ENTITY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, doc := do(t, s, c.method, c.path, c.token, c.body)
			require.Equal(t, c.wantStatus, code, doc)
			errDoc, _ := doc["error"].(map[string]any)
			require.Equal(t, c.wantCode, errDoc["code"], doc)
		})
	}
}

func TestNonBearerAuthorizationIsRefused(t *testing.T) {
	s := newTestServer(t)
	for _, h := range []string{"Basic YTpi", "Bearer", "Bearer   ", "tok-alice"} {
		r := httptest.NewRequest("GET", "/flows", nil)
		r.Header.Set("Authorization", h)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		require.Equal(t, http.StatusUnauthorized, w.Code, "Authorization: %q", h)
	}
}

func TestBodyLimit(t *testing.T) {
	s, err := New(Options{MaxBodyBytes: 100})
	require.NoError(t, err)
	code, _ := do(t, s, "POST", "/flows", "tok-alice", `{"title": "`+strings.Repeat("x", 200)+`"}`)
	require.Equal(t, http.StatusRequestEntityTooLarge, code)
}

// Concurrent creates, updates and listings never corrupt the store (run with -race).
func TestConcurrentRequests(t *testing.T) {
	s := newTestServer(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				code, doc := do(t, s, "POST", "/flows", "tok-alice", simpleFlow)
				if code != http.StatusCreated {
					t.Errorf("create: %d %v", code, doc)
					return
				}
				do(t, s, "PUT", "/flows/"+doc["id"].(string), "tok-alice", `{"subtitle": "s"}`)
				do(t, s, "GET", "/flows?per_page=50", "tok-alice", "")
			}
		}()
	}
	wg.Wait()
	require.Len(t, s.Dump().Flows, 160)
}
