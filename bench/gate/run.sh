#!/usr/bin/env bash
# Times `flywheel gate` on a generated suite: wall time and peak RSS per run, then the median and the targets.
#
#   bench/gate/run.sh [--rows N] [--runs R] [--seed S] [--self-contained | --aot] [--strict]
#
#   --rows N    dataset size (default 100000)
#   --runs R    timed runs after one warm-up (default 5)
#   --seed S    generator seed (default 20261122)
#   --self-contained  time the CLI published self-contained for linux-x64 with the framework compiled into one
#               ReadyToRun composite image (`bench/out/flywheel-sc/flywheel`), instead of the framework-dependent
#               `dotnet flywheel.dll`; the publish takes a minute or two and needs the runtime pack from NuGet
#   --aot       time the CLI compiled ahead of time for linux-x64 (`bench/out/flywheel-aot/flywheel`, no JIT at all);
#               the publish takes about two minutes and needs the ILCompiler packages from NuGet and gcc (or clang)
#   --strict    exit 1 when a target is missed (default: report only)
#
# Needs only the .NET SDK (and GNU time, installed with apt-get when /usr/bin/time is missing).
# Everything it writes goes to bench/out/ (git-ignored): the Release build, the suite, logs and run.json.
# Environment variables reach the gate process, e.g. DOTNET_gcServer=1 DOTNET_TieredPGO=1 bench/gate/run.sh.
set -euo pipefail

rows=100000
runs=5
seed=20261122
strict=0
mode=0  # 0 framework-dependent, 1 self-contained composite, 2 ahead of time
usage() { echo "usage: $0 [--rows N] [--runs R] [--seed S] [--self-contained | --aot] [--strict]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; rows="$2"; shift 2 ;;
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed="$2"; shift 2 ;;
    --self-contained) [ "$mode" -eq 0 ] || usage; mode=1; shift ;;
    --aot) [ "$mode" -eq 0 ] || usage; mode=2; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ && "$seed" =~ ^-?[0-9]+$ ]] || usage

# Targets: median wall <= 3 s, peak RSS <= 300 MB.
target_wall=3
target_rss_mb=300

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$repo"
out=bench/out
gen="$out/gen"
logs="$out/logs"
bin="$out/flywheel"
mkdir -p "$logs"

# 1. Build once, in Release, outside src/.
step "build (Release): src/Flywheel.Action, bench/Flywheel.Bench.Generate"
bench_build "$logs/build.log" "$bin" bench/Flywheel.Bench.Generate
if [ "$mode" -eq 1 ]; then
  step "publish (Release): src/Flywheel.Action self-contained, linux-x64, ReadyToRun composite"
  bin="$out/flywheel-sc"
  dotnet publish "$repo/src/Flywheel.Action" -c Release -r linux-x64 --self-contained -p:PublishReadyToRunComposite=true \
    --artifacts-path "$artifacts-sc" -o "$bin" --nologo -v quiet >> "$logs/build.log" 2>&1 || bench_build_failed "$logs/build.log"
elif [ "$mode" -eq 2 ]; then
  step "publish (Release): src/Flywheel.Action ahead of time (native), linux-x64"
  bin="$out/flywheel-aot"
  dotnet publish "$repo/src/Flywheel.Action" -c Release -r linux-x64 -p:PublishAot=true \
    --artifacts-path "$artifacts-aot" -o "$bin" --nologo -v quiet >> "$logs/build.log" 2>&1 || bench_build_failed "$logs/build.log"
fi
generator="$artifacts/bin/Flywheel.Bench.Generate/release/flywheel-bench-generate.dll"

# 2. Generate the suite (skipped when the same rows, seed and generator already produced it).
stamp="rows=$rows seed=$seed generator=$(sha256sum "$generator" | cut -c1-16)"
if [ "$(cat "$gen/.stamp" 2>/dev/null || true)" != "$stamp" ]; then
  step "generate $rows rows into $gen"
  rm -rf "$gen"
  dotnet "$generator" --rows "$rows" --seed "$seed" --out "$gen"
  echo "$stamp" > "$gen/.stamp"
else
  step "reuse $gen ($stamp)"
