"""The official Python SDK against the mock: every function of FlowsClient, SpecificFlowClient,
TransferClient, AuthClient, ConfidentialAppAuthClient and GroupsClient that the mock serves, its
paginators, its error classes and globus_sdk.gare, with assertions on what the SDK returns.

Environment: MOCK (the mock's origin) and GLOBUS_SDK_SERVICE_URL_* pointing at it, RESULTS (where
the results go), as steps/clients_test.go sets them; PYTHONPATH names the SDK when it is not
installed.
"""

import inspect
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid

import globus_sdk
from globus_sdk import gare
from globus_sdk.login_flows import LoginFlowManager

from checks import Suite, main

MOCK = os.environ["MOCK"].rstrip("/")
ALICE = "0a11ce00-0000-4000-8000-000000000001"
BOB = "0b0b0000-0000-4000-8000-000000000002"
CAROL = "0ca20100-0000-4000-8000-000000000003"
CLIENT_ID, CLIENT_SECRET = "0c11e570-0000-4000-8000-000000000401", "mock-client-secret"
GUEST = "c011ec70-0000-4000-8000-000000000301"
MAPPED = "c011ec70-0000-4000-8000-000000000302"
RESEARCH_LAB = "6a0c0000-0000-4000-8000-000000000101"
HA_SUBSCRIPTION = "5b5c0000-0000-4000-8000-000000000202"
STANDARD_SUBSCRIPTION = "5b5c0000-0000-4000-8000-000000000201"
PROJECT = "d0c5e000-0000-4000-8000-000000000001"
TRANSFER_SCOPE = "urn:globus:auth:scope:transfer.api.globus.org:all"
FLOWS_SCOPE = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/"
CLI_TEMPLATE = "95fdeba8-fac2-42bd-a357-e068d82ff78e"  # the Globus CLI's native client, a template


def urn(identity):
    return f"urn:globus:auth:identity:{identity}"


def authz(who):
    return globus_sdk.AccessTokenAuthorizer(f"tok-{who}")


