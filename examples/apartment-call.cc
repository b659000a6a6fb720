/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Plays the call scene of the apartment complex: flat 100-1101-1201 has three terminals.
 *  1. An outside phone dials the household number 100-1101-1201-0: all three terminals
 *     ring, the first to answer takes the call and the other two stop ringing (CANCEL).
 *  2. It then dials 100-1101-1201-1: only terminal 1 rings.
 *  3. While terminal 1 still talks, terminal 2 calls the second outside phone.
 * SIP goes terminal -> home gateway -> gatekeeper -> outside gatekeeper -> remote phone;
 * RTP (G.711, 20 ms) flows both ways. Prints a call table and writes one CSV row per call.
 *
 *   apartment-call --pcap --csv=calls.csv --wanDelay=40ms --wanLoss=0.02
 *   apartment-call --scene=false --callRate=6 --flats=10 --duration=600s
 *   apartment-call --nat --pcap      (the complex behind its NAT router, static 1:1 rules)
 *   apartment-call --nat=napt        (one public address; media mapped per call by PCP)
 *   apartment-call --nat=pool --poolSize=4  (a pool address per terminal per active call)
 *   apartment-call --nat=napt --homeNat  (double NAT: a NAPT on every home gateway too)
 *   apartment-call --direct=seed003  (a phone behind the NAPT registers outside directly)
 *   apartment-call --scene=false --callRate=6 --media=flow   (media sampled: call-level runs)
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/traversal-helper.h"
#include "ns3/voip-helper.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipCallExample");

