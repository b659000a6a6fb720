/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The whole system in one run. Terminals are switched on over time, get an address (DHCP
 * from their home gateway, which gets blocks from the address manager), register through
 * the gateway with the gatekeeper, and call each other, the outside, the other complex,
 * household and terminal numbers; some are withdrawn (they de-register, then release their
 * lease) and whole flats are withdrawn (their gateway returns its block). Prints the first
 * events and a summary; exits 1 if the address invariant breaks, a private address leaves
 * the complex, or a call fails for a reason the scenario did not cause (busy, overload,
 * injected loss and withdrawn or not yet registered callees are such reasons).
 *
 *   apartment-complex                                 (1 building, 4 flats, dynamic, NAPT)
 *   apartment-complex --complexes=2 --pcap --csv=calls.csv
 *   apartment-complex --nat=pool --poolSize=4         (a pool address per terminal per call)
 *   apartment-complex --direct --traversal=stun       (phones registering outside directly)
 *   apartment-complex --addressing=static --nat=none --callRate=120 --duration=600s
 *   apartment-complex --buildings=10 --flats=100 --callRate=2 --holding=180s --duration=3600s
 *       --withdraw=0 --withdrawFlats=0 --media=flow --csv=none   (busy hour, 3,000 terminals)
 */

#include "ns3/address-allocation-helper.h"
#include "ns3/address-block-pool.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/ppp-header.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/traversal-helper.h"
#include "ns3/voip-helper.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipComplexExample");