def control(path, body=None, method="POST"):
    """Calls the mock's control plane (test arrangements the APIs cannot make)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(MOCK + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def settle():
    control("/_mock/settle")


def api_error(cls, fn):
    """The error fn raises, which must be of class cls."""
    try:
        fn()
    except cls as e:
        return e
    raise AssertionError(f"no {cls.__name__} raised")


def eq(got, want, what=""):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


suite = Suite("globus-sdk (Python)", globus_sdk.__version__)
check = suite.check
fc = globus_sdk.FlowsClient(authorizer=authz("alice"))
tc = globus_sdk.TransferClient(authorizer=authz("alice"))
ac = globus_sdk.AuthClient(authorizer=authz("alice"))
cc = globus_sdk.ConfidentialAppAuthClient(CLIENT_ID, CLIENT_SECRET)
state = {}

WAIT = {
    "StartAt": "Greet",
    "States": {
        "Greet": {"Type": "ExpressionEval", "Parameters": {"greeting.=": "'hello ' + name"},
                  "ResultPath": "$.out", "Next": "Hold"},
        "Hold": {"Type": "Wait", "Seconds": 600, "End": True},
    },
}
SCHEMA = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
HELLO = {
    "StartAt": "Hello",
    "States": {"Hello": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
                         "Parameters": {"echo_string": "hi"}, "ResultPath": "$.hello", "End": True}},
}


# --- Flows -------------------------------------------------------------------------------------


@check("FlowsClient.validate_flow")
def validate_flow():
    res = fc.validate_flow(HELLO, input_schema={})
    eq(res.http_status, 200, "status")
    eq(list(res["scopes"]), ["User"], "scopes keys")
    assert any("hello_world" in s for s in res["scopes"]["User"]), res["scopes"]


@check("FlowsClient.create_flow")
def create_flow():
    res = fc.create_flow("Python SDK", WAIT, SCHEMA, subtitle="from Python", keywords=["py"],
                         flow_viewers=[urn(BOB)], run_monitors=[])
    eq(res.http_status, 201, "status")
    flow = state["flow"] = res.data
    eq(flow["title"], "Python SDK", "title")
    eq(flow["flow_viewers"], [urn(BOB)], "flow_viewers")
    eq(flow["globus_auth_scope"],
       f"https://auth.globus.org/scopes/{flow['id']}/flow_{flow['id'].replace('-', '_')}_user", "scope")


@check("FlowsClient.get_flow")
def get_flow():
    res = fc.get_flow(state["flow"]["id"])
    eq(res["definition"], WAIT, "definition")
    eq(res["user_role"], "flow_owner", "user_role")


@check("FlowsClient.update_flow")
def update_flow():
    res = fc.update_flow(state["flow"]["id"], subtitle="changed", flow_starters=["all_authenticated_users"])
    eq(res["subtitle"], "changed", "subtitle")
    eq(res["title"], "Python SDK", "title unchanged")
    eq(res["flow_starters"], ["all_authenticated_users"], "flow_starters")


@check("FlowsClient.list_flows")
def list_flows():
    res = fc.list_flows(filter_roles=["flow_owner"], orderby=["title ASC", "updated_at DESC"])
    assert state["flow"]["id"] in [f["id"] for f in res], res.data
    eq(res["has_next_page"], False, "has_next_page")
    bob = globus_sdk.FlowsClient(authorizer=authz("bob")).list_flows(filter_roles="flow_viewer")
    eq([f["id"] for f in bob], [state["flow"]["id"]], "bob's flows as viewer")


@check("FlowsClient.paginated.list_flows")
def paginated_list_flows():
    made = [fc.create_flow(f"Page {i}", WAIT, {})["id"] for i in range(3)]
    pages = list(fc.paginated.list_flows(filter_roles="flow_owner", query_params={"per_page": 2}))
    ids = [f["id"] for page in pages for f in page]
    assert len(pages) >= 2, f"{len(pages)} pages"
    eq(len(ids), len(set(ids)), "no flow twice")
    assert set(made) | {state["flow"]["id"]} <= set(ids), ids
    for i in made:
        fc.delete_flow(i)


@check("SpecificFlowClient.validate_run")
def validate_run():
    sfc = globus_sdk.SpecificFlowClient(state["flow"]["id"], authorizer=authz("alice"))
    res = sfc.validate_run({"name": "py"}, label="check", tags=["t"])
    eq(res.http_status, 200, "status")
    e = api_error(globus_sdk.FlowsAPIError, lambda: sfc.validate_run({}))
    eq((e.http_status, e.code), (400, "FLOW_INPUT_ERROR"), "bad input")


@check("SpecificFlowClient.run_flow")
def run_flow():
    sfc = globus_sdk.SpecificFlowClient(state["flow"]["id"], authorizer=authz("alice"))
    e = api_error(globus_sdk.FlowsAPIError, lambda: sfc.run_flow({}))
    eq((e.http_status, e.code), (400, "FLOW_INPUT_ERROR"), "bad input")
    res = sfc.run_flow({"name": "py"}, label="py run", tags=[" a  b "], run_monitors=[urn(CAROL)],
                       activity_notification_policy={"status": ["INACTIVE", "FAILED"]})
    eq(res.http_status, 201, "status")
    run = state["run"] = res.data
    eq(run["status"], "ACTIVE", "status")
    eq(run["tags"], ["a b"], "tags")
    eq(run["activity_notification_policy"], {"status": ["INACTIVE", "FAILED"]}, "policy")
    settle()


@check("FlowsClient.get_run")
def get_run():
    res = fc.get_run(state["run"]["run_id"], include_flow_description=True)
    eq(res["flow_description"]["title"], "Python SDK", "flow_description")
    eq(res["details"]["code"], "WaitStarted", "details.code")
    assert "flow_description" not in fc.get_run(state["run"]["run_id"], include_flow_description=False).data


@check("FlowsClient.list_runs")
def list_runs():
    res = fc.list_runs(filter_flow_id=state["flow"]["id"], filter_roles=["run_owner"])
    eq([r["run_id"] for r in res], [state["run"]["run_id"]], "runs")
    monitor = globus_sdk.FlowsClient(authorizer=authz("carol")).list_runs(filter_roles="run_monitor")
    eq([r["run_id"] for r in monitor], [state["run"]["run_id"]], "carol's runs as monitor")


@check("FlowsClient.paginated.list_runs")
def paginated_list_runs():
    sfc = globus_sdk.SpecificFlowClient(state["flow"]["id"], authorizer=authz("alice"))
    made = [sfc.run_flow({"name": str(i)})["run_id"] for i in range(2)]
    pages = list(fc.paginated.list_runs(filter_flow_id=state["flow"]["id"], query_params={"per_page": 1}))
    eq(len(pages), 3, "pages")
    eq(sorted(r["run_id"] for p in pages for r in p), sorted(made + [state["run"]["run_id"]]), "runs")
    for i in made:
        fc.cancel_run(i)
        fc.delete_run(i)


@check("FlowsClient.update_run")
def update_run():
    res = fc.update_run(state["run"]["run_id"], label="renamed", tags=[], run_managers=[urn(BOB)])
    eq((res["label"], res["tags"], res["run_managers"]), ("renamed", [], [urn(BOB)]), "run")


@check("FlowsClient.get_run_logs")
def get_run_logs():
    res = fc.get_run_logs(state["run"]["run_id"], limit=2)
    eq([e["code"] for e in res], ["FlowStarted", "ExpressionEvalStarted"], "entries")
    eq(res["has_next_page"], True, "has_next_page")
    rev = fc.get_run_logs(state["run"]["run_id"], limit=1, reverse_order=True)
    eq([e["code"] for e in rev], ["WaitStarted"], "reversed")


@check("FlowsClient.paginated.get_run_logs")
def paginated_get_run_logs():
    pages = list(fc.paginated.get_run_logs(state["run"]["run_id"], limit=1))
    eq([e["code"] for p in pages for e in p],
       ["FlowStarted", "ExpressionEvalStarted", "ExpressionEvalCompleted", "WaitStarted"], "entries")


@check("FlowsClient.get_run_definition")
def get_run_definition():
    res = fc.get_run_definition(state["run"]["run_id"])
    eq(res["definition"], WAIT, "definition")
    eq(res["input_schema"], SCHEMA, "input_schema")


@check("FlowsClient.delete_run", "FlowsClient.cancel_run", "FlowsAPIError")
def cancel_and_release():
    run_id = state["run"]["run_id"]
    e = api_error(globus_sdk.FlowsAPIError, lambda: fc.delete_run(run_id))
    eq((e.http_status, e.code), (409, "STATE_CONFLICT"), "release of a run still going")
    res = fc.cancel_run(run_id)
    eq(res.http_status, 202, "cancel status")
    eq(res["details"]["code"], "FlowCanceled", "details.code")
    eq(fc.delete_run(run_id)["run_id"], run_id, "released")
    e = api_error(globus_sdk.FlowsAPIError, lambda: fc.get_run(run_id))
    eq((e.http_status, e.code), (404, "NOT_FOUND"), "released run")
    assert run_id in e.message, e.message


@check("SpecificFlowClient.resume_run")
def resume_run():
    flow = fc.create_flow("Needs consent", HELLO, {})
    state["consent_flow"] = flow["id"]
    # A token holding the flow's scope but not the Hello World provider's: the run waits for consent.
    token = control("/_mock/tokens", {"identity_id": ALICE, "scopes": [flow["globus_auth_scope"], FLOWS_SCOPE + "run_status"]})
    narrow = globus_sdk.SpecificFlowClient(flow["id"], authorizer=globus_sdk.AccessTokenAuthorizer(token["token"]))
    run = narrow.run_flow({})
    settle()
    waiting = fc.get_run(run["run_id"])
    eq((waiting["status"], waiting["details"]["code"]), ("INACTIVE", "ConsentRequired"), "before resume")
    sfc = globus_sdk.SpecificFlowClient(flow["id"], authorizer=authz("alice"))
    eq(sfc.resume_run(run["run_id"])["status"], "ACTIVE", "resumed")
    settle()
    eq(fc.get_run(run["run_id"])["status"], "SUCCEEDED", "after resume")


QUESTION = {
    "StartAt": "Ask",
    "States": {
        "Ask": {"Type": "CreateWebInput", "Parameters": {
            "InputType": "Selection", "Context": {"PresentationStyle": "Text", "Title": "Go on?", "Text": "Say so"},
            "Options": [{"Value": "yes", "Label": "Yes", "Description": "go on"},
                        {"Value": "no", "Label": "No", "Description": "stop"}],
            "RespondentUrns": [urn(BOB)]}, "ResultPath": "$.question", "Next": "Wait"},
        "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.question.web_input_id"},
                 "ResultPath": "$.answer", "End": True},
    },
}


@check("FlowsClient.list_web_inputs")
def list_web_inputs():
    flow = fc.create_flow("Asks", QUESTION, {})
    run = globus_sdk.SpecificFlowClient(flow["id"], authorizer=authz("alice")).run_flow({})
    settle()
    state["asking_run"] = run["run_id"]
    bob = globus_sdk.FlowsClient(authorizer=authz("bob"))
    res = bob.list_web_inputs(filter_roles="respondent", filter_run_ids=[run["run_id"]])
    inputs = list(res)
    eq(len(inputs), 1, "web inputs")
    state["web_input"] = inputs[0]["id"]
    eq(fc.get_run(run["run_id"])["blocking_web_input_id"], state["web_input"], "blocking_web_input_id")
    eq(list(fc.list_web_inputs(filter_run_ids=run["run_id"])), [], "the owner is no respondent")


@check("FlowsClient.paginated.list_web_inputs")
def paginated_list_web_inputs():
    bob = globus_sdk.FlowsClient(authorizer=authz("bob"))
    pages = list(bob.paginated.list_web_inputs(filter_states=["open", "closed"], per_page=1))
    assert state["web_input"] in [w["id"] for p in pages for w in p], pages


@check("FlowsClient.get_web_input")
def get_web_input():
    res = globus_sdk.FlowsClient(authorizer=authz("bob")).get_web_input(state["web_input"])
    eq(res["status"], "open", "status")
    eq([o["label"] for o in res["options"]], ["Yes", "No"], "options")
    state["option"] = res["options"][0]["option_id"]
    e = api_error(globus_sdk.FlowsAPIError, lambda: fc.get_web_input(state["web_input"]))
    eq((e.http_status, e.code), (404, "NOT_FOUND"), "the owner is no respondent")


@check("FlowsClient.respond_to_web_input")
def respond_to_web_input():
    bob = globus_sdk.FlowsClient(authorizer=authz("bob"))
    e = api_error(globus_sdk.FlowsAPIError, lambda: bob.respond_to_web_input(state["web_input"], "not an option"))
    eq(e.http_status, 422, "a value that is no option")
    eq(bob.respond_to_web_input(state["web_input"], state["option"])["status"], "ok", "answer")
    settle()
    run = fc.get_run(state["asking_run"])
    eq((run["status"], run["details"]["output"]["answer"]), ("SUCCEEDED", {"response": "yes"}), "run")


def http(method, path, token, body=None):
    req = urllib.request.Request(MOCK + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


@check("FlowsClient.list_registered_apis", "FlowsClient.get_registered_api", "FlowsClient.paginated.list_registered_apis")
def registered_apis():
    # SDK 4.9 has no create_registered_api: the API is made over HTTP.
    made = [http("POST", "/registered_apis", "tok-alice", {
        "name": f"Things {i}", "description": "", "subscription_id": STANDARD_SUBSCRIPTION,
        "target": {"type": "openapi", "openapi_version": "3.1",
                   "destination": {"method": "post", "url": "https://api.example.org/things"},
                   "specification": {}}})["id"] for i in range(3)]
    res = fc.list_registered_apis(filter_roles="owner", orderby="name ASC")
    eq([a["name"] for a in res["registered_apis"]], ["Things 0", "Things 1", "Things 2"], "listed")
    got = fc.get_registered_api(made[1])
    eq((got["name"], got["target"]["destination"]["method"]), ("Things 1", "post"), "read")
    pages = list(fc.paginated.list_registered_apis(per_page=2))
    eq(sorted(a["id"] for p in pages for a in p), sorted(made), "paged")
    eq(len(pages), 2, "pages")
    e = api_error(globus_sdk.FlowsAPIError, lambda: globus_sdk.FlowsClient(authorizer=authz("bob")).get_registered_api(made[0]))
    eq((e.http_status, e.code), (404, "NOT_FOUND"), "an outsider")


@check("FlowsClient.delete_flow")
def delete_flow():
    res = fc.delete_flow(state["flow"]["id"])
    eq(res["DELETED"], True, "DELETED")
    e = api_error(globus_sdk.FlowsAPIError, lambda: fc.get_flow(state["flow"]["id"]))
    eq((e.http_status, e.code), (404, "NOT_FOUND"), "deleted")


@check("FlowsAPIError")
def flows_api_error():
    e = api_error(globus_sdk.FlowsAPIError, lambda: fc.create_flow("Bad", {"StartAt": "Nowhere", "States": {}}, {}))
    eq(e.http_status, 422, "status")
    assert e.code in ("FLOW_VALIDATION_FAILED", "UNPROCESSABLE_ENTITY"), e.code
    assert e.messages, "messages from the detail list"
    token = control("/_mock/tokens", {"identity_id": BOB, "scopes": [FLOWS_SCOPE + "view_flows"]})
    viewer = globus_sdk.FlowsClient(authorizer=globus_sdk.AccessTokenAuthorizer(token["token"]))
    e = api_error(globus_sdk.FlowsAPIError, lambda: viewer.create_flow("x", WAIT, {}))
    eq((e.http_status, e.code), (403, "MISSING_SCOPE"), "a token without manage_flows")


def ha_flow(definition):
    """A high-assurance flow of alice's whose viewer and respondent bob has a stale session."""
    policy = ac.create_policy(project_id=PROJECT, display_name="HA", description="", high_assurance=True,
                              authentication_assurance_timeout=3600)
    control("/_mock/tokens/tok-alice/authentications", {"identity_id": ALICE})
    flow = fc.create_flow("HA", definition, {}, subscription_id=HA_SUBSCRIPTION,
                          authentication_policy_id=policy["policy"]["id"], flow_viewers=[urn(BOB)])
    return policy["policy"]["id"], flow["id"]


