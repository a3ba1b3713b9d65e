package steps

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/google/go-cmp/cmp"
)

// The official clients against the mock, each suite on a mock of its own on a free port with
// response validation on. Each writes its results (one row per function or command) to
// reports/clients/, and the compatibility matrix in the README is rendered from the copies
// committed in steps/clients/results/ (`make matrix` refreshes both).

var updateMatrix = flag.Bool("update-matrix", false,
	"copy the client suites' results into steps/clients/results/ and render the README matrix from them")

// installHint is how to get what the Python suites need on a Debian machine.
const installHint = "apt-get install python3 python3-requests python3-click python3-cryptography " +
	"python3-jmespath python3-typing-extensions"

// clientSuite is a client suite to run: the command, its directory and its environment.
type clientSuite struct {
	name string // the results file's name, without .json
	cmd  []string
	dir  string
	env  []string
}

// run starts a mock, runs the suite against it and checks its results against the committed
// ones.
func (cs clientSuite) run(t *testing.T) {
	t.Helper()
	s, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	results, err := filepath.Abs(filepath.Join("..", "reports", "clients", cs.name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(results), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(results)
	cmd := exec.Command(cs.cmd[0], cs.cmd[1:]...)
	cmd.Dir = cs.dir
	cmd.Env = append(cleanEnv(), "MOCK="+srv.URL, "RESULTS="+results, "HOME="+t.TempDir())
	for _, svc := range []string{"FLOWS", "TRANSFER", "AUTH", "GROUPS", "SEARCH", "TIMER", "COMPUTE"} {
		// Every service the clients know, so that none of their requests leaves the machine.
		cmd.Env = append(cmd.Env, "GLOBUS_SDK_SERVICE_URL_"+svc+"="+srv.URL+"/")
	}
	cmd.Env = append(cmd.Env, cs.env...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the %s suite failed: %v", cs.name, err)
	}
	committed := filepath.Join("clients", "results", cs.name+".json")
	if *updateMatrix {
		data, err := os.ReadFile(results)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(committed, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	fresh, err := readResults(results)
	if err != nil {
		t.Fatalf("the suite wrote no results: %v", err)
	}
	last, err := readResults(committed)
	if err != nil {
		t.Fatalf("%v: run `make matrix`", err)
	}
	if fresh.Version != last.Version {
		t.Logf("%s %s ran; the matrix shows %s, so it is not compared", fresh.Client, fresh.Version, last.Version)
		return
	}
	if diff := cmp.Diff(last, fresh); diff != "" {
		t.Errorf("%s differs from this run's results (-committed +now); run `make matrix`:\n%s", committed, diff)
	}
}

// cleanEnv is the environment without the Globus clients' own settings (a profile, another
// environment, tokens), which would point them elsewhere.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GLOBUS_") {
			env = append(env, kv)
		}
	}
	return env
}

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

// TestJSSDKSuite runs the official JS SDK's Flows, runs and Transfer ACL functions against the
// mock (steps/clients/js/suite.mjs), with assertions on what the SDK returns.
func TestJSSDKSuite(t *testing.T) {
	node := requireNode(t)
	clientSuite{name: "js-sdk", cmd: []string{node, "suite.mjs"}, dir: filepath.Join("clients", "js")}.run(t)
}

// python is the interpreter for the Python suites: $PYTHON, else python3 on PATH, with the
// libraries the SDK and the CLI import.
func python(t *testing.T) string {
	t.Helper()
	py := os.Getenv("PYTHON")
	if py == "" {
		var err error
		if py, err = exec.LookPath("python3"); err != nil {
			t.Skip("Python 3 is not installed: the Python SDK and CLI suites need it (" + installHint + ")")
		}
	}
	if out, err := exec.Command(py, "-c", "import requests, click, cryptography, jmespath").CombinedOutput(); err != nil {
		t.Skipf("%s lacks what the Python SDK and CLI import (%s): %s, or name another interpreter in PYTHON",
			py, why(out, err), installHint)
	}
	return py
}

// releasedClients is the directory of the released Python SDK and CLI sources: $GLOBUS_PYTHON_CLIENTS,
// else shared/clients/python in the repository's parent directory or one of its ancestors.
func releasedClients() (string, error) {
	if dir := os.Getenv("GLOBUS_PYTHON_CLIENTS"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "src", "globus_sdk")); err != nil {
			return "", fmt.Errorf("GLOBUS_PYTHON_CLIENTS=%s holds no src/globus_sdk", dir)
		}
		return dir, nil
	}
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, "shared", "clients", "python")
		if _, err := os.Stat(filepath.Join(candidate, "src", "globus_sdk")); err == nil {
			return candidate, nil
		}
		if dir == filepath.Dir(dir) {
			return "", errors.New("no shared/clients/python in the repository's parent directory or its ancestors")
		}
	}
}

