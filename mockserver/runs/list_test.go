package runs

import (
	"math/rand/v2"
	"testing"
	"time"

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
