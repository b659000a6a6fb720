#!/usr/bin/env bash
# Regenerates every experiment figure from the committed sweep definitions:
#
#   tools/make-figures.sh [--quick] [--bin build/bin] [--out results] [--figures doc/figures]
#                         [--jobs N] [--only NAME] [--fresh]
#
# For every experiments/<name>/*.ini (sweep.ini first, then the variants such as mmcc.ini),
# runs tools/run-sweep.py (--resume, so an interrupted call finishes what is left) into
# <out>/<name> or <out>/<name>-<stem>, whose plot script writes the PDF and PNG there,
# then copies those figures into the figures folder. --quick runs the quick grids (what
# ctest runs) and, unless --figures is given, leaves the figures in <out>/figures instead
# of overwriting the committed ones in doc/figures. --only NAME limits it to one experiment
# folder; --fresh runs every run again (no --resume). Exit status 1 if any sweep failed
# (the others still run), 2 on a usage error.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
bin="$root/build/bin"
out=""
figures=""
jobs=""
only=""
resume=--resume
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --bin) bin=$2; shift ;;
    --out) out=$2; shift ;;
    --figures) figures=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --only) only=$2; shift ;;
    --fresh) resume="" ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-figures: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$out" ] || out="$root/results"
if [ -z "$figures" ]; then
    if [ $quick = 1 ]; then figures="$out/figures"; else figures="$root/doc/figures"; fi
fi
if [ ! -d "$bin" ]; then
    echo "make-figures: no program folder $bin (build first, or give --bin)" >&2
    exit 2
fi
if [ -n "$only" ] && [ ! -d "$root/experiments/$only" ]; then
    echo "make-figures: no experiment folder experiments/$only" >&2
    exit 2
fi
mkdir -p "$figures" "$out"

failed=()
made=()
for dir in "$root"/experiments/*/; do
    name=$(basename "$dir")
    [ -z "$only" ] || [ "$name" = "$only" ] || continue
    [ -f "$dir/sweep.ini" ] || continue
    # sweep.ini first, then the other sweep files of the folder in name order.
    inis=("$dir/sweep.ini")
    for ini in "$dir"/*.ini; do
        [ "$(basename "$ini")" = sweep.ini ] || inis+=("$ini")
    done
    for ini in "${inis[@]}"; do
        stem=$(basename "$ini" .ini)
        tag=$name
        [ "$stem" = sweep ] || tag="$name-$stem"
        args=("$ini" --bin "$bin" --out "$out/$tag")
        [ $quick = 1 ] && args+=(--quick)
        [ -n "$jobs" ] && args+=(--jobs "$jobs")
        [ -n "$resume" ] && args+=("$resume")
        echo "make-figures: $tag"
        start=$(date +%s)
        if ! python3 "$root/tools/run-sweep.py" "${args[@]}"; then
            failed+=("$tag")
            continue
        fi
        n=0
        for f in "$out/$tag"/*.png "$out/$tag"/*.pdf "$out/$tag"/*.svg; do
            [ -f "$f" ] || continue
            cp "$f" "$figures/"
            made+=("$(basename "$f")")
            n=$((n + 1))
        done
        if [ $n = 0 ]; then
            echo "make-figures: $tag plotted no figure" >&2
            failed+=("$tag")
        fi
        echo "make-figures: $tag done in $(($(date +%s) - start)) s, $n figures"
    done
done
echo "make-figures: ${#made[@]} figures in $figures: ${made[*]:-none}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "make-figures: failed: ${failed[*]}" >&2
    exit 1
fi
echo "make-figures: every sweep plotted"
