// Package clock is the mock's clock. Every time the mock shows or compares (timestamps, token
// expiry, session age, Wait states) comes from it, so tests move time instead of sleeping.
package clock

import (
	"math"
	"sync"
	"time"
)

// State is the clock's serializable state: frozen at a time, or following wall time with an offset.
// It holds no reading of wall time, so dumping it twice gives the same bytes.
type State struct {
	Frozen        bool      `json:"frozen"`
	Now           time.Time `json:"now,omitzero"`
	OffsetSeconds float64   `json:"offset_seconds,omitempty"`
}

// Clock is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	frozen bool
	at     time.Time     // when frozen
	offset time.Duration // when following wall time
	wall   func() time.Time

	listeners []func()
}

// OnChange registers fn to run after every jump of the clock (Advance, Freeze, Follow, Restore),
// so that whatever waits on the clock (Wait states) can wake without polling.
func (c *Clock) OnChange(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listeners = append(c.listeners, fn)
}

func (c *Clock) changed() {
	c.mu.Lock()
	ls := c.listeners
	c.mu.Unlock()
	for _, fn := range ls {
		fn()
	}
}

// Following reports whether the clock follows wall time (and so moves by itself).
func (c *Clock) Following() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.frozen
}

// New returns a clock following wall time.
func New() *Clock { return &Clock{wall: time.Now} }

// Now is the mock's current time in UTC, truncated to microseconds as the real services show it.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

// Wall is the machine's time, whatever the mock clock shows: for what clients compare with
// their own clocks (the time claims of ID tokens).
func (c *Clock) Wall() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall().UTC()
}

func (c *Clock) nowLocked() time.Time {
	if c.frozen {
		return c.at
	}
	return c.wall().Add(c.offset).UTC().Truncate(time.Microsecond)
}

// Advance moves the clock forward by d (frozen or not).
func (c *Clock) Advance(d time.Duration) time.Time {
	defer c.changed()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	return c.nowLocked()
}

// Freeze stops the clock at its current reading, or at t when t is not zero.
func (c *Clock) Freeze(t time.Time) time.Time {
	defer c.changed()
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.IsZero() {
		t = c.nowLocked()
	}
	c.frozen, c.at = true, t.UTC().Truncate(time.Microsecond)
	return c.at
}

// Follow makes the clock show wall time again, dropping any freeze and any offset that advances
// added, so a test that moved time ends on the time its machine shows. The clock may go back:
// what happened while it was ahead keeps its times, and Wait states wake when wall time reaches
// them.
func (c *Clock) Follow() time.Time {
	defer c.changed()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen, c.offset = false, 0
	return c.nowLocked()
}

// State returns the serializable state.
func (c *Clock) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return State{Frozen: true, Now: c.at}
	}
	return State{OffsetSeconds: c.offset.Seconds()}
}

// Restore sets the clock from a State.
func (c *Clock) Restore(s State) {
	defer c.changed()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen = s.Frozen
	c.at = s.Now.UTC().Truncate(time.Microsecond)
	c.offset = time.Duration(s.OffsetSeconds * float64(time.Second))
}

// Bounds of the times and durations the mock accepts (README, Limits): a number of seconds past
// them would overflow time.Duration or carry a time past what RFC 3339 can write (year 9999).
const (
	Year = 365 * 24 * time.Hour
	// MaxRun is the longest a run lives (reference flows-api.md §11): no Wait, action or web
	// input of a run lasts longer.
	MaxRun = Year
	// MaxAdvance is the most the clock moves at once.
	MaxAdvance = 100 * Year
	// MaxTokenLifetime is the longest lifetime of a token the control plane issues.
	MaxTokenLifetime = 10 * Year
)

// Earliest and Latest bound the clock's readings, leaving room after Latest for every bounded
// duration above.
var (
	Earliest = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	Latest   = time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// InRange reports whether t is a reading the clock may show.
func InRange(t time.Time) bool { return !t.Before(Earliest) && !t.After(Latest) }

// Seconds converts a number of seconds within [0, limit] to a Duration; a negative number, one
// past the limit or NaN is refused.
func Seconds(secs float64, limit time.Duration) (time.Duration, bool) {
	if !(secs >= 0 && secs <= limit.Seconds()) {
		return 0, false
	}
	return time.Duration(secs * float64(time.Second)), true
}

// Reading is what a clock restored to s shows at a wall time: the frozen instant, or wall time
// plus the offset (as Now shows it, in UTC to the microsecond). ok is false when the offset is
// out of range.
func (s State) Reading(wall time.Time) (at time.Time, ok bool) {
	if s.Frozen {
		return s.Now.UTC().Truncate(time.Microsecond), true
	}
	off, ok := Seconds(math.Abs(s.OffsetSeconds), Latest.Sub(Earliest))
	if s.OffsetSeconds < 0 {
		off = -off
	}
	return wall.Add(off).UTC().Truncate(time.Microsecond), ok
}
