package registered

import (
	"testing"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

func TestCheckRoleChange(t *testing.T) {
	api := &API{Roles: Roles{Owners: []string{"o1", "o2"}, Administrators: []string{"a1"}, Viewers: []string{"v1"}}}
	list := func(l ...string) *[]string { return &l }
	roles := func(owners, admins, viewers *[]string) Input {
		return Input{Roles: &RolesInput{Owners: owners, Administrators: admins, Viewers: viewers}}
	}
	name := "n"
	cases := []struct {
		name string
		role Role
		in   Input
		want string // the error code, "" when allowed
	}{
		{"administrator: other fields", Administrator, Input{Name: &name}, ""},
		{"administrator: viewers", Administrator, roles(nil, nil, list()), ""},
		{"administrator: owners and administrators repeated in another order", Administrator, roles(list("o2", "o1"), list("a1"), list("v2")), ""},
		{"administrator: owners", Administrator, roles(list("o1", "o2", "a1"), nil, nil), "FORBIDDEN"},
		{"administrator: owners of the same length", Administrator, roles(list("o1", "a1"), nil, nil), "FORBIDDEN"},
		{"administrator: administrators", Administrator, roles(nil, list(), nil), "FORBIDDEN"},
		{"administrator: no owners", Administrator, roles(list(), nil, nil), "FORBIDDEN"},
		{"owner: owners", Owner, roles(list("a1"), nil, nil), ""},
		{"owner: administrators", Owner, roles(nil, list("a2"), nil), ""},
		{"owner: no owners", Owner, roles(list(), nil, nil), "UNPROCESSABLE_ENTITY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if e, ok := apierr.As(checkRoleChange(tc.role, api, tc.in)); ok {
				got = e.Code
			}
			if got != tc.want {
				t.Errorf("code %q, want %q", got, tc.want)
			}
		})
	}
}
