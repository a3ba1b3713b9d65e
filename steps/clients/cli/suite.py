"""The official Globus CLI against the mock: every `globus flows`, `globus flows run`, `globus
endpoint permission`, `globus endpoint role`, `globus endpoint show`, `globus collection show`,
`globus get-identities`, `globus session show` and `globus api` command the mock can serve, with
-F json and --jq, authenticated with the default world's client credentials; then a person's
login: `globus login`, `whoami`, `session show`, `session update` curing a GARE, `session
consent` curing a run's ConsentRequired, and `logout`, with a HOME of its own and no client
credentials.

Environment, as steps/clients_test.go sets it: MOCK (the mock's origin), GLOBUS_CLI (the command
that starts the CLI, as a JSON list), GLOBUS_CLI_CLIENT_ID and _SECRET, GLOBUS_SDK_SERVICE_URL_*
pointing at the mock, HOME a temporary directory, RESULTS (where the results go).
"""

import importlib.metadata
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from checks import Suite, main  # noqa: E402

MOCK = os.environ["MOCK"].rstrip("/")
GLOBUS = json.loads(os.environ["GLOBUS_CLI"])
CLIENT = os.environ["GLOBUS_CLI_CLIENT_ID"]
CLIENT_URN = f"urn:globus:auth:identity:{CLIENT}"
ALICE = "0a11ce00-0000-4000-8000-000000000001"
BOB = "0b0b0000-0000-4000-8000-000000000002"
GUEST = "c011ec70-0000-4000-8000-000000000301"
HA_SUBSCRIPTION = "5b5c0000-0000-4000-8000-000000000202"
STANDARD_SUBSCRIPTION = "5b5c0000-0000-4000-8000-000000000201"
PROJECT = "d0c5e000-0000-4000-8000-000000000001"
PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
WAIT = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}
HELLO = {"StartAt": "Hello", "States": {"Hello": {
    "Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
    "Parameters": {"echo_string": "hi"}, "ResultPath": "$.hello", "End": True}}}


