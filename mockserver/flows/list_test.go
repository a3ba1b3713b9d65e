package flows

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
)

// TestOwnListingMatchesTheScan checks the owner index against the full scan it replaces: after
// creates, updates (some at the same instant), ownership changes and deletes, every page of the
// default listing is the same both ways.
func TestOwnListingMatchesTheScan(t *testing.T) {
	c := clock.New()
	c.Freeze(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	dir := auth.NewDirectory(c)
	s := NewStore(c, dir)
	people := make([]auth.Caller, 3)
	for i := range people {
		id := auth.Identity{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1)}
		people[i] = auth.Caller{Identity: id, IdentitySet: []auth.Identity{id}, Token: auth.Token{AllScopes: true}}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var made []string
	def := map[string]any{"StartAt": "P", "States": map[string]any{"P": map[string]any{"Type": "Pass", "End": true}}}
	for i := range 300 {
		who := people[rng.IntN(len(people))]
		switch op := rng.IntN(10); {
		case op < 6 || len(made) == 0:
			title := fmt.Sprintf("f%d", i)
			doc, err := s.Create(who, Fields{Title: &title, Definition: def})
			if err == nil {
				made = append(made, doc.ID)
			}
		case op < 9:
			title := fmt.Sprintf("u%d", i)
			_, _ = s.Update(who, made[rng.IntN(len(made))], Fields{Title: &title})
		default:
			_, _ = s.Delete(who, made[rng.IntN(len(made))])
		}
		if rng.IntN(3) == 0 {
			c.Advance(time.Millisecond)
		}
	}
	for _, who := range people {
		for _, per := range []int{1, 7, 20, 50} {
			for offset := 0; offset < 320; offset += per {
				q := Query{PerPage: per, Offset: offset}
				fast, err := s.List(who, q)
				if err != nil {
					t.Fatal(err)
				}
				s.mu.RLock()
				slow, _ := s.scanList(who, q, []string{"flow_owner"})
				s.mu.RUnlock()
				if diff := cmp.Diff(pageIDs(slow), pageIDs(fast)); diff != "" || slow.HasNextPage != fast.HasNextPage || slow.Marker != fast.Marker {
					t.Fatalf("page at %d of %d (-scan +index):\n%s", offset, per, diff)
				}
			}
		}
	}
}

func pageIDs(p Page) []string {
	var out []string
	for _, d := range p.Flows {
		out = append(out, d.ID+" "+d.Title)
	}
	return out
}
