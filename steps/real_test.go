package steps

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/stretchr/testify/require"
)

// TestRealTargetWithoutControlPlane runs the ACL and role features against a mock treated
// as a real implementation: reached through a config file's service URLs and personas, with no
// control plane and a guest collection lent by the config. Nothing may fail; what needs the
// control plane is skipped with the reason; and what the scenarios made is removed afterwards.
func TestRealTargetWithoutControlPlane(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	require.NoError(t, err)
	srv := httptest.NewServer(mock)
	defer srv.Close()
	before, _ := json.Marshal(mock.Dump())

	cfg := asRealTarget("a mock without its control plane", srv.URL)
	rec := NewRecorder()
	status := Run(RunOptions{Target: Real{Config: cfg}, Tags: "@acl,@roles", Format: "progress",
		Output: io.Discard, Concurrency: 1, Randomize: 0, Recorder: rec})
	passed, skipped := 0, 0
	for _, r := range rec.Results() {
		switch r.Status {
		case "failed":
			t.Errorf("%s / %s failed: %s", r.Feature, r.Name, r.Reason)
		case "skipped":
			skipped++
			require.Contains(t, r.Reason, "control plane", r.Name)
		case "passed":
			passed++
		}
	}
	require.Zero(t, status)
	require.Greater(t, passed, 30, "the ACL scenarios that need no control plane ran")
	require.Greater(t, skipped, 0)

	// Cleanup left the target as it was (runs of deleted flows aside, none are started here).
	mock.Settle()
	after, _ := json.Marshal(mock.Dump())
	require.Equal(t, strings.Count(string(before), `"access_rules"`), strings.Count(string(after), `"access_rules"`))
	var w struct {
		Flows       []any `json:"flows"`
		Collections []struct {
			Rules []any `json:"access_rules"`
			Roles []any `json:"roles"`
		} `json:"collections"`
	}
	require.NoError(t, json.Unmarshal(after, &w))
	require.Empty(t, w.Flows, "flows left behind")
	for _, c := range w.Collections {
		require.Empty(t, c.Rules, "rules left behind")
		require.Len(t, c.Roles, 1, "roles left behind")
	}
}

// asRealTarget describes a mock served at base as a real implementation: no control plane, the
// default world's personas and its guest collection on its mapped collection.
func asRealTarget(name, base string) RealConfig {
	cfg := RealConfig{Name: name,
		Services: map[string]string{"flows": base, "transfer": base, "auth": base, "groups": base},
		Personas: map[string]RealPersona{},
		Collections: []RealCollection{
			{ID: "c011ec70-0000-4000-8000-000000000302", Kind: "mapped", Owner: "erin"},
			{ID: "c011ec70-0000-4000-8000-000000000301", Kind: "guest", Owner: "alice", Host: "c011ec70-0000-4000-8000-000000000302"},
		}}
	for _, p := range Personas {
		cfg.Personas[p] = RealPersona{Token: "tok-" + p}
	}
	return cfg
}
