#!/usr/bin/env bash
# Checks apartment-voip inside an ns-3 source tree: copies this repository into the tree's
# contrib/apartment-voip, configures only the modules it needs, builds the module, its
# GoogleTest program, its examples and experiment programs (not ns-3's own examples),
# runs the tests (ctest in the module's build folder) and every example with its defaults.
# ./ns3 (CMake, ns-3.36+) or ./waf (ns-3.35 and older, no GoogleTest program) is detected.
# Exit status 0 only if everything passed.
#
#   tools/check-ns3-tree.sh [--syntax-only] <ns-3 source tree>
#
# --syntax-only (CMake trees): configure, then compile every file of the module (library,
# tests, examples, experiments) with the tree's own flags and -fsyntax-only, without
# building ns-3: minutes instead of the hour a cold ns-3 build takes on two cores.
# Environment: JOBS (build jobs, default 2), NICE (niceness, default 15), PROFILE (ns-3
# build profile, default release), NS3_CMAKE_ARGS (extra CMake arguments after "--" of
# ./ns3 configure, e.g. -DCMAKE_CXX_FLAGS_RELEASE=-O1 for a faster build). In a waf tree,
# CXXFLAGS from the environment replaces waf's -O3 -g0 -Wall (e.g. CXXFLAGS='-O1 -Wall'), and
# WAF_TESTS=1 also builds ns-3's test-runner and runs the module's ns-3 TestSuite.
set -euo pipefail

usage() {
    echo "usage: $0 [--syntax-only] <path to an ns-3 source tree (with ./ns3 or ./waf)>" >&2
    exit 2
}
syntax_only=0
if [ "${1:-}" = --syntax-only ]; then
    syntax_only=1
    shift
fi
[ $# -eq 1 ] || usage
tree=$(cd "$1" 2>/dev/null && pwd) || {
    echo "check-ns3-tree: '$1' is not a folder" >&2
    exit 2
}
module=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}
nice=(nice -n "${NICE:-15}")
profile=${PROFILE:-release}
modules=(core network internet internet-apps csma point-to-point applications stats bridge
    mobility config-store fd-net-device apartment-voip)

if [ -x "$tree/ns3" ] && [ -f "$tree/CMakeLists.txt" ]; then
    kind=cmake
elif [ -x "$tree/waf" ]; then
    kind=waf
else
    echo "check-ns3-tree: $tree has neither ./ns3 (CMake) nor ./waf: not an ns-3 source tree" >&2
    exit 2
fi
release=$(cat "$tree/VERSION" 2>/dev/null || echo unknown)
log=$(mktemp -d "${TMPDIR:-/tmp}/check-ns3-tree.XXXXXX")
echo "== ns-3 $release ($kind) in $tree; logs in $log"

# 1. The module into contrib/ (its folder name must equal its library name).
dest=$tree/contrib/apartment-voip
if [ "$(cd "$dest" 2>/dev/null && pwd -P)" != "$(cd "$module" && pwd -P)" ]; then
    rm -rf "$dest"
    mkdir -p "$dest"
    tar -C "$module" --exclude=./build --exclude=./.git --exclude=./cmake-cache --exclude=./results \
        -cf - . | tar -C "$dest" -xf -
    echo "== copied $module to $dest"
fi

