package mockserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

const testOrigin = "https://portal.example.net"

// crossOrigin sends a request as a page of another origin would.
func crossOrigin(s *Server, method, path string, headers map[string]string) *httptest.ResponseRecorder {
	r := localRequest(method, path, nil)
	r.Header.Set("Origin", testOrigin)
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// corsHeaders are the Access-Control-* headers of an answer, and its status.
func corsHeaders(w *httptest.ResponseRecorder) map[string]string {
	got := map[string]string{"status": http.StatusText(w.Code)}
	for k := range w.Header() {
		if strings.HasPrefix(k, "Access-Control-") {
			got[k] = w.Header().Get(k)
		}
	}
	return got
}

// oneRequestPerSecond is a server that lets each token make one request a second, on a clock
// that stands still.
func oneRequestPerSecond(t *testing.T) *Server {
	t.Helper()
	s := newTestServer(t)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.limiter.now = func() time.Time { return now }
	st, _ := do(t, s, "PUT", "/_mock/rate-limit", "", `{"per_second": 1, "burst": 1}`)
	require.Equal(t, http.StatusOK, st)
	return s
}

func TestPreflightOfEachService(t *testing.T) {
	s := newTestServer(t)
	ask := map[string]string{"Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization, content-type, x-globus-client-info"}
	tests := []struct {
		name, path, methods string
	}{
		{"flows collection", "/flows", "GET, POST"},
		{"one flow", "/flows/0f0f0000-0000-4000-8000-000000000001", "DELETE, GET, PUT"},
		{"run a flow", "/flows/0f0f0000-0000-4000-8000-000000000001/run", "POST"},
		{"runs", "/runs", "GET"},
		{"transfer access rules", "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301/access", "POST"},
		{"transfer one rule", "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301/access/abc", "DELETE, GET, PUT"},
		{"auth token", "/v2/oauth2/token", "POST"},
		{"auth identities", "/v2/api/identities", "GET"},
		{"groups", "/v2/groups/my_groups", "GET"},
		{"action provider run", "/actions/hello_world/run", "POST"},
		{"action provider status", "/actions/hello_world/abc/status", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := crossOrigin(s, http.MethodOptions, tt.path, ask)
			want := map[string]string{
				"status":                        http.StatusText(http.StatusNoContent),
				"Access-Control-Allow-Origin":   "*",
				"Access-Control-Allow-Methods":  tt.methods,
				"Access-Control-Allow-Headers":  corsAllowHeaders,
				"Access-Control-Max-Age":        corsMaxAge,
				"Access-Control-Expose-Headers": corsExposeHeaders,
			}
			if diff := cmp.Diff(want, corsHeaders(w)); diff != "" {
				t.Errorf("preflight of %s (-want +got):\n%s", tt.path, diff)
			}
			require.Empty(t, w.Body.String())
		})
	}
}

func TestPreflightAllowsWhatTheJSSDKSends(t *testing.T) {
	// The JS SDK sets Authorization, Content-Type, Accept and X-Globus-Client-Info.
	for _, h := range []string{"Authorization", "Content-Type", "Accept", "X-Globus-Client-Info"} {
		require.Contains(t, strings.Split(corsAllowHeaders, ", "), h)
	}
}

// A preflight carries no token, so it is neither authenticated, nor rate limited, nor journaled,
// nor hit by a fault meant for the call it announces.
func TestPreflightIsNotAnAPICall(t *testing.T) {
	s := oneRequestPerSecond(t)
	st, _ := do(t, s, "POST", "/_mock/faults", "", `{"path": "/flows", "status": 503}`)
	require.Equal(t, http.StatusCreated, st)
	st, _ = do(t, s, "DELETE", "/_mock/requests", "", "")
	require.Equal(t, http.StatusOK, st)
	for range 3 {
		w := crossOrigin(s, http.MethodOptions, "/flows", map[string]string{"Access-Control-Request-Method": "GET", "Authorization": "Bearer tok-alice"})
		require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	}
	w := crossOrigin(s, http.MethodGet, "/flows", map[string]string{"Authorization": "Bearer tok-alice"})
	require.Equal(t, http.StatusServiceUnavailable, w.Code, "the fault is for the call itself")
	_, doc := do(t, s, "GET", "/_mock/requests", "", "")
	journaled, _ := doc["requests"].([]any)
	require.Len(t, journaled, 1, "only the call is journaled: %v", journaled)
	require.Equal(t, "GET", journaled[0].(map[string]any)["method"])
}

