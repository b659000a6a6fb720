/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Real VoIP software against a simulated complex, in real time. The complex (terminals,
 * home gateways, gatekeeper, NAT router) and the outside network (ISP router, outside
 * gatekeeper, remote phones) are simulated; the ISP router gets one more interface, an
 * FdNetDevice on a Linux tap device that this program opens itself, so programs on the
 * Linux side of the tap (sipp, Kamailio, baresip) exchange real SIP, SDP and RTP with the
 * simulated nodes. Run it inside a network namespace: tools/emulation/ does that, creates
 * and configures the tap there and removes everything afterwards.
 *
 * Numbers of the far prefix (--farPrefix, default 300) are routed by the outside gatekeeper
 * to the Linux side (--peer, --farPort: a sipp UAS). With --proxy, the complex's gatekeeper
 * sends every outside call (prefixes 200 and 300) to that proxy (Kamailio) instead of the
 * simulated outside gatekeeper. The program runs under ns-3's RealtimeSimulatorImpl in
 * HardLimit mode: if the simulation falls behind the wall clock by more than --hardLimit it
 * aborts instead of silently running slow.
 *
 * The Linux side authenticates like any phone (RFC 3261 §22): the outside gatekeeper
 * challenges REGISTER (401), with --authenticateInvite also INVITE (407), with the digest
 * algorithm --outsideDigest (MD5 by default: sipp 3.6 answers MD5 challenges only). The
 * program prints a number of the outside network for the Linux side and the password the
 * outside gatekeeper (and VoipHelper, for its own phones) derives for it.
 *
 * At the end it checks the calls that crossed the tap: --expectIncoming calls from the
 * Linux side answered by a simulated phone that received RTP (for a household number, the
 * other terminals of the flat cancelled), and --dialOut calls simulated terminals placed
 * to the far prefix answered with RTP received back; exit 1 if fewer.
 *
 *   ip netns exec NS apartment-emulation --tap=emu0 --nat=napt --dialOut=2 --expectIncoming=2
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/attribute-file.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/crypto.h"
#include "ns3/fd-net-device-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <iomanip>
#include <iostream>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

NS_LOG_COMPONENT_DEFINE("ApartmentVoipEmulationExample");

namespace
{

/**
 * Opens (attaches to, or creates) the tap device \p name without packet information, as
 * FdNetDevice's DIX mode expects. Debian's ns-3 cannot run its tap-creator helper (its
 * path is the one of Debian's build machine), so the program opens the device itself.
 * \return the file descriptor, or -1 with \p error set
 */
int
OpenTap(const std::string& name, std::string* error)
{
    if (name.empty() || name.size() >= IFNAMSIZ)
    {
        *error =
            "--tap '" + name + "' must be 1 to " + std::to_string(IFNAMSIZ - 1) + " characters";
        return -1;
    }
    int fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0)
    {
        *error = std::string("cannot open /dev/net/tun: ") + std::strerror(errno);
        return -1;
    }
    struct ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
    {
        *error = "cannot attach to tap device '" + name + "': " + std::strerror(errno) +
                 " (needs CAP_NET_ADMIN, or a tap created beforehand with 'ip tuntap add dev " +
                 name + " mode tap')";
        close(fd);
        return -1;
    }
    return fd;
}

/// \return true if \p text is a dotted-quad IPv4 address
bool
IsIpv4(const std::string& text)
{
    struct in_addr a;
    return inet_pton(AF_INET, text.c_str(), &a) == 1;
}

/// Parses "a.b.c.d:port" (the port may be left out: \p defaultPort).
std::optional<std::pair<Ipv4Address, uint16_t>>
ParseEndpoint(const std::string& text, uint16_t defaultPort)
{
    std::string host = text;
    uint32_t port = defaultPort;
    auto colon = text.find(':');
    if (colon != std::string::npos)
    {
        host = text.substr(0, colon);
        std::string p = text.substr(colon + 1);
        if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
        {
            return std::nullopt;
        }
        port = std::stoul(p);
    }
    if (port == 0 || port > 65535 || !IsIpv4(host))
    {
        return std::nullopt;
    }
    return std::make_pair(Ipv4Address(host.c_str()), static_cast<uint16_t>(port));
}

/// How far the simulation runs behind the wall clock, sampled by an event every period.
class LagProbe
{
  public:
    explicit LagProbe(Time period)
        : m_period(period)
    {
    }

