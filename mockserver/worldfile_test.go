package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/globus-conformance/kit/fixtures"
	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/registered"
	"github.com/globus-conformance/kit/mockserver/runs"
	"github.com/globus-conformance/kit/mockserver/transfer"
	"github.com/globus-conformance/kit/mockserver/webinputs"
	"github.com/globus-conformance/kit/mockserver/world"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// handWritten is a world as a person writes it: each object with what has no default, and the
// clock frozen so that the defaults it gives are known.
const handWritten = `{
  "clock": {"frozen": true, "now": "2027-03-01T12:00:00Z"},
  "identities": [
    {"id": "0a11ce00-0000-4000-8000-000000000001", "username": "alice@example.org"},
    {"id": "0b0b0000-0000-4000-8000-000000000002", "username": "bob@example.org"}
  ],
  "groups": [{"id": "6a0c0000-0000-4000-8000-000000000101", "name": "Lab", "members": [{"identity_id": "0b0b0000-0000-4000-8000-000000000002"}]}],
  "subscriptions": [{"id": "5b5c0000-0000-4000-8000-000000000201", "group_id": "6a0c0000-0000-4000-8000-000000000101"}],
  "clients": [{"id": "0c11e570-0000-4000-8000-000000000401", "secret": "s3cret"}],
  "tokens": [
    {"token": "tok-a", "identity_id": "0a11ce00-0000-4000-8000-000000000001", "all_scopes": true, "expires_at": "2100-01-01T00:00:00Z"},
    {"token": "tok-b", "identity_id": "0b0b0000-0000-4000-8000-000000000002", "all_scopes": true}
  ],
  "policies": [{"id": "9e1c0000-0000-4000-8000-000000000001", "project_id": "d0c5e000-0000-4000-8000-000000000001", "display_name": "P",
    "project_admins": ["0a11ce00-0000-4000-8000-000000000001"]},
    {"id": "9e1c0000-0000-4000-8000-000000000002", "project_id": "d0c5e000-0000-4000-8000-000000000002", "display_name": "Lab login"}],
  "projects": [{"id": "d0c5e000-0000-4000-8000-000000000002", "display_name": "Lab portal", "admin_group_ids": ["6a0c0000-0000-4000-8000-000000000101"]}],
  "consents": [
    {"id": 7, "client": "0c11e570-0000-4000-8000-000000000401", "scope_name": "urn:globus:auth:scope:transfer.api.globus.org:all",
     "effective_identity": "0a11ce00-0000-4000-8000-000000000001"},
    {"id": 8, "client": "7e4e0000-0000-4000-8000-000000000001", "scope_name": "https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access",
     "effective_identity": "0a11ce00-0000-4000-8000-000000000001", "dependency_path": [7, 8]}
  ],
  "collections": [
    {"id": "c011ec70-0000-4000-8000-000000000302", "entity_type": "GCSv5_mapped_collection", "owner_id": "0a11ce00-0000-4000-8000-000000000001"},
    {"id": "c011ec70-0000-4000-8000-000000000301", "owner_id": "0a11ce00-0000-4000-8000-000000000001", "host_endpoint_id": "c011ec70-0000-4000-8000-000000000302",
     "roles": [{"principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "role": "activity_monitor"}],
     "access_rules": [{"principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/shared/", "permissions": "r"}],
     "files": [{"path": "/shared/a.dat", "size": 3}]}
  ],
  "flows": [{"id": "f1000000-0000-4000-8000-000000000001", "title": "Hand-written", "flow_owner": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001",
    "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}],
  "runs": [{"run_id": "a1000000-0000-4000-8000-000000000001", "flow_id": "f1000000-0000-4000-8000-000000000001", "status": "SUCCEEDED",
    "run_owner": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001", "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}],
  "registered_apis": [{"id": "7e9a0000-0000-4000-8000-000000000001", "name": "R", "subscription_id": "5b5c0000-0000-4000-8000-000000000201",
    "roles": {"owners": ["urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"]},
    "target": {"type": "openapi", "destination": {"method": "get", "url": "https://api.example.org/x"}, "specification": {}}}],
  "web_inputs": [{"id": "3eb10000-0000-4000-8000-000000000001", "flow_id": "f1000000-0000-4000-8000-000000000001", "run_id": "a1000000-0000-4000-8000-000000000001",
    "creator_urn": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001", "respondent_urns": ["urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"],
    "context": {"title": "Q"}, "options": [{"option_id": "0e710000-0000-4000-8000-000000000001", "label": "One", "value": 1}]}]
}`