func TestActualAnswersCarryCORS(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		name, method, path string
		headers            map[string]string
		status             int
	}{
		{"flows listing", "GET", "/flows", map[string]string{"Authorization": "Bearer tok-alice"}, 200},
		{"transfer endpoint", "GET", "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301", map[string]string{"Authorization": "Bearer tok-alice"}, 200},
		{"groups", "GET", "/v2/groups/my_groups", map[string]string{"Authorization": "Bearer tok-alice"}, 200},
		{"flows 401", "GET", "/flows", nil, 401},
		{"transfer 401", "GET", "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301", map[string]string{"Authorization": "Bearer nope"}, 401},
		{"auth 401", "GET", "/v2/api/identities", nil, 401},
		{"flows 404", "GET", "/flows/0f0f0000-0000-4000-8000-00000000ffff", map[string]string{"Authorization": "Bearer tok-alice"}, 404},
		{"no such path", "GET", "/v0.10/nothing/here", map[string]string{"Authorization": "Bearer tok-alice"}, 404},
		{"injected fault", "GET", "/runs", map[string]string{"Authorization": "Bearer tok-alice", FaultHeader: "status=503,retry_after=2"}, 503},
		{"action provider 401", "GET", "/actions/hello_world", nil, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := crossOrigin(s, tt.method, tt.path, tt.headers)
			require.Equal(t, tt.status, w.Code, w.Body.String())
			want := map[string]string{
				"status":                        http.StatusText(tt.status),
				"Access-Control-Allow-Origin":   "*",
				"Access-Control-Expose-Headers": corsExposeHeaders,
			}
			if diff := cmp.Diff(want, corsHeaders(w)); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tt.method, tt.path, diff)
			}
		})
	}
}

func TestRateLimitedAnswerCarriesCORS(t *testing.T) {
	s := oneRequestPerSecond(t)
	alice := map[string]string{"Authorization": "Bearer tok-alice"}
	require.Equal(t, http.StatusOK, crossOrigin(s, "GET", "/flows", alice).Code)
	w := crossOrigin(s, "GET", "/flows", alice)
	require.Equal(t, http.StatusTooManyRequests, w.Code)
	require.Equal(t, "*", w.Header().Get("Access-Control-Allow-Origin"))
	require.Contains(t, w.Header().Get("Access-Control-Expose-Headers"), "Retry-After")
}

func TestControlPlaneStillRefusesCORS(t *testing.T) {
	s := newTestServer(t)
	w := crossOrigin(s, http.MethodOptions, "/_mock/state", map[string]string{"Access-Control-Request-Method": "GET"})
	require.Equal(t, http.StatusForbidden, w.Code)
	require.Equal(t, map[string]string{"status": "Forbidden"}, corsHeaders(w))
	r := localRequest(http.MethodOptions, "/_mock/state", nil)
	r.Header.Set("Access-Control-Request-Method", "GET")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	require.Equal(t, http.StatusForbidden, w.Code)
	require.Contains(t, w.Body.String(), "CORS_NOT_ANSWERED")
	require.Equal(t, map[string]string{"status": "Forbidden"}, corsHeaders(w))
}

func TestGARECarriesCORS(t *testing.T) {
	s := newTestServer(t)
	st, policy := do(t, s, "POST", "/v2/api/policies", "tok-alice",
		`{"policy": {"project_id": "d0c5e000-0000-4000-8000-000000000001", "display_name": "HA", "description": "", "high_assurance": true}}`)
	require.Equal(t, http.StatusOK, st, policy)
	st, _ = do(t, s, "POST", "/_mock/tokens/tok-alice/authentications", "", `{"identity_id": "0a11ce00-0000-4000-8000-000000000001"}`)
	require.Equal(t, http.StatusOK, st)
	st, flow := do(t, s, "POST", "/flows", "tok-alice", `{"title": "HA", "subscription_id": "5b5c0000-0000-4000-8000-000000000202",
		"authentication_policy_id": "`+policy["policy"].(map[string]any)["id"].(string)+`",
		"flow_viewers": ["urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002"],
		"definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`)
	require.Equal(t, http.StatusCreated, st, flow)
	w := crossOrigin(s, "GET", "/flows/"+flow["id"].(string), map[string]string{"Authorization": "Bearer tok-bob"})
	require.Equal(t, http.StatusForbidden, w.Code)
	require.Contains(t, w.Body.String(), "authorization_parameters")
	require.Equal(t, "*", w.Header().Get("Access-Control-Allow-Origin"))
}

func TestPreflightOfNoOperationIsA404InTheServiceFormat(t *testing.T) {
	s := newTestServer(t)
	w := crossOrigin(s, http.MethodOptions, "/v0.10/nothing/here", map[string]string{"Access-Control-Request-Method": "GET"})
	require.Equal(t, http.StatusNotFound, w.Code)
	require.Contains(t, w.Body.String(), `"DATA_TYPE":"result"`)
	require.Equal(t, "*", w.Header().Get("Access-Control-Allow-Origin"))
	require.Empty(t, w.Header().Get("Access-Control-Allow-Methods"))
}
