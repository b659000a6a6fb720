#!/usr/bin/env bash
# make-fuzz-corpus.sh BIN_DIR OUT_DIR: runs the examples with pcap on and writes, per fuzz
# target, the distinct UDP payloads of the module's own captures (one file each) as the
# seed corpus: SIP (5060) and the URIs, name-addrs and Vias in it, SDP bodies, RTP, DHCP,
# the block protocol (6767), P1-P7 (7070, 7072), KEEP (1023) and STUN (3478).
set -eu # no pipefail: head ends the payload pipelines early on purpose
bin=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin/apartment-call" --pcap --csv=none >/dev/null
"$bin/address-allocation" --pcap --timeline=0 --duration=600s >/dev/null
"$bin/nat-traversal" --pcap --duration=10s >/dev/null
mkdir napt && (cd napt && "$bin/apartment-call" --nat=napt --pcap --csv=none >/dev/null && for f in *.pcap; do mv "$f" "../napt-$f"; done)

# payloads FILTER: hex UDP payloads of every capture, deduplicated
payloads() {
    for f in *.pcap; do
        tshark -r "$f" -Y "$1" -T fields -e udp.payload 2>/dev/null || true
    done | tr -d ':' | sort -u
}
# save TARGET MAX: hex lines on stdin become at most MAX files in OUT/TARGET
save() {
    mkdir -p "$out/$1"
    head -n "$2" | while read -r hex; do
        [ -n "$hex" ] || continue
        f="$out/$1/$(printf '%s' "$hex" | sha1sum | cut -c1-16)"
        printf '%s' "$hex" | xxd -r -p >"$f"
    done
}
payloads 'udp.port == 5060' | save sip-message 40
payloads 'rtp' | save rtp 10
payloads 'udp.port == 67 || udp.port == 68' | save dhcp 20
payloads 'udp.port == 6767' | save block-protocol 20
payloads 'udp.port == 7070 || udp.port == 7072 || udp.port == 1023' | save traversal 24
payloads 'udp.port == 3478' | save stun 10
payloads 'udp.port == 5351' | save pcp 20

# Text pieces of the SIP messages for the URI, name-addr, Via, Digest and SDP targets.
mkdir -p "$out/sip-uri" "$out/sip-name-addr" "$out/sip-via" "$out/sip-digest" "$out/sdp"
for f in "$out"/sip-message/*; do
    tr -d '\r' <"$f" >"$work/msg"
    grep -m1 -oE '^[A-Z]+ [^ ]+ SIP/2.0' "$work/msg" | cut -d' ' -f2 >>"$work/uris" || true
    grep -E '^(From|To|Contact|Route|Record-Route):' "$work/msg" | cut -d' ' -f2- >>"$work/names" || true
    grep -E '^Via:' "$work/msg" | cut -d' ' -f2- >>"$work/vias" || true
    grep -E '^(WWW-Authenticate|Proxy-Authenticate|Authorization|Proxy-Authorization):' \
        "$work/msg" | cut -d' ' -f2- >>"$work/digests" || true
    awk 'body { print } /^$/ { body = 1 }' "$work/msg" >"$work/sdp"
    [ -s "$work/sdp" ] && cp "$work/sdp" "$out/sdp/$(sha1sum <"$work/sdp" | cut -c1-16)"
done
for kind in uris:sip-uri names:sip-name-addr vias:sip-via digests:sip-digest; do
    src=${kind%%:*}
    dst=${kind#*:}
    [ -f "$work/$src" ] || continue
    sort -u "$work/$src" | head -n 20 | while read -r line; do
        printf '%s' "$line" >"$out/$dst/$(printf '%s' "$line" | sha1sum | cut -c1-16)"
    done
done
for d in "$out"/*/; do
    echo "corpus $(basename "$d"): $(ls "$d" | wc -l) files"
done
