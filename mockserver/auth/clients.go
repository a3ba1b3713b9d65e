package auth

import (
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Credential is a confidential client's secret as Auth answers it once, when the client is made.
type Credential struct {
	ID       string `json:"id"`
	ClientID string `json:"client"`
	Name     string `json:"name"`
	Secret   string `json:"secret"`
}

// CredentialID is the id of a client's one credential: stable for the client.
func CredentialID(clientID string) string { return ids.NameUUID("credential " + clientID) }

// CreateFromTemplate makes a confidential client from a native client's template, as Globus Auth
// does for an app that registers an instance of itself (the CLI's "Globus CLI" client): a new
// id and secret, the template's redirect rules.
func (d *Directory) CreateFromTemplate(templateID, name string) (Client, Credential, error) {
	if strings.TrimSpace(name) == "" {
		return Client{}, Credential{}, apierr.New(apierr.BadRequest, "INVALID_PARAMETERS", "client.name is required")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.clients[strings.ToLower(templateID)]
	if !ok || !t.Native {
		return Client{}, Credential{}, apierr.New(apierr.BadRequest, "INVALID_PARAMETERS", "client.template_id %s is not a native client that may be templated", templateID)
	}
	c := Client{ID: ids.UUID(), Secret: d.mint("mock-secret-", 24), Name: name, TemplateID: t.ID, Created: d.clock.Now()}
	d.putClient(c)
	return c, Credential{ID: CredentialID(c.ID), ClientID: c.ID, Name: "Auto-created at client creation", Secret: c.Secret}, nil
}

// ClientFor returns a client to itself: the caller authenticated with its id and secret (HTTP
// Basic) and may see or delete only its own record.
func (d *Directory) ClientFor(callerID, id string) (Client, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	c, ok := d.clients[strings.ToLower(id)]
	switch {
	case !ok:
		return Client{}, apierr.New(apierr.NotFound, "NOT_FOUND", "No client %s", id)
	case c.ID != callerID:
		return Client{}, apierr.New(apierr.Forbidden, "FORBIDDEN", "A client may only manage itself")
	}
	return c, nil
}

// DeleteClient removes a client, with the tokens issued to it, at its own request. Its identity
// stays, as Globus Auth keeps identities: what it owns keeps an owner.
func (d *Directory) DeleteClient(callerID, id string) (Client, error) {
	c, err := d.ClientFor(callerID, id)
	if err != nil {
		return Client{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.clients, c.ID)
	for k, t := range d.tokens {
		if t.ClientID == c.ID {
			delete(d.tokens, k)
		}
	}
	return c, nil
}
