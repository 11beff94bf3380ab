#!/usr/bin/env bash
# Bounded fuzzing of every target (docs/fuzzing.md): `fuzz/run.sh [SECONDS_PER_TARGET]`.
#
# Installs cargo-fuzz when absent, builds every target once (release, debug assertions,
# no sanitizer), builds the seed corpora into fuzz/corpus/<target>/ from the project's
# files and ../shared/corpus, runs each target for SECONDS_PER_TARGET (default 60) and
# exits 1 when any target found a crash, a timeout or an out-of-memory input (the
# artifact's path is printed; fuzz/artifacts/<target>/).
#
# Environment:
#   FUZZ_TARGETS    targets to run, blank-separated (default: all of them)
#   FUZZ_TOOLCHAIN  `nightly` or `stable` (default: nightly when rustup has it, else
#                   stable with RUSTC_BOOTSTRAP=1)
#   FUZZ_JOBS       targets run at once (default 1; CI runs 2, one per core)
#   FUZZ_ARGS       more libFuzzer options for every run (`-max_len=4096`, `-jobs=2`)
#   OPSPLAN_CORPUS  the shared corpus of real exports (default: ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
case $seconds in
  '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
all_targets="parse check reqif reqifz csv xlsx flight_rules fmt_edit windows_csv scenario roster"
targets=${FUZZ_TARGETS:-$all_targets}
shared=${OPSPLAN_CORPUS:-$root/../shared/corpus}
started=$SECONDS
step() { echo "fuzz: [$((SECONDS - started))s] $*"; }

# --- cargo-fuzz ---------------------------------------------------------------------
if [ -n "${CARGO_INSTALL_ROOT:-}" ]; then
  export PATH="$CARGO_INSTALL_ROOT/bin:$PATH"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  step "installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi
step "$(cargo fuzz --version)"

# --- toolchain ----------------------------------------------------------------------
toolchain=${FUZZ_TOOLCHAIN:-}
if [ -z "$toolchain" ]; then
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=nightly
  else
    toolchain=stable
  fi
fi
if [ "$toolchain" = nightly ]; then
  cargo_fuzz=(cargo +nightly fuzz)
else
  # With --sanitizer none cargo-fuzz passes only stable options (-Cpasses=sancov-module,
  # -Cllvm-args=-sanitizer-coverage-*, --cfg fuzzing); RUSTC_BOOTSTRAP=1 lets stable
  # rustc take the -Z options of the other modes too (a sanitizer, --build-std), should
  # someone add them. Only for this build: fuzz/target is a target folder of its own.
  export RUSTC_BOOTSTRAP=1
  cargo_fuzz=(cargo fuzz)
fi
step "toolchain: $toolchain ($(rustc ${toolchain:++$toolchain} --version 2>/dev/null || rustc --version))"

# --- build --------------------------------------------------------------------------
# --sanitizer none: the library has no unsafe code, so AddressSanitizer would find little
# beyond what Rust checks anyway, while it slows the build and every run about twice.
# Release with debug assertions: overflow checks and debug_assert! are findings too.
build_flags=(--sanitizer none --debug-assertions --release)
step "building the fuzz targets"
"${cargo_fuzz[@]}" build "${build_flags[@]}"
host=$(rustc -vV | sed -n 's/^host: //p')
bin_dir=fuzz/target/$host/release

