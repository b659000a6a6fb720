#!/usr/bin/env bash
# expect-failure.sh REGEX PROGRAM [ARGS...]: passes if PROGRAM exits with status 1 or 2 (a
# clean refusal, not a crash or an abort) and its output matches REGEX.
set -uo pipefail
regex=$1
shift
out=$("$@" 2>&1)
status=$?
if [ $status -ne 1 ] && [ $status -ne 2 ]; then
    echo "$out" | tail -5
    echo "expect-failure: exit status $status, expected 1 or 2"
    exit 1
fi
if ! grep -qE -- "$regex" <<<"$out"; then
    echo "$out" | tail -5
    echo "expect-failure: output does not match '$regex'"
    exit 1
fi
echo "refused as expected (status $status): $(grep -E -- "$regex" <<<"$out" | head -1)"
