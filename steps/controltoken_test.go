package steps

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/worlds"
	"github.com/stretchr/testify/require"
)

// leakWatch serves a mock and remembers every request to an emulated API that carried the
// control token: the harness must send it to the control plane only.
type leakWatch struct {
	mu     sync.Mutex
	token  string
	leaked []string
	next   http.Handler
}

func (l *leakWatch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/_mock/") &&
		(strings.Contains(r.Header.Get("Authorization"), l.token) || r.Header.Get(controlTokenHeader) != "") {
		l.mu.Lock()
		l.leaked = append(l.leaked, r.Method+" "+r.URL.Path)
		l.mu.Unlock()
	}
	l.next.ServeHTTP(w, r)
}

// The @control scenarios run against a mock whose control plane is guarded by a control token,
// reached as a mock at a URL and as a real target whose config names the token; the token goes
// to /_mock/ only. Without the token, the same scenarios cannot even start.
func TestControlScenariosAgainstAGuardedMock(t *testing.T) {
	const token = "guard-7f3a"
	cases := []struct {
		name   string
		target func(base string) Target
		tags   string
		passes int // at least this many scenarios pass; 0: none may
	}{
		{name: "a mock at a URL with the token", tags: "@control && @auth,@acl,@worlds", passes: 20,
			target: func(base string) Target { return URL{Base: base, ControlToken: token} }},
		// A real target is not reset between scenarios: the ACL ones would see each other's mail.
		{name: "a real target whose config names the token", tags: "@control && @auth", passes: 6,
			target: func(base string) Target {
				cfg := RealConfig{Name: "a guarded mock", ControlPlane: true, ControlToken: token,
					Services: map[string]string{"flows": base, "transfer": base, "auth": base, "groups": base},
					Personas: map[string]RealPersona{}}
				for _, p := range Personas {
					cfg.Personas[p] = RealPersona{Token: "tok-" + p}
				}
				return Real{Config: cfg}
			}},
		{name: "a mock at a URL without the token", tags: "@control && @auth,@acl",
			target: func(base string) Target { return URL{Base: base} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mock, err := worlds.New(mockserver.Options{ValidateResponses: true, ControlToken: token})
			require.NoError(t, err)
			watch := &leakWatch{token: token, next: mock}
			srv := httptest.NewServer(watch)
			defer srv.Close()
			rec := NewRecorder()
			status := Run(RunOptions{Target: tc.target(srv.URL), Tags: tc.tags, Format: "progress",
				Output: io.Discard, Concurrency: 1, Randomize: 0, Recorder: rec})
			counts := map[string]int{}
			for _, r := range rec.Results() {
				counts[r.Status]++
				if tc.passes > 0 && r.Status != "passed" {
					t.Errorf("%s / %s %s: %s", r.Feature, r.Name, r.Status, r.Reason)
				}
				if tc.passes == 0 && r.Status == "failed" {
					require.Contains(t, r.Reason, "control token", r.Name)
				}
			}
			if tc.passes > 0 {
				require.Zero(t, status)
				require.GreaterOrEqual(t, counts["passed"], tc.passes, "the guarded @control scenarios ran")
			} else {
				require.NotZero(t, status)
				require.Zero(t, counts["passed"], "a scenario passed without the control token")
			}
			require.Empty(t, watch.leaked, "the control token went to an emulated API")
		})
	}
}
