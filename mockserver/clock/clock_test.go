package clock

import (
	"testing"
	"time"
)

func TestFreezeAdvanceFollowRestore(t *testing.T) {
	c := New()
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Freeze(at)
	if got := c.Advance(90 * time.Second); !got.Equal(at.Add(90 * time.Second)) {
		t.Fatalf("advance: %v", got)
	}
	st := c.State()
	other := New()
	other.Restore(st)
	if !other.Now().Equal(c.Now()) {
		t.Fatalf("restore: %v != %v", other.Now(), c.Now())
	}
	c.Follow()
	if c.State().Frozen || c.Now().Before(at) {
		t.Fatalf("follow should keep the moved time and run on: %v", c.Now())
	}
}
