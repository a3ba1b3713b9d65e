"""The check runner of the Python SDK and CLI suites.

A check is a function that names the client functions or commands it exercises. A check that
is expected to fail names the reason and a text its error must contain: if it passes, or fails
for another reason, the suite fails, so the mark goes as soon as the fix lands. The results (one
row per function or command) go to the file named by RESULTS, which the compatibility matrix in
the README is rendered from.
"""

import json
import os
import sys
import traceback

WORKS, FAILS, NOT_SERVED, CLIENT_ONLY = "works", "fails", "not served", "client only"


class Suite:
    def __init__(self, client, version):
        self.client, self.version = client, version
        self.checks = []
        self.declared = {}  # name -> (status, reason) for what no check calls

    def check(self, *names, xfail=None, expect=None, not_served=None):
        """Registers a check exercising names; xfail is the reason it fails for now, and
        expect a text its error shows. A not_served check passes when the client meets the
        mock's refusal of what it does not serve (the reason says what)."""
        assert names, "a check names what it exercises"
        assert (xfail is None) == (expect is None), "an expected failure says what it expects"

        def register(fn):
            self.checks.append((fn.__name__, names, fn, xfail, expect, not_served))
            return fn

        return register

    def not_served(self, why, *names):
        for name in names:
            self.declared[name] = (NOT_SERVED, why)

    def client_only(self, why, *names):
        for name in names:
            self.declared[name] = (CLIENT_ONLY, why)

    def run(self):
        rows, failed = {}, 0
        for label, names, fn, xfail, expect, not_served in self.checks:
            passed = (NOT_SERVED, not_served) if not_served else (WORKS, "")
            try:
                fn()
                error = None
            except Exception as e:  # the check's failure, whatever it is
                error = f"{type(e).__name__}: {e}"
                detail = traceback.format_exc(limit=-3)
            if xfail is None and error is None:
                print(f"ok    {label}")
                status = passed
            elif xfail is None:
                failed += 1
                print(f"FAIL  {label}\n      {detail}")
                status = (FAILS, error.splitlines()[0][:200])
            elif error is None:
                failed += 1
                print(f"FAIL  {label}: expected to fail ({xfail}) but it passes: remove the mark")
                status = passed
            elif expect not in error:
                failed += 1
                print(f"FAIL  {label}: expected to fail with {expect!r} ({xfail}), got\n      {detail}")
                status = (FAILS, error.splitlines()[0][:200])
            else:
                print(f"xfail {label}: {xfail}")
                status = (FAILS, xfail)
            for name in names:
                # A function fails when any check of it fails; the first failure's reason stays.
                if rows.get(name, (WORKS,))[0] != FAILS:
                    rows[name] = status
        for name, status in self.declared.items():
            if name in rows:
                failed += 1
                print(f"FAIL  {name} is declared {status[0]} but a check calls it")
            rows[name] = status
        self.write(rows)
        print(f"{len(self.checks) - failed}/{len(self.checks)} checks passed")
        return 1 if failed else 0

    def write(self, rows):
        path = os.environ.get("RESULTS")
        if not path:
            return
        doc = {
            "client": self.client,
            "version": self.version,
            "results": [
                {"name": name, "status": status, **({"reason": reason} if reason else {})}
                for name, (status, reason) in sorted(rows.items())
            ],
        }
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


def main(suite):
    sys.exit(suite.run())