// The hand-written world's ids.
const (
	hwFlow  = "f1000000-0000-4000-8000-000000000001"
	hwRun   = "a1000000-0000-4000-8000-000000000001"
	hwGuest = "c011ec70-0000-4000-8000-000000000301"
)

// loadWays are the two ways a world document becomes a mock's state: as its seed (--fixtures,
// Options.World) and through PUT /_mock/state.
var loadWays = []struct {
	name string
	load func(t *testing.T, doc string) (*Server, error)
}{
	{"seed", func(t *testing.T, doc string) (*Server, error) {
		w, err := world.Parse([]byte(doc))
		require.NoError(t, err)
		return New(Options{World: &w, ValidateResponses: true})
	}},
	{"PUT /_mock/state", func(t *testing.T, doc string) (*Server, error) {
		s := newTestServer(t)
		if code, body := do(t, s, "PUT", "/_mock/state", "", doc); code != http.StatusOK {
			b, _ := json.Marshal(body)
			return s, &loadError{code: code, body: string(b)}
		}
		return s, nil
	}},
}

type loadError struct {
	code int
	body string
}

func (e *loadError) Error() string { return e.body }

// A hand-written world that leaves out what has a default loads, and then every document made
// from it answers within the contract (the server validates its responses), with the defaults
// the operations that create each object would give: empty lists, the world clock's reading.
func TestAHandWrittenWorldAnswersWithinTheContract(t *testing.T) {
	const at = "2027-03-01T12:00:00.000000+00:00" // the world's frozen clock, as Flows writes it
	for _, way := range loadWays {
		t.Run(way.name, func(t *testing.T) {
			s, err := way.load(t, handWritten)
			require.NoError(t, err)
			for _, path := range []string{"/flows", "/flows/" + hwFlow, "/runs", "/runs/" + hwRun, "/flows/" + hwFlow + "/runs",
				"/runs/" + hwRun + "/log", "/registered_apis", "/registered_apis/7e9a0000-0000-4000-8000-000000000001", "/web_inputs",
				"/web_inputs/3eb10000-0000-4000-8000-000000000001", "/v0.10/endpoint/" + hwGuest, "/v0.10/endpoint/" + hwGuest + "/access_list",
				"/v0.10/endpoint/" + hwGuest + "/role_list", "/v2/api/identities?ids=0b0b0000-0000-4000-8000-000000000002",
				"/v2/api/policies/9e1c0000-0000-4000-8000-000000000001", "/v2/groups/my_groups"} {
				code, doc := do(t, s, "GET", path, "tok-a", "")
				require.Equal(t, http.StatusOK, code, "GET %s: %v", path, doc)
			}
			code, doc := do(t, s, "GET", "/v2/groups/my_groups", "tok-b", "")
			require.Equal(t, http.StatusOK, code, "a token without expires_at lives 48 hours: %v", doc)
			for _, path := range []string{"/v2/api/projects/d0c5e000-0000-4000-8000-000000000002", "/v2/api/policies/9e1c0000-0000-4000-8000-000000000002"} {
				code, doc := do(t, s, "GET", path, "tok-b", "")
				require.Equal(t, http.StatusOK, code, "a member of the project's administrator group reads %s: %v", path, doc)
				code, _ = do(t, s, "GET", path, "tok-a", "")
				require.Equal(t, http.StatusNotFound, code, "the project's policies are hidden from others: %s", path)
			}

			_, flow := do(t, s, "GET", "/flows/"+hwFlow, "tok-a", "")
			got := map[string]any{}
			for _, k := range []string{"keywords", "flow_viewers", "flow_starters", "flow_administrators", "run_managers", "run_monitors",
				"input_schema", "created_at", "updated_at", "created_by", "subtitle"} {
				got[k] = flow[k]
			}
			want := map[string]any{"keywords": []any{}, "flow_viewers": []any{}, "flow_starters": []any{}, "flow_administrators": []any{},
				"run_managers": []any{}, "run_monitors": []any{}, "input_schema": map[string]any{}, "created_at": at, "updated_at": at,
				"created_by": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001", "subtitle": ""}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the flow's defaults (-want +got):\n%s", diff)
			}
			_, run := do(t, s, "GET", "/runs/"+hwRun, "tok-a", "")
			require.Equal(t, []any{}, run["tags"])
			require.Equal(t, at, run["start_time"])
			require.Equal(t, "Hand-written", run["flow_title"], "a run's flow_title defaults to its flow's")
			_, rules := do(t, s, "GET", "/v0.10/endpoint/"+hwGuest+"/access_list", "tok-a", "")
			rule := rules["DATA"].([]any)[len(rules["DATA"].([]any))-1].(map[string]any)
			require.Equal(t, "2027-03-01T12:00:00+00:00", rule["create_time"])
			require.NotEmpty(t, rule["id"], "a rule without an id gets one")

			code, started := do(t, s, "POST", "/flows/"+hwFlow+"/run", "tok-a", `{"body": {}}`)
			require.Equal(t, http.StatusCreated, code, started)
			s.Settle()
			_, started = do(t, s, "GET", "/runs/"+started["run_id"].(string), "tok-a", "")
			require.Equal(t, "SUCCEEDED", started["status"])
		})
	}
}

