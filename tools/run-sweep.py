#!/usr/bin/env python3
"""Runs an experiment's parameter sweep and plots it.

    tools/run-sweep.py experiments/<name>/sweep.ini [--bin build/bin] [--out results/<name>]
                       [--quick] [--jobs N]

sweep.ini:
    [sweep]
    program = <program in --bin>
    runs = 5                 ; RngRun 1..5 for every combination
    quick_runs = 1           ; with --quick
    fixed = --list=none      ; arguments given to every run (optional)
    [parameters]
    flats = 10 100 1000      ; every combination of the listed values is run
    [quick]
    flats = 10 100           ; with --quick, replaces the lists above (optional)
    [plot]
    script = plot.gp         ; gnuplot script, run in the output folder with
                             ; datafile='summary.csv' rawfile='results.csv'

Each run gets --csv=<file> and must write a header line and one or more rows, and writes
the attributes it used (ns-3 ConfigStore, RawText: every default and global value, RngRun
included) to runs/<point>_run-<n>.attributes.txt: with the same program and arguments,
--ns3::ConfigStore::Filename=<that file> --ns3::ConfigStore::Mode=Load reproduces the run.
(A sweep that loads an attribute file itself gets a copy of that file instead.) The runner
writes results.csv (all rows, with the run number), summary.csv (per combination and
numeric column: mean, and the half-width of the 95 % confidence interval over runs, from
Student's t) and runs the plot script. Runs are independent processes, so the same seed
and run number give the same row, byte for byte.
"""
import argparse
import configparser
import csv
import itertools
import math
import os
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# Two-sided 95 % Student t quantiles, df 1..30; beyond that the normal 1.96.
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
       2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
       2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t95(df):
    return T95[df - 1] if 1 <= df <= len(T95) else 1.96


def fail(msg):
    print("run-sweep: " + msg, file=sys.stderr)
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep")
    ap.add_argument("--bin", default="build/bin")
    ap.add_argument("--out")
    ap.add_argument("--quick", action="store_true", help="fewer values and runs (for CI)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    if not os.path.isfile(args.sweep):
        fail("no sweep file " + args.sweep)
    cfg = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
    cfg.optionxform = str
    try:
        cfg.read(args.sweep)
    except configparser.Error as e:
        fail("cannot read %s: %s" % (args.sweep, e))
    if "sweep" not in cfg or "program" not in cfg["sweep"]:
        fail(args.sweep + ": needs [sweep] with program =")
    sweep = cfg["sweep"]
    name = os.path.basename(os.path.dirname(os.path.abspath(args.sweep)))
    out = os.path.abspath(args.out or os.path.join("results", name))
    program = os.path.abspath(os.path.join(args.bin, sweep["program"]))
    if not os.access(program, os.X_OK):
        fail("program %s not built (build first, or give --bin)" % program)
    try:
        runs = int(sweep.get("quick_runs" if args.quick else "runs", "1"))
    except ValueError:
        fail("runs must be a whole number")
    if runs < 1:
        fail("runs must be at least 1")
    params = dict(cfg["parameters"]) if "parameters" in cfg else {}
    if args.quick and "quick" in cfg:
        params.update(dict(cfg["quick"]))
    names = list(params)
    values = [params[n].split() for n in names]
    for n, v in zip(names, values):
        if not v:
            fail("parameter %s has no values" % n)
    fixed = shlex.split(sweep.get("fixed", ""))

    os.makedirs(os.path.join(out, "runs"), exist_ok=True)
    jobs = []
    for combo in itertools.product(*values):
        for run in range(1, runs + 1):
            tag = "_".join("%s-%s" % (n, v) for n, v in zip(names, combo)) or "default"
            jobs.append((combo, run, os.path.join(out, "runs", "%s_run-%d" % (tag, run))))

    def execute(job):
        combo, run, stem = job
        cmd = [program] + fixed + ["--%s=%s" % (n, v) for n, v in zip(names, combo)]
        cmd += ["--RngRun=%d" % run, "--csv=" + stem + ".csv"]
        attributes = stem + ".attributes.txt"
        store = [a for a in cmd if a.startswith("--ns3::ConfigStore::")]
        if not store:
            cmd += ["--ns3::ConfigStore::Filename=" + attributes, "--ns3::ConfigStore::Mode=Save",
                    "--ns3::ConfigStore::FileFormat=RawText"]
        with open(stem + ".log", "w") as log:
            rc = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=out)
        if rc == 0 and store:
            loaded = [a.split("=", 1)[1] for a in store if a.startswith("--ns3::ConfigStore::Filename=")]
            if loaded:
                shutil.copyfile(os.path.join(out, loaded[-1]), attributes)
        if rc == 0 and not os.path.isfile(attributes):
            fail("run wrote no attribute file %s: %s" % (attributes, " ".join(cmd)))
        return job, rc, cmd

    print("run-sweep: %s: %d runs -> %s" % (name, len(jobs), out))
    rows, header = [], None
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for (combo, run, stem), rc, cmd in pool.map(execute, jobs):
            if rc != 0:
                fail("run failed (status %d): %s\n  log: %s.log" % (rc, " ".join(cmd), stem))
            with open(stem + ".csv") as f:
                data = list(csv.reader(f))
            if not data:
                fail("run wrote no CSV: " + stem + ".csv")
            if header is None:
                header = data[0]
            elif data[0] != header:
                fail("CSV header differs between runs")
            for r in data[1:]:
                rows.append([run] + r)

    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["run"] + header)
        w.writerows(rows)

    # Group by the non-numeric columns and the swept parameters that appear in the header.
    keys = [c for c in header if c in names]
    def numeric(col):
        try:
            [float(r[1 + col]) for r in rows]
            return True
        except ValueError:
            return False
    measured = [i for i, c in enumerate(header) if c not in keys and numeric(i)]
    groups = {}
    for r in rows:
        k = tuple(r[1 + header.index(c)] for c in keys)
        groups.setdefault(k, []).append(r)
    with open(os.path.join(out, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(keys + ["n"] + sum([[header[i], header[i] + "_ci95"] for i in measured], []))
        for k in sorted(groups, key=lambda k: [float(x) if x.replace('.', '', 1).isdigit() else x for x in k]):
            g = groups[k]
            line = list(k) + [len(g)]
            for i in measured:
                xs = [float(r[1 + i]) for r in g]
                m = sum(xs) / len(xs)
                if len(xs) > 1:
                    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
                    ci = t95(len(xs) - 1) * sd / math.sqrt(len(xs))
                else:
                    ci = 0.0
                line += ["%.6g" % m, "%.6g" % ci]
            w.writerow(line)
    print("run-sweep: wrote results.csv and summary.csv")

    if "plot" in cfg and "script" in cfg["plot"]:
        script = os.path.join(os.path.dirname(os.path.abspath(args.sweep)), cfg["plot"]["script"])
        rc = subprocess.call(["gnuplot", "-e", "datafile='summary.csv'; rawfile='results.csv'",
                              script], cwd=out)
        if rc != 0:
            fail("gnuplot failed on " + script)
        print("run-sweep: plotted with " + os.path.basename(script))


if __name__ == "__main__":
    main()
