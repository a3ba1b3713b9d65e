package mockserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRateLimitPerToken(t *testing.T) {
	s := newTestServer(t)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.limiter.now = func() time.Time { return now }
	st, _ := do(t, s, "PUT", "/_mock/rate-limit", "", `{"per_second": 1, "burst": 2}`)
	require.Equal(t, http.StatusOK, st)

	get := func(token, path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	require.Equal(t, 200, get("tok-alice", "/flows").Code)
	require.Equal(t, 200, get("tok-alice", "/flows").Code)
	w := get("tok-alice", "/flows")
	require.Equal(t, http.StatusTooManyRequests, w.Code)
	require.Equal(t, "1", w.Header().Get("Retry-After"))
	require.Contains(t, w.Body.String(), `"code":"RateLimited"`)
	require.Equal(t, 200, get("tok-bob", "/flows").Code, "each token has its own bucket")

	w = get("tok-alice", "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301")
	require.Equal(t, http.StatusTooManyRequests, w.Code)
	require.True(t, strings.Contains(w.Body.String(), `"DATA_TYPE":"result"`), "Transfer's error format: %s", w.Body.String())

	now = now.Add(time.Second)
	require.Equal(t, 200, get("tok-alice", "/flows").Code, "a second later one request is back")
	require.Equal(t, http.StatusTooManyRequests, get("tok-alice", "/flows").Code)

	st, _ = do(t, s, "DELETE", "/_mock/rate-limit", "", "")
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, 200, get("tok-alice", "/flows").Code, "off again")

	st, _ = do(t, s, "PUT", "/_mock/rate-limit", "", `{"per_second": 0}`)
	require.Equal(t, http.StatusUnprocessableEntity, st)
}
