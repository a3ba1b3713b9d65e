package flows

import (
	"fmt"
	"slices"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
)

// High-assurance flows (reference flows-api.md §7.2, §12, §16.7; transfer-acl-and-auth.md Q5, Q7).
// A flow with an authentication policy is high-assurance: it needs a high-assurance subscription
// and a high-assurance policy, never becomes a standard flow or back, and admits no "public" or
// "all_authenticated_users" principal. Listings redact its definition and input schema. Every
// direct operation asks that the caller's session satisfy the policy through one of the caller's
// identities that itself holds a role; otherwise 403 with a GARE. Once its policy is deleted from
// Auth the flow is locked for everyone until an owner or administrator who is a member of the
// subscription's group gives it a new high-assurance policy.

// GAREMessage is the session_message Flows sends.
const GAREMessage = "Globus Flows detected an unsatisfied session policy for this resource."

// PolicyRequired is the GARE asking the caller to satisfy a policy.
func PolicyRequired(p auth.Policy) error {
	return apierr.Requirements("AuthenticationPolicyRequired", GAREMessage, apierr.AuthorizationParameters{
		SessionMessage: GAREMessage, SessionRequiredPolicies: []string{p.ID}, SessionRequiredMFA: p.RequiredMFA,
	})
}

// PolicyMissing is the lockout error of a high-assurance flow whose policy was deleted.
func PolicyMissing(flowID, policyID string) error {
	return apierr.New(apierr.Forbidden, "AUTHENTICATION_POLICY_MISSING",
		"The authentication policy %s of the high-assurance flow %s no longer exists in Globus Auth. Access to the flow and its runs is refused until an owner or administrator who is a member of the flow's high-assurance subscription group updates the flow with a new high-assurance authentication policy.",
		policyID, flowID)
}

// eligible lists the caller's identities that hold a role by themselves (with their own groups):
// a high-assurance session must come from the identity that holds the role, not a linked one.
func (s *Store) eligible(c auth.Caller, holds func(single auth.Caller) bool) []string {
	out := []string{}
	for _, i := range c.IdentitySet {
		single := auth.Caller{Identity: i, IdentitySet: []auth.Identity{i}, GroupIDs: s.dir.GroupIDsOf(i.ID)}
		if holds(single) {
			out = append(out, i.ID)
		}
	}
	return out
}

// checkSession enforces a flow's policy for a caller: nil for a standard flow or a satisfied
// session; the lockout error when the policy is gone; a GARE otherwise.
func (s *Store) checkSession(c auth.Caller, f *Flow, holds func(single auth.Caller) bool) error {
	if f.AuthenticationPolicyID == "" {
		return nil
	}
	p, ok := s.dir.LookupPolicy(f.AuthenticationPolicyID)
	if !ok {
		return PolicyMissing(f.ID, f.AuthenticationPolicyID)
	}
	if !p.Satisfied(c, s.eligible(c, holds), s.dir.Now()) {
		return PolicyRequired(p)
	}
	return nil
}

// CheckSession enforces the policy of a flow (or of a deleted flow) for an operation on one of its
// runs; holds says whether a single identity holds a role on the run.
func (s *Store) CheckSession(c auth.Caller, flowID string, holds func(single auth.Caller) bool) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.flows[flowID]
	if !ok {
		if f, ok = s.deleted[flowID]; !ok {
			return nil
		}
	}
	return s.checkSession(c, f, holds)
}

// IsHighAssurance reports whether a flow (or a deleted flow) is high-assurance.
func (s *Store) IsHighAssurance(flowID string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.flows[flowID]
	if !ok {
		f, ok = s.deleted[flowID]
	}
	return ok && f.AuthenticationPolicyID != ""
}

func viewerOf(f *Flow) func(auth.Caller) bool {
	return func(single auth.Caller) bool { return f.AccessOf(single).CanView() }
}

func unprocessable(field, msg string) error {
	return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", []apierr.FieldError{{Loc: []any{field}, Msg: msg, Type: "value_error"}})
}

