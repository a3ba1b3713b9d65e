"""The mock's control plane over urllib: one world and its test hooks.

Only the standard library is used here, so that the plugin adds no dependency to a test
environment; globus_sdk is imported only by the helpers that return its objects.
"""

from __future__ import annotations

import datetime
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterable, Mapping

CONTROL_TOKEN_ENV = "MOCKSERVER_CONTROL_TOKEN"
CONTROL_TOKEN_HEADER = "X-Mock-Control-Token"


class ControlError(Exception):
    """A control-plane request the mock refused, with its status and Flows-style error."""

    def __init__(self, method: str, url: str, status: int, body: Any):
        self.method, self.url, self.status, self.body = method, url, status, body
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        self.code = error.get("code")
        self.detail = error.get("detail", body)
        super().__init__(f"{method} {url}: {status} {self.code}: {self.detail}")


class Control:
    """HTTP to one control root: /_mock for the default world, /_mock/worlds/<id> for another."""

    def __init__(
        self,
        origin: str,
        root: str = "/_mock",
        *,
        control_token: str | None = None,
        timeout: float = 30.0,
    ):
        self.origin = origin.rstrip("/")
        self.root = "/" + root.strip("/")
        self.control_token = (
            control_token if control_token is not None else os.environ.get(CONTROL_TOKEN_ENV) or None
        )
        self.timeout = timeout

    @property
    def control_url(self) -> str:
        return self.origin + self.root

    def request(
        self,
        method: str,
        path: str = "",
        body: Any = None,
        query: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one control request under this root and return its decoded JSON answer."""
        url = self.control_url + ("/" + path.lstrip("/") if path else "")
        if query:
            pairs = {k: _query_value(v) for k, v in query.items() if v is not None}
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        return self._send(method, url, body)

    def _send(self, method: str, url: str, body: Any, token: str | None = None) -> Any:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        elif self.control_token:
            headers[CONTROL_TOKEN_HEADER] = self.control_token
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return _decode(resp.read())
        except urllib.error.HTTPError as e:
            raise ControlError(method, url, e.code, _decode(e.read())) from None


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _query_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _instant(t: datetime.datetime | str) -> str:
    if isinstance(t, datetime.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=datetime.timezone.utc)
        return t.isoformat()
    return t


class World(Control):
    """One isolated world of a running mock: its personas' tokens, its clients and its control plane.

    Every world shares the mock's origin; its tokens route requests to it, so a client pointed at
    the origin with one of them sees only this world.
    """

    def __init__(
        self,
        origin: str,
        description: Mapping[str, Any],
        *,
        control_token: str | None = None,
        timeout: float = 30.0,
    ):
        super().__init__(
            origin, description["control"], control_token=control_token, timeout=timeout
        )
        self.id: str = description["id"]
        self.tokens: dict[str, str] = dict(description.get("tokens") or {})
        self.clients: list[dict[str, str]] = [dict(c) for c in description.get("clients") or []]
        self._identities: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"<World {self.id} at {self.origin}>"

    @property
    def url(self) -> str:
        """The origin every service of the world is served at (with a trailing slash)."""
        return self.origin + "/"

    # Personas and clients.

    @property
    def personas(self) -> list[str]:
        return sorted(self.tokens)

    def token(self, persona: str) -> str:
        """The persona's access token in this world (it holds every scope the persona may have)."""
        try:
            return self.tokens[persona]
        except KeyError:
            raise KeyError(
                f"no persona {persona!r} in world {self.id} (personas: {', '.join(self.personas)})"
            ) from None

    def authorizer(self, persona: str):
        """A globus_sdk.AccessTokenAuthorizer with the persona's token."""
        import globus_sdk

        return globus_sdk.AccessTokenAuthorizer(self.token(persona))

    def token_info(self, token: str) -> dict[str, Any]:
        """What the mock knows of a token: identity, scopes, audience, expiry, session."""
        return self.request("GET", "tokens/" + urllib.parse.quote(token, safe=""))

    def identity_id(self, persona: str) -> str:
        return self.token_info(self.token(persona))["identity_id"]

    def identity(self, persona: str) -> dict[str, Any]:
        """The persona's Auth identity (id, username, name, email, ...), as Auth answers it."""
        if persona not in self._identities:
            ident = self.identity_id(persona)
            url = self.origin + "/v2/api/identities?" + urllib.parse.urlencode({"ids": ident})
            found = self._send("GET", url, None, token=self.token(persona))["identities"]
            self._identities[persona] = found[0]
        return dict(self._identities[persona])

    @property
    def client_id(self) -> str:
        """The id of the world's confidential client (client credentials)."""
        return self._client()["id"]

    @property
    def client_secret(self) -> str:
        return self._client()["secret"]

    def _client(self) -> dict[str, str]:
        if not self.clients:
            raise LookupError(f"world {self.id} has no confidential client")
        return self.clients[0]

    def confidential_client(self):
        """A globus_sdk.ConfidentialAppAuthClient with the world's client credentials."""
        import globus_sdk

        return globus_sdk.ConfidentialAppAuthClient(self.client_id, self.client_secret)

    def mint_token(
        self,
        persona: str | None = None,
        *,
        identity_id: str | None = None,
        scopes: Iterable[str] | None = None,
        expires_in: float | None = None,
        **fields: Any,
    ) -> str:
        """A new access token for a persona (or identity id), with the given scopes and lifetime."""
        if (persona is None) == (identity_id is None):
            raise TypeError("mint_token needs a persona or an identity_id (one of them)")
        body: dict[str, Any] = {"identity_id": identity_id or self.identity_id(persona)}
        if scopes is not None:
            body["scopes"] = list(scopes)
        if expires_in is not None:
            body["expires_in"] = expires_in
        body.update(fields)
        return self.request("POST", "tokens", body)["token"]

    # The clock and the runs.

    def clock(self) -> dict[str, Any]:
        """{"now": ..., "frozen": ...}: the world clock's reading."""
        return self.request("GET", "clock")

    def now(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.clock()["now"].replace("Z", "+00:00"))

    def advance(
        self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> dict[str, Any]:
        """Move the world clock forward; due Wait states wake and the runs settle first."""
        total = seconds + 60 * minutes + 3600 * hours + 86400 * days
        return self.request("POST", "clock/advance", {"seconds": total})

    def freeze(self, now: datetime.datetime | str | None = None) -> dict[str, Any]:
        """Stop the world clock, at now (a datetime or RFC 3339 text) or at the present reading."""
        return self.request("POST", "clock/freeze", {} if now is None else {"now": _instant(now)})

    def follow(self) -> dict[str, Any]:
        """Put the clock back on wall time (no freeze, no offset)."""
        return self.request("POST", "clock/follow")

    def settle(self) -> None:
        """Return once every run has gone as far as it can without the clock moving."""
        self.request("POST", "settle")

    # Faults.

    def inject_fault(
        self,
        operation: str | None = None,
        *,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Add a fault rule (an OpenAPI operationId, or a method and path pattern); returns it with its id.

        Other rule fields (latency_ms, drop, probability, retry_after) pass through as keywords.
        """
        rule = {"operation": operation, "status": status, "method": method, "path": path, "times": times}
        body = {k: v for k, v in rule.items() if v is not None}
        body.update(fields)
        return self.request("POST", "faults", body)

    def faults(self) -> list[dict[str, Any]]:
        """The fault rules, in the order they apply, with the times each has left."""
        return self.request("GET", "faults")["faults"]

    def remove_fault(self, fault_id: str) -> None:
        self.request("DELETE", "faults/" + urllib.parse.quote(fault_id, safe=""))

    def clear_faults(self) -> None:
        self.request("DELETE", "faults")

    # The request journal.

    def requests(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        client: str | None = None,
        bodies: bool = False,
    ) -> list[dict[str, Any]]:
        """The journal, oldest first: filtered by method, path pattern (`*` one segment, a
        trailing `/**` the rest) and a substring of the client info or user agent."""
        query = {"method": method, "path": path, "client": client, "bodies": bodies or None}
        return self.request("GET", "requests", query=query)["requests"]

    def clear_requests(self) -> None:
        self.request("DELETE", "requests")

    # The whole state.

    def reset(self) -> None:
        """Back to the world's seed (the journal stays; fault rules go)."""
        self.request("POST", "reset")

    def state(self) -> dict[str, Any]:
        """The whole state as a world document."""
        return self.request("GET", "state")

    def load(self, document: Mapping[str, Any]) -> None:
        """Replace the state with a world document."""
        self.request("PUT", "state", dict(document))


class Mock:
    """A running mock: its origin, the default world's control plane and the world factory."""

    def __init__(self, url: str, *, control_token: str | None = None, timeout: float = 30.0):
        self.url = url.rstrip("/") + "/"
        self.origin = url.rstrip("/")
        self.default = Control(self.origin, control_token=control_token, timeout=timeout)

    def __repr__(self) -> str:
        return f"<Mock at {self.origin}>"

    def create_world(self, document: Mapping[str, Any] | None = None) -> World:
        """A new isolated world, of the default world's seed or of a world document."""
        body = None if document is None else dict(document)
        described = self.default.request("POST", "worlds", body)
        return World(
            self.origin,
            described,
            control_token=self.default.control_token,
            timeout=self.default.timeout,
        )

    def delete_world(self, world: World | str) -> None:
        world_id = world.id if isinstance(world, World) else world
        self.default.request("DELETE", "worlds/" + urllib.parse.quote(world_id, safe=""))

    def worlds(self) -> list[dict[str, Any]]:
        return self.default.request("GET", "worlds")["worlds"]

    def service_urls(self) -> dict[str, str]:
        """The GLOBUS_SDK_SERVICE_URL_* variables that send the official clients to the mock."""
        return {f"GLOBUS_SDK_SERVICE_URL_{s}": self.url for s in SERVICES}


# The services whose URLs point at the mock: the four it serves, and Search, Timers (which the CLI
# asks for scopes even when it calls none of them) and Compute, which the mock answers 404, so that
# no test reaches the real Globus by mistake.
SERVICES = ("FLOWS", "TRANSFER", "AUTH", "GROUPS", "SEARCH", "TIMER", "COMPUTE")
