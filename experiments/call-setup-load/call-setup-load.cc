/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Call set-up under load at the gatekeeper. The terminals register with an idle
 * gatekeeper (zero service time); ten probe calls then measure the session request delay
 * of the network alone (SRD0). From then on the gatekeeper takes --service per SIP message
 * (one server, first come first served, --queueLimit messages, 503 beyond) and calls
 * arrive as one Poisson stream of --rate attempts per second for --duration: each from an
 * idle terminal to an idle terminal of another flat (or its household number, --household)
 * or, with probability --outside, to an idle remote phone. Calls are answered after
 * --ring and held --holding. One CSV row per run:
 *
 *   srd_ms, srd_p95_ms      SRD (INVITE -> first 180, RFC 6076) of the calls placed
 *   ser_pct                 session establishment ratio (answered / attempts)
 *   retx_per_call           SIP retransmissions (terminals, gateways, gatekeepers) per attempt
 *   gk_msgs_per_s, gk_rho   messages arriving at the gatekeeper per second, its utilisation
 *   model_srd_ms            SRD0 + 2 T + D: T the M/D/1 (or M/M/1) mean sojourn at that
 *                           message rate (the INVITE and the 180 each pass the gatekeeper
 *                           once), D the service of the 100 Trying the 180 arrives behind
 *
 * With --start=cold the terminals instead take their addresses by DHCP (address manager,
 * home gateways' DHCP servers) and are switched on at random over the first --switchOn
 * seconds; each registers as soon as it has an address and then at once places its first
 * call, while the Poisson stream runs from the first switch-on. The gatekeeper takes
 * --service per message from the start, so its queue sees the DHCP-driven REGISTER burst,
 * the first calls and the offered load together; the probe calls follow the load (with an
 * idle gatekeeper again). Further columns:
 *
 *   start                   registered or cold
 *   registered_pct          terminals registered by the end of the load
 *   calls_before_reg        terminals that sent an INVITE before they were registered
 *   reg_s                   cold: mean time from switch-on to registered (DHCP + REGISTER)
 *   first_call_s, _p95_s    cold: time from switch-on to the 200 OK of the terminal's first
 *                           answered call as caller (mean, 95th percentile)
 *   no_first_call_pct       cold: terminals without an answered call of their own
 *
 *   call-setup-load --flats=100 --rate=20 --service=2 --csv=row.csv
 *   call-setup-load --flats=100 --rate=20 --service=2 --start=cold --switchOn=5
 */

#include "ns3/address-allocation-helper.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/queueing.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// Picks idle callers and callees for the attempts.
struct Picker
{
    std::vector<Ptr<SipTerminal>> inside;
    std::vector<uint32_t> flatOf; //!< flat index of each inside terminal
    std::vector<std::string> householdOf;
    std::vector<Ptr<SipTerminal>> remote;
    Ptr<UniformRandomVariable> u;
    bool household{false};
    double outside{0};

    /// \return an idle, registered member of \p pool outside flat \p notFlat (searched from
    /// a random start), or -1 if there is none
    int Idle(const std::vector<Ptr<SipTerminal>>& pool, int notFlat) const
    {
        auto start = u->GetInteger(0, static_cast<uint32_t>(pool.size() - 1));
        for (std::size_t k = 0; k < pool.size(); ++k)
        {
            auto i = (start + k) % pool.size();
            if (!pool[i]->IsBusy() && pool[i]->IsRegistered() &&
                (notFlat < 0 || flatOf[i] != static_cast<uint32_t>(notFlat)))
            {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    /// \return false if no idle caller or callee was found (the attempt is lost)
    /// \param toOutside -1: with probability `outside`; 0 or 1: inside or outside
    bool Attempt(Time holding, int toOutside = -1)
    {
        return AttemptFrom(Idle(inside, -1), holding, toOutside);
    }

    /// As Attempt, from inside terminal \p from (lost if it is -1, busy or not registered).
    bool AttemptFrom(int from, Time holding, int toOutside = -1)
    {
        if (from < 0 || inside[from]->IsBusy() || !inside[from]->IsRegistered())
        {
            return false;
        }
        std::string number;
        double draw = u->GetValue();
        if (toOutside == 1 || (toOutside < 0 && draw < outside))
        {
            int to = Idle(remote, -1);
            if (to < 0)
            {
                return false;
            }
            StringValue v;
            remote[to]->GetAttribute("Number", v);
            number = v.Get();
        }
        else
        {
            int to = Idle(inside, static_cast<int>(flatOf[from]));
            if (to < 0)
            {
                return false;
            }
            StringValue v;
            inside[to]->GetAttribute("Number", v);
            number = household ? householdOf[to] : v.Get();
        }
        return inside[from]->Dial(number, holding);
    }
};

/// Registered trace sink: hands terminal \p i's registration to \p sink.
void
OnRegistered(const std::function<void(std::size_t)>* sink,
             std::size_t i,
             Ipv4Address /* contact */,
             Time /* expires */)
{
    (*sink)(i);
}

double
Percentile(std::vector<double> v, double p)
{
    if (v.empty())
    {
        return std::numeric_limits<double>::quiet_NaN();
    }
    std::sort(v.begin(), v.end());
    auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(k, v.size() - 1)];
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t flats = 10;
    uint32_t terminals = 2;
    uint32_t remotes = 20;
    double rate = 5;
    double serviceMs = 0.14; // a transaction-stateful UDP proxy, see doc/calls.rst
    std::string serviceDist = "const";
    uint32_t queueLimit = 1000;
    bool household = false;
    std::string nat = "none";
    double outside = 0.2;
    double ring = 0.2;
    double holding = 1;
    double duration = 30;
    std::string start = "registered";
    double switchOn = 5;
    std::string csv = "call-setup-load.csv";
    CommandLine cmd(__FILE__);
    cmd.AddValue("flats", "flats in the complex (10-1000; above 100 a multiple of 100)", flats);
    cmd.AddValue("terminals", "terminals per flat (1-8)", terminals);
    cmd.AddValue("remotes", "remote phones outside (1-1000)", remotes);
    cmd.AddValue("rate", "offered call attempts per second (0.1-2000)", rate);
    cmd.AddValue("service", "gatekeeper service time per SIP message in ms (0-1000)", serviceMs);
    cmd.AddValue("serviceDist", "const (M/D/1) or exp (M/M/1)", serviceDist);
    cmd.AddValue("queueLimit", "messages in the gatekeeper before 503 (0: no limit)", queueLimit);
    cmd.AddValue("household",
                 "call household numbers (ring every terminal of the flat)",
                 household);
    cmd.AddValue("nat",
                 "none, static (the complex behind its NAT, 1:1 rules) or napt (one public "
                 "address, media ports mapped per call by PCP)",
                 nat);
    cmd.AddValue("outside", "share of calls to remote phones (0-1)", outside);
    cmd.AddValue("ring", "seconds before the answer (0-10)", ring);
    cmd.AddValue("holding", "seconds a call is held after the answer (0.1-100)", holding);
    cmd.AddValue("duration", "seconds of offered load (1-3600)", duration);
    cmd.AddValue("start",
                 "registered (terminals registered before the load) or cold (DHCP, then "
                 "REGISTER, then a first call, while the load runs)",
                 start);
    cmd.AddValue("switchOn",
                 "cold: terminals switched on at random over this many seconds (0-600)",
                 switchOn);
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
    auto fail = [](const std::string& what) {
        std::cerr << "error: " << what << "\n";
        return 2;
    };
    if (flats < 10 || flats > 1000 || (flats > 100 && flats % 100 != 0))
    {
        return fail("--flats " + std::to_string(flats) +
                    " must be 10 to 100, or a multiple of 100 up to 1000");
    }
    // Counts, rates and times (in seconds or ms) checked the shared way
    // (ns3/command-line-values.h); the first error is refused.
    for (const std::string& e : {CheckRange("terminals", terminals, 1u, 8u),
                                 CheckRange("remotes", remotes, 1u, 1000u),
                                 CheckRange("rate", rate, 0.1, 2000.0, "per second"),
                                 CheckRange("service", serviceMs, 0.0, 1000.0, "ms"),
                                 CheckRange("outside", outside, 0.0, 1.0),
                                 CheckRange("ring", ring, 0.0, 10.0, "s"),
                                 CheckRange("holding", holding, 0.1, 100.0, "s"),
                                 CheckRange("duration", duration, 1.0, 3600.0, "s")})
    {
        if (!e.empty())
        {
            return fail(e);
        }
    }
    if (serviceDist != "const" && serviceDist != "exp")
    {
        return fail("--serviceDist " + serviceDist + " must be const or exp");
    }
    if (nat != "none" && nat != "static" && nat != "napt")
    {
        return fail("--nat " + nat + " must be none, static or napt");
    }

    if (start != "registered" && start != "cold")
    {
        return fail("--start " + start + " must be registered or cold");
    }
    if (!(switchOn >= 0 && switchOn <= 600))
    {
        return fail("--switchOn must be 0 to 600 seconds");
    }
    if (start == "cold" && nat == "static")
    {
        // Static 1:1 rules need every address a terminal may lease (see apartment-complex).
        return fail("--start=cold works with --nat=none or napt, not static");
    }
    const bool cold = start == "cold";

    auto topo = CreateObject<ApartmentTopologyHelper>();
    uint32_t buildings = flats > 100 ? flats / 100 : 1;
    topo->SetAttribute("Buildings", UintegerValue(buildings));
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(flats / buildings));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topo->SetAttribute("RemotePhones", UintegerValue(remotes));
    const bool natEdge = nat != "none";
    if (natEdge)
    {
        topo->SetAttribute("EdgeMode", StringValue("Nat"));
    }
    if (cold)
    {
        topo->SetAttribute("AddressMode", StringValue("Dynamic"));
    }
    std::string error = topo->Validate();
    if (!error.empty())
    {
        return fail(error);
    }
    NatHelper natHelper;
    if (natEdge)
    {
        natHelper.Prepare(topo);
    }
    topo->Build();
    Ptr<NatTrafficControlLayer> natLayer = natEdge ? natHelper.Install(topo) : nullptr;

    VoipHelper voip;
    std::ostringstream ringRv;
    ringRv << "ns3::ConstantRandomVariable[Constant=" << ring << "]";
    voip.SetTerminalAttribute("RingTime", StringValue(ringRv.str()));
    voip.SetTerminalAttribute("PacketTime", TimeValue(MilliSeconds(100))); // fewer RTP events
    voip.Install(topo);
    if (natLayer)
    {
        error =
            voip.UseNat(topo, natLayer, 0, nat == "napt" ? CallNatMode::NAPT : CallNatMode::STATIC);
        if (!error.empty())
        {
            return fail("--nat: " + error);
        }
    }

    // One chain of random streams: (cold start: switch-on draws, address management) this
    // program's picks, the phones, proxies and PCP binder, the topology (ARP, CSMA), the NAT,
    // then the arrivals below.
    SceneStreams streams(0);
    // Cold start: every terminal is switched on at a random time in [tOn, tOn + switchOn],
    // takes its address by DHCP from its home gateway (which has its blocks from the address
    // manager) and registers as soon as it has one. The switch-on draws and the address
    // management come first on the scene's chain of random streams (cold start only).
    const Time tOn = Seconds(1);
    std::unique_ptr<AddressAllocationHelper> alloc;
    std::vector<Time> onTime;
    if (cold)
    {
        alloc = std::make_unique<AddressAllocationHelper>(topo);
        alloc->InstallManager();
        alloc->InstallGateways();
        auto draw = CreateObject<UniformRandomVariable>();
        streams.AssignVariable(draw, "switch-on");
        for (uint32_t b = 0; b < topo->GetNBuildings(); ++b)
        {
            for (uint32_t f = 0; f < topo->GetNFlatsPerBuilding(); ++f)
            {
                for (uint32_t t = 1; t <= terminals; ++t)
                {
                    Ptr<SipTerminal> app = voip.GetTerminal(topo->GetTerminal(b, f, t));
                    Ptr<TerminalDhcpClient> dhcp = alloc->InstallClient(b, f, t);
                    const Time on = tOn + Seconds(draw->GetValue(0, switchOn));
                    app->SetStartTime(on);
                    dhcp->SetStartTime(on);
                    VoipHelper::ConnectDhcpClient(app, dhcp);
                    onTime.push_back(on);
                }
            }
        }
        streams.Assign(*alloc);
        // The remote phones are on already (outside, registered with the outside gatekeeper).
        for (uint32_t i = 0; i < topo->GetRemotePhones().GetN(); ++i)
        {
            voip.GetTerminal(topo->GetRemotePhones().Get(i))
                ->SetStartTime(MilliSeconds(100 + static_cast<int64_t>(i)));
        }
    }

    Picker pick;
    pick.u = CreateObject<UniformRandomVariable>();
    streams.AssignVariable(pick.u, "program");
    streams.Assign(voip);
    streams.Assign(topo);
    streams.Assign(natHelper);
    pick.household = household;
    pick.outside = outside;
    for (uint32_t b = 0; b < topo->GetNBuildings(); ++b)
    {
        for (uint32_t f = 0; f < topo->GetNFlatsPerBuilding(); ++f)
        {
            NodeContainer nodes = topo->GetTerminals(b, f);
            for (uint32_t t = 0; t < nodes.GetN(); ++t)
            {
                pick.inside.push_back(voip.GetTerminal(nodes.Get(t)));
                pick.flatOf.push_back(b * topo->GetNFlatsPerBuilding() + f);
                pick.householdOf.push_back(topo->GetHouseholdNumber(b, f).ToString());
            }
        }
    }
    for (uint32_t i = 0; i < topo->GetRemotePhones().GetN(); ++i)
    {
        pick.remote.push_back(voip.GetTerminal(topo->GetRemotePhones().Get(i)));
    }
    NS_ABORT_MSG_IF(cold && onTime.size() != pick.inside.size(),
                    "call-setup-load: one switch-on time per terminal");

    // Registered: registration with an idle gatekeeper, then probe calls (the network alone,
    // inside and outside in turn), then the load. Cold: the load from the first switch-on,
    // the probes once it is over and every attempt has ended (Timer B, 32 s), with an idle
    // gatekeeper again.
    const Time t0 = Seconds(3) + MilliSeconds(voip.GetAllTerminals().size());
    const int probes = 20;
    const Time t1 = t0 + Seconds(probes * 0.25 + ring + holding + 2);
    const Time hold = Seconds(holding);
    const Time tLoad = cold ? tOn : t1;
    const Time stopLoad = tLoad + Seconds(duration);
    const Time tProbe = cold ? stopLoad + Seconds(35) : t0;
    for (int i = 0; i < probes; ++i)
    {
        ScheduleFunction(tProbe + MilliSeconds(250 * i),
                         [&pick, hold, i]() { pick.Attempt(hold, i % 2); });
    }
    auto isProbe = [&](Time invite) { return cold ? invite >= tProbe : invite < t1; };
    std::set<std::string> remoteNumbers;
    for (const auto& r : pick.remote)
    {
        StringValue v;
        r->GetAttribute("Number", v);
        remoteNumbers.insert(v.Get());
    }
    Ptr<Gatekeeper> gk = voip.GetGatekeeper();
    auto retransmissions = [&voip, &topo]() {
        uint64_t n = voip.GetOutsideGatekeeper()->GetRetransmissionCount() +
                     voip.GetGatekeeper()->GetRetransmissionCount();
        for (const auto& t : voip.GetAllTerminals())
        {
            n += t->GetRetransmissionCount();
        }
        for (uint32_t b = 0; b < topo->GetNBuildings(); ++b)
        {
            for (uint32_t f = 0; f < topo->GetNFlatsPerBuilding(); ++f)
            {
                n += voip.GetGateway(topo->GetGateway(b, f))->GetRetransmissionCount();
            }
        }
        return n;
    };

    struct Snapshot
    {
        uint64_t retx{0};
        uint64_t arrivals{0};
        Time busy;
    };

    auto snapshot = [&]() {
        return Snapshot{retransmissions(),
                        gk->GetProcessedCount() + gk->GetOverloadCount() +
                            gk->GetOverloadDropCount(),
                        gk->GetBusyTime()};
    };
    Snapshot atStart;
    Snapshot atEnd;
    uint64_t lost = 0;
    uint64_t offered = 0;
    // First registration of each inside terminal; cold: its first call right after it.
    std::vector<Time> registeredAt(pick.inside.size(), Time::Max());
    std::map<std::string, std::size_t> indexOf;
    // The first call: tried again every second while no idle callee is found (the first
    // terminals to register find none inside); one offered attempt, lost if never placed.
    std::function<void(std::size_t)> firstCall = [&](std::size_t i) {
        if (Simulator::Now() >= stopLoad)
        {
            ++lost;
        }
        else if (!pick.AttemptFrom(static_cast<int>(i), hold))
        {
            ScheduleFunction(Seconds(1), [&firstCall, i]() { firstCall(i); });
        }
    };
    const std::function<void(std::size_t)> registered = [&](std::size_t i) {
        if (registeredAt[i] != Time::Max())
        {
            return;
        }
        registeredAt[i] = Simulator::Now();
        if (cold && Simulator::Now() < stopLoad)
        {
            ++offered;
            firstCall(i);
        }
    };
    for (std::size_t i = 0; i < pick.inside.size(); ++i)
    {
        StringValue v;
        pick.inside[i]->GetAttribute("Number", v);
        indexOf[v.Get()] = i;
        pick.inside[i]->TraceConnectWithoutContext(
            "Registered",
            MakeBoundCallback(&OnRegistered, &registered, i));
    }
    auto next = CreateObject<ExponentialRandomVariable>();
    streams.AssignVariable(next, "program");
    next->SetAttribute("Mean", DoubleValue(1.0 / rate));
    std::function<void()> arrival = [&]() {
        if (Simulator::Now() >= stopLoad)
        {
            return;
        }
        ++offered;
        lost += !pick.Attempt(hold);
        ScheduleFunction(Seconds(next->GetValue()), arrival);
    };
    std::ostringstream service;
    service << (serviceDist == "const" ? "ns3::ConstantRandomVariable[Constant="
                                       : "ns3::ExponentialRandomVariable[Mean=")
            << serviceMs / 1000 << "]";
    if (cold)
    {
        // Busy from the start: the REGISTER burst queues too.
        gk->SetAttribute("ServiceTime", StringValue(service.str()));
        gk->SetAttribute("QueueLimit", UintegerValue(queueLimit));
    }
    ScheduleFunction(tLoad, [&]() {
        gk->SetAttribute("ServiceTime", StringValue(service.str()));
        gk->SetAttribute("QueueLimit", UintegerValue(queueLimit));
        atStart = snapshot();
        arrival();
    });
    uint32_t registeredByEnd = 0;
    ScheduleFunction(stopLoad, [&]() {
        atEnd = snapshot();
        for (const auto& t : registeredAt)
        {
            registeredByEnd += t != Time::Max();
        }
    });
    if (cold)
    {
        ScheduleFunction(tProbe - MilliSeconds(1), [&]() {
            gk->SetAttribute("ServiceTime", StringValue("ns3::ConstantRandomVariable[Constant=0]"));
        });
        Simulator::Stop(tProbe + Seconds(probes * 0.25 + ring + holding + 2));
    }
    else
    {
        Simulator::Stop(stopLoad + Seconds(40)); // Timer B (32 s) ends every attempt
    }
    Simulator::Run();

    std::vector<double> srd0[2]; // probes to inside, to outside
    std::vector<double> srd;
    uint32_t attempts = 0;
    uint32_t answered = 0;
    uint32_t toOutside = 0;
    std::map<uint16_t, uint32_t> codes;
    std::vector<Time> firstInvite(pick.inside.size(), Time::Max());
    std::vector<Time> firstAnswer(pick.inside.size(), Time::Max());
    for (const auto& r : voip.GetOriginatingRecords())
    {
        bool probe = isProbe(r.inviteTime);
        auto caller = indexOf.find(r.localNumber);
        if (caller != indexOf.end())
        {
            auto i = caller->second;
            firstInvite[i] = std::min(firstInvite[i], r.inviteTime);
            if (!probe && r.finalCode == 200)
            {
                firstAnswer[i] = std::min(firstAnswer[i], r.answerTime);
            }
        }
        bool out = remoteNumbers.count(r.remoteNumber) > 0;
        if (!probe)
        {
            ++attempts;
            answered += r.finalCode == 200;
            toOutside += out;
            ++codes[r.finalCode];
        }
        if (!r.srd.empty())
        {
            (probe ? srd0[out] : srd).push_back(r.srd.front().GetSeconds() * 1000);
        }
    }
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v)
        {
            s += x;
        }
        return v.empty() ? std::numeric_limits<double>::quiet_NaN() : s / v.size();
    };
    double msgRate = static_cast<double>(atEnd.arrivals - atStart.arrivals) / duration;
    double rho = (atEnd.busy - atStart.busy).GetSeconds() / duration;
    double d = serviceMs / 1000;
    double sojourn = serviceDist == "const" ? Queueing::Md1Sojourn(msgRate, d)
                                            : Queueing::Mg1Sojourn(msgRate, d, 1.0);
    // The network part of the SRD for this run's mix of inside and outside calls.
    double share = static_cast<double>(toOutside) / std::max<uint32_t>(1, attempts);
    double network = (1 - share) * mean(srd0[0]) + share * mean(srd0[1]);
    // The 180 reaches the gatekeeper right behind the callee side's 100 Trying (less than
    // a service time apart), so it also waits for that one service.
    double model = std::isfinite(sojourn) ? network + (2 * sojourn + d) * 1000
                                          : std::numeric_limits<double>::quiet_NaN();

    // Cold start per terminal: switch-on to registered, to its first answered call.
    uint32_t callsBeforeRegistration = 0;
    std::vector<double> toRegistered;
    std::vector<double> toFirstCall;
    for (std::size_t i = 0; i < pick.inside.size(); ++i)
    {
        callsBeforeRegistration += firstInvite[i] < registeredAt[i];
        if (cold && registeredAt[i] != Time::Max())
        {
            toRegistered.push_back((registeredAt[i] - onTime[i]).GetSeconds());
        }
        if (cold && firstAnswer[i] != Time::Max())
        {
            toFirstCall.push_back((firstAnswer[i] - onTime[i]).GetSeconds());
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inside = static_cast<double>(pick.inside.size());
    const double noFirstCall = cold ? 100.0 * (inside - toFirstCall.size()) / inside : nan;

    std::ofstream out(csv);
    if (!out)
    {
        return fail("cannot write " + csv);
    }
    out << "flats,terminals,household,nat,rate,service,attempts,lost_pct,srd_ms,srd_p95_ms,"
           "ser_pct,retx_per_call,gk_msgs_per_s,gk_rho,overload_503,srd0_ms,model_srd_ms,start,"
           "registered_pct,calls_before_reg,reg_s,first_call_s,first_call_p95_s,"
           "no_first_call_pct\n";
    out << flats << "," << terminals << "," << household << "," << nat << "," << rate << ","
        << serviceMs << "," << attempts << "," << 100.0 * lost / std::max<uint64_t>(1, offered)
        << "," << mean(srd) << "," << Percentile(srd, 0.95) << ","
        << 100.0 * answered / std::max<uint32_t>(1, attempts) << ","
        << static_cast<double>(atEnd.retx - atStart.retx) / std::max<uint32_t>(1, attempts) << ","
        << msgRate << "," << rho << "," << gk->GetOverloadCount() << "," << network << "," << model
        << "," << start << "," << 100.0 * registeredByEnd / inside << "," << callsBeforeRegistration
        << "," << mean(toRegistered) << "," << mean(toFirstCall) << ","
        << Percentile(toFirstCall, 0.95) << "," << noFirstCall << "\n";
    std::cout << flats << " flats, " << rate << " attempts/s, " << serviceMs
              << " ms per message: " << answered << " of " << attempts << " answered, SRD "
              << mean(srd) << " ms (p95 " << Percentile(srd, 0.95) << ", model " << model
              << "), gatekeeper rho " << rho << "; final codes";
    for (const auto& [code, n] : codes)
    {
        std::cout << " " << code << ":" << n;
    }
    std::cout << "\n";
    if (cold)
    {
        std::cout << "cold start over " << switchOn << " s: " << registeredByEnd << " of "
                  << pick.inside.size() << " terminals registered (mean " << mean(toRegistered)
                  << " s after switch-on), first answered call after " << mean(toFirstCall)
                  << " s (p95 " << Percentile(toFirstCall, 0.95) << "), " << noFirstCall
                  << " % without one; " << callsBeforeRegistration
                  << " called before they were registered\n";
    }
    Simulator::Destroy();
    return 0;
}
