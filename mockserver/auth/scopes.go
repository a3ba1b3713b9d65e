package auth

import (
	"fmt"
	"strings"

	"github.com/globus-conformance/kit/mockserver/ids"
)

// FlowsClientID is the Flows service's client id; its scopes are
// https://auth.globus.org/scopes/<FlowsClientID>/<name>.
const FlowsClientID = "eec9b274-0c81-4334-bdc2-54e90e689b9a"

// Resource server names as Globus Auth reports them.
const (
	FlowsResourceServer    = "flows.globus.org"
	TransferResourceServer = "transfer.api.globus.org"
	AuthResourceServer     = "auth.globus.org"
	GroupsResourceServer   = "groups.api.globus.org"
)

// FlowsScope returns the Flows service scope with a name (all, manage_flows, view_flows, run,
// run_status, run_manage).
func FlowsScope(name string) string {
	return "https://auth.globus.org/scopes/" + FlowsClientID + "/" + name
}

// FlowScope is the scope of one flow, the flow's globus_auth_scope.
func FlowScope(flowID string) string {
	return "https://auth.globus.org/scopes/" + flowID + "/flow_" + strings.ReplaceAll(flowID, "-", "_") + "_user"
}

// Scopes the persona tokens are shown with; they also hold every flow's own scope.
var StandardScopes = []string{
	"openid", "profile", "email",
	"urn:globus:auth:scope:auth.globus.org:view_identities",
	"urn:globus:auth:scope:auth.globus.org:view_identity_set",
	"urn:globus:auth:scope:auth.globus.org:manage_projects",
	"urn:globus:auth:scope:transfer.api.globus.org:all",
	"urn:globus:auth:scope:groups.api.globus.org:all",
	"urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
	FlowsScope("all"), FlowsScope("manage_flows"), FlowsScope("view_flows"),
	FlowsScope("run"), FlowsScope("run_status"), FlowsScope("run_manage"),
}

// baseScope drops a dependent-scope suffix: "a[b c]" -> "a".
func baseScope(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i]
	}
	return s
}

// ResourceServer names the resource server a scope belongs to, as Globus Auth groups tokens.
func ResourceServer(scope string) (string, bool) {
	s := baseScope(scope)
	switch {
	case s == "openid" || s == "profile" || s == "email" || strings.HasPrefix(s, "urn:globus:auth:scope:auth.globus.org:"):
		return AuthResourceServer, true
	case strings.HasPrefix(s, "urn:globus:auth:scope:transfer.api.globus.org:"):
		return TransferResourceServer, true
	case strings.HasPrefix(s, "urn:globus:auth:scope:groups.api.globus.org:"):
		return GroupsResourceServer, true
	case strings.HasPrefix(s, "https://auth.globus.org/scopes/"):
		rest := strings.TrimPrefix(s, "https://auth.globus.org/scopes/")
		client, name, ok := strings.Cut(rest, "/")
		if !ok || name == "" || !ids.IsUUID(client) {
			return "", false
		}
		if client == FlowsClientID {
			return FlowsResourceServer, true
		}
		// A flow's own scope, or a collection's data_access scope: the resource server is the id.
		return client, true
	}
	return "", false
}

// IdentityURN is the principal URN of an identity.
func IdentityURN(id string) string { return IdentityURNPrefix + id }

// IdentityURNPrefix starts every identity URN.
const IdentityURNPrefix = "urn:globus:auth:identity:"

// GroupURN is the principal URN of a group.
func GroupURN(id string) string { return "urn:globus:groups:id:" + id }

// PrincipalKind is what a principal string names.
type PrincipalKind int

// The principal kinds.
const (
	BadPrincipal PrincipalKind = iota
	IdentityPrincipal
	GroupPrincipal
	PublicPrincipal
	AllAuthenticatedPrincipal
)

// ParsePrincipal classifies a principal string.
func ParsePrincipal(p string) (PrincipalKind, string) {
	switch {
	case p == PublicURN:
		return PublicPrincipal, ""
	case p == AllAuthenticatedURN:
		return AllAuthenticatedPrincipal, ""
	case strings.HasPrefix(p, "urn:globus:auth:identity:") && ids.IsUUID(strings.TrimPrefix(p, "urn:globus:auth:identity:")):
		return IdentityPrincipal, strings.TrimPrefix(p, "urn:globus:auth:identity:")
	case strings.HasPrefix(p, "urn:globus:groups:id:") && ids.IsUUID(strings.TrimPrefix(p, "urn:globus:groups:id:")):
		return GroupPrincipal, strings.TrimPrefix(p, "urn:globus:groups:id:")
	}
	return BadPrincipal, ""
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// The special principals of role lists.
const (
	PublicURN           = "public"
	AllAuthenticatedURN = "all_authenticated_users"
)
