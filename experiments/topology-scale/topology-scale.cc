/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Benchmark: time and memory to build and route a complex of N flats, and the simulator's
 * wall-clock cost per delivered RTP-sized packet when every terminal streams to the
 * outside. Prints one CSV row (--csv) and a readable line.
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/applications-module.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sys/resource.h>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipTopologyScale");

namespace
{

double
PeakRssMiB()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; // kB on Linux
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t flats = 100;
    uint32_t flatsPerBuilding = 100;
    uint32_t terminals = 3;
    std::string durationText = "2s";
    std::string csvPath;

    CommandLine cmd(__FILE__);
    cmd.Usage("Time and memory to build a complex, and forwarding cost per packet.");
    cmd.AddValue("flats", "number of flats in the complex", flats);
    cmd.AddValue("flatsPerBuilding",
                 "flats per building (buildings = flats / this)",
                 flatsPerBuilding);
    cmd.AddValue("terminals", "terminals per flat", terminals);
    cmd.AddValue("duration", "simulated time of G.711-like streams (0 = build only)", durationText);
    cmd.AddValue("csv", "append the result (with a header) to this file", csvPath);
    cmd.Parse(argc, argv);
    // Attribute files (ns-3 ConfigStore, RawText): --ns3::ConfigStore::Filename=<file>
    // --ns3::ConfigStore::Mode=Load sets the defaults in it (the command line wins), Mode=Save
    // writes this run's.
    std::string storeError = ConfigureDefaultsFromStore(argc, argv);
    if (!storeError.empty())
    {
        std::cerr << "error: " << storeError << "\n";
        return 2;
    }

    std::string err;
    // Read the shared way (ns3/command-line-values.h).
    auto duration =
        ReadTime("duration", durationText, Seconds(0), Time::Max(), "must not be negative", &err);
    if (!duration)
    {
        std::cerr << "error: " << err << "\n";
        return 2;
    }
    if (flats == 0 || flatsPerBuilding == 0)
    {
        std::cerr << "error: --flats and --flatsPerBuilding must be at least 1\n";
        return 2;
    }
    const uint32_t perBuilding = std::min(flats, flatsPerBuilding);
    if (flats % perBuilding != 0)
    {
        std::cerr << "error: --flats (" << flats << ") must be a multiple of --flatsPerBuilding ("
                  << perBuilding << ")\n";
        return 2;
    }

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(flats / perBuilding));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(perBuilding));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(10));
    topology->SetAttribute("WanDataRate", DataRateValue(DataRate("10Gbps"))); // no bottleneck
    err = topology->Validate();
    if (!err.empty())
    {
        std::cerr << "error: " << err << "\n";
        return 2;
    }
    const double rssBefore = PeakRssMiB();
    auto t0 = std::chrono::steady_clock::now();
    topology->Build();
    auto t1 = std::chrono::steady_clock::now();
    const double buildSeconds = std::chrono::duration<double>(t1 - t0).count();
    const double rssAfter = PeakRssMiB();

    // Every terminal streams 172-byte packets every 20 ms to a remote phone (one way).
    NodeContainer phones = topology->GetAllTerminals();
    UdpServerHelper server(5004);
    ApplicationContainer servers = server.Install(topology->GetRemotePhones());
    servers.Start(Seconds(0));
    // One chain of random streams: this program's draws, then the topology's (ARP, CSMA).
    Ptr<UniformRandomVariable> offset = CreateObject<UniformRandomVariable>();
    SceneStreams streams(1);
    streams.AssignVariable(offset, "program");
    streams.Assign(topology);
    for (uint32_t i = 0; i < phones.GetN(); ++i)
    {
        UdpClientHelper client(topology->GetRemotePhoneAddress(i % 10), 5004);
        client.SetAttribute("MaxPackets",
                            UintegerValue(duration->GetMilliSeconds() / 20)); // 0 sends one
        client.SetAttribute("Interval", TimeValue(MilliSeconds(20)));
        client.SetAttribute("PacketSize", UintegerValue(160)); // + 12 B RTP in UdpClient's header
        ApplicationContainer app = client.Install(phones.Get(i));
        app.Start(Seconds(1) + MicroSeconds(offset->GetInteger(0, 19999)));
        app.Stop(Seconds(1) + *duration);
    }
    Simulator::Stop(Seconds(1.1) + *duration);
    auto t2 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t3 = std::chrono::steady_clock::now();
    const double runSeconds = std::chrono::duration<double>(t3 - t2).count();
    uint64_t received = 0;
    for (uint32_t i = 0; i < servers.GetN(); ++i)
    {
        received += DynamicCast<UdpServer>(servers.Get(i))->GetReceived();
    }
    const double usPerPacket = received ? runSeconds * 1e6 / received : 0;
    const uint64_t expected = static_cast<uint64_t>(phones.GetN()) *
                              static_cast<uint64_t>(duration->GetMilliSeconds() / 20);

    std::cout << flats << " flats (" << flats / perBuilding << " buildings, " << phones.GetN()
              << " terminals, " << topology->GetAllNodes().GetN() << " nodes): build + route "
              << buildSeconds << " s, peak RSS " << rssAfter << " MiB (+" << rssAfter - rssBefore
              << " MiB for the topology); " << received << " of about " << expected
              << " packets delivered, " << usPerPacket << " us wall clock per packet\n";
    if (!csvPath.empty())
    {
        std::ofstream csv(csvPath);
        csv << "flats,buildings,terminals,nodes,build_s,peak_rss_mib,topology_mib,packets,"
               "us_per_packet\n";
        csv << flats << "," << flats / perBuilding << "," << phones.GetN() << ","
            << topology->GetAllNodes().GetN() << "," << buildSeconds << "," << rssAfter << ","
            << rssAfter - rssBefore << "," << received << "," << usPerPacket << "\n";
    }
    Simulator::Destroy();
    return 0;
}
