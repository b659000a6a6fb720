#!/usr/bin/env python3
"""Benchmark: speed-up of tools/run-sweep.py with 2 jobs against 1 on a small fixed sweep
(benchmarks/sweep-speedup.ini: 8 runs of apartment-call, 2 with --quick). Prints the wall
time of each sweep, the CPU time (user+sys) of its runs and the speed-up (wall, 1 job / 2
jobs), and the ceiling the machine allows: two runs at once each take more CPU time than
one alone (on a 2-vCPU VM they share a core's caches and memory bus), so 2 x (runs' CPU with
1 job) / (runs' CPU with 2 jobs) bounds the speed-up of any runner. Other load on the machine
lowers the speed-up; the load average is printed. Asserts
nothing about the figures (exit 1 only if a sweep failed).

    benchmarks/sweep-speedup.py --bin build/bin [--quick]
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(here, "..", "build", "bin"),
                    help="folder of the built programs")
    ap.add_argument("--quick", action="store_true", help="2 runs instead of 8 (for ctest)")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.bin, "apartment-call")):
        print("error: no apartment-call in --bin %s" % args.bin, file=sys.stderr)
        return 2
    runner = os.path.join(here, "..", "tools", "run-sweep.py")
    sweep = os.path.join(here, "sweep-speedup.ini")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print("sweep %s%s, load average %s at the start" %
          (os.path.basename(sweep), " --quick" if args.quick else "", load))
    print("jobs  wall-s  runs-cpu-s  speed-up")
    walls = {}
    cpus = {}
    status = 0
    for jobs in (1, 2):
        out = tempfile.mkdtemp(prefix="sweep-speedup-")
        cmd = [sys.executable, runner, sweep, "--bin", args.bin, "--out", out,
               "--jobs", str(jobs)] + (["--quick"] if args.quick else [])
        cpu0 = children_cpu()
        t0 = time.monotonic()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls[jobs] = time.monotonic() - t0
        cpu = children_cpu() - cpu0
        shutil.rmtree(out, ignore_errors=True)
        if done.returncode != 0:
            print("error: the sweep with %d job(s) failed:\n%s" % (jobs, done.stderr[-2000:]),
                  file=sys.stderr)
            status = 1
            continue
        cpus[jobs] = cpu
        print("%4d  %6.1f  %10.1f  %8.2f" % (jobs, walls[jobs], cpu, walls[1] / walls[jobs]))
    if status == 0 and cpus[2] > 0:
        # Two runs at once each take longer than one alone (shared core, cache, memory bus):
        # with no runner overhead and perfect balance the speed-up would be this.
        ceiling = 2 * cpus[1] / cpus[2]
        print("ceiling with 2 jobs on this machine (2 x runs' CPU with 1 job / with 2): %.2f; "
              "the runner reaches %.0f %% of it" % (ceiling, 100 * walls[1] / walls[2] / ceiling))
    return status


if __name__ == "__main__":
    sys.exit(main())
