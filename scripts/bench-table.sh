#!/usr/bin/env bash
# make bench: the mock's performance as ratios against baselines measured in the same run.
#  1. In-process benchmarks: each operation next to a bare net/http handler (ratio bare/mock).
#  2. Load on loopback (cmd/loadbench, vegeta): throughput and p50/p99 of each operation next to two
#     handlers answering the same document: a JSON handler (decodes the request, encodes the
#     answer) and a bytes handler (writes the answer's bytes).
#  3. Listing at scale: first and last page of the default flow and run listings, and of one
#     flow's runs, with a small and a large store (ratio large/small; 1.00 means the store's size
#     does not matter).
#  4. Memory per stored flow, run and ACL rule.
# BENCHTIME, LOAD_DURATION, SCALE_ITERS adjust the effort; SHORT=1 uses small stores.
set -euo pipefail
short=${SHORT:+-short}

echo "== in-process: the full pipeline next to a bare handler that decodes the body and encodes one"
echo "   small flow document (same process, same run; listings are compared under load below)"
out=$(go test ./mockserver -run '^$' -bench 'Benchmark(Bare(Get|Post)|GetFlow|CreateFlow|StartRun|ListFlows|AccessList|CreateRule)$' -benchtime "${BENCHTIME:-2s}" -count 1)
runs=$(go test ./mockserver -run '^$' -bench 'Benchmark(TenThousandRuns|BareTenThousand)' -benchtime "${RUNS_BENCHTIME:-3x}" -count 1)
printf '%s\n%s\n' "$out" "$runs" | grep -E '^(goos|goarch|cpu)' | sort -u || true
awk '
  /^BenchmarkBareGet/        { bg = $3 }
  /^BenchmarkBarePost/       { bp = $3 }
  /^BenchmarkGetFlow/        { gf = $3 }
  /^BenchmarkCreateFlow/     { cf = $3 }
  /^BenchmarkStartRun/       { sr = $3 }
  /^BenchmarkListFlows/      { lf = $3 }
  /^BenchmarkAccessList/     { al = $3 }
  /^BenchmarkCreateRule/     { cr = $3 }
  /^BenchmarkBareTenThousand/{ bt = $3 }
  /^BenchmarkTenThousandRuns/{ tt = $3; for (i = 4; i < NF; i++) { if ($(i+1) == "heap-bytes/run") hb = $i } }
  END {
    printf "%-38s %14s %14s %8s\n", "operation", "mock", "bare", "ratio"
    printf "%-38s %10.0f/s   %10.0f/s   %8.2f\n", "GET /flows/{id}", 1e9/gf, 1e9/bg, bg/gf
    printf "%-38s %10.0f/s   %10.0f/s   %8.2f\n", "POST /flows", 1e9/cf, 1e9/bp, bp/cf
    printf "%-38s %10.0f/s   %10.0f/s   %8.2f\n", "POST /flows/{id}/run (runs started)", 1e9/sr, 1e9/bp, bp/sr
    printf "%-38s %10.0f/s   %10.0f/s   %8.2f\n", "POST .../access", 1e9/cr, 1e9/bp, bp/cr
    printf "%-38s %10.0f ms   %10.0f ms   %8.2f\n", "10,000 five-state runs to SUCCEEDED", tt/1e6, bt/1e6, bt/tt
    printf "%-38s %10.0f B\n", "heap kept per finished run", hb
  }' <<<"$(printf '%s\n%s\n' "$out" "$runs")"

echo
echo "== load on loopback (vegeta)"
go run ./cmd/loadbench -duration "${LOAD_DURATION:-3s}" | tail -n +2

echo
echo "== listing at scale (the default listings and one flow's runs, page of 20)"
scale=$(go test ./mockserver -run '^$' -bench 'Benchmark(ListFlowsAtScale|ListRunsAtScale)' -benchtime "${SCALE_ITERS:-300}x" -timeout 30m $short)
awk '
  /^BenchmarkList(Flows|Runs)AtScale/ {
    split($1, parts, "/"); size = parts[2]; page = parts[3]; sub(/-[0-9]+$/, "", page)
    for (i = 4; i < NF; i++) if ($(i+1) == "p99-ms") p99 = $i
    key = parts[1] "/" page
    if (!(key in small)) { small[key] = $3; smallName[key] = size; order[++n] = key }
    else { large[key] = $3; largeName[key] = size; largeP99[key] = p99 }
  }
  END {
    printf "%-32s %-14s %12s %-16s %12s %10s %8s\n", "listing", "small", "mean", "large", "mean", "p99", "ratio"
    for (i = 1; i <= n; i++) {
      k = order[i]; name = k; sub(/^BenchmarkList/, "", name); sub(/AtScale/, "", name)
      printf "%-32s %-14s %9.3f ms %-16s %9.3f ms %7.3f ms %8.2f\n", name, smallName[k], small[k]/1e6, largeName[k], large[k]/1e6, largeP99[k], large[k]/small[k]
    }
  }' <<<"$scale"

echo
echo "== memory per stored object"
go test ./mockserver -run '^$' -bench 'BenchmarkMemoryPerObject' -benchtime 1x | awk '/^BenchmarkMemoryPerObject/ {
  for (i = 5; i < NF; i += 2) printf "%-22s %10.0f\n", $(i+1), $i }'

echo
echo "== worlds (one server, a world per test job): a world's cost next to the default world's"
worlds=$(go test ./mockserver/worlds -run '^$' -bench . -benchtime "${WORLDS_BENCHTIME:-200x}" -count 1)
awk '
  /^BenchmarkNewDefaultServer/ { nd = $3 }
  /^BenchmarkCreateWorld/      { cw = $3 }
  /^BenchmarkResetDefault/     { rd = $3 }
  /^BenchmarkResetWorld/       { rw = $3 }
  /^BenchmarkListFlowsPlain/   { lp = $3 }
  /^BenchmarkListFlowsRouted/  { lr = $3 }
  END {
    printf "%-44s %12s %12s %8s\n", "operation", "world", "baseline", "ratio"
    printf "%-44s %9.3f ms %9.3f ms %8.2f\n", "POST /_mock/worlds vs mockserver.New", cw/1e6, nd/1e6, cw/nd
    printf "%-44s %9.3f ms %9.3f ms %8.2f\n", "reset a world vs the default world", rw/1e6, rd/1e6, rw/rd
    printf "%-44s %9.3f ms %9.3f ms %8.2f\n", "GET /flows among 32 worlds vs one server", lr/1e6, lp/1e6, lr/lp
  }' <<<"$worlds"
