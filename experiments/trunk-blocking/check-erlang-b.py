#!/usr/bin/env python3
"""Compares the trunk-blocking sweep with Erlang B and prints the table.

    experiments/trunk-blocking/check-erlang-b.py [summary.csv]

A = erlangs, c = lines. Exit status 1 if a point is further from B(A, c) than twice its
95 % CI half-width plus 0.005, or if the carried traffic is further than 5 % from
A (1 - B): a bound a correct model does not cross by chance on the fixed seeds, while
lines that leak (never released) or are released early do.
"""
import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import queueing  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("summary", nargs="?", default="results/trunk-blocking/summary.csv")
    args = ap.parse_args()
    with open(args.summary, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit("check-erlang-b: %s has no rows" % args.summary)
    print("%6s %3s %2s  %-17s %9s %8s %-15s %s" % ("A", "c", "n", "simulated (95% CI)",
                                                 "Erlang B", "|d|/CI", "carried/theory",
                                                 "verdict"))
    bad = 0
    for r in sorted(rows, key=lambda r: (int(r["lines"]), float(r["erlangs"]))):
        a, c = float(r["erlangs"]), int(r["lines"])
        sim, ci = float(r["blocked_fraction"]), float(r["blocked_fraction_ci95"])
        b = queueing.erlang_b(a, c)
        carried = float(r["carried_erlangs"]) / (a * (1 - b))
        d = abs(sim - b)
        ok = d <= 2 * ci + 0.005 and abs(carried - 1) <= 0.05
        bad += not ok
        verdict = "within CI" if d <= ci else ("ok" if ok else "DISAGREES")
        print("%6.2f %3d %2s  %.4f +- %.4f   %9.4f %8s %15.3f %s" % (
            a, c, r["n"], sim, ci, b, "%.2f" % (d / ci) if ci > 0 else "-", carried, verdict))
    if bad:
        print("check-erlang-b: %d point(s) disagree with Erlang B" % bad)
        return 1
    print("check-erlang-b: every point agrees with Erlang B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
