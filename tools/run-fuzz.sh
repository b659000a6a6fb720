#!/usr/bin/env bash
# run-fuzz.sh [SECONDS]: builds the libFuzzer targets with clang, ASan and UBSan in
# build-fuzz/ (once) and runs each for SECONDS (default 30, or $FUZZ_SECONDS) from the
# seed corpus in fuzz/corpus/. Fails on any crash, leak, sanitizer report or failed round
# trip; the input that caused it is kept in build-fuzz/fuzz/artifacts/. Prints the
# executions per target. FUZZ_RUNS=N runs each target N executions instead of a time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-30}}
build=${FUZZ_BUILD_DIR:-build-fuzz}
here=$(pwd)
if ! command -v clang++-14 >/dev/null; then
    echo "run-fuzz: clang++-14 is missing (apt-get install clang-14 libfuzzer-14-dev)" >&2
    exit 2
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAPARTMENT_VOIP_SANITIZE=ON -DAPARTMENT_VOIP_FUZZ=ON -DAPARTMENT_VOIP_WERROR=ON \
    "${launcher[@]}" >/dev/null
targets=$(sed -n '/set(apartment_voip_fuzz_targets/,/)/p' fuzz/CMakeLists.txt | sed '1d;$d')
cmake --build "$build" -j "$(nproc)" --target $(printf 'fuzz-%s ' $targets)

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$here/tools/sanitizer/ubsan.supp}
limit=(-max_total_time="$seconds")
[ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
mkdir -p "$build/fuzz/artifacts"
failed=0
printf '%-16s %12s %10s %s\n' target executions exec/s result
for t in $targets; do
    work=$(mktemp -d)
    log=$work/log
    if "$build/fuzz/fuzz-$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/fuzz/artifacts/$t-" "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        failed=1
    fi
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
    printf '%-16s %12s %10s %s\n' "$t" "$execs" "$rate" "$result"
    if [ "$result" = FAILED ]; then
        grep -E 'ERROR|SUMMARY|fuzz finding|runtime error|Test unit written' "$log" | head -20
    fi
    rm -rf "$work"
done
if [ $failed -ne 0 ]; then
    echo "run-fuzz: a target failed (inputs in $build/fuzz/artifacts/)"
    exit 1
fi
echo "run-fuzz: every target ran ${FUZZ_RUNS:+$FUZZ_RUNS executions}${FUZZ_RUNS:-$seconds s} with no finding"
