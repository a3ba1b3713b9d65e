"""Finding, starting and stopping the mock binary."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterable

from ._control import CONTROL_TOKEN_ENV, CONTROL_TOKEN_HEADER

BINARY_ENV = "GLOBUS_MOCK_BINARY"
URL_ENV = "GLOBUS_MOCK_URL"
LOG_LEVEL_ENV = "GLOBUS_MOCK_LOG_LEVEL"
MODULE = "github.com/globus-conformance/kit"

# The first line the binary prints once it listens.
_BANNER = re.compile(r"^mockserver: serving .* at (https?://\S+)\s*$")


class MockStartError(RuntimeError):
    """The mock could not be found, built or started."""


def checkout_root(starts: Iterable[Path]) -> Path | None:
    """The nearest directory at or above one of starts holding a checkout of the kit's Go module."""
    for start in starts:
        for d in [start, *start.parents]:
            gomod = d / "go.mod"
            if (d / "cmd" / "mockserver").is_dir() and gomod.is_file():
                first = gomod.read_text(errors="replace").splitlines()[:1]
                if first and first[0].split()[-1:] == [MODULE]:
                    return d
    return None


def find_binary(starts: Iterable[Path], build_dir: Path) -> str:
    """The mock binary: $GLOBUS_MOCK_BINARY, else mockserver on PATH, else built from a checkout.

    A checkout is built each session (the Go build cache makes that quick), so a test never runs a
    binary older than the source beside it.
    """
    given = os.environ.get(BINARY_ENV)
    if given:
        path = shutil.which(given) or given
        if not os.path.isfile(path):
            raise MockStartError(f"{BINARY_ENV}={given}: no such file")
        return path
    on_path = shutil.which("mockserver")
    if on_path:
        return on_path
    root = checkout_root(starts)
    go = shutil.which("go")
    if root is None or go is None:
        raise MockStartError(
            f"no mock binary: set {BINARY_ENV} to the mockserver binary, put mockserver on PATH, "
            f"run inside a checkout of {MODULE} with Go installed, or set {URL_ENV} to a running mock"
        )
    out = build_dir / ("mockserver.exe" if os.name == "nt" else "mockserver")
    done = subprocess.run(
        [go, "build", "-o", str(out), "./cmd/mockserver"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise MockStartError(f"go build ./cmd/mockserver in {root} failed:\n{done.stderr}")
    return str(out)


def wait_ready(url: str, timeout: float, control_token: str | None = None) -> None:
    """Return once the mock at url answers its control plane, or raise MockStartError."""
    headers = {CONTROL_TOKEN_HEADER: control_token} if control_token else {}
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        req = urllib.request.Request(url.rstrip("/") + "/_mock/clock", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=5):
                return
        except urllib.error.HTTPError as e:
            raise MockStartError(f"the mock at {url} answered its control plane {e.code}") from None
        except OSError as e:  # refused, reset, timed out: not listening yet
            last = e
        time.sleep(0.05)
    raise MockStartError(f"the mock at {url} did not answer within {timeout:g}s ({last})")


class MockProcess:
    """A mock binary serving on a free loopback port until stop()."""

    def __init__(self, binary: str, *, timeout: float = 30.0, args: Iterable[str] = ()):
        self.binary = binary
        self._dir = Path(tempfile.mkdtemp(prefix="globus-mock-"))
        self.log_path = self._dir / "mockserver.log"
        level = os.environ.get(LOG_LEVEL_ENV, "info")
        cmd = [binary, "--addr", "127.0.0.1:0", "--log-level", level, *args]
        self._log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log
            )
        except OSError as e:
            self._log.close()
            raise MockStartError(f"{binary}: {e}") from None
        self.banner: list[str] = []
        first = threading.Event()
        threading.Thread(target=self._read_stdout, args=(first,), daemon=True).start()
        try:
            if not first.wait(timeout) or not self.banner:
                raise MockStartError(f"{binary} printed no address within {timeout:g}s{self._log_tail()}")
            found = _BANNER.match(self.banner[0])
            if not found:
                raise MockStartError(f"{binary} printed {self.banner[0]!r}, not its address{self._log_tail()}")
            self.url = found.group(1)
            wait_ready(self.url, timeout, os.environ.get(CONTROL_TOKEN_ENV) or None)
        except MockStartError:
            self.stop()
            raise

    def _read_stdout(self, first: threading.Event) -> None:
        # Every line is read so that the binary never blocks on a full pipe.
        for line in self.proc.stdout:
            self.banner.append(line.decode(errors="replace").rstrip("\n"))
            first.set()
        first.set()

    def _log_tail(self) -> str:
        self._log.flush()
        tail = self.log_path.read_text(errors="replace").strip().splitlines()[-10:]
        return ":\n" + "\n".join(tail) if tail else ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the mock (SIGTERM: it finishes its requests first), then remove its log."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        shutil.rmtree(self._dir, ignore_errors=True)
