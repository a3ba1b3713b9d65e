package transfer

import (
	"slices"
	"sort"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Endpoint roles (reference transfer-acl-and-auth.md §2, §1c, Q9). Administrators assign roles;
// access managers manage ACL rules but no roles; activity managers and monitors see the roles.
// restricted_administrator is never assigned: an administrator of a collection's host holds it on
// the collection, and may view and delete rules only. The owner always has full access.

// Assignable roles.
const (
	Administrator   = "administrator"
	AccessManager   = "access_manager"
	ActivityManager = "activity_manager"
	ActivityMonitor = "activity_monitor"
	// RestrictedAdministrator is effective only, on the children of what one administers.
	RestrictedAdministrator = "restricted_administrator"
)

var assignableRoles = []string{Administrator, AccessManager, ActivityManager, ActivityMonitor}

// Who is a caller as Transfer sees it: the identities of its identity set and its groups.
type Who struct {
	IdentityIDs []string
	GroupIDs    []string
}

// matches reports whether a principal of a role or rule designates the caller.
func (w Who) matches(principalType, principal string) bool {
	switch principalType {
	case "identity":
		return slices.Contains(w.IdentityIDs, principal)
	case "group":
		return slices.Contains(w.GroupIDs, principal)
	case "all_authenticated_users":
		return len(w.IdentityIDs) > 0
	case "anonymous":
		return true
	}
	return false
}

func endpointNotFound(id string) error {
	return apierr.New(apierr.NotFound, "EndpointNotFound", "No endpoint or collection with id '%s'", id)
}

func permissionDenied(format string, args ...any) error {
	return apierr.New(apierr.Forbidden, "PermissionDenied", format, args...)
}

func badRequest(format string, args ...any) error {
	return apierr.New(apierr.BadRequest, "BadRequest", format, args...)
}

// effectiveLocked lists the caller's effective roles on a collection, sorted.
func (s *Collections) effectiveLocked(c *Collection, w Who, depth int) []string {
	var roles []string
	add := func(r string) {
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	for _, r := range c.Roles {
		if w.matches(r.PrincipalType, r.Principal) {
			add(r.Role)
		}
	}
	if slices.Contains(w.IdentityIDs, c.OwnerID) {
		add(Administrator)
	}
	if host, ok := s.byID[c.HostEndpointID]; ok && depth < 8 && !slices.Contains(roles, Administrator) &&
		slices.Contains(s.effectiveLocked(host, w, depth+1), Administrator) {
		add(RestrictedAdministrator)
	}
	sort.Strings(roles)
	return roles
}

func hasAny(roles []string, wanted ...string) bool {
	return slices.ContainsFunc(wanted, func(r string) bool { return slices.Contains(roles, r) })
}

// EffectiveRoles lists the caller's effective roles on a collection (my_effective_roles).
func (s *Collections) EffectiveRoles(id string, w Who) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	if !ok {
		return nil, endpointNotFound(id)
	}
	return s.effectiveLocked(c, w, 0), nil
}

// collectionLocked finds a collection and the caller's effective roles.
func (s *Collections) collectionLocked(id string, w Who) (*Collection, []string, error) {
	c, ok := s.byID[id]
	if !ok {
		return nil, nil, endpointNotFound(id)
	}
	return c, s.effectiveLocked(c, w, 0), nil
}

// Roles lists the role assignments of a collection; any role holder may read them.
func (s *Collections) Roles(id string, w Who) ([]Role, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, roles, err := s.collectionLocked(id, w)
	if err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		return nil, permissionDenied("You do not have a role on endpoint %s", id)
	}
	return slices.Clone(c.Roles), nil
}

func roleNotFound(id string) error {
	return apierr.New(apierr.NotFound, "RoleNotFound", "No role with id '%s'", id)
}

// Role returns one role assignment.
func (s *Collections) Role(id, roleID string, w Who) (Role, error) {
	list, err := s.Roles(id, w)
	if err != nil {
		return Role{}, err
	}
	for _, r := range list {
		if r.ID == roleID {
			return r, nil
		}
	}
	return Role{}, roleNotFound(roleID)
}

// RoleInput is the body of POST .../role; DATA_TYPE is optional.
type RoleInput struct {
	DataType      *string `json:"DATA_TYPE"`
	PrincipalType string  `json:"principal_type"`
	Principal     string  `json:"principal"`
	Role          string  `json:"role"`
}

// AddRole assigns a role; administrators only. The same role twice for a principal is Exists.
func (s *Collections) AddRole(id string, w Who, in RoleInput) (Role, error) {
	if in.DataType != nil && *in.DataType != "role" {
		return Role{}, badRequest("DATA_TYPE must be 'role'")
	}
	if !slices.Contains(assignableRoles, in.Role) {
		return Role{}, badRequest("Invalid role '%s': expected one of %v", in.Role, assignableRoles)
	}
	if err := s.checkPrincipal(in.PrincipalType, in.Principal, "identity", "group"); err != nil {
		return Role{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, roles, err := s.collectionLocked(id, w)
	if err != nil {
		return Role{}, err
	}
	if !slices.Contains(roles, Administrator) {
		return Role{}, permissionDenied("Only administrators of endpoint %s may assign roles", id)
	}
	for _, r := range c.Roles {
		if r.PrincipalType == in.PrincipalType && r.Principal == in.Principal && r.Role == in.Role {
			return Role{}, apierr.New(apierr.Conflict, "Exists", "The %s already has the role '%s' on endpoint %s", in.PrincipalType, in.Role, id)
		}
	}
	r := Role{ID: ids.UUID(), PrincipalType: in.PrincipalType, Principal: in.Principal, Role: in.Role}
	c.Roles = append(slices.Clone(c.Roles), r)
	return r, nil
}

// DeleteRole removes a role assignment; administrators only.
func (s *Collections) DeleteRole(id, roleID string, w Who) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, roles, err := s.collectionLocked(id, w)
	if err != nil {
		return err
	}
	if len(roles) == 0 {
		return permissionDenied("You do not have a role on endpoint %s", id)
	}
	i := slices.IndexFunc(c.Roles, func(r Role) bool { return r.ID == roleID })
	if i < 0 {
		return roleNotFound(roleID)
	}
	if !slices.Contains(roles, Administrator) {
		return permissionDenied("Only administrators of endpoint %s may delete roles", id)
	}
	c.Roles = slices.Delete(slices.Clone(c.Roles), i, i+1)
	return nil
}

// checkPrincipal validates a principal of one of the allowed types.
func (s *Collections) checkPrincipal(typ, principal string, allowed ...string) error {
	if !slices.Contains(allowed, typ) {
		return badRequest("Invalid principal_type '%s': expected one of %v", typ, allowed)
	}
	switch typ {
	case "identity":
		if !ids.IsUUID(principal) || !s.dir.IdentityExists(principal) {
			return badRequest("Unknown identity '%s': principal must be a Globus Auth identity id", principal)
		}
	case "group":
		if !ids.IsUUID(principal) || !s.dir.IsGroup(principal) {
			return badRequest("Unknown group '%s': principal must be a Globus group id", principal)
		}
	default:
		if principal != "" {
			return badRequest("principal must be empty for principal_type '%s'", typ)
		}
	}
	return nil
}
