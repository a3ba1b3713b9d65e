#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME each (default 10s; the release check is 5m; a count such as
# 2000x bounds the executions instead of the time). A finding is written to the package's
# testdata/fuzz/ and becomes a seed that `go test` replays from then on.
#
# Go 1.26's fuzz coordinator can report "context deadline exceeded" when a time-bounded run ends
# while a worker is busy (go.dev/issue/75804, fixed in Go 1.27): that is not a finding, and it is
# reported as such when no failing input was written. .ci/run bounds the runs by count instead.
set -euo pipefail
time=${FUZZTIME:-10s}
targets=(
  ./mockserver/engine:FuzzDefinition
  ./mockserver/engine:FuzzExpression
  ./mockserver/engine:FuzzJSONPath
  ./mockserver/transfer:FuzzACLPath
  ./mockserver/jsonw:FuzzValue
  ./mockserver/jsonw:FuzzString
  ./mockserver/exactjson:FuzzExact
  ./mockserver:FuzzRequestBody
  ./mockserver:FuzzQuery
)
inputs() { { find "$1/testdata/fuzz/$2" -type f 2>/dev/null || true; } | wc -l; }
for t in "${targets[@]}"; do
  pkg=${t%%:*}; name=${t##*:}
  echo "fuzz $name ($pkg) for $time"
  before=$(inputs "$pkg" "$name")
  if out=$(go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$time" -parallel "${FUZZPARALLEL:-2}" 2>&1); then
    grep -v '^fuzz: elapsed' <<<"$out"
    continue
  fi
  grep -v '^fuzz: elapsed' <<<"$out"
  if [ "$(inputs "$pkg" "$name")" = "$before" ] && grep -q 'context deadline exceeded' <<<"$out"; then
    echo "  (no failing input: the fuzz coordinator's own deadline at the end of the run, go.dev/issue/75804)"
    continue
  fi
  exit 1
done
