package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func serveWith(t *testing.T, s *Server, method, path string, header map[string]string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	r := localRequest(method, path, nil)
	r.Header.Set("Authorization", "Bearer tok-alice")
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w, body
}

func TestFaultRules(t *testing.T) {
	s := newTestServer(t)
	_, err := s.InjectFault(Fault{Method: "GET", Path: "/v0.10/endpoint/*/access_list", Status: 429, RetryAfter: 3, Times: 2})
	require.NoError(t, err)
	list := "/v0.10/endpoint/" + aliceGuest + "/access_list"
	for range 2 {
		w, body := serveWith(t, s, "GET", list, nil)
		require.Equal(t, http.StatusTooManyRequests, w.Code)
		require.Equal(t, "3", w.Header().Get("Retry-After"))
		require.Equal(t, "RateLimited", body["code"], "Transfer's own error document")
		require.NotEmpty(t, body["request_id"])
	}
	w, _ := serveWith(t, s, "GET", list, nil)
	require.Equal(t, http.StatusOK, w.Code, "the rule applied twice only")

	_, err = s.InjectFault(Fault{Path: "/flows/**", Status: 500})
	require.NoError(t, err)
	w, body := serveWith(t, s, "GET", "/flows", nil)
	require.Equal(t, http.StatusInternalServerError, w.Code)
	require.Equal(t, "InternalError", body["error"].(map[string]any)["code"], "the Flows error document")

	for _, bad := range []Fault{{Status: 418, Path: "/flows"}, {}, {Operation: "noSuchOperation"}, {Path: "flows"}, {Path: "/x", Probability: 2}} {
		_, err := s.InjectFault(bad)
		require.Error(t, err, "%+v", bad)
	}
}

func TestOneShotFaultHeaderAndJournal(t *testing.T) {
	s := newTestServer(t)
	w, body := serveWith(t, s, "GET", "/runs", map[string]string{FaultHeader: "status=503,retry_after=1", "X-Globus-Client-Info": "product=python-sdk,version=3.50"})
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Equal(t, "ServiceUnavailable", body["error"].(map[string]any)["code"])
	w, _ = serveWith(t, s, "GET", "/runs", map[string]string{FaultHeader: "latency_ms=5", "User-Agent": "globus-cli/3.30"})
	require.Equal(t, http.StatusOK, w.Code, "latency alone answers normally")
	w, _ = serveWith(t, s, "GET", "/runs", map[string]string{FaultHeader: "sometimes"})
	require.Equal(t, http.StatusBadRequest, w.Code)

	w, body = serveWith(t, s, "GET", "/_mock/requests?client=python-sdk", nil)
	require.Equal(t, http.StatusOK, w.Code)
	reqs := body["requests"].([]any)
	require.Len(t, reqs, 1)
	first := reqs[0].(map[string]any)
	require.Equal(t, "status 503 ServiceUnavailable, retry-after 1s", first["fault"])
	require.EqualValues(t, 503, first["status"])
	_, body = serveWith(t, s, "GET", "/_mock/requests?client=globus-cli", nil)
	require.Contains(t, body["requests"].([]any)[0].(map[string]any)["fault"], "latency 5ms")
	_, body = serveWith(t, s, "GET", "/_mock/requests?method=GET&path=/runs", nil)
	require.Len(t, body["requests"].([]any), 3)
}

func TestDroppedConnection(t *testing.T) {
	s := newTestServer(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	_, err := s.InjectFault(Fault{Operation: "listFlows", Drop: true, Times: 1})
	require.NoError(t, err)
	req, _ := http.NewRequest("GET", srv.URL+"/flows", nil)
	req.Header.Set("Authorization", "Bearer tok-alice")
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "the connection is dropped")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_, body := serveWith(t, s, "GET", "/_mock/requests?path=/flows", nil)
	// The dropped exchange is journaled when its handler returns, which may be after the retry's.
	dropped := 0
	for _, e := range body["requests"].([]any) {
		if f, _ := e.(map[string]any)["fault"].(string); strings.Contains(f, "dropped") {
			dropped++
		}
	}
	require.Equal(t, 1, dropped, "one journaled request shows the dropped connection: %v", body)
}
