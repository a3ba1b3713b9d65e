package transfer

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A transfer's byte count saturates instead of wrapping negative, so the time it takes (bytes
// over the transfer rate) never comes out shorter for more data.
func TestTransferBytesSaturate(t *testing.T) {
	cases := []struct{ total, size, want int64 }{
		{0, MaxFileSize, MaxFileSize},
		{math.MaxInt64 - MaxFileSize, MaxFileSize, math.MaxInt64},
		{math.MaxInt64 - MaxFileSize + 1, MaxFileSize, math.MaxInt64},
		{math.MaxInt64, 1, math.MaxInt64},
		{10, 0, 10},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, addBytes(c.total, c.size)); diff != "" {
			t.Errorf("addBytes(%d, %d) (-want +got):\n%s", c.total, c.size, diff)
		}
	}
}
