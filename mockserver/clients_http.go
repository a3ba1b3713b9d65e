package mockserver

import (
	"net/http"

	"github.com/globus-conformance/kit/mockserver/auth"
)

// createClient is POST /v2/api/clients with a template_id: a confidential client made from a
// native client, its secret answered once (the CLI stores it and logs people in with it).
func (s *Server) createClient(c *call) (int, any, error) {
	var b struct {
		Client struct {
			TemplateID string `json:"template_id"`
			Name       string `json:"name"`
		} `json:"client"`
	}
	if err := c.decode(&b); err != nil {
		return 0, nil, err
	}
	cl, cred, err := s.dir.CreateFromTemplate(b.Client.TemplateID, b.Client.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"client": clientDoc(cl), "included": map[string]any{"client_credential": map[string]any{
		"id": cred.ID, "client": cred.ClientID, "name": cred.Name, "secret": cred.Secret, "created": cl.Created.UTC().Format(authTime)}}}, nil
}

// getClient is GET /v2/api/clients/{client_id}, asked by the client itself (HTTP Basic).
func (s *Server) getClient(c *call) (int, any, error) {
	self, _, _ := c.r.BasicAuth()
	cl, err := s.dir.ClientFor(self, c.param("client_id"))
	return http.StatusOK, map[string]any{"client": clientDoc(cl)}, err
}

// deleteClient is DELETE /v2/api/clients/{client_id}, asked by the client itself (HTTP Basic), as
// `globus logout` deletes the CLI's templated client.
func (s *Server) deleteClient(c *call) (int, any, error) {
	self, _, _ := c.r.BasicAuth()
	cl, err := s.dir.DeleteClient(self, c.param("client_id"))
	return http.StatusOK, map[string]any{"client": clientDoc(cl)}, err
}

// clientDoc is a client as Auth's clients API shows it.
func clientDoc(c auth.Client) map[string]any {
	typ, grants := "confidential_client", []string{"authorization_code", "client_credentials", "refresh_token", "urn:globus:auth:grant_type:dependent_token"}
	var parent any
	switch {
	case c.Native:
		typ, grants = "public_installed_client", []string{"authorization_code", "refresh_token"}
	case c.TemplateID != "":
		// An app instance: its template is its parent, and it has no dependent-token grant.
		grants, parent = grants[:3], c.TemplateID
	}
	return map[string]any{
		"id": c.ID, "name": c.Name, "public_client": c.Native, "client_type": typ, "grant_types": grants,
		"redirect_uris": append([]string{}, c.RedirectURIs...), "scopes": []string{}, "fqdns": []string{},
		"visibility": "private", "project": nil, "parent_client": parent, "required_idp": nil, "preselect_idp": nil,
		"prompt_for_named_grant": c.TemplateID == "", "userinfo_from_effective_identity": true,
		"links": map[string]any{"privacy_policy": nil, "terms_and_conditions": nil},
	}
}
