package runs

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
)

// TestOwnRunsMatchTheScan checks the owner index against the scan: the default listing and the
// same listing asked with filter_roles=run_owner (which scans) give the same pages.
func TestOwnRunsMatchTheScan(t *testing.T) {
	s, c := newFrozenStore()
	alice, bob := caller("alice", 1), caller("bob", 2)
	rng := rand.New(rand.NewPCG(3, 4))
	var started []string
	for range 200 {
		who := alice
		if rng.IntN(3) == 0 {
			who = bob
		}
		doc, err := s.Start(who, flow(t, `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`), StartInput{Body: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		started = append(started, doc.RunID)
		if rng.IntN(4) == 0 {
			c.Advance(time.Millisecond)
		}
	}
	s.Settle()
	for _, id := range started[:20] {
		_, _ = s.Release(alice, id)
	}
	names := func(p Page) []string {
		var out []string
		for _, d := range p.Runs {
			out = append(out, d.RunID+" "+d.Status)
		}
		return out
	}
	for _, who := range []string{"alice", "bob"} {
		cl := alice
		if who == "bob" {
			cl = bob
		}
		for _, per := range []int{1, 9, 20, 50} {
			for offset := 0; offset < 220; offset += per {
				fast, err := s.List(cl, Query{PerPage: per, Offset: offset})
				if err != nil {
					t.Fatal(err)
				}
				slow, err := s.List(cl, Query{Roles: []string{"run_owner"}, PerPage: per, Offset: offset})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(names(slow), names(fast)); diff != "" || slow.HasNextPage != fast.HasNextPage {
					t.Fatalf("%s, page at %d of %d (-scan +index):\n%s", who, offset, per, diff)
				}
			}
		}
	}
}

// runRoles is a flow store whose flows list run managers and monitors.
type runRoles struct {
	noFlows
	managers, monitors map[string][]string
}

func (f runRoles) RunRoles(id string) ([]string, []string) { return f.managers[id], f.monitors[id] }

// TestOwnFlowRunsMatchTheScan checks the owner-and-flow index against the scan: a caller's runs
// of one flow (filter_flow_id, GET /flows/{id}/runs) give the pages the scan gives; listings with
// other filters, or of several flows, are left to the scan.
func TestOwnFlowRunsMatchTheScan(t *testing.T) {
	alice, bob, carol := caller("alice", 1), caller("bob", 2), caller("carol", 3)
	flowIDs := []string{"f0000000-0000-4000-8000-000000000001", "f0000000-0000-4000-8000-000000000002", "f0000000-0000-4000-8000-000000000003"}
	c := clock.New()
	c.Freeze(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	roles := runRoles{managers: map[string][]string{}, monitors: map[string][]string{flowIDs[1]: {carol.URN()}}}
	s := NewStore(c, roles, actions.NewRegistry(nil, &actions.Mocks{}, actions.NewExternal()))
	rng := rand.New(rand.NewPCG(5, 6))
	var started []string
	for i := range 300 {
		who := []auth.Caller{alice, bob}[rng.IntN(2)]
		f := FlowSnapshot{ID: flowIDs[rng.IntN(3)], Title: "F", Definition: definition(t, `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`)}
		in := StartInput{Body: map[string]any{}, Label: ptr(fmt.Sprintf("run %d", i))}
		if rng.IntN(3) == 0 {
			in.Managers = []string{bob.URN()}
		}
		doc, err := s.Start(who, f, in)
		if err != nil {
			t.Fatal(err)
		}
		started = append(started, doc.RunID)
		if rng.IntN(4) == 0 {
			c.Advance(time.Millisecond)
		}
	}
	s.Settle()
	for _, id := range started[:30] {
		_, _ = s.Release(alice, id)
		_, _ = s.Release(bob, id)
	}
	names := func(p Page) []string {
		var out []string
		for _, d := range p.Runs {
			out = append(out, d.RunID+" "+d.UserRole)
		}
		return out
	}
	tests := []struct {
		query   Query
		indexed bool
	}{
		{Query{FlowIDs: flowIDs[:1]}, true},
		{Query{FlowIDs: []string{flowIDs[2], flowIDs[2]}}, true},
		{Query{FlowIDs: []string{"f0000000-0000-4000-8000-000000000009"}}, true},
		{Query{FlowIDs: flowIDs[1:]}, false},
		{Query{FlowIDs: flowIDs[1:2], Roles: []string{"run_manager"}}, false},
		{Query{FlowIDs: flowIDs[:1], Label: []string{"run 1"}}, false},
	}
	for ti, tc := range tests {
		for _, cl := range []auth.Caller{alice, bob, carol} {
			for _, per := range []int{1, 7, 20, 50} {
				for offset := 0; offset < 320; offset += per * 3 {
					q := tc.query
					q.PerPage, q.Offset = per, offset
					m, err := q.parse()
					if err != nil {
						t.Fatal(err)
					}
					fast, ok := s.ownRuns(cl.Principals(), q, m)
					if ok != tc.indexed {
						t.Fatalf("query %d: answered from the index %v, want %v", ti, ok, tc.indexed)
					}
					if !ok {
						continue
					}
					slow := s.scan(cl.Principals(), q, m)
					if diff := cmp.Diff(names(slow), names(fast)); diff != "" || slow.HasNextPage != fast.HasNextPage || slow.Marker != fast.Marker {
						t.Fatalf("query %d for %s, page at %d of %d (-scan +index):\n%s", ti, cl.Identity.Username, offset, per, diff)
					}
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
