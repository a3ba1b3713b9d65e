package mockserver

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliWithUnknownToken runs a Globus CLI command whose every client holds a token the mock does not
// know, so the CLI's own error handlers choose what to print.
const cliWithUnknownToken = `
import sys
import globus_sdk
from globus_cli.login_manager import LoginManager

LoginManager.assert_logins = lambda self, *a, **k: None
LoginManager._get_client_authorizer = lambda self, rs, **k: globus_sdk.AccessTokenAuthorizer("not-a-known-token")
from globus_cli import main

sys.argv = ["globus"] + sys.argv[1:]
main()
`

// The Globus CLI branches on the 401 codes of Transfer and Auth: with them it tells the user to
// log in. GLOBUS_CLI_SRC names a directory holding the globus_cli and globus_sdk packages (the
// CLI's and the SDK's sources, which need requests, click and cryptography), else the src of
// GLOBUS_PYTHON_CLIENTS (which .ci/run sets, as the client suites read it); without either, or
// without Python ($PYTHON, else python3), the test is skipped.
func TestCLISaysNotLoggedInOnThe401s(t *testing.T) {
	src := os.Getenv("GLOBUS_CLI_SRC")
	if dir := os.Getenv("GLOBUS_PYTHON_CLIENTS"); src == "" && dir != "" {
		src = filepath.Join(dir, "src")
	}
	if src == "" {
		t.Skip("neither GLOBUS_CLI_SRC nor GLOBUS_PYTHON_CLIENTS is set")
	}
	interpreter := os.Getenv("PYTHON")
	if interpreter == "" {
		interpreter = "python3"
	}
	python, err := exec.LookPath(interpreter)
	if err != nil {
		t.Skip("no " + interpreter)
	}
	srv := httptest.NewServer(newTestServer(t))
	defer srv.Close()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"Auth", []string{"get-identities", "bob@example.org"}, "MissingLoginError: No Authentication provided."},
		{"Transfer", []string{"endpoint", "permission", "list", "c011ec70-0000-4000-8000-000000000301"}, "MissingLoginError: No Authentication provided."},
		{"Flows", []string{"flows", "list"}, "code:             AUTHENTICATION_ERROR"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, python, append([]string{"-c", cliWithUnknownToken}, c.args...)...)
			cmd.Env = append(os.Environ(), "PYTHONPATH="+src, "HOME="+t.TempDir(),
				"GLOBUS_CLI_CLIENT_ID=", "GLOBUS_CLI_CLIENT_SECRET=")
			for _, svc := range []string{"FLOWS", "TRANSFER", "AUTH", "GROUPS"} {
				cmd.Env = append(cmd.Env, "GLOBUS_SDK_SERVICE_URL_"+svc+"="+srv.URL+"/")
			}
			out, err := cmd.CombinedOutput()
			if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 {
				t.Fatalf("the CLI should exit with 1: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Errorf("the CLI printed\n%s\nwant it to say %q", out, c.want)
			}
		})
	}
}