    void Start()
    {
        m_wallStart = std::chrono::steady_clock::now();
        m_simStart = Simulator::Now();
        Simulator::Schedule(m_period, &LagProbe::Sample, this);
    }

    Time GetMax() const
    {
        return m_max;
    }

    uint64_t GetSamples() const
    {
        return m_samples;
    }

  private:
    void Sample()
    {
        auto wall = std::chrono::steady_clock::now() - m_wallStart;
        Time lag = NanoSeconds(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()) -
                   (Simulator::Now() - m_simStart);
        m_max = std::max(m_max, lag);
        ++m_samples;
        Simulator::Schedule(m_period, &LagProbe::Sample, this);
    }

    Time m_period;
    std::chrono::steady_clock::time_point m_wallStart;
    Time m_simStart;
    Time m_max;
    uint64_t m_samples{0};
};

/// The number of the far side a simulated terminal dials: prefix, then digits to 12.
std::string
FarNumber(const std::string& prefix, uint32_t index)
{
    std::string tail = std::to_string(index + 1);
    std::string digits = prefix + std::string(12 - prefix.size() - tail.size(), '0') + tail;
    return digits;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string tap = "emu0";
    std::string tapAddressText = "198.18.0.1";
    uint32_t tapPrefixLength = 24;
    std::string peerText = "198.18.0.2";
    std::string farPrefix = "300";
    uint32_t farPort = 5061;
    std::string proxyText;
    uint32_t buildings = 1;
    uint32_t flats = 2;
    uint32_t terminals = 3;
    std::string natText = "none";
    uint32_t poolSize = 8;
    std::string durationText = "30s";
    uint32_t dialOut = 0;
    uint32_t dialRemote = 0;
    std::string dialOutStartText = "5s";
    std::string dialOutIntervalText = "3s";
    std::string holdingText = "4s";
    uint32_t expectIncoming = 0;
    double callRate = 0;
    std::string callHoldingText = "30s";
    std::string hardLimitText = "100ms";
    std::string ringTime = "ns3::UniformRandomVariable[Min=0.3|Max=2.0]";
    std::string outsideDigest = "MD5";
    bool authenticateInvite = false;

    CommandLine cmd(__FILE__);
    cmd.Usage("A simulated complex in real time, its outside network joined to a Linux tap "
              "device, for real SIP software (run it in a network namespace; see "
              "tools/emulation/).");
    cmd.AddValue("tap", "Linux tap device to open (created if missing)", tap);
    cmd.AddValue("tapAddress", "the ISP router's address on the tap", tapAddressText);
    cmd.AddValue("tapPrefixLength", "prefix length of the tap network (8-30)", tapPrefixLength);
    cmd.AddValue("peer", "the Linux side's address on the tap (the far phones)", peerText);
    cmd.AddValue("farPrefix", "number prefix routed to the Linux side (1-6 digits)", farPrefix);
    cmd.AddValue("farPort", "SIP port of the far phone (sipp UAS) on the Linux side", farPort);
    cmd.AddValue("proxy",
                 "address[:port] of an outside SIP proxy on the Linux side (Kamailio): the "
                 "complex's gatekeeper routes the outside and far prefixes to it instead of the "
                 "simulated outside gatekeeper; empty: none",
                 proxyText);
    cmd.AddValue("buildings", "number of buildings", buildings);
    cmd.AddValue("flats", "flats per building", flats);
    cmd.AddValue("terminals", "terminals per flat (1-9)", terminals);
    cmd.AddValue("nat", "none (routed edge), static, pool or napt", natText);
    cmd.AddValue("poolSize", "--nat=pool: public addresses in the pool (1-150)", poolSize);
    cmd.AddValue("duration", "run time, simulated and wall clock (e.g. 30s)", durationText);
    cmd.AddValue("dialOut", "calls simulated terminals place to the far prefix", dialOut);
    cmd.AddValue("dialRemote",
                 "calls simulated terminals place to a simulated remote phone (through --proxy "
                 "when set), beside the --dialOut ones",
                 dialRemote);
    cmd.AddValue("dialOutStart", "when the first of them is placed", dialOutStartText);
    cmd.AddValue("dialOutInterval", "time between them", dialOutIntervalText);
    cmd.AddValue("holding", "how long the terminal holds each of them", holdingText);
    cmd.AddValue("expectIncoming",
                 "calls from the Linux side that must be answered with RTP received",
                 expectIncoming);
    cmd.AddValue("callRate",
                 "Poisson calls per terminal per hour among the simulated phones (load)",
                 callRate);
    cmd.AddValue("callHolding", "mean holding time of those calls", callHoldingText);
    cmd.AddValue("hardLimit",
                 "abort when the simulation lags the wall clock by more than this (0: never, "
                 "BestEffort: measure how far behind it falls)",
                 hardLimitText);
    cmd.AddValue("ringTime",
                 "seconds a simulated phone rings before it answers (a random variable)",
                 ringTime);
    cmd.AddValue("outsideDigest",
                 "digest algorithm of the outside gatekeeper's challenges: MD5 (sipp 3.6 "
                 "answers no other) or SHA-256",
                 outsideDigest);
    cmd.AddValue("authenticateInvite",
                 "the outside gatekeeper challenges INVITE from phones (407), the Linux side's "
                 "too",
                 authenticateInvite);
    cmd.Parse(argc, argv);
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
    if (natMode == CallNatMode::POOL && (poolSize < 1 || poolSize > 150))
    {
        std::cerr << "error: --poolSize " << poolSize << " must be 1 to 150\n";
        return 2;
    }
    std::map<std::string, Time> times;
    for (const auto& [name, text] : {std::make_pair("duration", durationText),
                                     std::make_pair("dialOutStart", dialOutStartText),
                                     std::make_pair("dialOutInterval", dialOutIntervalText),
                                     std::make_pair("holding", holdingText),
                                     std::make_pair("callHolding", callHoldingText),
                                     std::make_pair("hardLimit", hardLimitText)})
    {
        std::string error;
        // ParseTime refuses 0; a start time and the hard limit may be 0.
        bool zeroOk = std::string(name) == "dialOutStart" || std::string(name) == "hardLimit";
        auto t = zeroOk && (text == "0" || text == "0s") ? std::optional<Time>(Seconds(0))
                                                         : ParseTime(text, &error);
        if (!t || t->IsStrictlyNegative() || (t->IsZero() && !zeroOk))
        {
            std::cerr << "error: --" << name << ": " << (t ? "must be positive" : error) << "\n";
            return 2;
        }
        times[name] = *t;
    }
    if (times["duration"] > Seconds(3600))
    {
        std::cerr << "error: --duration must be at most 3600s (every run ends by itself)\n";
        return 2;
    }
    if (!IsIpv4(tapAddressText) || !IsIpv4(peerText) || tapPrefixLength < 8 || tapPrefixLength > 30)
    {
        std::cerr << "error: --tapAddress and --peer must be IPv4 addresses and "
                     "--tapPrefixLength 8 to 30\n";
        return 2;
    }
    Ipv4Address tapAddress(tapAddressText.c_str());
    Ipv4Address peer(peerText.c_str());
    Ipv4Mask tapMask(("/" + std::to_string(tapPrefixLength)).c_str());
    if (tapAddress.CombineMask(tapMask) != peer.CombineMask(tapMask) || tapAddress == peer)
    {
        std::cerr << "error: --peer " << peer << " must be another address of "
                  << tapAddress.CombineMask(tapMask) << "/" << tapPrefixLength << "\n";
        return 2;
    }
    if (farPrefix.empty() || farPrefix.size() > 6 ||
        farPrefix.find_first_not_of("0123456789") != std::string::npos || farPort == 0 ||
        farPort > 65535)
    {
        std::cerr << "error: --farPrefix must be 1 to 6 digits and --farPort 1 to 65535\n";
        return 2;
    }
    std::optional<std::pair<Ipv4Address, uint16_t>> proxy;
    if (!proxyText.empty())
    {
        proxy = ParseEndpoint(proxyText, SipHeader::PORT);
        if (!proxy)
        {
            std::cerr << "error: --proxy '" << proxyText << "' is not address[:port]\n";
            return 2;
        }
    }
    if (outsideDigest != "MD5" && outsideDigest != "SHA-256")
    {
        std::cerr << "error: --outsideDigest must be MD5 or SHA-256, not '" << outsideDigest
                  << "'\n";
        return 2;
    }
    if (authenticateInvite && !CryptoAvailable())
    {
        std::cerr << "error: --authenticateInvite: built without OpenSSL's libcrypto, no "
                     "authentication\n";
        return 2;
    }
    if (callRate < 0 || callRate > 3600 || dialOut > 1000 || dialRemote > 1000 ||
        expectIncoming > 100000)
    {
        std::cerr
            << "error: --callRate must be 0 to 3600, --dialOut and --dialRemote at most 1000\n";
        return 2;
    }

    // Real time, loudly: HardLimit aborts when the simulation cannot keep up. Checksums
    // on: Linux drops IPv4 packets whose checksum is the 0 ns-3 writes without them.
    GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
    // --hardLimit=0: BestEffort, to measure how far behind a too big run falls (CPU time).
    const bool hard = !times["hardLimit"].IsZero();
    Config::SetDefault("ns3::RealtimeSimulatorImpl::SynchronizationMode",
                       StringValue(hard ? "HardLimit" : "BestEffort"));
    if (hard)
    {
        Config::SetDefault("ns3::RealtimeSimulatorImpl::HardLimit", TimeValue(times["hardLimit"]));
    }
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    std::string tapError;
    int fd = OpenTap(tap, &tapError);
    if (fd < 0)
    {
        std::cerr << "error: " << tapError << "\n";
        return 3;
    }

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(buildings));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
    topology->SetAttribute("RemotePhones", UintegerValue(2));
    if (natMode)
    {
        topology->SetAttribute("EdgeMode", StringValue("Nat"));
    }
    std::string error = topology->Validate();
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
    if (natMode)
    {
        natHelper.Prepare(topology);
    }
    topology->Build();
    if (natMode == CallNatMode::POOL)
    {
        std::vector<Ipv4Address> pool;
        for (uint32_t i = 0; i < poolSize; ++i)
        {
            pool.push_back(topology->GetAddressPlan().GetPublic().GetAddress(100 + i));
        }
        natHelper.SetPublicAddresses(pool);
    }
    Ptr<NatTrafficControlLayer> natLayer = natMode ? natHelper.Install(topology) : nullptr;

    // The ISP router's interface to Linux.
    Ptr<Node> isp = topology->GetIspRouter();
    FdNetDeviceHelper fdHelper;
    Ptr<FdNetDevice> device = DynamicCast<FdNetDevice>(fdHelper.Install(isp).Get(0));
    device->SetFileDescriptor(fd);
    Ptr<Ipv4> ipv4 = isp->GetObject<Ipv4>();
    uint32_t ifIndex = ipv4->AddInterface(device);
    ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(tapAddress, tapMask));
    ipv4->SetUp(ifIndex);

    VoipHelper voip;
    voip.SetTerminalAttribute("RingTime", StringValue(ringTime));
    if (callRate > 0)
    {
        voip.SetTerminalAttribute("HoldingTime",
                                  StringValue("ns3::ExponentialRandomVariable[Mean=" +
                                              std::to_string(times["callHolding"].GetSeconds()) +
                                              "]"));
        voip.SetTrafficModel(callRate, true);
    }
    voip.Install(topology);
    if (natMode)
    {
        error = voip.UseNat(topology, natLayer, 0, *natMode);
        if (!error.empty())
        {
            std::cerr << "error: --nat: " << error << "\n";
            return 2;
        }
    }
    // One chain of random streams: phones, proxies and PCP binders, the topology, the NAT.
    SceneStreams streams(1);
    streams.Assign(voip);
    streams.Assign(topology);
    streams.Assign(natHelper);
    Ptr<Gatekeeper> gatekeeper = voip.GetGatekeeper();
    Ipv4AddressValue gkPublic;
    gatekeeper->GetAttribute("PublicAddress", gkPublic);
    Ipv4Address gkOutside =
        gkPublic.Get() == Ipv4Address::GetAny()
            ? ApartmentTopologyHelper::GetPrimaryAddress(topology->GetGatekeeper())
            : gkPublic.Get();
    // The far prefix: the outside gatekeeper routes it to Linux; the complex sends it (and
    // with --proxy every outside prefix) to the outside gatekeeper or the proxy.
    Ptr<Gatekeeper> outsideGk = voip.GetOutsideGatekeeper();
    outsideGk->AddRoute(farPrefix, peer, farPort);
    outsideGk->SetAttribute("DigestAlgorithm", StringValue(outsideDigest));
    outsideGk->SetAttribute("AuthenticateInvite", BooleanValue(authenticateInvite));
    // The Linux side's number: the outside network's, beside the simulated remote phones.
    const std::string linuxNumber =
        PhoneNumber(topology->GetOutsideNumberingPlan().GetPrefix(), 1, 99, 1).ToDigits();
    const std::string outsidePrefix = topology->GetOutsideNumberingPlan().GetPrefix();
    if (proxy)
    {
        gatekeeper->AddRoute(outsidePrefix, proxy->first, proxy->second);
        gatekeeper->AddRoute(farPrefix, proxy->first, proxy->second);
    }
    else
    {
        gatekeeper->AddRoute(farPrefix, topology->GetOutsideGatekeeperAddress());
    }

    // Outgoing calls to the Linux side, round robin over the terminals.
    std::vector<Ptr<SipTerminal>> inside;
    for (const auto& t : voip.GetAllTerminals())
    {
        if (topology->GetRole(t->GetNode()) == NodeRole::TERMINAL)
        {
            inside.push_back(t);
        }
    }
    uint32_t notPlaced = 0;
    // Two simulated remote phones take the --dialRemote calls in turn.
    const std::set<std::string> remoteNumbers{topology->GetRemotePhoneNumber(0).ToDigits(),
                                              topology->GetRemotePhoneNumber(1).ToDigits()};
    for (uint32_t i = 0; i < dialOut + dialRemote; ++i)
    {
        // One call every dialOutInterval, far calls first, from the terminals of the other
        // flats (the first flat's phones take the calls from Linux), last terminal first.
        const std::size_t others = inside.size() > terminals ? inside.size() - terminals : 0;
        Ptr<SipTerminal> caller = others > 0 ? inside[inside.size() - 1 - i % others]
                                             : inside[inside.size() - 1 - i % inside.size()];
        std::string number = i < dialOut
                                 ? FarNumber(farPrefix, i)
                                 : topology->GetRemotePhoneNumber((i - dialOut) % 2).ToDigits();
        Time holding = times["holding"];
        ScheduleFunction(times["dialOutStart"] + times["dialOutInterval"] * i,
                         [caller, number, holding, &notPlaced]() {
                             if (!caller->Dial(number, holding))
                             {
                                 ++notPlaced;
                             }
                         });
    }

    std::cout << std::fixed << std::setprecision(3);
    std::cout << "emulation: tap " << tap << " " << tapAddress << "/" << tapPrefixLength
              << " (ISP router), Linux side " << peer << "\n"
              << "emulation: complex " << buildings << " x " << flats << " flats x " << terminals
              << " terminals, NAT " << natText << ", real time ("
              << (hard ? "HardLimit " + std::to_string(times["hardLimit"].GetMilliSeconds()) + " ms"
                       : std::string("BestEffort"))
              << "), checksums on\n"
              << "outside-gatekeeper " << topology->GetOutsideGatekeeperAddress() << ":"
              << SipHeader::PORT << "\n"
              << "complex-gatekeeper " << gkOutside << ":" << SipHeader::PORT << "\n"
              << "household-number " << topology->GetHouseholdNumber(0, 0).ToDigits() << "\n"
              << "terminal-number " << topology->GetTerminalNumber(0, 0, 1).ToDigits() << "\n"
              << "remote-number " << topology->GetRemotePhoneNumber(0).ToDigits() << "\n"
              << "far-number " << FarNumber(farPrefix, 0) << "\n"
              << "linux-number " << linuxNumber << "\n"
              << "linux-password "
              << (CryptoAvailable() ? outsideGk->GetPassword(linuxNumber) : "-") << "\n"
              << "outside-digest " << (CryptoAvailable() ? outsideDigest : "-") << "\n"
              << "ready" << std::endl;

    LagProbe lag(MilliSeconds(50));
    Simulator::ScheduleNow(&LagProbe::Start, &lag);
    auto cpuStart = std::clock();
    Simulator::Stop(times["duration"]);
    Simulator::Run();
    double cpu = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;

    // Calls across the tap. Incoming: a simulated callee record whose call no simulated
    // phone placed. Outgoing: simulated caller records to the far prefix.
    const auto& records = voip.GetRecords();
    std::set<std::string> placedInside;
    for (const auto& r : records)
    {
        if (r.originating)
        {
            placedInside.insert(r.callId);
        }
    }

    struct Incoming
    {
        std::string callee;
        bool answered{false};
        bool rtp{false};
        uint32_t cancelled{0};
    };

    std::map<std::string, Incoming> incoming;
    uint32_t outAnswered = 0;
    uint32_t outWithRtp = 0;
    uint32_t outCalls = 0;
    uint32_t internalCalls = 0;
    uint32_t internalAnswered = 0;
    uint32_t remoteCalls = 0;
    uint32_t remoteWithRtp = 0;
    for (const auto& r : records)
    {
        if (!r.originating && !placedInside.count(r.callId))
        {
            Incoming& in = incoming[r.callId];
            in.cancelled += r.finalCode == 487;
            if (r.finalCode == 200)
            {
                in.answered = true;
                in.callee = r.localNumber;
                in.rtp = in.rtp || r.media.received > 0;
            }
            std::cout << "in   " << r.callId << " " << r.remoteNumber << " -> " << r.localNumber
                      << ": " << r.finalCode << ", RTP sent " << r.media.sent << " received "
                      << r.media.received << " (+" << r.media.otherSource
                      << " of a second source), loss " << r.media.GetLossPercent() << " %\n";
        }
        else if (r.originating && SipDigits(r.remoteNumber).rfind(farPrefix, 0) == 0)
        {
            ++outCalls;
            outAnswered += r.finalCode == 200;
            outWithRtp += r.finalCode == 200 && r.media.received > 0;
            std::cout << "out  " << r.localNumber << " -> " << r.remoteNumber << ": " << r.finalCode
                      << ", RTP sent " << r.media.sent << " received " << r.media.received << "\n";
        }
        else if (r.originating)
        {
            ++internalCalls;
            internalAnswered += r.finalCode == 200;
            bool toRemote = remoteNumbers.count(SipDigits(r.remoteNumber)) &&
                            topology->GetRole(NodeList::GetNode(r.localNode)) == NodeRole::TERMINAL;
            remoteCalls += toRemote;
            remoteWithRtp += toRemote && r.finalCode == 200 && r.media.received > 0;
            if (toRemote)
            {
                std::cout << "rem  " << r.localNumber << " -> " << r.remoteNumber << ": "
                          << r.finalCode << ", RTP sent " << r.media.sent << " received "
                          << r.media.received << "\n";
            }
        }
    }
    uint32_t inAnswered = 0;
    uint32_t inWithRtp = 0;
    uint32_t inCancelled = 0;
    for (const auto& [id, in] : incoming)
    {
        inAnswered += in.answered;
        inWithRtp += in.answered && in.rtp;
        inCancelled += in.cancelled;
    }
    uint64_t malformed = 0;
    for (const auto& t : voip.GetAllTerminals())
    {
        malformed += t->GetMalformedCount();
    }
    std::cout << "summary\n"
              << "  incoming calls from Linux: " << incoming.size() << ", answered " << inAnswered
              << ", with RTP received " << inWithRtp << ", other ringing phones cancelled "
              << inCancelled << "\n"
              << "  calls to the far prefix: " << dialOut << " dialled (" << notPlaced
              << " not placed), " << outCalls << " ended, answered " << outAnswered
              << ", with RTP received " << outWithRtp << "\n"
              << "  calls to a simulated remote phone" << (proxy ? " through the proxy" : "")
              << ": " << dialRemote << " dialled, " << remoteCalls << " ended, with RTP received "
              << remoteWithRtp << "\n"
              << "  calls among simulated phones (all): " << internalCalls << " ended, answered "
              << internalAnswered << "\n"
              << "  malformed SIP dropped by the terminals: " << malformed << "\n"
              << "  real time: largest lag " << lag.GetMax().As(Time::MS) << " over "
              << lag.GetSamples() << " samples, CPU " << cpu << " s for "
              << times["duration"].GetSeconds() << " s\n";
    std::cout << "  outside gatekeeper: " << outsideGk->GetChallengeCount() << " challenges, "
              << outsideGk->GetAuthFailureCount() << " requests refused for their credentials\n";
    if (natLayer)
    {
        std::cout << "  NAT: " << natLayer->GetTranslatedCount() << " packets translated, "
                  << natLayer->GetDropCount() << " dropped\n";
    }
    bool ok = inWithRtp >= expectIncoming && outWithRtp >= dialOut && remoteWithRtp >= dialRemote;
    std::cout << "result: " << (ok ? "ok" : "FAILED") << std::endl;
    Simulator::Destroy();
    return ok ? 0 : 1;
}
