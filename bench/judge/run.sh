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

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
out=bench/out
artifacts="$out/artifacts"
bin="$out/flywheel"
suite="$out/judge/suite"
logs="$out/logs"
mkdir -p "$logs"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

printf '\n== build (Release): src/Flywheel.Action, bench/Flywheel.Bench.Generate, bench/Flywheel.Bench.Judge\n'
if ! dotnet publish src/Flywheel.Action -c Release --artifacts-path "$artifacts" -o "$bin" --nologo -v quiet > "$logs/judge-build.log" 2>&1 ||
   ! dotnet build bench/Flywheel.Bench.Generate -c Release --artifacts-path "$artifacts" --nologo -v quiet >> "$logs/judge-build.log" 2>&1 ||
   ! dotnet build bench/Flywheel.Bench.Judge -c Release --artifacts-path "$artifacts" --nologo -v quiet >> "$logs/judge-build.log" 2>&1; then
  echo "bench: build failed; see $logs/judge-build.log" >&2
  grep -E 'error' "$logs/judge-build.log" | sort -u | head -20 >&2
  exit 1
fi

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
