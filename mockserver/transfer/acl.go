package transfer

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// ACL rules ("Guest Collection Permission Management"; reference transfer-acl-and-auth.md §1, §1c,
// and the seed's error list). Rules are additive; each guest collection holds at most MaxRules
// explicit rules; administrators and access managers hold an implicit "rw" rule on "/" that the
// list shows (id null, role_id and role_type set) and the rule operations cannot touch.

// Limits of ACL rules.
const (
	MaxRules      = 1000
	MaxPathLength = 2000 // after percent-encoding, in bytes
)

// Who may do what with rules, by effective role.
var (
	viewRules   = []string{Administrator, RestrictedAdministrator, AccessManager}
	editRules   = []string{Administrator, AccessManager}
	deleteRules = []string{Administrator, RestrictedAdministrator, AccessManager}
)

var principalTypes = []string{"identity", "group", "all_authenticated_users", "anonymous"}

func ruleNotFound(id string) error {
	return apierr.New(apierr.NotFound, "AccessRuleNotFound", "Access rule '%s' not found", id)
}

// RuleView is a rule as the access documents show it: explicit, or implicit from a role.
type RuleView struct {
	Rule
	Implicit bool
	RoleID   string
	RoleType string
}

// aclCollectionLocked finds a collection that takes ACL rules and checks the caller's roles.
func (s *Collections) aclCollectionLocked(id string, w Who, allowed []string, action string) (*Collection, error) {
	c, roles, err := s.collectionLocked(id, w)
	if err != nil {
		return nil, err
	}
	if !c.ACLAvailable() {
		return nil, apierr.New(apierr.Conflict, "NotSupported",
			"Endpoint %s does not support access rules: they are available on guest collections only (entity_type %s)", id, c.EntityType)
	}
	if !hasAny(roles, allowed...) {
		return nil, permissionDenied("You do not have permission to %s access rules on endpoint %s", action, id)
	}
	return c, nil
}

// live reports whether a rule has not expired.
func (r Rule) live(now time.Time) bool { return r.ExpirationDate == nil || r.ExpirationDate.After(now) }

// Rules lists the implicit rules of the role holders, then the explicit rules, oldest first.
// Expired rules are gone.
func (s *Collections) Rules(id string, w Who) ([]RuleView, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.aclCollectionLocked(id, w, viewRules, "view")
	if err != nil {
		return nil, err
	}
	var out []RuleView
	for _, r := range c.Roles {
		if r.Role == Administrator || r.Role == AccessManager {
			out = append(out, RuleView{Implicit: true, RoleID: r.ID, RoleType: r.Role,
				Rule: Rule{PrincipalType: r.PrincipalType, Principal: r.Principal, Path: "/", Permissions: "rw"}})
		}
	}
	now := s.now()
	for _, r := range c.Rules {
		if r.live(now) {
			out = append(out, RuleView{Rule: r})
		}
	}
	return out, nil
}

// findRuleLocked finds a live explicit rule; implicit rules are not rules here.
func (s *Collections) findRuleLocked(c *Collection, ruleID string) (int, error) {
	now := s.now()
	i := slices.IndexFunc(c.Rules, func(r Rule) bool { return r.ID == ruleID && r.live(now) })
	if i < 0 {
		return -1, ruleNotFound(ruleID)
	}
	return i, nil
}

// Rule returns one explicit rule.
func (s *Collections) Rule(id, ruleID string, w Who) (Rule, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.aclCollectionLocked(id, w, viewRules, "view")
	if err != nil {
		return Rule{}, err
	}
	i, err := s.findRuleLocked(c, ruleID)
	if err != nil {
		return Rule{}, err
	}
	return c.Rules[i], nil
}