namespace
{

/// One phone: a terminal of a complex or a remote phone outside.
struct Phone
{
    Ptr<SipTerminal> app;
    Ptr<TerminalDhcpClient> dhcp; //!< dynamic addresses only
    std::string number;
    std::string digits;
    std::string household; //!< digits of its flat's household number; empty outside
    bool remote{false};
    bool direct{false}; //!< --direct: registers with the outside gatekeeper through the NAT
    bool registered{false};
    bool withdrawn{false};
};

/// The state of the run the trace sinks update.
struct World
{
    std::vector<Phone> phones;
    std::map<std::string, uint32_t> byDigits;
    std::map<std::string, std::vector<uint32_t>> households; //!< digits -> phones
    std::vector<std::string> numbers;                        //!< every number one may dial
    uint32_t callers{0}; //!< phones [0, callers) place random calls (not the direct phones)
    std::vector<CallRecord> directCalls; //!< the direct phones' own records
    std::size_t timelineMax{30};
    uint64_t events{0};
    double wanLoss{0};
    // counters
    uint64_t bound{0};
    uint64_t addressChanges{0};
    uint64_t registrations{0};
    uint64_t deregistrations{0};
    std::vector<double> rrdMs;
    uint64_t wrongNumber{0};
    uint64_t dialled{0};
    uint64_t notPlaced{0};
    uint64_t withdrawnTerminals{0};
    uint64_t withdrawnFlats{0};
    uint64_t blocksReturned{0};
    uint64_t explainedFailures{0};
    std::vector<std::string> unexplained;
    std::map<std::pair<std::string, int64_t>, bool> availableAtDial;
    // no-private check on the WAN side of each NAT
    uint64_t wanPackets{0};
    uint64_t wanSdp{0};
    uint64_t leaks{0};
    std::string firstLeak;
};

World* g_world = nullptr; //!< for the trace sinks bound to a phone index only

void
Event(const std::string& text)
{
    if (g_world->events++ < g_world->timelineMax)
    {
        std::cout << std::fixed << std::setprecision(3) << std::setw(9)
                  << Simulator::Now().GetSeconds() << " s  " << text << "\n";
    }
}

/// true if the number can be reached now: a registered, not withdrawn terminal; any such
/// terminal of a household; a remote phone (always on)
bool
Available(const std::string& digits)
{
    auto it = g_world->byDigits.find(digits);
    if (it != g_world->byDigits.end())
    {
        const Phone& p = g_world->phones[it->second];
        return p.remote || (p.registered && !p.withdrawn);
    }
    auto h = g_world->households.find(digits);
    if (h == g_world->households.end())
    {
        return false;
    }
    for (uint32_t i : h->second)
    {
        if (g_world->phones[i].registered && !g_world->phones[i].withdrawn)
        {
            return true;
        }
    }
    return false;
}

void
OnBound(uint32_t i, Ipv4Address a, Time setup)
{
    ++g_world->bound;
    std::ostringstream os;
    os << g_world->phones[i].number << " got " << a << " by DHCP after "
       << setup.GetMicroSeconds() / 1000.0 << " ms";
    Event(os.str());
}

void
OnAddressChanged(uint32_t i, Ipv4Address before, Ipv4Address after)
{
    Phone& p = g_world->phones[i];
    if (after == Ipv4Address::GetAny())
    {
        p.registered = false; // no address: unreachable until the next one
    }
    else if (before != Ipv4Address::GetAny())
    {
        ++g_world->addressChanges;
    }
}

void
OnRegistered(uint32_t i, Ipv4Address contact, Time expires)
{
    Phone& p = g_world->phones[i];
    std::ostringstream os;
    if (expires.IsZero())
    {
        ++g_world->deregistrations;
        p.registered = false;
        os << p.number << " de-registered " << contact << " (Expires: 0)";
    }
    else
    {
        if (!p.registered)
        {
            ++g_world->registrations;
            os << p.number << " registered from " << contact;
        }
        p.registered = true;
    }
    if (!os.str().empty())
    {
        Event(os.str());
    }
}

void
OnRrd(Time rrd)
{
    g_world->rrdMs.push_back(rrd.GetSeconds() * 1000);
}

void
OnWrongNumber(uint32_t i, const std::string& user)
{
    ++g_world->wrongNumber;
    Event(g_world->phones[i].number + " refused an INVITE for " + user +
          " (404: the address used to be that phone's)");
}

void
OnBlockReturned(uint32_t b, uint32_t f, Ipv4Address block, uint8_t length)
{
    ++g_world->blocksReturned;
    std::ostringstream os;
    os << "gateway " << b << "/" << f << " returned " << block << "/" << unsigned{length};
    Event(os.str());
}

void
OnRing(uint32_t i, const std::string& caller)
{
    Event(g_world->phones[i].number + " rings, caller ID " + caller);
}

void
OnCallEnded(const CallRecord& r)
{
    if (!r.originating)
    {
        return;
    }
    Event(r.localNumber + " -> " + r.remoteNumber + ": " + r.GetOutcome() + " (" +
          std::to_string(r.finalCode) + ")");
    const bool answered = !r.answerTime.IsZero();
    const uint16_t code = r.finalCode;
    // decisions.md: busy, overload, the caller's own CANCEL, a decline, injected loss and a
    // callee that is withdrawn or not (yet) registered are caused by the scenario.
    if (answered)
    {
        return;
    }
    const std::string callee = SipDigits(r.remoteNumber);
    auto dial = g_world->availableAtDial.find({r.localNumber, r.inviteTime.GetTimeStep()});
    const bool availableAtDial = dial != g_world->availableAtDial.end() && dial->second;
    if (code == 486 || code == 503 || code == 603 || code == 487 || g_world->wanLoss > 0 ||
        !availableAtDial || !Available(callee))
    {
        ++g_world->explainedFailures;
        return;
    }
    std::ostringstream os;
    os << r.localNumber << " -> " << r.remoteNumber << " at " << r.inviteTime.GetSeconds()
       << " s ended " << code << " although the callee was reachable";
    g_world->unexplained.push_back(os.str());
}

void
PlaceCall(uint32_t caller, const std::string& number, Time holding)
{
    Phone& p = g_world->phones[caller];
    if (!p.registered || p.withdrawn || p.app->IsBusy())
    {
        ++g_world->notPlaced;
        return;
    }
    const bool available = Available(SipDigits(number));
    if (p.app->Dial(number, holding))
    {
        ++g_world->dialled;
        g_world->availableAtDial[{p.number, Simulator::Now().GetTimeStep()}] = available;
        Event(p.number + " dials " + number);
    }
    else
    {
        ++g_world->notPlaced;
    }
}

/// Poisson call attempts of the whole system; each picks a caller and a number at random.
struct Traffic
{
    Ptr<ExponentialRandomVariable> interArrival;
    Ptr<ExponentialRandomVariable> holding;
    Ptr<UniformRandomVariable> pick;
    Time stop;
};

void
NextCall(Traffic* traffic)
{
    if (Simulator::Now() >= traffic->stop)
    {
        return;
    }
    World& w = *g_world;
    const auto caller = traffic->pick->GetInteger(0, w.callers - 1);
    const auto index = traffic->pick->GetInteger(0, static_cast<uint32_t>(w.numbers.size() - 1));
    const Time holding = Seconds(std::max(1.0, traffic->holding->GetValue()));
    const std::string& number = w.numbers[index];
    const std::string digits = SipDigits(number);
    if (digits == w.phones[caller].digits || digits == w.phones[caller].household)
    {
        ++w.notPlaced; // one's own number or household
    }
    else
    {
        PlaceCall(caller, number, holding);
    }
    Simulator::Schedule(Seconds(traffic->interArrival->GetValue()), &NextCall, traffic);
}

void
KeepDirectRecord(const CallRecord& r)
{
    g_world->directCalls.push_back(r);
}

void
WithdrawPhone(uint32_t i)
{
    Phone& p = g_world->phones[i];
    if (p.withdrawn)
    {
        return;
    }
    p.withdrawn = true;
    ++g_world->withdrawnTerminals;
    Event(p.number + " withdrawn");
    VoipHelper::Withdraw(p.app, p.dhcp);
}

bool
IsPrivate(Ipv4Address a)
{
    const uint32_t v = a.Get();
    return (v & 0xff000000) == 0x0a000000 || (v & 0xfff00000) == 0xac100000 ||
           (v & 0xffff0000) == 0xc0a80000 || (v & 0xffc00000) == 0x64400000;
}

void
Leak(const std::string& what)
{
    if (g_world->leaks++ == 0)
    {
        g_world->firstLeak = what;
    }
}

/// Every IP packet crossing a NAT's WAN device: no private address in the IPv4 header,
/// nor in an SDP c= or o= line.
void
OnWanPacket(Ptr<const Packet> packet)
{
    Ptr<Packet> p = packet->Copy();
    PppHeader ppp; // the WAN is a point-to-point link; its traces carry the PPP header
    Ipv4Header ip;
    if (p->RemoveHeader(ppp) == 0 || ppp.GetProtocol() != 0x0021 || p->RemoveHeader(ip) == 0)
    {
        return;
    }
    ++g_world->wanPackets;
    if (IsPrivate(ip.GetSource()) || IsPrivate(ip.GetDestination()))
    {
        std::ostringstream os;
        os << "IPv4 " << ip.GetSource() << " > " << ip.GetDestination();
        Leak(os.str());
    }
    UdpHeader udp;
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || ip.GetFragmentOffset() != 0 ||
        p->RemoveHeader(udp) == 0)
    {
        return;
    }
    std::string text(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(text.data()), text.size());
    if (text.find("SIP/2.0") == std::string::npos)
    {
        return;
    }
    std::istringstream lines(text);
    std::string line;
    bool sdp = false;
    while (std::getline(lines, line))
    {
        if (line.rfind("c=", 0) != 0 && line.rfind("o=", 0) != 0)
        {
            continue;
        }
        sdp = true;
        std::string address = line.substr(line.find_last_of(' ') + 1);
        address.erase(address.find_last_not_of("\r\n ") + 1);
        const bool dotted =
            !address.empty() && address.find_first_not_of("0123456789.") == std::string::npos;
        if (dotted && IsPrivate(Ipv4Address(address.c_str())))
        {
            Leak("SDP " + line.substr(0, 2) + " " + address);
        }
    }
    g_world->wanSdp += sdp;
}

