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
	wall := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c.wall = func() time.Time { return wall }
	if got := c.Follow(); c.State().Frozen || !got.Equal(wall) {
		t.Fatalf("follow should show wall time again: %v", got)
	}
	c.Advance(time.Hour)
	if got := c.Follow(); !got.Equal(wall) {
		t.Fatalf("follow should drop the offset of an advance: %v", got)
	}
}