// A reset gives the seed's prepared world byte for byte: what was filled in is filled in once.
func TestResetGivesTheSameHandWrittenWorld(t *testing.T) {
	w, err := world.Parse([]byte(handWritten))
	require.NoError(t, err)
	s, err := New(Options{World: &w})
	require.NoError(t, err)
	first := dumpBytes(t, s)
	do(t, s, "POST", "/flows", "tok-a", simpleFlow)
	require.NoError(t, s.Reset())
	if diff := cmp.Diff(first, dumpBytes(t, s)); diff != "" {
		t.Fatalf("the world after a reset (-first +after):\n%s", diff)
	}
}

func dumpBytes(t *testing.T, s *Server) string {
	t.Helper()
	b, err := world.Encode(s.Dump())
	require.NoError(t, err)
	return string(b)
}

// A world that would make the mock answer outside its contract, or hold what its operations
// refuse, is refused when it is loaded, naming the field once (no prefix repeated), and changes
// nothing. The published schema refuses it too where a schema can say so.
func TestAWorldThatBreaksTheContractIsRefusedNamingTheField(t *testing.T) {
	type edit func(w map[string]any)
	at := func(path ...any) func(w map[string]any) (parent any, key any) {
		return func(w map[string]any) (any, any) {
			var cur any = w
			for _, p := range path[:len(path)-1] {
				switch k := p.(type) {
				case int:
					cur = cur.([]any)[k]
				case string:
					cur = cur.(map[string]any)[k]
				}
			}
			return cur, path[len(path)-1]
		}
	}
	set := func(v any, path ...any) edit {
		return func(w map[string]any) {
			parent, key := at(path...)(w)
			switch k := key.(type) {
			case int:
				parent.([]any)[k] = v
			case string:
				parent.(map[string]any)[k] = v
			}
		}
	}
	del := func(path ...any) edit {
		return func(w map[string]any) {
			parent, key := at(path...)(w)
			delete(parent.(map[string]any), key.(string))
		}
	}
	cases := []struct {
		name   string
		edit   edit
		want   string // the whole message: path: problem
		schema bool   // the schema can say it too
	}{
		{"a flow without a title", del("flows", 0, "title"), "flows[0].title: required", true},
		{"a flow without a definition", del("flows", 0, "definition"), "flows[0].definition: required", true},
		{"a flow owned by a name", set("alice", "flows", 0, "flow_owner"), "flows[0].flow_owner: must be an identity URN (urn:globus:auth:identity:<id>)", true},
		{"a flow owned by nobody of the world", set("urn:globus:auth:identity:0ddd0000-0000-4000-8000-000000000009", "flows", 0, "flow_owner"),
			"flows[0].flow_owner: is not an identity of the world", false},
		{"a flow viewer that is not a principal", set([]any{"bob"}, "flows", 0, "flow_viewers"),
			`flows[0].flow_viewers[0]: Unrecognized principal string: "bob". Allowed principal types in role "FlowViewer": [<AuthGroupUrn>, <AuthIdentityUrn>, "public"]`, true},
		{"a definition starting nowhere", set(map[string]any{"StartAt": "B", "States": map[string]any{"A": map[string]any{"Type": "Pass", "End": true}}}, "flows", 0, "definition"),
			`flows[0].definition.StartAt: StartAt names no state: "B"`, false},
		{"a flow of an unknown subscription", set("5b5c0000-0000-4000-8000-000000000999", "flows", 0, "subscription_id"),
			"flows[0].subscription_id: is not a subscription of the world", false},
		{"an identity without a username", del("identities", 1, "username"), "identities[1].username: required", true},
		{"an identity id that is not a UUID", set("bob", "identities", 1, "id"),
			"identities[1].id: must be a UUID; groups[0].members[0].identity_id: is not an identity of the world; " +
				"tokens[1].identity_id: is not an identity of the world; collections[1].roles[0].principal: Unknown identity '0b0b0000-0000-4000-8000-000000000002': principal must be a Globus Auth identity id; " +
				"collections[1].access_rules[0].principal: Unknown identity '0b0b0000-0000-4000-8000-000000000002': principal must be a Globus Auth identity id", true},
		{"a token of an unknown identity", set("0ddd0000-0000-4000-8000-000000000009", "tokens", 0, "identity_id"), "tokens[0].identity_id: is not an identity of the world", false},
		{"a member's role", set("boss", "groups", 0, "members", 0, "role"), "groups[0].members[0].role: must be one of member, manager, admin", true},
		{"a rule's permissions", set("x", "collections", 1, "access_rules", 0, "permissions"),
			"collections[1].access_rules[0].permissions: Invalid permissions 'x': expected 'r' or 'rw'", true},
		{"a rule's path", set("/shared", "collections", 1, "access_rules", 0, "path"),
			"collections[1].access_rules[0].path: Invalid path '/shared': the path must end with '/' (a rule applies to a directory)", true},
		{"a rule on a mapped collection", set([]any{map[string]any{"principal_type": "anonymous", "path": "/", "permissions": "r"}}, "collections", 0, "access_rules"),
			"collections[0].access_rules: only guest collections take ACL rules", false},
		{"a collection role", set("owner", "collections", 1, "roles", 0, "role"),
			"collections[1].roles[0].role: must be one of administrator, access_manager, activity_manager, activity_monitor", true},
		{"an unknown host", set("c011ec70-0000-4000-8000-000000000999", "collections", 1, "host_endpoint_id"),
			"collections[1].host_endpoint_id: is not another collection of the world", false},
		{"a relative file path", set("shared/a.dat", "collections", 1, "files", 0, "path"),
			"collections[1].files[0].path: must be an absolute path in its shortest form, not /", true},
		{"a run's status", set("DONE", "runs", 0, "status"), "runs[0].status: must be one of ACTIVE, INACTIVE, SUCCEEDED, FAILED, ENDED", true},
		{"a run without an owner", del("runs", 0, "run_owner"), "runs[0].run_owner: must be an identity URN", true},
		{"an active run with nowhere to go on", set("ACTIVE", "runs", 0, "status"),
			"runs[0].current: must name a state of the definition to go on from, while the run is ACTIVE", false},
		{"a registered API without owners", set(map[string]any{"owners": []any{}}, "registered_apis", 0, "roles"), "registered_apis[0].roles.owners: required", true},
		{"a registered API's method", set("head", "registered_apis", 0, "target", "destination", "method"),
			"registered_apis[0].target: target.destination.method must be one of get, post, put, patch, delete", true},
		{"a closed web input with no closing time", set("closed", "web_inputs", 0, "status"), "web_inputs[0].closed_timestamp: required", false},
		{"a clock before 1970", set(map[string]any{"frozen": true, "now": "1969-12-31T00:00:00Z"}, "clock"),
			"clock.now: the clock would show a time outside 1970-01-01T00:00:00Z .. 9000-01-01T00:00:00Z", false},
		{"a client from a template that is not native", set("0c11e570-0000-4000-8000-000000000401", "clients", 0, "template_id"),
			"clients[0].template_id: is not a native client of the world", false},
		{"a consent under another's", set([]any{7.0, 9.0}, "consents", 1, "dependency_path"),
			"consents[1].dependency_path: must end with the consent's id", false},
		{"a consent of nobody", set("0e210000-0000-4000-8000-000000000099", "consents", 0, "effective_identity"),
			"consents[0].effective_identity: is not an identity of the world; consents[1].dependency_path: must go through the consents above this one", false},
		{"a consent under a missing one", set([]any{6.0, 8.0}, "consents", 1, "dependency_path"),
			"consents[1].dependency_path: must go through the consents above this one", false},
		{"MFA on a standard policy", set(true, "policies", 0, "required_mfa"), "policies[0].required_mfa: is only for high-assurance policies", false},
		{"a project of an unknown group", set([]any{"6a0c0000-0000-4000-8000-000000000999"}, "projects", 0, "admin_group_ids"),
			"projects[0].admin_group_ids[0]: is not a group of the world", false},
		{"a project of an unknown administrator", set([]any{"0ddd0000-0000-4000-8000-000000000009"}, "projects", 0, "admin_ids"),
			"projects[0].admin_ids[0]: is not an identity of the world", false},
		{"a project no one administers", del("projects", 0, "admin_group_ids"), "projects[0]: a project needs admin_ids or admin_group_ids", false},
		{"a project without a name", del("projects", 0, "display_name"), "projects[0].display_name: required", true},
		{"an action mock without responses", set([]any{map[string]any{"action_url": "https://example.org/ap", "responses": []any{}}}, "action_mocks"),
			"action_mocks[0]: an action mock needs action_url and at least one response", true},
		{"a flow id twice", func(w map[string]any) {
			w["flows"] = append(w["flows"].([]any), w["flows"].([]any)[0])
		}, "flows[1].id: appears twice", false},
	}
	schema := worldSchema(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc map[string]any
			require.NoError(t, json.Unmarshal([]byte(handWritten), &doc))
			c.edit(doc)
			b, err := json.Marshal(doc)
			require.NoError(t, err)

			w, err := world.Parse(b)
			require.NoError(t, err)
			_, err = New(Options{World: &w})
			require.EqualError(t, err, "seed world: "+c.want)

			s := newTestServer(t)
			before := dumpBytes(t, s)
			code, body := do(t, s, "PUT", "/_mock/state", "", string(b))
			require.Equal(t, http.StatusUnprocessableEntity, code, body)
			detail := body["error"].(map[string]any)["detail"].([]any)
			var got []string
			for _, d := range detail {
				d := d.(map[string]any)
				loc := d["loc"].([]any)
				for i, l := range loc {
					if f, ok := l.(float64); ok {
						loc[i] = int(f)
					}
				}
				got = append(got, apierr.Path(loc)+": "+d["msg"].(string))
			}
			require.Equal(t, c.want, strings.Join(got, "; "))
			require.Equal(t, before, dumpBytes(t, s), "a refused world changes nothing")

			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
			require.NoError(t, err)
			if c.schema {
				require.Error(t, schema.Validate(inst), "the schema should refuse it too")
			} else {
				require.NoError(t, schema.Validate(inst), "the schema cannot say it")
			}
		})
	}
}

func worldSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(fixtures.WorldSchema)))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("world.schema.json", doc))
	s, err := c.Compile("world.schema.json")
	require.NoError(t, err)
	return s
}

// richServer holds one of everything a world can hold: runs waiting on the clock, on an action
// and on a web input, and finished; rules, roles and files; action mocks, policies, registered
// APIs and issued tokens.
func richServer(t *testing.T) *Server {
	t.Helper()
	s := newTestServer(t)
	s.Clock().Freeze(time.Time{})
	seedWorld(t, s)
	for _, c := range []struct{ path, body string }{
		{"/_mock/action-mocks", `{"action_url": "https://example.org/ap", "flow_id": "f1000000-0000-4000-8000-000000000001", "state_name": "A",
			"responses": [{"status": "FAILED", "details": {"x": 1}}, {"unable_to_run": {"http_status": 403, "body": {"a": 1}}},
			{"status": "INACTIVE", "active_seconds": 5, "after_resume": {"status": "SUCCEEDED"}}]}`},
		{"/_mock/collections/" + aliceGuest + "/files", `{"files": [{"path": "/data/a.dat", "size": 10}]}`},
		{"/_mock/tokens", `{"identity_id": "0b0b0000-0000-4000-8000-000000000002", "scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all"], "expires_in": 60}`},
		{"/_mock/clients", `{"id": "9a0f0000-0000-4000-8000-00000000a001", "secret": "s3cret", "name": "My provider"}`},
		{"/v2/api/clients", `{"client": {"template_id": "95fdeba8-fac2-42bd-a357-e068d82ff78e", "name": "Globus CLI"}}`},
		{"/_mock/consents", `{"identity_id": "0b0b0000-0000-4000-8000-000000000002", "client_id": "9a0f0000-0000-4000-8000-00000000a001",
			"scope": "urn:globus:auth:scope:transfer.api.globus.org:all[https://auth.globus.org/scopes/c011ec70-0000-4000-8000-000000000301/data_access]"}`},
	} {
		code, doc := do(t, s, "POST", c.path, "", c.body)
		require.Less(t, code, 300, "%s: %v", c.path, doc)
	}
	code, f := do(t, s, "POST", "/flows", "tok-alice", `{"title": "Sleep <&>", "keywords": ["k"], "definition": {"StartAt": "H", "States": {
		"H": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "x", "sleep_time": 100}, "ResultPath": "$.h", "Next": "W"},
		"W": {"Type": "Wait", "Seconds": 100, "End": true}}}}`)
	require.Equal(t, http.StatusCreated, code, f)
	for _, body := range []string{`{"body": {"_private<&>": "p"}, "label": "L", "tags": ["a"]}`, `{"body": {}}`} {
		code, doc := do(t, s, "POST", "/flows/"+f["id"].(string)+"/run", "tok-alice", body)
		require.Equal(t, http.StatusCreated, code, doc)
	}
	s.Settle()
	code, doc := do(t, s, "POST", "/flows/"+f["id"].(string)+"/run", "tok-alice", `{"body": {}}`)
	require.Equal(t, http.StatusCreated, code, doc)
	s.Settle()
	code, doc = do(t, s, "POST", "/runs/"+doc["run_id"].(string)+"/cancel", "tok-alice", "")
	require.Equal(t, http.StatusAccepted, code, doc)
	s.Settle()
	return s
}

