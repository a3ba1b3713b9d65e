package mockserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/openapi"
	"github.com/stretchr/testify/require"
)

// The privacy walk: runs whose state holds private values (keys under _private, parameters named
// in __Private_Parameters, at array indexes, read by failing expressions and Fail states, sent to
// a provider, a registered API and a web input) are asked about through every operation of the
// contract, legacy aliases included, with each persona's token, before and after the runs are
// changed, canceled and released. No answer (document, listing, log, definition, web input or
// error) may hold a private value, and no request the mock sends out may carry a persona's token.
//
// Two kinds of marker: PRIV-IN- values exist only in the runs' private input and what states
// derive from it, so they may appear nowhere; LIT-PRIV- values are literals of private parameters
// in definitions, which only flow administrators may see, and only in definitions.

const (
	inputMarker   = "PRIV-IN-"
	literalMarker = "LIT-PRIV-"
)

// outside is the provider and registered API the walk's flows call: it remembers each request's
// Authorization header and never echoes what it is sent.
type outside struct {
	srv *httptest.Server

	mu    sync.Mutex
	auth  []string
	polls int
}

func newOutside(t *testing.T) *outside {
	o := &outside{}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		o.mu.Lock()
		o.auth = append(o.auth, r.Header.Get("Authorization"))
		status := "ACTIVE"
		if strings.HasSuffix(r.URL.Path, "/status") {
			if o.polls++; o.polls%2 == 0 {
				status = "SUCCEEDED"
			}
		}
		o.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/reg" {
			_, _ = io.WriteString(w, `{"done": true}`)
			return
		}
		if r.URL.Path == "/run" {
			w.WriteHeader(http.StatusAccepted)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"action_id": "out-1", "status": status, "details": map[string]any{"ok": true}, "creator_id": "x"})
	}))
	t.Cleanup(o.srv.Close)
	return o
}

// privateFlows are the definitions the walk runs; {url} is the outside service's URL and {api}
// the registered API's id.
var privateFlows = map[string]string{
	"Secrets": `{"StartAt": "Copy", "States": {
		"Copy": {"Type": "Pass", "Parameters": {"pw.$": "$._private.pw", "lit": "LIT-PRIV-pass", "pub": "ok",
		         "__Private_Parameters": ["pw", "lit"]}, "ResultPath": "$.copied", "Next": "Index"},
		"Index": {"Type": "Pass", "Parameters": {"v.$": "$._private.pw", "__Private_Parameters": ["v"]},
		          "ResultPath": "$.arr[0]", "Next": "Expr"},
		"Expr": {"Type": "ExpressionEval", "Parameters": {"n.=": "int(_private.pw)"}, "ResultPath": "$.n",
		         "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "PrivateExpr"}], "Next": "PrivateExpr"},
		"PrivateExpr": {"Type": "ExpressionEval", "Parameters": {"m.=": "int(_private.pw + 'LIT-PRIV-expr')",
		         "__Private_Parameters": ["m"]}, "ResultPath": "$.m",
		         "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err2", "Next": "Call"}], "Next": "Call"},
		"Call": {"Type": "Action", "ActionUrl": "{url}", "ActionScope": "https://auth.globus.org/scopes/9a0f0000-0000-4000-8000-00000000a001/action_all",
		         "Parameters": {"pw.$": "$._private.pw", "lit": "LIT-PRIV-action", "__Private_Parameters": ["pw", "lit"]},
		         "ResultPath": "$.call", "Next": "Reg"},
		"Reg": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Id": "{api}"},
		        "Parameters": {"body": {"pw.$": "$._private.pw"}, "__Private_Parameters": ["body"]}, "ResultPath": "$.reg", "Next": "Ask"},
		"Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection", "Context": {"Title": "Q"},
		        "Options": [{"Value": 1, "Label": "One"}], "RespondentUrns": ["urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002"],
		        "Secret.$": "$._private.pw", "Note": "LIT-PRIV-webinput", "__Private_Parameters": ["Secret", "Note"]},
		        "ResultPath": "$.q", "Next": "Await"},
		"Await": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.q.web_input_id"}, "ResultPath": "$.a", "End": true}}}`,
	"FailPrivate": `{"StartAt": "Fail", "States": {"Fail": {"Type": "Fail", "Error": "Bad", "CausePath": "$._private.pw"}}}`,
	"Sleep": `{"StartAt": "Keep", "States": {
		"Keep": {"Type": "Pass", "Parameters": {"k.$": "$._private.pw", "__Private_Parameters": ["k"]}, "ResultPath": "$.kept", "Next": "Sleep"},
		"Sleep": {"Type": "Wait", "Seconds": 86400, "End": true}}}`,
}

// walkRun is one run of the walk and the ids its operations take.
type walkRun struct {
	name string
	ids  map[string]string
}

