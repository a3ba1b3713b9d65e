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
	started := startRuns(t, s, c, rng, 200, func(int) (auth.Caller, FlowSnapshot, StartInput) {
		who := alice
		if rng.IntN(3) == 0 {
			who = bob
		}
		return who, flow(t, passOnly), StartInput{Body: map[string]any{}}
	})
	for _, id := range started[:20] {
		_, _ = s.Release(alice, id)
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
				if diff := cmp.Diff(pageNames(slow), pageNames(fast)); diff != "" || slow.HasNextPage != fast.HasNextPage {
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
	started := startRuns(t, s, c, rng, 300, func(i int) (auth.Caller, FlowSnapshot, StartInput) {
		f := FlowSnapshot{ID: flowIDs[rng.IntN(3)], Title: "F", Definition: definition(t, passOnly)}
		in := StartInput{Body: map[string]any{}, Label: ptr(fmt.Sprintf("run %d", i))}
		if rng.IntN(3) == 0 {
			in.Managers = []string{bob.URN()}
		}
		return []auth.Caller{alice, bob}[rng.IntN(2)], f, in
	})
	for _, id := range started[:30] {
		_, _ = s.Release(alice, id)
		_, _ = s.Release(bob, id)
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
					if diff := cmp.Diff(pageNames(slow), pageNames(fast)); diff != "" || slow.HasNextPage != fast.HasNextPage || slow.Marker != fast.Marker {
						t.Fatalf("query %d for %s, page at %d of %d (-scan +index):\n%s", ti, cl.Identity.Username, offset, per, diff)
					}
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// pageNames lists a page's runs with what differs between callers.
func pageNames(p Page) []string {
	var out []string
	for _, d := range p.Runs {
		out = append(out, d.RunID+" "+d.Status+" "+d.UserRole)
	}
	return out
}

const passOnly = `{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`

// startRuns starts n runs as next says, moving the clock now and then so that some runs share a
// start time, and waits until they have ended; it returns their ids in the order started.
func startRuns(t *testing.T, s *Store, c *clock.Clock, rng *rand.Rand, n int, next func(i int) (auth.Caller, FlowSnapshot, StartInput)) []string {
	t.Helper()
	var started []string
	for i := range n {
		who, f, in := next(i)
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
	return started
}
