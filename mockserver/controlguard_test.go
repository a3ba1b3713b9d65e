package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// mintAlice is a control-plane request that changes the state: it mints a token for alice.
const mintAlice = `{"token": "tok-minted", "identity_id": "0a11ce00-0000-4000-8000-000000000001", "scopes": ["openid"]}`

// guardOutcome is what a guard test compares: the status, the error code (empty on success) and
// any CORS header the answer carries.
type guardOutcome struct {
	Status int
	Code   string
	CORS   []string
}

// controlRequest builds a request with headers; "Host" sets the request's Host.
func controlRequest(method, path, body string, header map[string]string) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = "127.0.0.1:8080"
	for k, v := range header {
		if k == "Host" {
			r.Host = v
			continue
		}
		r.Header.Set(k, v)
	}
	return r
}

func serveGuarded(t *testing.T, s *Server, r *http.Request) (guardOutcome, string) {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var doc struct {
		Error struct {
			Code   string `json:"code"`
			Detail string `json:"detail"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc), "a JSON body: %s", w.Body.String())
	got := guardOutcome{Status: w.Code, Code: doc.Error.Code}
	for k := range w.Header() {
		if strings.HasPrefix(k, "Access-Control-") {
			got.CORS = append(got.CORS, k)
		}
	}
	sort.Strings(got.CORS)
	return got, doc.Error.Detail
}

// The control plane answers only its own origin on loopback-like hosts, JSON bodies, and (when
// one is set) the control token; whatever it refuses changes nothing.
func TestControlPlaneGuards(t *testing.T) {
	const token = "s3cret-control"
	asJSON := map[string]string{"Content-Type": "application/json"}
	with := func(base map[string]string, kv ...string) map[string]string {
		h := map[string]string{}
		for k, v := range base {
			h[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			h[kv[i]] = kv[i+1]
		}
		return h
	}
	cases := []struct {
		name         string
		token        string
		allowed      []string
		method, path string
		body         string
		header       map[string]string
		want         guardOutcome
		detail       string // a part of the error's detail
	}{
		{name: "localhost with a port", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Host", "localhost:8080"), want: guardOutcome{Status: 201}},
		{name: "an IPv4 literal", method: "GET", path: "/_mock/clock", header: map[string]string{"Host": "127.0.0.1:8080"},
			want: guardOutcome{Status: 200}},
		{name: "an IPv6 literal", method: "GET", path: "/_mock/clock", header: map[string]string{"Host": "[::1]:8080"},
			want: guardOutcome{Status: 200}},
		{name: "a LAN address", method: "GET", path: "/_mock/clock", header: map[string]string{"Host": "192.168.1.20"},
			want: guardOutcome{Status: 200}},
		{name: "localhost in capitals with a trailing dot", method: "GET", path: "/_mock/clock", header: map[string]string{"Host": "LocalHost.:80"},
			want: guardOutcome{Status: 200}},
		{name: "a rebound host name", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Host", "attacker.example:8080"), want: guardOutcome{Status: 403, Code: "HOST_NOT_ALLOWED"},
			detail: "--allowed-host attacker.example"},
		{name: "a rebound host name reading the state", method: "GET", path: "/_mock/state",
			header: map[string]string{"Host": "attacker.example"}, want: guardOutcome{Status: 403, Code: "HOST_NOT_ALLOWED"}},
		{name: "a name that starts like localhost", method: "GET", path: "/_mock/state",
			header: map[string]string{"Host": "localhost.attacker.example"}, want: guardOutcome{Status: 403, Code: "HOST_NOT_ALLOWED"}},
		{name: "no host at all", method: "GET", path: "/_mock/state",
			header: map[string]string{"Host": ""}, want: guardOutcome{Status: 403, Code: "HOST_NOT_ALLOWED"}},
		{name: "an allowed host name", allowed: []string{"DevBox.lan"}, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Host", "devbox.lan:8080"), want: guardOutcome{Status: 201}},
		{name: "a host name allowed with a port", allowed: []string{"devbox.lan:9000"}, method: "GET", path: "/_mock/clock",
			header: map[string]string{"Host": "devbox.lan:8080"}, want: guardOutcome{Status: 200}},
		{name: "a host name not among the allowed", allowed: []string{"devbox.lan"}, method: "GET", path: "/_mock/state",
			header: map[string]string{"Host": "other.lan"}, want: guardOutcome{Status: 403, Code: "HOST_NOT_ALLOWED"}},

		{name: "a text/plain body (a cross-site form)", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: map[string]string{"Content-Type": "text/plain"}, want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"},
			detail: "application/json"},
		{name: "a form body", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"}},
		{name: "a body without a content type", method: "POST", path: "/_mock/tokens", body: mintAlice,
			want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"}},
		{name: "a body-less POST with a text/plain content type", method: "POST", path: "/_mock/reset",
			header: map[string]string{"Content-Type": "text/plain"}, want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"}},
		{name: "a DELETE with a form content type", method: "DELETE", path: "/_mock/faults",
			header: map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"}},
		{name: "a malformed content type", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: map[string]string{"Content-Type": "application/json;;;"}, want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"}},
		{name: "JSON with a charset", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: map[string]string{"Content-Type": "Application/JSON; charset=utf-8"}, want: guardOutcome{Status: 201}},
		{name: "a body-less POST without a content type", method: "POST", path: "/_mock/settle",
			want: guardOutcome{Status: 200}},

		{name: "another origin", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Origin", "http://attacker.example"), want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"},
			detail: "http://attacker.example"},
		{name: "another port of the same host", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Host", "localhost:8080", "Origin", "http://localhost:3000"), want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "another scheme", method: "GET", path: "/_mock/state",
			header: map[string]string{"Host": "localhost:8080", "Origin": "https://localhost:8080"}, want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "an opaque origin", method: "GET", path: "/_mock/state",
			header: map[string]string{"Origin": "null"}, want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "the mock's own origin", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Host", "localhost:8080", "Origin", "http://LOCALHOST:8080"), want: guardOutcome{Status: 201}},
		{name: "the mock's own origin on the default port", method: "GET", path: "/_mock/clock",
			header: map[string]string{"Host": "127.0.0.1:80", "Origin": "http://127.0.0.1"}, want: guardOutcome{Status: 200}},
		{name: "a cross-site fetch", method: "GET", path: "/_mock/state",
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "a same-site fetch", method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Sec-Fetch-Site", "same-site"), want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "a same-origin fetch", method: "GET", path: "/_mock/clock",
			header: map[string]string{"Sec-Fetch-Site": "same-origin"}, want: guardOutcome{Status: 200}},
		{name: "a typed address", method: "GET", path: "/_mock/clock",
			header: map[string]string{"Sec-Fetch-Site": "none"}, want: guardOutcome{Status: 200}},
		{name: "a CORS preflight", method: "OPTIONS", path: "/_mock/tokens",
			header: map[string]string{"Origin": "http://attacker.example", "Access-Control-Request-Method": "POST"},
			want:   guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "OPTIONS without an origin", method: "OPTIONS", path: "/_mock/state",
			want: guardOutcome{Status: 403, Code: "CORS_NOT_ANSWERED"}},

		{name: "no control token", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice, header: asJSON,
			want: guardOutcome{Status: 401, Code: "CONTROL_TOKEN_REQUIRED"}, detail: "X-Mock-Control-Token"},
		{name: "no control token reading the state", token: token, method: "GET", path: "/_mock/state",
			want: guardOutcome{Status: 401, Code: "CONTROL_TOKEN_REQUIRED"}, detail: "Authorization: Bearer"},
		{name: "a persona's token instead", token: token, method: "GET", path: "/_mock/state",
			header: map[string]string{"Authorization": "Bearer tok-alice"}, want: guardOutcome{Status: 401, Code: "INVALID_CONTROL_TOKEN"}},
		{name: "a wrong control token", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "X-Mock-Control-Token", token+"x"), want: guardOutcome{Status: 401, Code: "INVALID_CONTROL_TOKEN"}},
		{name: "the control token as a bearer token", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Authorization", "Bearer "+token), want: guardOutcome{Status: 201}},
		{name: "the control token beside a persona's Authorization", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Authorization", "Bearer tok-alice", "X-Mock-Control-Token", token), want: guardOutcome{Status: 201}},
		{name: "any host with the control token", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "Host", "mock.ci.example:8080", "X-Mock-Control-Token", token), want: guardOutcome{Status: 201}},
		{name: "any host without the control token", token: token, method: "GET", path: "/_mock/state",
			header: map[string]string{"Host": "mock.ci.example"}, want: guardOutcome{Status: 401, Code: "CONTROL_TOKEN_REQUIRED"}},
		{name: "the control token from another origin", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: with(asJSON, "X-Mock-Control-Token", token, "Origin", "http://attacker.example"), want: guardOutcome{Status: 403, Code: "CROSS_SITE_REQUEST"}},
		{name: "the control token with a text/plain body", token: token, method: "POST", path: "/_mock/tokens", body: mintAlice,
			header: map[string]string{"X-Mock-Control-Token": token, "Content-Type": "text/plain"}, want: guardOutcome{Status: 415, Code: "UNSUPPORTED_MEDIA_TYPE"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Options{ValidateResponses: true, ControlToken: tc.token, AllowedHosts: tc.allowed})
			require.NoError(t, err)
			s.Clock().Freeze(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
			before, err := json.Marshal(s.Dump())
			require.NoError(t, err)
			got, detail := serveGuarded(t, s, controlRequest(tc.method, tc.path, tc.body, tc.header))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("outcome (-want +got):\n%s\ndetail: %s", diff, detail)
			}
			require.Contains(t, detail, tc.detail)
			if tc.want.Code != "" {
				after, err := json.Marshal(s.Dump())
				require.NoError(t, err)
				require.Equal(t, string(before), string(after), "a refused request changed the state")
			}
		})
	}
}

// The guards belong to the control plane: the emulated APIs answer any host and origin as before,
// and never ask for the control token.
func TestControlGuardsLeaveTheEmulatedAPIsAlone(t *testing.T) {
	for _, controlToken := range []string{"", "s3cret-control"} {
		s, err := New(Options{ValidateResponses: true, ControlToken: controlToken})
		require.NoError(t, err)
		r := controlRequest("GET", "/flows", "", map[string]string{"Host": "attacker.example",
			"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site", "Authorization": "Bearer tok-alice"})
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code, "control token %q: %s", controlToken, w.Body.String())
	}
}

// An outer layer that answers CORS (for browser apps of the emulated APIs) cannot make the
// control plane answer it.
func TestControlPlaneNeverAnswersCORS(t *testing.T) {
	s := newTestServer(t)
	cors := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		s.ServeHTTP(w, r)
	})
	w := httptest.NewRecorder()
	cors.ServeHTTP(w, controlRequest("GET", "/_mock/state", "", nil))
	require.Equal(t, http.StatusOK, w.Code)
	for k := range w.Header() {
		require.False(t, strings.HasPrefix(k, "Access-Control-"), "the control plane answered %s", k)
	}
}

// Allowed host names are names: a pattern or an empty entry is refused when the server is built.
func TestAllowedHostsMustBeNames(t *testing.T) {
	for _, bad := range []string{"", " ", "*.example.org", "http://devbox.lan", "dev box"} {
		_, err := New(Options{AllowedHosts: []string{bad}})
		require.Error(t, err, "%q", bad)
	}
}
