/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Standalone build only: runs the module's ns-3 TestSuite the way ns-3's test-runner does
// (in an ns-3 tree, test.py and the tree's test-runner run it instead).

#include "ns3/test.h"

int
main(int argc, char** argv)
{
    return ns3::TestRunner::Run(argc, argv);
}