// seedPrivateRuns starts each flow of privateFlows as alice (bob views and monitors, carol
// administers, dave manages runs, erin has no role) and settles them.
func seedPrivateRuns(t *testing.T, s *Server, o *outside) []walkRun {
	t.Helper()
	base := seedWorld(t, s)
	_, err := s.AddClient(auth.Client{ID: providerUUID, Secret: "provider-secret", Name: "Provider"})
	require.NoError(t, err)
	api := `{"name": "Out", "subscription_id": "5b5c0000-0000-4000-8000-000000000201", "target": {"type": "openapi", "openapi_version": "3.1",
		"destination": {"method": "post", "url": "` + o.srv.URL + `/reg"},
		"specification": {"security": [{"g": ["https://auth.globus.org/scopes/9a0f0000-0000-4000-8000-00000000a001/reg"]}], "responses": {"200": {"description": "ok"}}},
		"components": {"securitySchemes": {"g": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://auth.globus.org/v2/oauth2/token", "scopes": {}}}}}}}}`
	code, doc := do(t, s, "POST", "/registered_apis", "tok-alice", api)
	require.Equal(t, http.StatusCreated, code, doc)
	apiID := doc["id"].(string)
	// Everyone with a role on the flow may see and call the registered API.
	code, doc = do(t, s, "PATCH", "/registered_apis/"+apiID, "tok-alice",
		`{"roles": {"viewers": ["urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002", "urn:globus:auth:identity:0ca20100-0000-4000-8000-000000000003"]}}`)
	require.Equal(t, http.StatusOK, code, doc)
	base["registered_api_id"] = apiID
	var out []walkRun
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range privateFlows {
			if !yield(k) {
				return
			}
		}
	}) {
		def := strings.NewReplacer("{url}", o.srv.URL, "{api}", apiID).Replace(privateFlows[name])
		require.NotContains(t, def, inputMarker, "definitions never hold input markers")
		body := `{"title": "` + name + `", "definition": ` + def + `,
			"flow_viewers": ["urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002"],
			"flow_administrators": ["urn:globus:auth:identity:0ca20100-0000-4000-8000-000000000003"],
			"flow_starters": ["all_authenticated_users"]}`
		code, doc := do(t, s, "POST", "/flows", "tok-alice", body)
		require.Equal(t, http.StatusCreated, code, "%s: %v", name, doc)
		flowID := doc["id"].(string)
		code, doc = do(t, s, "POST", "/flows/"+flowID+"/run", "tok-alice", `{"body": {"_private": {"pw": "PRIV-IN-`+name+`"}, "arr": ["x"]},
			"run_monitors": ["urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002"],
			"run_managers": ["urn:globus:auth:identity:0da0e000-0000-4000-8000-000000000004"]}`)
		require.Equal(t, http.StatusCreated, code, "%s: %v", name, doc)
		runID := doc["run_id"].(string)
		for range 4 {
			s.Settle()
			s.Clock().Advance(3 * time.Second)
		}
		s.Settle()
		_, got := do(t, s, "GET", "/runs/"+runID, "tok-alice", "")
		ids := map[string]string{}
		for k, v := range base {
			ids[k] = v
		}
		ids["flow_id"], ids["run_id"] = flowID, runID
		if wi, ok := got["blocking_web_input_id"].(string); ok {
			ids["web_input_id"] = wi
		}
		t.Logf("run %s: %v", name, got["status"])
		out = append(out, walkRun{name: name, ids: ids})
	}
	return out
}

// walkBodies are the bodies the walk sends to operations that take one: valid where that is cheap,
// so the operation does its work, else {} (its error must not leak either).
func walkBodies(ids map[string]string) map[string]string {
	// The flows the walk creates are their creator's, so their private literal is not a marker.
	def := `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x": "own-literal", "__Private_Parameters": ["x"]}, "End": true}}}`
	run := `{"body": {"_private": {"pw": "PRIV-IN-walk"}, "arr": ["x"]}}`
	return map[string]string{
		"createFlow":        `{"title": "Walk", "definition": ` + def + `}`,
		"validateFlow":      `{"definition": ` + def + `}`,
		"updateFlow":        `{"description": "walked"}`,
		"runFlow":           run,
		"validateRun":       run,
		"updateRun":         `{"label": "walked", "tags": ["walked"]}`,
		"batchUpdateRuns":   `{"filters": {"run_ids": ["` + ids["run_id"] + `"]}, "add": {"tags": ["batch"]}}`,
		"respondToWebInput": `{"response": {"value": 1}}`,
	}
}

// destructive operations run last: after them, the runs they remove are gone.
var destructive = []string{"cancelRun", "cancelFlowRun", "releaseRun", "releaseFlowRun", "deleteFlow",
	"deleteRegisteredApi", "deleteAccessRule", "deleteRole", "deletePolicy"}

// definitionOps answer documents holding a flow's definition, which administrators see whole.
var definitionOps = []string{"listFlows", "getFlow", "updateFlow", "getRunDefinition", "deleteFlow"}

// administrators of the walk's flows: alice owns them, carol administers them.
var administrators = []string{"tok-alice", "tok-carol"}

