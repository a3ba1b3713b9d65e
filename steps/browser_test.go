package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
)

// browserClientID is the app's public client, registered with the app's redirect URI.
const browserClientID = "b0a0e000-0000-4000-8000-00000000b001"

// chromium is the browser to drive: $CHROMIUM, else Debian's.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("no Chromium at %s: the browser app test needs it (apt-get install chromium, or name it in CHROMIUM)", path)
	}
	return path
}

// TestBrowserApp runs a browser app on the JS SDK's AuthorizationManager
// (steps/clients/browser/app), served on an origin of its own, against the mock in Chromium,
// driven by Playwright (steps/clients/browser/drive.mjs): the login page's form, the code
// exchange across origins, a high-assurance flow's GARE and the second login it asks for, a
// refresh and a log out. The mock arranges only what a real app would find: its client, a
// policy and the flows.
func TestBrowserApp(t *testing.T) {
	browser := chromium(t)
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("Node.js is not installed: the browser app test needs it (apt-get install nodejs npm)")
	}
	dir := filepath.Join("clients", "browser")
	modules := filepath.Join(dir, "node_modules")
	for _, pkg := range []string{"playwright-core", "@globus/sdk"} {
		if _, err := os.Stat(filepath.Join(modules, pkg)); err != nil {
			t.Fatalf("%s is not installed: run `npm ci --prefix %s` (make test does)", pkg, filepath.ToSlash(dir))
		}
	}
	s, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	mock := httptest.NewServer(s)
	defer mock.Close()

	app := http.NewServeMux()
	app.Handle("/", http.FileServer(http.Dir(filepath.Join(dir, "app"))))
	app.HandleFunc("/globus.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(modules, "@globus", "sdk", "dist", "umd", "globus.production.js"))
	})
	appSrv := httptest.NewServer(app)
	defer appSrv.Close()
	redirect := appSrv.URL + "/"
	app.HandleFunc("/config.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		cfg, _ := json.Marshal(map[string]string{"client": browserClientID, "redirect": redirect,
			"scopes": "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all openid profile email"})
		for _, svc := range []string{"AUTH", "FLOWS", "TRANSFER", "GROUPS"} {
			fmt.Fprintf(w, "window.GLOBUS_SDK_SERVICE_URL_%s = %q;\n", svc, mock.URL+"/")
		}
		fmt.Fprintf(w, "window.APP = %s;\n", cfg)
	})

	api := func(method, path, token string, body any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, mock.URL+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var doc map[string]any
		_ = json.NewDecoder(res.Body).Decode(&doc)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, doc)
		}
		return doc
	}
	api(http.MethodPost, "/_mock/clients", "", map[string]any{"id": browserClientID, "name": "Browser app",
		"native": true, "redirect_uris": []string{redirect}})
	// alice creates the high-assurance flow, so her own session must satisfy its policy first.
	api(http.MethodPost, "/_mock/tokens/tok-alice/authentications", "", map[string]any{"mfa": true})
	policy := api(http.MethodPost, "/v2/api/policies", "tok-alice", map[string]any{"policy": map[string]any{
		"project_id": "d0c5e000-0000-4000-8000-000000000001", "display_name": "MFA", "description": "MFA required",
		"high_assurance": true, "required_mfa": true}})["policy"].(map[string]any)["id"].(string)
	definition := map[string]any{"StartAt": "A", "States": map[string]any{"A": map[string]any{"Type": "Pass", "End": true}}}
	haFlow := api(http.MethodPost, "/flows", "tok-alice", map[string]any{"title": "High-assurance flow",
		"definition": definition, "subscription_id": "5b5c0000-0000-4000-8000-000000000202",
		"authentication_policy_id": policy})["id"].(string)
	flow := api(http.MethodPost, "/flows", "tok-alice", map[string]any{"title": "Standard flow", "definition": definition})["id"].(string)

	cmd := exec.Command(node, "drive.mjs")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), "CHROMIUM="+browser, "APP="+strings.TrimSuffix(appSrv.URL, "/"), "MOCK="+mock.URL,
		"FLOW="+flow, "HA_FLOW="+haFlow, "HA_POLICY="+policy, "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the browser app did not get through: %v", err)
	}
}
