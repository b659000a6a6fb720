/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Mapping lifetime against keepalive interval. One terminal behind the complex's NAPT runs
 * the seed-003 detection, the server asks the router to keep the mapping for --keepIdle
 * and streams RTP-sized UDP (50 packets/s) for --duration; the terminal sends P6
 * keepalives every --keepalive. The NAT's own UDP timeout is set to --keepIdle as well
 * (AllowShortTimeouts), so a mapping recreated by a late keepalive also lives that long.
 * Also runs a STUN Binding for the detection-time comparison. One CSV row (--csv).
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/keep-authenticator.h"
#include "ns3/nat-control-agent.h"
#include "ns3/nat-detection-client.h"
#include "ns3/nat-detection-server.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/stun-client.h"
#include "ns3/stun-server.h"

#include <fstream>
#include <iostream>

using namespace ns3;
using namespace ns3::apartment;

int
main(int argc, char* argv[])
{
    double keepalive = 10;
    double keepIdle = 30;
    double duration = 300;
    std::string csvPath;
    CommandLine cmd(__FILE__);
    cmd.AddValue("keepalive", "keepalive interval in seconds (0.5-600)", keepalive);
    cmd.AddValue("keepIdle",
                 "idle time of kept and ordinary mappings in seconds (10-3600)",
                 keepIdle);
    cmd.AddValue("duration", "stream duration in seconds (10-3600)", duration);
    cmd.AddValue("csv", "write a header and one row to this file", csvPath);
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
    // Times (in seconds) checked the shared way (ns3/command-line-values.h); the first error
    // is refused.
    for (const std::string& error : {CheckRange("keepalive", keepalive, 0.5, 600.0, "s"),
                                     CheckRange("keepIdle", keepIdle, 10.0, 3600.0, "s"),
                                     CheckRange("duration", duration, 10.0, 3600.0, "s")})
    {
        if (!error.empty())
        {
            std::cerr << "error: " << error << "\n";
            return 2;
        }
    }

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(1));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(1));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(1));
    topology->SetAttribute("RemotePhones", UintegerValue(1));
    topology->SetAttribute("EdgeMode", StringValue("Nat"));
    NatHelper nat;
    nat.SetAttribute("UdpTimeout", TimeValue(Seconds(keepIdle)));
    nat.SetAttribute("AllowShortTimeouts", BooleanValue(true));
    nat.Prepare(topology);
    topology->Build();
    Ptr<NatTrafficControlLayer> natLayer = nat.Install(topology);
    uint32_t releases = 0;
    natLayer->TraceConnectWithoutContext("MappingExpired",
                                         MakeBoundCallback(
                                             +[](uint32_t* n, const NatMapping& m) {
                                                 if (m.protocol == 17)
                                                 {
                                                     ++*n;
                                                 }
                                             },
                                             &releases));
    Ptr<NatControlAgent> agent = CreateObject<NatControlAgent>();
    agent->SetAttribute("KeepKey", StringValue(KeepAuthenticator::GetDefaultKey()));
    topology->GetNatRouter()->AddApplication(agent);

    Ptr<Node> serverNode = topology->GetOutsideGatekeeper();
    Ptr<NatDetectionServer> server = CreateObject<NatDetectionServer>();
    server->SetAttribute("KeepKey", StringValue(KeepAuthenticator::GetDefaultKey()));
    server->SetAttribute("KeepIdle", TimeValue(Seconds(keepIdle)));
    server->SetAttribute("StreamDuration", TimeValue(Seconds(duration)));
    serverNode->AddApplication(server);
    Ptr<StunServer> stunServer = CreateObject<StunServer>();
    serverNode->AddApplication(stunServer);

    // The run number moves the client's start (and the STUN transaction ID).
    // One chain of random streams: this program's draw, then (below) the topology (ARP,
    // CSMA), the NAT and the STUN client.
    Ptr<UniformRandomVariable> start = CreateObject<UniformRandomVariable>();
    SceneStreams streams(1);
    streams.AssignVariable(start, "program");
    const Time t0 = Seconds(1 + start->GetValue(0, 1));
    Ptr<Node> terminal = topology->GetTerminal(0, 0, 1);
    Ptr<NatDetectionClient> client = CreateObject<NatDetectionClient>();
    client->SetAttribute("ServerAddress",
                         Ipv4AddressValue(topology->GetOutsideGatekeeperAddress()));
    client->SetAttribute("KeepaliveInterval", TimeValue(Seconds(keepalive)));
    terminal->AddApplication(client);
    client->SetStartTime(t0);
    Ptr<StunClient> stun = CreateObject<StunClient>();
    stun->SetAttribute("ServerAddress", Ipv4AddressValue(topology->GetOutsideGatekeeperAddress()));
    terminal->AddApplication(stun);
    stun->SetStartTime(t0);
    streams.Assign(topology);
    streams.Assign(nat);
    streams.Assign(ApplicationContainer(stun), "traversal");

    Simulator::Stop(t0 + Seconds(duration + 1));
    Simulator::Run();

    const uint32_t rx = client->GetStreamReceived();
    const uint32_t tx = server->GetStreamSent(1);
    const double delivery = tx ? 100.0 * rx / tx : 0;
    std::cout << "keepalive " << keepalive << " s, keep idle " << keepIdle << " s: verdict "
              << ToString(client->GetVerdict()) << ", stream " << rx << "/" << tx << " ("
              << delivery << " %), " << releases << " UDP mappings released; detection "
              << client->GetDetectionTime().GetMilliSeconds() << " ms, STUN "
              << stun->GetDetectionTime().GetMilliSeconds() << " ms\n";
    if (!csvPath.empty())
    {
        std::ofstream csv(csvPath);
        csv << "keepalive,keep_idle_s,delivery_pct,releases,detection_ms,stun_ms\n";
        csv << keepalive << "," << keepIdle << "," << delivery << "," << releases << ","
            << client->GetDetectionTime().GetMilliSeconds() << ","
            << stun->GetDetectionTime().GetMilliSeconds() << "\n";
    }
    Simulator::Destroy();
    return client->GetVerdict() == NatVerdict::NAT ? 0 : 1;
}
