package steps

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/stretchr/testify/require"
)

func TestPreflight(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(mock)
	defer srv.Close()
	real := func(token func(p string) string, control bool) Target {
		cfg := RealConfig{Services: map[string]string{"flows": srv.URL, "transfer": srv.URL, "auth": srv.URL},
			Personas: map[string]RealPersona{}, ControlPlane: control}
		for _, p := range Personas {
			cfg.Personas[p] = RealPersona{Token: token(p)}
		}
		return Real{Config: cfg}
	}
	good := func(p string) string { return "tok-" + p }
	cases := []struct {
		name   string
		target Target
		want   []string // parts of the one message; none when it passes
	}{
		{"the mock at its URL", URL{Base: srv.URL}, nil},
		{"a real target with its personas' tokens", real(good, false), nil},
		{"stale tokens", real(func(p string) string {
			if p == "carol" {
				return "tok-carol"
			}
			return "expired-" + p
		}, false), []string{"Flows rejects the tokens of alice, bob, dave, erin (401)"}},
		{"a missing token", real(func(p string) string {
			if p == "erin" {
				return ""
			}
			return "tok-" + p
		}, false), []string{"no token for erin"}},
		{"nothing listening", URL{Base: "http://127.0.0.1:1"}, []string{"reset the mock at http://127.0.0.1:1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Preflight(tc.target)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Equal(t, 1, strings.Count(err.Error(), "preflight")+strings.Count(err.Error(), "reset the mock"), "one message")
		})
	}
}

func TestColorWanted(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	require.False(t, ColorWanted(f), "a file is not a terminal")
	require.False(t, ColorWanted(nil))
	t.Setenv("NO_COLOR", "1")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		require.False(t, ColorWanted(tty), "NO_COLOR wins over a terminal")
	}
	require.Equal(t, "3 scenarios (2 passed, 1 skipped)", countLine(Tally{Passed: 2, Skipped: 1}, false))
	require.Equal(t, "1 scenario (\x1b[31m1 failed\x1b[0m)", countLine(Tally{Failed: 1}, true))
}
