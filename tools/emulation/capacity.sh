#!/bin/bash
# How big a complex stays in real time: runs apartment-emulation (tap in a namespace this
# script creates and removes; no outside program) once per size given, each with Poisson
# calls among the simulated phones, full RTP, HardLimit, for a bounded time. Prints per
# run: completed in real time or aborted by HardLimit, largest lag, CPU seconds.
#
#   tools/emulation/capacity.sh [--duration=40s] [--callRate=18] [--holding=20s] \
#                               [--hardLimit=100ms] BUILDINGSxFLATSxTERMINALS...      e.g. 1x10x3 4x25x3
# (--callRate per terminal per hour; 18/h with 20 s calls is 0.1 Erlang per terminal.)
# --hardLimit=0 runs BestEffort: nothing aborts, the largest lag and the CPU time say how far
# from real time a size is (use it on a loaded machine).

source "$(dirname "$0")/common.sh"

DURATION=40s
RATE=18
HOLDING=20s
LIMIT=100ms
SIZES=()
for a in "$@"; do
    case "$a" in
    --duration=*) DURATION="${a#--duration=}" ;;
    --callRate=*) RATE="${a#--callRate=}" ;;
    --holding=*) HOLDING="${a#--holding=}" ;;
    --hardLimit=*) LIMIT="${a#--hardLimit=}" ;;
    [0-9]*x[0-9]*x[0-9]*) SIZES+=("$a") ;;
    *)
        sed -n '2,9p' "$0"
        exit 2
        ;;
    esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1x10x3)
if [ ${#SIZES[@]} -gt 10 ]; then
    echo "error: at most 10 sizes per run" >&2
    exit 2
fi
emu_require
emu_setup
status=0
for size in "${SIZES[@]}"; do
    IFS=x read -r b f t <<<"$size"
    emu_start_sim --buildings="$b" --flats="$f" --terminals="$t" --nat=napt \
        --callRate="$RATE" --callHolding="$HOLDING" --duration="$DURATION" \
        --hardLimit="$LIMIT" || {
        status=1
        continue
    }
    limit=$((${DURATION%s} + 60))
    if emu_wait_sim "$limit" >/dev/null 2>&1; then
        verdict="real time"
    else
        verdict="FELL BEHIND (HardLimit abort) or failed"
        status=1
    fi
    calls=$(grep -o 'calls among simulated phones (all): [0-9]* ended' "$EMU_DIR/sim.out")
    lag=$(grep -o 'largest lag [^,]*' "$EMU_DIR/sim.out")
    echo "$size ($((b * f * t)) terminals), $RATE calls/terminal/h, $HOLDING: $verdict; ${calls:-no summary}; ${lag:-}; $(grep -o 'CPU [0-9.]* s for [0-9.]* s' "$EMU_DIR/sim.out")"
    grep -m1 -o 'Hard real-time limit exceeded[^"]*' "$EMU_DIR/sim.err" 2>/dev/null
done
exit "$status"
