package mocktest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver/mocktest"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The example a user copies: a mock per test, a flow created and listed as alice, hidden from bob.
func TestNew(t *testing.T) {
	m := mocktest.New(t)
	require.Equal(t, map[string]string{"alice": "tok-alice", "bob": "tok-bob", "carol": "tok-carol", "dave": "tok-dave",
		"erin": "tok-erin"}, m.Personas)
	require.Equal(t, "0a11ce00-0000-4000-8000-000000000001", m.Identities["alice"])

	do := func(method, path, token, body string) (int, map[string]any) {
		req, err := http.NewRequest(method, m.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var doc map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&doc)
		return resp.StatusCode, doc
	}
	status, flow := do(http.MethodPost, "/flows", m.Token("alice"),
		`{"title": "mine", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`)
	require.Equal(t, http.StatusCreated, status, flow)
	status, _ = do(http.MethodGet, "/flows/"+flow["id"].(string), m.Token("bob"), "")
	require.Equal(t, http.StatusNotFound, status)
	status, list := do(http.MethodGet, "/flows", m.Token("alice"), "")
	require.Equal(t, http.StatusOK, status)
	var titles []string
	for _, f := range list["flows"].([]any) {
		titles = append(titles, f.(map[string]any)["title"].(string))
	}
	if diff := cmp.Diff([]string{"mine"}, titles); diff != "" {
		t.Errorf("alice's flows (-want +got):\n%s", diff)
	}
	require.Contains(t, m.Env(), "GLOBUS_SDK_SERVICE_URL_FLOWS="+m.URL+"/")
}

// Each test gets its own mock: what one test makes, another does not see.
func TestMocksAreIsolated(t *testing.T) {
	a, b := mocktest.New(t), mocktest.New(t)
	require.NotEqual(t, a.URL, b.URL)
	before := len(b.Dump().Flows)
	req, err := http.NewRequest(http.MethodPost, a.URL+"/flows",
		strings.NewReader(`{"title": "only in a", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+a.Token("alice"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Len(t, a.Dump().Flows, before+1)
	require.Len(t, b.Dump().Flows, before)
}
