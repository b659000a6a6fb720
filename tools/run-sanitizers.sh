#!/usr/bin/env bash
# run-sanitizers.sh [FUZZ_SECONDS]: the robustness stage of the test command.
#  1. builds the module, its tests, examples and fuzz targets with clang, AddressSanitizer
#     and UndefinedBehaviorSanitizer in build-sanitize/;
#  2. runs every GoogleTest case and every example test under them (leaks included:
#     a complete example run must free what it allocated);
#  3. runs each libFuzzer target for FUZZ_SECONDS (default 30) from fuzz/corpus/.
# Any sanitizer report fails the stage. Reports from inside Debian's uninstrumented ns-3
# are silenced in tools/sanitizer/*.supp, one line each with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
seconds=${1:-${FUZZ_SECONDS:-30}}
build=${SANITIZE_BUILD_DIR:-build-sanitize}
if ! command -v clang++-14 >/dev/null; then
    echo "run-sanitizers: clang++-14 is missing (apt-get install clang-14 libfuzzer-14-dev)" >&2
    exit 2
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "== sanitizers: building (clang, ASan + UBSan) in $build/"
CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAPARTMENT_VOIP_SANITIZE=ON -DAPARTMENT_VOIP_FUZZ=ON -DAPARTMENT_VOIP_WERROR=ON \
    "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:suppressions=$here/tools/sanitizer/asan.supp"
export LSAN_OPTIONS="suppressions=$here/tools/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$here/tools/sanitizer/ubsan.supp"
echo "== sanitizers: GoogleTest cases and example runs"
# pcap, determinism and sweep tests repeat the same code paths with tshark and gnuplot
# around them: the plain build runs them.
(cd "$build" && ctest -j "$(nproc)" --output-on-failure -E '^(pcap|deterministic|experiment|tools|doc)\.')

echo "== fuzzing: $seconds s per target"
FUZZ_BUILD_DIR=$build tools/run-fuzz.sh "$seconds"
