package steps

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/auth"
)

// The official clients against the mock. These tests need Node.js and the packages of
// steps/clients/js (make test installs them; .ci/run installs Node.js).

func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("Node.js is not installed: the JS SDK checks need it (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join("clients", "js", "node_modules", "@globus", "sdk")); err != nil {
		t.Fatalf("the JS SDK is not installed: run `npm ci --prefix steps/clients/js` (make test does)")
	}
	return node
}

func call(t *testing.T, base, method, path, token string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, out)
	}
	return out
}

// TestJSSDKRecognizesTheFlowsGARE: the 403 of a high-assurance flow is a GARE to the JS SDK's
// isAuthorizationRequirementsError, with the policy in its authorization parameters.
func TestJSSDKRecognizesTheFlowsGARE(t *testing.T) {
	node := requireNode(t)
	s, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	const alice, bob = "0a11ce00-0000-4000-8000-000000000001", "0b0b0000-0000-4000-8000-000000000002"
	const haSubscription = "5b5c0000-0000-4000-8000-000000000202" // its group holds alice
	policy := call(t, srv.URL, "POST", "/v2/api/policies", "tok-alice", map[string]any{"policy": map[string]any{
		"project_id": "d0c5e000-0000-4000-8000-000000000001", "display_name": "HA", "description": "", "high_assurance": true}})
	policyID := policy["policy"].(map[string]any)["id"].(string)
	if _, err := s.Authenticate("tok-alice", alice, false); err != nil {
		t.Fatal(err)
	}
	flow := call(t, srv.URL, "POST", "/flows", "tok-alice", map[string]any{
		"title": "HA", "subscription_id": haSubscription, "authentication_policy_id": policyID,
		"flow_viewers": []string{auth.IdentityURN(bob)},
		"definition":   map[string]any{"StartAt": "A", "States": map[string]any{"A": map[string]any{"Type": "Pass", "End": true}}}})

	cmd := exec.Command(node, "gare.mjs")
	cmd.Dir = filepath.Join("clients", "js")
	cmd.Env = append(os.Environ(), "GLOBUS_SDK_SERVICE_URL_FLOWS="+srv.URL, "FLOW_ID="+flow["id"].(string), "TOKEN=tok-bob", "POLICY_ID="+policyID)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the JS SDK check failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
