#!/usr/bin/env python3
"""Runs an experiment's parameter sweep and plots it.

    tools/run-sweep.py experiments/<name>/sweep.ini [--bin build/bin] [--out results/<name>]
                       [--quick] [--jobs N] [--resume] [--timeout S]
    tools/run-sweep.py SWEEP ... --emit-parallel | --emit-slurm   (scale out, see below)
    tools/run-sweep.py SWEEP ... --run-one INDEX                  (one run of the grid)
    tools/run-sweep.py SWEEP ... --aggregate                      (results from runs done)

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

The output folder is results/<folder of the sweep file>, or results/<folder>-<name> for a
sweep file not called sweep.ini. Each run gets --csv=<file> and must write a header line
and one or more rows. Run i of the grid (numbered from 0 in the order of the parameters,
then RngRun) leaves in <out>/runs/: <tag>_run-N.csv (its rows), .json (its arguments),
.log (stdout), .err (stderr), .attributes.txt (every attribute default and global value the
run used, saved by ns-3's ConfigStore in RawText: with the same program and arguments,
--ns3::ConfigStore::Filename=<it> --ns3::ConfigStore::Mode=Load reproduces the run; a sweep
that loads an attribute file itself gets a copy of that file). The program writes to a temporary file which is renamed to
the .csv only when the run succeeded, so an interrupted sweep leaves no half-written
result. With --resume, a run whose .csv is there and whose .json records the same
arguments is not run again (without --resume every run is run again).

The runner then writes results.csv (all rows, with the run number), summary.csv (per
combination and numeric column: mean, and the half-width of the 95 % confidence interval
over runs, from Student's t) and runs the plot script. A failed run (exit status not 0,
killed, timed out, or no CSV rows) is reported with its command line and the end of its
stderr; the other runs go on, and the exit status is 1 (results.csv and summary.csv then
hold the runs that worked; the plot script runs only for a complete sweep). Usage errors
exit with 2, an interrupted sweep (Ctrl-C, SIGTERM) with 130 after stopping its runs.

Scale-out (the same per-run command, run-sweep.py SWEEP --resume --run-one INDEX, and so
the same resume logic everywhere):
    --emit-parallel   writes <out>/grid.txt (one line per run) and <out>/parallel.sh,
                      which runs the grid with GNU parallel (Debian package parallel) and
                      then aggregates. Arguments of parallel.sh go to parallel:
                      parallel.sh --jobs 8, or parallel.sh --sshloginfile nodes.txt for
                      several machines (each with this tree and the build at the same
                      paths, e.g. on a shared file system, so the results land in <out>).
    --emit-slurm      writes <out>/slurm.sh, a Slurm job array (one task per run);
                      sbatch it, then run --aggregate (slurm.sh prints the command).
Runs are independent processes, so the same seed and run number give the same row, byte
for byte, wherever they run.
"""
import argparse
import configparser
import csv
import itertools
import json
import math
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

RUNNER = os.path.abspath(__file__)
STDERR_TAIL = 15  # lines of a failed run's stderr shown in its report


class UsageError(Exception):
    pass


# --- statistics ----------------------------------------------------------------------------


def _betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a, b, x):
    """Regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(lbeta + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    """Student's t distribution function with df degrees of freedom."""
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """Quantile of Student's t (bisection on the distribution function; 0 < p < 1)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def t95(df):
    """Two-sided 95 % quantile of Student's t: t(0.975, df)."""
    return t_quantile(0.975, df)


def mean_ci95(xs):
    """Mean and half-width of its 95 % confidence interval (Student's t, n - 1 df)."""
    n = len(xs)
    if n == 0:
        raise ValueError("no values")
    m = sum(xs) / n
    if n == 1:
        return m, 0.0
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return m, t95(n - 1) * sd / math.sqrt(n)


def _sort_key(k):
    return [(0, float(x), "") if _is_number(x) else (1, 0.0, x) for x in k]


def _is_number(s):
    try:
        return math.isfinite(float(s))
    except ValueError:
        return False


