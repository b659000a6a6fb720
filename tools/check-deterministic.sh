#!/usr/bin/env bash
# check-deterministic.sh DIR PROGRAM [ARGS...]: runs PROGRAM twice with the same arguments
# in two fresh folders and fails unless its output and every file it wrote are identical.
set -euo pipefail
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir/a" "$dir/b"
(cd "$dir/a" && "$@" >stdout.txt 2>&1)
(cd "$dir/b" && "$@" >stdout.txt 2>&1)
if ! diff -r "$dir/a" "$dir/b" >"$dir/diff.txt"; then
    head -20 "$dir/diff.txt"
    echo "check-deterministic: two runs with the same seed and run number differ"
    exit 1
fi
echo "check-deterministic: $(ls "$dir/a" | wc -l) files identical across two runs"
