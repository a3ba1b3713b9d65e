package worlds

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/globus-conformance/kit/mockserver"
)

const simpleFlow = `{"title": "T", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}`

// client talks to a multiplexer over HTTP.
type client struct {
	t    testing.TB
	base string
}

func newClient(t testing.TB, opts mockserver.Options) (*Mux, *client) {
	t.Helper()
	opts.ValidateResponses = true
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, &client{t: t, base: srv.URL}
}

// do sends a request (a JSON body unless header says otherwise) and decodes the answer.
func (c *client) do(method, path, token, body string, header ...string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		c.t.Fatalf("%s %s: %d, not a JSON object: %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, doc
}

// want is do that fails the test unless the status is the one expected.
func (c *client) want(status int, method, path, token, body string) map[string]any {
	c.t.Helper()
	got, doc := c.do(method, path, token, body)
	if got != status {
		c.t.Fatalf("%s %s: %d, want %d: %v", method, path, got, status, doc)
	}
	return doc
}

// world creates a world of the default seed.
func (c *client) world() (id, alice string) {
	c.t.Helper()
	doc := c.want(http.StatusCreated, "POST", "/_mock/worlds", "", "")
	return doc["id"].(string), doc["tokens"].(map[string]any)["alice"].(string)
}

// flowIDs are the ids of the flows a token lists.
func (c *client) flowIDs(token string) []string {
	c.t.Helper()
	var out []string
	for _, f := range c.want(http.StatusOK, "GET", "/flows?per_page=50", token, "")["flows"].([]any) {
		out = append(out, f.(map[string]any)["id"].(string))
	}
	slices.Sort(out)
	return out
}

// 32 clients on 32 worlds create flows, start runs, list and reset at once: each sees only its
// own world, and the default world sees none of them.
func TestWorldsAreIsolated(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	seeded := c.flowIDs("tok-alice")
	const n = 32
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, alice := c.world()
			if !strings.HasPrefix(alice, id+"-") {
				t.Errorf("world %s: alice's token %q does not carry the world's prefix", id, alice)
			}
			var mine []string
			for j := range 3 {
				flow := c.want(http.StatusCreated, "POST", "/flows", alice, strings.Replace(simpleFlow, `"T"`, fmt.Sprintf(`"w%d-%d"`, i, j), 1))
				mine = append(mine, flow["id"].(string))
				c.want(http.StatusCreated, "POST", "/flows/"+flow["id"].(string)+"/run", alice, `{"body": {}}`)
			}
			want := slices.Sorted(slices.Values(append(slices.Clone(seeded), mine...)))
			if diff := cmp.Diff(want, c.flowIDs(alice)); diff != "" {
				t.Errorf("world %s lists other flows (-want +got):\n%s", id, diff)
			}
			runs := c.want(http.StatusOK, "GET", "/runs?per_page=50", alice, "")["runs"].([]any)
			if len(runs) != 3 {
				t.Errorf("world %s lists %d runs, want its 3", id, len(runs))
			}
			c.want(http.StatusOK, "POST", "/_mock/worlds/"+id+"/reset", "", "")
			if diff := cmp.Diff(seeded, c.flowIDs(alice)); diff != "" {
				t.Errorf("world %s after its reset (-want +got):\n%s", id, diff)
			}
		}()
	}
	wg.Wait()
	if diff := cmp.Diff(seeded, c.flowIDs("tok-alice")); diff != "" {
		t.Errorf("the default world saw the worlds' flows (-want +got):\n%s", diff)
	}
	if got := len(c.want(http.StatusOK, "GET", "/_mock/worlds", "", "")["worlds"].([]any)); got != n {
		t.Errorf("GET /_mock/worlds lists %d worlds, want %d", got, n)
	}
}

