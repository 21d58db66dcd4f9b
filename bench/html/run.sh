#!/usr/bin/env bash
# Times `flywheel report run.json --format html` on a generated 100,000-row run: wall time, peak RSS and file size,
# then (with --history) the same with a history folder, then opens the page in headless Chromium and times what a
# reader does with it (load, sort, filter, expand).
#
#   bench/html/run.sh [--rows N] [--runs R] [--seed S] [--history K] [--no-browser] [--strict]
#
#   --rows N      dataset size (default 100000)
#   --runs R      timed renders after one warm-up (default 5)
#   --seed S      generator seed (default 20261122, as bench/gate/run.sh)
#   --history K   also time a render with K earlier runs in --history (default 3; 0 to skip)
#   --no-browser  skip the Chromium part
#   --strict      exit 1 when a target is missed (default: report only)
#
# Needs the .NET SDK, GNU time (installed with apt-get when missing) and, for the browser part, Debian's chromium.
# Everything goes to bench/out/ (git-ignored): the Release build and generated suite shared with bench/gate/run.sh,
# and bench/out/html/ (run.json, history/, report.html, logs, a screenshot of the page's first screen).
set -euo pipefail

rows=100000
runs=5
seed=20261122
history=3
browser=1
strict=0
usage() { echo "usage: $0 [--rows N] [--runs R] [--seed S] [--history K] [--no-browser] [--strict]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; rows="$2"; shift 2 ;;
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed="$2"; shift 2 ;;
    --history) [ $# -ge 2 ] || usage; history="$2"; shift 2 ;;
    --no-browser) browser=0; shift ;;
    --strict) strict=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$rows" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ && "$seed" =~ ^-?[0-9]+$ && "$history" =~ ^[0-9]+$ ]] || usage

# Targets (issue 8): a 100,000-row run renders in under 3 s into a file under 5 MB.
target_wall=3
target_bytes=5000000

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$repo"
out=bench/out
gen="$out/gen"
html="$out/html"
logs="$html/logs"
bin="$out/flywheel"
mkdir -p "$logs"

# 1. Build in Release, outside src/ (the same outputs bench/gate/run.sh uses).
step "build (Release): src/Flywheel.Action, bench/Flywheel.Bench.Generate, bench/Flywheel.Bench.Browse"
bench_build "$logs/build.log" "$bin" bench/Flywheel.Bench.Generate bench/Flywheel.Bench.Browse
generator="$artifacts/bin/Flywheel.Bench.Generate/release/flywheel-bench-generate.dll"
browse="$artifacts/bin/Flywheel.Bench.Browse/release/flywheel-bench-browse.dll"

# 2. The generated suite (bench/gate/run.sh's generator and stamp: shared, generated once).
stamp="rows=$rows seed=$seed generator=$(sha256sum "$generator" | cut -c1-16)"
if [ "$(cat "$gen/.stamp" 2>/dev/null || true)" != "$stamp" ]; then
  step "generate $rows rows into $gen"
  rm -rf "$gen"
  dotnet "$generator" --rows "$rows" --seed "$seed" --out "$gen"
  echo "$stamp" > "$gen/.stamp"
else
  step "reuse $gen ($stamp)"
fi

# 3. One gate run gives the run.json to render (not timed here; bench/gate/run.sh times the gate).
step "flywheel gate over $rows rows -> $html/run/run.json"
set +e
dotnet "$bin/flywheel.dll" gate --root "$gen" --format json --quiet --out "$html/run" > "$logs/gate.out" 2> "$logs/gate.err"
code=$?
set -e
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  echo "bench: FAILED — the gate exited $code; first lines of its stderr:" >&2
  head -20 "$logs/gate.err" >&2
  exit 1
fi
run_json="$html/run/run.json"
failing=$(grep -o '"passed":false,"scores"' "$run_json" | wc -l)

# 4. A history folder: copies of the run with earlier start times (reading a history file costs the same whatever
#    its numbers; each is as large as run.json).
history_dir="$html/history"
rm -rf "$history_dir"
if [ "$history" -gt 0 ]; then
  mkdir -p "$history_dir"
  for k in $(seq 1 "$history"); do
    sed "0,/\"started_at\": *\"[^\"]*\"/s//\"started_at\": \"2026-0$k-01T00:00:00Z\"/" "$run_json" > "$history_dir/v1.$k.0.json"
  done