// The published schema describes world documents: the default world, a dump holding one of
// everything and the hand-written world are valid.
func TestTheWorldSchemaValidatesWorldsAndDumps(t *testing.T) {
	schema := worldSchema(t)
	for name, doc := range map[string]string{"the default world": string(fixtures.DefaultWorld), "a dump": dumpBytes(t, richServer(t)),
		"the hand-written world": handWritten} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		require.NoError(t, err, name)
		require.NoError(t, schema.Validate(inst), name)
	}
}

// Every object of the schema has exactly the fields the mock reads and writes, so that a document
// the schema accepts never has a key the mock refuses, and a dump never has one the schema
// refuses.
func TestTheWorldSchemaHasTheMocksFields(t *testing.T) {
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]json.RawMessage `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(fixtures.WorldSchema, &schema))
	object := func(raw json.RawMessage, path ...string) map[string]json.RawMessage {
		for _, p := range path {
			var o struct {
				Properties map[string]json.RawMessage `json:"properties"`
				Items      json.RawMessage            `json:"items"`
			}
			require.NoError(t, json.Unmarshal(raw, &o))
			if p == "[]" {
				raw = o.Items
			} else {
				raw = o.Properties[p]
			}
		}
		var o struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		require.NoError(t, json.Unmarshal(raw, &o))
		return o.Properties
	}
	def := func(name string, path ...string) map[string]json.RawMessage {
		return object(schema.Defs[name], path...)
	}
	cases := []struct {
		name   string
		schema map[string]json.RawMessage
		goType any
	}{
		{"the world", schema.Properties, world.World{}},
		{"clock", def("clock"), clock.State{}},
		{"identity", def("identity"), auth.Identity{}},
		{"group", def("group"), auth.Group{}},
		{"group member", def("group", "members", "[]"), auth.Member{}},
		{"subscription", def("subscription"), auth.Subscription{}},
		{"client", def("client"), auth.Client{}},
		{"token", def("token"), auth.Token{}},
		{"authentication", def("token", "authentications", "[]"), auth.Authentication{}},
		{"policy", def("policy"), auth.Policy{}},
		{"consent", def("consent"), auth.Consent{}},
		{"collection", def("collection"), transfer.Collection{}},
		{"role", def("collection", "roles", "[]"), transfer.Role{}},
		{"rule", def("collection", "access_rules", "[]"), transfer.Rule{}},
		{"file", def("collection", "files", "[]"), transfer.File{}},
		{"flow", def("flow"), flows.Flow{}},
		{"run", def("run"), runs.Record{}},
		{"log entry", def("log_entry"), runs.Entry{}},
		{"pending action", def("run", "action"), runs.PendingAction{}},
		{"action mock", def("action_mock"), actions.MockRule{}},
		{"mock response", def("mock_response"), actions.MockResponse{}},
		{"unable to run", def("mock_response", "unable_to_run"), actions.Unable{}},
		{"project", def("project"), auth.Project{}},
		{"registered API", def("registered_api"), registered.API{}},
		{"target", def("registered_api", "target"), registered.Target{}},
		{"destination", def("registered_api", "target", "destination"), registered.Destination{}},
		{"registered roles", def("registered_api", "roles"), registered.Roles{}},
		{"web input", def("web_input"), webinputs.WebInput{}},
		{"web input context", def("web_input", "context"), webinputs.Context{}},
		{"context row", def("web_input", "context", "rows", "[]"), webinputs.Row{}},
		{"option", def("option"), webinputs.Option{}},
	}
	for _, c := range cases {
		var inSchema []string
		for k := range c.schema {
			inSchema = append(inSchema, k)
		}
		slices.Sort(inSchema)
		if diff := cmp.Diff(jsonFields(reflect.TypeOf(c.goType)), inSchema); diff != "" {
			t.Errorf("%s: the schema's fields (-Go +schema):\n%s", c.name, diff)
		}
	}
}

// jsonFields are the JSON names of a struct's fields, embedded structs' fields included; an
// untagged field is written in lower case, as the world document writes its clock.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported() || name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, jsonFields(f.Type)...)
		case name == "":
			out = append(out, strings.ToLower(f.Name))
		default:
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Dumps are indented by two spaces and write <, > and & as they are; a dump loaded and dumped
// again gives the same bytes, and the state file holds the same bytes as GET /_mock/state.
func TestDumpsAreIndentedAndUnescaped(t *testing.T) {
	s := richServer(t)
	r := httptest.NewRecorder()
	s.ServeHTTP(r, localRequest("GET", "/_mock/state", nil))
	require.Equal(t, http.StatusOK, r.Code)
	dump := r.Body.String()
	for _, escape := range []string{`\u003c`, `\u003e`, `\u0026`} {
		require.NotContains(t, dump, escape)
	}
	require.Contains(t, dump, `"title": "Sleep <&>"`)
	require.Contains(t, dump, `"_private<&>"`)
	lines := strings.Split(dump, "\n")
	require.Equal(t, "{", lines[0])
	require.True(t, strings.HasPrefix(lines[1], `  "description": `), "indented by two spaces: %q", lines[1])
	require.True(t, strings.HasSuffix(dump, "}\n"))

	other := newTestServer(t)
	code, doc := do(t, other, "PUT", "/_mock/state", "", dump)
	require.Equal(t, http.StatusOK, code, doc)
	again := httptest.NewRecorder()
	other.ServeHTTP(again, localRequest("GET", "/_mock/state", nil))
	if diff := cmp.Diff(dump, again.Body.String()); diff != "" {
		t.Fatalf("load(dump) then dump (-first +second):\n%s", diff)
	}

	f := StateFile{Path: filepath.Join(t.TempDir(), "state.json")}
	require.NoError(t, f.Save(other))
	saved, err := os.ReadFile(f.Path)
	require.NoError(t, err)
	require.Equal(t, dump, string(saved))
}

// Prepare leaves the world it is given as it was, and a prepared world (a dump) prepares to
// itself: there is nothing left to fill in.
func TestPrepareChangesNeitherItsInputNorAPreparedWorld(t *testing.T) {
	w, err := world.Parse([]byte(handWritten))
	require.NoError(t, err)
	before, err := world.Encode(w)
	require.NoError(t, err)
	wall := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	prepared, err := w.Prepare(wall)
	require.NoError(t, err)
	after, err := world.Encode(w)
	require.NoError(t, err)
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("Prepare changed its input (-before +after):\n%s", diff)
	}
	once, err := world.Encode(prepared)
	require.NoError(t, err)
	again, err := prepared.Prepare(wall.Add(time.Hour))
	require.NoError(t, err)
	twice, err := world.Encode(again)
	require.NoError(t, err)
	if diff := cmp.Diff(string(once), string(twice)); diff != "" {
		t.Errorf("preparing a prepared world (-once +twice):\n%s", diff)
	}
	require.NotEqual(t, string(before), string(once), "the hand-written world had something to fill in")
}