def cli_version():
    """The CLI's version without `globus version`, which asks PyPI for the latest."""
    try:
        return importlib.metadata.version("globus-cli")
    except importlib.metadata.PackageNotFoundError:
        # An installed CLI in an interpreter of its own: ask that interpreter.
        with open(GLOBUS[-1]) as f:
            interpreter = f.readline()[2:].strip().split()
        out = subprocess.run(interpreter + ["-c", "import importlib.metadata as m; print(m.version('globus-cli'))"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()


class Failed(Exception):
    def __init__(self, args, proc):
        super().__init__(f"`globus {' '.join(args)}` exited {proc.returncode}: {(proc.stderr or proc.stdout).strip()[:600]}")
        self.proc = proc


def run(*args, code=0, env=None):
    """Runs the CLI (in env, else the suite's environment); the exit code must be code. Answers
    what it printed (an error goes to stderr), parsed when it is JSON."""
    proc = subprocess.run(GLOBUS + list(args), capture_output=True, text=True, timeout=120, env=env)
    return printed(args, proc, code)


def printed(args, proc, code):
    """What a finished CLI command printed, parsed when it is JSON; its exit code must be code."""
    if proc.returncode != code:
        raise Failed(args, proc)
    if "Traceback" in proc.stderr:
        raise AssertionError(f"`globus {' '.join(args)}` printed a traceback: {proc.stderr[-600:]}")
    for out in (proc.stdout, proc.stderr):
        try:
            return json.loads(out)
        except ValueError:
            pass
    return proc.stdout + proc.stderr


def js(value):
    return json.dumps(value)


def http(method, path, body=None, token="tok-alice"):
    """A request to the mock as a persona (tok-) or to its control plane (no token)."""
    headers = {"Content-Type": "application/json"}
    if token and not path.startswith("/_mock/"):
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(MOCK + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def settle():
    http("POST", "/_mock/settle")


def flows_code(doc):
    """The code of a Flows error document, else the whole output (so a failure shows it)."""
    if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        return doc["error"].get("code")
    return doc


def eq(got, want, what=""):
    assert got == want, f"{what}: got {got!r}, want {want!r}"


suite = Suite("globus-cli", cli_version())
check = suite.check
state = {}

# --- globus flows ------------------------------------------------------------------------------


@check("globus flows validate")
def flows_validate():
    eq(run("flows", "validate", js(PASS), "-F", "json"), {"scopes": {}}, "scopes")
    scopes = run("flows", "validate", js(HELLO), "-F", "json", "--jq", "scopes.User")
    assert any("hello_world" in s for s in scopes), scopes


@check("globus flows create")
def flows_create():
    flow = run("flows", "create", "From the CLI", js(WAIT), "--input-schema", js({"type": "object"}),
               "--subtitle", "sub", "--keyword", "cli", "--viewer", f"urn:globus:auth:identity:{BOB}", "-F", "json")
    eq((flow["title"], flow["subtitle"], flow["keywords"]), ("From the CLI", "sub", ["cli"]), "flow")
    eq(flow["flow_owner"], CLIENT_URN, "the client owns what it creates")
    eq(flow["flow_viewers"], [f"urn:globus:auth:identity:{BOB}"], "viewers")
    state["flow"] = flow["id"]


@check("globus flows show")
def flows_show():
    eq(run("flows", "show", state["flow"], "-F", "json", "--jq", "definition"), WAIT, "definition")
    text = run("flows", "show", state["flow"])
    assert "From the CLI" in text and state["flow"] in text, text


@check("globus flows list")
def flows_list():
    eq(run("flows", "list", "--filter-role", "flow_owner", "-F", "json", "--jq", "flows[].id"), [state["flow"]], "ids")
    for i in range(3):
        run("flows", "create", f"Page {i}", js(PASS), "-F", "json")
    titles = run("flows", "list", "--orderby", "title:ASC", "--limit", "3", "-F", "json", "--jq", "flows[].title")
    eq(titles, ["From the CLI", "Page 0", "Page 1"], "first three by title")


@check("globus flows update")
def flows_update():
    flow = run("flows", "update", state["flow"], "--title", "Renamed", "--description", "d", "-F", "json")
    eq((flow["title"], flow["description"], flow["subtitle"]), ("Renamed", "d", "sub"), "updated")


@check("globus flows start")
def flows_start():
    run_doc = run("flows", "start", state["flow"], "--input", js({"x": 1}), "--label", "cli run", "--tag", "a",
                  "--tag", "b", "--monitor", f"urn:globus:auth:identity:{BOB}", "-F", "json")
    eq((run_doc["status"], run_doc["label"], run_doc["tags"]), ("ACTIVE", "cli run", ["a", "b"]), "run")
    eq(run_doc["run_monitors"], [f"urn:globus:auth:identity:{BOB}"], "monitors")
    state["run"] = run_doc["run_id"]
    settle()


@check("globus flows run list")
def run_list():
    eq(run("flows", "run", "list", "-F", "json", "--jq", "runs[].run_id"), [state["run"]], "runs")
    eq(run("flows", "run", "list", "--filter-flow-id", state["flow"], "-F", "json", "--jq", "runs[].label"),
       ["cli run"], "by flow")


@check("globus flows run show")
def run_show():
    doc = run("flows", "run", "show", state["run"], "-F", "json")
    eq((doc["status"], doc["details"]["code"]), ("ACTIVE", "WaitStarted"), "run")
    text = run("flows", "run", "show", state["run"])
    assert "cli run" in text, text


@check("globus flows run update")
def run_update():
    doc = run("flows", "run", "update", state["run"], "--label", "renamed", "--tags", "x,y", "-F", "json")
    eq((doc["label"], doc["tags"]), ("renamed", ["x", "y"]), "run")


@check("globus flows run show-logs")
def run_show_logs():
    eq(run("flows", "run", "show-logs", state["run"], "-F", "json", "--jq", "entries[].code"),
       ["FlowStarted", "WaitStarted"], "log")
    eq(run("flows", "run", "show-logs", state["run"], "--reverse", "--limit", "1", "-F", "json", "--jq", "entries[].code"),
       ["WaitStarted"], "the last entry")


@check("globus flows run show-definition")
def run_show_definition():
    eq(run("flows", "run", "show-definition", state["run"], "-F", "json", "--jq", "definition"), WAIT, "definition")


@check("globus flows run cancel")
def run_cancel():
    doc = run("flows", "run", "cancel", state["run"], "-F", "json")
    eq((doc["status"], doc["details"]["code"]), ("FAILED", "FlowCanceled"), "canceled")


@check("globus flows run delete")
def run_delete():
    eq(run("flows", "run", "delete", state["run"], "-F", "json", "--jq", "run_id"), state["run"], "released")




@check("globus flows run show (404)")
def run_show_gone():
    # On an error about a run the CLI looks its flow up in Globus Search, with a Search token.
    e = run("flows", "run", "show", state["run"], "-F", "json", code=1)
    eq(flows_code(e), "NOT_FOUND", "gone")


@check("globus flows run resume")
def run_resume():
    # The client's token for the flow does not hold the Hello World provider's scope: the run waits
    # for consent, and resume asks again.
    flow = run("flows", "create", "Hello", js(HELLO), "-F", "json", "--jq", "id")
    run_id = run("flows", "start", flow, "-F", "json", "--jq", "run_id")
    settle()
    eq(run("flows", "run", "show", run_id, "-F", "json", "--jq", "details.code"), "ConsentRequired", "waiting")
    doc = run("flows", "run", "resume", run_id, "--skip-inactive-reason-check", "-F", "json")
    eq(doc["run_id"], run_id, "resumed")
    state["inactive"] = run_id


@check("globus flows run resume (consent check)")
def run_resume_consents():
    # The CLI reads the consent forest and, finding no consent to the required scope, says how
    # to give it.
    required = run("flows", "run", "show", state["inactive"], "-F", "json", "--jq", "details.required_scope")
    e = run("flows", "run", "resume", state["inactive"], "-F", "json", code=4)
    assert "globus session consent" in e and required in e, e


@check("globus flows delete")
def flows_delete():
    eq(run("flows", "delete", state["flow"], "-F", "json", "--jq", "DELETED"), True, "deleted")
    e = run("flows", "show", state["flow"], "-F", "json", code=1)
    eq(flows_code(e), "NOT_FOUND", "gone")


@check("globus flows registered-api list", "globus flows registered-api show")
def registered_apis():
    made = http("POST", "/registered_apis", {
        "name": "For the client", "description": "", "subscription_id": STANDARD_SUBSCRIPTION,
        "roles": {"viewers": [CLIENT_URN]},
        "target": {"type": "openapi", "openapi_version": "3.1",
                   "destination": {"method": "get", "url": "https://api.example.org/x"}, "specification": {}}})
    listed = run("flows", "registered-api", "list", "--filter-role", "viewer", "-F", "json", "--jq", "registered_apis[].id")
    eq(listed, [made["id"]], "listed")
    doc = run("flows", "registered-api", "show", made["id"], "-F", "json")
    eq((doc["name"], doc["target"]["destination"]["url"]), ("For the client", "https://api.example.org/x"), "shown")


@check("globus flows show (GARE)")
def flows_gare():
    # A high-assurance flow whose policy admits example.org identities only: the client is a
    # viewer, but its session cannot satisfy the policy.
    policy = http("POST", "/v2/api/policies", {"policy": {
        "project_id": PROJECT, "display_name": "HA", "description": "", "high_assurance": True,
        "domain_constraints_include": ["example.org"]}})["policy"]["id"]
    http("POST", "/_mock/tokens/tok-alice/authentications", {"identity_id": ALICE})
    flow = http("POST", "/flows", {"title": "HA", "definition": PASS, "subscription_id": HA_SUBSCRIPTION,
                                   "authentication_policy_id": policy, "flow_viewers": [CLIENT_URN]})
    text = run("flows", "show", flow["id"], code=4)
    assert f"globus session update --policy '{policy}'" in text, text
    doc = run("flows", "show", flow["id"], "-F", "json", code=1)
    eq((doc["code"], doc["authorization_parameters"]["session_required_policies"]),
       ("AuthenticationPolicyRequired", [policy]), "the GARE as JSON")


# --- globus endpoint and collection --------------------------------------------------------------


def administered_guest():
    """The default world's guest collection of the CLI's client (README, the default world)."""
    return "c011ec70-0000-4000-8000-000000000304"


@check("globus endpoint permission create", "globus endpoint permission show", "globus endpoint permission list",
       "globus endpoint permission update", "globus endpoint permission delete")
def endpoint_permissions():
    col = administered_guest()
    made = run("endpoint", "permission", "create", f"{col}:/cli/", "--identity", "bob@example.org",
               "--permissions", "r", "-F", "json")
    eq(made["code"], "Created", "created")
    rule = made["access_id"]
    shown = run("endpoint", "permission", "show", col, rule, "-F", "json")
    eq((shown["path"], shown["permissions"], shown["principal"]), ("/cli/", "r", BOB), "shown")
    text = run("endpoint", "permission", "show", col, rule)
    assert "bob@example.org" in text, text  # the principal resolved through Auth
    listed = run("endpoint", "permission", "list", col, "-F", "json", "--jq", "DATA[].id")
    assert rule in listed, listed
    eq(run("endpoint", "permission", "update", col, rule, "--permissions", "rw", "-F", "json", "--jq", "code"),
       "Updated", "updated")
    eq(run("endpoint", "permission", "delete", col, rule, "-F", "json", "--jq", "code"), "Deleted", "deleted")
    e = run("endpoint", "permission", "show", col, rule, "-F", "json", code=1)
    eq(e["code"], "AccessRuleNotFound", "gone")


@check("globus endpoint role create", "globus endpoint role show", "globus endpoint role list",
       "globus endpoint role delete")
def endpoint_roles():
    col = administered_guest()
    made = run("endpoint", "role", "create", col, "--identity", "bob@example.org", "--role", "activity_monitor",
               "-F", "json")
    role = made["id"]
    eq(run("endpoint", "role", "show", col, role, "-F", "json", "--jq", "role"), "activity_monitor", "shown")
    listed = run("endpoint", "role", "list", col, "-F", "json", "--jq", "DATA[].principal")
    assert BOB in listed, listed
    eq(run("endpoint", "role", "delete", col, role, "-F", "json", "--jq", "code"), "Deleted", "deleted")


@check("globus endpoint show")
def endpoint_show():
    laptop = http("POST", "/_mock/collections", {"display_name": "Laptop", "entity_type": "GCP_mapped_collection",
                                                 "owner_id": CLIENT})
    doc = run("endpoint", "show", laptop["id"], "-F", "json")
    eq((doc["display_name"], doc["entity_type"]), ("Laptop", "GCP_mapped_collection"), "endpoint")
    text = run("endpoint", "show", laptop["id"])
    assert "Laptop" in text, text


@check("globus endpoint show (collection)")
def endpoint_show_collection():
    # A GCSv5 collection is not an endpoint: the CLI says which command to use.
    text = run("endpoint", "show", GUEST, code=3)
    assert "globus gcs collection show" in text, text


suite.not_served("it calls a collection's GCS Manager API, which the mock does not serve", "globus api gcs")


@check("globus collection show", not_served="it reads the collection from the GCS Manager API, which the mock does not serve")
def collection_show():
    run("collection", "show", GUEST, "-F", "json", code=1)


# --- identities, session, api ---------------------------------------------------------------------


@check("globus get-identities")
def get_identities():
    ids = run("get-identities", "alice@example.org", BOB, "-F", "json", "--jq", "identities[].[username, id]")
    eq(sorted(map(tuple, ids)), [("alice@example.org", ALICE), ("bob@example.org", BOB)], "identities")
    text = run("get-identities", "alice@example.org")
    eq(text.strip(), ALICE, "text output is the id")


@check("globus session show")
def session_show():
    doc = run("session", "show", "-F", "json")
    eq(list(doc["authentications"]), [CLIENT], "the client's authentication")
    assert doc["session_id"], doc


@check("globus api flows")
def api_flows():
    made = run("api", "flows", "POST", "/flows", "--body", js({"title": "Raw", "definition": PASS}), "-F", "json")
    eq(made["title"], "Raw", "created")
    eq(run("api", "flows", "GET", f"/flows/{made['id']}", "--jq", "title"), "Raw", "read")
    listed = run("api", "flows", "GET", "/flows", "--query-param", "filter_roles=flow_owner", "--jq", "flows[].id")
    assert made["id"] in listed, listed
    run("api", "flows", "DELETE", f"/flows/{made['id']}")
    e = run("api", "flows", "GET", f"/flows/{made['id']}", code=1)
    assert "NOT_FOUND" in e, e


@check("globus api transfer")
def api_transfer():
    eq(run("api", "transfer", "GET", f"/endpoint/{GUEST}", "--jq", "display_name"), "Alice's Shared Data", "endpoint")
    e = run("api", "transfer", "GET", f"/endpoint/{GUEST}/access_list", code=1)
    assert "PermissionDenied" in e, e


@check("globus api auth")
def api_auth():
    ids = run("api", "auth", "GET", "/v2/api/identities", "--query-param", "usernames=bob@example.org",
              "--jq", "identities[].id")
    eq(ids, [BOB], "identities")


@check("globus api groups")
def api_groups():
    eq(run("api", "groups", "GET", "/v2/groups/my_groups"), [], "the client is in no group")


@check("globus api search", not_served="no Search API: the mock answers 404")
def api_search():
    e = run("api", "search", "GET", "/v1/index_list", code=1)
    assert "Search API Error" in e and "404" in e, e


@check("globus api timers", not_served="no Timers API: the mock answers 404")
def api_timers():
    e = run("api", "timers", "GET", "/v2/timer", code=1)
    assert "404" in e and "No operation" in e, e


# --- a user's login: globus login, whoami, session update and consent, logout --------------------
#
# A person logs in: HOME a directory of its own and no client credentials, so the CLI registers
# an instance of its template client and asks for a login. The suite plays the person: it reads
# the authorize URL the CLI prints, tells the control plane who logs in, follows the URL to the
# auth-code page and types the code it shows.

USER_HOME = os.path.join(os.environ["HOME"], "user")
os.makedirs(USER_HOME, exist_ok=True)
USER_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GLOBUS_CLI_CLIENT_")} | {"HOME": USER_HOME}
STORAGE = os.path.join(USER_HOME, ".globus", "cli", "storage.db")
AUTH_CODE = re.compile(r'<pre class="auth-code">([^<]+)</pre>')
FLOWS_RS = "flows.globus.org"


def user(*args, code=0):
    """Runs the CLI as the person who logs in."""
    return run(*args, code=code, env=USER_ENV)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The person's browser: it keeps the login server's session cookie from one login to the next,
# so that later logins join the session, and shows where a redirect goes instead of following it.
BROWSER = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))


def auth_code(url):
    """Follows an authorize URL in the person's browser: the login the control plane decided
    sends it to the auth-code page, whose code it answers."""
    try:
        BROWSER.open(url)
        raise AssertionError(f"the authorize page did not redirect: {url}")
    except urllib.error.HTTPError as e:
        eq(e.code, 302, "the decided login redirects")
        to = e.headers["Location"]
    eq(to.split("?")[0], MOCK + "/v2/web/auth-code", "sent to the auth-code page")
    with BROWSER.open(to) as r:
        page = r.read().decode()
    found = AUTH_CODE.search(page)
    assert found, f"no code on the auth-code page: {page[:400]}"
    eq(found.group(1), urllib.parse.parse_qs(urllib.parse.urlparse(to).query)["code"][0], "the page shows the code")
    return found.group(1)


def log_in(*args, who, code=0):
    """Runs a CLI login command with --no-local-server as a person would, the control plane
    deciding the login (who: persona or identity_id, mfa). Answers the authorize URL's query
    and what the CLI printed."""
    args = list(args) + ["--no-local-server"]
    proc = subprocess.Popen(GLOBUS + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=USER_ENV)
    url = None
    for line in proc.stdout:
        if line.startswith(MOCK + "/v2/oauth2/authorize?"):
            url = line.strip()
            break
    if url is None:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"`globus {' '.join(args)}` printed no authorize URL: {(out + err)[:600]}")
    http("POST", "/_mock/logins", who)
    out, err = proc.communicate(auth_code(url) + "\n", timeout=120)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    return query, printed(args, subprocess.CompletedProcess(args, proc.returncode, out, err), code)


