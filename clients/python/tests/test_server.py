"""Finding the mock binary: the variable, PATH, and a checkout built with Go."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from globus_mock import MockStartError, find_binary
from globus_mock._server import checkout_root


def executable(path, text="#!/bin/sh\n"):
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def bare_path(tmp_path, monkeypatch):
    """A PATH of an empty directory (and Go's, for the build), GLOBUS_MOCK_BINARY unset."""
    monkeypatch.delenv("GLOBUS_MOCK_BINARY", raising=False)
    bindir = tmp_path / "path"
    bindir.mkdir()
    go = shutil.which("go")
    monkeypatch.setenv("PATH", os.pathsep.join([str(bindir)] + ([os.path.dirname(go)] if go else [])))
    return bindir


def test_this_checkout_is_found_from_below_it():
    root = checkout_root([Path(__file__).resolve().parent])
    assert root is not None and (root / "cmd" / "mockserver" / "main.go").is_file()


def test_a_directory_of_another_module_is_no_checkout(tmp_path):
    (tmp_path / "cmd" / "mockserver").mkdir(parents=True)
    (tmp_path / "go.mod").write_text("module example.org/other\n")
    assert checkout_root([tmp_path]) is None


@pytest.mark.skipif(os.name == "nt", reason="shell scripts stand for binaries")
def test_the_variable_wins_over_path(bare_path, tmp_path, monkeypatch):
    executable(bare_path / "mockserver")
    given = executable(tmp_path / "given")
    monkeypatch.setenv("GLOBUS_MOCK_BINARY", str(given))
    assert find_binary([tmp_path], tmp_path) == str(given)
    monkeypatch.delenv("GLOBUS_MOCK_BINARY")
    assert find_binary([tmp_path], tmp_path) == str(bare_path / "mockserver")


def test_nothing_to_run_says_what_to_set(bare_path, tmp_path):
    with pytest.raises(MockStartError, match="set GLOBUS_MOCK_BINARY"):
        find_binary([tmp_path], tmp_path)


@pytest.mark.skipif(shutil.which("go") is None, reason="Go is not installed")
def test_a_checkout_is_built_with_go(bare_path, tmp_path):
    root = tmp_path / "kit"
    (root / "cmd" / "mockserver").mkdir(parents=True)
    (root / "go.mod").write_text("module github.com/globus-conformance/kit\n\ngo 1.21\n")
    (root / "cmd" / "mockserver" / "main.go").write_text(
        'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("built from the checkout") }\n'
    )
    out = tmp_path / "out"
    out.mkdir()
    binary = find_binary([root / "cmd"], out)
    assert Path(binary).parent == out
    assert subprocess.run([binary], capture_output=True, text=True).stdout == "built from the checkout\n"
