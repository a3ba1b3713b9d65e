package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestStateFileSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve, then shut down at once: the final save writes the state
	require.NoError(t, run(ctx, []string{"--addr", "127.0.0.1:0", "--state-file", path, "--log-level", "error"}, io.Discard, io.Discard))
	first, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(first), `"identities"`)

	// The second start loads it and saves it again unchanged.
	require.NoError(t, run(ctx, []string{"--addr", "127.0.0.1:0", "--state-file", path, "--log-level", "error"}, io.Discard, io.Discard))
	second, err := os.ReadFile(path)
	require.NoError(t, err)
	require.JSONEq(t, string(first), string(second))
}

func TestCorruptStateFileStopsTheStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(path, []byte("{broken"), 0o600))
	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--state-file", path}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "is not a saved state")
	data, _ := os.ReadFile(path)
	require.Equal(t, "{broken", string(data))
}

// Which listen addresses other machines may reach.
func TestExposedAddresses(t *testing.T) {
	cases := map[string]bool{
		"127.0.0.1:8080": false, "127.5.5.5:80": false, "[::1]:8080": false, "localhost:8080": false, "LocalHost.:8080": false,
		"0.0.0.0:8080": true, "[::]:8080": true, ":8080": true, "192.168.1.10:8080": true, "devbox.lan:8080": true,
		"localhost.example.org:80": true,
	}
	got := map[string]bool{}
	for addr := range cases {
		got[addr] = exposed(addr)
	}
	if diff := cmp.Diff(cases, got); diff != "" {
		t.Fatalf("exposed (-want +got):\n%s", diff)
	}
}

// The start-up output on an address other machines can reach warns, on stderr and in the
// banner, that the control plane lets anyone mint tokens and read every secret, and says how to
// guard it; with a control token it says the control plane is guarded (without printing it).
func TestStartUpWarnsWhenExposed(t *testing.T) {
	const token = "do-not-print-me"
	loud := []string{"WARNING", "mint tokens", "every secret", "--control-token", "MOCKSERVER_CONTROL_TOKEN", "127.0.0.1"}
	cases := []struct {
		name  string
		args  []string
		loud  bool
		quiet []string // in the banner when the control plane is guarded
	}{
		{name: "loopback", args: []string{"--addr", "127.0.0.1:0"}},
		{name: "localhost", args: []string{"--addr", "localhost:0"}},
		{name: "every IPv4 address", args: []string{"--addr", "0.0.0.0:0"}, loud: true},
		{name: "every address", args: []string{"--addr", ":0"}, loud: true},
		{name: "every address with a control token", args: []string{"--addr", "0.0.0.0:0", "--control-token", token},
			quiet: []string{"control token", "tok-alice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(ctx, append(tc.args, "--log-level", "error"), &stdout, &stderr))
			for name, out := range map[string]string{"stderr": stderr.String(), "banner": stdout.String()} {
				require.NotContains(t, out, token, name)
				for _, phrase := range loud {
					if tc.loud {
						require.Contains(t, out, phrase, name)
					} else if phrase != "127.0.0.1" {
						require.NotContains(t, out, phrase, name)
					}
				}
				for _, phrase := range tc.quiet {
					require.Contains(t, out, phrase, name)
				}
			}
			console := `Console: http://\S+/_mock/console/\n`
			if slices.Contains(tc.args, "--control-token") {
				console = `Console: http://\S+/_mock/console/\?token=<control token>\n`
			}
			require.Regexp(t, console, stdout.String(), "the banner gives the console's address")
			if tc.loud {
				require.Contains(t, stderr.String(), tc.args[1], "the warning names the address")
			}
		})
	}
}

// bannerAddr watches the banner for the origin the mock serves at and sends it once.
type bannerAddr struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	sent   bool
	origin chan string
}

func (b *bannerAddr) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if m := regexp.MustCompile(`at (http://\S+)\n`).FindStringSubmatch(b.buf.String()); m != nil && !b.sent {
		b.origin <- m[1]
		b.sent = true
	}
	return len(p), nil
}

// The control token and the allowed host names reach the server from flags and environment
// variables; a flag wins over its variable.
func TestControlPlaneGuardFlags(t *testing.T) {
	type probe struct {
		host, token string
		want        int
	}
	cases := []struct {
		name   string
		args   []string
		env    map[string]string
		probes []probe
	}{
		{name: "no guard flags", probes: []probe{{host: "127.0.0.1", want: 200}, {host: "devbox.lan", want: 403}}},
		{name: "--control-token", args: []string{"--control-token", "t1"},
			probes: []probe{{want: 401}, {token: "t2", want: 401}, {token: "t1", want: 200}, {host: "devbox.lan", token: "t1", want: 200}}},
		{name: "MOCKSERVER_CONTROL_TOKEN", env: map[string]string{"MOCKSERVER_CONTROL_TOKEN": "t2"},
			probes: []probe{{want: 401}, {token: "t2", want: 200}}},
		{name: "--control-token over MOCKSERVER_CONTROL_TOKEN", args: []string{"--control-token", "t1"},
			env: map[string]string{"MOCKSERVER_CONTROL_TOKEN": "t2"}, probes: []probe{{token: "t2", want: 401}, {token: "t1", want: 200}}},
		{name: "--allowed-host, repeated and comma-separated", args: []string{"--allowed-host", "devbox.lan, other.lan", "--allowed-host", "third.lan"},
			probes: []probe{{host: "devbox.lan", want: 200}, {host: "other.lan:8080", want: 200}, {host: "third.lan", want: 200}, {host: "nope.lan", want: 403}}},
		{name: "MOCKSERVER_ALLOWED_HOSTS", env: map[string]string{"MOCKSERVER_ALLOWED_HOSTS": "devbox.lan,other.lan"},
			probes: []probe{{host: "devbox.lan", want: 200}, {host: "other.lan", want: 200}, {host: "nope.lan", want: 403}}},
		{name: "--allowed-host over MOCKSERVER_ALLOWED_HOSTS", args: []string{"--allowed-host", "third.lan"},
			env: map[string]string{"MOCKSERVER_ALLOWED_HOSTS": "devbox.lan"}, probes: []probe{{host: "devbox.lan", want: 403}, {host: "third.lan", want: 200}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			ctx, cancel := context.WithCancel(context.Background())
			origins := make(chan string, 1)
			banner := &bannerAddr{origin: origins}
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, append(tc.args, "--addr", "127.0.0.1:0", "--log-level", "error"), banner, io.Discard)
			}()
			var origin string
			select {
			case origin = <-origins:
			case err := <-done:
				t.Fatalf("the mock stopped: %v", err)
			}
			var got, want []int
			for _, p := range tc.probes {
				req, err := http.NewRequest("GET", origin+"/_mock/clock", nil)
				require.NoError(t, err)
				req.Host = p.host
				if p.token != "" {
					req.Header.Set("X-Mock-Control-Token", p.token)
				}
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				got, want = append(got, resp.StatusCode), append(want, p.want)
			}
			cancel()
			require.NoError(t, <-done)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("statuses of the probes %+v (-want +got):\n%s", tc.probes, diff)
			}
		})
	}
}

