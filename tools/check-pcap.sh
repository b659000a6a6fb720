#!/usr/bin/env bash
# check-pcap.sh DIR PROGRAM [ARGS...]: runs PROGRAM in DIR (fresh), then checks every pcap it
# wrote with tshark: no malformed packet, no bad IPv4/UDP/TCP checksum, at least one packet.
# Wireshark Lua dissectors of this module (tools/wireshark/*.lua) are loaded. With
# CHECK_PCAP_REQUIRE set to a display filter (e.g. portcontrol), at least one packet of all
# the captures must match it.
set -euo pipefail
dir=$1
shift
program=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$program" "$@" >program.log 2>&1 || {
    cat program.log
    echo "check-pcap: $program failed"
    exit 1
}
shopt -s nullglob
pcaps=(*.pcap)
[ ${#pcaps[@]} -gt 0 ] || {
    echo "check-pcap: no pcap written"
    exit 1
}
lua=()
for f in "$here"/wireshark/*.lua; do lua+=(-X "lua_script:$f"); done
total=0
bad=0
for f in "${pcaps[@]}"; do
    n=$(tshark -r "$f" "${lua[@]}" 2>/dev/null | wc -l)
    total=$((total + n))
    problems=$(tshark -r "$f" "${lua[@]}" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
        -o tcp.check_checksum:TRUE \
        -Y '_ws.malformed || _ws.expert.severity >= error || ip.checksum.status == 0 || udp.checksum.status == 0 || tcp.checksum.status == 0' \
        2>/dev/null || true)
    if [ -n "$problems" ]; then
        echo "check-pcap: problems in $f:"
        echo "$problems" | head -20
        bad=1
    fi
done
if [ -n "${CHECK_PCAP_REQUIRE:-}" ]; then
    required=0
    for f in "${pcaps[@]}"; do
        required=$((required + $(tshark -r "$f" "${lua[@]}" -Y "$CHECK_PCAP_REQUIRE" 2>/dev/null | wc -l)))
    done
    echo "check-pcap: $required packets match $CHECK_PCAP_REQUIRE"
    [ "$required" -gt 0 ] || bad=1
fi
echo "check-pcap: ${#pcaps[@]} files, $total packets, $([ $bad = 0 ] && echo 'no malformed packet, no bad checksum' || echo 'PROBLEMS')"
exit $bad
