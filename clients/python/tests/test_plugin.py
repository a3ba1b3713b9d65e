"""Whole pytest sessions run with pytester: how the plugin starts, shares and stops the mock."""

import importlib.metadata
import json
import os
import stat
import textwrap
import urllib.error
import urllib.request

import pytest

# The inner sessions record what their tests saw, one JSON line per test.
RECORD = """
import json, os

def record(**seen):
    with open(os.environ["SEEN"], "a") as f:
        f.write(json.dumps(seen) + "\\n")
"""


def seen(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def answers(url):
    """Whether a mock answers at url (its control plane, with the control token if one is set)."""
    headers = {}
    if os.environ.get("MOCKSERVER_CONTROL_TOKEN"):
        headers["X-Mock-Control-Token"] = os.environ["MOCKSERVER_CONTROL_TOKEN"]
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "/_mock/clock", headers=headers), timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture
def inner(pytester, monkeypatch, globus_mock):
    """An inner session of its own mock (GLOBUS_MOCK_URL unset), recording into SEEN."""
    monkeypatch.delenv("GLOBUS_MOCK_URL")
    monkeypatch.setenv("SEEN", str(pytester.path / "seen.jsonl"))
    pytester.makepyfile(record=RECORD)
    return pytester


def test_the_plugin_is_registered_as_a_pytest11_entry_point(pytestconfig):
    points = [e for e in importlib.metadata.entry_points().select(group="pytest11") if e.name == "globus_mock"]
    assert [e.value for e in points] == ["globus_mock.plugin"]
    assert pytestconfig.pluginmanager.has_plugin("globus_mock")


def test_one_mock_per_session_stopped_at_its_end(inner):
    inner.makepyfile(
        test_inner="""
        import os
        from record import record

        def test_one(globus_world):
            record(url=os.environ["GLOBUS_MOCK_URL"], world=globus_world.id,
                   flows=os.environ["GLOBUS_SDK_SERVICE_URL_FLOWS"])

        def test_two(globus_world):
            record(url=os.environ["GLOBUS_MOCK_URL"], world=globus_world.id,
                   flows=os.environ["GLOBUS_SDK_SERVICE_URL_FLOWS"])
        """
    )
    result = inner.runpytest_subprocess()
    result.assert_outcomes(passed=2)
    one, two = seen(inner.path / "seen.jsonl")
    assert one["url"] == two["url"] and one["world"] != two["world"]
    assert one["flows"] == one["url"] + "/"
    assert not answers(one["url"]), "the session's mock still answers after the session"


def test_a_running_mock_given_by_url_is_used_and_left_running(inner, globus_mock, monkeypatch):
    monkeypatch.setenv("GLOBUS_MOCK_URL", globus_mock.origin)
    monkeypatch.setenv("GLOBUS_MOCK_BINARY", "/nonexistent/mockserver")  # not needed, not looked at
    inner.makepyfile(
        test_inner="""
        import os
        from record import record

        def test_it(globus_world_factory):
            record(url=os.environ["GLOBUS_MOCK_URL"], worlds=[globus_world_factory().id for _ in range(2)])
        """
    )
    inner.runpytest_subprocess().assert_outcomes(passed=1)
    [it] = seen(inner.path / "seen.jsonl")
    assert it["url"] == globus_mock.origin
    assert answers(globus_mock.origin)
    live = {w["id"] for w in globus_mock.worlds()}
    assert len(it["worlds"]) == 2 and not live & set(it["worlds"]), "the test's worlds outlived it"


def test_a_world_the_test_deleted_itself_is_no_teardown_error(inner, globus_mock, monkeypatch):
    monkeypatch.setenv("GLOBUS_MOCK_URL", globus_mock.origin)
    inner.makepyfile(
        test_inner="""
        def test_it(globus_mock, globus_world):
            globus_mock.delete_world(globus_world)
        """
    )
    inner.runpytest_subprocess().assert_outcomes(passed=1)


