package mockserver

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/stretchr/testify/require"
)

// The worlds of the fidelity test: for each SDK method, how to arrange the mock so that the
// recorded request can be asked of it (the flow, run, web input, policy... it refers to), and
// the request to send. The recorded ids are mapped to the mock's.

const (
	aliceID          = "0a11ce00-0000-4000-8000-000000000001"
	bobID            = "0b0b0000-0000-4000-8000-000000000002"
	guestCollection  = "c011ec70-0000-4000-8000-000000000301"
	standardSub      = "5b5c0000-0000-4000-8000-000000000201"
	highAssuranceSub = "5b5c0000-0000-4000-8000-000000000202"
	cliClientID      = "0c11e570-0000-4000-8000-000000000401"
	cliClientSecret  = "mock-client-secret"
	cliTemplateID    = "95fdeba8-fac2-42bd-a357-e068d82ff78e"
	helloWorldURL    = "https://actions.globus.org/hello_world"
	unknownID        = "00000000-dead-4bee-8000-000000000000"
	// haSubscribersGroup is a group of the default world alice administers.
	haSubscribersGroup = "6a0c0000-0000-4000-8000-000000000102"
)

// fidelityWorld is one arranged mock.
type fidelityWorld struct {
	t   *testing.T
	s   *Server
	ids map[string]string // recorded id → the mock's
}

// arrangement arranges the world for a fixture and returns the request to send; prev is the
// mock's answer to the previous fixture of the same series.
type arrangement func(w *fidelityWorld, f sdkFixture, prev any) fidelityRequest

// must asks the mock something it must grant.
func (w *fidelityWorld) must(method, path, token string, body any) map[string]any {
	w.t.Helper()
	status, doc := send(w.t, w.s, fidelityRequest{method: method, path: path, token: token, body: body})
	require.Less(w.t, status, 300, "%s %s: %v", method, path, doc)
	m, _ := doc.(map[string]any)
	return m
}

// path is the fixture's path with its recorded ids replaced by the mock's.
func (w *fidelityWorld) path(f sdkFixture) string {
	p := f.Path
	for recorded, mine := range w.ids {
		p = strings.ReplaceAll(p, recorded, mine)
	}
	return p
}

// as is the fixture's request with the recorded ids mapped, sent with a token.
func (w *fidelityWorld) as(f sdkFixture, token string, body any) fidelityRequest {
	return fidelityRequest{path: w.path(f), token: token, body: body}
}

// asTemplatedClient makes a client from the CLI's template for the recorded client id and asks
// as that client (a client reads and deletes only itself).
func (w *fidelityWorld) asTemplatedClient(f sdkFixture) fidelityRequest {
	made := w.must("POST", "/v2/api/clients", "", map[string]any{"client": map[string]any{"template_id": cliTemplateID, "name": "Recorded"}})
	cred := doc(made, "included", "client_credential")
	w.ids[fmt.Sprint(f.Metadata["client_id"])] = fmt.Sprint(cred["client"])
	return fidelityRequest{path: w.path(f), basic: [2]string{fmt.Sprint(cred["client"]), fmt.Sprint(cred["secret"])}}
}

// doc reads a copy of a map out of a recorded document (arrangements change what they read).
func doc(v any, path ...string) map[string]any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	m, _ := v.(map[string]any)
	if m == nil {
		return nil
	}
	raw, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// pick copies the named fields of a recorded document that it has.
func pick(from map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := from[k]; ok {
			out[k] = v
		}
	}
	return out
}

// flowFields are what a client sends to create a flow like a recorded one.
var flowFields = []string{"title", "subtitle", "description", "keywords", "definition", "input_schema",
	"flow_viewers", "flow_starters", "flow_administrators", "run_managers", "run_monitors"}

