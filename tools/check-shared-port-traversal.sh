#!/usr/bin/env bash
# check-shared-port-traversal.sh DIR GLOB PORTS PROGRAM [ARGS...]: runs PROGRAM (which must
# write pcaps) in DIR, then counts in the captures matching GLOB the frames on the UDP
# PORTS (e.g. "5070 20000", a direct phone's SIP and RTP ports) that tshark decodes as
# seed-003 traversal (Lua dissector tools/wireshark/nat-traversal.lua), STUN, SIP and RTP.
# Fails unless traversal (or STUN) and SIP and RTP all share them. Prints the counts.
set -euo pipefail
dir=$1
glob=$2
ports=$3
shift 3
program=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$program" "$@" >program.log 2>&1 || {
    cat program.log
    echo "check-shared-port-traversal: $program failed"
    exit 1
}
shopt -s nullglob
# shellcheck disable=SC2206 # the glob is meant to expand here
files=($glob)
[ ${#files[@]} -gt 0 ] || {
    echo "check-shared-port-traversal: no capture matches $glob"
    exit 1
}
filter="udp.port in {${ports// /,}}"
count() {
    local n=0
    for f in "${files[@]}"; do
        n=$((n + $(tshark -r "$f" -X "lua_script:$here/wireshark/nat-traversal.lua" \
            -o rtp.heuristic_rtp:FALSE -Y "($filter) && ($1)" 2>/dev/null | wc -l)))
    done
    echo $n
}
nattrav=$(count nattrav)
stun=$(count stun)
sip=$(count sip)
rtp=$(count 'rtp && rtp.setup')
echo "check-shared-port-traversal: nattrav=$nattrav stun=$stun sip=$sip rtp=$rtp"
[ $((nattrav + stun)) -gt 0 ] && [ "$sip" -gt 0 ] && [ "$rtp" -gt 0 ]
