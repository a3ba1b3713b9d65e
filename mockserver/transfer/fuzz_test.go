package transfer

import (
	"strings"
	"testing"
)

func FuzzACLPath(f *testing.F) {
	for _, seed := range []string{"/", "/data/", "/~/", "/~/shared/", "/a/../b/", "/a/./", "relative/", "/no-slash", "/ü/é/", "/" + strings.Repeat("x", 2100) + "/"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		for _, home := range []bool{true, false} {
			if CheckPath(p, home) == nil {
				// An accepted rule path is an absolute directory within the length limit.
				if !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") || encodedLength(p) > MaxPathLength {
					t.Fatalf("CheckPath accepted %q", p)
				}
			}
		}
		if c, err := CleanPath(p); err == nil {
			// A clean path is absolute and stays the same when cleaned again.
			if again, err := CleanPath(c); err != nil || again != c || !strings.HasPrefix(c, "/") {
				t.Fatalf("CleanPath(%q) = %q, again %q, %v", p, c, again, err)
			}
		}
	})
}