namespace
{

void
ShowRing(std::string number, const std::string& caller)
{
    std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds() << " s  "
              << number << " rings, caller ID " << caller << "\n";
}

void
ShowEnd(const CallRecord& r)
{
    std::cout << std::fixed << std::setprecision(3) << Simulator::Now().GetSeconds() << " s  "
              << r.localNumber << (r.originating ? " (caller)" : " (callee)") << " call "
              << r.GetOutcome() << " (" << r.finalCode << ")\n";
}

void
KeepRecord(std::vector<CallRecord>* records, const CallRecord& r)
{
    records->push_back(r);
}

/// --direct: traversal servers, the router agent and a direct phone on terminal 1 of the
/// first flat, with its own SIP and RTP ports beside the flat's phone.
Ptr<SipTerminal>
InstallDirectPhone(Ptr<ApartmentTopologyHelper> topology,
                   const VoipHelper& voip,
                   SipTerminal::TraversalMode mode)
{
    TraversalHelper traversal;
    traversal.InstallAgent(topology->GetNatRouter());
    traversal.InstallServer(topology->GetOutsideGatekeeper());
    traversal.InstallStunServer(topology->GetOutsideGatekeeper());
    traversal.SetPhoneAttribute("Port", UintegerValue(5070));
    traversal.SetPhoneAttribute("FirstRtpPort", UintegerValue(20000));
    ApplicationContainer apps =
        traversal.InstallDirectPhone(topology->GetTerminal(0, 0, 1),
                                     topology->GetOutsideNumberingPlan().Make(2, 1, 1).ToString(),
                                     voip.GetOutsideGatekeeper(),
                                     topology->GetOutsideGatekeeperAddress(),
                                     mode,
                                     1);
    apps.Start(Seconds(0.5));
    return DynamicCast<SipTerminal>(apps.Get(0));
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t buildings = 1;
    uint32_t flats = 3;
    uint32_t terminals = 3;
    uint32_t remotePhones = 2;
    bool scene = true;
    double callRate = 0;
    std::string holdingText = "60s";
    std::string durationText = "60s";
    std::string wanDelayText = "10ms";
    double wanLoss = 0;
    bool pcap = false;
    std::string csv = "apartment-call.csv";
    bool verbose = true;
    bool video = false;
    std::string natText = "none";
    uint32_t poolSize = 8;
    bool homeNat = false;
    std::string direct;
    std::string media = "packets";
    std::string scheduler = "priority";

    CommandLine cmd(__FILE__);
    cmd.Usage("Plays household ring-all, terminal calls and outgoing calls over SIP and RTP.");
    cmd.AddValue("buildings", "number of buildings (1-256)", buildings);
    cmd.AddValue("flats", "flats per building", flats);
    cmd.AddValue("terminals", "terminals per flat (3-9 with the scene, else 1-9)", terminals);
    cmd.AddValue("remotePhones", "phones in the outside network (2-240)", remotePhones);
    cmd.AddValue("scene", "play the scene (household call, terminal call, outgoing call)", scene);
    cmd.AddValue("callRate", "Poisson call attempts per terminal per hour (0: none)", callRate);
    cmd.AddValue("holding", "mean holding time of traffic-model calls (e.g. 60s)", holdingText);
    cmd.AddValue("duration", "simulated time (e.g. 60s)", durationText);
    cmd.AddValue("wanDelay", "one-way delay of the WAN link (e.g. 10ms)", wanDelayText);
    cmd.AddValue("wanLoss", "packet loss rate on the WAN link, each direction (0-0.5)", wanLoss);
    cmd.AddValue("pcap", "write pcap files of flat 1201, the core and the outside", pcap);
    cmd.AddValue("csv", "write one row per call to this file (none: no file)", csv);
    cmd.AddValue("video", "every phone offers and accepts a video stream (H.263, 25 fps)", video);
    cmd.AddValue("nat",
                 "none (routed edge), static (a 1:1 public address per terminal), pool (a pool "
                 "address per terminal per call, by PCP) or napt (one public address, media "
                 "ports mapped per call by PCP); --nat alone means static",
                 natText);
    cmd.AddValue("poolSize", "--nat=pool: public addresses in the pool (1-150)", poolSize);
    cmd.AddValue("homeNat",
                 "double NAT: a NAPT on every home gateway, every flat reusing the same "
                 "private /24 behind it; the gateway rewrites Contact and SDP for its flat as "
                 "the gatekeeper does for the complex",
                 homeNat);
    cmd.AddValue("direct",
                 "seed003 or stun: the complex behind its NAPT router, and a phone on terminal 1 "
                 "of the first flat that registers with the outside gatekeeper directly; the "
                 "scene becomes: outside phone 1 calls it, it calls outside phone 2",
                 direct);
    cmd.AddValue("media",
                 "packets: every RTP packet; flow: one RTP packet in 50 samples the path and "
                 "stands for the stream (loss, delay, jitter, MOS), for big call-level runs",
                 media);
    cmd.AddValue("verbose", "print ringing and call ends as they happen", verbose);
    cmd.AddValue("scheduler",
                 "ns-3 event scheduler (global): map, heap, calendar, list or priority",
                 scheduler);
    // "--nat" alone kept its old meaning (static rules) when it became a choice.
    std::vector<std::string> args(argv, argv + argc);
    for (auto& a : args)
    {
        a = a == "--nat" ? "--nat=static" : a;
    }
    cmd.Parse(args);
    // Attribute files (ns-3 ConfigStore, RawText): --ns3::ConfigStore::Filename=<file>
    // --ns3::ConfigStore::Mode=Load sets the defaults in it (the command line wins), Mode=Save
    // writes this run's.
    std::string storeError = ConfigureDefaultsFromStore(argc, argv);
    if (!storeError.empty())
    {
        std::cerr << "error: " << storeError << "\n";
        return 2;
    }
    std::optional<CallNatMode> natMode;
    if (natText == "static")
    {
        natMode = CallNatMode::STATIC;
    }
    else if (natText == "pool")
    {
        natMode = CallNatMode::POOL;
    }
    else if (natText == "napt")
    {
        natMode = CallNatMode::NAPT;
    }
    else if (natText != "none")
    {
        std::cerr << "error: --nat must be none, static, pool or napt, not '" << natText << "'\n";
        return 2;
    }
    const bool nat = natMode.has_value();
    // Times, counts and rates are read and checked the shared way (ns3/command-line-values.h).
    std::string error;
    if (natMode == CallNatMode::POOL)
    {
        error = CheckRange("poolSize", poolSize, 1u, 150u);
    }
    // Each read only if everything before it was right: the first error is the one refused.
    std::optional<Time> duration;
    std::optional<Time> holding;
    std::optional<Time> wanDelay;
    if (error.empty())
    {
        duration = ReadTime("duration",
                            durationText,
                            TimeStep(1),
                            Time::Max(),
                            "must be positive",
                            &error);
    }
    if (duration)
    {
        holding =
            ReadTime("holding", holdingText, TimeStep(1), Time::Max(), "must be positive", &error);
    }
    if (holding)
    {
        wanDelay =
            ReadTime("wanDelay", wanDelayText, Seconds(0), Seconds(2), "must be 0 to 2s", &error);
    }
    if (error.empty())
    {
        error = CheckRange("wanLoss", wanLoss, 0.0, 0.5);
    }
    if (error.empty())
    {
        error = CheckRange("callRate", callRate, 0.0, 3600.0, "per hour");
    }
    if (!error.empty() || !duration || !holding || !wanDelay)
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    if (scene && (terminals < 3 || remotePhones < 2))
    {
        std::cerr << "error: the scene needs --terminals of at least 3 and --remotePhones of "
                     "at least 2 (or --scene=false)\n";
        return 2;
    }
    if (scene && *duration < Seconds(50))
    {
        std::cerr << "error: --duration " << durationText
                  << " is too short for the scene (at least 50s)\n";
        return 2;
    }
    if (media != "packets" && media != "flow")
    {
        std::cerr << "error: --media must be packets or flow, not '" << media << "'\n";
        return 2;
    }
    if (std::string schedulerError = SetGlobalScheduler(scheduler); !schedulerError.empty())
    {
        std::cerr << "error: --" << schedulerError << "\n";
        return 2;
    }
    if (error = CheckRange("remotePhones", remotePhones, 1u, 240u); !error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }

    std::optional<SipTerminal::TraversalMode> directMode;
    if (direct == "seed003")
    {
        directMode = SipTerminal::TraversalMode::SEED003;
    }
    else if (direct == "stun")
    {
        directMode = SipTerminal::TraversalMode::STUN;
    }
    else if (!direct.empty())
    {
        std::cerr << "error: --direct must be seed003 or stun, not '" << direct << "'\n";
        return 2;
    }
    if (directMode && media == "flow")
    {
        // The direct phone is installed apart from VoipHelper; both ends of a call must use
        // the same media mode.
        std::cerr << "error: --media=flow cannot be combined with --direct\n";
        return 2;
    }
    if (homeNat && directMode)
    {
        std::cerr << "error: --homeNat cannot be combined with --direct (the direct phone "
                     "learns one NAT, not two)\n";
        return 2;
    }
    const bool natEdge = nat || directMode.has_value();

    // Real IPv4/UDP checksums in captures, so Wireshark reports none as bad.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(pcap));

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(remotePhones));
    topology->SetAttribute("WanDelay", TimeValue(*wanDelay));
    if (natEdge)
    {
        topology->SetAttribute("EdgeMode", StringValue("Nat"));
    }
    topology->SetAttribute("HomeNat", BooleanValue(homeNat));
    error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    NatHelper natHelper;
    if (natMode == CallNatMode::POOL)
    {
        natHelper.SetAttribute("Mode", EnumValue(static_cast<int>(NatMode::POOL)));
    }
    if (natEdge)
    {
        natHelper.Prepare(topology);
    }
    topology->Build();
    if (natMode == CallNatMode::POOL)
    {
        // Hosts 100.. of the complex's public /24 (the gatekeeper takes one below).
        std::vector<Ipv4Address> pool;
        for (uint32_t i = 0; i < poolSize; ++i)
        {
            pool.push_back(topology->GetAddressPlan().GetPublic().GetAddress(100 + i));
        }
        natHelper.SetPublicAddresses(pool);
    }
    Ptr<NatTrafficControlLayer> natLayer = natEdge ? natHelper.Install(topology) : nullptr;
    topology->PrintSummary(std::cout);
    std::cout << "scheduler: " << GetGlobalScheduler() << "\n";

