#!/usr/bin/env bash
# CI: the whole GoogleTest suite under AddressSanitizer + UndefinedBehaviorSanitizer (gcc).
# Our code is instrumented; the MLIR/LLVM, curl and other Debian libraries are not, so findings
# inside them only show up where our code touches their memory.
#   BUILD_DIR   build directory (default build-asan)
#   JOBS        parallel build and test jobs (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${BUILD_DIR:-build-asan}"
jobs="${JOBS:-2}"
supp_dir="$PWD/scripts/sanitizer-suppressions"

start=$(date +%s)
# The compiler comes from CC/CXX, which CMake reads on a fresh folder only: naming it with
# -DCMAKE_CXX_COMPILER on an existing folder makes CMake wipe its cache, and the -D options
# below with it (a silently uninstrumented build).
# GCC documents that sanitizers raise false -Wmaybe-uninitialized warnings (GCC 12 flags
# std::regex internals in libstdc++ at -O2); the plain build keeps that warning under -Werror.
# -g1 (line tables) is all a sanitizer stack needs and compiles about 30% faster than -g.
CC=gcc CXX=g++ cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS=-Wno-maybe-uninitialized \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DKC_SANITIZE=address,undefined \
  -DKC_BUILD_BENCH=OFF
# Refuse to report a clean run of a build that is not what this script promises.
grep -q '^KC_SANITIZE:STRING=address,undefined$' "$build_dir/CMakeCache.txt" ||
  { echo "ci-sanitizers: $build_dir is not configured with KC_SANITIZE=address,undefined" >&2; exit 2; }
grep -qs 'set(CMAKE_CXX_COMPILER_ID "GNU")' "$build_dir"/CMakeFiles/*/CMakeCXXCompiler.cmake ||
  { echo "ci-sanitizers: $build_dir was configured with another compiler than gcc; remove it and rerun" >&2; exit 2; }
cmake --build "$build_dir" -j "$jobs"
built=$(date +%s)
# CPU time of everything the script ran (user + sys): on a shared machine a fairer measure than
# wall time. `times` must run in this shell, not in a $(...) subshell, to see its children.
cpu_file="$build_dir/ci-sanitizers.cpu"
times > "$cpu_file"
build_cpu=$(awk 'NR == 2 { print $1 " user + " $2 " sys" }' "$cpu_file")

# detect_leaks: leaks fail the test; suppressions cover third-party leaks only (see lsan.supp).
# abort_on_error / halt_on_error: the first finding fails the test case with a stack.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$supp_dir/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
status=0
# The co-simulation of every PLENA baseline on the Verilated RTL (PlenaRtlCosim) is left to the
# plain suite: under the sanitizers it runs Verilator's generated code for most of an hour; our
# RTL wrapper and the RTL itself still run here through plena_rtl_tests.
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure -E 'PlenaRtlCosim' || status=$?
done_at=$(date +%s)

echo "ci-sanitizers: build $((built - start)) s, tests $((done_at - built)) s, total $((done_at - start)) s wall"
times > "$cpu_file"
echo "ci-sanitizers: CPU of the build ${build_cpu}; build and tests $(awk 'NR == 2 { print $1 " user + " $2 " sys" }' "$cpu_file")"
exit "$status"
