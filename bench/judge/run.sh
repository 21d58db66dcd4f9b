#!/usr/bin/env bash
# Times `flywheel gate` with two llm evaluators against a local OpenAI-compatible server with a fixed latency per call:
# each live run starts from an empty cache and is followed by a cached re-run.
#
#   bench/judge/run.sh [--rows N] [--latency-ms L] [--concurrency C] [--runs R]
#
#   --rows N          dataset size (default 1000)
#   --latency-ms L    the server's answer time per call (default 50)
#   --concurrency C   flywheel gate --concurrency (default 16)
#   --runs R          live + cached pairs (default 3)
#
# Targets: live wall <= 1.25 × calls × latency / concurrency; cached re-run <= 1 s.
# Everything it writes goes to bench/out/ (git-ignored). The server runs inside the bench process, on this machine.
set -euo pipefail

rows=1000
latency=50
concurrency=16
runs=3
usage() { echo "usage: $0 [--rows N] [--latency-ms L] [--concurrency C] [--runs R]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; rows="$2"; shift 2 ;;
    --latency-ms) [ $# -ge 2 ] || usage; latency="$2"; shift 2 ;;
    --concurrency) [ $# -ge 2 ] || usage; concurrency="$2"; shift 2 ;;
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ && "$latency" =~ ^[0-9]+$ && "$concurrency" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] || usage

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$repo"
out=bench/out
bin="$out/flywheel"
suite="$out/judge/suite"
logs="$out/logs"
mkdir -p "$logs"

step "build (Release): src/Flywheel.Action, bench/Flywheel.Bench.Generate, bench/Flywheel.Bench.Judge"
bench_build "$logs/judge-build.log" "$bin" bench/Flywheel.Bench.Generate bench/Flywheel.Bench.Judge

printf '\n== generate %s rows into %s\n' "$rows" "$suite"
rm -rf "$suite"
dotnet "$artifacts/bin/Flywheel.Bench.Generate/release/flywheel-bench-generate.dll" --rows "$rows" --out "$suite"

echo "machine: $(nproc) cores (shared with other work; see the load below), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "engine: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
printf '\n== %s live + cached run(s)\n' "$runs"
dotnet "$artifacts/bin/Flywheel.Bench.Judge/release/flywheel-bench-judge.dll" \
  --cli "$bin/flywheel.dll" --suite "$suite" --prompts evaluators/prompts \
  --latency-ms "$latency" --concurrency "$concurrency" --runs "$runs"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