    if (wanLoss > 0) // their streams: see SceneStreams below
    {
        Ptr<Channel> wan = topology->GetNatRouterWanDevice()->GetChannel();
        for (std::size_t i = 0; i < wan->GetNDevices(); ++i)
        {
            auto em = CreateObject<RateErrorModel>();
            em->SetAttribute("ErrorRate", DoubleValue(wanLoss));
            em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
            wan->GetDevice(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }

    // [usage-calls] (doc/ includes the lines up to the end marker)
    VoipHelper voip;
    voip.SetTerminalAttribute("Video", BooleanValue(video));
    if (media == "flow")
    {
        voip.SetTerminalAttribute("MediaMode", StringValue("FlowLevel"));
        std::cout << "media: flow level, one RTP packet in 50 each way (SipTerminal "
                     "FlowSampleEvery)\n";
    }
    if (callRate > 0)
    {
        std::ostringstream mean;
        mean << "ns3::ExponentialRandomVariable[Mean=" << holding->GetSeconds() << "]";
        voip.SetTerminalAttribute("HoldingTime", StringValue(mean.str()));
        voip.SetTrafficModel(callRate);
    }
    voip.Install(topology);
    // [usage-calls-end]
    if (nat)
    {
        error = voip.UseNat(topology, natLayer, 0, *natMode);
        if (!error.empty())
        {
            std::cerr << "error: --nat: " << error << "\n";
            return 2;
        }
        Ipv4AddressValue gkPublic;
        voip.GetGatekeeper()->GetAttribute("PublicAddress", gkPublic);
        std::cout << "NAT (" << ToString(*natMode)
                  << "): " << natLayer->GetTable().GetStaticRules().size()
                  << " static 1:1 rules, gatekeeper seen outside as " << gkPublic.Get();
        if (*natMode != CallNatMode::STATIC)
        {
            const auto& publics = natLayer->GetTable().GetConfig().publicAddresses;
            std::cout << ", media on " << publics.size() << " public address"
                      << (publics.size() == 1 ? "" : "es") << " by PCP";
        }
        std::cout << "\n";
    }

    if (verbose)
    {
        for (const auto& t : voip.GetAllTerminals())
        {
            std::string number;
            StringValue v;
            t->GetAttribute("Number", v);
            t->TraceConnectWithoutContext("CallerId", MakeBoundCallback(&ShowRing, v.Get()));
            t->TraceConnectWithoutContext("CallEnded", MakeCallback(&ShowEnd));
        }
    }

    Ptr<SipTerminal> directPhone;
    std::vector<CallRecord> directCalls;
    if (directMode)
    {
        directPhone = InstallDirectPhone(topology, voip, *directMode);
        directPhone->TraceConnectWithoutContext("CallEnded",
                                                MakeBoundCallback(&KeepRecord, &directCalls));
        if (verbose)
        {
            StringValue v;
            directPhone->GetAttribute("Number", v);
            directPhone->TraceConnectWithoutContext("CallerId",
                                                    MakeBoundCallback(&ShowRing, v.Get()));
            directPhone->TraceConnectWithoutContext("CallEnded", MakeCallback(&ShowEnd));
        }
    }
    // [usage-streams] (doc/ includes the lines up to the end marker)
    // One chain of random streams for the whole scene, installed first, disjoint at any size:
    // each part takes the streams after those the previous one used.
    SceneStreams streams(1);
    streams.Assign(voip);     // phones, proxies, the gatekeeper's PCP binder (--nat)
    streams.Assign(topology); // ARP jitter, CSMA back-off
    streams.Assign(natHelper);
    streams.AssignErrorModels(topology->GetAllNodes()); // --wanLoss
    if (directPhone)
    {
        streams.Assign(ApplicationContainer(directPhone), "traversal"); // --direct
    }
    // [usage-streams-end]

    if (scene && directPhone)
    {
        Ptr<SipTerminal> outside = voip.GetTerminal(topology->GetRemotePhones().Get(0));
        std::string number = topology->GetOutsideNumberingPlan().Make(2, 1, 1).ToString();
        std::string remote1 = topology->GetRemotePhoneNumber(1).ToString();
        ScheduleFunction(Seconds(2), [outside, number]() {
            std::cout << "2.000 s  outside phone dials the direct phone " << number << "\n";
            outside->Dial(number, Seconds(10));
        });
        ScheduleFunction(Seconds(20), [directPhone, remote1]() {
            std::cout << "20.000 s  direct phone dials the outside phone " << remote1 << "\n";
            directPhone->Dial(remote1, Seconds(10));
        });
    }
    else if (scene)
    {
        Ptr<SipTerminal> outside = voip.GetTerminal(topology->GetRemotePhones().Get(0));
        Ptr<SipTerminal> second = voip.GetTerminal(topology->GetTerminal(0, 0, 2));
        std::string household = topology->GetHouseholdNumber(0, 0).ToString();
        std::string terminal1 = topology->GetTerminalNumber(0, 0, 1).ToString();
        std::string remote1 = topology->GetRemotePhoneNumber(1).ToString();
        ScheduleFunction(Seconds(2), [outside, household]() {
            std::cout << "2.000 s  "
                      << "outside phone dials the household " << household << "\n";
            outside->Dial(household, Seconds(8));
        });
        ScheduleFunction(Seconds(20), [outside, terminal1]() {
            std::cout << "20.000 s  outside phone dials terminal " << terminal1 << "\n";
            outside->Dial(terminal1, Seconds(20));
        });
        ScheduleFunction(Seconds(26), [second, remote1]() {
            std::cout << "26.000 s  terminal 2 dials the outside phone " << remote1 << "\n";
            second->Dial(remote1, Seconds(10));
        });
    }

    if (pcap)
    {
        NodeContainer traced(topology->GetGateway(0, 0), topology->GetGatekeeper());
        traced.Add(topology->GetOutsideGatekeeper());
        traced.Add(topology->GetRemotePhones().Get(0));
        if (natEdge)
        {
            traced.Add(topology->GetNatRouter()); // its WAN device shows what the outside sees
        }
        if (directPhone)
        {
            traced.Add(topology->GetTerminal(0, 0, 1));
        }
        topology->EnablePcap("apartment-call", traced);
        std::cout << "pcap: apartment-call-<node>-<device>.pcap\n";
    }

    Simulator::Stop(*duration);
    Simulator::Run();

    std::cout << "\n";
    voip.PrintTable(std::cout);
    uint64_t malformed = 0;
    for (const auto& t : voip.GetAllTerminals())
    {
        malformed += t->GetMalformedCount();
    }
    std::cout << "malformed SIP dropped: " << malformed << "\n";
    if (directPhone)
    {
        uint32_t both = 0;
        for (const auto& r : directCalls)
        {
            const CallRecord* peer = nullptr; // the outside phone's side of the call
            for (const auto& o : voip.GetRecords())
            {
                peer = o.callId == r.callId ? &o : peer;
            }
            both += r.finalCode == 200 && r.media.received > 0 && peer && peer->media.received > 0;
        }
        std::cout << "direct phone (" << direct << "): seen as " << directPhone->GetPublicAddress()
                  << " SIP port " << directPhone->GetPublicSipPort() << " RTP port "
                  << directPhone->GetPublicRtpPort() << ", detection "
                  << directPhone->GetTraversalDetectionTime().As(Time::MS) << ", registered "
                  << (directPhone->IsRegistered() ? "yes" : "no") << "\n"
                  << "direct calls answered with RTP both ways: " << both << " of "
                  << directCalls.size() << "\n";
    }
    if (natEdge)
    {
        std::cout << "NAT: " << natLayer->GetTranslatedCount() << " packets translated, "
                  << natLayer->GetDropCount() << " dropped\n";
        if (Ptr<CallNatBinder> binder = voip.GetCallNatBinder())
        {
            Ptr<PcpServerApplication> server = voip.GetPcpServer();
            std::cout << "PCP: " << binder->GetGrantedCount() << " mappings granted (peak "
                      << binder->GetPeakMappingCount() << " at once), "
                      << binder->GetReleasedCount() << " released, "
                      << binder->GetActiveMappingCount() << " in use at the end; server "
                      << server->GetSuccessCount() << " answered, " << server->GetRefusedCount()
                      << " refused (" << server->GetRefusedCount(PcpHeader::NO_RESOURCES)
                      << " no resources); " << binder->GetFailedMessageCount()
                      << " messages answered 503 for want of a mapping\n";
        }
    }
    if (homeNat)
    {
        uint64_t granted = 0;
        uint64_t released = 0;
        uint64_t refused = 0;
        uint64_t translated = 0;
        uint64_t dropped = 0;
        std::size_t peak = 0;
        NodeContainer gateways = topology->GetAllGateways();
        for (uint32_t i = 0; i < gateways.GetN(); ++i)
        {
            Ptr<CallNatBinder> binder = voip.GetGateway(gateways.Get(i))->GetCallNatBinder();
            granted += binder->GetGrantedCount();
            released += binder->GetReleasedCount();
            refused += binder->GetRefusedCount();
            peak = std::max(peak, binder->GetPeakMappingCount());
            Ptr<NatTrafficControlLayer> home = NatHelper::GetNat(gateways.Get(i));
            translated += home->GetTranslatedCount();
            dropped += home->GetDropCount();
        }
        std::cout << "home NATs (" << gateways.GetN() << " gateways, every flat "
                  << topology->GetHomeNetwork().ToString() << "): " << translated
                  << " packets translated, " << dropped << " dropped; PCP " << granted
                  << " mappings granted (peak " << peak << " in one flat), " << released
                  << " released, " << refused << " refused\n";
    }
    if (!csv.empty() && csv != "none")
    {
        std::ofstream out(csv);
        if (!out)
        {
            std::cerr << "error: cannot write " << csv << "\n";
            return 2;
        }
        voip.WriteCsv(out);
        std::cout << "CSV: " << csv << "\n";
    }
    Simulator::Destroy();
    return 0;
}