def stored():
    """What the CLI keeps under HOME: its tokens by resource server and its configuration."""
    with sqlite3.connect(STORAGE) as db:
        tokens = {rs: json.loads(doc) for rs, doc in db.execute("SELECT resource_server, token_data_json FROM token_storage")}
        config = {name: json.loads(doc) for name, doc in db.execute("SELECT config_name, config_data_json FROM config_storage")}
    return tokens, config


def status(path, token=None):
    """The status of a GET to the mock."""
    try:
        http("GET", path, token=token)
        return 200
    except urllib.error.HTTPError as e:
        return e.code


def consented_under(scope):
    """The scopes alice has consented to under a scope she consented to (the consents API)."""
    consents = http("GET", f"/v2/api/identities/{ALICE}/consents")["consents"]
    parents = {c["id"] for c in consents if c["scope_name"] == scope and len(c["dependency_path"]) == 1}
    return [c["scope_name"] for c in consents if len(c["dependency_path"]) == 2 and c["dependency_path"][0] in parents]


def journal(method, path):
    """The requests the mock's journal holds for a method and a path pattern (the suite clears
    it before what it looks for, as it keeps only the last 1000)."""
    return http("GET", "/_mock/requests?" + urllib.parse.urlencode({"method": method, "path": path}))["requests"]


