package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJournalKeepsTheLastEntriesInOrder(t *testing.T) {
	var j journal
	for i := range JournalSize + 5 {
		j.add(journalEntry{Method: "GET", Path: fmt.Sprintf("/flows/%d", i)})
	}
	got := j.list(httptest.NewRequest("GET", "/_mock/requests", nil))
	require.Len(t, got, JournalSize)
	require.Equal(t, "/flows/5", got[0].Path)
	require.Equal(t, fmt.Sprintf("/flows/%d", JournalSize+4), got[len(got)-1].Path)
	j.clear()
	require.Empty(t, j.list(httptest.NewRequest("GET", "/_mock/requests", nil)))
}

// journalBodies serves requests, then reads the journal's entries with their bodies.
func journalBodies(t *testing.T, s *Server, query string) []map[string]any {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, controlRequest(http.MethodGet, "/_mock/requests"+query, "", nil))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var doc struct {
		Requests []map[string]any `json:"requests"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc))
	return doc.Requests
}

// With ?bodies=true the journal shows what each client sent and got back, every token and
// secret masked; without it, the entries are as short as before.
func TestJournalShowsBodiesWithTokensMasked(t *testing.T) {
	s, err := New(Options{})
	require.NoError(t, err)
	send := func(method, path, contentType, body string, header map[string]string) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		for k, v := range header {
			r.Header.Set(k, v)
		}
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	send("POST", "/v2/oauth2/token", "application/x-www-form-urlencoded",
		"grant_type=client_credentials&client_id=0c11e570-0000-4000-8000-000000000401&client_secret=mock-client-secret&scope=openid", nil)
	send("POST", "/flows", "application/json", `{"title": "Hi", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`,
		map[string]string{"Authorization": "Bearer tok-alice"})

	got := journalBodies(t, s, "?bodies=true")
	require.Len(t, got, 2)
	token, flow := got[0], got[1]
	require.Equal(t, "client_id=0c11e570-0000-4000-8000-000000000401&client_secret=%2A%2A%2A&grant_type=client_credentials&scope=openid",
		token["request_body"], "a form body, its secret masked")
	answer, ok := token["response_body"].(map[string]any)
	require.True(t, ok, "a JSON answer stays JSON: %v", token["response_body"])
	require.Equal(t, "***", answer["access_token"])
	require.Equal(t, "Bearer", answer["token_type"])
	require.Equal(t, map[string]any{"title": "Hi", "definition": map[string]any{"StartAt": "A",
		"States": map[string]any{"A": map[string]any{"Type": "Pass", "End": true}}}}, flow["request_body"])
	require.Equal(t, "Hi", flow["response_body"].(map[string]any)["title"])
	for _, e := range got {
		require.NotContains(t, fmt.Sprint(e), "mock-client-secret")
		require.NotContains(t, fmt.Sprint(e), "tok-alice")
	}

	for _, e := range journalBodies(t, s, "") {
		require.NotContains(t, e, "request_body")
		require.NotContains(t, e, "response_body")
	}
}

// A body the journal could not keep whole is shown as text, with what looks like a credential
// masked all the same.
func TestJournalMasksBodiesCutShort(t *testing.T) {
	pad := strings.Repeat("x", bodyKeep)
	cases := []struct {
		name, contentType, body, want string
	}{
		{name: "JSON", contentType: "application/json", body: `{"access_token": "tok-secret1", "note": "` + pad + `"}`,
			want: `{"access_token": "***", "note": "`},
		{name: "a form", contentType: "application/x-www-form-urlencoded", body: "code=abc123&client_secret=s3cret&x=" + pad,
			want: "code=***&client_secret=***&x="},
		{name: "a persona token in text", contentType: "text/plain", body: "Bearer tok-alice " + pad, want: "Bearer *** "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := rawBody{contentType: tc.contentType}
			b.keep([]byte(tc.body))
			got, ok := b.shown().(string)
			require.True(t, ok)
			require.True(t, strings.HasPrefix(got, tc.want), "%.80s", got)
			require.True(t, strings.HasSuffix(got, fmt.Sprintf("… (%d bytes in all)", len(tc.body))))
		})
	}
}
