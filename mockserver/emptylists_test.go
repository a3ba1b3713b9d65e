package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// A caller with no role, no group and no policy gets empty lists, never null, wherever the
// contract says array: the documents are checked against it (ValidateResponses) and read raw.
func TestListsOfACallerWithNothingAreEmpty(t *testing.T) {
	s := newTestServer(t)
	loner, err := s.AddIdentity(auth.Identity{Username: "loner@example.org", Name: "Lone"})
	require.NoError(t, err)
	tok, err := s.IssueToken(auth.Token{IdentityID: loner.ID, AllScopes: true})
	require.NoError(t, err)
	const guest, mapped = "c011ec70-0000-4000-8000-000000000301", "c011ec70-0000-4000-8000-000000000302"
	cases := []struct {
		name, path, token, field string
	}{
		{"endpoint roles of a caller with no role", "/v0.10/endpoint/" + guest, "tok-bob", "my_effective_roles"},
		{"endpoint roles asked by fields", "/v0.10/endpoint/" + guest + "?fields=my_effective_roles", "tok-bob", "my_effective_roles"},
		{"host endpoint roles of the guest's owner", "/v0.10/endpoint/" + mapped, "tok-alice", "my_effective_roles"},
		{"endpoint roles of an identity with no group", "/v0.10/endpoint/" + guest, tok.Token, "my_effective_roles"},
		{"groups of an identity in none", "/v2/groups/my_groups", tok.Token, ""},
		{"policies of a caller with none", "/v2/api/policies", "tok-bob", "policies"},
		{"identities not found", "/v2/api/identities?usernames=nobody@example.org", "tok-bob", "identities"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, c.path, nil)
			r.Header.Set("Authorization", "Bearer "+c.token)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			var got any = json.RawMessage(w.Body.Bytes())
			if c.field != "" {
				var doc map[string]json.RawMessage
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc))
				got = doc[c.field]
			}
			if diff := cmp.Diff(`[]`, string(got.(json.RawMessage))); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.field, diff)
			}
		})
	}
}
