#!/usr/bin/env python3
"""Checks the cold-start rows of call-setup-load (results.csv of coldstart.ini, one row per
run) at a load the gatekeeper carries easily:

    experiments/call-setup-load/check-coldstart.py results.csv

Every terminal must be registered by the end of the load, none may send an INVITE before it
is registered (the first call waits for the REGISTER's 200), the gatekeeper must neither
refuse (503) nor cause a retransmission, at least 95 % of the attempts must be answered
(not 100 %: at 2 terminals per flat a callee picked idle may be reached by another INVITE
first and answer 486, which the random streams decide), every terminal must have an
answered call of its own, and its first answered call must come after its registration
plus the ring time (mean over terminals). The registered rows must have every terminal
registered and none calling before. Exit status 1 on any failure.
"""
import csv
import math
import sys


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "results.csv"
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    errors = []
    cold = 0
    for r in rows:
        tag = "%s flats, %s attempts/s, %s, run %s" % (r["flats"], r["rate"], r["start"],
                                                       r.get("run", "?"))
        if float(r["registered_pct"]) != 100:
            errors.append("%s: %s %% registered" % (tag, r["registered_pct"]))
        if int(r["calls_before_reg"]) != 0:
            errors.append("%s: %s terminals called before they were registered"
                          % (tag, r["calls_before_reg"]))
        if r["start"] != "cold":
            continue
        if float(r["ser_pct"]) < 95:
            errors.append("%s: SER %s %%, below 95" % (tag, r["ser_pct"]))
        if int(float(r["overload_503"])) != 0 or float(r["retx_per_call"]) != 0:
            errors.append("%s: %s 503s and %s retransmissions per call at an easy load"
                          % (tag, r["overload_503"], r["retx_per_call"]))
        cold += 1
        reg, first = float(r["reg_s"]), float(r["first_call_s"])
        if not (math.isfinite(reg) and reg > 0):
            errors.append("%s: no time to registration (%s)" % (tag, r["reg_s"]))
        if float(r["no_first_call_pct"]) != 0:
            errors.append("%s: %s %% of the terminals without an answered call"
                          % (tag, r["no_first_call_pct"]))
        # ring time 0.2 s in the sweep: the answer comes at least that long after the INVITE
        if not (math.isfinite(first) and first > reg + 0.2):
            errors.append("%s: first answered call after %s s, registered after %s s"
                          % (tag, r["first_call_s"], r["reg_s"]))
        print("%s: registered after %.3f s, first answered call after %.3f s (p95 %s)"
              % (tag, reg, first, r["first_call_p95_s"]))
    if cold == 0:
        errors.append("no cold-start row in %s" % path)
    for e in errors:
        print("check-coldstart: " + e, file=sys.stderr)
    if errors:
        return 1
    print("cold start checked: every terminal registered before its first call, no 503, "
          "no retransmission, SER at least 95 %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
