package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// consoleOutcome is what a console-serving test compares.
type consoleOutcome struct {
	Status      int
	ContentType string
	Code        string // the control plane's error code, when refused
	Location    string
}

// The console is served by the control plane under its origin rules: its files are static (they
// hold nothing of the world), so they need no control token, while every fetch they make does.
func TestConsoleIsServedUnderTheControlGuard(t *testing.T) {
	cases := []struct {
		name   string
		token  string
		method string
		path   string
		header map[string]string
		want   consoleOutcome
	}{
		{name: "the shell", method: "GET", path: "/_mock/console/",
			want: consoleOutcome{Status: 200, ContentType: "text/html; charset=utf-8"}},
		{name: "the shell without its slash", method: "GET", path: "/_mock/console",
			want: consoleOutcome{Status: 301, ContentType: "text/html; charset=utf-8", Location: "/_mock/console/"}},
		{name: "a module", method: "GET", path: "/_mock/console/app.js",
			want: consoleOutcome{Status: 200, ContentType: "text/javascript; charset=utf-8"}},
		{name: "the style sheet", method: "GET", path: "/_mock/console/style.css",
			want: consoleOutcome{Status: 200, ContentType: "text/css; charset=utf-8"}},
		{name: "the vendored layout library", method: "GET", path: "/_mock/console/vendor/dagre.min.js",
			want: consoleOutcome{Status: 200, ContentType: "text/javascript; charset=utf-8"}},
		{name: "a guarded mock still serves the shell, with the token in its query", token: "s3cret",
			method: "GET", path: "/_mock/console/?token=s3cret",
			want: consoleOutcome{Status: 200, ContentType: "text/html; charset=utf-8"}},
		{name: "a guarded mock serves the static files without the token", token: "s3cret",
			method: "GET", path: "/_mock/console/app.js",
			want: consoleOutcome{Status: 200, ContentType: "text/javascript; charset=utf-8"}},
		{name: "the control plane itself still needs the token", token: "s3cret",
			method: "GET", path: "/_mock/clock?token=s3cret",
			want: consoleOutcome{Status: 401, ContentType: "application/json", Code: "CONTROL_TOKEN_REQUIRED"}},
		{name: "a file that is not there", method: "GET", path: "/_mock/console/nothing.js",
			want: consoleOutcome{Status: 404, ContentType: "application/json", Code: "NOT_FOUND"}},
		{name: "a POST", method: "POST", path: "/_mock/console/",
			want: consoleOutcome{Status: 405, ContentType: "application/json", Code: "METHOD_NOT_ALLOWED"}},
		{name: "another origin", method: "GET", path: "/_mock/console/",
			header: map[string]string{"Origin": "http://evil.example"},
			want:   consoleOutcome{Status: 403, ContentType: "application/json", Code: "CROSS_SITE_REQUEST"}},
		{name: "a cross-site fetch", method: "GET", path: "/_mock/console/app.js",
			header: map[string]string{"Sec-Fetch-Site": "cross-site"},
			want:   consoleOutcome{Status: 403, ContentType: "application/json", Code: "CROSS_SITE_REQUEST"}},
		{name: "a DNS-rebound host", method: "GET", path: "/_mock/console/",
			header: map[string]string{"Host": "rebound.example:8080"},
			want:   consoleOutcome{Status: 403, ContentType: "application/json", Code: "HOST_NOT_ALLOWED"}},
		{name: "a preflight", method: "OPTIONS", path: "/_mock/console/",
			want: consoleOutcome{Status: 403, ContentType: "application/json", Code: "CORS_NOT_ANSWERED"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(Options{ControlToken: tc.token})
			require.NoError(t, err)
			r := controlRequest(tc.method, tc.path, "", tc.header)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			got := consoleOutcome{Status: w.Code, ContentType: w.Header().Get("Content-Type"), Location: w.Header().Get("Location")}
			if strings.HasPrefix(got.ContentType, "application/json") {
				got.Code = errorCode(t, w.Body.Bytes())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("(-want +got)\n%s\n%s", diff, w.Body.String())
			}
			for k := range w.Header() {
				require.False(t, strings.HasPrefix(k, "Access-Control-"), "no CORS: %s", k)
			}
		})
	}
}

// The console's pages may run only their own scripts and may not be framed by another page
// (which could click its buttons).
func TestConsolePagesAreLockedDown(t *testing.T) {
	s, err := New(Options{})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, controlRequest(http.MethodGet, "/_mock/console/", "", nil))
	require.Equal(t, http.StatusOK, w.Code)
	csp := w.Header().Get("Content-Security-Policy")
	for _, directive := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
		require.Contains(t, csp, directive)
	}
	require.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	require.Equal(t, "no-referrer", w.Header().Get("Referrer-Policy"), "a ?token= never leaves in a Referer")
	require.Contains(t, w.Body.String(), `<script type="module" src="app.js">`)
}

// errorCode is the code of a control-plane error document.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var doc struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(body, &doc), "a JSON body: %s", body)
	return doc.Error.Code
}

// GET /_mock/collections names every collection (and GCSv5 endpoint) for the console's Transfer page, without the
// roles, rules and files (those are read through Transfer as a persona, and /files).
func TestControlPlaneListsCollections(t *testing.T) {
	s, err := New(Options{})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, controlRequest(http.MethodGet, "/_mock/collections", "", nil))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var doc struct {
		Collections []map[string]any `json:"collections"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc))
	var got []string
	for _, c := range doc.Collections {
		require.NotContains(t, c, "access_rules")
		require.NotContains(t, c, "roles")
		got = append(got, c["id"].(string)+" "+c["display_name"].(string))
	}
	want := []string{
		"c011ec70-0000-4000-8000-000000000301 Alice's Shared Data",
		"c011ec70-0000-4000-8000-000000000302 Example Mapped Collection",
		"c011ec70-0000-4000-8000-000000000303 Example GCS Endpoint",
		"c011ec70-0000-4000-8000-000000000304 CLI Client's Shared Data",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got)\n%s", diff)
	}
}
