#!/bin/bash
# sipp against the simulated complex, in a network namespace this script creates and removes.
#   (a) a sipp UAC (remote caller) calls a flat's household number (every terminal of the
#       flat rings, the first to answer takes the call, the others are cancelled), then a
#       terminal number, through the simulated outside gatekeeper; the first call also
#       plays sipp's g711a.pcap, both echo the phone's RTP back (-rtp_echo);
#   (b) a sipp UAS (far phone) answers the calls simulated terminals place to the far
#       prefix and echoes their RTP.
# Exit 0 only if sipp reports every call successful and apartment-emulation saw every call
# answered with RTP received; 77 (skipped) when the machine cannot run emulation.
#
#   tools/emulation/sipp-calls.sh [--nat=none|static|pool|napt] [--proxy=kamailio]
#                                 [--calls=N] [simulation options...]
# --proxy=kamailio: Kamailio (tools/emulation/kamailio.cfg) replaces the simulated outside
# gatekeeper for the complex: the complex's gatekeeper routes outside calls to it, and the
# sipp UAC calls the complex through it.

source "$(dirname "$0")/common.sh"

NAT=none
PROXY=""
CALLS=2 # calls each way
EXTRA=()
for a in "$@"; do
    case "$a" in
    --nat=*) NAT="${a#--nat=}" ;;
    --proxy=kamailio) PROXY=kamailio ;;
    --calls=*) CALLS="${a#--calls=}" ;;
    --help | -h)
        sed -n '2,17p' "$0"
        exit 0
        ;;
    *) EXTRA+=("$a") ;;
    esac
done
case "$NAT" in none | static | pool | napt) ;; *)
    echo "error: --nat must be none, static, pool or napt" >&2
    exit 2
    ;;
esac
if ! [[ "$CALLS" =~ ^[0-9]+$ ]] || [ "$CALLS" -lt 2 ] || [ "$CALLS" -gt 200 ]; then
    echo "error: --calls must be 2 to 200" >&2
    exit 2
fi

if [ -n "$PROXY" ]; then
    emu_require sipp kamailio
else
    emu_require sipp
fi
emu_setup
HERE="$(cd "$(dirname "$0")" && pwd)"
cp "$HERE/uac.xml" "$HERE/uas.xml" "$EMU_DIR/"
sed 's#<!-- play:.*-->#<nop><action><exec play_pcap_audio="g711a.pcap"/></action></nop>#' \
    "$HERE/uac.xml" >"$EMU_DIR/uac-pcap.xml"
PCAP=/usr/share/sip-tester/g711a.pcap
[ -f "$PCAP" ] && cp "$PCAP" "$EMU_DIR/"
cd "$EMU_DIR" || exit 1

KAM_PORT=5070
# HardLimit 500 ms (the example's default is 100 ms): on a shared 2-core machine at load 12
# or more, the start of the run (first events, cold code and pages) alone once lagged 105 ms.
# EMU_HARD_LIMIT=100ms makes it strict again.
SIM_ARGS=(--nat="$NAT" --dialOut="$CALLS" --expectIncoming="$CALLS" --dialOutStart=4s
    --dialOutInterval=3s --holding=3s --hardLimit="${EMU_HARD_LIMIT:-500ms}")
if [ -n "$PROXY" ]; then
    SIM_ARGS+=(--proxy="$EMU_LINUX_ADDR:$KAM_PORT" --dialRemote="$CALLS")
fi
# Time: the sipp UAC calls take about 5 s each, one after another; the dial-outs run beside.
DURATION=$((10 + 6 * CALLS))
emu_start_sim "${SIM_ARGS[@]}" --duration="${DURATION}s" "${EXTRA[@]}" || exit 1

ENTRY="$OUTSIDE_GK"
if [ -n "$PROXY" ]; then
    emu_exec kamailio -f "$HERE/kamailio.cfg" -DD -E -n 1 -Y "$EMU_DIR" -P "$EMU_DIR/kam.pid" \
        -l "udp:$EMU_LINUX_ADDR:$KAM_PORT" -A "COMPLEX_GK=\"sip:$COMPLEX_GK\"" \
        -A "OUTSIDE_GK=\"sip:$OUTSIDE_GK\"" -A "FAR_PHONE=\"sip:$EMU_LINUX_ADDR:5061\"" \
        >"$EMU_DIR/kamailio.log" 2>&1 &
    EMU_PIDS+=($!)
    ENTRY="$EMU_LINUX_ADDR:$KAM_PORT"
    sleep 1
    if ! kill -0 "${EMU_PIDS[-1]}" 2>/dev/null; then
        emu_log "kamailio did not start:"
        cat "$EMU_DIR/kamailio.log" >&2
        exit 1
    fi
    emu_log "kamailio on $ENTRY"
fi

# (b) the far phone, in the background: answers CALLS calls, then ends.
emu_exec timeout $((DURATION + 10)) sipp -sf uas.xml -i "$EMU_LINUX_ADDR" -p 5061 -mp 6100 \
    -m "$CALLS" -rtp_echo -nostdin -timeout "$((DURATION + 5))s" -trace_err -trace_msg \
    -message_file uas-messages.log -error_file uas-errors.log >uas.out 2>&1 &
UAS_PID=$!
EMU_PIDS+=("$UAS_PID")

# (a) the remote caller: the household, then terminals.
status=0
for i in $(seq 1 "$CALLS"); do
    if [ "$i" -eq 1 ]; then
        target="$HOUSEHOLD"
        scenario=uac-pcap.xml
        [ -f g711a.pcap ] || scenario=uac.xml
    else
        target="$TERMINAL"
        scenario=uac.xml
    fi
    emu_log "sipp UAC call $i: $target via $ENTRY ($scenario)"
    if ! emu_exec timeout 30 sipp "$ENTRY" -sf "$scenario" -s "$target" -key caller 300000000009 \
        -i "$EMU_LINUX_ADDR" -p 5060 -mp 6000 -m 1 -rtp_echo -nostdin -timeout 25s \
        -trace_err -trace_msg -message_file "uac-$i-messages.log" \
        -error_file "uac-$i-errors.log" >"uac-$i.out" 2>&1; then
        emu_log "sipp UAC call $i FAILED:"
        tail -30 "uac-$i-errors.log" >&2 2>/dev/null
        status=1
    fi
done

emu_wait_sim $((DURATION + 20)) || status=1
for i in $(seq 1 $((DURATION + 15))); do
    kill -0 "$UAS_PID" 2>/dev/null || break
    sleep 1
done
if ! wait "$UAS_PID"; then
    emu_log "sipp UAS FAILED:"
    tail -30 uas-errors.log >&2 2>/dev/null
    tail -5 uas.out >&2
    status=1
fi
if [ -n "${EMU_SAVE:-}" ]; then
    mkdir -p "$EMU_SAVE" && cp -r "$EMU_DIR"/. "$EMU_SAVE"/
fi
if [ "$status" -eq 0 ]; then
    echo "emulation sipp (nat $NAT${PROXY:+, $PROXY}): $CALLS calls each way: ok"
else
    echo "emulation sipp (nat $NAT${PROXY:+, $PROXY}): FAILED (files kept in ${EMU_SAVE:-nowhere; set EMU_SAVE=dir})"
fi
exit "$status"
