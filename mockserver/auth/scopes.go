package auth

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

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
	NexusResourceServer    = "nexus.api.globus.org" // the legacy Groups API
	SearchResourceServer   = "search.api.globus.org"
	ComputeResourceServer  = "funcx_service"
	// ActionsResourceServer names the Hello World provider's scope
	// (https://auth.globus.org/scopes/actions.globus.org/hello_world), which a run's consent
	// nests under a flow's scope.
	ActionsResourceServer = "actions.globus.org"
)

// ComputeClientID is the Compute service's client id; like Flows, its scopes are named by the
// client id while its resource server has a name of its own.
const ComputeClientID = "facd7ccc-c5f4-42aa-916b-a0e270e2c2a9"

// urnResourceServers are the named resource servers whose scopes are
// urn:globus:auth:scope:<resource server>:<name>.
var urnResourceServers = []string{AuthResourceServer, TransferResourceServer, GroupsResourceServer,
	NexusResourceServer, SearchResourceServer}

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

// splitScopes splits a space-separated scope request into its scopes, keeping the spaces inside
// a scope's brackets: "a[b *c] d" is "a[b *c]" and "d".
func splitScopes(s string) []string {
	var out []string
	depth, start := 0, -1
	for i, r := range s {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case unicode.IsSpace(r) && depth <= 0:
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// ResourceServer names the resource server a scope belongs to, as Globus Auth groups tokens. A
// scope with dependencies ("a[b *c]", * marking an optional one) is known when its dependencies
// are too.
func ResourceServer(scope string) (string, bool) {
	base, deps, ok := strings.Cut(scope, "[")
	if ok {
		inner, closed := strings.CutSuffix(deps, "]")
		list := splitScopes(inner)
		if !closed || len(list) == 0 {
			return "", false
		}
		for _, d := range list {
			if _, ok := ResourceServer(strings.TrimPrefix(d, "*")); !ok {
				return "", false
			}
		}
	} else if strings.ContainsRune(scope, ']') {
		return "", false
	}
	return baseResourceServer(base)
}

// baseResourceServer names the resource server of a scope without dependencies: the named
// services by their URNs, and any resource server by its client id in the URL form
// https://auth.globus.org/scopes/<client id>/<name> (a flow, a collection's data_access, Timers,
// an action provider's or a registered client's) or, as GCS endpoints name their
// manage_collections scope, urn:globus:auth:scope:<client id>:<name>.
func baseResourceServer(s string) (string, bool) {
	switch s {
	case "openid", "profile", "email":
		return AuthResourceServer, true
	}
	if rest, ok := strings.CutPrefix(s, "urn:globus:auth:scope:"); ok {
		rs, name, ok := strings.Cut(rest, ":")
		if ok && name != "" && (slices.Contains(urnResourceServers, rs) || ids.IsUUID(rs)) {
			return rs, true
		}
		return "", false
	}
	if rest, ok := strings.CutPrefix(s, "https://auth.globus.org/scopes/"); ok {
		client, name, ok := strings.Cut(rest, "/")
		if !ok || name == "" || !(ids.IsUUID(client) || client == ActionsResourceServer) {
			return "", false
		}
		switch client {
		case FlowsClientID:
			return FlowsResourceServer, true
		case ComputeClientID:
			return ComputeResourceServer, true
		}
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
