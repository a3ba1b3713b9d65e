"""Test against the Globus conformance kit's mock: a pytest plugin and its control-plane client.

The plugin (registered as the pytest11 entry point ``globus_mock``) gives the fixtures
``globus_mock`` (the session's mock), ``globus_world`` (a world of the test's own) and
``globus_world_factory``; ``Mock`` and ``World`` also work outside pytest.
"""

from ._control import CONTROL_TOKEN_ENV, CONTROL_TOKEN_HEADER, Control, ControlError, Mock, World
from ._server import BINARY_ENV, URL_ENV, MockProcess, MockStartError, find_binary

__all__ = [
    "BINARY_ENV",
    "CONTROL_TOKEN_ENV",
    "CONTROL_TOKEN_HEADER",
    "Control",
    "ControlError",
    "Mock",
    "MockProcess",
    "MockStartError",
    "URL_ENV",
    "World",
    "find_binary",
]
__version__ = "0.1.0"
