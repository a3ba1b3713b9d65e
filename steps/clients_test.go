package steps

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
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

// TestJSSDKSuite runs the official JS SDK's Flows, runs and Transfer ACL functions against a mock
// on a free port (steps/clients/js/suite.mjs), with assertions on what the SDK returns.
func TestJSSDKSuite(t *testing.T) {
	node := requireNode(t)
	s, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	cmd := exec.Command(node, "suite.mjs")
	cmd.Dir = filepath.Join("clients", "js")
	cmd.Env = append(os.Environ(), "MOCK="+srv.URL, "GLOBUS_SDK_SERVICE_URL_FLOWS="+srv.URL,
		"GLOBUS_SDK_SERVICE_URL_TRANSFER="+srv.URL, "GLOBUS_SDK_SERVICE_URL_AUTH="+srv.URL)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the JS SDK suite failed: %v", err)
	}
}
