package engine

import (
	"sort"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// TransferScope is the scope of Transfer and of every Transfer action provider.
const TransferScope = "urn:globus:auth:scope:transfer.api.globus.org:all"

// providerScopes are the scopes of Globus's hosted action providers (reference flow-engine.md §4),
// so a definition that omits ActionScope still resolves, as it does on the real service.
var providerScopes = map[string]string{
	"https://actions.globus.org/hello_world":               "https://auth.globus.org/scopes/actions.globus.org/hello_world",
	"https://actions.globus.org/expression_eval":           "https://auth.globus.org/scopes/5fac2e64-c734-4e6b-90ea-ff12ddbf9653/expression",
	"https://actions.globus.org/notification/notify":       "https://auth.globus.org/scopes/5fac2e64-c734-4e6b-90ea-ff12ddbf9653/notification_notify",
	"https://actions.globus.org/weboption/wait_for_option": "https://auth.globus.org/scopes/5fac2e64-c734-4e6b-90ea-ff12ddbf9653/weboption_wait_for_option",
}

// ProviderScope resolves the scope of an action URL without asking the provider.
func ProviderScope(actionURL string) (string, bool) {
	u := strings.TrimSuffix(actionURL, "/")
	if s, ok := providerScopes[u]; ok {
		return s, true
	}
	if strings.HasPrefix(u, "https://transfer.actions.globus.org/") {
		return TransferScope, true
	}
	return "", false
}

// Scopes lists, by RunAs role ("User" by default), the scopes the Action states need. An action
// whose scope neither the definition (ActionScope), the known providers nor registered (the
// providers registered with the mock, nil for none) give cannot be resolved: the real service
// answers 409 SCOPE_RESOLUTION_FAILED when the provider does not answer.
func Scopes(def map[string]any, registered func(actionURL string) (string, bool)) (map[string][]string, error) {
	states, _ := def["States"].(map[string]any)
	byRole := map[string]map[string]bool{}
	for _, name := range sortedKeys(states) {
		state, _ := states[name].(map[string]any)
		if state["Type"] != "Action" {
			continue
		}
		url, _ := state["ActionUrl"].(string)
		scope, _ := state["ActionScope"].(string)
		if scope == "" {
			var ok bool
			if scope, ok = ProviderScope(url); !ok && registered != nil {
				scope, ok = registered(url)
			}
			if !ok {
				return nil, apierr.New(apierr.Conflict, "SCOPE_RESOLUTION_FAILED",
					"Failed to resolve scope for Action Provider at '%s': upstream did not respond", url)
			}
		}
		role, _ := state["RunAs"].(string)
		if role == "" {
			role = "User"
		}
		if byRole[role] == nil {
			byRole[role] = map[string]bool{}
		}
		byRole[role][scope] = true
	}
	out := map[string][]string{}
	for role, set := range byRole {
		for s := range set {
			out[role] = append(out[role], s)
		}
		sort.Strings(out[role])
	}
	return out, nil
}
