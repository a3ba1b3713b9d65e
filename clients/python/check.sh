#!/usr/bin/env bash
# Installs the package with pip into a fresh virtualenv and runs its tests against the mock binary
# given as $1 (make python-helper). The interpreter is the first of $PYTHON, python3 and
# /usr/bin/python3 that has pytest; the virtualenv sees its site packages (pytest, pytest-xdist),
# so nothing is downloaded. globus_sdk is the interpreter's, else the released sources found as
# the Python SDK suites find them ($GLOBUS_PYTHON_CLIENTS, else shared/clients/python above the
# repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

py=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
	if [ -n "$candidate" ] && "$candidate" -c "import pytest, pip" 2>/dev/null; then py=$candidate; break; fi
done
[ -n "$py" ] || { echo "the Python helper's tests need Python 3 with pytest and pip (apt-get install python3-pytest python3-pip python3-venv python3-setuptools python3-wheel), or PYTHON=interpreter"; exit 1; }

venv="$root/bin/pyhelper-venv"
rm -rf "$venv"
"$py" -m venv --without-pip --system-site-packages "$venv"
pip=("$py" -m pip --python "$venv/bin/python")
if ! "${pip[@]}" --version >/dev/null 2>&1; then # pip before 22.3 has no --python
	rm -rf "$venv"
	"$py" -m venv --system-site-packages "$venv"
	pip=("$venv/bin/python" -m pip)
fi
# pip builds in the source tree: a build/ left from before could carry modules since removed.
rm -rf "$here/build"
trap 'rm -rf "$here/build" "$here"/src/*.egg-info' EXIT
"${pip[@]}" install --quiet --no-index --no-deps --no-build-isolation "$here"

export GLOBUS_MOCK_BINARY="$binary"
unset GLOBUS_MOCK_URL
if ! "$venv/bin/python" -c "import globus_sdk" 2>/dev/null; then
	clients="${GLOBUS_PYTHON_CLIENTS:-}"
	if [ -z "$clients" ]; then
		d=$root
		while [ "$d" != "/" ]; do
			d=$(dirname "$d")
			[ -d "$d/shared/clients/python/src/globus_sdk" ] && { clients="$d/shared/clients/python"; break; }
		done
	fi
	if [ -n "$clients" ]; then
		export PYTHONPATH="$clients/src${PYTHONPATH:+:$PYTHONPATH}"
	fi
fi
if "$venv/bin/python" -c "import globus_sdk" 2>/dev/null; then
	export GLOBUS_MOCK_REQUIRE_SDK=1
else
	echo "globus_sdk not found: the examples that drive it are skipped"
fi
parallel=()
"$venv/bin/python" -c "import xdist" 2>/dev/null && parallel=(-n 2)
cd "$here"
"$venv/bin/python" -m pytest -p no:cacheprovider -q "${parallel[@]}" tests