// A token of world A never sees world B's flows: tokens route, to their own world.
func TestTokenSeesOnlyItsWorld(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	_, aliceA := c.world()
	idB, aliceB := c.world()
	flowB := c.want(http.StatusCreated, "POST", "/flows", aliceB, simpleFlow)["id"].(string)
	for _, tc := range []struct{ name, token string }{{"world A", aliceA}, {"default world", "tok-alice"}} {
		t.Run(tc.name, func(t *testing.T) {
			c.want(http.StatusNotFound, "GET", "/flows/"+flowB, tc.token, "")
			if slices.Contains(c.flowIDs(tc.token), flowB) {
				t.Errorf("%s lists world %s's flow", tc.name, idB)
			}
		})
	}
	c.want(http.StatusOK, "GET", "/flows/"+flowB, aliceB, "")
	// A token with another world's prefix, or of a world freed, is unknown where it lands.
	c.want(http.StatusOK, "DELETE", "/_mock/worlds/"+idB, "", "")
	c.want(http.StatusUnauthorized, "GET", "/flows", aliceB, "")
	c.want(http.StatusUnauthorized, "GET", "/flows", "w000000000000-tok-alice", "")
}

// Each world has its own clock, faults and journal; addressing one by path changes no other.
func TestControlPlanePerWorld(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	idA, aliceA := c.world()
	idB, aliceB := c.world()
	before := c.want(http.StatusOK, "GET", "/_mock/worlds/"+idB+"/clock", "", "")["now"]
	c.want(http.StatusOK, "POST", "/_mock/worlds/"+idA+"/clock/advance", "", `{"seconds": 86400}`)
	if after := c.want(http.StatusOK, "GET", "/_mock/worlds/"+idB+"/clock", "", "")["now"]; after != before {
		// wall time may move a little; a day may not
		if a, b := fmt.Sprint(after), fmt.Sprint(before); a[:10] != b[:10] {
			t.Errorf("advancing world %s's clock moved world %s's: %v then %v", idA, idB, before, after)
		}
	}
	c.want(http.StatusCreated, "POST", "/_mock/worlds/"+idA+"/faults", "", `{"operation": "listFlows", "status": 503}`)
	c.want(http.StatusServiceUnavailable, "GET", "/flows", aliceA, "")
	c.want(http.StatusOK, "GET", "/flows", aliceB, "")
	c.want(http.StatusOK, "GET", "/flows", "tok-alice", "")
	journal := func(path string) int {
		return len(c.want(http.StatusOK, "GET", path+"?path=/flows", "", "")["requests"].([]any))
	}
	if got := []int{journal("/_mock/worlds/" + idA + "/requests"), journal("/_mock/worlds/" + idB + "/requests"), journal("/_mock/requests")}; !slices.Equal(got, []int{1, 1, 1}) {
		t.Errorf("journals of A, B and the default world hold %v requests to /flows, want one each", got)
	}
	if journal("/_mock/worlds/default/requests") != 1 {
		t.Error("/_mock/worlds/default/ is not the default world's control plane")
	}
}

// A world's client secret routes the client credentials grant (HTTP Basic or form), and the
// tokens it gets, to that world; a client registered with its own secret is found by it.
func TestClientCredentialsRoute(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	doc := c.want(http.StatusCreated, "POST", "/_mock/worlds", "", "")
	id := doc["id"].(string)
	cl := doc["clients"].([]any)[0].(map[string]any)
	cid, secret := cl["id"].(string), cl["secret"].(string)
	own := "9a0f0000-0000-4000-8000-00000000a001"
	c.want(http.StatusCreated, "POST", "/_mock/worlds/"+id+"/clients", "", `{"id": "`+own+`", "secret": "s3cret", "name": "mine"}`)
	scope := "urn:globus:auth:scope:transfer.api.globus.org:all"
	for _, tc := range []struct {
		name, id, secret string
		basic            bool
	}{
		{"basic", cid, secret, true},
		{"form", cid, secret, false},
		{"own secret", own, "s3cret", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
			if !tc.basic {
				form.Set("client_id", tc.id)
				form.Set("client_secret", tc.secret)
			}
			req, _ := http.NewRequest("POST", c.base+"/v2/oauth2/token", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic {
				req.SetBasicAuth(tc.id, tc.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var tok map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&tok)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("token request: %d %v", resp.StatusCode, tok)
			}
			access, _ := tok["access_token"].(string)
			if !strings.HasPrefix(access, id+"-") {
				t.Errorf("access token %q is not world %s's", access, id)
			}
		})
	}
	if got := c.want(http.StatusOK, "GET", "/_mock/requests?path=/v2/oauth2/token", "", "")["requests"].([]any); len(got) != 0 {
		t.Errorf("the default world's journal holds %d of the world's token requests", len(got))
	}
}

