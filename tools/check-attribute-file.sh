#!/usr/bin/env bash
# check-attribute-file.sh DIR PROGRAM [ARGS...]: runs PROGRAM three times in fresh folders:
# as it is, saving its attributes (ConfigStore Mode=Save) and loading the saved file
# (Mode=Load). Fails unless the three runs print and write the same, byte for byte: saving
# must not change a run, and the saved file must reproduce it.
set -euo pipefail
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir/plain" "$dir/save" "$dir/load"
store=(--ns3::ConfigStore::FileFormat=RawText)
(cd "$dir/plain" && "$@" >stdout.txt 2>&1)
(cd "$dir/save" && "$@" "${store[@]}" --ns3::ConfigStore::Mode=Save \
    --ns3::ConfigStore::Filename=../attributes.txt >stdout.txt 2>&1)
(cd "$dir/load" && "$@" "${store[@]}" --ns3::ConfigStore::Mode=Load \
    --ns3::ConfigStore::Filename=../attributes.txt >stdout.txt 2>&1)
for needed in '^global RngRun "' '^default ns3::apartment::'; do
    if ! grep -q "$needed" "$dir/attributes.txt"; then
        echo "check-attribute-file: the saved file has no line matching $needed"
        exit 1
    fi
done
for mode in save load; do
    if ! diff -r "$dir/plain" "$dir/$mode" >"$dir/diff-$mode.txt"; then
        head -20 "$dir/diff-$mode.txt"
        echo "check-attribute-file: the run with Mode=${mode^} differs from the plain run"
        exit 1
    fi
done
echo "check-attribute-file: $(wc -l <"$dir/attributes.txt") saved lines; Save and Load runs" \
    "identical to the plain run"