@check("globus login")
def user_login():
    http("DELETE", "/_mock/requests")
    query, out = log_in("login", who={"persona": "alice"})
    assert "You have successfully logged in to the Globus CLI!" in out, out
    eq([r["status"] for r in journal("POST", "/v2/api/clients")], [200], "the CLI registered its instance client first")
    tokens, config = stored()
    client = config["auth_client_data"]["client_id"]
    eq(query["client_id"], [client], "the login is the instance client's")
    eq(query["redirect_uri"], [MOCK + "/v2/web/auth-code"], "the code goes to the auth-code page")
    eq(config["auth_user_data"]["sub"], ALICE, "the CLI knows whom it logged in")
    for rs in ("auth.globus.org", "transfer.api.globus.org", "groups.api.globus.org", FLOWS_RS):
        assert tokens.get(rs, {}).get("refresh_token"), f"no refresh token for {rs}: {sorted(tokens)}"
    held = http("GET", f"/_mock/tokens/{tokens[FLOWS_RS]['access_token']}")
    eq((held["identity_id"], held["client_id"], held["active"]), (ALICE, client, True), "the mock's Flows token")
    state["user_session"] = held["session_id"]


@check("globus whoami")
def user_whoami():
    eq(user("whoami").strip(), "alice@example.org", "text output is the username")
    doc = user("whoami", "-F", "json")
    eq((doc["sub"], doc["preferred_username"], doc["name"]), (ALICE, "alice@example.org", "Alice Archer"), "the ID claims")
    eq([i["sub"] for i in doc["identity_set"]], [ALICE], "the identity set")
    assert "alice@example.org" in user("whoami", "--linked-identities"), "linked identities"


