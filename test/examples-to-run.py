#! /usr/bin/env python3

# A list of C++ examples to run in order to ensure that they remain buildable and runnable
# over time (ns-3's test.py reads <module>/test/examples-to-run.py). Each tuple is the
# example name with its arguments, the condition to run it, and the condition to run it
# under valgrind. The examples run with their defaults; the longer, scaled-up cases are
# ctest cases of the standalone build (CMakeLists.txt).
cpp_examples = [
    ("apartment-topology", "True", "True"),
    ("address-allocation", "True", "False"),
    ("nat-traversal", "True", "False"),
    ("apartment-call", "True", "False"),
]

# A list of Python examples to run (none).
python_examples = []
