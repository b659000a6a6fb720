/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Blocking of calls to and from outside by the gatekeeper's outside lines (trunks,
 * MaxOutsideCalls = --lines). Calls arrive as one Poisson stream of --erlangs / --holding
 * attempts per second, half of them from an idle terminal to an idle remote phone, half
 * the other way; each is answered at once and held an exponential time of mean --holding.
 * A call that finds every line taken gets 503 and is not retried (blocked calls cleared):
 * the blocked fraction must be Erlang B, B(A, c). Attempts during the first --warmup
 * seconds (the lines filling up from empty) are not counted. One CSV row per run:
 *
 *   blocked_fraction   attempts answered 503 / attempts
 *   erlang_b           B(A, c) (Queueing::ErlangB)
 *   carried_erlangs    lines taken, on average (sampled every second): A (1 - B) in theory
 *
 *   trunk-blocking --lines=10 --erlangs=8 --holding=10 --duration=2000 --csv=row.csv
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/queueing.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <fstream>
#include <functional>
#include <iostream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// \return an idle, registered phone of \p pool, searched from a random start; null if none
Ptr<SipTerminal>
Idle(const std::vector<Ptr<SipTerminal>>& pool, Ptr<UniformRandomVariable> u)
{
    auto start = u->GetInteger(0, static_cast<uint32_t>(pool.size() - 1));
    for (std::size_t k = 0; k < pool.size(); ++k)
    {
        const auto& t = pool[(start + k) % pool.size()];
        if (!t->IsBusy() && t->IsRegistered())
        {
            return t;
        }
    }
    return nullptr;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t lines = 10;
    double erlangs = 8;
    double holding = 10;
    double duration = 2000;
    double warmup = -1;
    std::string csv = "trunk-blocking.csv";
    CommandLine cmd(__FILE__);
    cmd.AddValue("lines", "outside lines of the gatekeeper, MaxOutsideCalls (1-60)", lines);
    cmd.AddValue("erlangs", "offered traffic A in Erlangs (0.1-100)", erlangs);
    cmd.AddValue("holding", "mean holding time in seconds (1-3600)", holding);
    cmd.AddValue("duration", "seconds counted after the warm-up (10-1000000)", duration);
    cmd.AddValue("warmup", "seconds not counted at the start (default 5 holding times)", warmup);
    cmd.AddValue("csv", "output file (header + one row)", csv);
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
    if (warmup < 0)
    {
        warmup = 5 * holding;
    }
    // Counts, rates and times (in seconds) checked the shared way
    // (ns3/command-line-values.h); the first error is refused.
    for (const std::string& error : {CheckRange("lines", lines, 1u, 60u),
                                     CheckRange("erlangs", erlangs, 0.1, 100.0),
                                     CheckRange("holding", holding, 1.0, 3600.0, "s"),
                                     CheckRange("duration", duration, 10.0, 1e6, "s"),
                                     CheckRange("warmup", warmup, 0.0, 1e6, "s")})
    {
        if (!error.empty())
        {
            std::cerr << "error: " << error << "\n";
            return 2;
        }
    }

    // Enough phones on both sides that an idle caller and callee always exist: at most
    // `lines` calls are up, plus those being refused.
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(lines + 20));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(1));
    topo->SetAttribute("RemotePhones", UintegerValue(lines + 20));
    topo->Build();
    VoipHelper voip;
    voip.SetTerminalAttribute("RingTime", StringValue("ns3::ConstantRandomVariable[Constant=0]"));
    voip.SetTerminalAttribute("PacketTime", TimeValue(MilliSeconds(100))); // fewer RTP events
    voip.Install(topo);
    Ptr<Gatekeeper> gk = voip.GetGatekeeper();
    gk->SetAttribute("MaxOutsideCalls", UintegerValue(lines));

    std::vector<Ptr<SipTerminal>> inside;
    std::vector<Ptr<SipTerminal>> outside;
    NodeContainer nodes = topo->GetAllTerminals();
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        inside.push_back(voip.GetTerminal(nodes.Get(i)));
    }
    for (uint32_t i = 0; i < topo->GetRemotePhones().GetN(); ++i)
    {
        outside.push_back(voip.GetTerminal(topo->GetRemotePhones().Get(i)));
    }

    // One chain of random streams: this program's draws, the phones and proxies, the
    // topology (ARP, CSMA).
    auto u = CreateObject<UniformRandomVariable>();
    auto next = CreateObject<ExponentialRandomVariable>();
    next->SetAttribute("Mean", DoubleValue(holding / erlangs));
    auto hold = CreateObject<ExponentialRandomVariable>();
    hold->SetAttribute("Mean", DoubleValue(holding));
    SceneStreams streams(0);
    streams.AssignVariable(u, "program");
    streams.AssignVariable(next, "program");
    streams.AssignVariable(hold, "program");
    streams.Assign(voip);
    streams.Assign(topo);

    const Time start = Seconds(3);
    const Time countFrom = start + Seconds(warmup);
    const Time stop = countFrom + Seconds(duration);
    uint64_t noPhone = 0;
    std::function<void()> arrival = [&]() {
        if (Simulator::Now() >= stop)
        {
            return;
        }
        bool out = u->GetValue() < 0.5;
        Ptr<SipTerminal> from = Idle(out ? inside : outside, u);
        Ptr<SipTerminal> to = Idle(out ? outside : inside, u);
        Time h = Seconds(hold->GetValue());
        if (from && to)
        {
            StringValue number;
            to->GetAttribute("Number", number);
            from->Dial(number.Get(), h);
        }
        else
        {
            noPhone += Simulator::Now() >= countFrom;
        }
        ScheduleFunction(Seconds(next->GetValue()), arrival);
    };
    ScheduleFunction(start, arrival);
    double lineSeconds = 0;
    std::function<void()> sample = [&]() {
        lineSeconds += gk->GetOutsideCallCount();
        if (Simulator::Now() + Seconds(1) < stop)
        {
            ScheduleFunction(Seconds(1), sample);
        }
    };
    ScheduleFunction(countFrom, sample);
    Simulator::Stop(stop + Seconds(40)); // Timer B ends every attempt still in set-up
    Simulator::Run();

    uint64_t attempts = 0;
    uint64_t blocked = 0;
    uint64_t answered = 0;
    for (const auto& r : voip.GetOriginatingRecords())
    {
        if (r.inviteTime >= countFrom && r.inviteTime < stop)
        {
            ++attempts;
            blocked += r.finalCode == 503;
            answered += r.finalCode == 200;
        }
    }
    double b = static_cast<double>(blocked) / std::max<uint64_t>(1, attempts);
    double theory = Queueing::ErlangB(erlangs, lines);
    std::ofstream os(csv);
    if (!os)
    {
        std::cerr << "error: cannot write " << csv << "\n";
        return 2;
    }
    os << "lines,erlangs,attempts,answered,no_phone,blocked_fraction,erlang_b,carried_erlangs\n";
    os << lines << "," << erlangs << "," << attempts << "," << answered << "," << noPhone << ","
       << b << "," << theory << "," << lineSeconds / duration << "\n";
    std::cout << lines << " lines, " << erlangs << " Erlangs offered: " << blocked << " of "
              << attempts << " attempts blocked (" << b << "), Erlang B " << theory << ", carried "
              << lineSeconds / duration << " Erlangs\n";
    Simulator::Destroy();
    return 0;
}
