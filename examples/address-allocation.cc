/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Address management under churn: terminals are switched on (Poisson arrivals into idle
 * terminal slots) and off (exponential lifetimes) while the address manager hands blocks to
 * the gateways and the gateways serve DHCP. The pool is small so it can run out: then a
 * gateway sends no OFFER and the terminal retries with RFC 2131 back-off. Prints a timeline
 * and the final counters, checks the address invariant and exits 1 if it fails.
 *
 *   address-allocation --flats=4 --blocksPerBuilding=2 --arrivalRate=0.2 --lifetime=60s
 */

#include "ns3/address-allocation-helper.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipAddressAllocationExample");

namespace
{

struct Run
{
    bool timeline{true};
    AddressAllocationHelper* alloc{nullptr};
    Ptr<ExponentialRandomVariable> interArrival;
    Ptr<ExponentialRandomVariable> lifetime;
    Ptr<UniformRandomVariable> pick;
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> idle; //!< terminal slots
    Time stopArrivals;
    uint64_t arrivals{0};
    uint64_t busy{0}; //!< arrivals that found every terminal slot in use
    uint64_t bound{0};
    std::vector<double> setup; //!< seconds from first DISCOVER to ACK
};

std::ostream&
Line()
{
    return std::cout << std::fixed << std::setprecision(3) << std::setw(9)
                     << Simulator::Now().GetSeconds() << " s  ";
}

void
OnBound(Run* run, std::string slot, Ipv4Address a, Time setup)
{
    ++run->bound;
    run->setup.push_back(setup.GetSeconds());
    if (run->timeline)
    {
        Line() << "terminal " << slot << " bound " << a << " after "
               << setup.GetMicroSeconds() / 1000.0 << " ms\n";
    }
}

void
OnBlock(Run* run, const char* what, uint32_t b, uint32_t f, Ipv4Address block, uint8_t len)
{
    if (run->timeline)
    {
        Line() << "gateway " << b << "/" << f << " " << what << " " << block << "/" << unsigned{len}
               << "\n";
    }
}

void
OnNoOffer(Run* run, uint32_t b, uint32_t f, const Address&)
{
    if (run->timeline)
    {
        Line() << "gateway " << b << "/" << f << " has no address left: no OFFER\n";
    }
}

void
OnReclaim(Run* run, Ipv4Address holder, Ipv4Address block, uint8_t len)
{
    if (run->timeline)
    {
        Line() << "manager reclaimed " << block << "/" << unsigned{len} << " from " << holder
               << " (lease expired)\n";
    }
}

void
Leave(Run* run, uint32_t b, uint32_t f, uint32_t t)
{
    if (run->timeline)
    {
        Line() << "terminal " << b << "/" << f << "/" << t << " withdrawn\n";
    }
    run->idle.emplace_back(b, f, t);
}

void
Arrive(Run* run)
{
    if (Simulator::Now() >= run->stopArrivals)
    {
        return;
    }
    ++run->arrivals;
    if (run->idle.empty())
    {
        ++run->busy;
    }
    else
    {
        const uint32_t i = run->pick->GetInteger(0, static_cast<uint32_t>(run->idle.size() - 1));
        auto [b, f, t] = run->idle[i];
        run->idle.erase(run->idle.begin() + i);
        const Time life = Seconds(run->lifetime->GetValue());
        if (run->timeline)
        {
            Line() << "terminal " << b << "/" << f << "/" << t << " switched on for "
                   << life.GetSeconds() << " s\n";
        }
        Ptr<TerminalDhcpClient> c = run->alloc->InstallClient(b, f, t);
        c->SetStopTime(life);
        // One bound label, not three numbers: ns-3.35 binds at most three arguments.
        const std::string slot =
            std::to_string(b) + "/" + std::to_string(f) + "/" + std::to_string(t);
        c->TraceConnectWithoutContext("Bound", MakeBoundCallback(&OnBound, run, slot));
        // The slot is free again just after the client released its address.
        Simulator::Schedule(life + MilliSeconds(1), &Leave, run, b, f, t);
    }
    Simulator::Schedule(Seconds(run->interArrival->GetValue()), &Arrive, run);
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t buildings = 1;
    uint32_t flats = 4;
    uint32_t terminals = 3;
    uint32_t blocksPerBuilding = 2;
    uint32_t blockLength = 29;
    double arrivalRate = 0.2;
    std::string lifetimeText = "60s";
    std::string durationText = "600s";
    std::string leaseText = "120s";
    std::string blockLeaseText = "300s";
    std::string database;
    std::string restartText;
    std::string downtimeText = "5s";
    bool keepDatabase = false;
    std::string csv;
    bool timeline = true;
    bool pcap = false;
    bool checksums = false;
    bool giveUp = false;

    CommandLine cmd(__FILE__);
    cmd.Usage("Terminals come and go; the address manager and the gateways hand out "
              "addresses from a small pool. Checks the address invariant at the end.");
    cmd.AddValue("buildings", "number of buildings (1-256)", buildings);
    cmd.AddValue("flats", "flats per building", flats);
    cmd.AddValue("terminals", "terminal slots per flat (1-5)", terminals);
    cmd.AddValue("blocksPerBuilding",
                 "address blocks per building: the pool size",
                 blocksPerBuilding);
    cmd.AddValue("blockLength", "prefix length of a block (17-30; /29 = gateway + 5)", blockLength);
    cmd.AddValue("arrivalRate", "terminals switched on per second (Poisson)", arrivalRate);
    cmd.AddValue("lifetime", "mean time a terminal stays on (exponential), e.g. 60s", lifetimeText);
    cmd.AddValue("duration", "simulated time; arrivals stop 10 s before", durationText);
    cmd.AddValue("lease", "DHCP lease the gateways give terminals", leaseText);
    cmd.AddValue("blockLease", "lease of a block at the address manager", blockLeaseText);
    cmd.AddValue("database", "file for the manager's database (default: memory only)", database);
    cmd.AddValue("keepDatabase",
                 "start from the database file left by a previous run",
                 keepDatabase);
    cmd.AddValue("restartManagerAt",
                 "stop the address manager at this time and start a new one from the database",
                 restartText);
    cmd.AddValue("downtime", "how long the manager is down at a restart", downtimeText);
    cmd.AddValue("csv", "write one result row (with header) to this file", csv);
    cmd.AddValue("timeline", "print every event", timeline);
    cmd.AddValue("pcap", "write pcap files of the manager, gateway 0/0 and its terminals", pcap);
    cmd.AddValue("checksums", "compute and check IPv4/UDP checksums", checksums);
    cmd.AddValue("giveUp",
                 "M/M/c/c regime: a gateway asks for a block only when a DISCOVER needs one, "
                 "and a terminal with no OFFER to its first DISCOVER gives up (with "
                 "--blockLength=30 each terminal takes one block: the pool is c servers)",
                 giveUp);
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
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(checksums));

