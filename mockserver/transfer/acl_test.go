package transfer

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCheckPath(t *testing.T) {
	tests := []struct {
		path      string
		allowHome bool
		ok        bool
	}{
		{"/", false, true},
		{"/data/run 1/", false, true},
		{"data/", false, false},
		{"/data", false, false},
		{"/a/../b/", false, false},
		{"/a/./b/", false, false},
		{"/../", false, false},
		{"/~/x/", false, false},
		{"/~/x/", true, true},
		{"/" + strings.Repeat("a", 1998) + "/", false, true},
		{"/" + strings.Repeat("a", 1999) + "/", false, false},
		{"/" + strings.Repeat("é", 333) + "/", false, true}, // 333 × 6 + 2 = 2000 bytes encoded
		{"/" + strings.Repeat("é", 334) + "/", false, false},
		{"/" + strings.Repeat(" ", 666) + "/", false, true}, // a space encodes as %20
		{"/" + strings.Repeat(" ", 667) + "/", false, false},
	}
	for _, tc := range tests {
		name := tc.path
		if len(name) > 20 {
			name = name[:20] + "…"
		}
		t.Run(name, func(t *testing.T) {
			err := CheckPath(tc.path, tc.allowHome)
			if (err == nil) != tc.ok {
				t.Fatalf("CheckPath(%q) = %v, want ok=%v", name, err, tc.ok)
			}
		})
	}
}

type dir struct{ identities, groups []string }

func (d dir) IdentityExists(id string) bool { return contains(d.identities, id) }
func (d dir) IsGroup(id string) bool        { return contains(d.groups, id) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

const (
	owner = "00000000-0000-4000-8000-000000000001"
	bob   = "00000000-0000-4000-8000-000000000002"
	group = "00000000-0000-4000-8000-0000000000a1"
)

func TestAccessIsAdditiveAndExpires(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewCollections(dir{identities: []string{owner, bob}, groups: []string{group}}, func() time.Time { return now })
	c, err := s.Add(Collection{OwnerID: owner, EntityType: GuestCollection})
	if err != nil {
		t.Fatal(err)
	}
	ownerWho := Who{IdentityIDs: []string{owner}}
	add := func(in RuleInput) {
		t.Helper()
		if _, err := s.AddRule(c.ID, ownerWho, in); err != nil {
			t.Fatal(err)
		}
	}
	p := func(s string) *string { return &s }
	add(RuleInput{PrincipalType: p("identity"), Principal: p(bob), Path: p("/projects/"), Permissions: p("rw")})
	add(RuleInput{PrincipalType: p("identity"), Principal: p(bob), Path: p("/projects/study1/"), Permissions: p("r")})
	add(RuleInput{PrincipalType: p("group"), Principal: p(group), Path: p("/lab/"), Permissions: p("r"), ExpirationDate: p("2030-01-02T00:00:00Z")})
	add(RuleInput{PrincipalType: p("anonymous"), Principal: p(""), Path: p("/pub/"), Permissions: p("r")})

	bobWho := Who{IdentityIDs: []string{bob}, GroupIDs: []string{group}}
	type rw struct{ Read, Write bool }
	check := func(w Who, path string) rw {
		r, wr, err := s.Access(c.ID, w, path)
		if err != nil {
			t.Fatal(err)
		}
		return rw{r, wr}
	}
	tests := []struct {
		who  Who
		path string
		want rw
	}{
		{bobWho, "/projects/study1/", rw{true, true}},
		{bobWho, "/projects/study1/data.csv", rw{true, true}},
		{bobWho, "/projects", rw{true, true}},
		{bobWho, "/projectsX/", rw{false, false}},
		{bobWho, "/lab/notes/", rw{true, false}},
		{bobWho, "/pub/", rw{true, false}},
		{Who{}, "/pub/x", rw{true, false}},
		{Who{}, "/projects/", rw{false, false}},
		{ownerWho, "/anything/", rw{true, true}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, check(tc.who, tc.path)); diff != "" {
			t.Errorf("access %v %s (-want +got):\n%s", tc.who, tc.path, diff)
		}
	}
	now = now.Add(48 * time.Hour)
	if got := check(bobWho, "/lab/"); got.Read {
		t.Error("an expired rule still grants access")
	}
}