# Program names: build_lib_example(NAME x) in examples/ and experiments/*/.
programs() {
    cat "$module"/examples/CMakeLists.txt "$@" 2>/dev/null |
        tr '\n' ' ' | grep -o 'build_lib_example( *NAME  *[A-Za-z0-9_.-]*' | awk '{print $NF}'
}
mapfile -t examples < <(programs)
mapfile -t experiments < <(programs /dev/null "$module"/experiments/*/CMakeLists.txt |
    grep -vxF -f <(printf '%s\n' "${examples[@]}"))

fail=0
start=$(date +%s)
cd "$tree"
if [ $kind = cmake ]; then
    filter=()
    if ./ns3 configure --help 2>/dev/null | grep -q -- --filter-module-examples-and-tests; then
        filter=(--filter-module-examples-and-tests=apartment-voip)
    fi
    extra=()
    [ -n "${NS3_CMAKE_ARGS:-}" ] && read -r -a extra <<<"-- $NS3_CMAKE_ARGS"
    echo "== configure: ./ns3 configure -d $profile --enable-examples --enable-tests" \
        "--enable-modules=\"$(IFS=';'; echo "${modules[*]}")\" ${filter[*]} ${extra[*]}"
    if ! "${nice[@]}" ./ns3 configure -d "$profile" --enable-examples --enable-tests \
        --enable-modules="$(IFS=';'; echo "${modules[*]}")" "${filter[@]}" "${extra[@]}" \
        >"$log/configure.log" 2>&1; then
        tail -30 "$log/configure.log"
        echo "FAIL: configure"
        exit 1
    fi
    if [ $syntax_only -eq 1 ]; then
        # The module's compile commands, with -fsyntax-only instead of -o/-c.
        python3 - "$tree/cmake-cache/compile_commands.json" >"$log/syntax.cmds" <<'PY'
import json, shlex, sys
for e in json.load(open(sys.argv[1])):
    if "/contrib/apartment-voip/" not in e["file"]:
        continue
    args, skip = [], False
    for a in shlex.split(e["command"]):
        if skip or a == "-c" or a.startswith("-fdiagnostics-color"):
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        args.append(a)
    args.insert(1, "-fsyntax-only")
    print("cd %s && %s" % (shlex.quote(e["directory"]), " ".join(map(shlex.quote, args))))
PY
        n=$(wc -l <"$log/syntax.cmds")
        echo "== syntax-only: $n files of the module with the tree's compile commands"
        tr '\n' '\0' <"$log/syntax.cmds" | "${nice[@]}" xargs -0 -P "$jobs" -I{} bash -c '{}' \
            >"$log/syntax.log" 2>&1 || true
        # Any error fails; warnings only in the module's own files (not ns-3's).
        if [ "$n" -gt 0 ] && ! grep -qE 'error|contrib/apartment-voip/[^ ]*: warning:' \
            "$log/syntax.log"; then
            echo "PASS: apartment-voip in ns-3 $release ($kind): $n files compile (syntax only)," \
                "no error, no warning ($(($(date +%s) - start)) s)"
            exit 0
        fi
        grep -E 'error|warning:' "$log/syntax.log" | head -40
        echo "FAIL: apartment-voip in ns-3 $release ($kind), syntax only; logs in $log"
        exit 1
    fi
    # The library's target is libapartment-voip up to ns-3.42, apartment-voip since 3.43.
    lib=apartment-voip
    if cmake --build cmake-cache --target help 2>/dev/null | grep -qw libapartment-voip; then
        lib=libapartment-voip
    fi
    targets=("$lib" apartment-voip-gtest "${examples[@]}" "${experiments[@]}")
    echo "== build: cmake --build cmake-cache -j $jobs --target ${targets[*]}"
    if ! "${nice[@]}" cmake --build cmake-cache -j "$jobs" --target "${targets[@]}" \
        >"$log/build.log" 2>&1; then
        grep -E 'error|FAILED' "$log/build.log" | head -40
        echo "FAIL: build"
        exit 1
    fi
    # Warnings in the module's own files (ns-3's own are not ours to fix).
    if grep -E 'contrib/apartment-voip/[^ ]*: warning:' "$log/build.log"; then
        echo "FAIL: warnings in apartment-voip's code"
        fail=1
    fi
    echo "== built in $(($(date +%s) - start)) s"

    # 2. GoogleTest: the tests registered in the module's folder of cmake-cache.
    echo "== tests: ctest in cmake-cache/contrib/apartment-voip"
    if (cd cmake-cache/contrib/apartment-voip && "${nice[@]}" ctest -j "$jobs" --output-on-failure \
        >"$log/ctest.log" 2>&1); then
        grep -E 'tests passed' "$log/ctest.log"
    else
        grep -E 'tests passed|Failed|\*\*\*' "$log/ctest.log" | head -40
        echo "FAIL: tests"
        fail=1
    fi
    if ! grep -qE '100% tests passed, 0 tests failed out of [1-9]' "$log/ctest.log"; then
        fail=1
    fi
    run_example() { "${nice[@]}" ./ns3 run --no-build --cwd "$2" "$1"; }
elif [ $syntax_only -eq 1 ]; then
    echo "check-ns3-tree: --syntax-only needs a CMake tree (./ns3)" >&2
    exit 2
else
    echo "== configure: ./waf configure -d $profile --disable-werror --disable-python" \
        "--enable-examples --enable-tests --enable-modules=$(IFS=','; echo "${modules[*]}")"
    if ! "${nice[@]}" ./waf configure -d "$profile" --disable-werror --disable-python \
        --enable-examples --enable-tests --enable-modules="$(IFS=','; echo "${modules[*]}")" \
        >"$log/configure.log" 2>&1; then
        tail -30 "$log/configure.log"
        echo "FAIL: configure"
        exit 1
    fi
    targets=$(IFS=','; echo "${examples[*]},${experiments[*]}" | sed 's/,$//')
    # The module's wscript makes --targets copy the headers of ns-3's modules into build/ns3/
    # (waf creates no task for them otherwise). If a compiler error still names an installed
    # ns-3's headers (/usr/include/ns3: Debian's libns3-dev), the tree's were not used.
    echo "== build: ./waf build -j $jobs --targets=$targets"
    if ! "${nice[@]}" ./waf build -j "$jobs" --targets="$targets" >"$log/build.log" 2>&1; then
        grep -E 'error|failed' "$log/build.log" | head -40
        echo "FAIL: build"
        exit 1
    fi
    if grep -m 5 -E '/usr(/local)?/include/ns3' "$log/build.log"; then
        echo "FAIL: an installed ns-3's headers were used"
        exit 1
    fi
    if grep -E 'contrib/apartment-voip/[^ ]*: warning:' "$log/build.log"; then
        echo "FAIL: warnings in apartment-voip's code"
        fail=1
    fi
    echo "== built in $(($(date +%s) - start)) s"
    # No GoogleTest program under waf. The module's ns-3 TestSuite runs in ns-3's test-runner,
    # which links the tests of every enabled module, ns-3's own included (130 more files for
    # 3.35's): only on request.
    if [ "${WAF_TESTS:-0}" = 1 ]; then
        echo "== tests: ./waf build --targets=test-runner; ./test.py -n" \
            "--suite=apartment-voip"
        if "${nice[@]}" ./waf build -j "$jobs" --targets=test-runner >"$log/test-build.log" 2>&1 &&
            "${nice[@]}" ./test.py -n --suite=apartment-voip >"$log/test.log" 2>&1 &&
            grep -qE 'PASS.*: TestSuite apartment-voip$' "$log/test.log"; then
            grep -E 'TestSuite apartment-voip|tests passed' "$log/test.log"
        else
            grep -E 'error|FAIL|CRASH|tests passed' "$log/test-build.log" "$log/test.log" | head -40
            echo "FAIL: tests"
            fail=1
        fi
    else
        echo "== tests: no GoogleTest under waf; WAF_TESTS=1 runs the ns-3 TestSuite" \
            "(builds ns-3's test-runner and every enabled module's tests)"
    fi
    # ./waf --run builds every enabled ns-3 example and test first (ns-3.35's wscript narrows
    # the build to the program after waf has read --targets): run what was built above.
    run_example() { "${nice[@]}" ./waf --run-no-build "$1" --cwd "$2"; }
fi

# 3. Every example with its defaults, in a scratch folder (they may write files).
# apartment-emulation is left out: it runs inside network namespaces that
# tools/emulation/*.sh create (root only); it is built above.
for e in "${examples[@]}"; do
    [ "$e" = apartment-emulation ] && continue
    dir=$log/run-$e
    mkdir -p "$dir"
    if run_example "$e" "$dir" >"$log/$e.log" 2>&1; then
        echo "== example $e: ok"
    else
        tail -20 "$log/$e.log"
        echo "FAIL: example $e (exit status non-zero, output in $log/$e.log)"
        fail=1
    fi
done

if [ $fail -eq 0 ]; then
    echo "PASS: apartment-voip in ns-3 $release ($kind): built, tests and examples passed" \
        "($(($(date +%s) - start)) s)"
else
    echo "FAIL: apartment-voip in ns-3 $release ($kind); logs in $log"
fi
exit $fail
