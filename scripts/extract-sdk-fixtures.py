#!/usr/bin/env python3
"""Extract the Globus Python SDK's recorded response payloads into one JSON document.

The SDK ships the real services' answers as test fixtures (globus_sdk.testing.data): each module
registers responses (method, path, status, JSON body, sometimes matchers on the request's query
or JSON body). The mock's fidelity test (mockserver/fidelity_test.go) reads this extract, so
`go test` needs no Python.

Usage (from the project root; `make sdk-fixtures` does this):

    PYTHONPATH=../shared/clients/python/src python3 scripts/extract-sdk-fixtures.py \
        > mockserver/testdata/sdk-fixtures.json

An installed globus-sdk is used when one is importable; PYTHONPATH chooses the tree otherwise.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
import pkgutil
import sys
import uuid

SERVICES = ("flows", "transfer", "auth", "groups")


def deterministic_uuids() -> None:
    """Make the modules' generated ids the same at every extraction.

    Some fixture modules build ids with uuid1/uuid4 at import time; without this every refresh
    would rewrite the whole file.
    """
    counter = iter(range(1, 1 << 48))

    def uuid1(*_args, **_kwargs):
        return uuid.UUID(f"00000000-0000-1000-8000-{next(counter):012x}")

    def uuid4():
        return uuid.UUID(f"00000000-0000-4000-8000-{next(counter):012x}")

    uuid.uuid1 = uuid1
    uuid.uuid4 = uuid4


def matcher_of(fn) -> dict:
    """The request a `responses` matcher accepts: its kind and its arguments."""
    kind = fn.__qualname__.split(".")[0]
    values = inspect.getclosurevars(fn).nonlocals
    if kind == "query_param_matcher":
        return {"query": values.get("params_dict") or {}, "strict": values.get("strict_match", True)}
    if kind == "json_params_matcher":
        return {"body": values.get("params"), "strict": values.get("strict_match", True)}
    raise SystemExit(f"unknown matcher {kind}: extend {__file__}")


def main() -> None:
    deterministic_uuids()
    import globus_sdk  # (after the patch: fixture modules import it)

    print(f"globus-sdk {globus_sdk.__version__} from {globus_sdk.__file__}", file=sys.stderr)
    from globus_sdk.testing.models import ResponseList

    fixtures = []
    for service in SERVICES:
        package = importlib.import_module(f"globus_sdk.testing.data.{service}")
        for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if module.name.startswith("_") or module.ispkg:
                continue
            rset = importlib.import_module(f"{package.__name__}.{module.name}").RESPONSES
            for case in rset.cases():
                value = rset.lookup(case)
                responses = value.responses if isinstance(value, ResponseList) else [value]
                for index, r in enumerate(responses):
                    entry = {
                        "service": r.service,
                        "module": module.name,
                        "case": case,
                        "index": index,
                        "method": r.method,
                        "path": r.path if r.path.startswith("/") else "/" + r.path,
                        "status": r.status,
                        "json": r.json,
                        "metadata": r.metadata,
                    }
                    for m in r.match or []:
                        entry.update(matcher_of(m))
                    fixtures.append(entry)
    json.dump(
        {
            "sdk": "globus-sdk",
            "version": importlib.metadata.version("globus-sdk"),
            "fixtures": fixtures,
        },
        sys.stdout,
        indent=1,
        sort_keys=True,
        default=str,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