@check("globus_sdk.gare")
def high_assurance_gare():
    policy, flow = ha_flow(WAIT)
    bob = globus_sdk.FlowsClient(authorizer=authz("bob"))
    e = api_error(globus_sdk.FlowsAPIError, lambda: bob.get_flow(flow))
    eq((e.http_status, e.code), (403, "AuthenticationPolicyRequired"), "GARE")
    assert gare.is_gare(e.raw_json), e.raw_json
    g = gare.to_gare(e)
    assert g is not None, "to_gare"
    eq(g.authorization_parameters.session_required_policies, [policy], "session_required_policies")
    assert g.authorization_parameters.session_message, "session_message"
    eq(gare.has_gares([e]), True, "has_gares")
    eq(e.info.authorization_parameters.session_required_policies, [policy], "error info")
    listed = bob.list_flows(filter_roles="flow_viewer")
    eq([(f["id"], f["definition"]) for f in listed], [(flow, None)], "listing hides the definition")


@check("globus_sdk.gare (web input)")
def web_input_gare():
    policy, flow = ha_flow(QUESTION)
    run = globus_sdk.SpecificFlowClient(flow, authorizer=authz("alice")).run_flow({})
    settle()
    bob = globus_sdk.FlowsClient(authorizer=authz("bob"))
    web_input = fc.get_run(run["run_id"])["blocking_web_input_id"]
    for call in (lambda: bob.get_web_input(web_input), lambda: bob.respond_to_web_input(web_input, "anything")):
        e = api_error(globus_sdk.FlowsAPIError, call)
        eq(e.http_status, 403, "status")
        g = gare.to_gare(e)
        assert g is not None, e.raw_json
        eq(g.authorization_parameters.session_required_policies, [policy], "session_required_policies")
        # Flows' web input variant of the GARE also carries Flows' error object, which the SDK
        # reads first, and the summary (reference transfer-acl-and-auth.md, from the SDK's own
        # test data for both operations).
        eq(e.code, "AUTHENTICATION_POLICY_REQUIRED", "code")
        assert e.messages, "the detail"
        eq(e.raw_json.get("web_input_summary", {}).get("id"), web_input, "web_input_summary")


