package transfer

import (
	"slices"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// A world's collections (package world): what a hand-written world may leave out is filled as the
// control plane and the ACL API fill it, and what they would refuse is refused, located in the
// collection.

// Complete fills what Add, AddRole, AddRule and AddFiles fill: the entity type (a guest
// collection), ids of roles and rules, a rule's create_time and a file's type and last_modified
// (now). Every list it changes is a copy.
func (c *Collection) Complete(now time.Time) {
	if c.EntityType == "" {
		c.EntityType = GuestCollection
	}
	c.Roles = slices.Clone(c.Roles)
	for i := range c.Roles {
		if c.Roles[i].ID == "" {
			c.Roles[i].ID = ids.UUID()
		}
	}
	c.Rules = slices.Clone(c.Rules)
	for i := range c.Rules {
		r := &c.Rules[i]
		if r.ID == "" {
			r.ID = ids.UUID()
		}
		if r.CreateTime.IsZero() {
			r.CreateTime = now
		}
	}
	c.Files = slices.Clone(c.Files)
	for i := range c.Files {
		f := &c.Files[i]
		if f.Type == "" {
			f.Type = "file"
		}
		if f.Modified.IsZero() {
			f.Modified = now
		}
	}
}

// Check reports what a collection of a world may not hold: what Add, AddRole, AddRule and
// AddFiles refuse, with dir answering for the principals; a host must be among hosts. Locations
// are the collection's (access_rules[0].path).
func (c Collection) Check(dir Directory, hosts map[string]bool) []apierr.FieldError {
	var errs []apierr.FieldError
	bad := func(msg string, loc ...any) { errs = append(errs, apierr.Problem(loc, "%s", msg)) }
	if !ids.IsUUID(c.ID) {
		bad("must be a UUID", "id")
	}
	if !slices.Contains(entityTypes, c.EntityType) {
		bad("must be one of GCSv5_guest_collection, GCSv5_mapped_collection, GCSv5_endpoint, GCP_guest_collection, GCP_mapped_collection", "entity_type")
	}
	if !dir.IdentityExists(c.OwnerID) {
		bad("is not an identity of the world", "owner_id")
	}
	if c.HostEndpointID != "" && (c.HostEndpointID == c.ID || !hosts[c.HostEndpointID]) {
		bad("is not another collection of the world", "host_endpoint_id")
	}
	s := Collections{dir: dir}
	for i, r := range c.Roles {
		if !slices.Contains(assignableRoles, r.Role) {
			bad("must be one of administrator, access_manager, activity_manager, activity_monitor", "roles", i, "role")
		}
		errs = append(errs, apierr.FieldsOf([]any{"roles", i, "principal"}, s.checkPrincipal(r.PrincipalType, r.Principal, "identity", "group"))...)
	}
	if len(c.Rules) > 0 && !c.ACLAvailable() {
		bad("only guest collections take ACL rules", "access_rules")
	}
	if len(c.Rules) > MaxRules {
		bad("a collection holds at most 1000 rules", "access_rules")
	}
	rules := map[[3]string]bool{}
	for i, r := range c.Rules {
		if key := [3]string{r.PrincipalType, r.Principal, r.Path}; rules[key] {
			bad("another rule has the same principal_type, principal and path", "access_rules", i)
		} else {
			rules[key] = true
		}
		errs = append(errs, apierr.FieldsOf([]any{"access_rules", i, "principal"}, s.checkPrincipal(r.PrincipalType, r.Principal, principalTypes...))...)
		errs = append(errs, apierr.FieldsOf([]any{"access_rules", i, "path"}, CheckPath(r.Path, c.homePathsAllowed()))...)
		errs = append(errs, apierr.FieldsOf([]any{"access_rules", i, "permissions"}, checkPermissions(r.Permissions))...)
	}
	for i, f := range c.Files {
		if clean, err := CleanPath(f.Path); err != nil || clean != f.Path || clean == "/" {
			bad("must be an absolute path in its shortest form, not /", "files", i, "path")
		}
		if f.Type != "file" && f.Type != "dir" {
			bad("must be file or dir", "files", i, "type")
		}
		if f.Size < 0 || f.Size > MaxFileSize {
			bad("must be between 0 and 1125899906842624 bytes (1 PiB)", "files", i, "size")
		}
	}
	return errs
}