# --- seed corpora -------------------------------------------------------------------
# Read in place, copied only into the git-ignored fuzz/corpus/<target>/ (which keeps
# what earlier runs found). Names carry the source path so seeds do not collide.
seed() { # seed TARGET FILE...
  local dir=fuzz/corpus/$1 f
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/seed-$(printf '%s' "$f" | tr -c 'A-Za-z0-9._-' '_')"
  done
}
find_seeds() { # find_seeds DIR... -- NAME-PATTERN...
  local dirs=()
  while [ "$1" != -- ]; do [ -d "$1" ] && dirs+=("$1"); shift; done
  shift
  [ ${#dirs[@]} -gt 0 ] || return 0
  local expr=() p
  for p in "$@"; do expr+=(-o -name "$p"); done
  find "${dirs[@]}" -type f \( "${expr[@]:1}" \) | sort
}
mapfile -t dsl < <(find_seeds examples tests/fixtures -- '*.plan' '*.proc' '*.scn' '*.roster')
seed parse "${dsl[@]}"
seed check "${dsl[@]}"
# fmt_edit: a seed byte and edit triples (fuzz/bodies.rs); a few starting points.
mkdir -p fuzz/corpus/fmt_edit
for pick in 0 1 2; do
  printf "\\x0$pick\\x10\\x00\\x02\\x80\\x01\\x03" >fuzz/corpus/fmt_edit/seed-$pick
done
mapfile -t windows < <(find_seeds examples tests/fixtures tests/data -- '*.csv')
seed windows_csv "${windows[@]}"
mapfile -t scns < <(find_seeds examples tests/fixtures tests/data -- '*.scn')
seed scenario "${scns[@]}"
mapfile -t rosters < <(find_seeds examples tests/fixtures -- '*.roster')
seed roster "${rosters[@]}"
mapfile -t rules < <(find_seeds examples tests/fixtures -- '*rules*.yaml')
seed flight_rules "${rules[@]}"
mapfile -t reqif < <(find_seeds requirements tests/fixtures "$shared/reqif" -- '*.reqif')
seed reqif "${reqif[@]}"
mapfile -t csvs < <(find_seeds requirements "$shared/csv" -- '*.csv')
mapfile -t fixture_csvs < <(find_seeds tests/fixtures -- 'req*.csv' 'atv-ops*.csv')
seed csv "${csvs[@]}" "${fixture_csvs[@]}"
mapfile -t xlsx < <(find_seeds requirements tests/fixtures "$shared/xlsx" -- '*.xlsx')
seed xlsx "${xlsx[@]}"
# ReqIFz seeds: the archives, but each large one (a DOORS Next export with images) only
# with its .reqif members, and two small ReqIF files zipped; a 600 KB seed would make
# every run of the target slow and the corpus grow by hundreds of MB. Without Python, the
# archives under 300 KB as they are.
mapfile -t reqifz < <(find_seeds requirements tests/fixtures "$shared/reqif" -- '*.reqifz')
mkdir -p fuzz/corpus/reqifz
if command -v python3 >/dev/null 2>&1; then
  python3 - fuzz/corpus/reqifz "${reqifz[@]}" -- "$shared/reqif/doorsng_fragment_escaped_xhtml.reqif" \
    "$shared/reqif/rmf_TC1300_short_namespace_prefix.reqif" <<'PY'
import os, shutil, sys, zipfile
out, args = sys.argv[1], sys.argv[2:]
cut = args.index("--")
def name(path, prefix="seed-"):
    return os.path.join(out, prefix + "".join(c if c.isalnum() or c in "._-" else "_" for c in path))
for path in args[:cut]:
    if os.path.getsize(path) <= 300_000:
        shutil.copyfile(path, name(path))
        continue
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(name(path, "seed-slim-"), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.lower().endswith(".reqif"):
                dst.writestr(info, src.read(info))
for path in args[cut + 1:]:
    if os.path.isfile(path):
        with zipfile.ZipFile(name(path, "seed-zipped-") + "z", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(path, os.path.basename(path))
PY
else
  for f in "${reqifz[@]}"; do
    if [ "$(wc -c <"$f")" -le 300000 ]; then seed reqifz "$f"; fi
  done
fi

# Dictionaries: the language's keywords (from the grammar) and punctuation, and the
# flight-rule keys and kinds, so that mutations form tokens the parsers know.
{
  grep -o '^kw_[a-z_]* = @{ "[^"]*"' grammar/opsplan.pest | sed 's/.*@{ //'
  printf '%s\n' '"{"' '"}"' '".."' '","' '"\""' '"//"' '"/*"' '"*/"' '"\x0a"' \
    '"2014/273 09:00"' '"30m"' '"+"' '"-"' '"("' '")"' '"="' '".start"' '".end"'
} >fuzz/corpus/opsplan.dict
{
  for w in rules id title kind select traces min margin windows a b preceding following \
    min_gap max_gap next_day steps period max_count max_duration resource max max_work \
    sleep tag role critical phase min_separation no_overlap requires_window \
    forbidden_window precedence requires_preceding requires_following sequence \
    max_per_period resource_capacity crew_day true false '- ' ': ' '[' ']' '{' '}' '*'; do
    printf '"%s"\n' "$w"
  done
} >fuzz/corpus/flight_rules.dict
dict_for() {
  case $1 in
    parse | check | scenario | roster) echo "-dict=fuzz/corpus/opsplan.dict" ;;
    flight_rules) echo "-dict=fuzz/corpus/flight_rules.dict" ;;
  esac
}

# --- runs ---------------------------------------------------------------------------
# One target's run, in the background when FUZZ_JOBS > 1; its outcome goes to
# fuzz/artifacts/<target>.status (the exit code) beside its log.
run_one() {
  local t=$1 corpus=fuzz/corpus/$1 artifacts=fuzz/artifacts/$1 status=0
  mkdir -p "$corpus" "$artifacts"
  # shellcheck disable=SC2046,SC2086 # dict_for and FUZZ_ARGS are lists of options
  "$bin_dir/$t" "$corpus" -artifact_prefix="$artifacts/" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 $(dict_for "$t") ${FUZZ_ARGS:-} >"fuzz/artifacts/$t.log" 2>&1 ||
    status=$?
  echo "$status" >"fuzz/artifacts/$t.status"
}
jobs_max=${FUZZ_JOBS:-1}
marker=$(mktemp)
trap 'rm -f "$marker"' EXIT
running=0
for t in $targets; do
  if [ ! -x "$bin_dir/$t" ]; then
    echo "fuzz: no such target: $t" >&2
    exit 2
  fi
  if [ "$running" -ge "$jobs_max" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  step "$t: ${seconds}s on $(find "fuzz/corpus/$t" -type f 2>/dev/null | wc -l) inputs"
  rm -f "fuzz/artifacts/$t.status"
  run_one "$t" &
  running=$((running + 1))
done
wait

failed=()
for t in $targets; do
  log=fuzz/artifacts/$t.log
  status=$(cat "fuzz/artifacts/$t.status" 2>/dev/null || echo "?")
  found=$(find "fuzz/artifacts/$t" -type f -newer "$marker" \
    \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
  echo "fuzz: $t: $(grep -E '^Done ' "$log" || echo 'did not finish')"
  if [ "$status" != 0 ] || [ -n "$found" ]; then
    echo "fuzz: $t FAILED (exit $status); log: $log" >&2
    grep -E -A30 'ERROR: libFuzzer|panicked at|deadly signal' "$log" | head -60 >&2 ||
      tail -40 "$log" >&2
    for a in $found; do
      echo "fuzz: $t artifact: $a (reproduce: $bin_dir/$t $a)" >&2
    done
    failed+=("$t")
  fi
done

step "done"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]}; docs/fuzzing.md tells how to make each a regression test" >&2
  exit 1
fi