# --- Transfer ----------------------------------------------------------------------------------


@check("TransferClient.get_endpoint")
def get_endpoint():
    res = tc.get_endpoint(GUEST)
    eq((res["display_name"], res["entity_type"]), ("Alice's Shared Data", "GCSv5_guest_collection"), "endpoint")
    eq(res["my_effective_roles"], ["administrator"], "roles")
    eq(globus_sdk.TransferClient(authorizer=authz("bob")).get_endpoint(GUEST)["my_effective_roles"], [], "bob's roles")
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.get_endpoint(str(uuid.uuid4())))
    eq((e.http_status, e.code), (404, "EndpointNotFound"), "unknown endpoint")


@check("TransferClient.add_endpoint_acl_rule")
def add_endpoint_acl_rule():
    res = tc.add_endpoint_acl_rule(GUEST, {"DATA_TYPE": "access", "principal_type": "identity",
                                           "principal": BOB, "path": "/py/", "permissions": "r"})
    eq(res.http_status, 201, "status")
    eq(res["code"], "Created", "code")
    state["rule"] = res["access_id"]


@check("TransferClient.get_endpoint_acl_rule")
def get_endpoint_acl_rule():
    res = tc.get_endpoint_acl_rule(GUEST, state["rule"])
    eq((res["path"], res["permissions"], res["principal"]), ("/py/", "r", BOB), "rule")


@check("TransferClient.endpoint_acl_list")
def endpoint_acl_list():
    rules = list(tc.endpoint_acl_list(GUEST))
    eq((rules[0]["id"], rules[0]["role_type"]), (None, "administrator"), "the implicit rule first")
    assert state["rule"] in [r["id"] for r in rules], rules


@check("TransferClient.update_endpoint_acl_rule")
def update_endpoint_acl_rule():
    res = tc.update_endpoint_acl_rule(GUEST, state["rule"], {"DATA_TYPE": "access", "permissions": "rw"})
    eq(res["code"], "Updated", "code")
    eq(tc.get_endpoint_acl_rule(GUEST, state["rule"])["permissions"], "rw", "permissions")