// recordedFlow creates a flow like a recorded flow document and maps its id.
func (w *fidelityWorld) recordedFlow(recorded map[string]any) map[string]any {
	w.t.Helper()
	flow := w.must("POST", "/flows", "tok-alice", pick(recorded, flowFields...))
	if id, ok := recorded["id"].(string); ok {
		w.ids[id] = flow["id"].(string)
	}
	return flow
}

// helloFlow is the recorded Hello World flow: one action whose result goes to $.HelloResult.
func helloFlow(title string) map[string]any {
	return map[string]any{"title": title, "definition": map[string]any{"StartAt": "RunHelloWorld", "States": map[string]any{
		"RunHelloWorld": map[string]any{"Type": "Action", "ActionUrl": helloWorldURL,
			"Parameters": map[string]any{"echo_string.$": "$.input.echo_string"}, "ResultPath": "$.HelloResult", "End": true}}}}
}

// waitFlow is a flow whose runs stay ACTIVE for a day.
func waitFlow(title string) map[string]any {
	return map[string]any{"title": title, "definition": map[string]any{"StartAt": "Hold", "States": map[string]any{
		"Hold": map[string]any{"Type": "Wait", "Seconds": 86400, "End": true}}}}
}

// helloInput is the input of the recorded Hello World runs.
var helloInput = map[string]any{"input": map[string]any{"echo_string": "foo", "sleep": 2}}

// runFields are what a client sends to start a run like a recorded one.
var runFields = []string{"label", "tags", "run_managers", "run_monitors"}

// recordedRun starts a run of flow like a recorded run document, with input, and maps its id.
func (w *fidelityWorld) recordedRun(flowID string, recorded map[string]any, input any) map[string]any {
	w.t.Helper()
	body := pick(recorded, runFields...)
	body["body"] = input
	run := w.must("POST", "/flows/"+flowID+"/run", "tok-alice", body)
	if id, ok := recorded["run_id"].(string); ok {
		w.ids[id] = run["run_id"].(string)
	}
	return run
}

// helloRun is a finished run of a Hello World flow like a recorded run.
func (w *fidelityWorld) helloRun(recorded map[string]any) map[string]any {
	w.t.Helper()
	flow := w.must("POST", "/flows", "tok-alice", helloFlow(fmt.Sprint(recorded["flow_title"])))
	w.ids[fmt.Sprint(recorded["flow_id"])] = flow["id"].(string)
	run := w.recordedRun(flow["id"].(string), recorded, helloInput)
	w.s.Settle()
	return run
}

// heldRun is an ACTIVE run (a day-long Wait) like a recorded run.
func (w *fidelityWorld) heldRun(recorded map[string]any) map[string]any {
	w.t.Helper()
	flow := w.must("POST", "/flows", "tok-alice", waitFlow(fmt.Sprint(recorded["flow_title"])))
	w.ids[fmt.Sprint(recorded["flow_id"])] = flow["id"].(string)
	input := doc(recorded, "details", "details")["input"]
	if input == nil {
		input = map[string]any{}
	}
	run := w.recordedRun(flow["id"].(string), recorded, input)
	w.s.Settle()
	return run
}

// recordedItems are the items a listing's world holds: the recorded page's, repeated to the
// total the series' metadata gives (its pages hold them all).
func recordedItems(f sdkFixture, key string) []map[string]any {
	items, _ := doc(f.JSON)[key].([]any)
	n := len(items)
	if total, ok := f.Metadata["total_items"].(float64); ok {
		n = int(total)
	}
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = doc(items[i%len(items)])
	}
	return out
}

// nextPage maps a recorded marker to the mock's marker of the previous page.
func nextPage(f sdkFixture, prev any) url.Values {
	if _, ok := f.Query["marker"]; !ok {
		return nil
	}
	return url.Values{"marker": {fmt.Sprint(doc(prev)["marker"])}}
}

