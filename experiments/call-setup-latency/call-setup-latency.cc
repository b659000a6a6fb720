/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Call set-up latency against WAN delay and loss. Calls alternate between incoming
 * (remote phone -> terminal) and outgoing (terminal -> remote phone), one every 15 s, each
 * answered after a fixed 2 s ring and held 5 s. One CSV row per run: answered share,
 * mean SRD (INVITE -> first 180, RFC 6076), mean time to answer minus the ring, SIP
 * retransmissions, RTP loss and MOS.
 *
 * With --auth-invite the gatekeepers challenge every INVITE from a phone (407, digest
 * authentication; REGISTER is challenged in both cases, before the first call).
 *
 *   call-setup-latency --delay=50 --loss=0.05 --calls=20 --csv=row.csv
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/crypto.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <fstream>
#include <iostream>

using namespace ns3;
using namespace ns3::apartment;

int
main(int argc, char* argv[])
{
    double delayMs = 10;
    double loss = 0;
    uint32_t calls = 20;
    std::string csv = "call-setup-latency.csv";
    bool authInvite = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("delay", "one-way WAN delay in ms (0-1000)", delayMs);
    cmd.AddValue("loss", "WAN packet loss rate per direction (0-0.5)", loss);
    cmd.AddValue("calls", "number of calls (1-1000)", calls);
    cmd.AddValue("csv", "output file (header + one row)", csv);
    cmd.AddValue("auth-invite",
                 "challenge INVITEs from phones with 407 (digest authentication)",
                 authInvite);
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
    // Checked the shared way (ns3/command-line-values.h); the first error is refused.
    for (const std::string& error : {CheckRange("delay", delayMs, 0.0, 1000.0, "ms"),
                                     CheckRange("loss", loss, 0.0, 0.5),
                                     CheckRange("calls", calls, 1u, 1000u)})
    {
        if (!error.empty())
        {
            std::cerr << "error: " << error << "\n";
            return 2;
        }
    }
    if (authInvite && !CryptoAvailable())
    {
        std::cerr << "error: --auth-invite needs digest authentication, and this build has no "
                     "OpenSSL libcrypto\n";
        return 2;
    }

    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("WanDelay", TimeValue(MicroSeconds(static_cast<int64_t>(delayMs * 1000))));
    topo->Build();
    if (loss > 0)
    {
        Ptr<Channel> wan = topo->GetNatRouterWanDevice()->GetChannel();
        for (std::size_t i = 0; i < wan->GetNDevices(); ++i)
        {
            auto em = CreateObject<RateErrorModel>();
            em->SetAttribute("ErrorRate", DoubleValue(loss));
            em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
            wan->GetDevice(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }
    const Time ring = Seconds(2);
    VoipHelper voip;
    voip.SetTerminalAttribute("RingTime", StringValue("ns3::ConstantRandomVariable[Constant=2]"));
    voip.SetGatekeeperAttribute("AuthenticateInvite", BooleanValue(authInvite));
    voip.Install(topo);

    // One chain of random streams: this program's draws, the phones and proxies, the
    // topology (ARP, CSMA), the WAN error models.
    auto uniform = CreateObject<UniformRandomVariable>();
    SceneStreams streams(0);
    streams.AssignVariable(uniform, "program");
    streams.Assign(voip);
    streams.Assign(topo);
    streams.AssignErrorModels(topo->GetAllNodes());
    NodeContainer terminals = topo->GetAllTerminals();
    NodeContainer remotes = topo->GetRemotePhones();
    for (uint32_t k = 0; k < calls; ++k)
    {
        Ptr<SipTerminal> inside =
            voip.GetTerminal(terminals.Get(uniform->GetInteger(0, terminals.GetN() - 1)));
        Ptr<SipTerminal> outside =
            voip.GetTerminal(remotes.Get(uniform->GetInteger(0, remotes.GetN() - 1)));
        Time at = Seconds(2 + 15.0 * k + uniform->GetValue(0, 1));
        Ptr<SipTerminal> from = k % 2 == 0 ? outside : inside;
        Ptr<SipTerminal> to = k % 2 == 0 ? inside : outside;
        ScheduleFunction(at, [from, to]() {
            StringValue number;
            to->GetAttribute("Number", number);
            from->Dial(number.Get(), Seconds(5));
        });
    }
    Simulator::Stop(Seconds(2 + 15.0 * calls + 40));
    Simulator::Run();

    auto records = voip.GetOriginatingRecords();
    double answered = 0;
    double srdSum = 0;
    double srdN = 0;
    double answerSum = 0;
    double lossSum = 0;
    double mosSum = 0;
    for (const auto& r : records)
    {
        if (!r.srd.empty())
        {
            srdSum += r.srd.front().GetSeconds() * 1000;
            ++srdN;
        }
        if (!r.answerTime.IsZero())
        {
            ++answered;
            answerSum += (r.GetTimeToAnswer() - ring).GetSeconds() * 1000;
            lossSum += r.media.GetLossPercent();
            mosSum += r.media.mos;
        }
    }
    uint64_t retransmissions = 0;
    for (const auto& t : voip.GetAllTerminals())
    {
        retransmissions += t->GetRetransmissionCount();
    }
    std::ofstream out(csv);
    if (!out)
    {
        std::cerr << "error: cannot write " << csv << "\n";
        return 2;
    }
    auto mean = [](double sum, double n) { return n > 0 ? sum / n : 0.0; };
    out << "delay,loss,calls,answered_pct,srd_ms,answer_delay_ms,ua_retransmissions,rtp_loss_pct,"
           "mos,auth_invite\n";
    out << delayMs << "," << loss << "," << records.size() << ","
        << 100.0 * answered / std::max<std::size_t>(1, records.size()) << "," << mean(srdSum, srdN)
        << "," << mean(answerSum, answered) << "," << retransmissions << ","
        << mean(lossSum, answered) << "," << mean(mosSum, answered) << "," << authInvite << "\n";
    std::cout << "delay " << delayMs << " ms, loss " << loss << ": " << answered << " of "
              << records.size() << " answered, mean SRD " << mean(srdSum, srdN) << " ms"
              << (authInvite ? " (INVITE authenticated)" : "") << "\n";
    Simulator::Destroy();
    return 0;
}
