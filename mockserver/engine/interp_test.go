package engine

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A stored definition is not validated again, so the interpreter bounds an action's WaitTime
// itself: out of range, the state raises States.Runtime instead of timing out at once (a
// WaitTime of 1e300 seconds overflowed into a deadline in the past).
func TestActionWaitTimeIsBoundedAtRunTime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		waitTime  string
		wantWait  time.Duration
		wantError string
	}{
		{waitTime: "300", wantWait: 300 * time.Second},
		{waitTime: "31536000", wantWait: 365 * 24 * time.Hour},
		{waitTime: "31536001", wantError: ErrRuntime},
		{waitTime: "1e300", wantError: ErrRuntime},
		{waitTime: "-1", wantError: ErrRuntime},
		{waitTime: `"300"`, wantError: ErrRuntime},
	}
	for _, c := range cases {
		t.Run(c.waitTime, func(t *testing.T) {
			d := def(t, `{"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://example.org/ap",
				"Parameters": {}, "WaitTime": `+c.waitTime+`, "End": true}}}`)
			r := Step(d, "A", map[string]any{}, nil, nil, now)
			var gotWait time.Duration
			if r.Action != nil {
				gotWait = r.Action.WaitTime
			}
			gotError := ""
			if r.Fail != nil {
				gotError = r.Fail.Error
			}
			if diff := cmp.Diff([]any{c.wantWait, c.wantError}, []any{gotWait, gotError}); diff != "" {
				t.Errorf("WaitTime %s: (wait, error) (-want +got):\n%s", c.waitTime, diff)
			}
		})
	}
}