// An allowed host that is not a name stops the start.
func TestBadAllowedHostStopsTheStart(t *testing.T) {
	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--allowed-host", "*.example.org"}, io.Discard, io.Discard)
	require.ErrorContains(t, err, "not a host name")
}

// A state file the mock could not save to stops the start with a message naming the problem,
// instead of serving and losing the state at shutdown.
func TestUnwritableStateFileStopsTheStart(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "plain")
	require.NoError(t, os.WriteFile(notADir, nil, 0o600))
	cases := map[string]struct{ path, want string }{
		"a missing directory": {filepath.Join(dir, "missing", "state.json"), "the directory " + filepath.Join(dir, "missing") + " does not exist"},
		"a file as directory": {filepath.Join(notADir, "state.json"), notADir + " is not a directory"},
		"a directory as file": {dir, dir + " is a directory"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, []string{"--addr", "127.0.0.1:0", "--state-file", c.path, "--log-level", "error"}, io.Discard, io.Discard)
			require.ErrorContains(t, err, "--state-file "+c.path+": ")
			require.ErrorContains(t, err, c.want)
		})
	}
}

// A fixtures file the mock cannot load stops the start with one message: the file, then each
// field at fault, with no prefix repeated (main adds "mockserver: " once).
func TestABrokenFixturesFileNamesTheField(t *testing.T) {
	const flow = `{"id": "f1000000-0000-4000-8000-000000000001", "flow_owner": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"%s}`
	cases := map[string]struct{ flow, want string }{
		"no title":      {fmt.Sprintf(flow, `, "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}`), "flows[0].title: required"},
		"no definition": {fmt.Sprintf(flow, `, "title": "T"`), "flows[0].definition: required"},
		"neither":       {fmt.Sprintf(flow, ""), "flows[0].title: required; flows[0].definition: required"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "world.json")
			doc := `{"identities": [{"id": "0a11ce00-0000-4000-8000-000000000001", "username": "alice@example.org"}], "flows": [` + c.flow + `]}`
			require.NoError(t, os.WriteFile(path, []byte(doc), 0o600))
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, []string{"--addr", "127.0.0.1:0", "--fixtures", path, "--log-level", "error"}, io.Discard, io.Discard)
			require.EqualError(t, err, path+": "+c.want)
		})
	}
}

// The standalone mock serves worlds: the banner says so, POST /_mock/worlds makes one behind the
// control token, and its tokens reach it.
func TestServesWorlds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	origins := make(chan string, 1)
	banner := &bannerAddr{origin: origins}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--log-level", "error", "--control-token", "ct"}, banner, io.Discard)
	}()
	var origin string
	select {
	case origin = <-origins:
	case err := <-done:
		t.Fatalf("the mock stopped: %v", err)
	}
	send := func(method, path, header, value string) (int, map[string]any) {
		req, err := http.NewRequest(method, origin+path, nil)
		require.NoError(t, err)
		if header != "" {
			req.Header.Set(header, value)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var doc map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
		return resp.StatusCode, doc
	}
	status, _ := send("POST", "/_mock/worlds", "", "")
	require.Equal(t, http.StatusUnauthorized, status, "POST /_mock/worlds without the control token")
	status, world := send("POST", "/_mock/worlds", mockserver.ControlTokenHeader, "ct")
	require.Equal(t, http.StatusCreated, status, "%v", world)
	alice := world["tokens"].(map[string]any)["alice"].(string)
	status, _ = send("GET", "/flows", "Authorization", "Bearer "+alice)
	require.Equal(t, http.StatusOK, status)
	cancel()
	require.NoError(t, <-done)
	banner.mu.Lock()
	defer banner.mu.Unlock()
	require.Contains(t, banner.buf.String(), "/_mock/worlds")
	// Tools that start the binary on port 0 read the address from the first line (the pytest
	// plugin in clients/python does): it stays first, and stays in this form.
	first, _, _ := strings.Cut(banner.buf.String(), "\n")
	require.Equal(t, "mockserver: serving Globus Flows, Transfer and Auth at "+origin, first)
}
