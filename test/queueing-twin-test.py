#!/usr/bin/env python3
"""tools/queueing.py gives the values of model/queueing.cc (printed by the C++ program
given as argument, test/queueing-values.cc) to 1e-9 relative.

    python3 test/queueing-twin-test.py build/bin/apartment-voip-queueing-values
"""
import math
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import queueing  # noqa: E402

PROGRAM = None


class Twin(unittest.TestCase):
    def test_same_values_as_the_cpp(self):
        out = subprocess.run([PROGRAM], check=True, capture_output=True, text=True).stdout
        lines = out.splitlines()
        self.assertGreater(len(lines), 150)
        seen = set()
        for line in lines:
            name, *args, value = line.split()
            seen.add(name)
            numbers = [int(a) if name == "erlang_b" and i == 1 else float(a)
                       for i, a in enumerate(args)]
            got = getattr(queueing, name)(*numbers)
            want = float(value)
            if math.isinf(want):
                self.assertTrue(math.isinf(got), line)
            else:
                self.assertTrue(math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-15),
                                "%s: python %.17g" % (line, got))
        self.assertEqual(seen, {"erlang_b", "md1_sojourn", "mg1_sojourn", "md1_wait_cdf",
                                "md1_sojourn_quantile"})

    def test_published_values(self):
        self.assertEqual(round(queueing.erlang_b(10, 17), 6), 0.012949)
        self.assertEqual(round(queueing.erlang_b(10, 18), 7), 0.0071424)
        self.assertRaises(ValueError, queueing.erlang_b, -1, 3)

    def test_command_line(self):
        tool = os.path.join(os.path.dirname(queueing.__file__), "queueing.py")
        p = subprocess.run([sys.executable, tool, "erlang-b", "10", "17"], capture_output=True,
                           text=True)
        self.assertEqual((p.returncode, p.stdout), (0, "0.01294887522\n"))
        p = subprocess.run([sys.executable, tool, "md1-sojourn", "-1", "1"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("the arrival rate must be finite and not negative", p.stderr)


if __name__ == "__main__":
    PROGRAM = sys.argv.pop(1)
    unittest.main()
