#!/usr/bin/env bash
# Quick start on Debian bookworm (or newer):
#   ./quickstart.sh        install what is missing, build (Release), run the main example
#   ./quickstart.sh test   the same, then run every test (ctest: GoogleTest, examples,
#                          pcap decoding with tshark) and check the code format
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
# and libsqlite3.so (stats) but does not depend on them.
packages=(build-essential cmake ninja-build pkg-config libns3-dev ns3 libgsl-dev libxml2-dev
    libsqlite3-dev libboost-dev libgtest-dev gnuplot-nox tshark clang-format python3
    python3-sphinx doxygen parallel)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -E)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
cd "$build"
ctest --output-on-failure -j "$(nproc)"