// The /_mock/worlds routes answer in the control plane's format, behind its guard.
func TestWorldRoutes(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	id, _ := c.world()
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
		code                     string
	}{
		{"unknown world", "GET", "/_mock/worlds/wnope/clock", "", nil, 404, "NOT_FOUND"},
		{"unknown world deleted", "DELETE", "/_mock/worlds/wnope", "", nil, 404, "NOT_FOUND"},
		{"default world not deleted", "DELETE", "/_mock/worlds/default", "", nil, 409, "CONFLICT"},
		{"refused seed", "POST", "/_mock/worlds", `{"flows": [{"id": "x"}]}`, nil, 422, "UNPROCESSABLE_ENTITY"},
		{"not a world", "POST", "/_mock/worlds", `[1]`, nil, 400, "BAD_REQUEST"},
		{"cross-site", "POST", "/_mock/worlds", "", []string{"Origin", "https://evil.example"}, 403, "CROSS_SITE_REQUEST"},
		{"cross-site in a world", "POST", "/_mock/worlds/" + id + "/reset", "", []string{"Origin", "https://evil.example"}, 403, "CROSS_SITE_REQUEST"},
		{"not JSON", "POST", "/_mock/worlds", "a=b", []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"no operation", "PUT", "/_mock/worlds", "", nil, 404, "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, doc := c.do(tc.method, tc.path, "", tc.body, tc.header...)
			code, _ := doc["error"].(map[string]any)["code"].(string)
			if status != tc.status || code != tc.code {
				t.Errorf("%s %s: %d %s, want %d %s (%v)", tc.method, tc.path, status, code, tc.status, tc.code, doc)
			}
		})
	}
	got := c.want(http.StatusOK, "GET", "/_mock/worlds/"+id, "", "")
	if got["id"] != id || got["control"] != "/_mock/worlds/"+id {
		t.Errorf("GET /_mock/worlds/%s: %v", id, got)
	}
}

// A world document sent to POST /_mock/worlds seeds the world; its tokens get the prefix.
func TestWorldFromDocument(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	doc := c.want(http.StatusCreated, "POST", "/_mock/worlds", "", `{
		"identities": [{"id": "0f0f0000-0000-4000-8000-000000000009", "username": "frank@example.org", "name": "Frank"}],
		"tokens": [{"token": "tok-frank", "identity_id": "0f0f0000-0000-4000-8000-000000000009", "all_scopes": true}]}`)
	id := doc["id"].(string)
	if diff := cmp.Diff(map[string]any{"frank": id + "-tok-frank"}, doc["tokens"]); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	c.want(http.StatusOK, "GET", "/flows", id+"-tok-frank", "")
	c.want(http.StatusUnauthorized, "GET", "/flows", "tok-frank", "")
}

// Tokens the control plane issues in a world carry its prefix and route to it.
func TestIssuedTokensRoute(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	id, _ := c.world()
	for _, named := range []string{"", `, "token": "tok-mine"`} {
		body := `{"identity_id": "0b0b0000-0000-4000-8000-000000000002", "all_scopes": true` + named + `}`
		tok := c.want(http.StatusCreated, "POST", "/_mock/worlds/"+id+"/tokens", "", body)["token"].(string)
		if !strings.HasPrefix(tok, id+"-") {
			t.Errorf("%s: token %q lacks the prefix %s-", body, tok, id)
		}
		c.want(http.StatusOK, "GET", "/flows", tok, "")
	}
}