def summarise(header, rows, names):
    """summary.csv's header and rows from results rows ([run] + program row).

    Groups by the swept parameters that appear in the program's header; every other column
    whose values are all numbers gets its mean and 95 % CI half-width."""
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
    out_header = keys + ["n"] + sum([[header[i], header[i] + "_ci95"] for i in measured], [])
    out_rows = []
    for k in sorted(groups, key=_sort_key):
        g = groups[k]
        line = list(k) + [len(g)]
        for i in measured:
            m, ci = mean_ci95([float(r[1 + i]) for r in g])
            line += ["%.6g" % m, "%.6g" % ci]
        out_rows.append(line)
    return out_header, out_rows


# --- files ---------------------------------------------------------------------------------


def write_atomic(path, text):
    """Writes text to path so that path holds either its old or its new content, never a
    part: a temporary file in the same folder, flushed, then renamed over path."""
    tmp = "%s.tmp-%d-%d" % (path, os.getpid(), threading.get_ident())
    try:
        with open(tmp, "w", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def csv_text(header, rows):
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def tail(path, lines):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()[-lines:]
    except OSError:
        return []


def duration(s):
    s = int(round(s))
    if s >= 3600:
        return "%dh%02dm" % (s // 3600, s % 3600 // 60)
    if s >= 60:
        return "%dm%02ds" % (s // 60, s % 60)
    return "%ds" % s


# --- the sweep -----------------------------------------------------------------------------


class Run:
    """One run of the grid: a combination of parameter values and an RngRun."""

    def __init__(self, index, combo, number, stem, arguments):
        self.index = index
        self.combo = combo  # [(name, value)]
        self.number = number  # RngRun
        self.stem = stem  # <out>/runs/<tag>_run-N
        self.arguments = arguments  # program arguments except the output files

    def describe(self):
        values = " ".join("%s=%s" % nv for nv in self.combo)
        return (values + " " if values else "") + "run %d" % self.number


class Result:
    def __init__(self, run, ok, message="", seconds=0.0, skipped=False):
        self.run, self.ok, self.message, self.seconds, self.skipped = (
            run, ok, message, seconds, skipped)


class Sweep:
    def __init__(self, path, bin_dir, out, quick, timeout=None):
        if not os.path.isfile(path):
            raise UsageError("no sweep file " + path)
        cfg = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
        cfg.optionxform = str
        try:
            cfg.read(path)
        except configparser.Error as e:
            raise UsageError("cannot read %s: %s" % (path, e))
        if "sweep" not in cfg or "program" not in cfg["sweep"]:
            raise UsageError(path + ": needs [sweep] with program =")
        self.path = os.path.abspath(path)
        self.cfg = cfg
        self.quick = quick
        self.timeout = timeout
        sweep = cfg["sweep"]
        folder = os.path.basename(os.path.dirname(self.path))
        stem = os.path.splitext(os.path.basename(self.path))[0]
        self.name = folder if stem == "sweep" else folder + "-" + stem
        self.bin = os.path.abspath(bin_dir)
        self.out = os.path.abspath(out or os.path.join("results", self.name))
        self.program = os.path.join(self.bin, sweep["program"])
        try:
            runs = int(sweep.get("quick_runs" if quick else "runs", "1"))
        except ValueError:
            raise UsageError("runs must be a whole number")
        if runs < 1:
            raise UsageError("runs must be at least 1")
        params = dict(cfg["parameters"]) if "parameters" in cfg else {}
        if quick and "quick" in cfg:
            params.update(dict(cfg["quick"]))
        self.names = list(params)
        values = [params[n].split() for n in self.names]
        for n, v in zip(self.names, values):
            if not v:
                raise UsageError("parameter %s has no values" % n)
        try:
            self.fixed = shlex.split(sweep.get("fixed", ""))
        except ValueError as e:
            raise UsageError("fixed: %s" % e)
        self.runs = []
        for combo in itertools.product(*values):
            tag = "_".join("%s-%s" % (n, v) for n, v in zip(self.names, combo)) or "default"
            for number in range(1, runs + 1):
                pairs = list(zip(self.names, combo))
                stem = os.path.join(self.out, "runs", "%s_run-%d" % (tag, number))
                self.runs.append(Run(len(self.runs), pairs, number, stem,
                                     self.arguments(pairs, number)))

    def arguments(self, pairs, number):
        """The arguments that define one run's result: recorded in its .json and compared by
        --resume. Per-run extra inputs belong here."""
        return self.fixed + ["--%s=%s" % nv for nv in pairs] + ["--RngRun=%d" % number]

    def output_arguments(self, run):
        """Where one run writes (not part of the resume check, so the output folder may
        move). Per-run extra output files belong here, next to run.stem."""
        out = ["--csv=" + run.stem + ".part.csv"]
        if not self.loads_attributes(run):
            # The attributes the run used, so that a published figure can be reproduced.
            out += ["--ns3::ConfigStore::Filename=" + run.stem + ".attributes.txt",
                    "--ns3::ConfigStore::Mode=Save", "--ns3::ConfigStore::FileFormat=RawText"]
        return out

    @staticmethod
    def loads_attributes(run):
        """The attribute file a run loads itself (its fixed arguments), or None."""
        store = [a for a in run.arguments if a.startswith("--ns3::ConfigStore::")]
        if not store:
            return None
        names = [a.split("=", 1)[1] for a in store
                 if a.startswith("--ns3::ConfigStore::Filename=")]
        return names[-1] if names else ""

    def check_program(self):
        if not os.access(self.program, os.X_OK):
            raise UsageError("program %s not built (build first, or give --bin)" % self.program)

    # A run is done when its CSV is there and its .json records the same arguments.
    def is_done(self, run):
        if not os.path.isfile(run.stem + ".csv"):
            return False
        try:
            with open(run.stem + ".json") as f:
                return json.load(f).get("arguments") == run.arguments
        except (OSError, ValueError, AttributeError):
            return False

    def command(self, run):
        return [self.program] + run.arguments + self.output_arguments(run)

    def execute(self, run, processes=None, stopping=None):
        """Runs one run; its CSV appears (atomically) only if it succeeded."""
        os.makedirs(os.path.dirname(run.stem), exist_ok=True)
        final, part = run.stem + ".csv", run.stem + ".part.csv"
        attributes = run.stem + ".attributes.txt"
        for stale in (final, run.stem + ".json", part, attributes):
            if os.path.exists(stale):
                os.unlink(stale)
        cmd = self.command(run)
        start = time.monotonic()
        with open(run.stem + ".log", "w") as out, open(run.stem + ".err", "w") as err:
            try:
                p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=self.out,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
            except OSError as e:
                return self._failed(run, cmd, "cannot start: %s" % e, start)
            if processes is not None:
                processes[run.index] = p
                if stopping is not None and stopping.is_set():
                    os.killpg(p.pid, signal.SIGTERM)  # started just as the sweep stopped
            try:
                rc = p.wait(timeout=self.timeout)
                why = None
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                rc, why = None, "timed out after %g s" % self.timeout
            finally:
                if processes is not None:
                    processes.pop(run.index, None)
        if stopping is not None and stopping.is_set():
            if os.path.exists(part):
                os.unlink(part)
            return Result(run, False, "interrupted", time.monotonic() - start)
        if why is None and rc != 0:
            why = ("killed by signal %s" % signal.Signals(-rc).name if rc < 0
                   else "exit status %d" % rc)
        if why is None:
            why = self._check_csv(part)
        if why is None:
            loaded = self.loads_attributes(run)
            if loaded:
                # A sweep that loads its own attribute file keeps a copy of it (RngRun is
                # in the run's arguments, recorded in its .json).
                shutil.copyfile(os.path.join(self.out, loaded), attributes)
            elif loaded is None and not os.path.isfile(attributes):
                why = "wrote no attribute file " + attributes
        if why is not None:
            if os.path.exists(part):
                os.unlink(part)
            return self._failed(run, cmd, why, start)
        os.replace(part, final)
        # The record last: a crash before it leaves a run that is not done.
        write_atomic(run.stem + ".json",
                     json.dumps({"arguments": run.arguments, "program": self.program,
                                 "seconds": round(time.monotonic() - start, 3)}) + "\n")
        return Result(run, True, seconds=time.monotonic() - start)

    @staticmethod
    def _check_csv(path):
        try:
            with open(path, newline="") as f:
                data = list(csv.reader(f))
        except OSError:
            return "wrote no CSV file"
        except csv.Error as e:
            return "wrote a malformed CSV file: %s" % e
        if len(data) < 2:
            return "wrote no CSV row (a header line and at least one row are needed)"
        if any(len(r) != len(data[0]) for r in data[1:]):
            return "wrote CSV rows whose length differs from the header"
        return None

    def _failed(self, run, cmd, why, start):
        lines = ["run %d (%s) failed: %s" % (run.index, run.describe(), why),
                 "  command: " + " ".join(shlex.quote(c) for c in cmd),
                 "  in: " + self.out]
        err = tail(run.stem + ".err", STDERR_TAIL)
        if err:
            lines.append("  end of stderr (%s.err):" % run.stem)
            lines += ["    " + line for line in err]
        else:
            lines.append("  stderr was empty; stdout: %s.log" % run.stem)
        return Result(run, False, "\n".join(lines), time.monotonic() - start)

    # --- aggregation ---

    def aggregate(self):
        """Writes results.csv and summary.csv from the runs done; returns the runs missing."""
        header, rows, missing = None, [], []
        for run in self.runs:
            if not self.is_done(run):
                missing.append(run)
                continue
            with open(run.stem + ".csv", newline="") as f:
                data = list(csv.reader(f))
            if header is None:
                header = data[0]
            elif data[0] != header:
                raise UsageError("CSV header of %s.csv differs from the other runs'"
                                 % run.stem)
            rows += [[run.number] + r for r in data[1:]]
        if header is None:
            return missing
        write_atomic(os.path.join(self.out, "results.csv"), csv_text(["run"] + header, rows))
        s_header, s_rows = summarise(header, rows, self.names)
        write_atomic(os.path.join(self.out, "summary.csv"), csv_text(s_header, s_rows))
        return missing

    def plot(self):
        if "plot" not in self.cfg or "script" not in self.cfg["plot"]:
            return True
        script = os.path.join(os.path.dirname(self.path), self.cfg["plot"]["script"])
        rc = subprocess.call(["gnuplot", "-e", "datafile='summary.csv'; rawfile='results.csv'",
                              script], cwd=self.out)
        if rc != 0:
            print("run-sweep: gnuplot failed on " + script, file=sys.stderr)
            return False
        print("run-sweep: plotted with " + os.path.basename(script))
        return True

    # --- scale-out ---

    def per_run_command(self):
        """The command every scale-out path runs, with INDEX to be replaced."""
        cmd = ["python3", RUNNER, self.path, "--bin", self.bin, "--out", self.out]
        if self.quick:
            cmd.append("--quick")
        if self.timeout:
            cmd += ["--timeout", "%g" % self.timeout]
        return cmd + ["--resume", "--run-one"]

    def aggregate_command(self):
        return self.per_run_command()[:-2] + ["--aggregate"]

    def emit_parallel(self):
        grid = os.path.join(self.out, "grid.txt")
        write_atomic(grid, "".join("%d\t%s\n" % (r.index, r.describe()) for r in self.runs))
        q = lambda cmd: " ".join(shlex.quote(c) for c in cmd)  # noqa: E731
        script = os.path.join(self.out, "parallel.sh")
        write_atomic(script, """#!/bin/sh
# Written by tools/run-sweep.py: the %(n)d runs of %(sweep)s with GNU parallel, then the
# results. Arguments go to parallel, e.g.
#   %(script)s --jobs 8
#   %(script)s --sshloginfile nodes.txt   (each machine with the same paths)
# Runs already done are skipped (--resume), so running this again finishes a sweep.
joblog=%(joblog)s
parallel --colsep '\\t' --joblog "$joblog" "$@" -a %(grid)s %(cmd)s {1}
status=$?
%(aggregate)s || exit $?
exit $status
""" % {"n": len(self.runs), "sweep": self.path, "script": script, "grid": shlex.quote(grid),
       "joblog": shlex.quote(os.path.join(self.out, "parallel.joblog")),
       "cmd": q(self.per_run_command()), "aggregate": q(self.aggregate_command())})
        os.chmod(script, 0o755)
        return script

    def emit_slurm(self, jobs, max_array=1000):
        """A job array of at most max_array tasks (Slurm's MaxArraySize is 1001 by default);
        with more runs than that, task i runs i, i + max_array, i + 2 max_array, ..."""
        logs = os.path.join(self.out, "slurm")
        os.makedirs(logs, exist_ok=True)
        script = os.path.join(self.out, "slurm.sh")
        tasks = min(len(self.runs), max_array)
        q = lambda cmd: " ".join(shlex.quote(c) for c in cmd)  # noqa: E731
        write_atomic(script, """#!/bin/bash
# Written by tools/run-sweep.py: the %(n)d runs of %(sweep)s as a Slurm job array
# of %(tasks)d tasks (task i runs i, i + %(tasks)d, ...).
#   sbatch %(script)s
# then, when the array is done (or as a job: sbatch --dependency=afterany:JOBID ...):
#   %(aggregate)s
# Tasks whose runs are done return at once (--resume), so resubmitting finishes a sweep.
#SBATCH --job-name=%(name)s
#SBATCH --array=0-%(last)d%(throttle)s
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=%(logs)s/%%A_%%a.out
task=${SLURM_ARRAY_TASK_ID:?run this with sbatch}
status=0
for ((i = task; i < %(n)d; i += %(tasks)d)); do
    %(cmd)s "$i" || status=1
done
exit $status
""" % {"n": len(self.runs), "sweep": self.path, "script": script, "name": self.name,
       "tasks": tasks, "last": tasks - 1, "throttle": "%%%d" % jobs if jobs else "",
       "logs": logs, "cmd": q(self.per_run_command()), "aggregate": q(self.aggregate_command())})
        os.chmod(script, 0o755)
        return script


# --- running locally -----------------------------------------------------------------------


class Progress:
    """Runs done of total, failures and ETA: one rewritten line on a terminal, a plain line
    per run otherwise."""

    def __init__(self, total, done, stream=sys.stdout):
        self.total, self.done, self.failed, self.executed = total, done, 0, 0
        self.start = time.monotonic()
        self.stream = stream
        self.tty = stream.isatty()
        self.todo = total - done

    def eta(self):
        if self.executed == 0:
            return "?"
        rate = (time.monotonic() - self.start) / self.executed
        return duration(rate * (self.todo - self.executed))

    def update(self, result):
        self.executed += 1
        self.done += 1
        if not result.ok:
            self.failed += 1
        status = "[%d/%d] %d failed, ETA %s" % (self.done, self.total, self.failed, self.eta())
        if self.tty:
            if not result.ok:
                self.stream.write("\r\033[K" + result.message + "\n")
            self.stream.write("\r\033[K%s  %s" % (status, result.run.describe()))
        else:
            self.stream.write("run-sweep: %s: %s %s (%.1f s)\n" % (
                status, "ok" if result.ok else "FAILED", result.run.describe(), result.seconds))
            if not result.ok:
                self.stream.write(result.message + "\n")
        self.stream.flush()

    def finish(self):
        if self.tty and self.executed:
            self.stream.write("\n")
            self.stream.flush()


def run_all(sweep, todo, jobs, progress):
    """Runs todo with jobs at a time; returns the results. On an interrupt it stops the
    runs under way (their results are lost, the others kept) and raises KeyboardInterrupt."""
    processes, stopping, results = {}, threading.Event(), []

    def one(run):
        if stopping.is_set():
            return None
        return sweep.execute(run, processes, stopping)

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = [pool.submit(one, r) for r in todo]
        for f in as_completed(futures):
            r = f.result()
            if r is not None:
                results.append(r)
                progress.update(r)
    except KeyboardInterrupt:
        stopping.set()
        for p in list(processes.values()):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except OSError:
                pass
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep")
    ap.add_argument("--bin", default="build/bin", help="folder of the programs")
    ap.add_argument("--out", help="output folder (default results/<experiment>)")
    ap.add_argument("--quick", action="store_true", help="fewer values and runs (for CI)")
    ap.add_argument("--jobs", type=int, help="runs at a time (default: the number of CPUs; "
                    "with --emit-slurm: at most this many array tasks at a time)")
    ap.add_argument("--resume", action="store_true", help="do not run again runs done")
    ap.add_argument("--timeout", type=float, help="seconds a run may take before it is killed")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--run-one", type=int, metavar="INDEX", help="only run INDEX of the grid")
    mode.add_argument("--aggregate", action="store_true",
                      help="only write results.csv, summary.csv and the figures")
    mode.add_argument("--emit-parallel", action="store_true",
                      help="write grid.txt and parallel.sh (GNU parallel) in the output folder")
    mode.add_argument("--emit-slurm", action="store_true",
                      help="write slurm.sh (a Slurm job array) in the output folder")
    mode.add_argument("--list", action="store_true", help="print the grid and what is done")
    args = ap.parse_args(argv)

    def fail(msg):
        print("run-sweep: " + msg, file=sys.stderr)
        return 2

    if args.jobs is not None and args.jobs < 1:
        return fail("--jobs must be at least 1")
    if args.timeout is not None and not args.timeout > 0:
        return fail("--timeout must be above 0")
    try:
        sweep = Sweep(args.sweep, args.bin, args.out, args.quick, args.timeout)
        if not (args.aggregate or args.list):
            sweep.check_program()
        os.makedirs(os.path.join(sweep.out, "runs"), exist_ok=True)

        if args.list:
            for r in sweep.runs:
                print("%d\t%s\t%s" % (r.index, "done" if sweep.is_done(r) else "todo",
                                      r.describe()))
            return 0
        if args.emit_parallel:
            print("run-sweep: wrote %s (%d runs); run it, arguments go to GNU parallel"
                  % (sweep.emit_parallel(), len(sweep.runs)))
            return 0
        if args.emit_slurm:
            print("run-sweep: wrote %s (%d runs); submit it with sbatch"
                  % (sweep.emit_slurm(args.jobs), len(sweep.runs)))
            return 0
        if args.run_one is not None:
            if not 0 <= args.run_one < len(sweep.runs):
                return fail("--run-one %d: the grid has runs 0 to %d"
                            % (args.run_one, len(sweep.runs) - 1))
            run = sweep.runs[args.run_one]
            if args.resume and sweep.is_done(run):
                print("run-sweep: run %d (%s) already done" % (run.index, run.describe()))
                return 0
            r = sweep.execute(run)
            if not r.ok:
                print("run-sweep: " + r.message, file=sys.stderr)
                return 1
            print("run-sweep: run %d (%s) ok (%.1f s)" % (run.index, run.describe(), r.seconds))
            return 0

        failed = []
        if not args.aggregate:
            todo = [r for r in sweep.runs if not (args.resume and sweep.is_done(r))]
            print("run-sweep: %s: %d runs, %d to do -> %s"
                  % (sweep.name, len(sweep.runs), len(todo), sweep.out))
            sys.stdout.flush()
            progress = Progress(len(sweep.runs), len(sweep.runs) - len(todo))
            try:
                results = run_all(sweep, todo, args.jobs or os.cpu_count() or 1, progress)
            except KeyboardInterrupt:
                progress.finish()
                left = sum(1 for r in sweep.runs if not sweep.is_done(r))
                print("run-sweep: interrupted; %d of %d runs done, kept; finish with --resume"
                      % (len(sweep.runs) - left, len(sweep.runs)), file=sys.stderr)
                return 130
            progress.finish()
            failed = [r for r in results if not r.ok]
        missing = sweep.aggregate()
        if len(missing) < len(sweep.runs):
            print("run-sweep: wrote results.csv and summary.csv (%d of %d runs)"
                  % (len(sweep.runs) - len(missing), len(sweep.runs)))
        # Figures only from a complete sweep (and so "plotted with" means it was complete).
        plotted = bool(missing) or sweep.plot()
        if failed:
            print("run-sweep: %d of %d runs failed (reports above); fix and finish with --resume"
                  % (len(failed), len(sweep.runs)), file=sys.stderr)
        elif missing:
            print("run-sweep: %d of %d runs not done (first: %d, %s); run them with --resume"
                  % (len(missing), len(sweep.runs), missing[0].index, missing[0].describe()),
                  file=sys.stderr)
        return 1 if failed or missing or not plotted else 0
    except UsageError as e:
        return fail(str(e))


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    sys.exit(main())