// pythonPath puts dir first on the inherited PYTHONPATH.
func pythonPath(dir string) string {
	if p := os.Getenv("PYTHONPATH"); p != "" {
		return "PYTHONPATH=" + dir + string(os.PathListSeparator) + p
	}
	return "PYTHONPATH=" + dir
}

// why is the last line a failed command printed, else its error.
func why(out []byte, err error) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if last := lines[len(lines)-1]; last != "" {
		return last
	}
	return err.Error()
}

const pipHint = "pip install globus-sdk==4.9.0 globus-cli==3.42.0, or name the released sources " +
	"(a directory with src/ and bin/globus) in GLOBUS_PYTHON_CLIENTS"

// TestPythonSDKSuite runs the official Python SDK's Flows, Transfer, Auth and Groups functions
// against the mock (steps/clients/python/suite.py): an installed globus-sdk, else the released
// sources.
func TestPythonSDKSuite(t *testing.T) {
	py := python(t)
	var env []string
	if exec.Command(py, "-c", "import globus_sdk").Run() == nil {
		t.Log("the installed globus-sdk")
	} else {
		dir, err := releasedClients()
		if err != nil {
			t.Skipf("globus-sdk is not installed and %v: %s", err, pipHint)
		}
		env = append(env, pythonPath(filepath.Join(dir, "src")))
		check := exec.Command(py, "-c", "import globus_sdk")
		check.Env = append(os.Environ(), env...)
		if out, err := check.CombinedOutput(); err != nil {
			t.Skipf("the released globus-sdk in %s does not import (%s): %s", dir, why(out, err), installHint)
		}
		t.Logf("the released globus-sdk in %s", dir)
	}
	clientSuite{name: "python-sdk", cmd: []string{py, "suite.py"}, dir: filepath.Join("clients", "python"), env: env}.run(t)
}

// TestCLISuite runs the official Globus CLI's flows, endpoint, collection, identity, session and
// api commands against the mock (steps/clients/cli/suite.py), authenticated with the default
// world's client credentials, then a person's login, session update, consent and logout (the
// suite drops the credentials for those): `globus` on PATH, else the released sources.
func TestCLISuite(t *testing.T) {
	py := python(t)
	globus, env := []string{}, []string{}
	if path, err := exec.LookPath("globus"); err == nil {
		globus = []string{path}
		t.Logf("the installed globus-cli: %s", path)
	} else {
		dir, err := releasedClients()
		if err != nil {
			t.Skipf("globus is not on PATH and %v: %s", err, pipHint)
		}
		globus = []string{py, filepath.Join(dir, "bin", "globus")}
		env = append(env, pythonPath(filepath.Join(dir, "src")))
		check := exec.Command(globus[0], append(globus[1:], "--help")...)
		check.Env = append(os.Environ(), env...)
		if out, err := check.CombinedOutput(); err != nil {
			t.Skipf("the released globus-cli in %s does not start (%s): %s; the CLI needs a click whose ParamType "+
				"is generic (8.4 is; Debian 12's 8.1.3 is not): pip install 'click>=8.4'", dir, why(out, err), installHint)
		}
		t.Logf("the released globus-cli in %s", dir)
	}
	argv, err := json.Marshal(globus)
	if err != nil {
		t.Fatal(err)
	}
	// The default world's OAuth client (README "The default world").
	env = append(env, "GLOBUS_CLI="+string(argv), "GLOBUS_CLI_CLIENT_ID=0c11e570-0000-4000-8000-000000000401",
		"GLOBUS_CLI_CLIENT_SECRET=mock-client-secret")
	clientSuite{name: "globus-cli", cmd: []string{py, "suite.py"}, dir: filepath.Join("clients", "cli"), env: env}.run(t)
}

// readResults reads a suite's results file.
func readResults(path string) (clientResults, error) {
	var r clientResults
	data, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