def test_a_world_document_from_a_marker_file(inner, globus_mock, monkeypatch):
    monkeypatch.setenv("GLOBUS_MOCK_URL", globus_mock.origin)
    doc = {
        "identities": [{"id": "0d0d0000-0000-4000-8000-0000000000d1", "username": "dora@example.org"}],
        "tokens": [{"token": "tok-dora", "identity_id": "0d0d0000-0000-4000-8000-0000000000d1", "all_scopes": True}],
    }
    # The file lies beside the test file, which is not where pytest runs.
    sub = inner.mkpydir("sub")
    (sub / "dora.json").write_text(json.dumps(doc))
    (sub / "test_inner.py").write_text(
        textwrap.dedent(
            """
        import pytest
        from record import record

        @pytest.mark.globus_world("dora.json")
        def test_it(globus_world):
            record(personas=globus_world.personas, user=globus_world.identity("dora")["username"])
            """
        )
    )
    inner.runpytest_subprocess().assert_outcomes(passed=1)
    assert seen(inner.path / "seen.jsonl") == [{"personas": ["dora"], "user": "dora@example.org"}]


@pytest.mark.parametrize("args", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_a_missing_binary_fails_the_tests_that_ask_for_the_mock_only(inner, monkeypatch, args):
    if args:
        pytest.importorskip("xdist")
    monkeypatch.setenv("GLOBUS_MOCK_BINARY", "/nonexistent/mockserver")
    inner.makepyfile(
        test_inner="""
        def test_needs_it(globus_world):
            pass

        def test_does_not():
            pass
        """
    )
    result = inner.runpytest_subprocess(*args)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*GLOBUS_MOCK_BINARY=/nonexistent/mockserver: no such file*"])


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands for a broken binary")
def test_a_binary_that_prints_no_address_is_refused(inner, monkeypatch):
    fake = inner.path / "fake-mock"
    fake.write_text("#!/bin/sh\necho 'it broke' >&2\necho 'hello'\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("GLOBUS_MOCK_BINARY", str(fake))
    inner.makepyfile(test_inner="def test_needs_it(globus_mock):\n    pass\n")
    result = inner.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*printed 'hello', not its address*", "*it broke*"])


def test_the_control_token_is_sent(inner, monkeypatch):
    monkeypatch.setenv("MOCKSERVER_CONTROL_TOKEN", "s3cret-control")
    inner.makepyfile(
        test_inner="""
        import os, urllib.error, urllib.request
        from record import record

        def test_it(globus_world):
            globus_world.advance(5)
            try:
                urllib.request.urlopen(os.environ["GLOBUS_MOCK_URL"] + "/_mock/worlds")
                status = 200
            except urllib.error.HTTPError as e:
                status = e.code
            record(without_token=status, clock=globus_world.clock()["frozen"])
        """
    )
    inner.runpytest_subprocess().assert_outcomes(passed=1)
    assert seen(inner.path / "seen.jsonl") == [{"without_token": 401, "clock": False}]


def test_xdist_workers_share_one_mock_and_it_stops_after_them(inner):
    pytest.importorskip("xdist")
    inner.makepyfile(
        test_inner="""
        import os
        import pytest
        from record import record

        @pytest.mark.parametrize("n", range(8))
        def test_it(globus_world, n):
            record(worker=os.environ["PYTEST_XDIST_WORKER"], url=os.environ["GLOBUS_MOCK_URL"],
                   world=globus_world.id)
        """
    )
    inner.runpytest_subprocess("-n", "2").assert_outcomes(passed=8)
    lines = seen(inner.path / "seen.jsonl")
    assert {s["worker"] for s in lines} == {"gw0", "gw1"}
    [url] = {s["url"] for s in lines}
    assert len({s["world"] for s in lines}) == 8
    assert not answers(url), "the mock still answers after the xdist session"
