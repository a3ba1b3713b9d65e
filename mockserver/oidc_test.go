package mockserver

import (
	"net/http"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver/world"
	"github.com/stretchr/testify/require"
)

// The signing key is the process's, never the world's: a dump after ID tokens were signed holds
// no part of it, and a state loaded back keeps signing with the same key.
func TestSigningKeyStaysOutOfDumps(t *testing.T) {
	s := newTestServer(t)
	code, keys := do(t, s, "GET", "/jwk.json", "", "")
	require.Equal(t, http.StatusOK, code)
	key := keys["keys"].([]any)[0].(map[string]any)
	dump, err := world.Encode(s.Dump())
	require.NoError(t, err)
	for _, part := range []string{"n", "kid"} {
		require.NotContains(t, string(dump), key[part].(string), "the dump holds the key's %s", part)
	}
	require.NoError(t, s.Load(s.Dump()))
	_, again := do(t, s, "GET", "/jwk.json", "", "")
	require.Equal(t, keys, again, "a load changes the key")
}

// The token lifetime is refused out of range, in the control plane and in a world file, and a
// reset restores the world's.
func TestTokenLifetimeSetting(t *testing.T) {
	s := newTestServer(t)
	for _, body := range []string{`{"seconds": 0}`, `{"seconds": -5}`, `{"seconds": 315360001}`, `{"seconds": "60"}`} {
		code, doc := do(t, s, "PUT", "/_mock/token-lifetime", "", body)
		require.Equal(t, http.StatusUnprocessableEntity, code, "%s: %v", body, doc)
		require.Contains(t, strings.ToLower(toJSON(doc)), "seconds", body)
	}
	code, doc := do(t, s, "PUT", "/_mock/token-lifetime", "", `{"seconds": 90}`)
	require.Equal(t, http.StatusOK, code, doc)
	require.EqualValues(t, 90, doc["seconds"])
	require.NoError(t, s.Reset())
	_, doc = do(t, s, "GET", "/_mock/token-lifetime", "", "")
	require.EqualValues(t, 172800, doc["seconds"], "after a reset")

	w, err := world.Parse([]byte(`{"token_lifetime": -1}`))
	require.NoError(t, err)
	require.ErrorContains(t, s.Load(w), "token_lifetime")
}
