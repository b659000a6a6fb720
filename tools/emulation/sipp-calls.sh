#!/bin/bash
# sipp against the simulated complex, in a network namespace this script creates and removes.
#   (0) sipp registers the Linux side's number at the simulated outside gatekeeper and
#       answers its 401 digest challenge (register.xml, -au/-ap: the number and the password
#       the simulation prints for it; MD5, the only algorithm sipp 3.6 answers);
#   (a) a sipp UAC (remote caller, that number) calls a flat's household number (every terminal of the
#       flat rings, the first to answer takes the call, the others are cancelled), then a
#       terminal number, through the simulated outside gatekeeper; the first call also
#       plays sipp's g711a.pcap, both echo the phone's RTP back (-rtp_echo);
#   (b) a sipp UAS (far phone) answers the calls simulated terminals place to the far
#       prefix and echoes their RTP.
#       Without --proxy the outside gatekeeper challenges these INVITEs too (407), and the
#       UAC answers with Proxy-Authorization.
# Exit 0 only if sipp reports every call successful, the sipp traces hold the challenges
# (one 401, and one 407 per call without --proxy), the outside gatekeeper refused no
# credentials, and apartment-emulation saw every call answered with RTP received; 77 (skipped) when the machine cannot run emulation.
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
        sed -n '2,24p' "$0"
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
cp "$HERE/uas.xml" "$HERE/register.xml" "$EMU_DIR/"
if [ -n "$PROXY" ]; then
    # Kamailio takes the calls to the complex's gatekeeper, which challenges no INVITE.
    sed -e '/<!-- challenge: begin -->/,/<!-- challenge: end -->/d' -e '/\[authentication\]/d' \
        "$HERE/uac.xml" >"$EMU_DIR/uac.xml"
else
    cp "$HERE/uac.xml" "$EMU_DIR/uac.xml"
fi
sed 's#<!-- play:.*-->#<nop><action><exec play_pcap_audio="g711a.pcap"/></action></nop>#' \
    "$EMU_DIR/uac.xml" >"$EMU_DIR/uac-pcap.xml"
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
else
    SIM_ARGS+=(--authenticateInvite=1)
fi
# Time: the sipp UAC calls take about 5 s each, one after another; the dial-outs run beside.
DURATION=$((10 + 6 * CALLS))
emu_start_sim "${SIM_ARGS[@]}" --duration="${DURATION}s" "${EXTRA[@]}" || exit 1

if [ "$LINUX_PASSWORD" = "-" ]; then
    echo "skipped: apartment-emulation built without libcrypto (no digest authentication)"
    exit $EMU_SKIP
fi
if [ "$OUTSIDE_DIGEST" != "MD5" ]; then
    emu_log "the outside gatekeeper challenges with $OUTSIDE_DIGEST; sipp 3.6 answers MD5 only"
    exit 1
fi

# The caller has an address of its own on the tap network (in the namespace only): the
# outside gatekeeper does not challenge INVITEs from the address it routes the far prefix
# to (a peer it routes to is a gatekeeper that authenticated its caller).
CALLER_ADDR=198.18.0.3
ip -n "$EMU_NS" addr add "$CALLER_ADDR/24" dev "$EMU_TAP"

# (0) the Linux side's number registers, answering the 401 challenge.
status=0
emu_log "sipp registers $LINUX_NUMBER at $OUTSIDE_GK"
if ! emu_exec timeout 20 sipp "$OUTSIDE_GK" -sf register.xml -key caller "$LINUX_NUMBER" \
    -au "$LINUX_NUMBER" -ap "$LINUX_PASSWORD" -i "$CALLER_ADDR" -p 5060 -m 1 -nostdin \
    -timeout 15s -trace_err -trace_msg -message_file register-messages.log \
    -error_file register-errors.log >register.out 2>&1; then
    emu_log "sipp REGISTER FAILED:"
    tail -30 register-errors.log >&2 2>/dev/null
    status=1
fi

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
    if ! emu_exec timeout 30 sipp "$ENTRY" -sf "$scenario" -s "$target" -key caller "$LINUX_NUMBER" \
        -au "$LINUX_NUMBER" -ap "$LINUX_PASSWORD" -i "$CALLER_ADDR" -p 5060 -mp 6000 -m 1 \
        -rtp_echo -nostdin -timeout 25s \
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
# The challenges really happened (sipp's scenarios would also fail without them): count the
# 401 and 407 sipp received, and what the outside gatekeeper refused.
received() { # file, status code: responses with that code sipp received
    awk -v c="$2" '/message received/ {r = 1; next} r && NF {r = 0; if ($1 == "SIP/2.0" && $2 == c) n++}
        END {print n + 0}' "$1" 2>/dev/null || echo 0
}
n401=$(received register-messages.log 401)
n407=0
for i in $(seq 1 "$CALLS"); do
    n407=$((n407 + $(received "uac-$i-messages.log" 407)))
done
want407=$CALLS
[ -n "$PROXY" ] && want407=0
refused=$(awk '/outside gatekeeper:/ {print $5}' sim.out)
emu_log "challenges answered: $n401 401 (want 1), $n407 407 (want $want407); outside" \
    "gatekeeper refused ${refused:-?} requests for their credentials (want 0)"
if [ "$n401" -ne 1 ] || [ "$n407" -ne "$want407" ] || [ "${refused:-x}" != 0 ]; then
    emu_log "digest authentication: FAILED"
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