@check("TransferAPIError")
def transfer_api_error():
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.add_endpoint_acl_rule(GUEST, {
        "DATA_TYPE": "access", "principal_type": "identity", "principal": BOB, "path": "/py/", "permissions": "r"}))
    eq((e.http_status, e.code), (409, "Exists"), "duplicate")
    assert e.request_id and e.message, (e.request_id, e.message)
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.endpoint_acl_list(MAPPED))
    eq((e.http_status, e.code), (409, "NotSupported"), "ACLs on a mapped collection")
    bob = globus_sdk.TransferClient(authorizer=authz("bob"))
    e = api_error(globus_sdk.TransferAPIError, lambda: bob.endpoint_acl_list(GUEST))
    eq((e.http_status, e.code), (403, "PermissionDenied"), "no role")
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.add_endpoint_acl_rule(GUEST, {
        "DATA_TYPE": "access", "principal_type": "identity", "principal": BOB, "path": "no-slash", "permissions": "r"}))
    eq((e.http_status, e.code), (400, "InvalidPath"), "bad path")


@check("TransferAPIError (401)")
def transfer_401():
    bad = globus_sdk.TransferClient(authorizer=globus_sdk.AccessTokenAuthorizer("not-a-token"))
    e = api_error(globus_sdk.TransferAPIError, lambda: bad.get_endpoint(GUEST))
    # The code the CLI's "not logged in" handler matches (globus_cli transfer hooks).
    eq((e.http_status, e.code), (401, "ClientError.AuthenticationFailed"), "bad token")


@check("TransferClient.delete_endpoint_acl_rule")
def delete_endpoint_acl_rule():
    eq(tc.delete_endpoint_acl_rule(GUEST, state["rule"])["code"], "Deleted", "code")
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.delete_endpoint_acl_rule(GUEST, state["rule"]))
    eq((e.http_status, e.code), (404, "AccessRuleNotFound"), "again")


@check("TransferClient.add_endpoint_role", "TransferClient.get_endpoint_role", "TransferClient.endpoint_role_list",
       "TransferClient.delete_endpoint_role")
def endpoint_roles():
    res = tc.add_endpoint_role(GUEST, {"DATA_TYPE": "role", "principal_type": "identity", "principal": BOB,
                                       "role": "access_manager"})
    eq(res.http_status, 201, "status")
    role = res["id"]
    eq(tc.get_endpoint_role(GUEST, role)["role"], "access_manager", "role")
    listed = [(r["principal"], r["role"]) for r in tc.endpoint_role_list(GUEST)]
    assert (BOB, "access_manager") in listed and (ALICE, "administrator") in listed, listed
    eq(globus_sdk.TransferClient(authorizer=authz("bob")).get_endpoint(GUEST)["my_effective_roles"],
       ["access_manager"], "bob's roles")
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.add_endpoint_role(GUEST, {
        "DATA_TYPE": "role", "principal_type": "identity", "principal": BOB, "role": "access_manager"}))
    eq((e.http_status, e.code), (409, "Exists"), "the same role twice")
    eq(tc.delete_endpoint_role(GUEST, role)["code"], "Deleted", "deleted")
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.get_endpoint_role(GUEST, role))
    eq((e.http_status, e.code), (404, "RoleNotFound"), "gone")


# --- Auth and Groups ---------------------------------------------------------------------------


@check("AuthClient.get_identities", "globus_sdk.IdentityMap")
def get_identities():
    res = ac.get_identities(usernames=["bob@example.org", "carol@example.org"])
    eq(sorted(i["id"] for i in res), sorted([BOB, CAROL]), "by username")
    eq([i["username"] for i in ac.get_identities(ids=[ALICE])], ["alice@example.org"], "by id")
    idmap = globus_sdk.IdentityMap(ac, ["erin@example.org", BOB])
    eq(idmap[BOB]["username"], "bob@example.org", "identity map by id")
    eq(idmap["erin@example.org"]["id"], "0e210000-0000-4000-8000-000000000005", "identity map by username")


@check("AuthClient.create_policy", "AuthClient.get_policy", "AuthClient.get_policies", "AuthClient.update_policy",
       "AuthClient.delete_policy", "AuthAPIError")
def policies():
    made = ac.create_policy(project_id=PROJECT, display_name="Py policy", description="from Python",
                            high_assurance=False, domain_constraints_include=["example.org"])
    pid = made["policy"]["id"]
    eq(made["policy"]["domain_constraints_include"], ["example.org"], "created")
    eq(ac.get_policy(pid)["policy"]["display_name"], "Py policy", "read")
    assert pid in [p["id"] for p in ac.get_policies()["policies"]], "listed"
    eq(ac.update_policy(pid, description="changed")["policy"]["description"], "changed", "updated")
    ac.delete_policy(pid)
    e = api_error(globus_sdk.AuthAPIError, lambda: ac.get_policy(pid))
    eq(e.http_status, 404, "deleted")
    assert e.code and e.code != "Error", e.code
    e = api_error(globus_sdk.AuthAPIError, lambda: ac.create_policy(
        project_id=PROJECT, display_name="x", description="", high_assurance=False, required_mfa=True))
    eq(e.http_status, 400, "required_mfa without high assurance")


@check("AuthClient.create_project", "AuthClient.get_project", "AuthClient.get_projects", "AuthClient.update_project",
       "AuthClient.delete_project")
