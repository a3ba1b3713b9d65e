package auth

import (
	"encoding/json"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Authentication policies (Auth API /v2/api/policies; reference transfer-acl-and-auth.md §3a, Q5,
// Q6, Q8; DESIGN §5). A session satisfies a policy when it holds an authentication, recent enough
// on the mock clock, by MFA where the policy requires it, of an eligible identity whose domain the
// policy's domain constraints allow.

// DefaultAssuranceTimeout is used when a policy is created without authentication_assurance_timeout;
// Auth documents no default, so the mock takes the documented high-assurance group default.
const DefaultAssuranceTimeout = 28800

// MaxAssuranceTimeout bounds authentication_assurance_timeout: Auth documents no maximum, and a
// session older than 10 years (the longest token lifetime) is as stale as any.
const MaxAssuranceTimeout = int(clock.MaxTokenLifetime / time.Second)

// CheckTimeout refuses an authentication_assurance_timeout outside [0, MaxAssuranceTimeout].
func CheckTimeout(secs int) error {
	if secs < 0 || secs > MaxAssuranceTimeout {
		return badInput("authentication_assurance_timeout must be between 0 and %d seconds", MaxAssuranceTimeout)
	}
	return nil
}

// Policy is an authentication policy. The administrators of its project read and change it;
// Admins (the creator) stand in for them when the directory does not know the project. The Auth
// API shows neither.
type Policy struct {
	ID                       string    `json:"id"`
	ProjectID                string    `json:"project_id"`
	HighAssurance            bool      `json:"high_assurance"`
	AuthenticationAssurance  int       `json:"authentication_assurance_timeout"`
	RequiredMFA              bool      `json:"required_mfa"`
	DisplayName              string    `json:"display_name"`
	Description              string    `json:"description"`
	DomainConstraintsInclude *[]string `json:"domain_constraints_include"`
	DomainConstraintsExclude *[]string `json:"domain_constraints_exclude"`
	Admins                   []string  `json:"project_admins,omitempty"`
}

// OptionalList is a list field that tells "absent" from an explicit null.
type OptionalList struct {
	Set   bool
	Value *[]string
}

// UnmarshalJSON records that the field was sent (null leaves Value nil).
func (o *OptionalList) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	o.Value = &l
	return nil
}

// PolicyInput is a create or update body; nil and unset fields are "not given".
type PolicyInput struct {
	ProjectID                *string      `json:"project_id"`
	HighAssurance            *bool        `json:"high_assurance"`
	AuthenticationAssurance  *int         `json:"authentication_assurance_timeout"`
	RequiredMFA              *bool        `json:"required_mfa"`
	DisplayName              *string      `json:"display_name"`
	Description              *string      `json:"description"`
	DomainConstraintsInclude OptionalList `json:"domain_constraints_include"`
	DomainConstraintsExclude OptionalList `json:"domain_constraints_exclude"`
}

// badInput refuses a policy or project body (400 BAD_REQUEST, as Auth answers).
func badInput(format string, args ...any) error {
	return apierr.New(apierr.BadRequest, "BAD_REQUEST", format, args...)
}

func policyNotFound(id string) error {
	return apierr.New(apierr.NotFound, "NOT_FOUND", "No policy with id %s", id)
}

// apply validates an input against a policy and writes it; creating says whether high_assurance
// may be set.
func (in PolicyInput) apply(p *Policy, creating bool) error {
	if in.HighAssurance != nil {
		if !creating && *in.HighAssurance != p.HighAssurance {
			return badInput("high_assurance cannot be changed after a policy is created")
		}
		p.HighAssurance = *in.HighAssurance
	}
	if in.ProjectID != nil {
		if !ids.IsUUID(*in.ProjectID) {
			return badInput("project_id must be a UUID")
		}
		p.ProjectID = *in.ProjectID
	}
	if in.AuthenticationAssurance != nil {
		if err := CheckTimeout(*in.AuthenticationAssurance); err != nil {
			return err
		}
		p.AuthenticationAssurance = *in.AuthenticationAssurance
	}
	if in.RequiredMFA != nil {
		p.RequiredMFA = *in.RequiredMFA
	}
	if p.RequiredMFA && !p.HighAssurance {
		return badInput("required_mfa can only be set on high-assurance policies")
	}
	if in.DisplayName != nil {
		p.DisplayName = *in.DisplayName
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.DomainConstraintsInclude.Set {
		p.DomainConstraintsInclude = in.DomainConstraintsInclude.Value
	}
	if in.DomainConstraintsExclude.Set {
		p.DomainConstraintsExclude = in.DomainConstraintsExclude.Value
	}
	if creating && (p.ProjectID == "" || p.DisplayName == "") {
		return badInput("project_id and display_name are required")
	}
	return nil
}

func clonePolicy(p Policy) Policy {
	if p.DomainConstraintsInclude != nil {
		l := slices.Clone(*p.DomainConstraintsInclude)
		p.DomainConstraintsInclude = &l
	}
	if p.DomainConstraintsExclude != nil {
		l := slices.Clone(*p.DomainConstraintsExclude)
		p.DomainConstraintsExclude = &l
	}
	p.Admins = slices.Clone(p.Admins)
	return p
}

// CreatePolicy creates a policy in a project the caller administers (or one the directory does
// not know, which its creator then administers).
func (d *Directory) CreatePolicy(c Caller, in PolicyInput) (Policy, error) {
	p := Policy{ID: ids.UUID(), AuthenticationAssurance: DefaultAssuranceTimeout, Admins: []string{c.Identity.ID}}
	if err := in.apply(&p, true); err != nil {
		return Policy{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.mayPlaceLocked(p.ProjectID, c); err != nil {
		return Policy{}, err
	}
	d.policies[p.ID] = p
	return clonePolicy(p), nil
}

// Policies lists the policies the caller administers.
func (d *Directory) Policies(c Caller) []Policy {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return visible(d.policies, func(p Policy) bool { return d.adminOfLocked(p, c) }, clonePolicy)
}

// GetPolicy returns a policy the caller administers (404 otherwise, as for a missing one).
func (d *Directory) GetPolicy(c Caller, id string) (Policy, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	p, ok := d.policies[id]
	if !ok || !d.adminOfLocked(p, c) {
		return Policy{}, policyNotFound(id)
	}
	return clonePolicy(p), nil
}

// UpdatePolicy changes a policy; high_assurance is immutable.
func (d *Directory) UpdatePolicy(c Caller, id string, in PolicyInput) (Policy, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.policies[id]
	if !ok || !d.adminOfLocked(p, c) {
		return Policy{}, policyNotFound(id)
	}
	next := clonePolicy(p)
	if err := in.apply(&next, false); err != nil {
		return Policy{}, err
	}
	if next.ProjectID != p.ProjectID {
		if err := d.mayPlaceLocked(next.ProjectID, c); err != nil {
			return Policy{}, err
		}
	}
	d.policies[id] = next
	return clonePolicy(next), nil
}

// DeletePolicy removes a policy and returns it. Auth does not refuse to delete a policy that a
// resource still names (reference Q5): the resource is then locked.
func (d *Directory) DeletePolicy(c Caller, id string) (Policy, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.policies[id]
	if !ok || !d.adminOfLocked(p, c) {
		return Policy{}, policyNotFound(id)
	}
	delete(d.policies, id)
	return clonePolicy(p), nil
}

// LookupPolicy returns a policy by id, for the services that enforce it.
func (d *Directory) LookupPolicy(id string) (Policy, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	p, ok := d.policies[id]
	return clonePolicy(p), ok
}

// domainAllowed applies the include and exclude lists (shell patterns such as "*.edu").
func (p Policy) domainAllowed(domain string) bool {
	match := func(list *[]string) bool {
		return list != nil && slices.ContainsFunc(*list, func(pat string) bool {
			ok, err := path.Match(strings.ToLower(pat), domain)
			return err == nil && ok
		})
	}
	if p.DomainConstraintsInclude != nil && len(*p.DomainConstraintsInclude) > 0 && !match(p.DomainConstraintsInclude) {
		return false
	}
	return !match(p.DomainConstraintsExclude)
}

// Satisfied reports whether the token's session satisfies the policy through one of the given
// identities (nil: any identity of the caller's identity set).
func (p Policy) Satisfied(c Caller, eligible []string, now time.Time) bool {
	for _, a := range c.Token.Authentications {
		if eligible != nil && !slices.Contains(eligible, a.IdentityID) {
			continue
		}
		i := slices.IndexFunc(c.IdentitySet, func(i Identity) bool { return i.ID == a.IdentityID })
		if i < 0 {
			continue
		}
		fresh := !a.Time.Before(now.Add(-time.Duration(p.AuthenticationAssurance) * time.Second))
		if fresh && (a.MFA || !p.RequiredMFA) && p.domainAllowed(c.IdentitySet[i].Domain()) {
			return true
		}
	}
	return false
}

// Now is the directory's clock reading, for policy evaluation.
func (d *Directory) Now() time.Time { return d.clock.Now() }
