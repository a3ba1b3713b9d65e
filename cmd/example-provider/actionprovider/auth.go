package actionprovider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// caller is who a request comes from, as Globus Auth's introspection of its token says.
type caller struct {
	token      string
	identity   string   // the user's identity id (sub)
	principals []string // the URNs of the user's identities (identity_set), for manage_by/monitor_by
}

// authenticate introspects the bearer token with the provider's own client credentials, on
// every request: an AP never trusts a token Auth has not vouched for. The token must be active,
// carry the provider's scope and name its client in the audience; otherwise the answer is 401.
func (p *Provider) authenticate(r *http.Request) (caller, *apError) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return caller{}, unauthorized("a bearer token is required")
	}
	form := url.Values{"token": {tok}, "include": {"identity_set"}}
	var doc struct {
		Active      bool     `json:"active"`
		Scope       string   `json:"scope"`
		Sub         string   `json:"sub"`
		Aud         []string `json:"aud"`
		IdentitySet []string `json:"identity_set"`
	}
	status, err := p.postForm(p.cfg.AuthURL+"/v2/oauth2/token/introspect", form, &doc)
	if err != nil || status != http.StatusOK {
		return caller{}, &apError{status: http.StatusBadGateway, Code: "AuthUnavailable", Description: fmt.Sprintf("token introspection failed (status %d, %v)", status, err)}
	}
	if !doc.Active || doc.Sub == "" {
		return caller{}, unauthorized("the token is not active (expired, revoked or unknown)")
	}
	if !p.cfg.AcceptForeignScope && (!slices.Contains(strings.Fields(doc.Scope), p.cfg.Scope) || !slices.Contains(doc.Aud, p.cfg.ClientID)) {
		return caller{}, unauthorized("the token is not for this provider's scope " + p.cfg.Scope)
	}
	c := caller{token: tok, identity: doc.Sub}
	for _, id := range append([]string{doc.Sub}, doc.IdentitySet...) {
		if urn := "urn:globus:auth:identity:" + id; !slices.Contains(c.principals, urn) {
			c.principals = append(c.principals, urn)
		}
	}
	return c, nil
}

// dependentToken trades the caller's token for one of Transfer with the dependent-token grant,
// as a provider acting for its user must: the user's own token is only good for this provider.
func (p *Provider) dependentToken(userToken string) (string, error) {
	form := url.Values{
		"grant_type": {"urn:globus:auth:grant_type:dependent_token"},
		"token":      {userToken},
		"scope":      {TransferScope},
	}
	var tokens []struct {
		AccessToken    string `json:"access_token"`
		ResourceServer string `json:"resource_server"`
	}
	status, err := p.postForm(p.cfg.AuthURL+"/v2/oauth2/token", form, &tokens)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("the dependent-token grant answered %d", status)
	}
	for _, t := range tokens {
		if t.ResourceServer == "transfer.api.globus.org" {
			return t.AccessToken, nil
		}
	}
	return "", fmt.Errorf("the dependent-token grant gave no Transfer token")
}

// postForm posts an OAuth form as the provider's client (HTTP Basic) and decodes the answer.
func (p *Provider) postForm(u string, form url.Values, out any) (int, error) {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(p.cfg.ClientID, p.cfg.Secret)
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}
