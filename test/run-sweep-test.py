#!/usr/bin/env python3
"""Tests of tools/run-sweep.py: statistics, atomic writes, failure reports, resume after a
failure and after an interrupt, --run-one/--aggregate, and the GNU parallel and Slurm
scripts it writes. A fake program (a few lines of Python) stands for the simulations, so
the whole suite runs in seconds.

    python3 test/run-sweep-test.py [-v]      (ctest: tools.run-sweep)
"""
import csv
import importlib.util
import io
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "tools", "run-sweep.py")
spec = importlib.util.spec_from_file_location("run_sweep", RUNNER)
rs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rs)

# Writes "x,run,y" with y = 10 x + run. Markers in $FAKE_CONTROL change what it does for
# one value of x: fail-X (partial CSV, stderr, exit 3), hang-X (partial CSV, sleeps),
# nocsv-X (exit 0 without a CSV), noattr-X (no attribute file saved). Every start is
# appended to $FAKE_CONTROL/calls.
FAKE = textwrap.dedent("""\
    #!/usr/bin/env python3
    import os, sys, time
    a = dict(s[2:].split("=", 1) for s in sys.argv[1:] if s.startswith("--") and "=" in s)
    x, run, ctl = a["x"], int(a["RngRun"]), os.environ["FAKE_CONTROL"]
    with open(os.path.join(ctl, "calls"), "a") as f:
        f.write("%s %d %s\\n" % (x, run, a.get("flag", "")))
    marker = lambda m: os.path.exists(os.path.join(ctl, "%s-%s" % (m, x)))
    if marker("nocsv"):
        sys.exit(0)
    with open(a["csv"], "w") as f:
        f.write("x,run,y\\n")
        f.flush()
        if marker("fail"):
            print("starting x=%s" % x, file=sys.stderr)
            print("error: boom x=%s run %d" % (x, run), file=sys.stderr)
            sys.exit(3)
        if marker("hang"):
            time.sleep(120)
        f.write("%s,%d,%g\\n" % (x, run, 10 * float(x) + run))
    if a.get("ns3::ConfigStore::Mode") == "Save" and not marker("noattr"):
        with open(a["ns3::ConfigStore::Filename"], "w") as f:
            f.write('global RngRun "%d"\\n' % run)
    print("done")
""")

SWEEP = textwrap.dedent("""\
    [sweep]
    program = fake-program
    runs = 3
    quick_runs = 1
    fixed = --flag=on
    [parameters]
    x = 1 2 3 4
    [quick]
    x = 1 4
""")


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


class SweepCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="run-sweep-test-")
        self.bin = os.path.join(self.dir, "bin")
        self.ctl = os.path.join(self.dir, "control")
        self.exp = os.path.join(self.dir, "fake-experiment")
        for d in (self.bin, self.ctl, self.exp):
            os.makedirs(d)
        program = os.path.join(self.bin, "fake-program")
        with open(program, "w") as f:
            f.write(FAKE)
        os.chmod(program, 0o755)
        self.sweep = os.path.join(self.exp, "sweep.ini")
        with open(self.sweep, "w") as f:
            f.write(SWEEP)
        self.out = os.path.join(self.dir, "out")
        self.env = dict(os.environ, FAKE_CONTROL=self.ctl)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def marker(self, name, on=True):
        path = os.path.join(self.ctl, name)
        if on:
            open(path, "w").close()
        elif os.path.exists(path):
            os.unlink(path)

    def calls(self):
        path = os.path.join(self.ctl, "calls")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [line.split()[:2] for line in f]

    def runner(self, *args, **kw):
        cmd = [sys.executable, RUNNER, self.sweep, "--bin", self.bin, "--out", self.out]
        return subprocess.run(cmd + list(args), env=self.env, capture_output=True, text=True,
                              **kw)

    def results(self):
        return read_csv(os.path.join(self.out, "results.csv"))

    def run_files(self, suffix):
        return sorted(f for f in os.listdir(os.path.join(self.out, "runs"))
                      if f.endswith(suffix))