def projects():
    made = ac.create_project("Py project", "py@example.org", admin_ids=ALICE)["project"]
    eq(made["admins"]["identities"][0]["username"], "alice@example.org", "created with its administrators")
    pid = made["id"]
    eq(ac.get_project(pid)["project"]["display_name"], "Py project", "read")
    assert pid in [p["id"] for p in ac.get_projects()], "listed (an iterable response)"
    policy = ac.create_policy(project_id=pid, display_name="In the project", description="", high_assurance=False)
    e = api_error(globus_sdk.AuthAPIError, lambda: ac.delete_project(pid))
    eq(e.http_status, 409, "a project with a policy stays")
    ac.delete_policy(policy["policy"]["id"])
    eq(ac.update_project(pid, display_name="Renamed")["project"]["display_name"], "Renamed", "updated")
    eq(ac.delete_project(pid)["project"]["id"], pid, "deleted")
    e = api_error(globus_sdk.AuthAPIError, lambda: ac.get_project(pid))
    eq(e.http_status, 404, "gone")


@check("AuthClient.get_consents", "AuthClient.get_client", "AuthClient.delete_client")
def consents_and_templated_clients():
    # A confidential client made from the CLI's native template, as the CLI registers itself.
    native = globus_sdk.NativeAppAuthClient(CLI_TEMPLATE)
    cred = native.post("/v2/api/clients", data={"client": {"template_id": CLI_TEMPLATE, "name": "Py CLI"}})[
        "included"]["client_credential"]
    # The instance authenticates as itself (HTTP Basic), as the CLI deletes it on logout.
    mine = globus_sdk.AuthClient(authorizer=globus_sdk.BasicAuthorizer(cred["client"], cred["secret"]))
    eq(mine.get_client(client_id=cred["client"])["client"]["name"], "Py CLI", "read by itself")
    data_access = f"https://auth.globus.org/scopes/{GUEST}/data_access"
    control("/_mock/consents", {"identity_id": ALICE, "client_id": cred["client"], "scope": f"{TRANSFER_SCOPE}[{data_access}]"})
    forest = ac.get_consents(ALICE, all=True).to_forest()
    assert forest.meets_scope_requirements(f"{TRANSFER_SCOPE}[{data_access}]"), str(forest)
    assert not forest.meets_scope_requirements(f"{FLOWS_SCOPE}all[{data_access}]"), str(forest)
    eq(mine.delete_client(cred["client"])["client"]["id"], cred["client"], "deleted by itself")
    e = api_error(globus_sdk.AuthAPIError, lambda: mine.get_client(client_id=cred["client"]))
    eq(e.http_status, 401, "a deleted client's credentials")


@check("ConfidentialAppAuthClient.oauth2_client_credentials_tokens", "globus_sdk.ClientCredentialsAuthorizer")
def client_credentials():
    res = cc.oauth2_client_credentials_tokens([TRANSFER_SCOPE, FLOWS_SCOPE + "manage_flows"])
    tokens = res.by_resource_server
    assert {"transfer.api.globus.org", "flows.globus.org"} <= set(tokens), tokens
    transfer = globus_sdk.TransferClient(authorizer=globus_sdk.AccessTokenAuthorizer(tokens["transfer.api.globus.org"]["access_token"]))
    eq(transfer.get_endpoint(GUEST)["id"], GUEST, "the client's transfer token works")
    authorizer = globus_sdk.ClientCredentialsAuthorizer(cc, FLOWS_SCOPE + "manage_flows")
    flows = globus_sdk.FlowsClient(authorizer=authorizer)
    flow = flows.create_flow("By the client", WAIT, {})
    eq(flow["flow_owner"], f"urn:globus:auth:identity:{CLIENT_ID}", "the client owns what it makes")
    flows.delete_flow(flow["id"])


@check("ConfidentialAppAuthClient.oauth2_token")
def oauth2_token():
    res = cc.oauth2_token({"grant_type": "client_credentials", "scope": TRANSFER_SCOPE})
    eq(list(res.by_resource_server), ["transfer.api.globus.org"], "resource servers")
    eq((res["resource_server"], res["token_type"]), ("transfer.api.globus.org", "Bearer"), "token")
    e = api_error(globus_sdk.AuthAPIError, lambda: cc.oauth2_token({"grant_type": "password", "username": "x"}))
    eq((e.http_status, e.code), (400, "unsupported_grant_type"), "a grant the mock does not serve")
    e = api_error(globus_sdk.AuthAPIError, lambda: cc.oauth2_token({"grant_type": "refresh_token", "refresh_token": "x"}))
    eq((e.http_status, e.code), (400, "invalid_grant"), "a refresh token the mock never issued")


@check("ConfidentialAppAuthClient.oauth2_token_introspect")
def oauth2_token_introspect():
    res = cc.oauth2_token_introspect("tok-alice", include="identity_set")
    eq((res["active"], res["sub"], res["username"]), (True, ALICE, "alice@example.org"), "introspection")
    assert ALICE in res["identity_set"], res.data
    eq(cc.oauth2_token_introspect("not-a-token")["active"], False, "unknown token")


@check("ConfidentialAppAuthClient.oauth2_get_dependent_tokens")
def oauth2_get_dependent_tokens():
    groups_scope = "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships"
    provider = control("/_mock/providers", {"url": "https://provider.example.org/python-suite", "secret": "py-secret",
                                            "dependent_scopes": [TRANSFER_SCOPE, groups_scope]})
    # A token for the provider's scope on carol's behalf, as Flows calls the provider with.
    token = control("/_mock/tokens", {"identity_id": CAROL, "scopes": [provider["scope"]]})["token"]
    pc = globus_sdk.ConfidentialAppAuthClient(provider["client_id"], "py-secret")
    eq(pc.oauth2_token_introspect(token)["sub"], CAROL, "the provider's introspection")
    res = pc.oauth2_get_dependent_tokens(token, refresh_tokens=True)
    eq(sorted(res.by_resource_server), ["groups.api.globus.org", "transfer.api.globus.org"], "resource servers")
    assert res.by_resource_server["groups.api.globus.org"]["refresh_token"], res.data
    groups = globus_sdk.GroupsClient(authorizer=globus_sdk.AccessTokenAuthorizer(
        res.by_resource_server["groups.api.globus.org"]["access_token"])).get_my_groups()
    assert RESEARCH_LAB in [g["id"] for g in groups], groups.data
    e = api_error(globus_sdk.AuthAPIError, lambda: pc.oauth2_get_dependent_tokens("tok-carol"))
    eq((e.http_status, e.code), (400, "invalid_grant"), "a token not for the provider")


