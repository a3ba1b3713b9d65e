package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/world"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// Control-plane bodies and world documents are decoded strictly: a key that matches a field only
// by case is an unknown field, refused with 400, and nothing changes.
func TestControlBodiesMatchFieldNamesExactly(t *testing.T) {
	s := newTestServer(t)
	dump, err := json.Marshal(s.Dump())
	require.NoError(t, err)
	cases := []struct {
		name, method, path, body string
	}{
		{"clock advance", "POST", "/_mock/clock/advance", `{"Seconds": 3600}`},
		{"a token's embedded fields", "POST", "/_mock/tokens", `{"Identity_ID": "0b0b0000-0000-4000-8000-000000000002", "expires_in": 60}`},
		{"a fault", "POST", "/_mock/faults", `{"Operation": "getFlow"}`},
		{"a world document", "PUT", "/_mock/state", strings.Replace(string(dump), `"tokens"`, `"Tokens"`, 1)},
		{"a nested world field", "PUT", "/_mock/state", strings.Replace(string(dump), `"username"`, `"UserName"`, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := json.Marshal(s.Dump())
			code, doc := do(t, s, c.method, c.path, "", c.body)
			require.Equal(t, http.StatusBadRequest, code, doc)
			require.Contains(t, doc["error"].(map[string]any)["detail"], "unknown field")
			after, _ := json.Marshal(s.Dump())
			if diff := cmp.Diff(string(before), string(after)); diff != "" {
				t.Errorf("the state changed (-before +after):\n%s", diff)
			}
		})
	}
}

