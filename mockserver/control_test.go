package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// Control-plane bodies and world documents are decoded strictly: a key that matches a field only
// by case is an unknown field, refused with 400, and nothing changes.
func TestControlBodiesMatchFieldNamesExactly(t *testing.T) {
	s := newTestServer(t)
	dump, err := json.Marshal(s.Dump())
	require.NoError(t, err)
	cases := []struct {
		name, method, path, body string
	}{
		{"clock advance", "POST", "/_mock/clock/advance", `{"Seconds": 3600}`},
		{"a token's embedded fields", "POST", "/_mock/tokens", `{"Identity_ID": "0b0b0000-0000-4000-8000-000000000002", "expires_in": 60}`},
		{"a fault", "POST", "/_mock/faults", `{"Operation": "getFlow"}`},
		{"a world document", "PUT", "/_mock/state", strings.Replace(string(dump), `"tokens"`, `"Tokens"`, 1)},
		{"a nested world field", "PUT", "/_mock/state", strings.Replace(string(dump), `"username"`, `"UserName"`, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := json.Marshal(s.Dump())
			code, doc := do(t, s, c.method, c.path, "", c.body)
			require.Equal(t, http.StatusBadRequest, code, doc)
			require.Contains(t, doc["error"].(map[string]any)["detail"], "unknown field")
			after, _ := json.Marshal(s.Dump())
			if diff := cmp.Diff(string(before), string(after)); diff != "" {
				t.Errorf("the state changed (-before +after):\n%s", diff)
			}
		})
	}
}