// checkHighAssurance applies the high-assurance rules to a flow as it would be after a create or
// an update (next), given its state before (prev; nil on create).
func (s *Store) checkHighAssurance(c auth.Caller, prev, next *Flow, in Fields) error {
	wasHA := prev != nil && prev.AuthenticationPolicyID != ""
	switch {
	case prev != nil && !wasHA && in.AuthenticationPolicyID != nil && *in.AuthenticationPolicyID != "":
		return unprocessable("authentication_policy_id", "A standard flow cannot become a high-assurance flow; create a new flow with an authentication policy instead")
	case wasHA && in.AuthenticationPolicyID != nil && *in.AuthenticationPolicyID == "":
		return unprocessable("authentication_policy_id", "The authentication policy of a high-assurance flow cannot be removed, only replaced by another high-assurance policy")
	}
	if next.AuthenticationPolicyID == "" {
		return nil
	}
	sub, ok := s.dir.Subscription(next.SubscriptionID)
	if !ok || !sub.HighAssurance {
		if wasHA {
			return unprocessable("subscription_id", "The subscription of a high-assurance flow can only change to another high-assurance subscription")
		}
		return unprocessable("subscription_id", "A flow with an authentication policy needs a high-assurance subscription (subscription_id)")
	}
	var errs []apierr.FieldError
	for _, list := range []struct {
		field string
		v     []string
	}{{"flow_viewers", next.Viewers}, {"flow_starters", next.Starters}, {"flow_administrators", next.Administrators},
		{"run_managers", next.RunManagers}, {"run_monitors", next.RunMonitors}} {
		for i, p := range list.v {
			if p == auth.PublicURN || p == auth.AllAuthenticatedURN {
				errs = append(errs, apierr.FieldError{Loc: []any{list.field, i}, Type: "value_error",
					Msg: fmt.Sprintf("%q is not allowed in the role lists of a high-assurance flow", p)})
			}
		}
	}
	if len(errs) > 0 {
		return apierr.WithFields(apierr.Invalid, "UNPROCESSABLE_ENTITY", errs)
	}
	changed := prev == nil || prev.AuthenticationPolicyID != next.AuthenticationPolicyID
	if !changed {
		return nil
	}
	p, ok := s.dir.LookupPolicy(next.AuthenticationPolicyID)
	if !ok {
		return unprocessable("authentication_policy_id", "No authentication policy exists with id "+next.AuthenticationPolicyID)
	}
	if !p.HighAssurance {
		return unprocessable("authentication_policy_id", "The authentication policy of a flow must be a high-assurance policy")
	}
	// A new policy (at creation or as a replacement) must already be satisfied by the caller, who
	// holds a role on the flow: otherwise they would lock themselves out.
	if !p.Satisfied(c, s.eligible(c, viewerOf(next)), s.dir.Now()) {
		return PolicyRequired(p)
	}
	return nil
}

// inSubscriptionGroup reports whether the caller is a member of the flow's subscription group.
func (s *Store) inSubscriptionGroup(c auth.Caller, f *Flow) bool {
	sub, ok := s.dir.Subscription(f.SubscriptionID)
	return ok && (sub.GroupID == "" || slices.Contains(c.GroupIDs, sub.GroupID))
}

// sessionForUpdate checks an update of a high-assurance flow. Normally the caller must satisfy
// the current policy (and, in checkHighAssurance, a new one). A flow whose policy was deleted
// accepts only the recovery: a new policy, set by an owner or administrator who is a member of the
// flow's subscription group.
func (s *Store) sessionForUpdate(c auth.Caller, f *Flow, in Fields) error {
	if f.AuthenticationPolicyID == "" {
		return nil
	}
	if _, ok := s.dir.LookupPolicy(f.AuthenticationPolicyID); ok {
		return s.checkSession(c, f, viewerOf(f))
	}
	if in.AuthenticationPolicyID == nil || *in.AuthenticationPolicyID == "" || *in.AuthenticationPolicyID == f.AuthenticationPolicyID {
		return PolicyMissing(f.ID, f.AuthenticationPolicyID)
	}
	if !s.inSubscriptionGroup(c, f) {
		return apierr.New(apierr.Forbidden, "FORBIDDEN",
			"Only an owner or administrator who is a member of the group of the flow's high-assurance subscription %s may give the flow %s a new authentication policy", f.SubscriptionID, f.ID)
	}
	return nil
}
