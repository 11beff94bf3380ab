#!/usr/bin/env bash
# opsplan on the peers' input (issue #7): the ReqIF file of ../shared/bench/gen_reqif.py,
# imported, traced from a plan and published as the HTML traceability report, the job
# StrictDoc's import + HTML export does in ../shared/bench/run_peers.sh.
#
#   cargo build --release
#   NS="1000 10000" REPS=10 bash benches/peers/run_opsplan.sh
#
# Needs python3 (stdlib), hyperfine and GNU time (/usr/bin/time; Debian packages
# `hyperfine` and `time`). Writes WORK/<N>/{gen.reqif,plan.plan,trace.html} and prints
# one line per size: N, median wall seconds (hyperfine), peak RSS in MB (GNU time,
# median of REPS runs). `opsplan report trace` exits 1 here (1,000 of the requirements
# are uncovered on purpose, a realistic gap list), so hyperfine is told to accept it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BENCH="${BENCH:-$ROOT/../shared/bench}"
WORK="${WORK:-$ROOT/target/peers}"
OPSPLAN="${OPSPLAN:-$ROOT/target/release/opsplan}"
NS="${NS:-1000 10000}"
REPS="${REPS:-10}"
SEED="${SEED:-42}"

[ -x "$OPSPLAN" ] || { echo "build opsplan first: cargo build --release" >&2; exit 2; }
[ -f "$BENCH/gen_reqif.py" ] || { echo "no $BENCH/gen_reqif.py (set BENCH)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is required" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 2; }

printf 'N\tmedian_s\tpeak_rss_mb\treqif_mb\n'
for n in $NS; do
  dir="$WORK/$n"
  mkdir -p "$dir"
  [ -f "$dir/gen.reqif" ] || python3 "$BENCH/gen_reqif.py" "$n" "$dir/gen.reqif" --seed "$SEED" >/dev/null
  python3 "$HERE/trace_plan.py" "$n" "$dir/plan.plan"
  cmd=("$OPSPLAN" report trace "$dir/plan.plan" -r "$dir/gen.reqif" --id ReqIF.ForeignID -o "$dir/trace.html")
  hyperfine --style none --warmup 1 --runs "$REPS" -i --export-json "$dir/hyperfine.json" \
    "${cmd[*]}" >/dev/null 2>&1
  median=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$dir/hyperfine.json")
  rss=()
  for _ in $(seq "$REPS"); do
    /usr/bin/time -f '%M' -o "$dir/rss.txt" "${cmd[@]}" >/dev/null 2>&1 || true
    rss+=("$(tail -1 "$dir/rss.txt")")
  done
  peak=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1024}')
  size=$(python3 -c 'import os,sys; print("%.1f" % (os.path.getsize(sys.argv[1])/1048576))' "$dir/gen.reqif")
  printf '%s\t%s\t%s\t%s\n' "$n" "$median" "$peak" "$size"
done