class Statistics(unittest.TestCase):
    def test_t_quantiles_match_tables(self):
        # Two-sided 95 % (and one 90 %) Student t quantiles from published tables.
        for df, t in [(1, 12.7062), (2, 4.3027), (4, 2.7764), (10, 2.2281), (30, 2.0423),
                      (120, 1.9799)]:
            self.assertAlmostEqual(rs.t95(df), t, places=4, msg="df %d" % df)
        self.assertAlmostEqual(round(rs.t95(4), 3), 2.776)
        self.assertAlmostEqual(rs.t_quantile(0.95, 5), 2.0150, places=4)
        self.assertAlmostEqual(rs.t_quantile(0.025, 4), -2.7764, places=4)
        self.assertAlmostEqual(rs.t_cdf(0.0, 7), 0.5)
        self.assertAlmostEqual(rs.t_cdf(2.7764451, 4), 0.975, places=6)
        self.assertRaises(ValueError, rs.t_quantile, 1.0, 4)

    def test_mean_and_ci(self):
        m, ci = rs.mean_ci95([1, 2, 3, 4, 5])
        self.assertEqual(m, 3)
        # sd = sqrt(2.5); 2.7764451 * 1.5811388 / sqrt(5) = 1.9632432
        self.assertAlmostEqual(ci, 1.9632432, places=6)
        m, ci = rs.mean_ci95([10, 12])
        self.assertAlmostEqual(ci, 12.7062047, places=6)  # t(0.975, 1) * sqrt(2) / sqrt(2)
        self.assertEqual(rs.mean_ci95([4.5]), (4.5, 0.0))
        self.assertEqual(rs.mean_ci95([2, 2, 2])[1], 0.0)
        self.assertRaises(ValueError, rs.mean_ci95, [])

    def test_summary_groups_by_parameters(self):
        header = ["x", "label", "y"]
        rows = [[1, "2", "a", "1"], [2, "2", "a", "3"], [1, "10", "a", "5"], [1, "-1", "a", "7"]]
        h, out = rs.summarise(header, rows, ["x"])
        self.assertEqual(h, ["x", "n", "y", "y_ci95"])
        # numeric order (-1 < 2 < 10), the text column is not averaged
        self.assertEqual([r[0] for r in out], ["-1", "2", "10"])
        self.assertEqual(out[1][:3], ["2", 2, "2"])
        self.assertEqual(out[1][3], "%.6g" % (12.7062047 * 2 ** 0.5 / 2 ** 0.5))


class AtomicWrite(unittest.TestCase):
    def test_interrupted_write_leaves_old_content(self):
        d = tempfile.mkdtemp(prefix="run-sweep-atomic-")
        try:
            path = os.path.join(d, "results.csv")
            rs.write_atomic(path, "old\n")
            with mock.patch.object(rs.os, "replace", side_effect=OSError("disk gone")):
                self.assertRaises(OSError, rs.write_atomic, path, "new and longer\n")
            with open(path) as f:
                self.assertEqual(f.read(), "old\n")
            self.assertEqual(os.listdir(d), ["results.csv"])  # no temporary file left
            rs.write_atomic(path, "new\n")
            with open(path) as f:
                self.assertEqual(f.read(), "new\n")
        finally:
            shutil.rmtree(d)


