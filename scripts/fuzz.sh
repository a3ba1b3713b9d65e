#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME each (default 10s; the release check is 5m). A finding is
# written to the package's testdata/fuzz/ and becomes a seed that `go test` replays from then on.
set -euo pipefail
time=${FUZZTIME:-10s}
targets=(
  ./mockserver/engine:FuzzDefinition
  ./mockserver/engine:FuzzExpression
  ./mockserver/engine:FuzzJSONPath
  ./mockserver/transfer:FuzzACLPath
  ./mockserver/jsonw:FuzzValue
  ./mockserver/jsonw:FuzzString
  ./mockserver:FuzzRequestBody
  ./mockserver:FuzzQuery
)
for t in "${targets[@]}"; do
  pkg=${t%%:*}; name=${t##*:}
  echo "fuzz $name ($pkg) for $time"
  go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$time" -parallel "${FUZZPARALLEL:-2}" 2>&1 | grep -v '^fuzz: elapsed' 
done
