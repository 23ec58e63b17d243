#!/usr/bin/env bash
# Bounded libFuzzer runs of every target in tests/fuzz/ (docs/reliability.md, "Fuzzing").
#
#   scripts/fuzz.sh [-t SECONDS] [-p 1|2] [TARGET...]
#
#   -t SECONDS   time per target (default: $KC_FUZZ_SECONDS or 20)
#   -n RUNS      a fixed number of inputs per target with a fixed seed (default: $KC_FUZZ_RUNS,
#                unset = as many as fit in the time): the same inputs on every machine, so a
#                CI result does not depend on the machine's speed; -t stays the cap
#   -p N         targets run at once, 1 or 2 (default: $KC_FUZZ_PARALLEL or 1)
#   TARGET       names without the fuzz_ prefix (default: all of them)
#
# Builds build-fuzz (clang-16, -DKC_BUILD_FUZZ=ON) when needed, copies each seed corpus to a
# temporary directory so nothing is written into the repository, runs each target with
# -max_total_time, -timeout=10 and -rss_limit_mb=2048, and prints one line per target. Exits
# non-zero when any target found a crash (including sanitizer reports, timeouts, OOM and leaks)
# and prints the reproducer's path and the command that replays it; the temporary directory
# is then kept, otherwise removed.
#
# Environment: KC_FUZZ_BUILD_DIR (default build-fuzz), CC/CXX for a fresh configure (default
# clang-16/clang++-16), KC_FUZZ_BUILD_JOBS (default 2).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${KC_FUZZ_SECONDS:-20}"
runs="${KC_FUZZ_RUNS:-}"
parallel="${KC_FUZZ_PARALLEL:-1}"
build_dir="${KC_FUZZ_BUILD_DIR:-build-fuzz}"
all_targets=(plena_assembler plena_simulator coral_assembler coral_simulator aie_assembler aie_simulator task_loader agent_config run_spec memory_image
             mlir_reference wire_openai wire_anthropic wire_gemini transcript)

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while getopts "t:n:p:h" opt; do
  case "$opt" in
    t) seconds="$OPTARG" ;;
    n) runs="$OPTARG" ;;
    p) parallel="$OPTARG" ;;
    h) usage 0 ;;
    *) usage 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")

[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: -t wants a positive number of seconds, got '$seconds'" >&2; exit 2; }
[[ -z "$runs" || "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: -n wants a positive number of runs, got '$runs'" >&2; exit 2; }
[[ "$parallel" == 1 || "$parallel" == 2 ]] || { echo "fuzz.sh: -p wants 1 or 2, got '$parallel'" >&2; exit 2; }
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 2; }
  [[ -d "tests/fuzz/corpus/$t" ]] || { echo "fuzz.sh: no seed corpus tests/fuzz/corpus/$t" >&2; exit 2; }
done

# --- build ---------------------------------------------------------------------------------------
if [[ ! -f "$build_dir/build.ninja" ]]; then
  echo "fuzz.sh: configuring $build_dir"
  # clang warns about a few C++20 extensions GCC accepts silently; they must not stop fuzzing.
  CC="${CC:-clang-16}" CXX="${CXX:-clang++-16}" cmake -S . -B "$build_dir" -G Ninja \
    -DKC_BUILD_FUZZ=ON -DKC_BUILD_BENCH=OFF -DKC_BUILD_TESTS=OFF \
    -DKC_WARNINGS_AS_ERRORS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
if ! build_log="$(cmake --build "$build_dir" -j"${KC_FUZZ_BUILD_JOBS:-2}" --target "${build_targets[@]}" 2>&1)"; then
  echo "$build_log" | tail -30 >&2
  echo "fuzz.sh: building the fuzz targets in $build_dir failed" >&2
  exit 2
fi

# --- run -----------------------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/kc-fuzz.XXXXXX")"
keep_work=0
cleanup() { if [[ $keep_work == 0 ]]; then rm -rf "$work"; else rm -rf "$work/corpus" "$work/tmp"; fi; }
trap cleanup EXIT

run_target() {
  local t="$1"
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t" "$work/tmp/$t"
  cp -R "tests/fuzz/corpus/$t/." "$work/corpus/$t/"
  local status=0
  # TMPDIR: the targets' scratch files land in the work directory, even after a crash.
  local fixed=()
  [[ -z "$runs" ]] || fixed=(-runs="$runs" -seed=1)
  TMPDIR="$work/tmp/$t" "$build_dir/tests/fuzz/fuzz_$t" "${fixed[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t/" "$work/corpus/$t" >"$work/$t.log" 2>&1 || status=$?
  echo "$status" >"$work/$t.status"
}

active=0
for t in "${targets[@]}"; do
  run_target "$t" &
  active=$((active + 1))
  if [[ $active -ge $parallel ]]; then wait -n || true; active=$((active - 1)); fi
done
wait || true

# --- summary -------------------------------------------------------------------------------------
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }
# A run that crashed prints no final stats; its last status line still counts the executions.
last_count() { sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$1" | tail -1; }
failed=0
for t in "${targets[@]}"; do
  log="$work/$t.log"
  seeds=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
  corpus=$(find "$work/corpus/$t" -type f | wc -l)
  execs=$(final_stat number_of_executed_units "$log"); execs=${execs:-$(last_count "$log")}
  rate=$(final_stat average_exec_per_sec "$log"); rate=${rate:-?}
  mapfile -t reproducers < <(find "$work/artifacts/$t" -type f | sort)
  status=$(cat "$work/$t.status")
  printf '%-16s %10s execs %7s exec/s  corpus %4s -> %-5s crashes %s\n' \
    "$t" "$execs" "$rate" "$seeds" "$corpus" "${#reproducers[@]}"
  if [[ ${#reproducers[@]} -gt 0 || "$status" != 0 ]]; then
    failed=1
    keep_work=1
    for r in "${reproducers[@]}"; do
      echo "  reproducer: $r"
      echo "  replay:     $build_dir/tests/fuzz/fuzz_$t $r"
    done
    [[ ${#reproducers[@]} -gt 0 ]] || echo "  fuzz_$t exited with status $status and left no reproducer"
    echo "  log:        $log"
    grep -m1 -E "ERROR: |runtime error:|property violated|uncaught exception|terminate called" "$log" \
      | sed 's/^/  first report: /' || true
  fi
done
if [[ $failed != 0 ]]; then
  echo "fuzz.sh: crashes found; reproducers and logs kept in $work" >&2
  exit 1
fi
