/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Benchmark: construction. Time to build and route complexes of 10, 100, 1,000 and 2,000
 * flats (3 terminals each), and the memory the topology and the VoIP traffic set-up
 * (VoipHelper::Install with the Poisson traffic model on) cost per phone, against a bare
 * ns-3 node (Internet stack and one CSMA device) measured in the same run. Each size runs
 * in a child process so that its peak resident set (VmHWM) and heap are its own. Prints
 * figures; asserts nothing about them (exit 1 only if a measurement could not be taken).
 *
 *   traffic-setup-memory                  (10, 100, 1,000 and 2,000 flats)
 *   traffic-setup-memory --quick          (10 and 100 flats, as in ctest)
 */

#include "process-figures.h"

#include "ns3/apartment-topology-helper.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/voip-helper.h"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;
using namespace ns3::apartment;

using benchmark::CpuSeconds;
using benchmark::StatusBytes;
using benchmark::WallSeconds;

namespace
{

/// Heap bytes in use (glibc mallinfo2).
double
HeapBytes()
{
    return static_cast<double>(mallinfo2().uordblks);
}

/// Bytes of one bare ns-3 node: Internet stack and one CSMA device (n nodes on one channel,
/// an address each), resident (HWM) and heap, per node.
int
MeasureBareNode(uint32_t n)
{
    uint64_t hwmStart = StatusBytes("VmHWM:");
    double heapStart = HeapBytes();
    NodeContainer nodes;
    nodes.Create(n);
    CsmaHelper csma;
    NetDeviceContainer devices = csma.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.0.0");
    addresses.Assign(devices);
    double heap = HeapBytes() - heapStart;
    uint64_t hwm = StatusBytes("VmHWM:") - hwmStart;
    std::cout << "bare ns-3 node (Internet stack + 1 CSMA device, " << n << " nodes): " << hwm / n
              << " bytes resident (HWM), " << heap / n << " bytes heap per node\n";
    Simulator::Destroy();
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
    double heapStart = HeapBytes();
    double w0 = WallSeconds();
    double c0 = CpuSeconds();
    topology->Build(); // nodes, links, addresses and static routes
    double buildWall = WallSeconds() - w0;
    double buildCpu = CpuSeconds() - c0;
    uint64_t hwmBefore = StatusBytes("VmHWM:");
    uint64_t rssBefore = StatusBytes("VmRSS:");
    double heapBefore = HeapBytes();
    VoipHelper voip;
    voip.SetTrafficModel(callRate);
    voip.Install(topology);
    SceneStreams streams(1); // the scene's one chain: phones and proxies, then ARP, CSMA
    streams.Assign(voip);
    streams.Assign(topology);
    uint64_t hwmAfter = StatusBytes("VmHWM:");
    uint64_t rssAfter = StatusBytes("VmRSS:");
    double heapAfter = HeapBytes();
    if (hwmStart == 0 || hwmAfter == 0)
    {
        std::cerr << "error: no VmHWM in /proc/self/status\n";
        return 1;
    }
    const double phones = static_cast<double>(voip.GetAllTerminals().size());
    std::cout << std::setw(6) << s.buildings * s.flats << std::setw(7)
              << voip.GetAllTerminals().size() << std::setw(10) << (hwmBefore - hwmStart) / phones
              << std::setw(11) << (hwmAfter - hwmBefore) / phones << std::setw(11)
              << static_cast<double>(rssAfter - rssBefore) / phones << std::setw(10)
              << (heapBefore - heapStart) / phones << std::setw(10)
              << (heapAfter - heapBefore) / phones << std::setw(10) << hwmAfter / 1048576.0
              << std::setprecision(2) << std::setw(9) << buildWall << std::setw(9) << buildCpu
              << std::setprecision(0) << "\n";
    Simulator::Destroy();
    return 0;
}

/// Runs \p f in a child process; false if it failed.
template <typename F>
bool
InChild(F f)
{
    std::cout.flush();
    pid_t pid = fork();
    if (pid == 0)
    {
        int rc = f();
        std::cout.flush();
        _exit(rc);
    }
    int childStatus = 0;
    return pid > 0 && waitpid(pid, &childStatus, 0) == pid && WIFEXITED(childStatus) &&
           WEXITSTATUS(childStatus) == 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    double callRate = 2;
    CommandLine cmd(__FILE__);
    std::string scheduler = "priority";
    cmd.Usage("Build time and bytes per phone of 10 to 2,000 flats, against a bare ns-3 node.");
    cmd.AddValue("quick", "10 and 100 flats only (a few seconds, for ctest)", quick);
    cmd.AddValue("scheduler",
                 "ns-3 event scheduler: map, heap, calendar, list or priority",
                 scheduler);
    cmd.AddValue("callRate", "call attempts per phone per hour of the traffic model", callRate);
    cmd.Parse(argc, argv);
    if (!(callRate > 0 && callRate <= 3600))
    {
        std::cerr << "error: --callRate " << callRate << " must be above 0 and at most 3600\n";
        return 2;
    }
    std::string error = SetGlobalScheduler(scheduler);
    if (!error.empty())
    {
        std::cerr << "error: --" << error << "\n";
        return 2;
    }
    // 10 and 100 flats in one building, 1,000 and 2,000 in buildings of 100 flats.
    std::vector<Size> sizes = {{1, 10, 3}, {1, 100, 3}, {10, 100, 3}, {20, 100, 3}};
    if (quick)
    {
        sizes = {{1, 10, 3}, {1, 100, 3}};
    }
    std::cout << "scheduler " << GetGlobalScheduler() << "; one process per measurement\n"
              << std::fixed << std::setprecision(0);
    int status = 0;
    if (!InChild([]() { return MeasureBareNode(1000); }))
    {
        std::cerr << "error: the bare-node measurement failed\n";
        status = 1;
    }
    std::cout << "bytes per phone (terminals and remote phones): topology (HWM growth while "
                 "building), voip (HWM and RSS growth while installing), heap (glibc mallinfo2) "
                 "of each; build = Build() incl. static routes, in s\n"
              << " flats phones  topology  voip(HWM)  voip(RSS)  heap-top heap-voip  peak MiB "
                 "build-wall build-cpu\n";
    for (const auto& s : sizes)
    {
        if (!InChild([&s, callRate]() { return Measure(s, callRate); }))
        {
            std::cerr << "error: the measurement of " << s.buildings * s.flats * s.terminals
                      << " terminals failed\n";
            status = 1;
        }
    }
    return status;
}
