#!/usr/bin/env bash
# check-no-private.sh DIR GLOB PROGRAM [ARGS...]: runs PROGRAM (which must write pcaps) in
# DIR, then checks with tshark that the captures matching GLOB (the outside of a NAT) carry
# no private address (RFC 1918) in ip.src, ip.dst, SDP c= or o= lines, and that they do
# hold SIP with SDP and RTP (so an empty capture fails). Prints the counts.
# NO_PRIVATE_PATTERN (an extended regex) replaces RFC 1918 as what must not appear, e.g. a
# flat's private /24 on a complex's backbone, where the complex's own private addresses
# are expected.
set -euo pipefail
dir=$1
glob=$2
shift 2
program=$1
shift
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$program" "$@" >program.log 2>&1 || {
    cat program.log
    echo "check-no-private: $program failed"
    exit 1
}
shopt -s nullglob
# shellcheck disable=SC2206 # the glob is meant to expand here
files=($glob)
if [ ${#files[@]} -eq 0 ]; then
    echo "check-no-private: no capture matches $glob:"
    ls
    exit 1
fi
private=${NO_PRIVATE_PATTERN:-'(^|[^0-9.])(10\.[0-9]+|192\.168|172\.(1[6-9]|2[0-9]|3[01]))\.[0-9]+'}
packets=0
sdp=0
rtp=0
leaks=0
for f in "${files[@]}"; do
    fields=$(tshark -r "$f" -o rtp.heuristic_rtp:FALSE -Y ip -T fields -E separator=' ' \
        -e ip.src -e ip.dst -e sdp.connection_info -e sdp.owner 2>/dev/null)
    packets=$((packets + $(printf '%s\n' "$fields" | grep -c . || true)))
    sdp=$((sdp + $(tshark -r "$f" -Y sdp.connection_info 2>/dev/null | wc -l)))
    rtp=$((rtp + $(tshark -r "$f" -o rtp.heuristic_rtp:FALSE -Y 'rtp && rtp.setup' 2>/dev/null |
        wc -l)))
    found=$(printf '%s\n' "$fields" | grep -E "$private" || true)
    if [ -n "$found" ]; then
        leaks=$((leaks + $(printf '%s\n' "$found" | wc -l)))
        echo "check-no-private: $f: private addresses in:"
        head -5 <<<"$found"
    fi
done
echo "check-no-private: files=${#files[@]} packets=$packets sdp=$sdp rtp=$rtp leaks=$leaks"
[ "$leaks" -eq 0 ] && [ "$packets" -gt 0 ] && [ "$sdp" -gt 0 ] && [ "$rtp" -gt 0 ]
