package flows

import (
	"testing"
	"time"
)

func TestAppendTimestampMatchesTheLayout(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2023, 4, 11, 20, 1, 22, 917000000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", 3600)),
		time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC),
		time.Unix(0, 0),
	} {
		want := at.UTC().Format(Format)
		if got := string(AppendTimestamp(nil, at)); got != want {
			t.Errorf("AppendTimestamp(%v) = %s, want %s", at, got, want)
		}
	}
}
