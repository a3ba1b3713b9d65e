package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The requests of the Python SDK and the CLI, as their wire traffic was observed (reference
// peers.md §2): Accept-Encoding identity, Python booleans in query strings, repeated orderby,
// comma-joined lists, body-less POSTs without Content-Type. The mock must answer them all.
func TestPythonSDKWireTraffic(t *testing.T) {
	s := newTestServer(t)
	py := func(method, target, body string) (int, map[string]any, http.Header) {
		t.Helper()
		var r *http.Request
		if body != "" {
			r = localRequest(method, target, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
		} else {
			r = localRequest(method, target, nil)
		}
		r.Header.Set("Authorization", "Bearer tok-alice")
		r.Header.Set("Accept", "application/json")
		r.Header.Set("Accept-Encoding", "identity")
		r.Header.Set("User-Agent", "globus-sdk-py-4.9.0/Globus CLI v3.42.0")
		r.Header.Set("X-Globus-Client-Info", "product=python-sdk,version=4.9.0")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		var doc map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &doc)
		return w.Code, doc, w.Header()
	}
	code, flow, header := py("POST", "/flows", `{"title": "Py", "definition": {"StartAt": "H", "States": {"H": {"Type": "Wait", "Seconds": 60, "End": true}}}, "input_schema": {}}`)
	require.Equal(t, http.StatusCreated, code, flow)
	require.Empty(t, header.Get("Content-Encoding"), "Accept-Encoding: identity gets no compression")
	id := flow["id"].(string)

	tests := []struct {
		name, method, target, body string
		want                       int
	}{
		{"list_flows with filter_roles", "GET", "/flows?filter_roles=flow_owner", "", 200},
		{"comma-joined roles", "GET", "/flows?filter_roles=flow_owner,flow_viewer", "", 200},
		{"repeated orderby", "GET", "/flows?orderby=title+ASC&orderby=updated_at+DESC", "", 200},
		{"the CLI's orderby", "GET", "/flows?orderby=updated_at+DESC", "", 200},
		{"update_flow with only the given keys", "PUT", "/flows/" + id, `{"title": "Py2"}`, 200},
		{"validate_flow", "POST", "/flows/validate", `{"definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`, 200},
		{"run_flow", "POST", "/flows/" + id + "/run", `{"body": {}, "tags": ["x"], "label": "py"}`, 201},
		{"list_runs with comma-joined flow ids", "GET", "/runs?filter_flow_id=" + id + "," + id, "", 200},
		{"list_runs with filter_roles", "GET", "/runs?filter_roles=run_owner", "", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, doc, _ := py(tc.method, tc.target, tc.body)
			require.Equal(t, tc.want, code, doc)
		})
	}
	_, runs, _ := py("GET", "/runs?filter_flow_id="+id, "")
	runID := runs["runs"].([]any)[0].(map[string]any)["run_id"].(string)
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/runs/" + runID + "?include_flow_description=True", 200},
		{"/runs/" + runID + "/log?limit=2&reverse_order=False", 200},
	} {
		code, doc, _ := py("GET", tc.target, "")
		require.Equal(t, tc.want, code, doc)
	}
	_, doc, _ := py("GET", "/runs/"+runID+"?include_flow_description=True", "")
	require.Equal(t, "Py2", doc["flow_description"].(map[string]any)["title"], "True is true")
	_, doc, _ = py("GET", "/runs/"+runID+"?include_flow_description=False", "")
	require.Nil(t, doc["flow_description"], "False is false")
	code, doc, _ = py("POST", "/runs/"+runID+"/cancel", "")
	require.Equal(t, http.StatusAccepted, code, doc)
	code, doc, _ = py("POST", "/runs/"+runID+"/release", "")
	require.Equal(t, http.StatusOK, code, doc)

	// The CLI resolves ACL principals by ids, and the journal shows who asked.
	code, doc, _ = py("GET", "/v2/api/identities?ids=0b0b0000-0000-4000-8000-000000000002", "")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "bob@example.org", doc["identities"].([]any)[0].(map[string]any)["username"])
	_, doc, _ = py("GET", "/_mock/requests?client="+url.QueryEscape("product=python-sdk"), "")
	require.GreaterOrEqual(t, len(doc["requests"].([]any)), 14)
}