double
Percentile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const double pos = q * (v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/// Static 1:1 NAT with dynamic addresses: every host address a terminal may lease (all
/// blocks of the pool but each block's first host, the gateway's); with --homeNat every
/// address a gateway's NAT may show (each block's first host), its terminals hidden behind.
std::vector<Ipv4Address>
LeasableAddresses(Ptr<ApartmentTopologyHelper> topology, uint32_t complex)
{
    const AddressPlan::Config& plan = topology->GetAddressPlan(complex).GetConfig();
    AddressBlockPool::Config config;
    config.privateNetwork = plan.privateNetwork;
    config.blockLength = plan.blockLength;
    config.buildings = plan.buildings;
    config.blocksPerBuilding = plan.flatsPerBuilding;
    std::vector<Ipv4Address> out;
    for (const Ipv4Prefix& block : AddressBlockPool(config).GetAllBlocks())
    {
        if (topology->IsHomeNat())
        {
            out.push_back(block.GetAddress(1));
            continue;
        }
        for (uint32_t h = 2; h + 1 < block.GetSize(); ++h)
        {
            out.push_back(block.GetAddress(h));
        }
    }
    return out;
}

int
Refuse(const std::string& message)
{
    std::cerr << "error: " << message << "\n";
    return 2;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t buildings = 1;
    uint32_t flats = 4;
    uint32_t terminals = 3;
    uint32_t remotePhones = 2;
    uint32_t complexes = 1;
    std::string addressing = "dynamic";
    std::string natMode = "napt";
    uint32_t poolSize = 16;
    bool homeNat = false;
    bool direct = false;
    std::string traversal = "seed003";
    std::string media = "packets";
    double callRate = 60;
    std::string holdingText = "20s";
    std::string durationText = "120s";
    std::string switchOnText = "20s";
    double withdrawFraction = 0.25;
    std::string withdrawFlatsText = "auto";
    std::string wanDelayText = "10ms";
    double wanLoss = 0;
    std::string csv = "apartment-complex.csv";
    bool pcap = false;
    uint32_t timeline = 30;
    std::string progress = "auto";
    std::string scheduler = "priority";

    CommandLine cmd(__FILE__);
    cmd.Usage("The whole system: dynamic addresses, registrations, calls inside, out and "
              "between complexes across the NAT, terminals and flats withdrawn. Exit status 1 "
              "if the address invariant breaks, a private address leaves the complex or a "
              "call fails for a reason the scenario did not cause.");
    cmd.AddValue("buildings", "buildings per complex (1-256)", buildings);
    cmd.AddValue("flats", "flats per building", flats);
    cmd.AddValue("terminals", "terminals per flat (1-5)", terminals);
    cmd.AddValue("remotePhones", "phones in the outside network (1-240)", remotePhones);
    cmd.AddValue("complexes", "number of complexes (1 or 2; 2 needs a NAT)", complexes);
    cmd.AddValue("addressing", "terminal addresses: static or dynamic (DHCP)", addressing);
    cmd.AddValue("nat",
                 "the complex's edge: none (routed), static (1:1 public address per terminal "
                 "address), pool (a pool address per terminal per call, by PCP) or napt (one "
                 "public address, media ports mapped per call by PCP)",
                 natMode);
    cmd.AddValue("poolSize",
                 "--nat=pool: public addresses in each complex's pool (1-150)",
                 poolSize);
    cmd.AddValue("homeNat",
                 "double NAT: a NAPT on every home gateway, every flat reusing the same "
                 "private /24; the address manager's blocks give the gateways their outside "
                 "addresses",
                 homeNat);
    cmd.AddValue("direct",
                 "a direct phone beside terminal 1 of flat 0/0 of each complex: it registers with "
                 "the outside gatekeeper through the NAT, learning its public endpoints by "
                 "--traversal; outside phones call it and it calls them",
                 direct);
    cmd.AddValue("traversal",
                 "--direct: seed003 (detection P1-P7, kept mapping) or stun",
                 traversal);
    cmd.AddValue("media",
                 "packets: every RTP packet; flow: one RTP packet in 50 samples the path and "
                 "stands for the stream (loss, delay, jitter, MOS), for big call-level runs",
                 media);
    cmd.AddValue("callRate", "call attempts per terminal per hour (Poisson; 0: none)", callRate);
    cmd.AddValue("holding", "mean holding time of a call (exponential), e.g. 20s", holdingText);
    cmd.AddValue("duration", "simulated time, e.g. 120s", durationText);
    cmd.AddValue("switchOn", "terminals are switched on at random within this time", switchOnText);
    cmd.AddValue("withdraw",
                 "fraction of terminals withdrawn during the run (0-1)",
                 withdrawFraction);
    cmd.AddValue("withdrawFlats",
                 "flats of complex 0 withdrawn whole (their terminals, then their gateway's "
                 "block); auto: 1 if there are at least 2 flats",
                 withdrawFlatsText);
    cmd.AddValue("wanDelay", "one-way delay of each complex's WAN link, e.g. 10ms", wanDelayText);
    cmd.AddValue("wanLoss", "packet loss rate on each WAN link, each direction (0-0.5)", wanLoss);
    cmd.AddValue("csv", "write one row per call to this file (none: no file)", csv);
    cmd.AddValue("pcap", "write pcap files of flat 0/0, the core, the NAT and the outside", pcap);
    cmd.AddValue("timeline", "how many of the first events to print", timeline);
    cmd.AddValue("progress",
                 "show simulation progress: on, off, or auto (on above 600 s simulated)",
                 progress);
    cmd.AddValue("scheduler",
                 "ns-3 event scheduler (global): map, heap, calendar, list or priority",
                 scheduler);
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

    std::optional<CallNatMode> callNat;
    if (natMode == "static" || natMode == "pool" || natMode == "napt")
    {
        callNat = natMode == "static" ? CallNatMode::STATIC
                  : natMode == "pool" ? CallNatMode::POOL
                                      : CallNatMode::NAPT;
    }
    else if (natMode != "none")
    {
        return Refuse("--nat must be none, static, pool or napt, not '" + natMode + "'");
    }
    if (std::string e = CheckRange("poolSize", poolSize, 1u, 150u);
        callNat == CallNatMode::POOL && !e.empty())
    {
        return Refuse(e);
    }
    if (traversal != "seed003" && traversal != "stun")
    {
        return Refuse("--traversal must be seed003 or stun, not '" + traversal + "'");
    }
    if (media != "packets" && media != "flow")
    {
        return Refuse("--media must be packets or flow, not '" + media + "'");
    }
    if (direct && media == "flow")
    {
        // The direct phones are installed apart from VoipHelper; both ends of a call must use
        // the same media mode.
        return Refuse("--media=flow cannot be combined with --direct");
    }
    if (direct && !callNat)
    {
        return Refuse("--direct needs a NAT (--nat=static, pool or napt): the router agent of "
                      "seed 003 lives on the NAT router");
    }
    if (addressing != "static" && addressing != "dynamic")
    {
        return Refuse("--addressing must be static or dynamic, not '" + addressing + "'");
    }
    if (complexes != 1 && complexes != 2)
    {
        return Refuse("--complexes must be 1 or 2, not " + std::to_string(complexes));
    }
    if (complexes == 2 && natMode == "none")
    {
        return Refuse("--complexes=2 needs a NAT: both complexes use the same private "
                      "addresses (use --nat=static)");
    }
    // Times, counts and rates are read and checked the shared way (ns3/command-line-values.h);
    // the first error is refused.
    std::string valueError = CheckRange("remotePhones", remotePhones, 1u, 240u);
    auto duration = valueError.empty() ? ReadTime("duration",
                                                  durationText,
                                                  Seconds(30),
                                                  Seconds(1e6),
                                                  "must be 30s to 1000000s",
                                                  &valueError)
                                       : std::nullopt;
    auto holding = duration ? ReadTime("holding",
                                       holdingText,
                                       Seconds(1),
                                       Seconds(3600),
                                       "must be 1s to 3600s",
                                       &valueError)
                            : std::nullopt;
    auto switchOn = holding ? ReadTime("switchOn",
                                       switchOnText,
                                       Seconds(0),
                                       *duration - TimeStep(1),
                                       "must be at least 0 and shorter than --duration",
                                       &valueError)
                            : std::nullopt;
    auto wanDelay = switchOn ? ReadTime("wanDelay",
                                        wanDelayText,
                                        Seconds(0),
                                        Seconds(2),
                                        "must be 0 to 2s",
                                        &valueError)
                             : std::nullopt;
    for (const std::string& e : {CheckRange("wanLoss", wanLoss, 0.0, 0.5),
                                 CheckRange("callRate", callRate, 0.0, 3600.0, "per hour"),
                                 CheckRange("withdraw", withdrawFraction, 0.0, 1.0)})
    {
        valueError = valueError.empty() ? e : valueError;
    }
    if (!valueError.empty() || !duration || !holding || !switchOn || !wanDelay)
    {
        return Refuse(valueError);
    }
    // --direct's calls must end before the run does, or they would count as failed.
    const uint32_t directSceneEnd = 39 + 24 * complexes;
    if (direct && *duration < Seconds(directSceneEnd))
    {
        return Refuse("--duration " + durationText +
                      " is too short for --direct's calls (at least " +
                      std::to_string(directSceneEnd) + "s)");
    }
    if (progress != "auto" && progress != "on" && progress != "off")
    {
        return Refuse("--progress must be auto, on or off, not '" + progress + "'");
    }
    if (std::string schedulerError = SetGlobalScheduler(scheduler); !schedulerError.empty())
    {
        return Refuse("--" + schedulerError);
    }
    const bool dynamic = addressing == "dynamic";
    const bool nat = natMode != "none";

    GlobalValue::Bind("ChecksumEnabled", BooleanValue(pcap));

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(remotePhones));
    topology->SetAttribute("WanDelay", TimeValue(*wanDelay));
    topology->SetAttribute("AddressMode", StringValue(dynamic ? "Dynamic" : "Static"));
    topology->SetAttribute("EdgeMode", StringValue(nat ? "Nat" : "Routed"));
    topology->SetAttribute("SecondComplex", BooleanValue(complexes == 2));
    topology->SetAttribute("HomeNat", BooleanValue(homeNat));
    if (homeNat)
    {
        // A block then holds only the gateway's outside address (its first host): the
        // smallest block the plan has, a /30, wastes the fewest addresses.
        topology->SetAttribute("BlockPrefixLength", UintegerValue(30));
    }
    std::string error = topology->Validate();
    if (!error.empty())
    {
        return Refuse(error);
    }
    uint32_t withdrawFlats = buildings * flats > 1 ? 1 : 0;
    if (withdrawFlatsText != "auto")
    {
        std::size_t end = 0;
        unsigned long n = 0;
        try
        {
            n = std::stoul(withdrawFlatsText, &end);
        }
        catch (const std::exception&)
        {
            end = 0;
        }
        if (end == 0 || end != withdrawFlatsText.size() || withdrawFlatsText[0] == '-' ||
            n >= buildings * flats)
        {
            return Refuse("--withdrawFlats '" + withdrawFlatsText +
                          "' must be auto or a number below the number of flats (" +
                          std::to_string(buildings * flats) + "; flat 0/0 stays for the scene)");
        }
        withdrawFlats = static_cast<uint32_t>(n);
    }
    NatHelper natHelper;
    if (callNat == CallNatMode::POOL)
    {
        natHelper.SetAttribute("Mode", EnumValue(static_cast<int>(NatMode::POOL)));
    }
    if (nat)
    {
        natHelper.Prepare(topology);
    }
    topology->Build();
    std::vector<Ptr<NatTrafficControlLayer>> natLayers;
    for (uint32_t c = 0; nat && c < complexes; ++c)
    {
        if (callNat == CallNatMode::POOL)
        {
            // Hosts 100.. of the complex's public /24 (the gatekeeper's rule takes one below).
            std::vector<Ipv4Address> pool;
            for (uint32_t i = 0; i < poolSize; ++i)
            {
                pool.push_back(topology->GetAddressPlan(c).GetPublic().GetAddress(100 + i));
            }
            natHelper.SetPublicAddresses(pool);
        }
        natLayers.push_back(natHelper.Install(topology, c));
    }

    World world;
    g_world = &world;
    world.timelineMax = timeline;
    world.wanLoss = wanLoss;

    if (wanLoss > 0)
    {
        for (uint32_t c = 0; c < complexes; ++c)
        {
            Ptr<Channel> wan = topology->GetNatRouterWanDevice(c)->GetChannel();
            for (std::size_t i = 0; i < wan->GetNDevices(); ++i)
            {
                auto em = CreateObject<RateErrorModel>();
                em->SetAttribute("ErrorRate", DoubleValue(wanLoss));
                em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
                wan->GetDevice(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
            }
        }
    }

    // [usage-complex] (doc/ includes the lines up to the end marker)
    // Address management: the manager and every gateway's DHCP server, per complex.
    std::vector<std::unique_ptr<AddressAllocationHelper>> alloc;
    for (uint32_t c = 0; dynamic && c < complexes; ++c)
    {
        alloc.push_back(std::make_unique<AddressAllocationHelper>(topology, c));
        alloc.back()->InstallManager();
        alloc.back()->InstallGateways();
        for (uint32_t b = 0; b < buildings; ++b)
        {
            for (uint32_t f = 0; f < flats; ++f)
            {
                alloc.back()->GetGateway(b, f)->TraceConnectWithoutContext(
                    "BlockReturned",
                    MakeCallback(&OnBlockReturned));
            }
        }
    }

    VoipHelper voip;
    if (media == "flow")
    {
        voip.SetTerminalAttribute("MediaMode", StringValue("FlowLevel"));
    }
    voip.Install(topology);
    for (uint32_t c = 0; nat && c < complexes; ++c)
    {
        if (callNat == CallNatMode::STATIC)
        {
            error = dynamic ? voip.UseNat(topology, natLayers[c], c, LeasableAddresses(topology, c))
                            : voip.UseNat(topology, natLayers[c], c);
            if (!error.empty())
            {
                return Refuse("--nat=static: " + error + " (use --nat=napt or fewer flats)");
            }
        }
        else
        {
            error = voip.UseNat(topology, natLayers[c], c, *callNat);
            if (!error.empty())
            {
                return Refuse("--nat=" + natMode + ": " + error);
            }
        }
    }

    // The phones, their switch-on and withdrawal times.
    // [usage-complex-end]
    // One chain of random streams for the scene (disjoint at any size): this program's
    // draws first, the parts installed below once they all exist.
    SceneStreams streams(1);
    auto rng = CreateObject<UniformRandomVariable>();
    streams.AssignVariable(rng, "program");
    std::vector<std::vector<uint32_t>> flatPhones; // complex-major, then building, flat
    for (uint32_t c = 0; c < complexes; ++c)
    {
        for (uint32_t b = 0; b < buildings; ++b)
        {
            for (uint32_t f = 0; f < flats; ++f)
            {
                flatPhones.emplace_back();
                const std::string household = topology->GetHouseholdNumber(b, f, c).ToString();
                world.numbers.push_back(household);
                for (uint32_t t = 1; t <= terminals; ++t)
                {
                    Phone p;
                    p.app = voip.GetTerminal(topology->GetTerminal(b, f, t, c));
                    p.number = topology->GetTerminalNumber(b, f, t, c).ToString();
                    p.digits = SipDigits(p.number);
                    p.household = SipDigits(household);
                    // Flat 0/0 of each complex plays the scene: on from the start.
                    const bool scene = b == 0 && f == 0;
                    const Time on =
                        scene ? MilliSeconds(100 + 10 * t)
                              : Seconds(rng->GetValue(0.1, std::max(0.2, switchOn->GetSeconds())));
                    p.app->SetStartTime(on);
                    if (dynamic)
                    {
                        p.dhcp = alloc[c]->InstallClient(b, f, t);
                        p.dhcp->SetStartTime(on);
                        VoipHelper::ConnectDhcpClient(p.app, p.dhcp);
                    }
                    const uint32_t index = static_cast<uint32_t>(world.phones.size());
                    world.byDigits[p.digits] = index;
                    world.households[p.household].push_back(index);
                    world.numbers.push_back(p.number);
                    flatPhones.back().push_back(index);
                    if (!scene && rng->GetValue() < withdrawFraction)
                    {
                        const double from = on.GetSeconds() + 10;
                        const double to = duration->GetSeconds() * 0.9;
                        if (from < to)
                        {
                            Simulator::Schedule(Seconds(rng->GetValue(from, to)),
                                                &WithdrawPhone,
                                                index);
                        }
                    }
                    world.phones.push_back(p);
                }
            }
        }
    }
    for (uint32_t i = 0; i < remotePhones; ++i)
    {
        Phone p;
        p.app = voip.GetTerminal(topology->GetRemotePhones().Get(i));
        p.app->SetStartTime(MilliSeconds(100 + i)); // on before the scene's first call
        p.number = topology->GetRemotePhoneNumber(i).ToString();
        p.digits = SipDigits(p.number);
        p.remote = true;
        world.byDigits[p.digits] = static_cast<uint32_t>(world.phones.size());
        world.numbers.push_back(p.number);
        world.phones.push_back(p);
    }
    world.callers = static_cast<uint32_t>(world.phones.size());
    // --direct: the router agent on each NAT router, the detection and STUN servers on the
    // outside gatekeeper, and per complex a phone on terminal 1 of flat 0/0 (its own SIP and
    // RTP ports beside the flat's phone) registered in the outside numbering plan.
    std::vector<uint32_t> directPhones;
    ApplicationContainer directApps;
    if (direct)
    {
        TraversalHelper traversalHelper;
        traversalHelper.InstallServer(topology->GetOutsideGatekeeper());
        traversalHelper.InstallStunServer(topology->GetOutsideGatekeeper());
        traversalHelper.SetPhoneAttribute("Port", UintegerValue(5070));
        traversalHelper.SetPhoneAttribute("FirstRtpPort", UintegerValue(20000));
        const auto mode = traversal == "stun" ? SipTerminal::TraversalMode::STUN
                                              : SipTerminal::TraversalMode::SEED003;
        for (uint32_t c = 0; c < complexes; ++c)
        {
            traversalHelper.InstallAgent(topology->GetNatRouter(c));
            Phone p;
            p.number = topology->GetOutsideNumberingPlan()
                           .Make(2, 1, static_cast<uint8_t>(1 + c))
                           .ToString();
            ApplicationContainer apps =
                traversalHelper.InstallDirectPhone(topology->GetTerminal(0, 0, 1, c),
                                                   p.number,
                                                   voip.GetOutsideGatekeeper(),
                                                   topology->GetOutsideGatekeeperAddress(),
                                                   mode,
                                                   1);
            directApps.Add(apps);
            p.app = DynamicCast<SipTerminal>(apps.Get(0));
            p.app->SetStartTime(Seconds(1)); // after flat 0/0's DHCP
            p.digits = SipDigits(p.number);
            p.direct = true;
            p.app->TraceConnectWithoutContext("CallEnded", MakeCallback(&KeepDirectRecord));
            directPhones.push_back(static_cast<uint32_t>(world.phones.size()));
            world.byDigits[p.digits] = directPhones.back();
            world.phones.push_back(p);
        }
    }
    for (uint32_t i = 0; i < world.phones.size(); ++i)
    {
        Phone& p = world.phones[i];
        p.app->TraceConnectWithoutContext("Registered", MakeBoundCallback(&OnRegistered, i));
        p.app->TraceConnectWithoutContext("RegistrationDelay", MakeCallback(&OnRrd));
        p.app->TraceConnectWithoutContext("WrongNumber", MakeBoundCallback(&OnWrongNumber, i));
        p.app->TraceConnectWithoutContext("CallerId", MakeBoundCallback(&OnRing, i));
        p.app->TraceConnectWithoutContext("CallEnded", MakeCallback(&OnCallEnded));
        if (p.dhcp)
        {
            p.dhcp->TraceConnectWithoutContext("Bound", MakeBoundCallback(&OnBound, i));
            p.dhcp->TraceConnectWithoutContext("AddressChanged",
                                               MakeBoundCallback(&OnAddressChanged, i));
        }
    }

    // Whole flats withdrawn (the last ones of complex 0): terminals de-register and release
    // their addresses, then the gateway returns its block.
    const Time flatWithdrawal = *duration * 0.6;
    for (uint32_t k = 0; k < withdrawFlats; ++k)
    {
        const uint32_t flatIndex = buildings * flats - 1 - k;
        const uint32_t b = flatIndex / flats;
        const uint32_t f = flatIndex % flats;
        const std::vector<uint32_t> members = flatPhones[flatIndex];
        Ptr<GatewayDhcpServer> gw = dynamic ? alloc[0]->GetGateway(b, f) : nullptr;
        ScheduleFunction(flatWithdrawal, [members, b, f]() {
            ++g_world->withdrawnFlats;
            Event("flat " + std::to_string(b) + "/" + std::to_string(f) + " withdrawn");
            for (uint32_t i : members)
            {
                WithdrawPhone(i);
            }
        });
        if (gw)
        {
            // After the de-registrations (DeregisterWait at most) and the releases.
            ScheduleFunction(flatWithdrawal + Seconds(3), [gw]() { gw->Withdraw(); });
        }
    }

    // The scene: household, terminal, outside and (with two complexes) the other complex;
    // the random traffic starts after it, so the scene's phones are free.
    Time sceneEnd;
    {
        const uint32_t outside = world.callers - remotePhones; // the remote phones
        const uint32_t t1 = flatPhones[0].front();
        const uint32_t t2 = flatPhones[0].back();
        const std::string household = topology->GetHouseholdNumber(0, 0, 0).ToString();
        const std::string terminal1 = world.phones[t1].number;
        const std::string remote = world.phones[outside + remotePhones - 1].number;
        // One call after the other (ringing lasts at most 4 s, talking 6 s).
        ScheduleFunction(Seconds(3), [=]() { PlaceCall(outside, household, Seconds(6)); });
        ScheduleFunction(Seconds(15), [=]() { PlaceCall(outside, terminal1, Seconds(6)); });
        ScheduleFunction(Seconds(27), [=]() { PlaceCall(t2, remote, Seconds(6)); });
        sceneEnd = Seconds(39);
        if (complexes == 2)
        {
            const uint32_t other = flatPhones[buildings * flats].front();
            const std::string otherHousehold = topology->GetHouseholdNumber(0, 0, 1).ToString();
            ScheduleFunction(Seconds(39), [=]() { PlaceCall(t1, otherHousehold, Seconds(6)); });
            ScheduleFunction(Seconds(51), [=]() { PlaceCall(other, household, Seconds(6)); });
            // Two calls at once, one each way across both NATs, terminal to terminal.
            const uint32_t otherLast = flatPhones[buildings * flats].back();
            const std::string otherNumber = world.phones[other].number;
            const std::string number2 = world.phones[t2].number;
            ScheduleFunction(Seconds(63), [=]() {
                PlaceCall(t1, otherNumber, Seconds(6));
                PlaceCall(otherLast, number2, Seconds(6));
            });
            sceneEnd = Seconds(75);
        }
        // --direct: an outside phone calls each direct phone, then it calls the other one
        // (the outside phones are free from 39 s on).
        Time at = Seconds(39);
        for (uint32_t d : directPhones)
        {
            const std::string number = world.phones[d].number;
            ScheduleFunction(at, [=]() { PlaceCall(outside, number, Seconds(6)); });
            ScheduleFunction(at + Seconds(12), [=]() { PlaceCall(d, remote, Seconds(6)); });
            at += Seconds(24);
        }
        sceneEnd = std::max(sceneEnd, at);
    }

    Traffic traffic;
    traffic.interArrival = CreateObject<ExponentialRandomVariable>();
    traffic.holding = CreateObject<ExponentialRandomVariable>();
    traffic.pick = CreateObject<UniformRandomVariable>();
    streams.AssignVariable(traffic.interArrival, "program");
    streams.AssignVariable(traffic.holding, "program");
    streams.AssignVariable(traffic.pick, "program");
    traffic.holding->SetAttribute("Mean", DoubleValue(holding->GetSeconds()));
    traffic.stop = *duration - *holding - Seconds(5);
    const double terminalsInAll = double(complexes) * buildings * flats * terminals;
    if (callRate > 0)
    {
        traffic.interArrival->SetAttribute("Mean",
                                           DoubleValue(3600.0 / (callRate * terminalsInAll)));
        Simulator::Schedule(sceneEnd + Seconds(traffic.interArrival->GetValue()),
                            &NextCall,
                            &traffic);
    }

    // Then every randomised part of the scene, all installed now.
    streams.Assign(topology);
    for (auto& a : alloc)
    {
        streams.Assign(*a);
    }
    streams.Assign(voip);
    streams.Assign(natHelper);
    streams.Assign(directApps, "traversal");
    streams.AssignErrorModels(topology->GetAllNodes());

    // What the outside sees: every packet on each NAT's WAN device.
    for (uint32_t c = 0; nat && c < complexes; ++c)
    {
        Ptr<NetDevice> wan = topology->GetNatRouterWanDevice(c);
        wan->TraceConnectWithoutContext("MacTx", MakeCallback(&OnWanPacket));
        wan->TraceConnectWithoutContext("MacRx", MakeCallback(&OnWanPacket));
    }

    if (pcap)
    {
        NodeContainer traced(topology->GetGateway(0, 0), topology->GetGatekeeper());
        traced.Add(topology->GetTerminals(0, 0));
        traced.Add(topology->GetOutsideGatekeeper());
        traced.Add(topology->GetRemotePhones().Get(0));
        if (dynamic)
        {
            traced.Add(topology->GetAddressManager());
        }
        for (uint32_t c = 0; nat && c < complexes; ++c)
        {
            traced.Add(topology->GetNatRouter(c)); // its WAN device shows what the outside sees
        }
        topology->EnablePcap("apartment-complex", traced);
    }

    std::cout << "apartment-complex: " << complexes << " complex(es) of " << buildings
              << " building(s) x " << flats << " flats x " << terminals << " terminals, "
              << addressing << " addresses, NAT " << natMode << ", " << callRate
              << " calls per terminal-hour, " << duration->GetSeconds() << " s\n"
              << "media " << (media == "flow" ? "flow level (one RTP packet in 50)" : "packets")
              << ", scheduler " << GetGlobalScheduler() << "\n"
              << "first events:\n";

    std::unique_ptr<ShowProgress> show;
    if (progress == "on" || (progress == "auto" && *duration > Seconds(600)))
    {
        show = std::make_unique<ShowProgress>(Seconds(10), std::cerr);
    }
    Simulator::Stop(*duration);
    Simulator::Run();
    show.reset();

    // ---------------------------------------------------------------- summary
    int status = 0;
    std::cout << "... " << world.events << " events in all\n\nsummary\n" << std::fixed;
    if (dynamic)
    {
        for (uint32_t c = 0; c < complexes; ++c)
        {
            const auto counters = alloc[c]->GetCounters();
            const std::string invariant = alloc[c]->CheckInvariant();
            std::cout << "  addresses (complex " << c << "): blocks allotted / free "
                      << counters.blocksAllotted << " / " << counters.blocksFree
                      << ", leases in use " << counters.addressesInUse << ", unanswered DISCOVERs "
                      << counters.noOffers << ", invariant "
                      << (invariant.empty() ? "holds" : "BROKEN: " + invariant) << "\n";
            status = invariant.empty() ? status : 1;
        }
        std::cout << "  DHCP: " << world.bound << " leases obtained, " << world.addressChanges
                  << " address changes, " << world.blocksReturned
                  << " block(s) returned (flats left empty or withdrawn)\n";
    }
    else
    {
        std::cout << "  addresses: static (set by the topology), no invariant to check\n";
    }
    std::cout << "  registrations: " << world.registrations << " phones registered, "
              << world.deregistrations << " de-registered (" << world.withdrawnTerminals
              << " withdrawn, " << world.withdrawnFlats << " flats), RRD median "
              << std::setprecision(1) << Percentile(world.rrdMs, 0.5) << " ms\n";
    for (uint32_t c = 0; c < complexes; ++c)
    {
        std::cout << "  gatekeeper " << c << ": " << voip.GetGatekeeper(c)->GetBindingCount()
                  << " bindings at the end (terminals and household aliases)\n";
    }
    std::vector<double> srd;
    double mosSum = 0;
    uint32_t mosCount = 0;
    for (const auto& r : voip.GetRecords())
    {
        if (r.originating && !r.srd.empty())
        {
            srd.push_back(r.srd.front().GetSeconds() * 1000);
        }
        if (r.media.mos > 0)
        {
            mosSum += r.media.mos;
            ++mosCount;
        }
    }
    if (direct)
    {
        // A direct call counts when it was answered and media arrived at both ends.
        uint32_t both = 0;
        for (const auto& r : world.directCalls)
        {
            const CallRecord* peer = voip.FindCalleeRecord(r.callId);
            for (const auto& o : voip.GetRecords())
            {
                peer = o.callId == r.callId && o.originating ? &o : peer;
            }
            const bool ok =
                r.finalCode == 200 && r.media.received > 0 && peer && peer->media.received > 0;
            both += ok;
            if (!ok && r.finalCode == 200 && wanLoss == 0)
            {
                world.unexplained.push_back(r.localNumber + " <-> " + r.remoteNumber +
                                            ": answered but no RTP both ways");
            }
        }
        for (uint32_t d : directPhones)
        {
            const Phone& p = world.phones[d];
            std::cout << "  direct phone " << p.number << " (" << traversal << "): seen as "
                      << p.app->GetPublicAddress() << " SIP port " << p.app->GetPublicSipPort()
                      << " RTP port " << p.app->GetPublicRtpPort() << ", detection "
                      << p.app->GetTraversalDetectionTime().As(Time::MS) << ", registered "
                      << (p.app->IsRegistered() ? "yes" : "no") << "\n";
        }
        std::cout << "  direct calls answered with RTP both ways: " << both << " of "
                  << world.directCalls.size() << "\n";
        if (world.directCalls.size() < 2 * directPhones.size() && wanLoss == 0)
        {
            world.unexplained.push_back(
                "direct phones: " + std::to_string(world.directCalls.size()) + " of " +
                std::to_string(2 * directPhones.size()) +
                " scene calls ended (--duration too short?)");
        }
    }
    const SessionRatios ratios = voip.GetRatios();
    std::cout << "  calls: " << world.dialled << " dialled (" << world.notPlaced
              << " attempts skipped: caller off, busy or calling itself), " << ratios.attempts
              << " ended, SER " << std::setprecision(1) << ratios.ser << " %, SRD median "
              << Percentile(srd, 0.5) << " ms, 95th percentile " << Percentile(srd, 0.95)
              << " ms, MOS " << std::setprecision(2) << (mosCount ? mosSum / mosCount : 0.0) << "\n"
              << "  failed calls: " << world.explainedFailures
              << " caused by the scenario (busy, withdrawn or unregistered callee, loss), "
              << world.unexplained.size() << " unexplained\n"
              << "  INVITEs refused by a phone for its address's former owner (404): "
              << world.wrongNumber << "\n";
    for (const auto& u : world.unexplained)
    {
        std::cout << "    unexplained: " << u << "\n";
    }
    status = world.unexplained.empty() ? status : 1;
    if (nat)
    {
        for (uint32_t c = 0; c < complexes; ++c)
        {
            Ptr<NatTrafficControlLayer> n = natLayers[c];
            std::cout << "  NAT " << c << " (" << natMode << "): ";
            if (Ptr<CallNatBinder> binder = voip.GetCallNatBinder(c))
            {
                // Mappings the gatekeeper asked for by PCP, per call.
                Ptr<PcpServerApplication> server = voip.GetPcpServer(c);
                const uint64_t granted = binder->GetGrantedCount();
                const uint64_t released = binder->GetReleasedCount();
                const uint64_t active = binder->GetActiveMappingCount();
                std::cout << granted << " mappings granted, " << released << " released, peak "
                          << binder->GetPeakMappingCount() << " at once, " << active
                          << " in use at the end; PCP " << server->GetSuccessCount()
                          << " answered, " << server->GetRefusedCount() << " refused ("
                          << server->GetRefusedCount(PcpHeader::NO_RESOURCES) << " no resources), "
                          << binder->GetFailedMessageCount()
                          << " messages answered 503 for want of a mapping";
                // Every mapping granted is released or belongs to a call still going.
                if (granted != released + active || (binder->GetCallCount() == 0 && active > 0))
                {
                    std::cout << " -- MAPPINGS UNACCOUNTED FOR";
                    status = 1;
                }
            }
            else
            {
                std::cout << n->GetTable().GetStaticRules().size()
                          << " static 1:1 rules (granted at set-up, never released), "
                          << n->GetTable().GetNMappings() << " dynamic mappings at the end";
            }
            std::cout << "; " << n->GetTranslatedCount() << " packets translated, "
                      << n->GetDropCount() << " dropped";
            const char* sep = " (";
            for (auto reason : {NatDropReason::EXHAUSTED,
                                NatDropReason::UNSOLICITED,
                                NatDropReason::FILTERED,
                                NatDropReason::UNSUPPORTED,
                                NatDropReason::MALFORMED,
                                NatDropReason::FRAGMENT,
                                NatDropReason::ICMP_ERROR,
                                NatDropReason::HAIRPIN_OFF})
            {
                if (n->GetDropCount(reason) > 0)
                {
                    std::cout << sep << ToString(reason) << " " << n->GetDropCount(reason);
                    sep = ", ";
                }
            }
            std::cout << (n->GetDropCount() > 0 ? ")\n" : "\n");
        }
        if (world.leaks == 0)
        {
            std::cout << "  no private address left the complex: " << world.wanPackets
                      << " WAN packets and " << world.wanSdp << " SIP messages with SDP checked\n";
        }
        else
        {
            std::cout << "  PRIVATE ADDRESS LEAKED: " << world.leaks << " times on the WAN, first "
                      << world.firstLeak << "\n";
            status = 1;
        }
    }
    else
    {
        std::cout << "  no-private check: not applicable, --nat=none routes private addresses "
                     "by design\n";
    }
    if (homeNat)
    {
        uint64_t translated = 0;
        uint64_t granted = 0;
        uint64_t inUse = 0;
        for (uint32_t c = 0; c < complexes; ++c)
        {
            NodeContainer gateways = topology->GetAllGateways(c);
            for (uint32_t i = 0; i < gateways.GetN(); ++i)
            {
                translated += NatHelper::GetNat(gateways.Get(i))->GetTranslatedCount();
                Ptr<CallNatBinder> binder = voip.GetGateway(gateways.Get(i))->GetCallNatBinder();
                granted += binder->GetGrantedCount();
                inUse += binder->GetActiveMappingCount();
            }
        }
        std::cout << "  home NATs: every flat " << topology->GetHomeNetwork().ToString() << ", "
                  << translated << " packets translated, " << granted << " PCP mappings granted, "
                  << inUse << " in use at the end\n";
        if (dynamic)
        {
            // The outside addresses are the ones the manager conserves (see the invariant).
            uint32_t holding = 0;
            for (uint32_t c = 0; c < complexes; ++c)
            {
                for (uint32_t b = 0; b < buildings; ++b)
                {
                    for (uint32_t f = 0; f < flats; ++f)
                    {
                        holding +=
                            topology->GetGatewayOutsideAddress(b, f, c) != Ipv4Address::GetAny();
                    }
                }
            }
            std::cout << "  home NATs: " << holding << " gateways hold an outside address from "
                      << "their block at the end\n";
        }
    }
    if (!csv.empty() && csv != "none")
    {
        std::ofstream out(csv);
        voip.WriteCsv(out);
        if (!out)
        {
            std::cerr << "error: cannot write " << csv << "\n";
            return 2;
        }
        std::cout << "CSV: " << csv << "\n";
    }
    std::cout << "result: " << (status == 0 ? "ok" : "FAILED") << "\n";
    Simulator::Destroy();
    return status;
}