// askFlow is a flow whose run asks a web input of the recorded shape and waits for the answer.
func askFlow(recorded map[string]any, respondents, viewers []string, extra map[string]any) map[string]any {
	ctx := doc(recorded, "context")
	context := map[string]any{"Title": ctx["title"], "PresentationStyle": ctx["presentation_style"]}
	if text, ok := ctx["text"]; ok {
		context["Text"] = text
	}
	if rows, ok := ctx["rows"].([]any); ok {
		var out []any
		for _, r := range rows {
			out = append(out, map[string]any{"Field": doc(r)["field"], "Value": doc(r)["value"]})
		}
		context["Rows"] = out
	}
	var options []any
	for _, o := range recorded["options"].([]any) {
		options = append(options, map[string]any{"Value": doc(o)["label"], "Label": doc(o)["label"], "Description": doc(o)["description"]})
	}
	flow := map[string]any{"title": doc(recorded, "flow")["title"], "definition": map[string]any{"StartAt": "Ask", "States": map[string]any{
		"Ask": map[string]any{"Type": "CreateWebInput", "Parameters": map[string]any{"InputType": "Selection", "Context": context,
			"Options": options, "RespondentUrns": respondents, "ViewerUrns": viewers}, "ResultPath": "$.question", "Next": "Wait"},
		"Wait": map[string]any{"Type": "AwaitWebInput", "Parameters": map[string]any{"web_input_id.$": "$.question.web_input_id"}, "End": true}}}}
	for k, v := range extra {
		flow[k] = v
	}
	return flow
}

// webInput runs an ask flow and returns the id of the web input its run waits on.
func (w *fidelityWorld) webInput(flow map[string]any, runLabel any) string {
	w.t.Helper()
	created := w.must("POST", "/flows", "tok-alice", flow)
	run := w.must("POST", "/flows/"+created["id"].(string)+"/run", "tok-alice", map[string]any{"body": map[string]any{}, "label": runLabel})
	w.s.Settle()
	got := w.must("GET", "/runs/"+run["run_id"].(string), "tok-alice", nil)
	id, ok := got["blocking_web_input_id"].(string)
	require.True(w.t, ok, "the run waits on a web input: %v", got)
	return id
}

// recordedWebInput is a web input like a recorded one, alice its respondent.
func (w *fidelityWorld) recordedWebInput(recorded map[string]any) string {
	id := w.webInput(askFlow(recorded, []string{"urn:globus:auth:identity:" + aliceID}, []string{}, nil), doc(recorded, "run")["label"])
	w.ids[fmt.Sprint(recorded["id"])] = id
	return id
}

// highAssuranceWebInput is a web input of a high-assurance flow whose respondent, bob, has a
// session too old for its policy; alice, its owner, has just authenticated.
func (w *fidelityWorld) highAssuranceWebInput(summary map[string]any) string {
	w.t.Helper()
	policy := w.must("POST", "/v2/api/policies", "tok-alice", map[string]any{"policy": map[string]any{
		"project_id": "d0c5e000-0000-4000-8000-000000000001", "display_name": "HA", "description": "ha",
		"high_assurance": true, "authentication_assurance_timeout": 3600}})
	_, err := w.s.Authenticate("tok-alice", aliceID, false)
	require.NoError(w.t, err)
	recorded := map[string]any{"context": map[string]any{"title": summary["title"], "presentation_style": "text", "text": "?"},
		"options": []any{map[string]any{"label": "Approve", "description": "Go"}}, "flow": summary["flow"]}
	id := w.webInput(askFlow(recorded, []string{"urn:globus:auth:identity:" + bobID}, []string{}, map[string]any{
		"subscription_id": highAssuranceSub, "authentication_policy_id": doc(policy, "policy")["id"]}), doc(summary, "run")["label"])
	w.ids[fmt.Sprint(summary["id"])] = id
	return id
}

