/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * NAT detection and UDP traversal (seed 003) through the complex's NAPT edge router.
 *
 * Four clients run the detection protocol against a server in the outside network (the
 * outside gatekeeper node): two terminals behind the NAPT, one host with a public address
 * behind a transparent TCP proxy, and one remote phone with a public address. Each prints
 * its verdict. The server then streams RTP-sized UDP (P7, 172 bytes every 20 ms) to each;
 * behind the NAT it first asks the router to keep the client's mapping (KEEP). Terminal 1
 * sends keepalives (P6) all along, terminal 2 stops at --stopKeepalive: the router
 * releases its mapping --keepIdle later and its stream fails, while terminal 1's survives.
 *
 *   nat-traversal --duration=120s --keepIdle=30s --stopKeepalive=40s --pcap --checksums
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-control-agent.h"
#include "ns3/nat-detection-client.h"
#include "ns3/nat-detection-server.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/stun-client.h"
#include "ns3/stun-server.h"
#include "ns3/traversal-helper.h"

#include <fstream>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatTraversalExample");

namespace
{

void
PrintExpired(const NatMapping& m)
{
    std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds()
              << " s: NAT mapping released " << m.insideAddress << ":" << m.insidePort << " -> "
              << m.publicAddress << ":" << m.publicPort << "\n";
}

void
PrintVerdict(std::string name, uint32_t, NatVerdict verdict, Ipv4Address observed)
{
    std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds()
              << " s: " << name << " verdict " << ToString(verdict) << " (server sees " << observed
              << ")\n";
}

std::optional<Time>
TimeArg(const std::string& name, const std::string& text)
{
    std::string error;
    auto t = ReadTime(name, text, Seconds(0), Time::Max(), "must not be negative", &error);
    if (!t)
    {
        std::cerr << "error: " << error << "\n";
    }
    return t;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string durationText = "120s";
    std::string keepaliveText = "10s";
    std::string stopText = "40s";
    std::string keepIdleText = "30s";
    std::string udpTimeoutText = "300s";
    std::string mapping = "EndpointIndependent";
    std::string filtering = "AddressAndPortDependent";
    bool pcap = false;
    bool checksums = false;
    bool table = true;
    std::string csv;

    CommandLine cmd(__FILE__);
    cmd.Usage("NAT detection (seed 003) and a UDP stream through the complex's NAPT router.");
    cmd.AddValue("duration", "simulated time (e.g. 120s)", durationText);
    cmd.AddValue("keepalive", "interval of the clients' P6 keepalives", keepaliveText);
    cmd.AddValue("stopKeepalive", "when terminal 2 stops its keepalives", stopText);
    cmd.AddValue("keepIdle",
                 "idle time the server asks the router to keep a mapping",
                 keepIdleText);
    cmd.AddValue("udpTimeout", "NAT UDP mapping timeout (>= 120s)", udpTimeoutText);
    cmd.AddValue("mapping",
                 "NAT mapping behaviour: EndpointIndependent, AddressDependent or "
                 "AddressAndPortDependent",
                 mapping);
    cmd.AddValue("filtering", "NAT filtering behaviour (same values)", filtering);
    cmd.AddValue("pcap", "write pcap files (NAT router, server, terminals, proxy)", pcap);
    cmd.AddValue("checksums", "compute and check IPv4/UDP/TCP checksums", checksums);
    cmd.AddValue("table", "print the NAT table at the end", table);
    cmd.AddValue("csv", "append one row per client to this CSV file", csv);
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

    // Each time is read and range-checked the shared way (ns3/command-line-values.h).
    std::string timeError;
    auto duration = ReadTime("duration",
                             durationText,
                             Seconds(5),
                             Seconds(86400),
                             "must be 5s to 86400s",
                             &timeError);
    auto keepIdle = duration ? ReadTime("keepIdle",
                                        keepIdleText,
                                        Seconds(10),
                                        Seconds(3600),
                                        "must be 10s to 3600s (what the router accepts)",
                                        &timeError)
                             : std::nullopt;
    if (!duration || !keepIdle)
    {
        std::cerr << "error: " << timeError << "\n";
        return 2;
    }
    auto keepalive = TimeArg("keepalive", keepaliveText);
    auto stop = TimeArg("stopKeepalive", stopText);
    auto udpTimeout = TimeArg("udpTimeout", udpTimeoutText);
    if (!keepalive || !stop || !udpTimeout)
    {
        return 2;
    }
    if (!keepalive->IsStrictlyPositive() || *keepalive >= *keepIdle)
    {
        std::cerr << "error: --keepalive must be positive and shorter than --keepIdle\n";
        return 2;
    }
    for (const std::string& b : {mapping, filtering})
    {
        if (b != "EndpointIndependent" && b != "AddressDependent" && b != "AddressAndPortDependent")
        {
            std::cerr << "error: behaviour '" << b
                      << "' must be EndpointIndependent, AddressDependent or "
                         "AddressAndPortDependent\n";
            return 2;
        }
    }
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(checksums));

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(1));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(2));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(2));
    topology->SetAttribute("RemotePhones", UintegerValue(1));
    topology->SetAttribute("EdgeMode", StringValue("Nat"));

    // [usage-nat] (doc/ includes the lines up to the end marker)
    NatHelper nat;
    nat.SetAttribute("UdpTimeout", TimeValue(*udpTimeout));
    nat.SetAttribute("MappingBehaviour", StringValue(mapping));
    nat.SetAttribute("FilteringBehaviour", StringValue(filtering));
    // [usage-nat-end]
    {
        // Validate before building so that a bad value is an error, not an abort.
        NatTable::Config c;
        c.publicAddresses = {Ipv4Address("203.0.113.1")};
        c.udpTimeout = *udpTimeout;
        std::string error = NatTable::Validate(c);
        if (!error.empty())
        {
            std::cerr << "error: " << error << "\n";
            return 2;
        }
    }
    // [usage-nat-install] (doc/ includes the lines up to the end marker)
    nat.Prepare(topology);
    topology->Build();
    Ptr<NatTrafficControlLayer> natLayer = nat.Install(topology);
    // [usage-nat-install-end]
    natLayer->TraceConnectWithoutContext("MappingExpired", MakeCallback(&PrintExpired));
    NatHelper::ProxySite proxy = NatHelper::AddProxySite(topology);

    // [usage-traversal] (doc/ includes the lines up to the end marker)
    TraversalHelper traversal;
    Ptr<NatControlAgent> agent =
        DynamicCast<NatControlAgent>(traversal.InstallAgent(topology->GetNatRouter()).Get(0));
    traversal.SetServerAttribute("KeepIdle", TimeValue(*keepIdle));
    traversal.SetServerAttribute("StreamDuration", TimeValue(*duration));
    Ptr<NatDetectionServer> server = DynamicCast<NatDetectionServer>(
        traversal.InstallServer(topology->GetOutsideGatekeeper()).Get(0));
    // STUN, the standard way, on the same server node for comparison.
    traversal.InstallStunServer(topology->GetOutsideGatekeeper());
    // [usage-traversal-end]
    traversal.SetClientAttribute("KeepaliveInterval", TimeValue(*keepalive));
    const Ipv4Address serverAddress = topology->GetOutsideGatekeeperAddress();

    struct Client
    {
        std::string name;
        Ptr<Node> node;
        NatVerdict expected;
        Ptr<NatDetectionClient> app;
        Ptr<StunClient> stun;
    };

    std::vector<Client> clients{
        {"terminal-1 (NAPT, keepalives on)",
         topology->GetTerminal(0, 0, 1),
         NatVerdict::NAT,
         nullptr,
         nullptr},
        {"terminal-2 (NAPT, keepalives stop)",
         topology->GetTerminal(0, 0, 2),
         NatVerdict::NAT,
         nullptr,
         nullptr},
        {"proxy-client (public address, TCP proxy)",
         proxy.client,
         NatVerdict::PROXY,
         nullptr,
         nullptr},
        {"remote-phone (public address)",
         topology->GetRemotePhones().Get(0),
         NatVerdict::PUBLIC,
         nullptr,
         nullptr},
    };
    uint32_t index = 1;
    ApplicationContainer stunApps;
    for (Client& c : clients)
    {
        traversal.SetClientAttribute("UserIndex", UintegerValue(1000 + index));
        traversal.SetClientAttribute("KeepaliveStop", TimeValue(index == 2 ? *stop : Time(0)));
        ApplicationContainer detection = traversal.InstallClient(c.node, serverAddress);
        c.app = DynamicCast<NatDetectionClient>(detection.Get(0));
        c.app->TraceConnectWithoutContext("Verdict", MakeBoundCallback(&PrintVerdict, c.name));
        detection.Start(Seconds(1) + MilliSeconds(100 * index));
        ApplicationContainer stun = traversal.InstallStunClient(c.node, serverAddress);
        c.stun = DynamicCast<StunClient>(stun.Get(0));
        stunApps.Add(stun);
        stun.Start(Seconds(1) + MilliSeconds(100 * index));
        ++index;
    }

    // One chain of random streams: the topology's (ARP, CSMA), the proxy site's, the NAT,
    // the STUN clients.
    SceneStreams streams(1);
    streams.Assign(topology);
    streams.Assign("proxy site", [&proxy](int64_t stream) {
        NodeContainer site(proxy.proxy, proxy.client);
        NetDeviceContainer csma;
        for (uint32_t i = 0; i < site.GetN(); ++i)
        {
            for (uint32_t d = 0; d < site.Get(i)->GetNDevices(); ++d)
            {
                if (DynamicCast<CsmaNetDevice>(site.Get(i)->GetDevice(d)))
                {
                    csma.Add(site.Get(i)->GetDevice(d));
                }
            }
        }
        const int64_t used = InternetStackHelper().AssignStreams(site, stream);
        return used + CsmaHelper().AssignStreams(csma, stream + used);
    });
    streams.Assign(nat);
    streams.Assign(stunApps, "traversal");

    if (pcap)
    {
        NodeContainer traced(topology->GetNatRouter(), topology->GetOutsideGatekeeper());
        traced.Add(topology->GetTerminal(0, 0, 1));
        topology->EnablePcap("nat-traversal", traced);
        std::cout << "pcap: nat-traversal-<node>-<device>.pcap\n";
    }

    Simulator::Stop(*duration);
    Simulator::Run();

    std::cout << "\nclient                                      verdict  stream rx/tx  last rx   "
                 "detection  STUN says  STUN time\n";
    std::ofstream out;
    if (!csv.empty())
    {
        out.open(csv, std::ios::app);
        if (!out)
        {
            std::cerr << "error: cannot write " << csv << "\n";
            return 2;
        }
        if (out.tellp() == 0)
        {
            out << "client,verdict,detection_ms,stun_verdict,stun_ms,stream_rx,stream_tx,"
                   "last_rx_s\n";
        }
    }
    bool ok = true;
    index = 1;
    const Time streamEndsEarly = *stop + *keepIdle + *keepalive + Seconds(2);
    for (const Client& c : clients)
    {
        const uint32_t rx = c.app->GetStreamReceived();
        const uint32_t tx = server->GetStreamSent(1000 + index);
        std::cout << std::left << std::setw(44) << c.name << std::setw(9)
                  << ToString(c.app->GetVerdict()) << std::right << std::setw(6) << rx << "/"
                  << std::left << std::setw(7) << tx << std::fixed << std::setprecision(2)
                  << c.app->GetLastStreamTime().GetSeconds() << " s  " << std::setw(7)
                  << c.app->GetDetectionTime().GetMilliSeconds() << " ms  " << std::setw(9)
                  << ToString(c.stun->GetVerdict()) << " "
                  << c.stun->GetDetectionTime().GetMilliSeconds() << " ms\n";
        if (out)
        {
            out << index << "," << ToString(c.app->GetVerdict()) << ","
                << c.app->GetDetectionTime().GetMilliSeconds() << ","
                << ToString(c.stun->GetVerdict()) << ","
                << c.stun->GetDetectionTime().GetMilliSeconds() << "," << rx << "," << tx << ","
                << c.app->GetLastStreamTime().GetSeconds() << "\n";
        }
        ok = ok && c.app->GetVerdict() == c.expected && rx > 0 &&
             c.stun->GetVerdict() ==
                 (c.expected == NatVerdict::NAT ? NatVerdict::NAT : NatVerdict::PUBLIC);
        const bool survived = c.app->GetLastStreamTime() > *duration - Seconds(1);
        if (index == 2 && streamEndsEarly < *duration)
        {
            std::cout << "  -> keepalives stopped at " << stop->GetSeconds() << " s: stream "
                      << (survived ? "survived (unexpected)" : "failed")
                      << " after the router released the mapping\n";
            ok = ok && !survived;
        }
        else
        {
            ok = ok && survived;
        }
        ++index;
    }
    std::cout << "NAT: " << natLayer->GetTranslatedCount() << " packets translated, "
              << natLayer->GetDropCount() << " dropped; router kept " << agent->GetKeptCount()
              << " mappings\n";
    if (table)
    {
        natLayer->PrintTable(std::cout);
    }
    std::cout << (ok ? "result: as expected\n" : "result: UNEXPECTED\n");
    Simulator::Destroy();
    return ok ? 0 : 1;
}
