package mockserver

import "github.com/globus-conformance/kit/mockserver/auth"

// operations is the one table from OpenAPI operation ids to handlers and access rules.
// Flows scopes (reference flows-api.md §10): "all" covers every service operation; view_flows
// reads flows, manage_flows writes them. The first scope listed is the one a 403 names.
func (s *Server) operations() map[string]operation {
	view := []string{auth.FlowsScope("view_flows"), auth.FlowsScope("manage_flows"), auth.FlowsScope("all")}
	manage := []string{auth.FlowsScope("manage_flows"), auth.FlowsScope("all")}
	authScopes := []string{"urn:globus:auth:scope:auth.globus.org:view_identities", "openid", "profile", "email",
		"urn:globus:auth:scope:auth.globus.org:view_identity_set"}
	groupScopes := []string{"urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
		"urn:globus:auth:scope:groups.api.globus.org:all"}
	return map[string]operation{
		"listFlows":       {scopes: view, fn: s.listFlows},
		"createFlow":      {scopes: manage, fn: s.createFlow},
		"validateFlow":    {scopes: manage, fn: s.validateFlow},
		"getFlow":         {scopes: view, fn: s.getFlow},
		"updateFlow":      {scopes: manage, fn: s.updateFlow},
		"deleteFlow":      {scopes: manage, fn: s.deleteFlow},
		"issueToken":      {auth: clientAuth, fn: s.issueToken},
		"introspectToken": {auth: eitherAuth, fn: s.introspectToken},
		"getIdentities":   {scopes: authScopes, fn: s.getIdentities},
		"getMyGroups":     {scopes: groupScopes, fn: s.getMyGroups},
	}
}
