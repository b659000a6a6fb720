#!/usr/bin/env bash
# run-sanitizers.sh [FUZZ_SECONDS]: the robustness stage of the test command (CI).
#  1. builds, with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
#     build-sanitize/: the module, its GoogleTest binary, the examples apartment-complex,
#     apartment-call and address-allocation, and the libFuzzer targets;
#  2. runs every GoogleTest case and a few complete example runs under them, leaks
#     included: a complete run must free what it allocated;
#  3. runs each libFuzzer target for FUZZ_SECONDS (default 30) from fuzz/corpus/.
# SANITIZE_ALL=1 builds every example and experiment and runs every example test instead
# of the few (about three times the CPU time; CI keeps to the few to stay within budget).
# Any sanitizer report fails the stage. Reports from inside Debian's uninstrumented ns-3
# are silenced in tools/sanitizer/*.supp, one line each with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
seconds=${1:-${FUZZ_SECONDS:-30}}
build=${SANITIZE_BUILD_DIR:-build-sanitize}
all=${SANITIZE_ALL:-0}
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
fuzz_targets=$(sed -n '/set(apartment_voip_fuzz_targets/,/)/p' fuzz/CMakeLists.txt | sed '1d;$d')
if [ "$all" = 1 ]; then
    cmake --build "$build" -j "$(nproc)"
else
    cmake --build "$build" -j "$(nproc)" --target apartment-voip-gtest apartment-complex \
        apartment-call address-allocation $(printf 'fuzz-%s ' $fuzz_targets)
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:suppressions=$here/tools/sanitizer/asan.supp"
export LSAN_OPTIONS="suppressions=$here/tools/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$here/tools/sanitizer/ubsan.supp"
# Tests that are not GoogleTest cases: programs, tshark, gnuplot, the installed package,
# emulation (needs the program built in Release) and the ns-3 TestSuite runner (its cases
# are GoogleTest cases too).
others='^(example|pcap|deterministic|experiment|tools|doc|attributes|install|benchmark|scale|scratch|emulation|ns3-test-suite)\.'
# The examples run in CI: a complete apartment-complex run (DHCP, registrations, calls in
# and out through the NAT, withdrawals), calls with loss and through each NAT mode, and
# the address manager with its database.
few='^example\.(complex-default|complex-wan-loss|call-scene|call-wan-loss|call-nat-scene|call-napt-scene|call-pool-scene|address-default|address-restart)$'
echo "== sanitizers: GoogleTest cases"
(cd "$build" && ctest -j "$(nproc)" --output-on-failure -E "$others")
echo "== sanitizers: example runs"
if [ "$all" = 1 ]; then
    # pcap, determinism and sweep tests repeat the same code paths with tshark and gnuplot
    # around them: the plain build runs them.
    (cd "$build" && ctest -j "$(nproc)" --output-on-failure -R '^example\.')
else
    (cd "$build" && ctest -j "$(nproc)" --output-on-failure -R "$few")
fi

echo "== fuzzing: $seconds s per target"
FUZZ_BUILD_DIR=$build tools/run-fuzz.sh "$seconds"
