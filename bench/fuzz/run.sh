#!/usr/bin/env bash
# Fuzzes the real `flywheel` process: the seeded mutator of tests/Flywheel.Testing.Fuzz (the cases the in-process test
# MutatedInputTests makes) over the sample's rows, responses, suite, dataset.json and a run.json, each case one mutated
# file read by validate, gate, gate --baseline, report, report --baseline or report --history. Every case must end with
# exit 0, 1 or 2, print no stack trace, internal error or exception name, and leave only whole files in --out.
#
#   bench/fuzz/run.sh [--count N | --seconds S] [--seed S] [--start I] [--workers W] [--row-stride K] [--timeout S] [--aot]
#
#   --count N       cases to run (default 1000)
#   --seconds S     run for S seconds instead of a count
#   --seed S        the stream of cases (default 20261203, the test's); case k of seed s is the same everywhere
#   --start I       the first case's index (default 0): `--seed S --start I --count 1 --row-stride K` replays the
#                   reproduction "seed=S index=I row-stride=K" of this script or of the test
#   --workers W     cases at once (default: the number of cores)
#   --row-stride K  keep every K-th row of the sample (default 6, as the test: 15 rows, every intent; 1: all 90)
#   --timeout S     seconds before a command counts as hung and is killed (default 60)
#   --aot           fuzz the CLI compiled ahead of time for linux-x64 (bench/out/flywheel-aot/flywheel), as
#                   bench/gate/run.sh --aot publishes it; default: the Release build, `dotnet flywheel.dll`
#
# Prints progress every 10 s, each failing case as it happens, then the count, inputs per second, exit codes, and each
# way of failing once with its reproduction; each of those inputs is saved whole under bench/out/fuzz/failures/SEED-INDEX
# (reproduction.txt holds the command to run there). Exit 0 when nothing failed, 1 otherwise.
# Everything it writes goes to bench/out/ (git-ignored).
set -euo pipefail

count=1000
seconds=""
seed=20261203
start=0
workers="$(nproc)"
stride=6
timeout=60
aot=0
usage() { echo "usage: $0 [--count N | --seconds S] [--seed S] [--start I] [--workers W] [--row-stride K] [--timeout S] [--aot]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --count) [ $# -ge 2 ] || usage; count="$2"; seconds=""; shift 2 ;;
    --seconds) [ $# -ge 2 ] || usage; seconds="$2"; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed="$2"; shift 2 ;;
    --start) [ $# -ge 2 ] || usage; start="$2"; shift 2 ;;
    --workers) [ $# -ge 2 ] || usage; workers="$2"; shift 2 ;;
    --row-stride) [ $# -ge 2 ] || usage; stride="$2"; shift 2 ;;
    --timeout) [ $# -ge 2 ] || usage; timeout="$2"; shift 2 ;;
    --aot) aot=1; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$count" =~ ^[1-9][0-9]*$ && "$seed" =~ ^-?[0-9]+$ && "$start" =~ ^[0-9]+$ && "$workers" =~ ^[1-9][0-9]*$ \
  && "$stride" =~ ^[1-9][0-9]*$ && "$timeout" =~ ^[1-9][0-9]*$ ]] || usage
[ -z "$seconds" ] || [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$repo"
out=bench/out
fuzz="$out/fuzz"
logs="$fuzz/logs"
mkdir -p "$logs"

step "build (Release): src/Flywheel.Action, bench/Flywheel.Bench.Fuzz"
bench_build "$logs/build.log" "$out/flywheel" bench/Flywheel.Bench.Fuzz
cli="$out/flywheel/flywheel.dll"
if [ "$aot" -eq 1 ]; then
  step "publish (Release): src/Flywheel.Action ahead of time (native), linux-x64"
  dotnet publish "$repo/src/Flywheel.Action" -c Release -r linux-x64 -p:PublishAot=true \
    --artifacts-path "$artifacts-aot" -o "$out/flywheel-aot" --nologo -v quiet >> "$logs/build.log" 2>&1 || bench_build_failed "$logs/build.log"
  cli="$out/flywheel-aot/flywheel"
fi
fuzzer="$artifacts/bin/Flywheel.Bench.Fuzz/release/flywheel-bench-fuzz.dll"

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src 2>/dev/null || true)" ]; then commit="$commit + uncommitted src/ changes"; fi
echo "machine: $(nproc) cores, .NET SDK $(dotnet --version), $(uname -sr); engine: $commit"

rm -rf "$fuzz/scratch" "$fuzz/failures"
budget=(--count "$count")
[ -z "$seconds" ] || budget=(--seconds "$seconds")
wait_for_quiet

step "fuzz"
set +e
dotnet "$fuzzer" --cli "$cli" --repo "$repo" --scratch "$fuzz/scratch" --save "$fuzz/failures" "${budget[@]}" \
  --seed "$seed" --start "$start" --workers "$workers" --row-stride "$stride" --timeout "$timeout" 2>&1 | tee "$logs/fuzz.log"
code=${PIPESTATUS[0]}
set -e
rm -rf "$fuzz/scratch"
[ "$quiet" -eq 1 ] || echo "bench: WARNING — measured on a busy machine (see above): inputs/s is not reliable" >&2
echo "log: $logs/fuzz.log"
exit "$code"
