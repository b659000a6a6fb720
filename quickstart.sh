#!/usr/bin/env bash
# Quick start on Debian bookworm (or newer):
#   ./quickstart.sh        install what is missing, build (Release), run the main example
#   ./quickstart.sh test   the same, then run every test (ctest: GoogleTest, examples,
#                          pcap decoding with tshark), check the code format, then the
#                          sanitizer and fuzzing stage (tools/run-sanitizers.sh: clang with
#                          ASan and UBSan, libFuzzer; FUZZ_SECONDS per target, default 15)
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-run}
case "$mode" in
run | test) ;;
*)
    echo "usage: $0 [run|test]" >&2
    exit 2
    ;;
esac

# libxml2-dev and libsqlite3-dev: Debian's ns-3 CMake package links libxml2.so (config-store)
# and libsqlite3.so (stats) but does not depend on them. sip-tester (sipp) for the emulation
# tests, which run when the machine allows (root or CAP_NET_ADMIN) and are skipped otherwise;
# kamailio is left out on purpose: on a machine with systemd its package starts a daemon on
# the host's interfaces (install it by hand to run emulation.kamailio-napt).
packages=(build-essential cmake ninja-build pkg-config libns3-dev ns3 libgsl-dev libxml2-dev
    libsqlite3-dev libboost-dev libssl-dev libgtest-dev gnuplot-nox tshark clang-format python3
    python3-sphinx doxygen parallel sip-tester)
# The test command's sanitizer and fuzzing stage: installed when the distribution has them.
sanitizer_packages=(clang-14 libfuzzer-14-dev)
[ "$mode" = test ] && packages+=("${sanitizer_packages[@]}")
installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -E)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    install=()
    for p in "${missing[@]}"; do
        # Only the sanitizer packages may be absent from the distribution (then that stage
        # is skipped, saying so); anything else missing stops here, in apt-get.
        if [[ " ${sanitizer_packages[*]} " == *" $p "* ]] &&
            ! apt-cache show "$p" >/dev/null 2>&1; then
            continue
        fi
        install+=("$p")
    done
    echo "== installing: ${install[*]}"
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${install[@]}" >/dev/null
fi

build=${BUILD_DIR:-build}
echo "== configuring and building (Release) in $build/"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
werror=OFF
[ "$mode" = test ] && werror=ON # the test command also proves our code has no warning
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DAPARTMENT_VOIP_WERROR=$werror \
    "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)"

if [ "$mode" = run ]; then
    echo "== running apartment-complex"
    exec "$build/bin/apartment-complex"
fi

echo "== checking format (clang-format, ns-3 style)"
tools/check-format.sh
echo "== running tests"
(cd "$build" && ctest --output-on-failure -j "$(nproc)")

if ! installed clang-14 || ! installed libfuzzer-14-dev; then
    echo "== SKIPPED the sanitizer and fuzzing stage: clang-14 and libfuzzer-14-dev cannot be"
    echo "   installed from this distribution's package sources"
    exit 0
fi
echo "== sanitizer and fuzzing stage"
tools/run-sanitizers.sh "${FUZZ_SECONDS:-15}"
