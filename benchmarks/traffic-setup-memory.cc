/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Benchmark: memory the VoIP traffic set-up (VoipHelper::Install with the Poisson traffic
 * model on) costs per phone, at several complex sizes. Each size runs in a child process
 * so that its peak resident set (VmHWM) is its own. Prints figures; asserts nothing about
 * them (exit 1 only if a measurement could not be taken).
 *
 *   traffic-setup-memory                  (1,000 and 3,000 terminals)
 *   traffic-setup-memory --quick          (100 and 300 terminals, as in ctest)
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/voip-helper.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// A "VmHWM:" or "VmRSS:" line of /proc/self/status, in bytes (0 if absent).
uint64_t
StatusBytes(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
    {
        if (line.compare(0, key.size(), key) == 0)
        {
            std::istringstream is(line.substr(key.size()));
            uint64_t kb = 0;
            is >> kb;
            return kb * 1024;
        }
    }
    return 0;
}

struct Size
{
    uint32_t buildings;
    uint32_t flats;
    uint32_t terminals;
};

/// Builds one complex, installs the call side with traffic on and prints one line.
int
Measure(const Size& s, double callRate)
{
    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(s.buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(s.flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(s.terminals));
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 1;
    }
    uint64_t hwmStart = StatusBytes("VmHWM:");
    topology->Build();
    uint64_t hwmBefore = StatusBytes("VmHWM:");
    uint64_t rssBefore = StatusBytes("VmRSS:");
    VoipHelper voip;
    voip.SetTrafficModel(callRate);
    voip.Install(topology);
    voip.AssignStreams(1);
    uint64_t hwmAfter = StatusBytes("VmHWM:");
    uint64_t rssAfter = StatusBytes("VmRSS:");
    if (hwmStart == 0 || hwmAfter == 0)
    {
        std::cerr << "error: no VmHWM in /proc/self/status\n";
        return 1;
    }
    const double phones = static_cast<double>(voip.GetAllTerminals().size());
    std::cout << std::setw(7) << voip.GetAllTerminals().size() << std::setw(10)
              << (hwmBefore - hwmStart) / phones << std::setw(12) << (hwmAfter - hwmBefore) / phones
              << std::setw(12) << static_cast<double>(rssAfter - rssBefore) / phones
              << std::setw(10) << hwmAfter / 1048576.0 << "\n";
    Simulator::Destroy();
    return 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    double callRate = 2;
    CommandLine cmd(__FILE__);
    cmd.Usage("Bytes per phone of the VoIP traffic set-up at 1,000 and 3,000 terminals.");
    cmd.AddValue("quick", "100 and 300 terminals instead (a few seconds, for ctest)", quick);
    cmd.AddValue("callRate", "call attempts per phone per hour of the traffic model", callRate);
    cmd.Parse(argc, argv);
    if (!(callRate > 0 && callRate <= 3600))
    {
        std::cerr << "error: --callRate " << callRate << " must be above 0 and at most 3600\n";
        return 2;
    }
    std::vector<Size> sizes = {{10, 100, 1}, {10, 100, 3}};
    if (quick)
    {
        sizes = {{1, 100, 1}, {1, 100, 3}};
    }
    std::cout << "bytes per phone (terminals and remote phones), peak RSS from "
                 "/proc/self/status, one process per size\n"
              << " phones  topology  voip(HWM)  voip(RSS)  peak MiB\n"
              << std::fixed << std::setprecision(0);
    int status = 0;
    for (const auto& s : sizes)
    {
        std::cout.flush();
        pid_t pid = fork();
        if (pid == 0)
        {
            int rc = Measure(s, callRate);
            std::cout.flush();
            _exit(rc);
        }
        int childStatus = 0;
        if (pid < 0 || waitpid(pid, &childStatus, 0) != pid || !WIFEXITED(childStatus) ||
            WEXITSTATUS(childStatus) != 0)
        {
            std::cerr << "error: the measurement of " << s.buildings * s.flats * s.terminals
                      << " terminals failed\n";
            status = 1;
        }
    }
    return status;
}
