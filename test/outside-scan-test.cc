/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// An outside scan: from a host on the WAN, UDP probes to every public address of the complex
// and a sample of ports, in each NAT mode, while calls are up. A probe delivered to an inside
// node that no mapping and no static rule exposes is a hole in the NAT.

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// Source port of every probe, so that deliveries can be told from the calls' traffic.
constexpr uint16_t PROBE_PORT = 33333;
/// First bytes of a probe's payload; the probed address and port follow.
constexpr uint32_t PROBE_MAGIC = 0x5343414e; // "SCAN"
/// Sampled ports per public address the NAT answers for, besides the ports in use.
constexpr uint32_t SAMPLE_PORTS = 2048;
/// Sampled ports per other address of the complex's public /24 (no NAT address, no rule):
/// the WAN link routes them to the NAT router, which sends them back, a loop that only the
/// TTL ends, so each costs several hops (see PROBE_TTL).
constexpr uint32_t SAMPLE_PORTS_UNUSED = 32;
/// The probes' TTL: enough for the deepest inside node (ISP router, NAT router, core,
/// building router, home gateway, terminal), short enough to end the loop soon. The
/// positive control shows terminals are reached.
constexpr uint8_t PROBE_TTL = 8;
/// Ports every scanner tries (SIP, PCP, KEEP, seed 003, STUN, DHCP, the block protocol).
const std::vector<uint16_t> WELL_KNOWN{5060, 5351, 1023, 7070, 7072, 3478, 67, 68, 6767};

/// A probe as an inside node received it.
struct Delivery
{
    Ptr<Node> node;
    Ipv4Address insideAddress; //!< destination after translation
    uint16_t insidePort{0};
    Ipv4Address probedAddress; //!< what the scanner sent to
    uint16_t probedPort{0};
};

