/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Benchmark: call-level results with every RTP packet (SipTerminal MediaMode=Packets)
 * against the flow-level media model (MediaMode=FlowLevel, one RTP packet in
 * FlowSampleEvery), on the same seeds. For each run number both modes simulate the same
 * complex and Poisson traffic; the program prints per mode the mean and 95 % confidence
 * interval (Student's t over runs) of the session establishment ratio (SER), the mean
 * session request delay (SRD) and the mean MOS, the paired difference with its 95 %
 * interval, and the speed-up of Simulator::Run (CPU time of the process, which other load
 * on the machine disturbs less than wall-clock time; both are printed).
 *
 * SER and SRD must agree: the program exits 1 if the 95 % interval of a paired difference
 * excludes 0 (fixed seeds: the verdict is the same on every machine). MOS and the
 * speed-up are printed only.
 *
 *   media-mode-agreement                 (100 terminals, 600 s, 2 % WAN loss, 5 runs)
 *   media-mode-agreement --quick         (10 terminals, 100 s, 3 runs, as in ctest)
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/voip-helper.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

struct Options
{
    uint32_t buildings{2};
    uint32_t flats{25};
    uint32_t terminals{2};
    uint32_t remotePhones{2};
    double callRate{6};
    double holding{60};
    double duration{600};
    double wanLoss{0.02};
    uint32_t runs{5};
};

struct Result
{
    double ser{0};
    double srdMs{0}; //!< mean first SRD of the calls that got one
    double mos{0};   //!< mean MOS the callers heard in answered calls
    uint32_t attempts{0};
    double wallSeconds{0};
    double cpuSeconds{0};
};

Result
RunOnce(const Options& o, bool flow, uint32_t run)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(run);
    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(o.buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(o.flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(o.terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(o.remotePhones));
    topology->Build();
    std::vector<Ptr<RateErrorModel>> wanErrors;
    if (o.wanLoss > 0)
    {
        Ptr<Channel> wan = topology->GetNatRouterWanDevice()->GetChannel();
        for (std::size_t i = 0; i < wan->GetNDevices(); ++i)
        {
            auto em = CreateObject<RateErrorModel>();
            em->SetAttribute("ErrorRate", DoubleValue(o.wanLoss));
            em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
            wanErrors.push_back(em);
            wan->GetDevice(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }
    VoipHelper voip;
    std::ostringstream mean;
    mean << "ns3::ExponentialRandomVariable[Mean=" << o.holding << "]";
    voip.SetTerminalAttribute("HoldingTime", StringValue(mean.str()));
    voip.SetTerminalAttribute("MediaMode", StringValue(flow ? "FlowLevel" : "Packets"));
    voip.SetTrafficModel(o.callRate);
    voip.Install(topology);
    // One chain: phones and proxies, then ARP and CSMA (automatic streams keep counting
    // across the runs of one process, so without them the two modes of a run would see
    // different ARP jitter), then the WAN's error models.
    SceneStreams streams(1);
    streams.Assign(voip);
    streams.Assign(topology);
    for (const auto& em : wanErrors)
    {
        streams.AssignErrorModel(em, "wan errors");
    }
    Simulator::Stop(Seconds(o.duration));
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpuStart = std::clock();
    Simulator::Run();
    std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    double cpu = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;

    Result r;
    r.wallSeconds = wall.count();
    r.cpuSeconds = cpu;
    auto ratios = voip.GetRatios();
    r.ser = ratios.ser;
    r.attempts = ratios.attempts;
    double srdSum = 0;
    double mosSum = 0;
    uint32_t srdN = 0;
    uint32_t mosN = 0;
    for (const auto& c : voip.GetOriginatingRecords())
    {
        if (!c.srd.empty())
        {
            srdSum += c.GetFirstSrd().GetSeconds() * 1000;
            ++srdN;
        }
        if (!c.answerTime.IsZero() && c.media.received > 0)
        {
            mosSum += c.media.mos;
            ++mosN;
        }
    }
    r.srdMs = srdN ? srdSum / srdN : 0;
    r.mos = mosN ? mosSum / mosN : 0;
    Simulator::Destroy();
    Names::Clear();
    return r;
}

/// Two-sided 95 % quantile of Student's t with \p df degrees of freedom.
double
StudentT95(uint32_t df)
{
    static const double t[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
                               2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                               2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
                               2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    return df < sizeof(t) / sizeof(t[0]) ? t[df] : 1.96;
}

/// Mean and half-width of the 95 % confidence interval.
std::pair<double, double>
MeanCi(const std::vector<double>& x)
{
    double m = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
    if (x.size() < 2)
    {
        return {m, 0};
    }
    double ss = 0;
    for (double v : x)
    {
        ss += (v - m) * (v - m);
    }
    double sd = std::sqrt(ss / (x.size() - 1));
    return {m, StudentT95(x.size() - 1) * sd / std::sqrt(static_cast<double>(x.size()))};
}

} // namespace

int
main(int argc, char* argv[])
{
    Options o;
    bool quick = false;
    CommandLine cmd(__FILE__);
    cmd.Usage("Call-level results and speed of MediaMode=Packets against FlowLevel.");
    cmd.AddValue("quick", "10 terminals, 100 s, 3 runs (for ctest)", quick);
    cmd.AddValue("buildings", "buildings", o.buildings);
    cmd.AddValue("flats", "flats per building", o.flats);
    cmd.AddValue("terminals", "terminals per flat", o.terminals);
    cmd.AddValue("remotePhones",
                 "phones outside (more: more calls cross the lossy WAN)",
                 o.remotePhones);
    cmd.AddValue("callRate", "call attempts per phone per hour", o.callRate);
    cmd.AddValue("holding", "mean holding time, s", o.holding);
    cmd.AddValue("duration", "simulated time per run, s", o.duration);
    cmd.AddValue("wanLoss", "packet loss on the WAN link, each direction (0-0.5)", o.wanLoss);
    cmd.AddValue("runs", "run numbers 1..runs (2-30)", o.runs);
    cmd.Parse(argc, argv);
    if (quick)
    {
        o.buildings = 1;
        o.flats = 10;
        o.terminals = 1;
        o.callRate = 60;
        o.holding = 30;
        o.duration = 100;
        o.runs = 3;
    }
    if (o.runs < 2 || o.runs > 30 || !(o.wanLoss >= 0 && o.wanLoss <= 0.5) ||
        !(o.callRate > 0 && o.callRate <= 3600) || !(o.duration > 0) || !(o.holding > 0))
    {
        std::cerr << "error: --runs must be 2 to 30, --wanLoss 0 to 0.5, --callRate above 0 "
                     "and at most 3600, --duration and --holding above 0\n";
        return 2;
    }
    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(o.buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(o.flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(o.terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(o.remotePhones));
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    topology = nullptr;

    std::cout << o.buildings << " x " << o.flats << " flats x " << o.terminals << " terminals, "
              << o.remotePhones << " remote phones, " << o.callRate
              << " calls/h per phone, holding " << o.holding << " s, " << o.duration
              << " s, WAN loss " << o.wanLoss << ", runs 1-" << o.runs << "\n"
              << " run  mode     attempts   SER %   SRD ms    MOS    cpu s   wall s\n";
    std::vector<Result> packets;
    std::vector<Result> flow;
    for (uint32_t run = 1; run <= o.runs; ++run)
    {
        for (bool f : {false, true})
        {
            Result r = RunOnce(o, f, run);
            (f ? flow : packets).push_back(r);
            std::cout << std::setw(4) << run << "  " << std::left << std::setw(8)
                      << (f ? "flow" : "packets") << std::right << std::setw(9) << r.attempts
                      << std::fixed << std::setprecision(1) << std::setw(8) << r.ser << std::setw(9)
                      << std::setprecision(2) << r.srdMs << std::setw(7) << std::setprecision(3)
                      << r.mos << std::setw(9) << std::setprecision(2) << r.cpuSeconds
                      << std::setw(9) << r.wallSeconds << std::endl; // each run as it ends
        }
    }

    bool agree = true;
    auto report = [&](const char* name, auto get, bool checked) {
        std::vector<double> p;
        std::vector<double> f;
        std::vector<double> d;
        for (std::size_t i = 0; i < packets.size(); ++i)
        {
            p.push_back(get(packets[i]));
            f.push_back(get(flow[i]));
            d.push_back(p.back() - f.back());
        }
        auto [pm, ph] = MeanCi(p);
        auto [fm, fh] = MeanCi(f);
        auto [dm, dh] = MeanCi(d);
        bool ok = std::fabs(dm) <= dh + 1e-9;
        std::cout << std::fixed << std::setprecision(3) << std::left << std::setw(7) << name
                  << std::right << " packets " << pm << " +- " << ph << ", flow " << fm << " +- "
                  << fh << ", paired difference " << dm << " +- " << dh << ": "
                  << (ok ? "agree" : "differ") << (checked ? "" : " (not checked)") << "\n";
        agree = agree && (ok || !checked);
    };
    std::cout << "mean +- 95 % CI over runs:\n";
    report(
        "SER %",
        [](const Result& r) { return r.ser; },
        true);
    report(
        "SRD ms",
        [](const Result& r) { return r.srdMs; },
        true);
    report(
        "MOS",
        [](const Result& r) { return r.mos; },
        false);
    double wp = 0;
    double wf = 0;
    double cp = 0;
    double cf = 0;
    for (std::size_t i = 0; i < packets.size(); ++i)
    {
        wp += packets[i].wallSeconds;
        wf += flow[i].wallSeconds;
        cp += packets[i].cpuSeconds;
        cf += flow[i].cpuSeconds;
    }
    std::cout << std::setprecision(2) << "Simulator::Run, all runs: CPU packets " << cp
              << " s, flow " << cf << " s, speed-up " << std::setprecision(1)
              << (cf > 0 ? cp / cf : 0) << " x; wall clock " << std::setprecision(2) << wp
              << " s and " << wf << " s (" << std::setprecision(1) << (wf > 0 ? wp / wf : 0)
              << " x)\n"
              << "call-level results " << (agree ? "agree" : "DIFFER") << "\n";
    return agree ? 0 : 1;
}
