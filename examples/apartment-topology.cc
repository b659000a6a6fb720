/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Builds an apartment complex, prints what was built, and proves the routing: every
 * terminal sends one RTP-sized UDP packet to a remote phone outside the complex, which
 * echoes it back. Exits with status 1 if any terminal gets no answer.
 *
 *   apartment-topology --buildings=2 --flats=4 --terminals=3 --pcap --netanim=complex.xml
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/applications-module.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#ifdef APARTMENT_VOIP_WITH_NETANIM
#include "ns3/netanim-module.h"
#endif

#include <iostream>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipTopologyExample");

namespace
{

void
CountReply(std::vector<bool>* answered, uint32_t index, Ptr<const Packet>)
{
    (*answered)[index] = true;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t buildings = 2;
    uint32_t flats = 3;
    uint32_t terminals = 3;
    uint32_t remotePhones = 2;
    bool pcap = false;
    std::string netanim;
    std::string listing = "auto";
    std::string spacingText = "1ms";
    bool checksums = false;

    CommandLine cmd(__FILE__);
    cmd.Usage("Builds an apartment complex and checks that every terminal reaches the outside.");
    cmd.AddValue("buildings", "number of buildings (1-256)", buildings);
    cmd.AddValue("flats", "flats per building", flats);
    cmd.AddValue("terminals", "terminals per flat (1-9)", terminals);
    cmd.AddValue("remotePhones", "phones in the outside network (1-240)", remotePhones);
    cmd.AddValue("pcap", "write pcap files of the core, the first flat and the outside", pcap);
    cmd.AddValue("netanim", "write a NetAnim trace to this file", netanim);
    cmd.AddValue("list", "node listing: auto (full up to 60 nodes), full or none", listing);
    cmd.AddValue("spacing", "time between two terminals' test packets (e.g. 1ms)", spacingText);
    cmd.AddValue("checksums", "compute and check IPv4/UDP checksums", checksums);
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

    // Counts and times are checked the shared way (ns3/command-line-values.h).
    if (std::string e = CheckRange("remotePhones", remotePhones, 1u, 240u); !e.empty())
    {
        std::cerr << "error: " << e << ": the terminals need someone outside to talk to\n";
        return 2;
    }
    if (listing != "auto" && listing != "full" && listing != "none")
    {
        std::cerr << "error: --list must be auto, full or none, not '" << listing << "'\n";
        return 2;
    }
    std::string timeError;
    auto spacingValue =
        ReadTime("spacing", spacingText, Seconds(0), Seconds(1), "must be at most 1s", &timeError);
    if (!spacingValue)
    {
        std::cerr << "error: " << timeError << "\n";
        return 2;
    }
    const Time spacing = *spacingValue;
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(checksums));

    // [usage-topology] (doc/ includes the lines up to the end marker)
    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(remotePhones));
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    topology->Build();
    // [usage-topology-end]

    const uint32_t nodes = topology->GetAllNodes().GetN();
    if (listing == "full" || (listing == "auto" && nodes <= 60))
    {
        topology->Print(std::cout);
    }
    else if (listing != "none")
    {
        topology->PrintSummary(std::cout);
    }

    // Every remote phone echoes; terminal i talks to remote phone i mod R.
    const uint16_t port = 9;
    UdpEchoServerHelper server(port);
    ApplicationContainer servers = server.Install(topology->GetRemotePhones());
    servers.Start(Seconds(0.5));

    NodeContainer phones = topology->GetAllTerminals();
    std::vector<bool> answered(phones.GetN(), false);
    const Time start = Seconds(1);
    for (uint32_t i = 0; i < phones.GetN(); ++i)
    {
        UdpEchoClientHelper client(topology->GetRemotePhoneAddress(i % remotePhones), port);
        client.SetAttribute("MaxPackets", UintegerValue(1));
        client.SetAttribute("PacketSize", UintegerValue(172)); // G.711, 20 ms, RTP + payload
        ApplicationContainer app = client.Install(phones.Get(i));
        app.Start(start + spacing * i);
        app.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&CountReply, &answered, i));
    }
    const Time stop = start + spacing * phones.GetN() + Seconds(2);
    servers.Stop(stop);
    // The scene's one chain of random streams: here only the topology's (ARP, CSMA).
    SceneStreams streams(1);
    streams.Assign(topology);

    if (pcap)
    {
        NodeContainer traced(topology->GetNatRouter(), topology->GetGatekeeper());
        traced.Add(topology->GetGateway(0, 0));
        traced.Add(topology->GetRemotePhones().Get(0));
        topology->EnablePcap("apartment-topology", traced);
        std::cout << "pcap: apartment-topology-<node>-<device>.pcap\n";
    }
#ifdef APARTMENT_VOIP_WITH_NETANIM
    std::unique_ptr<AnimationInterface> anim;
    if (!netanim.empty())
    {
        topology->InstallAnimationLayout();
        anim = std::make_unique<AnimationInterface>(netanim);
        for (uint32_t i = 0; i < nodes; ++i)
        {
            Ptr<Node> n = topology->GetAllNodes().Get(i);
            anim->UpdateNodeDescription(n, Names::FindName(n));
        }
        std::cout << "NetAnim trace: " << netanim << "\n";
    }
#else
    if (!netanim.empty())
    {
        std::cerr << "error: --netanim: this build has no NetAnim (enable ns-3's netanim "
                     "module)\n";
        return 2;
    }
#endif

    Simulator::Stop(stop);
    Simulator::Run();

    uint32_t ok = 0;
    for (uint32_t i = 0; i < phones.GetN(); ++i)
    {
        if (answered[i])
        {
            ++ok;
        }
        else
        {
            std::cout << "no answer: " << Names::FindName(phones.Get(i)) << "\n";
        }
    }
    std::cout << ok << " of " << phones.GetN()
              << " terminals reached a remote phone and got the echo back\n";
#ifdef APARTMENT_VOIP_WITH_NETANIM
    anim.reset();
#endif
    Simulator::Destroy();
    return ok == phones.GetN() ? 0 : 1;
}