class OutsideScanTest : public ::testing::TestWithParam<CallNatMode>
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        m_topo = CreateObject<ApartmentTopologyHelper>();
        m_topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
        m_topo->SetAttribute("TerminalsPerFlat", UintegerValue(3));
        m_topo->SetAttribute("RemotePhones", UintegerValue(2));
        m_topo->SetAttribute("EdgeMode", StringValue("Nat"));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    /// Builds the complex with its NAT in \p mode and the call side.
    void Build(CallNatMode mode)
    {
        if (mode == CallNatMode::POOL)
        {
            m_natHelper.SetAttribute("Mode", EnumValue(static_cast<int>(NatMode::POOL)));
        }
        m_natHelper.Prepare(m_topo);
        m_topo->Build();
        if (mode == CallNatMode::POOL)
        {
            std::vector<Ipv4Address> pool;
            for (uint32_t i = 0; i < 4; ++i)
            {
                pool.push_back(m_topo->GetAddressPlan().GetPublic().GetAddress(100 + i));
            }
            m_natHelper.SetPublicAddresses(pool);
        }
        m_nat = m_natHelper.Install(m_topo);
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        ASSERT_EQ(m_voip.UseNat(m_topo, m_nat, 0, mode), "");
        if (m_voip.GetCallNatBinder())
        {
            m_voip.GetCallNatBinder()->AssignStreams(500);
        }
        m_scanner = m_topo->GetOutsideGatekeeper();
        m_scannerAddress = ApartmentTopologyHelper::GetPrimaryAddress(m_scanner);
        std::set<Ptr<Node>> outside{m_topo->GetIspRouter(), m_scanner, m_topo->GetNatRouter()};
        for (uint32_t i = 0; i < m_topo->GetRemotePhones().GetN(); ++i)
        {
            outside.insert(m_topo->GetRemotePhones().Get(i));
        }
        NodeContainer all = m_topo->GetAllNodes();
        for (uint32_t i = 0; i < all.GetN(); ++i)
        {
            Ptr<Ipv4L3Protocol> ip = all.Get(i)->GetObject<Ipv4L3Protocol>();
            if (!outside.count(all.Get(i)) && ip) // (a node without IP is a switch)
            {
                // A raw pointer: a Ptr bound into the node's own trace would be a reference
                // cycle, and the whole node would leak (LeakSanitizer in CI).
                ip->TraceConnectWithoutContext("LocalDeliver",
                                               MakeBoundCallback(&OutsideScanTest::OnLocalDeliver,
                                                                 this,
                                                                 PeekPointer(all.Get(i))));
                ++m_insideNodes;
            }
        }
        for (Ptr<Node> router : {m_topo->GetIspRouter(), m_topo->GetNatRouter()})
        {
            router->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
                "Drop",
                MakeBoundCallback(
                    +[](uint64_t* n,
                        const Ipv4Header&,
                        Ptr<const Packet>,
                        Ipv4L3Protocol::DropReason reason,
                        Ptr<Ipv4>,
                        uint32_t) {
                        if (reason == Ipv4L3Protocol::DROP_TTL_EXPIRED)
                        {
                            ++*n;
                        }
                    },
                    &m_ttlExpired));
        }
        m_topo->GetNatRouterWanDevice()->TraceConnectWithoutContext(
            "PromiscSniffer",
            MakeBoundCallback(&OutsideScanTest::OnWan, this));
    }

    static void OnLocalDeliver(OutsideScanTest* self,
                               Node* node,
                               const Ipv4Header& ip,
                               Ptr<const Packet> packet,
                               uint32_t)
    {
        if (ip.GetSource() != self->m_scannerAddress || ip.GetProtocol() != 17)
        {
            return;
        }
        Ptr<Packet> p = packet->Copy();
        UdpHeader udp;
        p->RemoveHeader(udp);
        uint8_t payload[10];
        if (udp.GetSourcePort() != PROBE_PORT || p->GetSize() != sizeof(payload))
        {
            return;
        }
        p->CopyData(payload, sizeof(payload));
        const uint32_t magic =
            (payload[0] << 24) | (payload[1] << 16) | (payload[2] << 8) | payload[3];
        if (magic != PROBE_MAGIC)
        {
            return;
        }
        Delivery d;
        d.node = node;
        d.insideAddress = ip.GetDestination();
        d.insidePort = udp.GetDestinationPort();
        d.probedAddress =
            Ipv4Address((payload[4] << 24) | (payload[5] << 16) | (payload[6] << 8) | payload[7]);
        d.probedPort = (payload[8] << 8) | payload[9];
        switch (self->ExposedBy(d))
        {
        case MAPPING:
            ++self->m_byMapping;
            break;
        case RULE:
            ++self->m_byRule;
            break;
        case NOTHING:
            self->m_holes.push_back(d);
            return;
        }
        self->m_reached.insert(Ptr<Node>(node));
    }

    /// Counts probes on the NAT's WAN device, and the ports the complex uses outside.
    static void OnWan(OutsideScanTest* self, Ptr<const Packet> frame)
    {
        Ptr<Packet> p = frame->Copy();
        PppHeader ppp;
        p->RemoveHeader(ppp);
        if (ppp.GetProtocol() != 0x0021)
        {
            return;
        }
        Ipv4Header ip;
        p->RemoveHeader(ip);
        if (ip.GetProtocol() != 17)
        {
            return;
        }
        UdpHeader udp;
        p->RemoveHeader(udp);
        if (ip.GetSource() == self->m_scannerAddress && udp.GetSourcePort() == PROBE_PORT &&
            ip.GetTtl() == PROBE_TTL - 1) // its first arrival (not a pass of the WAN loop)
        {
            ++self->m_probesAtNat;
        }
        else if (self->m_topo->GetAddressPlan().GetPublic().GetMask().IsMatch(
                     ip.GetSource(),
                     self->m_topo->GetAddressPlan().GetPublic().network))
        {
            self->m_portsInUse.insert(udp.GetSourcePort());
        }
    }

    /// What let a probe in.
    enum Exposure
    {
        NOTHING,
        MAPPING, //!< a mapping of the probed public endpoint to the endpoint reached
        RULE,    //!< a static 1:1 rule of the probed address to the node reached
    };

    /// \return what exposes the inside endpoint \p d reached under the address probed
    Exposure ExposedBy(const Delivery& d) const
    {
        const NatTable& table = m_nat->GetTable();
        for (const auto& [inside, outside] : table.GetStaticRules())
        {
            if (outside == d.probedAddress)
            {
                return inside == d.insideAddress && d.insidePort == d.probedPort &&
                               ApartmentTopologyHelper::GetPrimaryAddress(d.node) == inside
                           ? RULE
                           : NOTHING;
            }
        }
        auto m = table.FindByPublic(17, d.probedAddress, d.probedPort);
        return m && m->insideAddress == d.insideAddress && m->insidePort == d.insidePort &&
                       ApartmentTopologyHelper::GetPrimaryAddress(d.node) == m->insideAddress
                   ? MAPPING
                   : NOTHING;
    }

    /// Sends the probes, one per \p gap, from now on. \return how many
    uint64_t Scan(Time gap)
    {
        Ptr<Socket> s = Socket::CreateSocket(m_scanner, UdpSocketFactory::GetTypeId());
        EXPECT_EQ(s->Bind(InetSocketAddress(Ipv4Address::GetAny(), PROBE_PORT)), 0);
        s->SetIpTtl(PROBE_TTL);
        const NatTable& table = m_nat->GetTable();
        std::set<Ipv4Address> answered(table.GetConfig().publicAddresses.begin(),
                                       table.GetConfig().publicAddresses.end());
        answered.insert(m_topo->GetAddressPlan().GetNatRouterPublicAddress());
        for (const auto& rule : table.GetStaticRules())
        {
            answered.insert(rule.second);
        }
        m_answeredCount = answered.size();
        std::set<uint16_t> inUse(WELL_KNOWN.begin(), WELL_KNOWN.end());
        inUse.insert(m_portsInUse.begin(), m_portsInUse.end());
        for (const NatMapping& m : m_nat->GetTable().GetMappings())
        {
            inUse.insert(m.publicPort);
        }
        m_inUseCount = inUse.size();
        const Ipv4Prefix pub = m_topo->GetAddressPlan().GetPublic();
        // .1 is the NAT router, .254 the ISP router's end of the WAN link.
        for (uint32_t host = 1; host < 254; ++host)
        {
            const Ipv4Address to = pub.GetAddress(host);
            const uint32_t sample = answered.count(to) ? SAMPLE_PORTS : SAMPLE_PORTS_UNUSED;
            std::set<uint16_t> ports = inUse;
            for (uint32_t k = 0; ports.size() < inUse.size() + sample; ++k)
            {
                ports.insert(static_cast<uint16_t>(1 + (k * 31 + host * 7) % 65535));
            }
            for (uint16_t port : ports)
            {
                m_targets.emplace_back(to, port);
            }
        }
        SendProbe(s, 0, gap);
        return m_targets.size();
    }

    /// Sends probe \p next and schedules the one after it.
    void SendProbe(Ptr<Socket> s, std::size_t next, Time gap)
    {
        const auto& [to, port] = m_targets[next];
        const uint32_t a = to.Get();
        uint8_t payload[10] = {0x53,
                               0x43,
                               0x41,
                               0x4e,
                               uint8_t(a >> 24),
                               uint8_t(a >> 16),
                               uint8_t(a >> 8),
                               uint8_t(a),
                               uint8_t(port >> 8),
                               uint8_t(port)};
        s->SendTo(Create<Packet>(payload, sizeof(payload)), 0, InetSocketAddress(to, port));
        if (next + 1 < m_targets.size())
        {
            Simulator::Schedule(gap, &OutsideScanTest::SendProbe, this, s, next + 1, gap);
        }
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    NatHelper m_natHelper;
    Ptr<NatTrafficControlLayer> m_nat;
    VoipHelper m_voip;
    Ptr<Node> m_scanner;
    Ipv4Address m_scannerAddress;
    uint64_t m_ttlExpired{0};
    std::size_t m_answeredCount{0}; //!< public addresses the NAT answers for
    uint32_t m_insideNodes{0};      //!< nodes whose deliveries are counted
    std::set<uint16_t> m_portsInUse;
    std::size_t m_inUseCount{0};
    uint64_t m_probesAtNat{0};
    std::vector<std::pair<Ipv4Address, uint16_t>> m_targets;
    uint64_t m_byMapping{0};
    uint64_t m_byRule{0};
    std::set<Ptr<Node>> m_reached;
    std::vector<Delivery> m_holes;
};

