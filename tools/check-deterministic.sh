#!/usr/bin/env bash
# check-deterministic.sh DIR PROGRAM [ARGS...]: runs PROGRAM twice with the same arguments
# (plus --csv=DIR/run-N.csv) and checks that both CSV files are identical byte for byte.
set -euo pipefail
dir=$1
shift
program=$1
shift
rm -rf "$dir"
mkdir -p "$dir"
for n in 1 2; do
    "$program" "$@" --csv="$dir/run-$n.csv" >"$dir/run-$n.log" 2>&1
done
rows=$(($(wc -l <"$dir/run-1.csv") - 1))
if cmp -s "$dir/run-1.csv" "$dir/run-2.csv"; then
    echo "check-deterministic: identical, $rows rows"
else
    diff "$dir/run-1.csv" "$dir/run-2.csv" | head -10
    echo "check-deterministic: outputs differ"
    exit 1
fi
