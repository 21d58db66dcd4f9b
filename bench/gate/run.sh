#!/usr/bin/env bash
# Times `flywheel gate` on a generated dataset: wall time and peak RSS per run, then the median and the targets.
# Usage: bench/gate/run.sh [--rows N] [--runs R]     (defaults: 100000 rows, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=100000
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--runs R]" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=bench/out
gen="$out/gen-$rows"
bin="$out/flywheel"
dotnet publish src/Flywheel.Action -c Release -o "$bin" --nologo -v quiet >/dev/null
if [ ! -f "$gen/responses.jsonl" ]; then
  dotnet run --project bench/Flywheel.Bench.Generate -c Release -- "$rows" "$gen" >/dev/null
fi
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
echo "dataset: $rows rows, $(du -h "$gen/datasets/bench/rows.jsonl" | cut -f1) rows.jsonl, $(du -h "$gen/responses.jsonl" | cut -f1) responses"

gate() { dotnet "$bin/flywheel.dll" gate --root "$gen" --out "$out/run-$rows" --format json --quiet; }
set +e
gate > "$out/warmup.log" 2>&1
code=$?
set -e
if [ "$code" -eq 2 ]; then
  echo "bench: the generated data is invalid (exit 2):" >&2
  head -20 "$out/warmup.log" >&2
  exit 1
fi

printf '%-5s %9s %12s %10s %5s\n' run "wall s" "peak RSS MB" "rows/s" exit
walls=()
peak=0
for i in $(seq 1 "$runs"); do
  set +e
  /usr/bin/time -f '%e %M' -o "$out/time.txt" dotnet "$bin/flywheel.dll" gate --root "$gen" --out "$out/run-$rows" --format json --quiet >/dev/null 2>&1
  code=$?
  set -e
  read -r wall kb < "$out/time.txt"
  mb=$((kb / 1024))
  rate=$(awk -v n="$rows" -v t="$wall" 'BEGIN { printf "%.0f", n / t }')
  printf '%-5s %9s %12s %10s %5s\n' "$i" "$wall" "$mb" "$rate" "$code"
  walls+=("$wall")
  [ "$mb" -gt "$peak" ] && peak=$mb
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "median wall: ${median} s (target <= 3 s: $(awk -v m="$median" 'BEGIN { print (m <= 3) ? "met" : "missed" }')); max peak RSS: ${peak} MB (target <= 300 MB: $([ "$peak" -le 300 ] && echo met || echo missed))"