// Every number of seconds (or milliseconds) the control plane takes is bounded: at its bound it
// is accepted, just past it (or below zero) it is refused with 422 naming the field, and the
// refusal changes nothing.
func TestControlPlaneDurationsAreBounded(t *testing.T) {
	type probe struct {
		method, path, body string
	}
	freezeAt := func(at string) probe { return probe{"POST", "/_mock/clock/freeze", `{"now": "` + at + `"}`} }
	advance := func(secs string) probe { return probe{"POST", "/_mock/clock/advance", `{"seconds": ` + secs + `}`} }
	token := func(secs string) probe {
		return probe{"POST", "/_mock/tokens", `{"identity_id": "0b0b0000-0000-4000-8000-000000000002", "expires_in": ` + secs + `}`}
	}
	fault := func(field, n string) probe {
		return probe{"POST", "/_mock/faults", `{"operation": "getFlow", "status": 429, "` + field + `": ` + n + `}`}
	}
	rate := func(perSecond, burst string) probe {
		return probe{"PUT", "/_mock/rate-limit", `{"per_second": ` + perSecond + `, "burst": ` + burst + `}`}
	}
	mock := func(response string) probe {
		return probe{"POST", "/_mock/action-mocks", `{"action_url": "https://example.org/ap", "responses": [` + response + `]}`}
	}
	file := func(size string) probe {
		return probe{"POST", "/_mock/collections/c011ec70-0000-4000-8000-000000000301/files", `{"files": [{"path": "/big.dat", "size": ` + size + `}]}`}
	}
	seed := newTestServer(t).Dump()
	state := func(change func(w *world.World)) probe {
		w := seed
		w.ActionMocks = nil
		change(&w)
		b, err := json.Marshal(w)
		require.NoError(t, err)
		return probe{"PUT", "/_mock/state", string(b)}
	}
	frozenAt := func(at string) probe {
		return state(func(w *world.World) {
			w.Clock = clock.State{Frozen: true, Now: must(time.Parse(time.RFC3339Nano, at))}
		})
	}
	offset := func(secs float64) probe {
		return state(func(w *world.World) { w.Clock = clock.State{OffsetSeconds: secs} })
	}
	policy := func(timeout int) probe {
		return state(func(w *world.World) {
			w.Policies = []auth.Policy{{ID: "9e1c0000-0000-4000-8000-000000000001", ProjectID: "d0c5e000-0000-4000-8000-000000000001",
				AuthenticationAssurance: timeout, Admins: []string{"0a11ce00-0000-4000-8000-000000000001"}}}
		})
	}
	worldMock := func(secs float64) probe {
		return state(func(w *world.World) {
			w.ActionMocks = []actions.MockRule{{ActionURL: "https://example.org/ap", Responses: []actions.MockResponse{{ActiveSeconds: secs}}}}
		})
	}
	cases := []struct {
		name  string
		setup []probe // run first, each must succeed
		ok    probe   // at the bound: accepted
		bad   []probe // past it: refused
		field string  // what the refusals name
	}{
		{name: "clock advance", ok: advance("3153600000"), bad: []probe{advance("3153600001"), advance("-1"), advance("1e300")}, field: "seconds"},
		{name: "clock advance to the clock's end", setup: []probe{freezeAt("8999-01-01T00:00:00Z")}, ok: advance("31536000"),
			bad: []probe{advance("31536001")}, field: "seconds"},
		{name: "clock freeze, latest", ok: freezeAt("9000-01-01T00:00:00Z"), bad: []probe{freezeAt("9000-01-01T00:00:00.000001Z"), freezeAt("9999-12-31T23:59:59Z")}, field: "now"},
		{name: "clock freeze, earliest", ok: freezeAt("1970-01-01T00:00:00Z"), bad: []probe{freezeAt("1969-12-31T23:59:59.999999Z")}, field: "now"},
		{name: "token lifetime", ok: token("315360000"), bad: []probe{token("315360001"), token("-1"), token("1e300")}, field: "expires_in"},
		{name: "fault latency", ok: fault("latency_ms", "600000"), bad: []probe{fault("latency_ms", "600001"), fault("latency_ms", "-1"), fault("latency_ms", "1e300")}, field: "latency_ms"},
		{name: "fault retry-after", ok: fault("retry_after", "86400"), bad: []probe{fault("retry_after", "86401"), fault("retry_after", "-1"), fault("retry_after", "1e300")}, field: "retry_after"},
		{name: "rate per second", ok: rate("1e6", "1"), bad: []probe{rate("1000000.001", "1"), rate("0", "1"), rate("1e300", "1")}, field: "per_second"},
		{name: "rate burst", ok: rate("1", "1000000"), bad: []probe{rate("1", "1000001"), rate("1", "-1"), rate("1", "1e300")}, field: "burst"},
		{name: "action mock delay", ok: mock(`{"active_seconds": 31536000}`),
			bad: []probe{mock(`{"active_seconds": 31536001}`), mock(`{"active_seconds": -1}`), mock(`{"active_seconds": 1e300}`)}, field: "active_seconds"},
		{name: "action mock delay after resume", ok: mock(`{"status": "INACTIVE", "after_resume": {"active_seconds": 31536000}}`),
			bad: []probe{mock(`{"status": "INACTIVE", "after_resume": {"active_seconds": 31536001}}`)}, field: "active_seconds"},
		{name: "a file's size", ok: file("1125899906842624"), bad: []probe{file("1125899906842625"), file("-1"), file("1e300")}, field: "size"},
		{name: "world clock, frozen", ok: frozenAt("9000-01-01T00:00:00Z"),
			bad: []probe{frozenAt("9000-01-01T00:00:00.000001Z"), frozenAt("1969-12-31T23:59:59Z")}, field: "clock"},
		{name: "world clock, following", ok: offset(-1e9), bad: []probe{offset(1e300), offset(-1e10)}, field: "clock"},
		{name: "world policy timeout", ok: policy(315360000), bad: []probe{policy(315360001), policy(-1)}, field: "authentication_assurance_timeout"},
		{name: "world action mock delay", ok: worldMock(31536000), bad: []probe{worldMock(31536001), worldMock(-1)}, field: "active_seconds"},
		{name: "world number too large for its field", ok: policy(0),
			bad:   []probe{{"PUT", "/_mock/state", strings.Replace(policy(0).body, `"authentication_assurance_timeout":0`, `"authentication_assurance_timeout":1e300`, 1)}},
			field: "authentication_assurance_timeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newTestServer(t)
			s.Clock().Freeze(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) // snapshots do not move with wall time
			for _, p := range c.setup {
				code, doc := do(t, s, p.method, p.path, "", p.body)
				require.Less(t, code, 300, "%s %s: %v", p.method, p.path, doc)
			}
			for _, p := range c.bad {
				before := controlSnapshot(t, s)
				code, doc := do(t, s, p.method, p.path, "", p.body)
				require.Equal(t, http.StatusUnprocessableEntity, code, "%s: %v", p.body, doc)
				b, _ := json.Marshal(doc["error"])
				require.Contains(t, string(b), c.field, "%s: the error should name %s", p.body, c.field)
				if diff := cmp.Diff(before, controlSnapshot(t, s)); diff != "" {
					t.Errorf("%s changed the mock (-before +after):\n%s", p.body, diff)
				}
			}
			code, doc := do(t, s, c.ok.method, c.ok.path, "", c.ok.body)
			require.Less(t, code, 300, "%s: %v", c.ok.body, doc)
		})
	}
}

// controlSnapshot is what a control-plane refusal must leave as it was: the world, the clock,
// the fault rules, the rate limit and the action mocks.
func controlSnapshot(t *testing.T, s *Server) map[string]any {
	t.Helper()
	snap := map[string]any{}
	for _, path := range []string{"/_mock/state", "/_mock/clock", "/_mock/rate-limit", "/_mock/action-mocks"} {
		_, doc := do(t, s, "GET", path, "", "")
		snap[path] = doc
	}
	s.faults.mu.Lock()
	snap["faults"] = len(s.faults.list)
	s.faults.mu.Unlock()
	return snap
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
