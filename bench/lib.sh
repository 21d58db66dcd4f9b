# Shared by bench/*/run.sh (sourced, never run): the environment, GNU time, and the Release build every benchmark
# starts with. Paths are absolute, so a script may cd anywhere after sourcing it.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
artifacts="$repo/bench/out/artifacts"

step() { printf '\n== %s\n' "$*"; }
die() { echo "bench: $*" >&2; exit 1; }

# GNU time gives peak RSS and CPU seconds; Debian images often lack it.
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time (GNU time) is missing; installing it with apt-get" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq time > /dev/null || die "could not install GNU time"
fi

# bench_build LOG CLI_DIR [PROJECT ...]: publishes the flywheel CLI as shipped (Release, ReadyToRun) into CLI_DIR (skipped
# when empty) and builds each project in Release; obj/ and bin/ stay under bench/out/artifacts, away from src/.
bench_build() {
  local log="$1" cli="$2"; shift 2
  : > "$log"
  if [ -n "$cli" ]; then
    dotnet publish "$repo/src/Flywheel.Action" -c Release --artifacts-path "$artifacts" -o "$cli" --nologo -v quiet >> "$log" 2>&1 || bench_build_failed "$log"
  fi
  local project
  for project in "$@"; do
    dotnet build "$project" -c Release --artifacts-path "$artifacts" --nologo -v quiet >> "$log" 2>&1 || bench_build_failed "$log"
  done
}

bench_build_failed() {
  grep -E 'error' "$1" | sort -u | head -20 >&2
  die "build failed; see $1"
}

# Percent of all CPU time spent non-idle over one second.
cpu_busy() {
  local a b
  a=($(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat)); sleep 1
  b=($(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat))
  awk -v b="$((b[0] - a[0]))" -v i="$((b[1] - a[1]))" 'BEGIN { printf "%.0f", (b + i > 0) ? 100 * b / (b + i) : 0 }'
}

# Another process on the CPUs makes figures meaningless on 2 cores: waits (up to 60 s) for a quiet machine, then sets
# quiet=1, or quiet=0 with a warning naming the busiest processes.
wait_for_quiet() {
  local busy waited=0
  busy=$(cpu_busy)
  while [ "$busy" -gt 15 ] && [ "$waited" -lt 60 ]; do sleep 4; waited=$((waited + 5)); busy=$(cpu_busy); done
  quiet=1
  if [ "$busy" -gt 15 ]; then
    quiet=0
    echo "bench: WARNING — the machine is busy (${busy}% CPU used by other processes); these figures are not reliable:" >&2
    ps -eo pcpu,etime,args --sort=-pcpu | sed -n '2,4p' | cut -c1-120 >&2
  fi
}