@check("globus session show (user)")
def user_session_show():
    doc = user("session", "show", "-F", "json")
    eq((doc["session_id"], list(doc["authentications"])), (state["user_session"], [ALICE]), "alice's session")
    eq(doc["authentications"][ALICE]["amr"], None, "no MFA yet")
    assert "alice@example.org" in user("session", "show"), "the text table names alice"


@check("globus session update", "globus flows show (GARE cured)")
def user_session_update():
    # A high-assurance flow of alice's whose policy wants MFA within ten minutes: her login
    # had none.
    policy = http("POST", "/v2/api/policies", {"policy": {
        "project_id": PROJECT, "display_name": "MFA", "description": "", "high_assurance": True,
        "required_mfa": True, "authentication_assurance_timeout": 600}})["policy"]["id"]
    # Its owner makes it from a session that satisfies it (her persona token's).
    http("POST", "/_mock/tokens/tok-alice/authentications", {"identity_id": ALICE, "mfa": True})
    flow = http("POST", "/flows", {"title": "Needs MFA", "definition": PASS, "subscription_id": HA_SUBSCRIPTION,
                                   "authentication_policy_id": policy})["id"]
    text = user("flows", "show", flow, code=4)
    assert f"globus session update --policy '{policy}'" in text, text
    query, out = log_in("session", "update", "--policy", policy, who={"persona": "alice", "mfa": True})
    eq(query["session_required_policies"], [policy], "the login asks for the policy")
    assert "You have successfully updated your CLI session." in out, out
    eq(user("flows", "show", flow, "-F", "json", "--jq", "title"), "Needs MFA", "shown once the session holds MFA")
    eq(user("session", "show", "-F", "json", "--jq", f'authentications."{ALICE}".amr'), ["mfa"], "the session")
    held = http("GET", f"/_mock/tokens/{stored()[0][FLOWS_RS]['access_token']}")
    eq((held["session_id"], [a["mfa"] for a in held["authentications"]]), (state["user_session"], [True]),
       "the login joined the session with MFA")
    http("POST", "/_mock/clock/advance", {"seconds": 601})
    text = user("flows", "show", flow, code=4)
    assert f"globus session update --policy '{policy}'" in text, text