fi

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src 2>/dev/null || true)" ]; then commit="$commit + uncommitted src/ changes"; fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $(uname -sr)"
echo "engine:  $commit"
echo "run.json: $(du -h "$run_json" | cut -f1), $rows rows, $failing of them failing (rows with \"passed\": false)"

wait_for_quiet

# 5. Timed renders: `flywheel report run.json --format html --out report.html`, one warm-up then R runs.
time_renders() { # label, then the report arguments
  local label="$1"; shift
  local cmd=(dotnet "$bin/flywheel.dll" report "$run_json" --format html "$@")
  step "$label: ${cmd[*]}"
  "${cmd[@]}" > "$logs/warmup.out" 2> "$logs/warmup.err" || { echo "bench: FAILED — warm-up render exited $?" >&2; head -20 "$logs/warmup.err" >&2; exit 1; }
  printf '%-4s %8s %7s %13s %12s\n' run "wall s" "cpu s" "peak RSS MB" "bytes"
  local walls=() i wall kb bytes
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -v -o "$logs/time-$i.txt" "${cmd[@]}" > "$logs/render-$i.out" 2> "$logs/render-$i.err" ||
      { echo "bench: FAILED — render $i exited non-zero" >&2; head -20 "$logs/render-$i.err" >&2; exit 1; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k]; printf "%.2f", s }' "$logs/time-$i.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$logs/time-$i.txt")
    # user + system CPU seconds: what the render costs, whatever else the 2 cores are doing.
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$logs/time-$i.txt")
    bytes=$(stat -c %s "${cmd[-1]}")
    printf '%-4s %8s %7s %13s %12s\n' "$i" "$wall" "$cpu" "$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')" "$bytes"
    walls+=("$wall")
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  size=$(stat -c %s "${cmd[-1]}")
}

report="$html/report.html"
time_renders "report, no history" --out "$report"
wall_ok=$(awk -v m="$median" -v t="$target_wall" 'BEGIN { print (m <= t) ? "met" : "MISSED" }')
size_ok=$(awk -v s="$size" -v t="$target_bytes" 'BEGIN { print (s < t) ? "met" : "MISSED" }')
summary_main="median wall: $median s (target <= $target_wall s: $wall_ok); report.html: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1e6 }') MB; target < 5 MB: $size_ok)"
budget_note=$(grep -o '<p class="note" id="budget-note">.*</p>' "$report" | sed 's/<[^>]*>//g; s/&quot;/"/g' | head -c 400 || true)

if [ "$history" -gt 0 ]; then
  time_renders "report with --history ($history earlier runs of $(du -h "$run_json" | cut -f1) each)" --history "$history_dir" --out "$html/report-history.html"
  summary_history="with --history ($history runs): median wall $median s; $size bytes"
fi

echo
echo "$summary_main"
[ -z "${summary_history:-}" ] || echo "$summary_history"
[ -z "$budget_note" ] || echo "on the page: $budget_note"

# 6. The page in a browser: load, sort, filter, expand (in the page's own clock).
browser_status=0
if [ "$browser" -eq 1 ]; then
  step "headless Chromium on $report"
  if ! command -v chromium > /dev/null && [ -z "${FLYWHEEL_CHROMIUM:-}" ]; then
    echo "bench: chromium is not installed (apt-get install chromium); skipping the browser part" >&2
  else
    set +e
    dotnet "$browse" --report "$report" --screenshot "$html/report-100k.png" --runs 3
    browser_status=$?
    set -e
    [ "$browser_status" -eq 0 ] || echo "bench: the page logged errors or made requests (see above)" >&2
  fi
fi

[ "$quiet" -eq 1 ] || echo "bench: WARNING — measured on a busy machine (see above)" >&2
if [ "$strict" -eq 1 ] && { [ "$wall_ok" != met ] || [ "$size_ok" != met ] || [ "$browser_status" -ne 0 ]; }; then
  exit 1
fi