// firstOption is the option_id of a web input's first option (read from the store: not every
// arranged caller may read the web input).
func (w *fidelityWorld) firstOption(id string) string {
	for _, in := range w.s.webinputs.Snapshot() {
		if in.ID == id {
			return in.Options[0].ID
		}
	}
	w.t.Fatalf("no web input %s", id)
	return ""
}

// tokenWithScopes is a token of alice's holding only the given scopes.
func (w *fidelityWorld) tokenWithScopes(scopes ...string) string {
	w.t.Helper()
	tok, err := w.s.IssueToken(auth.Token{IdentityID: aliceID, Scopes: scopes})
	require.NoError(w.t, err)
	return tok.Token
}

// recordedAPI registers an API like a recorded registered API document and maps its id.
func (w *fidelityWorld) recordedAPI(recorded map[string]any) map[string]any {
	w.t.Helper()
	body := pick(recorded, "name", "description", "target")
	if roles := doc(recorded, "roles"); roles != nil {
		body["roles"] = map[string]any{"administrators": roles["administrators"], "viewers": roles["viewers"]}
	}
	body["subscription_id"] = standardSub
	api := w.must("POST", "/registered_apis", "tok-alice", body)
	w.ids[fmt.Sprint(recorded["id"])] = api["id"].(string)
	return api
}

// policyBody is a policy like a recorded one (a create request's policy when the SDK records it).
func policyBody(f sdkFixture) map[string]any {
	p := doc(f.Body, "policy")
	if p == nil {
		p = doc(f.JSON, "policy")
	}
	body := pick(p, "display_name", "description", "high_assurance", "authentication_assurance_timeout", "required_mfa",
		"domain_constraints_include", "domain_constraints_exclude")
	body["project_id"] = "d0c5e000-0000-4000-8000-000000000001"
	if body["display_name"] == nil {
		body["display_name"] = "Policy"
	}
	if body["description"] == nil {
		body["description"] = "A policy"
	}
	return map[string]any{"policy": body}
}

func (w *fidelityWorld) recordedPolicy(recorded map[string]any) string {
	w.t.Helper()
	created := w.must("POST", "/v2/api/policies", "tok-alice", policyBody(sdkFixture{JSON: map[string]any{"policy": recorded}}))
	id := fmt.Sprint(doc(created, "policy")["id"])
	w.ids[fmt.Sprint(recorded["id"])] = id
	return id
}

// projectBody is a project like the recorded one administered in the mock by alice, or by a
// group of alice's where the recorded project is administered by a group.
func projectBody(recorded map[string]any) map[string]any {
	body := pick(recorded, "display_name", "contact_email")
	if recorded["admin_group_ids"] != nil {
		body["admin_group_ids"] = []string{haSubscribersGroup}
	} else {
		body["admin_ids"] = []string{aliceID}
	}
	return map[string]any{"project": body}
}

func (w *fidelityWorld) recordedProject(recorded map[string]any) map[string]any {
	w.t.Helper()
	created := w.must("POST", "/v2/api/projects", "tok-alice", projectBody(recorded))
	w.ids[fmt.Sprint(recorded["id"])] = fmt.Sprint(doc(created, "project")["id"])
	return created
}

// asksAbout is the arrangement of a request about one recorded document: make it, then ask.
func asksAbout(create func(*fidelityWorld, map[string]any) map[string]any) arrangement {
	return func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		create(w, doc(f.JSON))
		return w.as(f, "tok-alice", nil)
	}
}

// lists is the arrangement of a listing: the recorded items under key are made before the
// first page is asked; later pages follow the mock's markers.
func lists(key string, create func(*fidelityWorld, map[string]any)) arrangement {
	return func(w *fidelityWorld, f sdkFixture, prev any) fidelityRequest {
		if f.Index == 0 {
			for _, recorded := range recordedItems(f, key) {
				create(w, recorded)
			}
		}
		return fidelityRequest{path: f.Path, token: "tok-alice", query: nextPage(f, prev)}
	}
}