class LocalSweep(SweepCase):
    def test_full_sweep_and_summary(self):
        p = self.runner("--jobs", "3")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        res = self.results()
        self.assertEqual(res[0], ["run", "x", "run", "y"])
        self.assertEqual(len(res), 13)
        self.assertEqual(res[1], ["1", "1", "1", "11"])  # grid order, not completion order
        summary = read_csv(os.path.join(self.out, "summary.csv"))
        self.assertEqual(summary[0], ["x", "n", "run", "run_ci95", "y", "y_ci95"])
        self.assertEqual(summary[2][:5], ["2", "3", "2", "2.48414", "22"])  # 4.3027 / sqrt 3
        self.assertEqual(summary[2][5], "2.48414")
        # non-TTY progress: one plain line per run
        self.assertEqual(p.stdout.count("run-sweep: ["), 12)
        self.assertIn("[12/12] 0 failed, ETA 0s", p.stdout)
        self.assertEqual(self.run_files(".part.csv"), [])

    def test_failed_run_is_reported_others_go_on(self):
        with open(self.sweep, "a") as f:
            f.write("[plot]\nscript = plot.gp\n")
        with open(os.path.join(self.exp, "plot.gp"), "w") as f:
            f.write("set print '-'\nprint 'plot script ran'\n")
        self.marker("fail-2")
        p = self.runner("--jobs", "2")
        self.assertEqual(p.returncode, 1)
        self.assertIn("failed: exit status 3", p.stdout)
        self.assertIn("fake-program --flag=on --x=2 --RngRun=1 --csv=", p.stdout)
        self.assertIn("error: boom x=2 run 1", p.stdout)
        self.assertIn("starting x=2", p.stdout)
        self.assertIn("3 of 12 runs failed", p.stderr)
        # No figure from an incomplete sweep (ctest's experiment.* look for "plotted with").
        self.assertNotIn("plot script ran", p.stdout)
        self.assertNotIn("plotted with", p.stdout)
        self.assertEqual(len(self.results()), 10)  # header and the 9 runs that worked
        # The failed runs' partial CSVs were not kept.
        self.assertFalse([f for f in self.run_files(".csv") if f.startswith("x-2_")])
        self.assertEqual(self.run_files(".part.csv"), [])
        self.marker("fail-2", False)
        p = self.runner("--resume")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("plot script ran\nrun-sweep: plotted with plot.gp", p.stdout)

    def test_no_csv_row_is_a_failure(self):
        self.marker("nocsv-3")
        p = self.runner("--jobs", "1")
        self.assertEqual(p.returncode, 1)
        self.assertIn("wrote no CSV file", p.stdout)

    def test_attributes_saved_next_to_each_run(self):
        p = self.runner("--jobs", "2", "--quick")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        saved = self.run_files(".attributes.txt")
        self.assertEqual(len(saved), len(self.run_files(".json")))
        with open(os.path.join(self.out, "runs", saved[0])) as f:
            self.assertEqual(f.read(), 'global RngRun "1"\n')

    def test_run_without_attribute_file_is_a_failure(self):
        self.marker("noattr-2")
        p = self.runner("--jobs", "1")
        self.assertEqual(p.returncode, 1)
        self.assertIn("wrote no attribute file", p.stdout)

    def test_timeout(self):
        self.marker("hang-4")
        p = self.runner("--jobs", "4", "--quick", "--timeout", "1")
        self.assertEqual(p.returncode, 1)
        self.assertIn("x=4 run 1) failed: timed out after 1 s", p.stdout)

    def test_resume_runs_only_what_is_missing(self):
        self.marker("fail-2")
        self.assertEqual(self.runner("--jobs", "2").returncode, 1)
        self.assertEqual(len(self.calls()), 12)
        self.marker("fail-2", False)
        p = self.runner("--jobs", "2", "--resume")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("12 runs, 3 to do", p.stdout)
        self.assertEqual(sorted(self.calls()[12:]), [["2", "1"], ["2", "2"], ["2", "3"]])
        resumed = self.results()
        # Same results as a sweep that never failed.
        shutil.rmtree(self.out)
        self.assertEqual(self.runner("--jobs", "2").returncode, 0)
        self.assertEqual(self.results(), resumed)
        # Nothing left to do; without --resume everything runs again.
        n = len(self.calls())
        self.assertIn("12 runs, 0 to do", self.runner("--resume").stdout)
        self.assertEqual(len(self.calls()), n)
        self.runner("--jobs", "2")
        self.assertEqual(len(self.calls()), n + 12)

    def test_resume_reruns_runs_whose_arguments_changed(self):
        self.assertEqual(self.runner("--jobs", "2").returncode, 0)
        with open(self.sweep, "w") as f:
            f.write(SWEEP.replace("--flag=on", "--flag=off"))
        p = self.runner("--jobs", "2", "--resume")
        self.assertIn("12 runs, 12 to do", p.stdout)
        self.assertEqual(len(self.calls()), 24)

    def test_interrupted_sweep_loses_nothing(self):
        self.marker("hang-3")
        cmd = [sys.executable, RUNNER, self.sweep, "--bin", self.bin, "--out", self.out,
               "--jobs", "1"]
        p = subprocess.Popen(cmd, env=self.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while ["3", "1"] not in self.calls():
            self.assertLess(time.monotonic(), deadline, "the sweep did not reach x=3")
            time.sleep(0.05)
        time.sleep(0.2)  # it is inside the run now, with a half-written CSV
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 130, out + err)
        self.assertIn("interrupted; 6 of 12 runs done, kept; finish with --resume", err)
        self.assertEqual(len(self.run_files(".csv")), 6)
        self.assertEqual(self.run_files(".part.csv"), [])
        self.marker("hang-3", False)
        p = self.runner("--jobs", "1", "--resume")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.calls()[7:], [["3", "1"], ["3", "2"], ["3", "3"],
                                            ["4", "1"], ["4", "2"], ["4", "3"]])
        self.assertEqual(len(self.results()), 13)

    def test_progress_on_a_terminal(self):
        master, slave = pty.openpty()
        cmd = [sys.executable, RUNNER, self.sweep, "--bin", self.bin, "--out", self.out,
               "--jobs", "2"]
        p = subprocess.Popen(cmd, env=self.env, stdout=slave, stderr=slave)
        os.close(slave)
        data = b""
        while True:
            r, _, _ = select.select([master], [], [], 30)
            if not r:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        p.wait(timeout=30)
        os.close(master)
        text = data.decode()
        self.assertEqual(p.returncode, 0, text)
        self.assertIn("\r\x1b[K[12/12] 0 failed, ETA 0s", text)
        self.assertNotIn("run-sweep: [", text)  # no plain line per run on a terminal

    def test_usage_errors(self):
        p = subprocess.run([sys.executable, RUNNER, self.sweep, "--bin", self.dir],
                           capture_output=True, text=True, env=self.env)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not built", p.stderr)
        p = self.runner("--run-one", "12")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--run-one 12: the grid has runs 0 to 11", p.stderr)
        p = self.runner("--jobs", "0")
        self.assertEqual(p.returncode, 2)

    def test_output_folder_named_after_the_sweep_file(self):
        other = os.path.join(self.exp, "mmcc.ini")
        shutil.copy(self.sweep, other)
        self.assertEqual(rs.Sweep(self.sweep, self.bin, None, False).name, "fake-experiment")
        self.assertEqual(rs.Sweep(other, self.bin, None, False).name, "fake-experiment-mmcc")