@check("AuthAPIError (401)")
def auth_401_client():
    bad = globus_sdk.ConfidentialAppAuthClient(CLIENT_ID, "wrong secret")
    e = api_error(globus_sdk.AuthAPIError, lambda: bad.oauth2_client_credentials_tokens(TRANSFER_SCOPE))
    eq((e.http_status, e.code), (401, "invalid_client"), "a wrong secret")


@check("AuthAPIError (401)")
def auth_401_bearer():
    bad = globus_sdk.AuthClient(authorizer=globus_sdk.AccessTokenAuthorizer("not-a-token"))
    e = api_error(globus_sdk.AuthAPIError, lambda: bad.get_identities(usernames="bob@example.org"))
    # The SDK's own test data for Auth's 401 (globus_sdk.testing, auth/_common.py).
    eq((e.http_status, e.code), (401, "UNAUTHORIZED"), "a bad bearer token")


@check("GroupsClient.get_my_groups")
def get_my_groups():
    groups = globus_sdk.GroupsClient(authorizer=authz("carol")).get_my_groups()
    lab = [g for g in groups if g["id"] == RESEARCH_LAB]
    eq(len(lab), 1, "carol's Research Lab")
    roles = {m["identity_id"]: m["role"] for m in lab[0].get("my_memberships", [])}
    eq(roles.get(CAROL), "admin", "carol's role")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@check("ConfidentialAppAuthClient.oauth2_get_authorize_url", "ConfidentialAppAuthClient.oauth2_exchange_code_for_tokens",
       "ConfidentialAppAuthClient.oauth2_refresh_token", "ConfidentialAppAuthClient.oauth2_revoke_token")
def login():
    ac = globus_sdk.ConfidentialAppAuthClient(CLIENT_ID, CLIENT_SECRET)
    ac.oauth2_start_flow("https://app.example.org/callback", requested_scopes=FLOWS_SCOPE + "all", refresh_tokens=True)
    url = ac.oauth2_get_authorize_url()
    # No person: the control plane decides the next login.
    req = urllib.request.Request(MOCK + "/_mock/logins", data=json.dumps({"persona": "alice"}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).close()
    try:
        urllib.request.build_opener(_NoRedirect).open(url)
        raise AssertionError("the authorize page did not redirect")
    except urllib.error.HTTPError as e:
        location = e.headers["Location"]
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
    flows = ac.oauth2_exchange_code_for_tokens(code).by_resource_server["flows.globus.org"]
    user = globus_sdk.FlowsClient(authorizer=globus_sdk.AccessTokenAuthorizer(flows["access_token"]))
    eq(user.list_flows().http_status, 200, "the login's token works")
    again = ac.oauth2_refresh_token(flows["refresh_token"]).by_resource_server["flows.globus.org"]
    assert again["access_token"] != flows["access_token"], "a refresh gives a new token"
    ac.oauth2_revoke_token(again["access_token"])
    gone = globus_sdk.FlowsClient(authorizer=globus_sdk.AccessTokenAuthorizer(again["access_token"]))
    e = api_error(globus_sdk.FlowsAPIError, gone.list_flows)
    eq(e.http_status, 401, "a revoked token")


NATIVE_CLIENT_ID = "0c11e570-0000-4000-8000-000000000402"


def login_redirect(url, decision):
    """Decides the next login at the control plane (no person), opens the authorize URL and
    returns the code it redirects with."""
    control("/_mock/logins", decision)
    try:
        urllib.request.build_opener(_NoRedirect).open(url)
        raise AssertionError("the authorize page did not redirect")
    except urllib.error.HTTPError as e:
        location = e.headers["Location"]
    return urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]


class MockLoginFlowManager(LoginFlowManager):
    """A login flow driven by the test: the control plane decides who logs in."""

    redirect_uri = "http://127.0.0.1:50123/callback"
    decision = {"persona": "alice"}
    seen = []  # the authorization parameters of each login

    @classmethod
    def for_globus_app(cls, *, app_name, config, login_client):
        return cls(login_client, request_refresh_tokens=config.request_refresh_tokens)

    def run_login_flow(self, auth_parameters):
        self.seen.append(auth_parameters)
        url = self._get_authorize_url(auth_parameters, self.redirect_uri)
        return self.login_client.oauth2_exchange_code_for_tokens(login_redirect(url, self.decision))


def journal():
    """The requests the mock answered so far: (method, path, status), oldest first."""
    return [(e["method"], e["path"], e["status"]) for e in control("/_mock/requests", method="GET")["requests"]]


@check("AuthClient.get_openid_configuration", "AuthClient.get_jwk", "AuthClient.userinfo",
       "ConfidentialAppAuthClient.get_openid_configuration", "ConfidentialAppAuthClient.get_jwk")
