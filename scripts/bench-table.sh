#!/usr/bin/env bash
# Runs the benchmarks and prints each mock figure next to the bare net/http baseline measured in
# the same run, with the ratio mock/bare (1.00 would be as fast as a handler that does nothing).
set -euo pipefail
out=$(go test ./mockserver -run '^$' -bench 'Benchmark(Bare(Get|Post)|GetFlow|CreateFlow|StartRun)' -benchtime "${BENCHTIME:-2s}" -count 1)
runs=$(go test ./mockserver -run '^$' -bench 'Benchmark(TenThousandRuns|BareTenThousand)' -benchtime "${RUNS_BENCHTIME:-3x}" -count 1)
printf '%s\n%s\n' "$out" "$runs" | grep -E '^(goos|goarch|cpu|Benchmark)' | sort -u || true
echo
awk '
  /^BenchmarkBareGet/        { bg = $3 }
  /^BenchmarkBarePost/       { bp = $3 }
  /^BenchmarkGetFlow/        { gf = $3 }
  /^BenchmarkCreateFlow/     { cf = $3 }
  /^BenchmarkStartRun/       { sr = $3 }
  /^BenchmarkBareTenThousand/{ bt = $3 }
  /^BenchmarkTenThousandRuns/{ tt = $3; for (i = 4; i < NF; i++) { if ($(i+1) == "heap-bytes/run") hb = $i } }
  END {
    printf "%-34s %14s %14s %8s\n", "operation", "mock", "bare", "ratio"
    printf "%-34s %10.0f/s   %10.0f/s   %8.2f\n", "GET /flows/{id}", 1e9/gf, 1e9/bg, bg/gf
    printf "%-34s %10.0f/s   %10.0f/s   %8.2f\n", "POST /flows", 1e9/cf, 1e9/bp, bp/cf
    printf "%-34s %10.0f/s   %10.0f/s   %8.2f\n", "POST /flows/{id}/run (runs started)", 1e9/sr, 1e9/bp, bp/sr
    printf "%-34s %10.0f ms   %10.0f ms   %8.2f\n", "10,000 five-state runs to SUCCEEDED", tt/1e6, bt/1e6, bt/tt
    printf "%-34s %10.0f B\n", "heap kept per finished run", hb
  }' <<<"$(printf '%s\n%s\n' "$out" "$runs")"
