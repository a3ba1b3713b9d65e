package mockserver

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/login"
)

func (s *Server) form(c *call) (url.Values, error) {
	v, err := url.ParseQuery(string(c.body))
	if err != nil {
		return nil, apierr.New(apierr.BadRequest, "invalid_request", "The form body could not be parsed")
	}
	return v, nil
}

// tokenDoc is a token just issued, as the token endpoint shows it: expires_in is its lifetime.
// A token of a world file may hold every scope and name none (a persona's, given a refresh
// token): it shows the standard scopes.
func tokenDoc(t auth.Token) map[string]any {
	scopes := t.Scopes
	if len(scopes) == 0 && t.AllScopes {
		scopes = auth.StandardScopes
	}
	rs := ""
	if len(scopes) > 0 {
		rs, _ = auth.ResourceServer(scopes[0])
	}
	doc := map[string]any{
		"access_token": t.Token, "scope": strings.Join(scopes, " "), "resource_server": rs,
		"expires_in": int(t.ExpiresAt.Sub(t.IssuedAt).Seconds()), "token_type": "Bearer",
	}
	if t.RefreshToken != "" {
		doc["refresh_token"] = t.RefreshToken
	}
	return doc
}

// issueToken is POST /v2/oauth2/token for the client_credentials, authorization_code and
// refresh_token grants: one token per resource server, the first at the top level and the others
// in other_tokens (what the CLI expects); and for the dependent-token grant, a list of them.
func (s *Server) issueToken(c *call) (int, any, error) {
	form, err := s.form(c)
	if err != nil {
		return 0, nil, err
	}
	var tokens []auth.Token
	id, secret, ok := c.r.BasicAuth()
	if !ok {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	gt := form.Get("grant_type")
	noteGrant(c.r, gt)
	switch gt {
	case "client_credentials":
		tokens, err = s.dir.ClientCredentials(id, secret, form.Get("scope"))
	case auth.DependentGrant:
		// Globus Auth answers the dependent-token grant with a list of token documents, one per
		// resource server (the SDK's OAuthDependentTokenResponse), not one with other_tokens.
		tokens, err = s.dir.DependentTokens(id, secret, form.Get("token"), form.Get("scope"), form.Get("access_type") == "offline")
		if err != nil {
			return 0, nil, err
		}
		list := make([]map[string]any, len(tokens))
		for i, t := range tokens {
			list[i] = tokenDoc(t)
		}
		return http.StatusOK, list, nil
	case "authorization_code":
		tokens, err = s.exchangeCode(c, form)
	case "refresh_token":
		tokens, err = s.refreshTokens(c, form)
	default:
		return 0, nil, apierr.New(apierr.BadRequest, "unsupported_grant_type", "grant_type %q is not supported by this mock; use client_credentials, authorization_code, refresh_token or %s", gt, auth.DependentGrant)
	}
	if err != nil {
		return 0, nil, err
	}
	if gt != "client_credentials" {
		// The ID token comes with the Auth token that holds openid, at the top level (where the
		// JS SDK's manager.user and the Python SDK's decode_id_token read it).
		if i := slices.IndexFunc(tokens, func(t auth.Token) bool { return slices.Contains(t.Scopes, auth.OpenIDScope) }); i > 0 {
			tokens = append([]auth.Token{tokens[i]}, append(tokens[:i:i], tokens[i+1:]...)...)
		}
	}
	body := tokenDoc(tokens[0])
	others := []map[string]any{}
	for _, t := range tokens[1:] {
		others = append(others, tokenDoc(t))
	}
	body["other_tokens"] = others
	if gt != "client_credentials" {
		// A user's login or its refresh that holds openid comes with an ID token.
		if err := s.addIDToken(body, tokens); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusOK, body, nil
}

func identityDoc(i auth.Identity) map[string]any {
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	typ := "login"
	if i.LinkedTo != "" {
		typ = "link"
	}
	return map[string]any{
		"id": i.ID, "username": i.Username, "name": nullable(i.Name), "email": nullable(i.Email),
		"organization": nullable(i.Organization), "identity_provider": i.IdentityProvider,
		"identity_type": typ, "status": i.Status,
	}
}

// introspectToken is POST /v2/oauth2/token/introspect.
func (s *Server) introspectToken(c *call) (int, any, error) {
	form, err := s.form(c)
	if err != nil {
		return 0, nil, err
	}
	caller, ok := s.dir.Introspect(form.Get("token"))
	// A client sees a token minted for a provider only if it is that provider (Token.VisibleTo).
	if client, _, _ := c.r.BasicAuth(); !ok || !caller.Token.VisibleTo(client) {
		return http.StatusOK, map[string]any{"active": false}, nil
	}
	t := caller.Token
	scopes := t.Scopes
	if t.AllScopes {
		scopes = auth.StandardScopes
	}
	aud := t.Audience()
	clientID := t.ClientID
	if clientID == "" {
		clientID = auth.FlowsClientID
	}
	body := map[string]any{
		"active": true, "token_type": "Bearer", "scope": strings.Join(scopes, " "), "client_id": clientID,
		"username": caller.Identity.Username, "name": nilIfEmpty(caller.Identity.Name), "email": nilIfEmpty(caller.Identity.Email),
		"exp": t.ExpiresAt.Unix(), "iat": t.IssuedAt.Unix(), "nbf": t.IssuedAt.Unix(),
		"sub": caller.Identity.ID, "aud": aud, "iss": login.Issuer,
	}
	// A resource server the token is for may trade it for dependent tokens: it gets the key to
	// cache them under.
	if client, _, _ := c.r.BasicAuth(); slices.Contains(aud, client) {
		body["dependent_tokens_cache_id"] = t.DependentTokensCacheID()
	}
	include := strings.Split(form.Get("include"), ",")
	if slices.Contains(include, "identity_set") || slices.Contains(include, "identities_set") {
		set := []string{}
		for _, i := range caller.IdentitySet {
			set = append(set, i.ID)
		}
		body["identity_set"] = set
	}
	if slices.Contains(include, "identity_set_detail") {
		detail := []map[string]any{}
		for _, i := range caller.IdentitySet {
			detail = append(detail, identityDoc(i))
		}
		body["identity_set_detail"] = detail
	}
	if slices.Contains(include, "session_info") {
		authns := map[string]any{}
		for _, a := range t.Authentications {
			idp := ""
			for _, i := range caller.IdentitySet {
				if i.ID == a.IdentityID {
					idp = i.IdentityProvider
				}
			}
			var amr any
			if a.MFA {
				amr = []string{"mfa"}
			}
			authns[a.IdentityID] = map[string]any{"auth_time": a.Time.Unix(), "idp": idp, "acr": nil, "amr": amr, "custom_claims": map[string]any{}}
		}
		body["session_info"] = map[string]any{"session_id": t.SessionID, "authentications": authns}
	}
	if ids := form.Get("authentication_policies"); ids != "" {
		// One entry per requested policy; an unknown policy evaluates false.
		evals := map[string]any{}
		for _, id := range strings.Split(ids, ",") {
			id = strings.TrimSpace(id)
			p, ok := s.dir.LookupPolicy(id)
			evals[id] = map[string]any{"evaluation": ok && p.Satisfied(caller, nil, s.clock.Now())}
		}
		body["policy_evaluations"] = evals
	}
	return http.StatusOK, body, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// getIdentities is GET /v2/api/identities by ids or by usernames (not both, as Auth refuses).
func (s *Server) getIdentities(c *call) (int, any, error) {
	q := c.r.URL.Query()
	idList, _ := listValues(q, "ids")
	names, _ := listValues(q, "usernames")
	if len(idList) > 0 && len(names) > 0 {
		return 0, nil, apierr.New(apierr.BadRequest, "INVALID_PARAMETERS", "Provide ids or usernames, not both")
	}
	out := []map[string]any{}
	for _, i := range s.dir.Identities(idList, names) {
		out = append(out, identityDoc(i))
	}
	return http.StatusOK, map[string]any{"identities": out}, nil
}

// getMyGroups is GET /v2/groups/my_groups: the groups of any identity of the caller's account.
func (s *Server) getMyGroups(c *call) (int, any, error) {
	out := []map[string]any{}
	for _, g := range s.dir.GroupsOf(c.caller) {
		mine := []map[string]any{}
		for _, m := range g.Members {
			for _, i := range c.caller.IdentitySet {
				if i.ID == m.IdentityID {
					mine = append(mine, map[string]any{"group_id": g.ID, "identity_id": i.ID, "username": i.Username, "role": m.Role, "status": "active"})
				}
			}
		}
		out = append(out, map[string]any{
			"id": g.ID, "name": g.Name, "parent_id": nil, "group_type": "regular", "enforce_session": false,
			"session_limit": 28800, "session_timeouts": map[string]any{}, "my_memberships": mine,
			"policies": map[string]any{"group_visibility": "private", "group_members_visibility": "managers"},
		})
	}
	return http.StatusOK, out, nil
}

// policyDoc renders a policy as Auth shows it (without its project administrators).
func policyDoc(p auth.Policy) map[string]any {
	return map[string]any{"policy": map[string]any{
		"id": p.ID, "project_id": p.ProjectID, "high_assurance": p.HighAssurance,
		"authentication_assurance_timeout": p.AuthenticationAssurance, "required_mfa": p.RequiredMFA,
		"display_name": p.DisplayName, "description": p.Description,
		"domain_constraints_include": p.DomainConstraintsInclude, "domain_constraints_exclude": p.DomainConstraintsExclude,
	}}
}

// wrapped decodes an Auth body of the form {"<key>": {...}}.
func wrapped[T any](c *call, key string) (T, error) {
	var zero T
	var b map[string]*T
	if err := c.decode(&b); err != nil {
		return zero, err
	}
	v := b[key]
	if v == nil {
		return zero, apierr.New(apierr.BadRequest, "BAD_REQUEST", "the body must be {%q: {...}}", key)
	}
	return *v, nil
}

func (s *Server) listPolicies(c *call) (int, any, error) {
	list := []any{}
	for _, p := range s.dir.Policies(c.caller) {
		list = append(list, policyDoc(p)["policy"])
	}
	return http.StatusOK, map[string]any{"policies": list}, nil
}

func (s *Server) createPolicy(c *call) (int, any, error) {
	in, err := wrapped[auth.PolicyInput](c, "policy")
	if err != nil {
		return 0, nil, err
	}
	p, err := s.dir.CreatePolicy(c.caller, in)
	return http.StatusOK, policyDoc(p), err
}

func (s *Server) getPolicy(c *call) (int, any, error) {
	p, err := s.dir.GetPolicy(c.caller, c.param("policy_id"))
	return http.StatusOK, policyDoc(p), err
}

func (s *Server) updatePolicy(c *call) (int, any, error) {
	in, err := wrapped[auth.PolicyInput](c, "policy")
	if err != nil {
		return 0, nil, err
	}
	p, err := s.dir.UpdatePolicy(c.caller, c.param("policy_id"), in)
	return http.StatusOK, policyDoc(p), err
}

func (s *Server) deletePolicy(c *call) (int, any, error) {
	p, err := s.dir.DeletePolicy(c.caller, c.param("policy_id"))
	return http.StatusOK, policyDoc(p), err
}

// getConsents is GET /v2/api/identities/{identity_id}/consents.
func (s *Server) getConsents(c *call) (int, any, error) {
	all, err := strconv.ParseBool(cmp.Or(c.r.URL.Query().Get("all"), "false"))
	if err != nil {
		return 0, nil, apierr.New(apierr.BadRequest, "INVALID_PARAMETERS", "all must be true or false")
	}
	list, err := s.dir.ConsentsFor(c.caller, c.param("identity_id"), all)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, consentsDoc(list), nil
}

// consentsDoc is a list of consents as the consents API answers it.
func consentsDoc(list []auth.Consent) map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, k := range list {
		out = append(out, consentDoc(k))
	}
	return map[string]any{"consents": out}
}

// authTime is how Globus Auth writes a consent's times: microseconds and a +00:00 offset.
const authTime = "2006-01-02T15:04:05.000000+00:00"

// consentDoc is a consent as Globus Auth shows it, with its scope's id.
func consentDoc(k auth.Consent) map[string]any {
	return map[string]any{
		"id": k.ID, "client": k.ClientID, "scope": auth.ScopeID(k.ScopeName), "scope_name": k.ScopeName,
		"effective_identity": k.IdentityID, "dependency_path": k.DependencyPath,
		"created": k.Created.UTC().Format(authTime), "updated": k.Updated.UTC().Format(authTime),
		"last_used": k.LastUsed.UTC().Format(authTime), "status": k.Status,
		"allows_refresh": k.AllowsRefresh, "auto_approved": k.AutoApproved, "atomically_revocable": k.AtomicallyRevocable,
	}
}