// RuleInput is the body of POST .../access. Pointers tell absent from empty.
type RuleInput struct {
	DataType       *string `json:"DATA_TYPE"`
	ID             *string `json:"id"`
	PrincipalType  *string `json:"principal_type"`
	Principal      *string `json:"principal"`
	Path           *string `json:"path"`
	Permissions    *string `json:"permissions"`
	ExpirationDate *string `json:"expiration_date"`
	NotifyEmail    *string `json:"notify_email"`
	NotifyMessage  *string `json:"notify_message"`
	RoleID         *string `json:"role_id"`
	RoleType       *string `json:"role_type"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// CheckPath validates a rule path as the seed describes: absolute, a directory (ending in "/"),
// normalized (no "/./" or "/../"), at most MaxPathLength bytes once percent-encoded, and "/~/"
// home-relative only where allowed.
func CheckPath(p string, allowHome bool) error {
	invalidPath := func(why string) error {
		return apierr.New(apierr.BadRequest, "InvalidPath", "Invalid path '%s': %s", p, why)
	}
	switch {
	case !strings.HasPrefix(p, "/"):
		return invalidPath("the path must start with '/'")
	case !strings.HasSuffix(p, "/"):
		return invalidPath("the path must end with '/' (a rule applies to a directory)")
	case strings.Contains(p, "/../") || strings.Contains(p, "/./"):
		return invalidPath("the path may not contain '/../' or '/./'")
	case strings.HasPrefix(p, "/~/") && !allowHome:
		return invalidPath("home-relative '/~/' paths are allowed on Globus Connect Personal guest collections only")
	case encodedLength(p) > MaxPathLength:
		return invalidPath("the path is longer than 2000 characters once encoded")
	}
	return nil
}

// encodedLength is the length of p with every byte outside the unreserved set and "/"
// percent-encoded (so a non-ASCII character counts three bytes per UTF-8 byte).
func encodedLength(p string) int {
	n := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			n++
		} else {
			n += 3
		}
	}
	return n
}

func parseExpiration(v *string, now time.Time) (*time.Time, error) {
	if v == nil || *v == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, *v); err == nil {
			if !t.After(now) {
				return nil, badRequest("expiration_date '%s' is in the past", *v)
			}
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, badRequest("Invalid expiration_date '%s': expected an ISO 8601 date and time", *v)
}

// checkRuleInput validates a new rule's fields.
func (s *Collections) checkRuleInput(c *Collection, in RuleInput, now time.Time) (Rule, error) {
	if in.DataType != nil && *in.DataType != "access" {
		return Rule{}, badRequest("DATA_TYPE must be 'access'")
	}
	if in.ID != nil || (in.RoleID != nil && *in.RoleID != "") || (in.RoleType != nil && *in.RoleType != "") {
		return Rule{}, badRequest("id, role_id and role_type are set by the service")
	}
	if in.Path == nil || in.PrincipalType == nil || in.Permissions == nil {
		return Rule{}, badRequest("principal_type, path and permissions are required")
	}
	if err := s.checkPrincipal(*in.PrincipalType, str(in.Principal), principalTypes...); err != nil {
		return Rule{}, err
	}
	if err := CheckPath(*in.Path, c.homePathsAllowed()); err != nil {
		return Rule{}, err
	}
	if err := checkPermissions(*in.Permissions); err != nil {
		return Rule{}, err
	}
	exp, err := parseExpiration(in.ExpirationDate, now)
	if err != nil {
		return Rule{}, err
	}
	if in.NotifyEmail != nil && *in.NotifyEmail != "" {
		if *in.PrincipalType != "identity" {
			return Rule{}, badRequest("notify_email is only allowed on identity rules")
		}
		if addr, err := mail.ParseAddress(*in.NotifyEmail); err != nil || addr.Address != *in.NotifyEmail {
			return Rule{}, badRequest("Invalid notify_email '%s'", *in.NotifyEmail)
		}
	} else if in.NotifyMessage != nil && *in.NotifyMessage != "" {
		return Rule{}, badRequest("notify_message needs notify_email")
	}
	if len(str(in.NotifyMessage)) > 2048 {
		return Rule{}, badRequest("notify_message is longer than 2048 characters")
	}
	return Rule{ID: ids.UUID(), PrincipalType: *in.PrincipalType, Principal: str(in.Principal), Path: *in.Path,
		Permissions: *in.Permissions, CreateTime: now, ExpirationDate: exp}, nil
}

func checkPermissions(p string) error {
	if p != "r" && p != "rw" {
		return badRequest("Invalid permissions '%s': expected 'r' or 'rw'", p)
	}
	return nil
}

// AddRule creates an explicit rule. The duplicate check (same principal_type, principal and path)
// and the limit are made under the store's lock, so concurrent creates never make two equal rules
// or more than MaxRules. A notify_email is recorded in the outbox, never stored on the rule.
func (s *Collections) AddRule(id string, w Who, in RuleInput) (Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.aclCollectionLocked(id, w, editRules, "create")
	if err != nil {
		return Rule{}, err
	}
	now := s.now()
	r, err := s.checkRuleInput(c, in, now)
	if err != nil {
		return Rule{}, err
	}
	live := 0
	for _, old := range c.Rules {
		if !old.live(now) {
			continue
		}
		live++
		if old.PrincipalType == r.PrincipalType && old.Principal == r.Principal && old.Path == r.Path {
			return Rule{}, apierr.New(apierr.Conflict, "Exists",
				"An access rule for %s '%s' on path '%s' already exists (id %s)", r.PrincipalType, r.Principal, r.Path, old.ID)
		}
	}
	if live >= MaxRules {
		return Rule{}, apierr.New(apierr.Conflict, "LimitExceeded", "Endpoint %s already has the maximum of %d access rules", id, MaxRules)
	}
	// In place, under the lock: readers get copies (clone), never the stored slice.
	c.Rules = append(slices.DeleteFunc(c.Rules, func(old Rule) bool { return !old.live(now) }), r)
	if in.NotifyEmail != nil && *in.NotifyEmail != "" {
		s.outbox = append(s.outbox, Notification{To: *in.NotifyEmail, Message: str(in.NotifyMessage), CollectionID: id, RuleID: r.ID, Time: now})
	}
	return r, nil
}

// UpdateRule changes a rule's permissions and expiration_date. Other fields may be sent only
// with their current values; an id in the body must be the rule's.
func (s *Collections) UpdateRule(id, ruleID string, w Who, in RuleInput) (Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.aclCollectionLocked(id, w, editRules, "update")
	if err != nil {
		return Rule{}, err
	}
	i, err := s.findRuleLocked(c, ruleID)
	if err != nil {
		return Rule{}, err
	}
	r := c.Rules[i]
	switch {
	case in.DataType != nil && *in.DataType != "access":
		return Rule{}, badRequest("DATA_TYPE must be 'access'")
	case in.ID != nil && *in.ID != ruleID:
		return Rule{}, badRequest("The id in the body ('%s') does not match the rule id in the URL ('%s')", *in.ID, ruleID)
	case in.PrincipalType != nil && *in.PrincipalType != r.PrincipalType,
		in.Principal != nil && *in.Principal != r.Principal,
		in.Path != nil && *in.Path != r.Path:
		return Rule{}, badRequest("Only permissions and expiration_date of an access rule can be updated")
	case in.NotifyEmail != nil || in.NotifyMessage != nil:
		return Rule{}, badRequest("notify_email and notify_message are accepted on create only")
	}
	if in.Permissions != nil {
		if err := checkPermissions(*in.Permissions); err != nil {
			return Rule{}, err
		}
		r.Permissions = *in.Permissions
	}
	if in.ExpirationDate != nil {
		if r.ExpirationDate, err = parseExpiration(in.ExpirationDate, s.now()); err != nil {
			return Rule{}, err
		}
	}
	c.Rules[i] = r
	return r, nil
}

// DeleteRule removes an explicit rule; deleting it again is AccessRuleNotFound.
func (s *Collections) DeleteRule(id, ruleID string, w Who) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.aclCollectionLocked(id, w, deleteRules, "delete")
	if err != nil {
		return err
	}
	i, err := s.findRuleLocked(c, ruleID)
	if err != nil {
		return err
	}
	c.Rules = slices.Delete(c.Rules, i, i+1)
	return nil
}

// Access answers "may this caller read / write path p on the collection": the owner and the
// holders of the administrator and access_manager roles everywhere; anyone else through the
// live rules that designate them, additively (a rule on a directory covers everything below it,
// and a narrower rule never takes anything away).
func (s *Collections) Access(id string, w Who, p string) (read, write bool, err error) {
	if !strings.HasPrefix(p, "/") {
		return false, false, apierr.New(apierr.BadRequest, "InvalidPath", "Invalid path '%s': the path must start with '/'", p)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.byID[id]
	if !ok {
		return false, false, endpointNotFound(id)
	}
	return s.accessLocked(c, w, p, false) == nil, s.accessLocked(c, w, p, true) == nil, nil
}
