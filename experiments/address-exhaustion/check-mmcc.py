#!/usr/bin/env python3
"""Compares the M/M/c/c sweep (mmcc.ini) with Erlang B and prints the table.

    experiments/address-exhaustion/check-mmcc.py [summary.csv] [--sweep mmcc.ini]

A = arrivalRate x the mean --lifetime of the sweep's fixed arguments, c = blocksPerBuilding
(one /30 block per terminal). Exit status 1 if a point is further from B(A, c) than twice
its 95 % CI half-width plus 0.005: a bound that a correct model does not cross by chance on
the fixed seeds, while a model that hoards or leaks addresses does.
"""
import argparse
import configparser
import csv
import os
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import queueing  # noqa: E402


def holding_time(sweep):
    cfg = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
    cfg.read(sweep)
    for a in shlex.split(cfg["sweep"].get("fixed", "")):
        if a.startswith("--lifetime="):
            value = a.split("=", 1)[1]
            if not value.endswith("s") or value.endswith("ms"):
                raise SystemExit("check-mmcc: give --lifetime in seconds (e.g. 100s)")
            return float(value[:-1])
    raise SystemExit("check-mmcc: %s has no --lifetime" % sweep)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("summary", nargs="?", default="results/address-exhaustion-mmcc/summary.csv")
    ap.add_argument("--sweep", default=os.path.join(HERE, "mmcc.ini"))
    args = ap.parse_args()
    h = holding_time(args.sweep)
    with open(args.summary, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit("check-mmcc: %s has no rows" % args.summary)
    print("%6s %3s %2s  %-17s %9s %8s %s" % ("A", "c", "n", "simulated (95% CI)", "Erlang B",
                                             "|d|/CI", "verdict"))
    bad = 0
    for r in sorted(rows, key=lambda r: (int(r["blocksPerBuilding"]), float(r["arrivalRate"]))):
        a = float(r["arrivalRate"]) * h
        c = int(r["blocksPerBuilding"])
        sim, ci = float(r["unserved_fraction"]), float(r["unserved_fraction_ci95"])
        b = queueing.erlang_b(a, c)
        d = abs(sim - b)
        ok = d <= 2 * ci + 0.005
        bad += not ok
        verdict = "within CI" if d <= ci else ("ok" if ok else "DISAGREES")
        print("%6.2f %3d %2s  %.4f +- %.4f   %9.4f %8s %s" % (
            a, c, r["n"], sim, ci, b, "%.2f" % (d / ci) if ci > 0 else "-", verdict))
    if bad:
        print("check-mmcc: %d point(s) disagree with Erlang B" % bad)
        return 1
    print("check-mmcc: every point agrees with Erlang B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
