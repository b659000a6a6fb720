#!/usr/bin/env bash
# check-install.sh BUILD SOURCE [CMAKE ARGS...]: installs the standalone build BUILD into a
# prefix under BUILD/install-test, checks the layout, then configures, builds and runs
# SOURCE/test/install-consumer (find_package(apartment-voip CONFIG)) against that prefix.
set -euo pipefail
build=$1
source=$2
shift 2
dir=$build/install-test
prefix=$dir/prefix
rm -rf "$dir"
mkdir -p "$dir"
cmake --install "$build" --prefix "$prefix" >"$dir/install.log"
for f in include/ns3/apartment-voip-module.h include/ns3/voip-helper.h \
    include/ns3/sip-terminal.h include/ns3/numbering-plan.h; do
    [ -f "$prefix/$f" ] || { echo "check-install: $f not installed"; exit 1; }
done
for f in apartment-voipConfig.cmake apartment-voipConfigVersion.cmake apartment-voipTargets.cmake; do
    [ -n "$(find "$prefix" -name "$f")" ] || { echo "check-install: $f not installed"; exit 1; }
done
[ -n "$(find "$prefix" -name 'libapartment-voip.so*')" ] || {
    echo "check-install: libapartment-voip.so not installed"
    exit 1
}
cmake -S "$source/test/install-consumer" -B "$dir/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release "$@" >"$dir/configure.log"
cmake --build "$dir/build" >"$dir/build.log"
# The program must use the installed library, not the one in the build folder.
lib=$(ldd "$dir/build/install-consumer" | awk '/libapartment-voip/ {print $3}')
case "$lib" in
"$prefix"/*) ;;
*)
    echo "check-install: install-consumer loads '$lib', not the installed library"
    exit 1
    ;;
esac
"$dir/build/install-consumer"
echo "check-install: built and ran install-consumer against $prefix"
