#!/usr/bin/env bash
# Runs the pipeline benchmarks and prints requests per second next to the bare net/http baseline
# measured in the same run, with the ratio mock/bare.
set -euo pipefail
out=$(go test ./mockserver -run '^$' -bench 'Benchmark(Bare|GetFlow|CreateFlow)' -benchtime "${BENCHTIME:-2s}" -count 1)
echo "$out" | grep -E '^(goos|goarch|cpu|Benchmark)' || true
echo
awk '
  /^BenchmarkBareGet/   { bg = $3 }
  /^BenchmarkBarePost/  { bp = $3 }
  /^BenchmarkGetFlow/   { gf = $3 }
  /^BenchmarkCreateFlow/{ cf = $3 }
  END {
    printf "%-22s %14s %14s %8s\n", "operation", "mock req/s", "bare req/s", "ratio"
    printf "%-22s %14.0f %14.0f %8.2f\n", "GET /flows/{id}", 1e9/gf, 1e9/bg, bg/gf
    printf "%-22s %14.0f %14.0f %8.2f\n", "POST /flows", 1e9/cf, 1e9/bp, bp/cf
  }' <<<"$out"