class ScaleOut(SweepCase):
    def reference(self):
        """results.csv of a local sweep into another folder."""
        out = os.path.join(self.dir, "reference")
        cmd = [sys.executable, RUNNER, self.sweep, "--bin", self.bin, "--out", out]
        subprocess.run(cmd, env=self.env, check=True, capture_output=True)
        return read_csv(os.path.join(out, "results.csv"))

    def test_run_one_and_aggregate(self):
        for i in range(12):
            p = self.runner("--resume", "--run-one", str(i))
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        p = self.runner("--resume", "--run-one", "5")
        self.assertIn("already done", p.stdout)
        self.assertEqual(len(self.calls()), 12)
        p = self.runner("--aggregate")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.results(), self.reference())

    def test_aggregate_says_what_is_missing(self):
        self.runner("--run-one", "0")
        p = self.runner("--aggregate")
        self.assertEqual(p.returncode, 1)
        self.assertIn("11 of 12 runs not done (first: 1, x=1 run 2)", p.stderr)

    def test_gnu_parallel(self):
        self.assertIsNotNone(shutil.which("parallel"),
                             "GNU parallel is missing (Debian package parallel; "
                             "quickstart.sh installs it)")
        p = self.runner("--emit-parallel")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.out, "grid.txt")) as f:
            grid = f.read().splitlines()
        self.assertEqual(len(grid), 12)
        self.assertEqual(grid[4], "4\tx=2 run 2")
        # The quick grid (x = 1 4, one run each) keeps the GNU parallel passes short.
        self.assertEqual(self.runner("--quick", "--emit-parallel").returncode, 0)
        script = os.path.join(self.out, "parallel.sh")
        self.marker("fail-4")
        p = subprocess.run([script, "--jobs", "2"], env=self.env, capture_output=True,
                           text=True, stdin=subprocess.DEVNULL)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("error: boom x=4 run 1", p.stderr)
        self.assertIn("1 of 2 runs not done (first: 1, x=4 run 1)", p.stderr)
        self.marker("fail-4", False)
        p = subprocess.run([script, "--jobs", "2"], env=self.env, capture_output=True,
                           text=True, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(sorted(self.calls()[:2]), [["1", "1"], ["4", "1"]])
        self.assertEqual(self.calls()[2:], [["4", "1"]])  # the second pass ran x=4 only
        self.assertEqual([r[1:] for r in self.results()], [["x", "run", "y"], ["1", "1", "11"],
                                                           ["4", "1", "41"]])

    def test_slurm_array(self):
        p = self.runner("--emit-slurm", "--jobs", "4", "--quick")
        self.assertEqual(p.returncode, 0, p.stderr)
        script = os.path.join(self.out, "slurm.sh")
        with open(script) as f:
            text = f.read()
        self.assertIn("#SBATCH --array=0-1%4\n", text)
        self.assertIn("--quick --resume --run-one \"$i\" || status=1", text)
        # Without Slurm: the array's tasks are the script with SLURM_ARRAY_TASK_ID set.
        for i in range(2):
            env = dict(self.env, SLURM_ARRAY_TASK_ID=str(i))
            p = subprocess.run(["bash", script], env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.runner("--quick", "--aggregate").returncode, 0)
        self.assertEqual([r[1] for r in self.results()[1:]], ["1", "4"])
        p = subprocess.run(["bash", script], env=self.env, capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)  # outside sbatch it refuses to guess an index

    def test_slurm_array_larger_than_max_array_size(self):
        sweep = rs.Sweep(self.sweep, self.bin, self.out, False)
        script = sweep.emit_slurm(None, max_array=5)  # 12 runs on 5 tasks
        with open(script) as f:
            self.assertIn("#SBATCH --array=0-4\n", f.read())
        for i in range(5):
            env = dict(self.env, SLURM_ARRAY_TASK_ID=str(i))
            p = subprocess.run(["bash", script], env=env, capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(len(self.calls()), 12)
        self.assertEqual(self.runner("--aggregate").returncode, 0)
        self.assertEqual(len(self.results()), 13)


if __name__ == "__main__":
    unittest.main()