func TestNothingPrivateLeaks(t *testing.T) {
	s, err := New(Options{ValidateResponses: true})
	require.NoError(t, err)
	s.Clock().Freeze(time.Time{})
	own := personaTokens(s)
	o := newOutside(t)
	runs := seedPrivateRuns(t, s, o)
	spec := openapi.MustLoad()
	tokens := []string{"tok-alice", "tok-bob", "tok-carol", "tok-dave", "tok-erin"}
	queries := []string{"", "filter_roles=run_monitor", "filter_roles=flow_viewer", "include_flow_description=true",
		"reverse_order=true", "filter_states=open,closed", "filter_roles=respondent", "filter_roles=viewer"}
	requests := 0
	asked := map[string]bool{}

	// Leaks are reported once per operation, persona and kind, with how often they happened.
	leaks := map[string]int{}
	var order []string
	leak := func(op openapi.Described, tok, path string, status int, what, body, marker string) {
		key := fmt.Sprintf("%s as %s answered %s", op.OperationID, tok, what)
		if leaks[key] == 0 {
			order = append(order, key)
			key0 := key
			defer func() {
				leaks[key0+": "+fmt.Sprintf("%s %s (%d) %s", op.Method, path, status, excerpt(body, marker))] = -1
			}()
		}
		leaks[key]++
	}
	check := func(t *testing.T, op openapi.Described, tok, path string, status int, body string) {
		t.Helper()
		requests++
		asked[op.OperationID] = true
		require.Less(t, status, 500, "%s %s as %s: %s", op.Method, path, tok, body)
		if strings.Contains(body, inputMarker) {
			leak(op, tok, path, status, "a private value", body, inputMarker)
		}
		if strings.Contains(body, literalMarker) && !(slices.Contains(definitionOps, op.OperationID) && slices.Contains(administrators, tok)) {
			leak(op, tok, path, status, "a private parameter", body, literalMarker)
		}
	}
	send := func(t *testing.T, op openapi.Described, tok, path, query, body string) {
		t.Helper()
		if query != "" {
			path += "?" + query
		}
		r := httptest.NewRequest(op.Method, path, strings.NewReader(body))
		switch op.OperationID {
		case "issueToken", "introspectToken":
			r.SetBasicAuth("0c11e570-0000-4000-8000-000000000401", "mock-client-secret")
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		default:
			r.Header.Set("Authorization", "Bearer "+tok)
			if body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		check(t, op, tok, path, w.Code, w.Body.String())
	}
	readAll := func(t *testing.T) {
		for _, run := range runs {
			for _, op := range spec.Operations() {
				if op.Method != http.MethodGet {
					continue
				}
				for _, tok := range tokens {
					for _, q := range queries {
						send(t, op, tok, fill(op.Path, run.ids), q, "")
					}
				}
			}
		}
		s.Settle()
	}
	write := func(t *testing.T, last bool) {
		for _, run := range runs {
			bodies := walkBodies(run.ids)
			for _, op := range spec.Operations() {
				if op.Method == http.MethodGet || slices.Contains(destructive, op.OperationID) != last {
					continue
				}
				body, ok := bodies[op.OperationID]
				if !ok && spec.Doc(op.Service).Paths.Find(op.Path).GetOperation(op.Method).RequestBody != nil {
					body = "{}"
				}
				// Those who may not act go first, so the owner's change comes last.
				for _, tok := range slices.Backward(tokens) {
					send(t, op, tok, fill(op.Path, run.ids), "", body)
				}
				s.Settle()
			}
			s.Clock().Advance(3 * time.Second)
			s.Settle()
		}
	}
	t.Run("read", readAll)
	t.Run("write", func(t *testing.T) { write(t, false) })
	t.Run("read after writes", readAll)
	t.Run("destroy", func(t *testing.T) { write(t, true) })
	t.Run("read after destruction", readAll)
	t.Logf("%d answers checked", requests)
	for _, op := range spec.Operations() {
		require.True(t, asked[op.OperationID], "the walk never asked %s", op.OperationID)
	}
	for _, key := range order {
		for full, n := range leaks {
			if n == -1 && strings.HasPrefix(full, key+": ") {
				t.Errorf("%s (%d times), first: %s", key, leaks[key], strings.TrimPrefix(full, key+": "))
			}
		}
	}

	t.Run("outgoing tokens", func(t *testing.T) {
		o.mu.Lock()
		defer o.mu.Unlock()
		require.NotEmpty(t, o.auth, "the walk's flows reached the outside service")
		for _, h := range o.auth {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			require.True(t, ok, "every call carries a token: %q", h)
			require.False(t, own[tok], "a persona's own token went out: %s", tok)
			minted, ok := s.Token(tok)
			require.True(t, ok && minted.Dependent, "the token %s was minted for the service", tok)
		}
	})
}

// excerpt shows the text around a marker.
func excerpt(body, marker string) string {
	i := strings.Index(body, marker)
	lo, hi := max(0, i-200), min(len(body), i+100)
	return "…" + body[lo:hi] + "…"
}
