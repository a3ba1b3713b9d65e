"""The plugin's own tests: examples that use its fixtures, and pytester runs of whole sessions."""

import os

import pytest

pytest_plugins = ["pytester"]

try:
    import globus_sdk  # noqa: F401

    HAVE_SDK = True
except ImportError:
    HAVE_SDK = False


def pytest_collection_modifyitems(config, items):
    # The examples need globus_sdk; where the run promises it (make python-helper), its absence
    # is a failure rather than a skip.
    if HAVE_SDK:
        return
    if os.environ.get("GLOBUS_MOCK_REQUIRE_SDK"):
        raise pytest.UsageError("globus_sdk is not importable (GLOBUS_MOCK_REQUIRE_SDK is set)")
    skip = pytest.mark.skip(reason="globus_sdk is not installed")
    for item in items:
        if "sdk" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config):
    config.addinivalue_line("markers", "sdk: the test drives the official Python SDK")