    // Times are read and range-checked the shared way (ns3/command-line-values.h).
    std::string timeError;
    auto lifetime = ParseTime(lifetimeText, &timeError);
    auto duration = ParseTime(durationText, &timeError);
    if (!lifetime || !duration)
    {
        std::cerr << "error: " << timeError << "\n";
        return 2;
    }
    auto lease = ReadTime("lease",
                          leaseText,
                          Seconds(4),
                          Seconds(1e6),
                          "must be 4s to 1000000s",
                          &timeError);
    auto blockLease = lease ? ReadTime("blockLease",
                                       blockLeaseText,
                                       Seconds(2),
                                       Seconds(1e6),
                                       "must be 2s to 1000000s",
                                       &timeError)
                            : std::nullopt;
    if (!lease || !blockLease)
    {
        std::cerr << "error: " << timeError << "\n";
        return 2;
    }
    std::optional<Time> restartAt;
    if (!restartText.empty())
    {
        restartAt = ParseTime(restartText, &timeError);
        if (!restartAt)
        {
            std::cerr << "error: --restartManagerAt: " << timeError << "\n";
            return 2;
        }
        if (database.empty())
        {
            std::cerr << "error: --restartManagerAt needs --database: the new manager reads "
                         "its state from that file\n";
            return 2;
        }
    }
    auto downtime = ParseTime(downtimeText, &timeError);
    if (!downtime || *downtime < Time(0))
    {
        std::cerr << "error: --downtime: " << (downtime ? "must not be negative" : timeError)
                  << "\n";
        return 2;
    }
    if (restartAt && (*restartAt <= Time(0) || *restartAt + *downtime >= *duration))
    {
        std::cerr << "error: --restartManagerAt plus --downtime must lie inside --duration\n";
        return 2;
    }
    if (!database.empty() && !keepDatabase)
    {
        std::remove(database.c_str()); // a fresh pool unless asked otherwise
    }
    if (!(arrivalRate > 0) || arrivalRate > 1000)
    {
        std::cerr << "error: --arrivalRate must be above 0 and at most 1000 per second, not "
                  << arrivalRate << "\n";
        return 2;
    }
    if (*lifetime <= Time(0))
    {
        std::cerr << "error: --lifetime must be positive\n";
        return 2;
    }
    if (*duration <= Seconds(10) || *duration > Seconds(1e6))
    {
        std::cerr << "error: --duration must be above 10s and at most 1000000s\n";
        return 2;
    }
    AddressBlockPool::Config poolConfig;
    poolConfig.buildings = std::max(buildings, 1u);
    poolConfig.blocksPerBuilding = blocksPerBuilding;
    poolConfig.blockLength = static_cast<uint8_t>(std::min(blockLength, 255u));
    std::string poolError = blockLength > 255 ? "block length " + std::to_string(blockLength) +
                                                    " is not a prefix length"
                                              : AddressBlockPool::Validate(poolConfig);
    if (!poolError.empty())
    {
        std::cerr << "error: " << poolError << "\n";
        return 2;
    }

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(1));
    topology->SetAttribute("AddressMode", StringValue("Dynamic"));
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    topology->Build();

    // [usage-address] (doc/ includes the lines up to the end marker)
    AddressAllocationHelper alloc(topology);
    // [usage-address-end]
    Run run;
    run.timeline = timeline;
    run.alloc = &alloc;
    // [usage-address-attributes] (doc/ includes the lines up to the end marker)
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(blocksPerBuilding));
    alloc.SetManagerAttribute("BlockPrefixLength", UintegerValue(blockLength));
    alloc.SetManagerAttribute("LeaseTime", TimeValue(*blockLease));
    alloc.SetManagerAttribute("DatabasePath", StringValue(database));
    alloc.SetGatewayAttribute("LeaseTime", TimeValue(*lease));
    // Gateways start with no terminal on: they ask for a block at the first DISCOVER.
    alloc.SetGatewayAttribute("ExpectedTerminals", UintegerValue(giveUp ? 0 : 1));
    // [usage-address-attributes-end]
    if (giveUp)
    {
        Config::SetDefault("ns3::apartment::TerminalDhcpClient::MaxDiscovers", UintegerValue(1));
    }
    Ptr<AddressManager> manager = alloc.InstallManager();
    if (restartAt)
    {
        manager->SetStopTime(*restartAt);
        Ptr<AddressManager> second = alloc.InstallManager();
        second->SetStartTime(*restartAt + *downtime);
        manager->TraceConnectWithoutContext("Reclaim", MakeBoundCallback(&OnReclaim, &run));
        manager = second;
        ScheduleFunction(*restartAt, [&run]() {
            if (run.timeline)
            {
                Line() << "address manager stopped\n";
            }
        });
        // Just after the new manager started (its start event is scheduled later than this).
        ScheduleFunction(*restartAt + *downtime + NanoSeconds(1), [&run, &alloc]() {
            Ptr<AddressManager> m = alloc.GetManager();
            if (!m->IsOperational())
            {
                std::cerr << "error: the restarted address manager failed: " << m->GetError()
                          << "\n";
            }
            else if (run.timeline)
            {
                Line() << "address manager restarted from the database: "
                       << m->GetPool()->GetNAllotted() << " blocks allotted\n";
            }
        });
    }
    // [usage-address-install] (doc/ includes the lines up to the end marker)
    alloc.InstallGateways();
    run.interArrival = CreateObject<ExponentialRandomVariable>();
    run.lifetime = CreateObject<ExponentialRandomVariable>();
    run.pick = CreateObject<UniformRandomVariable>();
    // One chain of random streams: this program's draws, the topology's (ARP, CSMA), then
    // the DHCP clients, which take every stream from there on (terminals arrive in the run).
    SceneStreams streams(1);
    streams.AssignVariable(run.interArrival, "program");
    streams.AssignVariable(run.lifetime, "program");
    streams.AssignVariable(run.pick, "program");
    streams.Assign(topology);
    streams.AssignOpenEnded(alloc);
    // [usage-address-install-end]

    run.interArrival->SetAttribute("Mean", DoubleValue(1.0 / arrivalRate));
    run.lifetime->SetAttribute("Mean", DoubleValue(lifetime->GetSeconds()));
    run.stopArrivals = *duration - Seconds(10);
    for (uint32_t b = 0; b < buildings; ++b)
    {
        for (uint32_t f = 0; f < flats; ++f)
        {
            for (uint32_t t = 1; t <= terminals; ++t)
            {
                run.idle.emplace_back(b, f, t);
            }
            Ptr<GatewayDhcpServer> gw = alloc.GetGateway(b, f);
            gw->TraceConnectWithoutContext(
                "BlockAllotted",
                MakeBoundCallback(&OnBlock, &run, static_cast<const char*>("got block")));
            gw->TraceConnectWithoutContext(
                "BlockReturned",
                MakeBoundCallback(&OnBlock, &run, static_cast<const char*>("gave up block")));
            gw->TraceConnectWithoutContext("NoOffer", MakeBoundCallback(&OnNoOffer, &run, b, f));
        }
    }
    manager->TraceConnectWithoutContext("Reclaim", MakeBoundCallback(&OnReclaim, &run));
    Simulator::Schedule(Seconds(run.interArrival->GetValue()), &Arrive, &run);

    if (pcap)
    {
        NodeContainer traced(topology->GetAddressManager(), topology->GetGateway(0, 0));
        traced.Add(topology->GetTerminals(0, 0));
        topology->EnablePcap("address-allocation", traced);
        std::cout << "pcap: address-allocation-<node>-<device>.pcap\n";
    }

    Simulator::Stop(*duration);
    Simulator::Run();

    const auto c = alloc.GetCounters();
    const std::string invariant = alloc.CheckInvariant();
    double mean = 0;
    double worst = 0;
    for (double s : run.setup)
    {
        mean += s;
        worst = std::max(worst, s);
    }
    mean = run.setup.empty() ? 0 : mean / run.setup.size();
    const uint64_t switchedOn = run.arrivals - run.busy;
    const uint64_t unserved = switchedOn > run.bound ? switchedOn - run.bound : 0;
    std::cout << "\nfinal counters\n"
              << "  terminals switched on     " << switchedOn << " (" << run.busy
              << " arrivals found every slot busy)\n"
              << "  addresses obtained        " << run.bound << "\n"
              << "  never got an address      " << unserved << "\n"
              << "  setup time mean / max     " << mean * 1000 << " ms / " << worst * 1000
              << " ms\n"
              << "  DISCOVERs left unanswered " << c.noOffers << "\n"
              << "  block requests refused    " << c.failedRequests << "\n"
              << "  refills                   " << c.refills << "\n"
              << "  releases / lease expiries " << c.releases << " / " << c.expired << "\n"
              << "  blocks allotted / free    " << c.blocksAllotted << " / " << c.blocksFree << "\n"
              << "  addresses in use at end   " << c.addressesInUse << "\n"
              << "  malformed datagrams       " << c.malformed << "\n"
              << "  invariant                 " << (invariant.empty() ? "holds" : invariant)
              << "\n";
    if (!csv.empty())
    {
        std::ofstream out(csv);
        out << "arrivalRate,blocksPerBuilding,arrivals,switched_on,bound,unserved_fraction,"
               "no_offer,no_offer_per_terminal,refused,refills,mean_setup_s,max_setup_s,"
               "invariant_ok\n"
            << arrivalRate << "," << blocksPerBuilding << "," << run.arrivals << "," << switchedOn
            << "," << run.bound << "," << (switchedOn ? double(unserved) / switchedOn : 0.0) << ","
            << c.noOffers << "," << (switchedOn ? double(c.noOffers) / switchedOn : 0.0) << ","
            << c.failedRequests << "," << c.refills << "," << mean << "," << worst << ","
            << (invariant.empty() ? 1 : 0) << "\n";
        if (!out)
        {
            std::cerr << "error: cannot write " << csv << "\n";
            return 2;
        }
    }
    Simulator::Destroy();
    return invariant.empty() ? 0 : 1;
}