// Worlds made at once from the seed the mock was started with (--fixtures) share nothing of it.
func TestWorldsFromTheStartSeed(t *testing.T) {
	seed, err := mockserver.DefaultWorld()
	if err != nil {
		t.Fatal(err)
	}
	m, c := newClient(t, mockserver.Options{World: &seed})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, alice := c.world()
			c.want(http.StatusCreated, "POST", "/flows", alice, simpleFlow)
		}()
	}
	wg.Wait()
	if got := len(m.List()); got != 8 {
		t.Errorf("%d worlds, want 8", got)
	}
	if seed.Tokens[0].Token != "tok-alice" {
		t.Errorf("the start seed changed: its first token is %q", seed.Tokens[0].Token)
	}
}

// A provider's client registered in a world with a secret of its own introspects that world's
// tokens: the form's token routes the request.
func TestIntrospectionRoutesByToken(t *testing.T) {
	_, c := newClient(t, mockserver.Options{})
	id, alice := c.world()
	own := "9a0f0000-0000-4000-8000-00000000a002"
	c.want(http.StatusCreated, "POST", "/_mock/worlds/"+id+"/clients", "", `{"id": "`+own+`", "secret": "s3cret", "name": "mine"}`)
	// the same client in the default world, with the same secret: the token decides
	c.want(http.StatusCreated, "POST", "/_mock/clients", "", `{"id": "`+own+`", "secret": "s3cret", "name": "mine"}`)
	for _, tc := range []struct {
		name, token string
		active      bool
	}{{"the world's token", alice, true}, {"the default world's token", "tok-alice", true}, {"a token of no world", id + "-nope", false}} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", c.base+"/v2/oauth2/token/introspect", strings.NewReader(url.Values{"token": {tc.token}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(own, "s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var doc map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&doc)
			if resp.StatusCode != http.StatusOK || doc["active"] != tc.active {
				t.Errorf("introspecting %q: %d %v, want active %v", tc.token, resp.StatusCode, doc, tc.active)
			}
		})
	}
}

// Beyond the most worlds at once a new one is refused with 409 until one is deleted.
func TestWorldLimit(t *testing.T) {
	m, c := newClient(t, mockserver.Options{})
	m.max = 2
	id, _ := c.world()
	c.world()
	status, doc := c.do("POST", "/_mock/worlds", "", "")
	if code, _ := doc["error"].(map[string]any)["code"].(string); status != http.StatusConflict || code != "LIMIT_EXCEEDED" {
		t.Fatalf("a world beyond the limit: %d %v, want 409 LIMIT_EXCEEDED", status, doc)
	}
	c.want(http.StatusOK, "DELETE", "/_mock/worlds/"+id, "", "")
	c.world()
}

// A refresh token of a world's seed carries the world's prefix and routes the refresh grant of
// a native client (no secret) to that world.
func TestRefreshRoutesByToken(t *testing.T) {
	m, c := newClient(t, mockserver.Options{})
	seed, err := mockserver.DefaultWorld()
	if err != nil {
		t.Fatal(err)
	}
	const native = "0c11e570-0000-4000-8000-000000000402"
	seed.Tokens[0].ClientID, seed.Tokens[0].RefreshToken = native, "rt-alice"
	w, err := m.Create(&seed)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {w.ID + "-rt-alice"}, "client_id": {native}}
	resp, err := http.Post(c.base+"/v2/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	access, _ := tok["access_token"].(string)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(access, w.ID+"-") {
		t.Fatalf("refresh in world %s: %d %v", w.ID, resp.StatusCode, tok)
	}
	c.want(http.StatusOK, "GET", "/flows", access, "")
}
