"""What a user of the plugin writes: the official SDK against a world of the test's own."""

import datetime

import globus_mock
import pytest

try:
    import globus_sdk
except ImportError:  # conftest skips the sdk tests
    globus_sdk = None

pytestmark = pytest.mark.sdk

SLEEPY = {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}}
PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def test_a_flow_runs_on_the_world_clock(globus_world):
    fc = globus_sdk.FlowsClient(authorizer=globus_world.authorizer("alice"))
    flow = fc.create_flow("Nap", SLEEPY, {})
    sfc = globus_sdk.SpecificFlowClient(flow["id"], authorizer=globus_world.authorizer("alice"))
    run = sfc.run_flow({}, label="nap")

    globus_world.settle()
    assert fc.get_run(run["run_id"])["status"] == "ACTIVE"
    globus_world.advance(hours=1)
    assert fc.get_run(run["run_id"])["status"] == "SUCCEEDED"

    sent = globus_world.requests(method="POST", path="/flows/*/run")
    assert [(e["method"], e["path"], e["status"]) for e in sent] == [
        ("POST", f"/flows/{flow['id']}/run", 201)
    ]
    assert "python" in sent[0]["client_info"]


def test_the_persona_is_who_the_token_says(globus_world):
    alice = globus_world.identity("alice")
    assert alice["username"] == "alice@example.org"
    ac = globus_sdk.AuthClient(authorizer=globus_world.authorizer("bob"))
    bob = globus_world.identity("bob")
    assert ac.get_identities(ids=[bob["id"]])["identities"][0]["username"] == bob["username"]
    assert bob["id"] != alice["id"]


def _only_flow_titled(world, title):
    fc = globus_sdk.FlowsClient(authorizer=world.authorizer("alice"))
    created = fc.create_flow(title, PASS, {})
    return created["id"], [f["id"] for f in fc.list_flows(filter_roles=["flow_owner"]) if f["title"] == title]


# The two tests below make the same flow: whichever runs second would see the first one's flow
# if their worlds leaked into each other (in one process or across xdist workers).
@pytest.mark.parametrize("n", [1, 2])
def test_a_flow_made_in_one_test_is_not_seen_in_another(globus_world, n):
    made, listed = _only_flow_titled(globus_world, "isolated")
    assert listed == [made]


def test_two_worlds_in_one_test_do_not_share_flows(globus_world_factory):
    one, two = globus_world_factory(), globus_world_factory()
    made, _ = _only_flow_titled(one, "only in one")
    fc = globus_sdk.FlowsClient(authorizer=two.authorizer("alice"))
    assert made not in [f["id"] for f in fc.list_flows()]
    with pytest.raises(globus_sdk.GlobusAPIError) as e:
        fc.get_flow(made)
    assert e.value.http_status == 404


def test_an_injected_fault_is_the_sdks_error(globus_world):
    fc = globus_sdk.FlowsClient(authorizer=globus_world.authorizer("alice"))
    rule = globus_world.inject_fault("listFlows", status=503, times=1)
    assert [f["id"] for f in globus_world.faults()] == [rule["id"]]

    with fc.retry_config.tune(max_retries=0), pytest.raises(globus_sdk.GlobusAPIError) as e:
        fc.list_flows()
    assert (e.value.http_status, e.value.code) == (503, "ServiceUnavailable")
    assert fc.list_flows().http_status == 200  # the rule was for one request
    assert [e["status"] for e in globus_world.requests(path="/flows")] == [503, 200]


def test_a_cleared_fault_is_gone(globus_world):
    fc = globus_sdk.FlowsClient(authorizer=globus_world.authorizer("alice"))
    globus_world.inject_fault(method="GET", path="/flows", status=500)
    globus_world.clear_faults()
    assert globus_world.faults() == []
    assert fc.list_flows().http_status == 200


def test_a_minted_token_has_what_was_asked(globus_world):
    view = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/view_flows"
    token = globus_world.mint_token("bob", scopes=[view], expires_in=60)
    info = globus_world.token_info(token)
    assert (info["identity_id"], info["scopes"]) == (globus_world.identity_id("bob"), [view])

    fc = globus_sdk.FlowsClient(authorizer=globus_sdk.AccessTokenAuthorizer(token))
    assert fc.list_flows().http_status == 200
    globus_world.advance(61)
    with pytest.raises(globus_sdk.GlobusAPIError) as e:
        fc.list_flows()
    assert e.value.http_status == 401


def test_client_credentials_get_tokens_from_the_world(globus_world):
    tokens = globus_world.confidential_client().oauth2_client_credentials_tokens(
        requested_scopes="urn:globus:auth:scope:transfer.api.globus.org:all"
    )
    token = tokens.by_resource_server["transfer.api.globus.org"]["access_token"]
    assert token.startswith(globus_world.id + "-")
    assert globus_world.token_info(token)["identity_id"] == globus_world.client_id


def test_the_clock_freezes_and_follows(globus_world):
    assert globus_world.freeze("2030-01-02T03:04:05Z")["frozen"] is True
    assert globus_world.now().isoformat() == "2030-01-02T03:04:05+00:00"
    globus_world.advance(days=1)
    assert globus_world.now().isoformat() == "2030-01-03T03:04:05+00:00"
    assert globus_world.follow()["frozen"] is False
    wall = datetime.datetime.now(datetime.timezone.utc)
    assert abs(globus_world.now() - wall) < datetime.timedelta(minutes=1)


def test_a_reset_forgets_what_the_test_made(globus_world):
    fc = globus_sdk.FlowsClient(authorizer=globus_world.authorizer("alice"))
    before = [f["id"] for f in fc.list_flows()]
    fc.create_flow("gone after the reset", PASS, {})
    globus_world.reset()
    assert [f["id"] for f in fc.list_flows()] == before


def test_the_services_point_at_the_mock(globus_mock):
    for service in ("flows", "transfer", "auth", "groups", "search", "timer", "compute"):
        assert globus_sdk.config.get_service_url(service) == globus_mock.url


def test_a_refused_control_request_says_why(globus_world):
    with pytest.raises(globus_mock.ControlError) as e:
        globus_world.advance(-5)
    assert (e.value.status, e.value.code) == (422, "UNPROCESSABLE_ENTITY")
    assert "seconds" in str(e.value)


def _small_world(title):
    return {
        "identities": [{"id": "0a11ce00-0000-4000-8000-000000000001", "username": "alice@example.org"}],
        "tokens": [{"token": "tok-alice", "identity_id": "0a11ce00-0000-4000-8000-000000000001", "all_scopes": True}],
        "flows": [{"id": "f1000000-0000-4000-8000-000000000001", "title": title, "definition": PASS,
                   "flow_owner": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"}],
    }


@pytest.mark.globus_world(_small_world("from the marker"))
def test_a_world_from_a_document(globus_world):
    assert globus_world.personas == ["alice"]
    fc = globus_sdk.FlowsClient(authorizer=globus_world.authorizer("alice"))
    assert [f["title"] for f in fc.list_flows()] == ["from the marker"]
