"""The pytest plugin: one mock per test session, a world of its own per test.

Under pytest-xdist the controller starts the mock once, before its workers, and hands them its URL,
so every worker shares one mock (each test still gets its own world) and the mock lives until the
last worker is done. Without xdist the session fixture starts it the first time a test asks.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import pytest

from ._control import ControlError, Mock, World
from ._server import URL_ENV, MockProcess, MockStartError, find_binary, wait_ready

START_TIMEOUT_ENV = "GLOBUS_MOCK_START_TIMEOUT"
_WORKER_URL = "globus_mock_url"
_WORKER_ERROR = "globus_mock_error"


class _Started:
    """The mock this process started (if any), and what to remove when it stops."""

    def __init__(self) -> None:
        self.process: MockProcess | None = None
        self.error: str | None = None
        self.build_dir: str | None = None

    def start(self, config: pytest.Config) -> MockProcess:
        if self.process is None:
            self.build_dir = tempfile.mkdtemp(prefix="globus-mock-build-")
            starts = [Path(str(config.rootpath)), Path.cwd()]
            binary = find_binary(starts, Path(self.build_dir))
            self.process = MockProcess(binary, timeout=_start_timeout())
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        if self.build_dir is not None:
            shutil.rmtree(self.build_dir, ignore_errors=True)
            self.build_dir = None


_STARTED = pytest.StashKey[_Started]()


def _start_timeout() -> float:
    return float(os.environ.get(START_TIMEOUT_ENV) or 30)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "globus_world(document): the globus_world fixture's world is made of this world document "
        "(a dict, JSON text, or the path of a JSON file) instead of the default world's seed",
    )
    config.stash[_STARTED] = _Started()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the controller: the workers share the mock it starts once."""
    started = node.config.stash[_STARTED]
    url = os.environ.get(URL_ENV)
    if not url and started.error is None:  # a restarted worker gets the same mock
        try:
            url = started.start(node.config).url
        except MockStartError as e:  # told when a test asks for the mock, not for every run
            started.error = str(e)
    if url:
        node.workerinput[_WORKER_URL] = url
    else:
        node.workerinput[_WORKER_ERROR] = started.error


def pytest_unconfigure(config: pytest.Config) -> None:
    config.stash[_STARTED].stop()


@pytest.fixture(scope="session")
def globus_mock(pytestconfig: pytest.Config) -> Iterator[Mock]:
    """The session's mock, with GLOBUS_SDK_SERVICE_URL_* (and GLOBUS_MOCK_URL) pointing at it.

    The mock is $GLOBUS_MOCK_URL when set, else the one the xdist controller started, else one
    started now and stopped when the session ends.
    """
    workerinput = getattr(pytestconfig, "workerinput", None)
    url = os.environ.get(URL_ENV)
    try:
        if workerinput is not None and _WORKER_ERROR in workerinput:
            raise MockStartError(workerinput[_WORKER_ERROR])
        if workerinput is not None and _WORKER_URL in workerinput:
            url = workerinput[_WORKER_URL]
        if url:
            wait_ready(url, _start_timeout(), Mock(url).default.control_token)
        else:
            url = pytestconfig.stash[_STARTED].start(pytestconfig).url
    except MockStartError as e:
        pytest.fail(f"globus_mock: {e}", pytrace=False)
    mock = Mock(url)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in mock.service_urls().items():
            mp.setenv(name, value)
        mp.setenv(URL_ENV, mock.origin)
        yield mock
    pytestconfig.stash[_STARTED].stop()


def _document(value: Any, base: Path) -> Mapping[str, Any]:
    """A world document from a dict, JSON text or a JSON file's path (relative: to base, the
    directory of the test file that names it, so the test runs from any directory)."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, os.PathLike) or (isinstance(value, str) and not value.lstrip().startswith("{")):
        return json.loads((base / value).read_text())
    return json.loads(value)


@pytest.fixture
def globus_world_factory(
    request: pytest.FixtureRequest, globus_mock: Mock
) -> Iterator[Callable[..., World]]:
    """make(document=None) -> World: as many fresh worlds as a test needs, deleted after it."""
    made: list[World] = []
    base = Path(str(request.path)).parent

    def make(document: Any = None) -> World:
        world = globus_mock.create_world(None if document is None else _document(document, base))
        made.append(world)
        return world

    yield make
    for world in made:
        try:
            globus_mock.delete_world(world)
        except ControlError as e:
            if e.status != 404:  # the test deleted it itself
                raise


@pytest.fixture
def globus_world(request: pytest.FixtureRequest, globus_world_factory: Callable[..., World]) -> World:
    """A world of the test's own: the default seed, or @pytest.mark.globus_world(document)."""
    marker = request.node.get_closest_marker("globus_world")
    document = None
    if marker is not None:
        document = marker.args[0] if marker.args else marker.kwargs.get("document")
    return globus_world_factory(document)