def openid_connect():
    config = ac.get_openid_configuration()
    eq(config["jwks_uri"], MOCK + "/jwk.json", "jwks_uri under the mock's origin")
    eq(config["id_token_signing_alg_values_supported"], ["RS512"], "signing algorithms")
    key = ac.get_jwk(openid_configuration=config, as_pem=True)
    eq(key.key_size, 2048, "an RSA 2048 key")
    eq(cc.get_jwk(as_pem=True).public_numbers(), key.public_numbers(), "the same key for every client")
    eq(cc.get_openid_configuration()["issuer"], config["issuer"], "the same issuer")
    info = ac.userinfo()
    eq((info["sub"], info["preferred_username"], info["email"]), (ALICE, "alice@example.org", "alice@example.org"), "userinfo")
    e = api_error(globus_sdk.AuthAPIError, globus_sdk.AuthClient(authorizer=globus_sdk.AccessTokenAuthorizer("not-a-token")).userinfo)
    eq(e.http_status, 401, "userinfo with an unknown token")


@check("globus_sdk.UserApp", "globus_sdk.IDTokenDecoder", "globus_sdk.UserApp.login (GARE)")
def user_app():
    # Access tokens live 10 minutes, so the test can outlive them by moving the mock clock.
    lifetime = control("/_mock/token-lifetime", method="GET")
    control("/_mock/token-lifetime", {"seconds": 600}, method="PUT")
    config = globus_sdk.GlobusAppConfig(login_flow_manager=MockLoginFlowManager, token_storage="memory",
                                        request_refresh_tokens=True)
    try:
        with globus_sdk.UserApp("mock e2e", client_id=NATIVE_CLIENT_ID, config=config) as app:
            flows = globus_sdk.FlowsClient(app=app)
            app.login()
            # The app stores tokens only after decoding the ID token with the published key.
            eq(app.token_storage.identity_id, ALICE, "the ID token's sub")
            decoded = app.token_storage.get_token_data(globus_sdk.AuthClient.resource_server)
            assert decoded is not None, "the Auth token is stored"
            eq(flows.list_flows().http_status, 200, "list flows with the login's token")
            old = app.token_storage.get_token_data("flows.globus.org")
            seen, logins = len(journal()), len(control("/_mock/logins", method="GET")["logins"])
            control("/_mock/clock/advance", {"seconds": 601})
            eq(flows.list_flows().http_status, 200, "list flows after the access token expired")
            # Refused, refreshed (no new login), retried.
            eq(journal()[seen:], [("GET", "/flows", 401), ("POST", "/v2/oauth2/token", 200), ("GET", "/flows", 200)],
               "the requests after the clock moved")
            eq(len(control("/_mock/logins", method="GET")["logins"]), logins, "no new login")
            new = app.token_storage.get_token_data("flows.globus.org")
            assert new.access_token != old.access_token, "the stored token was refreshed"
            eq(control(f"/_mock/tokens/{new.access_token}", method="GET")["session_id"],
               control(f"/_mock/tokens/{old.access_token}", method="GET")["session_id"], "a refresh keeps the session")

            # A high-assurance flow whose policy wants a login within the hour: after two hours
            # the app's session is stale, and the GARE leads to a new login that satisfies it.
            policy, flow = ha_flow(WAIT)
            control("/_mock/clock/advance", {"seconds": 7200})
            e = api_error(globus_sdk.FlowsAPIError, lambda: flows.get_flow(flow))
            eq((e.http_status, e.code), (403, "AuthenticationPolicyRequired"), "GARE")
            g = gare.to_gare(e)
            assert g is not None, "to_gare"
            app.login(auth_params=g.authorization_parameters)
            eq(MockLoginFlowManager.seen[-1].session_required_policies, [policy], "the login's policies")
            eq(flows.get_flow(flow)["id"], flow, "the flow after the new login")
    finally:
        control("/_mock/token-lifetime", lifetime, method="PUT")


# --- What the mock does not serve ---------------------------------------------------------------

CLIENTS = [globus_sdk.FlowsClient, globus_sdk.SpecificFlowClient, globus_sdk.TransferClient,
           globus_sdk.AuthClient, globus_sdk.ConfidentialAppAuthClient, globus_sdk.GroupsClient]

suite.client_only("builds scope requirements for a GlobusApp; sends no request",
                  "SpecificFlowClient.add_app_transfer_data_access_scope", "TransferClient.add_app_data_access_scope",
                  "ConfidentialAppAuthClient.oauth2_start_flow")


def own_functions(cls):
    """The public functions of a client class that its base client does not have."""
    base = set(dir(globus_sdk.BaseClient))
    return sorted(n for n, v in inspect.getmembers(cls)
                  if not n.startswith("_") and n not in base and callable(v) and not inspect.isclass(v))


def declare_unserved():
    called = {n for _, names, *_ in suite.checks for n in names}
    for cls in CLIENTS:
        for name in own_functions(cls):
            full = f"{cls.__name__}.{name}"
            if full not in called and full not in suite.declared:
                suite.not_served("no such operation in the mock", full)


@check("GlobusAPIError (404 of what is not served)")
def unserved_answer_404():
    # What the mock does not serve answers 404 in the service's own error document.
    e = api_error(globus_sdk.TransferAPIError, lambda: tc.task_list())
    eq(e.http_status, 404, "Transfer")
    e = api_error(globus_sdk.AuthAPIError, lambda: ac.get_scopes())
    eq(e.http_status, 404, "Auth")
    e = api_error(globus_sdk.GroupsAPIError, lambda: globus_sdk.GroupsClient(authorizer=authz("carol")).get_group(RESEARCH_LAB))
    eq(e.http_status, 404, "Groups")


if __name__ == "__main__":
    print(f"globus-sdk {globus_sdk.__version__} from {os.path.dirname(globus_sdk.__file__)}")
    declare_unserved()
    main(suite)