TEST_P(OutsideScanTest, NothingInsideIsReachedThatNoMappingOrStaticRuleExposes)
{
    const CallNatMode mode = GetParam();
    Build(mode);
    // Calls both ways, up during the whole scan.
    ScheduleFunction(Seconds(2), [this]() {
        auto remote = m_voip.GetTerminal(m_topo->GetRemotePhones().Get(0));
        ASSERT_TRUE(remote->Dial("100-1101-1201-0", Seconds(10)));
        auto terminal = m_voip.GetTerminal(m_topo->GetTerminal(0, 0, 2));
        ASSERT_TRUE(terminal->Dial(m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(10)));
    });
    uint64_t sent = 0;
    std::size_t mappingsAtScan = 0;
    ScheduleFunction(Seconds(6), [&]() {
        mappingsAtScan = m_nat->GetTable().GetNMappings();
        sent = Scan(MicroSeconds(25)); // the WAN (100 Mb/s) carries the loop's passes too
    });
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200) << "the scan ran while calls were up";
    }
    if (mode != CallNatMode::STATIC)
    {
        EXPECT_GE(mappingsAtScan, 4u) << "the calls' media mappings were open during the scan";
    }
    EXPECT_GE(m_insideNodes, 1u + 2u + 6u) << "gatekeeper, gateways, terminals at least";
    EXPECT_GE(sent, m_answeredCount * SAMPLE_PORTS + (253 - m_answeredCount) * SAMPLE_PORTS_UNUSED);
    EXPECT_EQ(m_probesAtNat, sent) << "every probe reached the NAT (none lost on the way)";
    std::ostringstream holes;
    for (const auto& d : m_holes)
    {
        holes << " " << d.probedAddress << ":" << d.probedPort << "->" << d.insideAddress << ":"
              << d.insidePort;
    }
    EXPECT_EQ(m_holes.size(), 0u) << "delivered without a mapping or rule:" << holes.str();
    // Positive control: probes to an open mapping (POOL, NAPT: the calls' media) or a
    // static rule (the terminals in STATIC, the gatekeeper in all) are delivered, so the
    // counting above sees what the NAT lets in.
    EXPECT_GT(m_byRule, 0u);
    if (mode == CallNatMode::STATIC)
    {
        // The gatekeeper and every terminal (the deepest nodes: the TTL is enough).
        EXPECT_EQ(m_reached.size(), 1u + 6u);
    }
    else
    {
        EXPECT_GT(m_byMapping, 0u) << "a probe to an open mapping is delivered";
        EXPECT_GE(m_reached.size(), 2u) << "the gatekeeper and a terminal in a call";
    }
    RecordProperty("mode", ToString(mode));
    RecordProperty("probes", std::to_string(sent));
    RecordProperty("ports_in_use", std::to_string(m_inUseCount));
    RecordProperty("delivered_by_mapping", std::to_string(m_byMapping));
    RecordProperty("delivered_by_rule", std::to_string(m_byRule));
    RecordProperty("delivered_holes", std::to_string(m_holes.size()));
    std::cout << "scan " << ToString(mode) << ": " << sent << " probes (" << m_inUseCount
              << " ports in use + " << SAMPLE_PORTS << " sampled on each of " << m_answeredCount
              << " NAT addresses, + " << SAMPLE_PORTS_UNUSED
              << " on each other address of the /24; " << m_insideNodes
              << " inside nodes watched), " << m_probesAtNat
              << " at the NAT; delivered: " << m_byMapping << " through mappings, " << m_byRule
              << " through static rules (" << m_reached.size() << " nodes), " << m_holes.size()
              << " elsewhere; TTL expired " << m_ttlExpired << "\n";
}

INSTANTIATE_TEST_SUITE_P(EachNatMode,
                         OutsideScanTest,
                         ::testing::Values(CallNatMode::STATIC,
                                           CallNatMode::POOL,
                                           CallNatMode::NAPT),
                         [](const auto& info) { return ToString(info.param); });

} // namespace
