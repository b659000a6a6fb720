# Shared by the tools/emulation scripts (sourced, bash). Creates a network namespace with a
# tap device for apartment-emulation and removes it on exit: every emulated packet stays in
# that namespace (its only interfaces are lo and the tap), nothing touches the host's
# interfaces or addresses. Every program started here has a count and a time limit.

set -u

EMU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EMU_BIN="${EMU_BIN:-$EMU_ROOT/build/bin}"
EMU_NS="apvoip-emu-$$"
EMU_TAP="emu0"
EMU_NS3_ADDR="198.18.0.1" # the simulated ISP router (RFC 2544 benchmarking range)
EMU_LINUX_ADDR="198.18.0.2"
EMU_DIR=""
EMU_PIDS=()
# Exit status 77: ctest's SKIP_RETURN_CODE (the machine cannot run emulation).
EMU_SKIP=77

emu_log() { echo "[$(date +%T)] $*" >&2; }

# Exits with EMU_SKIP unless namespaces, taps and the named programs are available.
emu_require() {
    if [ ! -x "$EMU_BIN/apartment-emulation" ]; then
        echo "skipped: $EMU_BIN/apartment-emulation not built (ns-3 without fd-net-device?)"
        exit $EMU_SKIP
    fi
    for p in ip "$@"; do
        if ! command -v "$p" >/dev/null 2>&1; then
            echo "skipped: needs $p (Debian: ip=iproute2, sipp=sip-tester, kamailio)"
            exit $EMU_SKIP
        fi
    done
    if [ ! -c /dev/net/tun ]; then
        echo "skipped: needs /dev/net/tun"
        exit $EMU_SKIP
    fi
    # The real check: can we create (and remove) a namespace with a tap in it?
    local probe="apvoip-probe-$$"
    if ! ip netns add "$probe" 2>/dev/null; then
        echo "skipped: needs CAP_NET_ADMIN (cannot create a network namespace)"
        exit $EMU_SKIP
    fi
    if ! ip -n "$probe" tuntap add dev probe0 mode tap 2>/dev/null; then
        ip netns del "$probe" 2>/dev/null
        echo "skipped: needs CAP_NET_ADMIN (cannot create a tap device in a namespace)"
        exit $EMU_SKIP
    fi
    ip netns del "$probe"
}

emu_cleanup() {
    local pid
    for pid in "${EMU_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
    done
    sleep 0.2
    for pid in "${EMU_PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    EMU_PIDS=()
    # Anything still running in the namespace was started by this script.
    if ip netns pids "$EMU_NS" >/dev/null 2>&1; then
        for pid in $(ip netns pids "$EMU_NS"); do
            kill -9 "$pid" 2>/dev/null
        done
        ip netns del "$EMU_NS" 2>/dev/null
    fi
    if [ -n "$EMU_DIR" ] && [ -z "${EMU_KEEP:-}" ]; then
        rm -rf "$EMU_DIR"
    fi
}

# Creates the namespace, its loopback and the tap (addressed, up, default route through the
# simulated ISP router). The route exists only in the namespace.
emu_setup() {
    trap emu_cleanup EXIT
    trap 'exit 130' INT TERM
    EMU_DIR="$(mktemp -d /tmp/apvoip-emu.XXXXXX)"
    ip netns add "$EMU_NS"
    ip -n "$EMU_NS" link set lo up
    ip -n "$EMU_NS" tuntap add dev "$EMU_TAP" mode tap
    ip -n "$EMU_NS" addr add "$EMU_LINUX_ADDR/24" dev "$EMU_TAP"
    ip -n "$EMU_NS" link set "$EMU_TAP" up
    ip -n "$EMU_NS" route add default via "$EMU_NS3_ADDR" dev "$EMU_TAP"
    emu_log "namespace $EMU_NS, tap $EMU_TAP $EMU_LINUX_ADDR, files in $EMU_DIR"
}

emu_exec() { ip netns exec "$EMU_NS" "$@"; }

# Starts apartment-emulation in the namespace (arguments passed on); waits for "ready".
# Sets EMU_SIM_PID and the variables OUTSIDE_GK, COMPLEX_GK, HOUSEHOLD, TERMINAL, REMOTE, FAR,
# LINUX_NUMBER, LINUX_PASSWORD ("-" without libcrypto) and OUTSIDE_DIGEST.
emu_start_sim() {
    emu_exec "$EMU_BIN/apartment-emulation" --tap="$EMU_TAP" --tapAddress="$EMU_NS3_ADDR" \
        --peer="$EMU_LINUX_ADDR" "$@" >"$EMU_DIR/sim.out" 2>"$EMU_DIR/sim.err" &
    EMU_SIM_PID=$!
    EMU_PIDS+=("$EMU_SIM_PID")
    local i
    for i in $(seq 1 600); do
        if grep -q '^ready' "$EMU_DIR/sim.out" 2>/dev/null; then
            break
        fi
        if ! kill -0 "$EMU_SIM_PID" 2>/dev/null; then
            emu_log "apartment-emulation ended before it was ready:"
            cat "$EMU_DIR/sim.out" "$EMU_DIR/sim.err" >&2
            return 1
        fi
        sleep 0.1
    done
    if ! grep -q '^ready' "$EMU_DIR/sim.out"; then
        emu_log "apartment-emulation not ready after 60 s"
        return 1
    fi
    OUTSIDE_GK=$(awk '$1=="outside-gatekeeper"{print $2}' "$EMU_DIR/sim.out")
    COMPLEX_GK=$(awk '$1=="complex-gatekeeper"{print $2}' "$EMU_DIR/sim.out")
    HOUSEHOLD=$(awk '$1=="household-number"{print $2}' "$EMU_DIR/sim.out")
    TERMINAL=$(awk '$1=="terminal-number"{print $2}' "$EMU_DIR/sim.out")
    REMOTE=$(awk '$1=="remote-number"{print $2}' "$EMU_DIR/sim.out")
    FAR=$(awk '$1=="far-number"{print $2}' "$EMU_DIR/sim.out")
    LINUX_NUMBER=$(awk '$1=="linux-number"{print $2}' "$EMU_DIR/sim.out")
    LINUX_PASSWORD=$(awk '$1=="linux-password"{print $2}' "$EMU_DIR/sim.out")
    OUTSIDE_DIGEST=$(awk '$1=="outside-digest"{print $2}' "$EMU_DIR/sim.out")
    emu_log "simulation ready: outside gatekeeper $OUTSIDE_GK, complex gatekeeper $COMPLEX_GK"
}

# Waits (at most $1 seconds) for the simulation to end; prints its output; returns its status.
emu_wait_sim() {
    local limit=$1 i rc
    for i in $(seq 1 $((limit * 10))); do
        kill -0 "$EMU_SIM_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$EMU_SIM_PID" 2>/dev/null; then
        emu_log "apartment-emulation still running after $limit s: killed"
        kill "$EMU_SIM_PID"
    fi
    wait "$EMU_SIM_PID"
    rc=$?
    sed -n '/^summary/,$p' "$EMU_DIR/sim.out" >&2
    grep -E '^(in|out|rem) ' "$EMU_DIR/sim.out" >&2
    if [ "$rc" -ne 0 ]; then
        emu_log "apartment-emulation exit status $rc"
        tail -20 "$EMU_DIR/sim.err" >&2
    fi
    return "$rc"
}
