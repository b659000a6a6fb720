#!/usr/bin/env bash
# Fails if any C++ source of ours differs from ns-3's .clang-format style.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cc' '*.h' 2>/dev/null || find model helper examples test experiments -name '*.cc' -o -name '*.h')
[ ${#files[@]} -eq 0 ] && exit 0
bad=0
for f in "${files[@]}"; do
    if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "format: $f differs from .clang-format (run: clang-format -i $f)"
        bad=1
    fi
done
exit $bad
