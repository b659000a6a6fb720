/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Incoming calls to a phone behind the complex's NAPT that registers directly with the
 * outside gatekeeper (seed-003 mode, or STUN), against its keepalive interval, the NAT's
 * idle timeout and the call holding time. The outside phone calls it --calls times; between
 * two calls the line is idle for an exponential time (mean --gap), each call is held for
 * --holding seconds. A call fails when the outside phone gets no 200 (its INVITE did not
 * reach the phone through the NAT, or the phone is still in an earlier call whose BYE did
 * not reach it: 486); its incoming media fails when the phone received less than 90 % of
 * the RTP packets the outside phone sent, or the call never ended on the phone (its BYE was
 * lost, so the phone has no record of the call). One CSV row (--csv).
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

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

void
KeepRecord(std::vector<CallRecord>* records, const CallRecord& r)
{
    records->push_back(r);
}

void
CountUdpExpiry(uint32_t* n, const NatMapping& m)
{
    if (m.protocol == 17)
    {
        ++*n;
    }
}

void
RunAfterCall(std::function<void()>* f, const CallRecord&)
{
    (*f)();
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string mode = "seed003";
    double keepalive = 15;
    double natIdle = 30;
    double holding = 60;
    double gap = 60;
    uint32_t calls = 20;
    std::string csvPath;
    CommandLine cmd(__FILE__);
    cmd.AddValue("mode", "seed003 or stun: how the phone learns its public endpoints", mode);
    cmd.AddValue("keepalive",
                 "keepalive interval of the phone in seconds (0: none; 1-600)",
                 keepalive);
    cmd.AddValue("natIdle",
                 "UDP idle timeout of the NAT and seed-003 keep time in seconds (10-3600)",
                 natIdle);
    cmd.AddValue("holding", "seconds each call is held after the answer (1-3600)", holding);
    cmd.AddValue("gap", "mean idle seconds between two calls, exponential (1-3600)", gap);
    cmd.AddValue("calls", "incoming calls (1-1000)", calls);
    cmd.AddValue("csv", "write a header and one row to this file", csvPath);
    cmd.Parse(argc, argv);
    std::string storeError = ConfigureDefaultsFromStore(argc, argv);
    if (!storeError.empty())
    {
        std::cerr << "error: " << storeError << "\n";
        return 2;
    }
    SipTerminal::TraversalMode traversal;
    if (mode == "seed003")
    {
        traversal = SipTerminal::TraversalMode::SEED003;
    }
    else if (mode == "stun")
    {
        traversal = SipTerminal::TraversalMode::STUN;
    }
    else
    {
        std::cerr << "error: --mode must be seed003 or stun, not '" << mode << "'\n";
        return 2;
    }
    // Times (in seconds) and counts checked the shared way (ns3/command-line-values.h); the
    // first error is refused.
    const std::string keepaliveError =
        keepalive == 0 ? "" : CheckRange("keepalive", keepalive, 1.0, 600.0, "s (or 0: none)");
    for (const std::string& error : {keepaliveError,
                                     CheckRange("natIdle", natIdle, 10.0, 3600.0, "s"),
                                     CheckRange("holding", holding, 1.0, 3600.0, "s"),
                                     CheckRange("gap", gap, 1.0, 3600.0, "s"),
                                     CheckRange("calls", calls, 1u, 1000u)})
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
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    NatHelper nat;
    nat.SetAttribute("UdpTimeout", TimeValue(Seconds(natIdle)));
    nat.SetAttribute("AllowShortTimeouts", BooleanValue(true));
    nat.Prepare(topology);
    topology->Build();
    Ptr<NatTrafficControlLayer> natLayer = nat.Install(topology);
    uint32_t expired = 0;
    natLayer->TraceConnectWithoutContext("MappingExpired",
                                         MakeBoundCallback(&CountUdpExpiry, &expired));

    VoipHelper voip;
    voip.SetTerminalAttribute("RingTime", StringValue("ns3::ConstantRandomVariable[Constant=1]"));
    voip.Install(topology);

    TraversalHelper helper;
    helper.SetServerAttribute("KeepIdle", TimeValue(Seconds(natIdle)));
    helper.SetPhoneAttribute("Port", UintegerValue(5070));
    helper.SetPhoneAttribute("FirstRtpPort", UintegerValue(20000));
    helper.SetPhoneAttribute("KeepaliveInterval", TimeValue(Seconds(keepalive)));
    helper.SetPhoneAttribute("RingTime", StringValue("ns3::ConstantRandomVariable[Constant=1]"));
    helper.InstallAgent(topology->GetNatRouter());
    helper.InstallServer(topology->GetOutsideGatekeeper());
    helper.InstallStunServer(topology->GetOutsideGatekeeper());
    const std::string number = topology->GetOutsideNumberingPlan().Make(2, 1, 1).ToString();
    ApplicationContainer apps = helper.InstallDirectPhone(topology->GetTerminal(0, 0, 1),
                                                          number,
                                                          voip.GetOutsideGatekeeper(),
                                                          topology->GetOutsideGatekeeperAddress(),
                                                          traversal,
                                                          1);
    apps.Start(Seconds(0.5));
    Ptr<SipTerminal> phone = DynamicCast<SipTerminal>(apps.Get(0));
    std::vector<CallRecord> phoneCalls;
    phone->TraceConnectWithoutContext("CallEnded", MakeBoundCallback(&KeepRecord, &phoneCalls));

    // The first call comes an idle gap after the phone started, every other one an idle gap
    // after the previous call ended on the outside phone (answered and hung up, or failed:
    // Timer B, 32 s), so each call finds the line idle for an exponential time.
    Ptr<SipTerminal> outside = voip.GetTerminal(topology->GetRemotePhones().Get(0));
    Ptr<ExponentialRandomVariable> idle = CreateObject<ExponentialRandomVariable>();
    idle->SetAttribute("Mean", DoubleValue(gap));
    // One chain of random streams: this program's draws, the phones and proxies, the
    // topology (ARP, CSMA), the NAT, the direct phone.
    SceneStreams streams(1);
    streams.AssignVariable(idle, "program");
    streams.Assign(voip);
    streams.Assign(topology);
    streams.Assign(nat);
    streams.Assign(apps, "traversal");
    uint32_t dialled = 0;
    std::function<void()> next = [&]() {
        if (dialled == calls)
        {
            Simulator::Stop(Seconds(1));
            return;
        }
        ++dialled;
        ScheduleFunction(Seconds(idle->GetValue()), [&]() {
            if (!outside->Dial(number, Seconds(holding)))
            {
                std::cerr << "error: the outside phone could not dial\n";
                Simulator::Stop();
            }
        });
    };
    outside->TraceConnectWithoutContext("CallEnded", MakeBoundCallback(&RunAfterCall, &next));
    ScheduleFunction(Seconds(1), next);
    Simulator::Run();

    uint32_t attempts = 0;
    std::map<uint16_t, uint32_t> codes; // final responses the outside phone got
    uint32_t callFailed = 0;
    uint32_t mediaFailed = 0;
    uint32_t hung = 0;    // of mediaFailed: never ended on the phone (the BYE did not reach it)
    uint32_t delayed = 0; // delivered, but only by a retransmitted INVITE (SRD above T1)
    double srdSum = 0;
    for (const auto& o : voip.GetRecords())
    {
        if (!o.originating || o.localNode != outside->GetNode()->GetId())
        {
            continue;
        }
        ++attempts;
        ++codes[o.finalCode];
        if (o.finalCode != 200)
        {
            ++callFailed;
            continue;
        }
        const Time srd = o.GetFirstSrd();
        srdSum += srd.GetSeconds() * 1000;
        delayed += srd > MilliSeconds(500);
        const CallRecord* in = nullptr;
        for (const auto& r : phoneCalls)
        {
            in = r.callId == o.callId ? &r : in;
        }
        if (!in || in->media.received < 0.9 * o.media.sent)
        {
            ++mediaFailed;
            hung += !in;
        }
    }
    const double n = attempts ? attempts : 1;
    const uint32_t delivered = attempts - callFailed;
    const double srdMs = delivered ? srdSum / delivered : 0;
    std::cout << mode << ", keepalive " << keepalive << " s, NAT idle " << natIdle << " s, holding "
              << holding << " s: " << attempts << " incoming calls, " << callFailed
              << " not delivered, " << mediaFailed << " with incoming media lost (" << hung
              << " of them never ended on the phone: BYE lost), " << delayed
              << " delivered only by a retransmitted INVITE (mean SRD " << srdMs << " ms); "
              << expired << " UDP mappings expired; detection "
              << phone->GetTraversalDetectionTime().GetMilliSeconds() << " ms; final codes";
    for (const auto& [code, count] : codes)
    {
        std::cout << " " << code << ":" << count;
    }
    std::cout << "\n";
    if (!csvPath.empty())
    {
        std::ofstream csv(csvPath);
        csv << "mode,natIdle,holding,keepalive,calls,call_fail_pct,media_fail_pct,any_fail_pct,"
               "delayed_pct,srd_ms,expired,"
               "detection_ms\n";
        csv << mode << "," << natIdle << "," << holding << "," << keepalive << "," << attempts
            << "," << 100.0 * callFailed / n << "," << 100.0 * mediaFailed / n << ","
            << 100.0 * (callFailed + mediaFailed) / n << "," << 100.0 * delayed / n << "," << srdMs
            << "," << expired << "," << phone->GetTraversalDetectionTime().GetMilliSeconds()
            << "\n";
        if (!csv)
        {
            std::cerr << "error: cannot write " << csvPath << "\n";
            return 1;
        }
    }
    Simulator::Destroy();
    return attempts == calls ? 0 : 1;
}
