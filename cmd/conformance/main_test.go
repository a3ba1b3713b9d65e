package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/globus-conformance/kit/cmd/example-provider/actionprovider"
	"github.com/globus-conformance/kit/mockserver"
)

// TestActionProviderProfileCommand runs the command's action-provider profile against the
// example provider and a mock, and finds its reports; a profile missing what it needs stops
// with status 2 before any scenario.
func TestActionProviderProfileCommand(t *testing.T) {
	const id, secret = "9a0f0000-0000-4000-8000-00000000e002", "cmd-secret"
	srv, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mock := httptest.NewServer(srv)
	defer mock.Close()
	ap := httptest.NewServer(actionprovider.New(actionprovider.Config{AuthURL: mock.URL, ClientID: id, Secret: secret}))
	defer ap.Close()
	out := t.TempDir()
	base := []string{"--profile", "action-provider", "--target", ap.URL, "--mock", mock.URL, "--format", "summary,junit,cucumber", "--out", out}

	tests := []struct {
		name string
		args []string
		want int
	}{
		{"the example passes", append(base, "--client-id", id, "--client-secret", secret), 0},
		{"a provider that cannot introspect with the registered secret fails", append(base, "--client-id", id, "--client-secret", "wrong"), 1},
		{"no client", base, 2},
		{"no provider URL", []string{"--profile", "action-provider", "--target", "inprocess", "--client-id", id, "--client-secret", secret}, 2},
		{"an unknown profile", []string{"--profile", "timers"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(tc.args); got != tc.want {
				t.Errorf("run(%q) = %d, want %d", tc.args, got, tc.want)
			}
		})
	}
	for _, f := range []string{"summary.md", "junit.xml", "cucumber.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
}
