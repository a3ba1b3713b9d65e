// Package clock is the mock's clock. Every time the mock shows or compares (timestamps, token
// expiry, session age, Wait states) comes from it, so tests move time instead of sleeping.
package clock

import (
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

// Follow makes the clock follow wall time again, from its current reading on.
func (c *Clock) Follow() time.Time {
	defer c.changed()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.offset = c.at.Sub(c.wall())
		c.frozen = false
	}
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
