package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A world file's persona token (every scope, none named) given a refresh token refreshes into a
// token of the standard scopes, not a 500.
func TestRefreshOfASeedTokenWithEveryScope(t *testing.T) {
	const native = "0c11e570-0000-4000-8000-000000000402"
	seed, err := DefaultWorld()
	if err != nil {
		t.Fatal(err)
	}
	seed.Tokens[0].ClientID, seed.Tokens[0].RefreshToken = native, "rt-alice"
	s, err := New(Options{World: &seed, ValidateResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt-alice"}, "client_id": {native}}
	r := httptest.NewRequest("POST", "/v2/oauth2/token", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var doc struct {
		Scope          string `json:"scope"`
		ResourceServer string `json:"resource_server"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &doc)
	if w.Code != http.StatusOK || doc.Scope == "" || doc.ResourceServer == "" {
		t.Fatalf("refresh: %d %s", w.Code, w.Body.String())
	}
}