@check("globus login --flow", "globus session consent", "globus flows run resume (after consent)")
def user_session_consent():
    flow = http("POST", "/flows", {"title": "Hello for alice", "definition": HELLO})
    text = user("flows", "start", flow["id"], code=4)
    assert f"globus login --flow {flow['id']}" in text, text
    log_in("login", "--flow", flow["id"], who={"persona": "alice"})
    run_id = user("flows", "start", flow["id"], "-F", "json", "--jq", "run_id")
    settle()
    doc = user("flows", "run", "show", run_id, "-F", "json")
    eq((doc["status"], doc["details"]["code"]), ("INACTIVE", "ConsentRequired"), "waiting for consent")
    required = doc["details"]["required_scope"]
    eq(required.split("[")[0], flow["globus_auth_scope"], "the flow's scope with the action's under it")
    action_scope = required.split("[")[1].rstrip("]")
    eq(consented_under(flow["globus_auth_scope"]), [], "no consent under the flow's scope yet")
    text = user("flows", "run", "resume", run_id, code=4)
    assert "missing a necessary consent" in text and f"globus session consent '{required}'" in text, text
    query, out = log_in("session", "consent", required, who={"persona": "alice"})
    assert required in query["scope"][0].split(" "), query["scope"]
    eq(consented_under(flow["globus_auth_scope"]), [action_scope], "the mock holds the consent")
    resumed = user("flows", "run", "resume", run_id, "-F", "json")
    eq(resumed["run_id"], run_id, "resumed")
    settle()
    eq(user("flows", "run", "show", run_id, "-F", "json", "--jq", "status"), "SUCCEEDED", "the run went on")


@check("globus logout")
def user_logout():
    # The CLI revokes each access and refresh token it holds with its template client's id, and
    # keeps its instance client.
    tokens, _ = stored()
    flows_token = tokens[FLOWS_RS]["access_token"]
    http("DELETE", "/_mock/requests")
    out = user("logout", "--yes")
    assert "You are now successfully logged out" in out, out
    revocations = journal("POST", "/v2/oauth2/token/revoke")
    eq(len(revocations), 2 * len(tokens), "one revocation per access and refresh token")
    assert all(r["status"] == 200 and "native client" in r["user_agent"] for r in revocations), revocations
    eq(status(f"/_mock/tokens/{flows_token}"), 404, "the mock holds the token no more")
    eq(status("/flows", token=flows_token), 401, "Flows refuses the token the CLI held")
    eq(stored()[0], {}, "no tokens left under HOME")
    assert "globus login" in user("whoami", code=4), "logged out"


if __name__ == "__main__":
    print(f"globus-cli {suite.version}: {' '.join(GLOBUS)}")
    main(suite)
