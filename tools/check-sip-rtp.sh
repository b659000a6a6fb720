#!/usr/bin/env bash
# check-sip-rtp.sh DIR PROGRAM [ARGS...]: runs PROGRAM (which must write pcaps) in DIR and
# checks that tshark finds SIP, SDP and RTP in them. RTP heuristics are off, so RTP is only
# recognised through the SDP offers/answers tshark saw. Prints "sip=N sdp=N rtp=N dhcp=N"
# (DHCP is counted, not required: not every program uses it).
set -euo pipefail
dir=$1
shift
program=$1
shift
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$program" "$@" >program.log 2>&1 || {
    cat program.log
    echo "check-sip-rtp: $program failed"
    exit 1
}
sip=0
sdp=0
rtp=0
dhcp=0
for f in *.pcap; do
    sip=$((sip + $(tshark -r "$f" -Y sip 2>/dev/null | wc -l)))
    sdp=$((sdp + $(tshark -r "$f" -Y sdp 2>/dev/null | wc -l)))
    rtp=$((rtp + $(tshark -r "$f" -o rtp.heuristic_rtp:FALSE -Y 'rtp && rtp.setup' 2>/dev/null | wc -l)))
    dhcp=$((dhcp + $(tshark -r "$f" -Y dhcp 2>/dev/null | wc -l)))
done
echo "check-sip-rtp: sip=$sip sdp=$sdp rtp=$rtp dhcp=$dhcp"
[ "$sip" -gt 0 ] && [ "$sdp" -gt 0 ] && [ "$rtp" -gt 0 ]
