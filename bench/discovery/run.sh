#!/usr/bin/env bash
# Times test discovery of the Flywheel xunit integration over a generated suite: how long until every
# row × evaluator case of N rows is a listed test, two ways:
#   mtp      the test executable on Microsoft.Testing.Platform (dotnet Flywheel.Regression.dll --list-tests)
#   dotnet   what an engineer types (dotnet test --project tests/Flywheel.Regression --no-build --list-tests),
#            which adds the dotnet test front end receiving and printing every test node
#
#   bench/discovery/run.sh [--rows N] [--runs R]      (defaults: 10000 rows, 3 runs; target: discovery < 5 s)
#
# Needs only the .NET SDK (GNU time is installed with apt-get when missing). Writes under bench/out/ (git-ignored).
set -euo pipefail
rows=10000
runs=3
usage() { echo "usage: $0 [--rows N] [--runs R]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; rows="$2"; shift 2 ;;
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] || usage

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$repo"
out="$repo/bench/out"
logs="$out/logs"
gen="$out/gen-discovery-$rows"
mkdir -p "$logs"

step "build (Release): tests/Flywheel.Regression, bench/Flywheel.Bench.Generate"
# The test project builds in place (bin/Release), where an engineer's dotnet test would find it.
dotnet build tests/Flywheel.Regression -c Release --nologo -v quiet > "$logs/discovery-build.log" 2>&1 || bench_build_failed "$logs/discovery-build.log"
bench_build "$logs/discovery-generate-build.log" "" bench/Flywheel.Bench.Generate
if [ ! -f "$gen/datasets/bench/rows.jsonl" ]; then
  dotnet "$out/artifacts/bin/Flywheel.Bench.Generate/release/flywheel-bench-generate.dll" --rows "$rows" --out "$gen"
fi
export FLYWHEEL_ROOT="$gen"
bin="$repo/tests/Flywheel.Regression/bin/Release/net10.0"
row_cases=$(( $(grep -c '' "$gen/datasets/bench/rows.jsonl") ))
echo "machine: $(nproc) cores, .NET SDK $(dotnet --version); suite: $rows rows ($gen)"

# One timed command: prints "wall peakMB listed".
timed() {
  local name="$1"; shift
  /usr/bin/time -f '%e %M' -o "$logs/discovery-$name.time" "$@" > "$logs/discovery-$name.out" 2> "$logs/discovery-$name.err" || {
    echo "bench: $name failed:" >&2; tail -n 20 "$logs/discovery-$name.err" "$logs/discovery-$name.out" >&2; exit 1; }
  local listed
  listed=$(grep -c ' · ' "$logs/discovery-$name.out" || true)
  read -r wall kb < "$logs/discovery-$name.time"
  printf '%-7s %3s %8s %8s %9s\n' "$name" "$run" "$wall" "$((kb / 1024))" "$listed"
  echo "$name $wall" >> "$logs/discovery-walls.txt"
}

: > "$logs/discovery-walls.txt"
printf '%-7s %3s %8s %8s %9s\n' way run "wall s" "peak MB" "listed"
for run in $(seq 1 "$runs"); do
  (cd "$bin" && timed mtp dotnet Flywheel.Regression.dll --list-tests)
  timed dotnet dotnet test --project tests/Flywheel.Regression -c Release --no-build --list-tests
done

echo
for way in mtp dotnet; do
  median=$(awk -v w="$way" '$1 == w { print $2 }' "$logs/discovery-walls.txt" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  verdict=$(awk -v m="$median" 'BEGIN { print (m < 5) ? "under 5 s" : "OVER 5 s" }')
  echo "median $way: $median s ($verdict) for $row_cases rows"
done