fi

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src 2>/dev/null || true)" ]; then commit="$commit + uncommitted src/ changes"; fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $(uname -sr)"
echo "engine:  $commit"
echo "dataset: $rows rows; rows.jsonl $(du -h "$gen/datasets/bench/rows.jsonl" | cut -f1), responses.jsonl $(du -h "$gen/responses.jsonl" | cut -f1)"

if [ "$mode" -ne 0 ]; then
  gate=("$bin/flywheel" gate --root "$gen" --format console,json --quiet --out "$out/run")
else
  gate=(dotnet "$bin/flywheel.dll" gate --root "$gen" --format console,json --quiet --out "$out/run")
fi
echo "command: ${gate[*]}"

# The gate must give a verdict: 0 (passed) or 1 (a gate failed). 2 means the generated data is invalid.
check_exit() {
  local code="$1" what="$2" err="$3"
  if [ "$code" -eq 0 ] || [ "$code" -eq 1 ]; then return 0; fi
  echo >&2
  if [ "$code" -eq 2 ]; then
    echo "bench: FAILED — $what exited 2: the generated suite is invalid input; first diagnostics:" >&2
  else
    echo "bench: FAILED — $what exited $code (crash?); first lines of its stderr:" >&2
  fi
  head -20 "$err" >&2
  exit 1
}

wait_for_quiet

# 3. Warm-up (page cache, disk), not timed.
step "warm-up"
set +e
"${gate[@]}" > "$logs/warmup.out" 2> "$logs/warmup.err"
code=$?
set -e
check_exit "$code" "the warm-up gate" "$logs/warmup.err"
verdict=$(grep -o '"verdict": *"[a-z]*"' "$out/run/run.json" | head -1 | sed 's/.*"\([a-z]*\)"$/\1/')
echo "exit $code, verdict $verdict; $(grep -c '' "$logs/warmup.err" || true) diagnostic line(s) on stderr"

# 4. Timed runs.
step "$runs timed run(s) of flywheel gate over $rows rows"
printf '%-4s %8s %7s %13s %9s %5s\n' run "wall s" "CPU s" "peak RSS MB" "rows/s" exit
walls=()
cpus=()
peak_kb=0
for i in $(seq 1 "$runs"); do
  set +e
  /usr/bin/time -v -o "$logs/time-$i.txt" "${gate[@]}" > "$logs/run-$i.out" 2> "$logs/run-$i.err"
  code=$?
  set -e
  check_exit "$code" "timed run $i" "$logs/run-$i.err"
  # GNU time -v: "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:04.12" and "Maximum resident set size (kbytes): 190116".
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k]; printf "%.2f", s }' "$logs/time-$i.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$logs/time-$i.txt")
  # CPU seconds (user + system) barely depend on what else the cores do; wall time does.
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$logs/time-$i.txt")
  cpus+=("$cpu")
  printf '%-4s %8s %7s %13s %9s %5s\n' "$i" "$wall" "$cpu" "$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')" \
    "$(awk -v n="$rows" -v t="$wall" 'BEGIN { printf "%.0f", (t > 0) ? n / t : 0 }')" "$code"
  walls+=("$wall")
  [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
done

median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.0f", k / 1024 }')
wall_ok=$(awk -v m="$median" -v t="$target_wall" 'BEGIN { print (m <= t) ? "met" : "MISSED" }')
rss_ok=$(awk -v m="$peak_mb" -v t="$target_rss_mb" 'BEGIN { print (m <= t) ? "met" : "MISSED" }')
echo
echo "median wall: $median s  (target <= $target_wall s: $wall_ok); $(awk -v n="$rows" -v t="$median" 'BEGIN { printf "%.0f", n / t }') rows/s"
echo "median CPU: $(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }') s (user + system)"
echo "max peak RSS: $peak_mb MB  (target <= $target_rss_mb MB: $rss_ok)"
echo "logs: $logs/ · run.json: $out/run/run.json"
[ "$quiet" -eq 1 ] || echo "bench: WARNING — measured on a busy machine (see above)" >&2
if [ "$strict" -eq 1 ] && { [ "$wall_ok" != met ] || [ "$rss_ok" != met ]; }; then
  exit 1
fi