var tokenGrants = map[string]string{
	"oauth2_exchange_code_for_tokens": "the authorization_code grant (a code is the mock's own, from a login; the fixture's is not)",
}

// projectClients is why the mock cannot be asked to make a project's or a child client.
const projectClients = "clients of a project: the mock makes clients from a native client's template only, as the CLI registers itself"

var arrangements = map[string]arrangement{
	"create_flow": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		body := pick(doc(f.Metadata, "params"), flowFields...)
		if f.Case == "bad_admin_principal_error" {
			body["flow_administrators"] = []any{"ae341a98-d274-11e5-b888-dbae3a8ba545", "4fab4345-6d20-43a0-9a25-16b2e3bbe765"}
		}
		return w.as(f, "tok-alice", body)
	},
	"get_flow":           asksAbout((*fidelityWorld).recordedFlow),
	"delete_flow":        asksAbout((*fidelityWorld).recordedFlow),
	"get_registered_api": asksAbout((*fidelityWorld).recordedAPI),
	"update_flow": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.recordedFlow(doc(f.JSON))
		body := doc(f.Metadata, "params")
		body["subscription_id"] = standardSub
		return w.as(f, "tok-alice", body)
	},
	"list_flows": lists("flows", func(w *fidelityWorld, recorded map[string]any) { w.recordedFlow(recorded) }),
	"validate_flow": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return w.as(f, "tok-alice", f.Body)
	},
	"run_flow": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		flow := w.must("POST", "/flows", "tok-alice", waitFlow("Multi Step Transfer"))
		w.ids[fmt.Sprint(f.Metadata["flow_id"])] = flow["id"].(string)
		token := "tok-alice"
		if f.Case == "missing_scope_error" {
			token = w.tokenWithScopes(auth.FlowsScope("all"))
		}
		return w.as(f, token, doc(f.Metadata, "request_params"))
	},
	"validate_run": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		flow := waitFlow("Validated")
		flow["input_schema"] = map[string]any{"type": "object", "properties": map[string]any{"bool": map[string]any{"type": "boolean"}}}
		flow["flow_viewers"] = []any{"urn:globus:auth:identity:" + bobID}
		created := w.must("POST", "/flows", "tok-alice", flow)
		w.ids[fmt.Sprint(f.Metadata["flow_id"])] = created["id"].(string)
		req := w.as(f, "tok-alice", map[string]any{"body": f.Metadata["request_body"]})
		switch f.Case {
		case "invalid_input_payload":
			req.body = map[string]any{"body": map[string]any{"bool": "not-a-boolean"}}
		case "invalid_token":
			req.token = "tok-expired-or-invalid"
		case "not_a_flow_starter":
			req.token = "tok-bob"
		}
		return req
	},
	"get_run": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.helloRun(doc(f.JSON))
		req := w.as(f, "tok-alice", nil)
		if len(f.Query) > 0 {
			req.query = url.Values{}
			for k, v := range f.Query {
				req.query.Set(k, v)
			}
		}
		return req
	},
	"get_run_definition": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		flow := w.must("POST", "/flows", "tok-alice", map[string]any{"title": "No-op", "definition": doc(f.JSON, "definition")})
		run := w.must("POST", "/flows/"+flow["id"].(string)+"/run", "tok-alice", map[string]any{"body": map[string]any{}})
		w.ids[fmt.Sprint(f.Metadata["run_id"])] = run["run_id"].(string)
		return w.as(f, "tok-alice", nil)
	},
	"get_run_logs": func(w *fidelityWorld, f sdkFixture, prev any) fidelityRequest {
		if f.Index == 0 {
			// The recorded flow: Pass states (as many as the recorded entries show), then a Hello
			// World action whose result replaces the state.
			states := map[string]any{"SyncHelloWorld": map[string]any{"Type": "Action", "ActionUrl": helloWorldURL,
				"Parameters": map[string]any{"echo_string": "sync!"}, "End": true}}
			start := "SyncHelloWorld"
			if f.Case == "paginated" {
				names := []string{"PassState", "PassState2", "PassState3", "PassState4", "SyncHelloWorld"}
				for i := range 4 {
					states[names[i]] = map[string]any{"Type": "Pass", "Next": names[i+1]}
				}
				start = names[0]
			}
			flow := w.must("POST", "/flows", "tok-alice", map[string]any{"title": "Logs", "definition": map[string]any{"StartAt": start, "States": states}})
			run := w.must("POST", "/flows/"+flow["id"].(string)+"/run", "tok-alice", map[string]any{"body": map[string]any{}})
			w.ids[fmt.Sprint(f.Metadata["run_id"])] = run["run_id"].(string)
			w.s.Settle()
		}
		req := w.as(f, "tok-alice", nil)
		req.query = nextPage(f, prev)
		return req
	},
	"list_runs": func(w *fidelityWorld, f sdkFixture, prev any) fidelityRequest {
		if f.Index == 0 {
			switch f.Case {
			case "filter_flow_id":
				for flowID, spec := range doc(f.Metadata, "by_flow_id") {
					flow := w.must("POST", "/flows", "tok-alice", helloFlow("My Cool Flow"))
					w.ids[flowID] = flow["id"].(string)
					for range int(doc(spec)["num"].(float64)) {
						w.recordedRun(flow["id"].(string), recordedItems(f, "runs")[0], helloInput)
					}
				}
				w.s.Settle()
			default:
				items := recordedItems(f, "runs")
				first := w.helloRun(items[0])
				for _, recorded := range items[1:] {
					w.recordedRun(first["flow_id"].(string), recorded, helloInput)
				}
				w.s.Settle()
			}
		}
		req := fidelityRequest{path: f.Path, token: "tok-alice", query: nextPage(f, prev)}
		if ids, ok := f.Query["filter_flow_id"]; ok {
			mapped := []string{}
			for _, id := range strings.Split(ids, ",") {
				mapped = append(mapped, w.ids[id])
			}
			req.query = url.Values{"filter_flow_id": {strings.Join(mapped, ",")}}
		}
		return req
	},
	"update_run": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		recorded := doc(f.JSON)
		w.heldRun(recorded)
		return w.as(f, "tok-alice", pick(recorded, "label", "tags", "run_managers", "run_monitors"))
	},
	"cancel_run": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.heldRun(doc(f.JSON))
		return w.as(f, "tok-alice", nil)
	},
	"resume_run": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.heldRun(doc(f.JSON))
		return w.as(f, "tok-alice", nil)
	},
	"delete_run": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		if f.Case == "conflict" {
			w.heldRun(map[string]any{"run_id": f.Metadata["run_id"], "flow_title": "Held"})
		} else {
			w.helloRun(doc(f.JSON))
		}
		return w.as(f, "tok-alice", nil)
	},
	"get_web_input": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		switch f.Case {
		case "not_found":
			w.ids[fmt.Sprint(f.Metadata["web_input_id"])] = unknownID
		case "auth_policy_required":
			w.highAssuranceWebInput(doc(f.JSON, "web_input_summary"))
			return w.as(f, "tok-bob", nil)
		default:
			id := w.recordedWebInput(doc(f.JSON))
			if f.Case == "closed" {
				w.must("POST", "/web_inputs/"+id+"/respond", "tok-alice", map[string]any{"response": map[string]any{"value": w.firstOption(id)}})
			}
		}
		return w.as(f, "tok-alice", nil)
	},
	"list_web_inputs": lists("web_input_summaries", func(w *fidelityWorld, s map[string]any) {
		w.recordedWebInput(map[string]any{"id": s["id"], "context": map[string]any{"title": s["title"], "presentation_style": "text", "text": "?"},
			"options": []any{map[string]any{"label": "Approve", "description": "Go"}}, "flow": s["flow"], "run": s["run"]})
	}),
	"respond_to_web_input": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		recorded := map[string]any{"context": map[string]any{"title": "Approve deployment to production?", "presentation_style": "text", "text": "?"},
			"options": []any{map[string]any{"label": "Approve", "description": "Go"}}, "flow": map[string]any{"title": "Multi Step Transfer"},
			"run": map[string]any{"label": "Transfer all of these files!"}, "id": f.Metadata["web_input_id"]}
		token := "tok-alice"
		var id string
		switch f.Case {
		case "not_found":
			w.ids[fmt.Sprint(f.Metadata["web_input_id"])] = unknownID
			return w.as(f, token, map[string]any{"response": map[string]any{"value": f.Metadata["option_id"]}})
		case "auth_policy_required":
			id = w.highAssuranceWebInput(doc(f.JSON, "web_input_summary"))
			token = "tok-bob"
		case "forbidden":
			id = w.webInput(askFlow(recorded, []string{"urn:globus:auth:identity:" + aliceID}, []string{"urn:globus:auth:identity:" + bobID}, nil), "viewed")
			w.ids[fmt.Sprint(f.Metadata["web_input_id"])] = id
			token = "tok-bob"
		default:
			id = w.recordedWebInput(recorded)
		}
		value := w.firstOption(id)
		switch f.Case {
		case "closed":
			w.must("POST", "/web_inputs/"+id+"/respond", "tok-alice", map[string]any{"response": map[string]any{"value": value}})
		case "invalid_option":
			value = "not-a-real-option"
		}
		return w.as(f, token, map[string]any{"response": map[string]any{"value": value}})
	},
	"list_registered_apis": func(w *fidelityWorld, f sdkFixture, prev any) fidelityRequest {
		req := lists("registered_apis", func(w *fidelityWorld, recorded map[string]any) {
			recorded["target"] = map[string]any{"type": "openapi", "openapi_version": "3.1",
				"destination": map[string]any{"method": "get", "url": "https://api.example.org/x"}, "specification": map[string]any{}}
			w.recordedAPI(recorded)
		})(w, f, prev)
		if f.Case == "paginated" { // the recorded pages hold ten
			if req.query == nil {
				req.query = url.Values{}
			}
			req.query.Set("per_page", "10")
		}
		return req
	},
	"get_endpoint": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.ids[fmt.Sprint(f.Metadata["endpoint_id"])] = guestCollection
		return w.as(f, "tok-alice", nil)
	},
	"create_policy": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return w.as(f, "tok-alice", policyBody(f))
	},
	"get_policy": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.recordedPolicy(doc(f.JSON, "policy"))
		return w.as(f, "tok-alice", nil)
	},
	"update_policy": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.ids[fmt.Sprint(doc(f.Metadata, "args")["policy_id"])] = w.recordedPolicy(doc(f.JSON, "policy"))
		body := doc(f.Body, "policy")
		delete(body, "project_id") // the recorded project is not one of the mock's
		return w.as(f, "tok-alice", map[string]any{"policy": body})
	},
	"delete_policy": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.recordedPolicy(doc(f.JSON, "policy"))
		return w.as(f, "tok-alice", nil)
	},
	"get_policies": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		for _, p := range doc(f.JSON)["policies"].([]any) {
			w.recordedPolicy(doc(p))
		}
		return w.as(f, "tok-alice", nil)
	},
	"create_project": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return w.as(f, "tok-alice", projectBody(doc(f.JSON, "project")))
	},
	"get_project":    asksAbout(func(w *fidelityWorld, d map[string]any) map[string]any { return w.recordedProject(doc(d, "project")) }),
	"delete_project": asksAbout(func(w *fidelityWorld, d map[string]any) map[string]any { return w.recordedProject(doc(d, "project")) }),
	"update_project": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		w.recordedProject(doc(f.JSON, "project"))
		return w.as(f, "tok-alice", projectBody(doc(f.JSON, "project")))
	},
	"get_projects": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		for _, p := range doc(f.JSON)["projects"].([]any) {
			w.recordedProject(doc(p))
		}
		return w.as(f, "tok-alice", nil)
	},
	"create_native_app_instance": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		name := fmt.Sprint(doc(f.Metadata, "args")["name"])
		return fidelityRequest{path: f.Path, body: map[string]any{"client": map[string]any{"template_id": cliTemplateID, "name": name}}}
	},
	"create_client": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return fidelityRequest{unsupported: projectClients}
	},
	"create_child_client": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return fidelityRequest{unsupported: projectClients}
	},
	"get_client": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return w.asTemplatedClient(f)
	},
	"delete_client": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return w.asTemplatedClient(f)
	},
	"get_consents": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		// The recorded forest: a Transfer consent with a collection's data_access under it.
		w.must("POST", "/_mock/consents", "", map[string]any{"identity_id": aliceID, "client_id": cliClientID,
			"scope": "urn:globus:auth:scope:transfer.api.globus.org:all[https://auth.globus.org/scopes/" + guestCollection + "/data_access]"})
		return fidelityRequest{path: "/v2/api/identities/" + aliceID + "/consents", token: "tok-alice"}
	},
	"get_identities": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		req := fidelityRequest{path: f.Path, token: "tok-alice", query: url.Values{"ids": {aliceID}}}
		switch f.Case {
		case "empty":
			req.query = url.Values{"ids": {unknownID}}
		case "multiple":
			req.query = url.Values{"ids": {aliceID + "," + bobID}}
		case "unauthorized":
			req.token = ""
		}
		return req
	},
	"get_my_groups": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return fidelityRequest{path: f.Path, token: "tok-carol"}
	},
	"oauth2_client_credentials_tokens": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		scope := fmt.Sprint(doc(f.JSON)["scope"])
		return fidelityRequest{path: f.Path, basic: [2]string{cliClientID, cliClientSecret},
			form: url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}}
	},
	"oauth2_exchange_code_for_tokens": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return fidelityRequest{unsupported: tokenGrants[f.Module]}
	},
	"oauth2_get_dependent_tokens": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		// A provider whose dependent scope is the recorded token's trades the token Flows minted
		// for it on alice's behalf.
		p, err := w.s.dir.AddProvider(auth.Provider{URL: "https://provider.example.org/" + f.Case,
			DependentScopes: []string{fmt.Sprint(doc(f.JSON.([]any)[0])["scope"])}})
		require.NoError(w.t, err)
		minted, err := w.s.dir.DependentToken("tok-alice", aliceID, p.Scope)
		require.NoError(w.t, err)
		form := url.Values{"grant_type": {auth.DependentGrant}, "token": {minted.Token}}
		if f.Case == "groups_with_refresh_token" {
			form.Set("access_type", "offline")
		}
		return fidelityRequest{path: f.Path, basic: [2]string{p.ClientID, p.Secret}, form: form}
	},
	"oauth2_revoke_token": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return fidelityRequest{path: f.Path, basic: [2]string{cliClientID, cliClientSecret},
			form: url.Values{"token": {"mock-never-issued"}}}
	},
	"userinfo": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		req := fidelityRequest{path: f.Path, token: "tok-alice"}
		switch f.Case {
		case "unauthorized":
			req.token = "not-a-token"
		case "forbidden":
			req.token = w.tokenWithScopes("urn:globus:auth:scope:transfer.api.globus.org:all")
		}
		return req
	},
	"oauth2_token_introspect": func(w *fidelityWorld, f sdkFixture, _ any) fidelityRequest {
		return fidelityRequest{path: f.Path, basic: [2]string{cliClientID, cliClientSecret},
			form: url.Values{"token": {"tok-alice"}}}
	},
}
