/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Double NAT (topology attribute HomeNat): every flat reuses one private /24 behind its
// home gateway's NAPT, the complex sits behind its own NAT; calls cross both levels.

#include "ns3/address-allocation-helper.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/schedule-function.h"
#include "ns3/sdp.h"
#include "ns3/voip-helper.h"

#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// What a sniffer saw on one side of a NAT level.
struct View
{
    Ipv4Prefix forbidden[3]; //!< addresses that must not appear (unused entries: length 32)
    uint64_t packets{0};
    uint64_t rtp{0};
    uint64_t sdp{0};
    std::vector<std::string> leaks; //!< "src -> dst" or "c=/o= address" of what was seen

    bool IsForbidden(Ipv4Address a) const
    {
        for (const auto& p : forbidden)
        {
            if (p.length < 32 && p.Contains(a))
            {
                return true;
            }
        }
        return false;
    }

    void Inspect(Ptr<Packet> p)
    {
        Ipv4Header ip;
        p->RemoveHeader(ip);
        if (p->GetSize() > ip.GetPayloadSize())
        {
            p->RemoveAtEnd(p->GetSize() - ip.GetPayloadSize()); // Ethernet padding and FCS
        }
        ++packets;
        if (IsForbidden(ip.GetSource()) || IsForbidden(ip.GetDestination()))
        {
            std::ostringstream os;
            os << ip.GetSource() << " -> " << ip.GetDestination();
            leaks.push_back(os.str());
        }
        if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || ip.GetFragmentOffset() != 0)
        {
            return;
        }
        UdpHeader udp;
        p->RemoveHeader(udp);
        if (udp.GetSourcePort() != 5060 && udp.GetDestinationPort() != 5060)
        {
            rtp += udp.GetSourcePort() != PcpHeader::PORT && udp.GetDestinationPort() != 5351;
            return;
        }
        std::string text(p->GetSize(), '\0');
        p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), text.size());
        auto body = text.find("\r\n\r\n");
        if (body == std::string::npos || text.find("v=0", body) == std::string::npos)
        {
            return;
        }
        auto sd = SessionDescription::Parse(text.substr(body + 4));
        if (!sd)
        {
            return;
        }
        ++sdp;
        for (const auto& a : {sd->connectionAddress, sd->originAddress})
        {
            if (IsForbidden(Ipv4Address(a.c_str())))
            {
                leaks.push_back("SDP " + a);
            }
        }
    }
};

void
SniffPpp(View* view, Ptr<const Packet> frame)
{
    Ptr<Packet> p = frame->Copy();
    PppHeader ppp;
    p->RemoveHeader(ppp);
    if (ppp.GetProtocol() == 0x0021)
    {
        view->Inspect(p);
    }
}

void
SniffCsma(View* view, Ptr<const Packet> frame)
{
    Ptr<Packet> p = frame->Copy();
    EthernetHeader eth(false);
    p->RemoveHeader(eth);
    if (eth.GetLengthType() == 0x0800)
    {
        view->Inspect(p);
    }
}

class DoubleNatCallTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        m_topo = CreateObject<ApartmentTopologyHelper>();
        m_topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
        m_topo->SetAttribute("TerminalsPerFlat", UintegerValue(3));
        m_topo->SetAttribute("RemotePhones", UintegerValue(2));
        m_topo->SetAttribute("EdgeMode", StringValue("Nat"));
        m_topo->SetAttribute("HomeNat", BooleanValue(true));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }

    /**
     * Builds with the complex's NAT in \p mode; \return UseNat's answer. \p dynamic: the
     * address manager hands out the gateways' outside addresses, the gateways serve the
     * home /24 by DHCP; terminal t of flat f switches on at 0.1 + 0.3 (3 f + t - 1) s.
     */
    std::string Build(CallNatMode mode, bool dynamic = false)
    {
        if (dynamic)
        {
            m_topo->SetAttribute("AddressMode", StringValue("Dynamic"));
        }
        if (mode == CallNatMode::POOL)
        {
            m_natHelper.SetAttribute("Mode", EnumValue(static_cast<int>(NatMode::POOL)));
        }
        m_natHelper.Prepare(m_topo);
        m_topo->Build();
        if (mode == CallNatMode::POOL)
        {
            const Ipv4Prefix pub = m_topo->GetAddressPlan().GetPublic();
            m_natHelper.SetPublicAddresses({pub.GetAddress(100), pub.GetAddress(101)});
        }
        m_nat = m_natHelper.Install(m_topo);
        if (dynamic)
        {
            m_alloc = std::make_unique<AddressAllocationHelper>(m_topo);
            m_alloc->InstallManager();
            m_alloc->InstallGateways();
        }
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        for (uint32_t f = 0; dynamic && f < 2; ++f)
        {
            for (uint32_t t = 1; t <= 3; ++t)
            {
                const Time on = Seconds(0.1 + 0.3 * (3 * f + t - 1));
                Ptr<TerminalDhcpClient> c = m_alloc->InstallClient(0, f, t);
                c->SetStartTime(on);
                Terminal(f, t)->SetStartTime(on);
                VoipHelper::ConnectDhcpClient(Terminal(f, t), c);
                m_clients[{f, t}] = c;
            }
        }
        if (dynamic)
        {
            m_alloc->AssignStreams(1000);
        }
        const Ipv4Prefix none{Ipv4Address("0.0.0.0"), 32};
        // WAN: nothing private at all (flat, building or core).
        m_wan.forbidden[0] = Ipv4Prefix{Ipv4Address("10.0.0.0"), 8};
        m_wan.forbidden[1] = Ipv4Prefix{Ipv4Address("172.16.0.0"), 12};
        m_wan.forbidden[2] = Ipv4Prefix{Ipv4Address("192.168.0.0"), 16};
        m_topo->GetNatRouterWanDevice()->TraceConnectWithoutContext(
            "PromiscSniffer",
            MakeBoundCallback(&SniffPpp, &m_wan));
        // Backbone (every gateway's upstream device): no flat-private address.
        m_backbone.forbidden[0] = m_topo->GetHomeNetwork();
        m_backbone.forbidden[1] = none;
        m_backbone.forbidden[2] = none;
        for (uint32_t f = 0; f < 2; ++f)
        {
            m_topo->GetGatewayBackboneDevice(0, f)->TraceConnectWithoutContext(
                "PromiscSniffer",
                MakeBoundCallback(&SniffCsma, &m_backbone));
        }
        return m_voip.UseNat(m_topo, m_nat, 0, mode);
    }

    Ptr<SipTerminal> Terminal(uint32_t flat, uint32_t t)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, flat, t));
    }

    Ptr<TerminalDhcpClient> Client(uint32_t flat, uint32_t t)
    {
        return m_clients.at({flat, t});
    }

    Ptr<SipTerminal> Remote(uint32_t i)
    {
        return m_voip.GetTerminal(m_topo->GetRemotePhones().Get(i));
    }

    Ptr<HomeGateway> Gateway(uint32_t flat)
    {
        return m_voip.GetGateway(m_topo->GetGateway(0, flat));
    }

    void Dial(Time at, Ptr<SipTerminal> from, const std::string& number, Time holding)
    {
        ScheduleFunction(at,
                         [from, number, holding]() { ASSERT_TRUE(from->Dial(number, holding)); });
    }

    void Run(Time t)
    {
        Simulator::Stop(t);
        Simulator::Run();
    }

    std::vector<CallRecord> CalleeRecords(const std::string& callId) const
    {
        std::vector<CallRecord> out;
        for (const auto& r : m_voip.GetRecords())
        {
            if (!r.originating && r.callId == callId)
            {
                out.push_back(r);
            }
        }
        return out;
    }

    /// Every call answered, with media both ways.
    void ExpectAnsweredWithMedia(std::size_t calls, uint64_t packets)
    {
        auto records = m_voip.GetOriginatingRecords();
        ASSERT_EQ(records.size(), calls);
        for (const auto& c : records)
        {
            EXPECT_EQ(c.finalCode, 200) << c.localNumber << " -> " << c.remoteNumber;
            EXPECT_GT(c.media.received, packets) << c.localNumber;
            const CallRecord* callee = m_voip.FindCalleeRecord(c.callId);
            ASSERT_NE(callee, nullptr) << c.remoteNumber;
            EXPECT_EQ(callee->finalCode, 200) << c.remoteNumber;
            EXPECT_GT(callee->media.received, packets) << callee->localNumber;
            EXPECT_FALSE(callee->byeTime.IsZero()) << callee->localNumber;
        }
    }

    void ExpectNoLeaks(const View& view, const std::string& where)
    {
        EXPECT_GT(view.packets, 0u) << where;
        EXPECT_GT(view.sdp, 0u) << where;
        EXPECT_GT(view.rtp, 0u) << where;
        EXPECT_TRUE(view.leaks.empty())
            << where << ": " << view.leaks.size() << " leaks, first " << view.leaks[0];
    }

    /// Every home NAT mapping a call took is gone again.
    void ExpectHomeMappingsReleased(uint32_t flat)
    {
        Ptr<CallNatBinder> binder = Gateway(flat)->GetCallNatBinder();
        ASSERT_NE(binder, nullptr);
        EXPECT_GT(binder->GetGrantedCount(), 0u) << "flat " << flat;
        EXPECT_EQ(binder->GetReleasedCount(), binder->GetGrantedCount()) << "flat " << flat;
        EXPECT_EQ(binder->GetActiveMappingCount(), 0u) << "flat " << flat;
        EXPECT_EQ(binder->GetRefusedCount(), 0u) << "flat " << flat;
        Ptr<NatTrafficControlLayer> nat = NatHelper::GetNat(m_topo->GetGateway(0, flat));
        EXPECT_EQ(nat->GetTable().GetNMappings(), 0u) << "flat " << flat;
        EXPECT_EQ(m_voip.GetHomePcpServer(m_topo->GetGateway(0, flat))->GetRefusedCount(), 0u);
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    std::unique_ptr<AddressAllocationHelper> m_alloc;
    std::map<std::pair<uint32_t, uint32_t>, Ptr<TerminalDhcpClient>> m_clients;
    NatHelper m_natHelper;
    Ptr<NatTrafficControlLayer> m_nat;
    VoipHelper m_voip;
    View m_wan;
    View m_backbone;
};

TEST_F(DoubleNatCallTest, EveryFlatReusesTheSamePrivateNetwork)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    const Ipv4Prefix home = m_topo->GetHomeNetwork();
    for (uint32_t f = 0; f < 2; ++f)
    {
        for (uint32_t t = 1; t <= 3; ++t)
        {
            EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, f, t)),
                      home.GetAddress(1 + t));
        }
        // The gateway shows itself upstream by its block's first address.
        Ipv4Address outside = m_topo->GetGatewayOutsideAddress(0, f);
        EXPECT_EQ(outside, m_topo->GetAddressPlan().GetGatewayLanAddress(0, f));
        EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetGateway(0, f)), outside);
        Ptr<NatTrafficControlLayer> nat = NatHelper::GetNat(m_topo->GetGateway(0, f));
        ASSERT_NE(nat, nullptr);
        EXPECT_TRUE(nat->GetTable().IsPublicAddress(outside));
    }
}

TEST_F(DoubleNatCallTest, CallsBetweenTwoFlatsBothWays)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    // Caller and callee have the same private address, each behind its own gateway.
    Dial(Seconds(2), Terminal(0, 1), "100-1101-1202-1", Seconds(5));
    Dial(Seconds(10), Terminal(1, 2), "100-1101-1201-3", Seconds(5));
    Run(Seconds(30));
    ExpectAnsweredWithMedia(2, 200);
    ExpectNoLeaks(m_backbone, "backbone");
    // Nothing left the complex, so the complex NAT mapped nothing.
    EXPECT_EQ(m_voip.GetCallNatBinder()->GetGrantedCount(), 0u);
    ExpectHomeMappingsReleased(0);
    ExpectHomeMappingsReleased(1);
    EXPECT_EQ(NatHelper::GetNat(m_topo->GetGateway(0, 0))->GetDropCount(), 0u);
    EXPECT_EQ(NatHelper::GetNat(m_topo->GetGateway(0, 1))->GetDropCount(), 0u);
}

TEST_F(DoubleNatCallTest, CallsWithTheOutsideBothWaysThroughBothNats)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    Dial(Seconds(2), Remote(0), "100-1101-1201-2", Seconds(5));
    Dial(Seconds(3), Terminal(1, 3), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(5));
    Run(Seconds(30));
    ExpectAnsweredWithMedia(2, 200);
    ExpectNoLeaks(m_wan, "WAN");
    ExpectNoLeaks(m_backbone, "backbone");
    // Both levels mapped each call's media and gave it back.
    Ptr<CallNatBinder> complexBinder = m_voip.GetCallNatBinder();
    EXPECT_GE(complexBinder->GetGrantedCount(), 4u);
    EXPECT_EQ(complexBinder->GetReleasedCount(), complexBinder->GetGrantedCount());
    ExpectHomeMappingsReleased(0);
    ExpectHomeMappingsReleased(1);
    EXPECT_EQ(m_nat->GetTable().GetNMappings(), 0u);
}

TEST_F(DoubleNatCallTest, HouseholdRingsAllThroughBothNatsAndCancelsTheOthers)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    Dial(Seconds(2), Remote(0), "100-1101-1202-0", Seconds(5));
    Dial(Seconds(12), Terminal(0, 2), "100-1101-1202", Seconds(4)); // inside, short form
    Run(Seconds(30));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200) << c.localNumber;
        EXPECT_GT(c.media.received, 150u) << c.localNumber;
        auto callee = CalleeRecords(c.callId);
        ASSERT_EQ(callee.size(), 3u) << c.localNumber;
        uint32_t answered = 0;
        uint32_t cancelled = 0;
        for (const auto& r : callee)
        {
            answered += r.finalCode == 200;
            cancelled += r.finalCode == 487;
            if (r.finalCode == 200)
            {
                EXPECT_GT(r.media.received, 150u) << r.localNumber;
            }
        }
        EXPECT_EQ(answered, 1u) << c.localNumber;
        EXPECT_EQ(cancelled, 2u) << c.localNumber;
    }
    EXPECT_EQ(Gateway(1)->GetForkCount(), 2u);
    ExpectNoLeaks(m_wan, "WAN");
    ExpectNoLeaks(m_backbone, "backbone");
    ExpectHomeMappingsReleased(1);
}

TEST_F(DoubleNatCallTest, StaticComplexNatHasOneRulePerFlat)
{
    ASSERT_EQ(Build(CallNatMode::STATIC), "");
    // The gatekeeper and one rule per flat (its gateway's NAT address), not per terminal.
    EXPECT_EQ(m_nat->GetTable().GetStaticRules().size(), 3u);
    Dial(Seconds(2), Remote(1), "100-1101-1202-3", Seconds(5));
    Dial(Seconds(3), Terminal(0, 1), m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(5));
    Run(Seconds(30));
    ExpectAnsweredWithMedia(2, 200);
    ExpectNoLeaks(m_wan, "WAN");
    ExpectNoLeaks(m_backbone, "backbone");
    ExpectHomeMappingsReleased(0);
    ExpectHomeMappingsReleased(1);
}

TEST_F(DoubleNatCallTest, PoolComplexNatCallsOut)
{
    ASSERT_EQ(Build(CallNatMode::POOL), "");
    Dial(Seconds(2), Terminal(1, 1), m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(5));
    Dial(Seconds(3), Remote(1), "100-1101-1201-1", Seconds(5));
    Run(Seconds(30));
    ExpectAnsweredWithMedia(2, 200);
    ExpectNoLeaks(m_wan, "WAN");
    ExpectNoLeaks(m_backbone, "backbone");
}

/// Moves \p node's first address on interface 1 to \p to (as a new lease would).
void
MoveAddress(Ptr<Node> node, Ipv4Address to)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4InterfaceAddress old = ipv4->GetAddress(1, 0);
    ipv4->RemoveAddress(1, 0);
    ipv4->AddAddress(1, Ipv4InterfaceAddress(to, old.GetMask()));
}

TEST_F(DoubleNatCallTest, DynamicGatewaysTakeTheirOutsideAddressFromTheirBlock)
{
    ASSERT_EQ(Build(CallNatMode::NAPT, true), "");
    std::map<uint32_t, Ipv4Address> seenAtStart;
    for (uint32_t f = 0; f < 2; ++f)
    {
        seenAtStart[f] = m_topo->GetGatewayOutsideAddress(0, f);
        EXPECT_FALSE(NatHelper::GetNat(m_topo->GetGateway(0, f))->IsEnabled());
    }
    Run(Seconds(5));
    const Ipv4Prefix home = m_topo->GetHomeNetwork();
    std::set<uint32_t> outsides;
    for (uint32_t f = 0; f < 2; ++f)
    {
        EXPECT_EQ(seenAtStart[f], Ipv4Address::GetAny()) << "no block before the start";
        // One block per gateway, just for its outside address (host 1).
        Ptr<GatewayDhcpServer> gw = m_alloc->GetGateway(0, f);
        EXPECT_TRUE(gw->IsHomeMode());
        ASSERT_EQ(gw->GetBlocks().size(), 1u);
        const Ipv4Address outside = m_topo->GetGatewayOutsideAddress(0, f);
        EXPECT_EQ(outside, gw->GetBlocks()[0].GetAddress(1));
        EXPECT_TRUE(m_topo->GetAddressPlan().GetBuildingAggregate(0).Contains(outside));
        outsides.insert(outside.Get());
        // It is the gateway's source upstream and its NAT's public address.
        EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetGateway(0, f)), outside);
        Ptr<NatTrafficControlLayer> nat = NatHelper::GetNat(m_topo->GetGateway(0, f));
        ASSERT_TRUE(nat->IsEnabled());
        EXPECT_TRUE(nat->GetTable().IsPublicAddress(outside));
        // The manager still knows the gateway by its backbone address.
        EXPECT_EQ(gw->GetHolderAddress(), m_topo->GetAddressPlan().GetGatewayBackboneAddress(0, f));
        for (uint32_t t = 1; t <= 3; ++t)
        {
            // Every flat the same home /24, the leases given lowest first.
            EXPECT_EQ(m_clients.at({f, t})->GetAddress(), home.GetAddress(1 + t));
            EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered(
                m_topo->GetTerminalNumber(0, f, t).ToString()));
        }
    }
    EXPECT_EQ(outsides.size(), 2u);
    const auto counters = m_alloc->GetCounters();
    EXPECT_EQ(counters.blocksAllotted, 2u);
    EXPECT_EQ(counters.addressesInUse, 6u);
    EXPECT_EQ(counters.refills, 0u);
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
}

TEST_F(DoubleNatCallTest, DynamicCallsBothWaysAndHouseholdRingAllThroughBothNats)
{
    ASSERT_EQ(Build(CallNatMode::NAPT, true), "");
    // Between two flats (caller and callee have the same home address), out and in, and a
    // household ring-all from the outside.
    Dial(Seconds(3), Terminal(0, 1), "100-1101-1202-1", Seconds(4));
    Dial(Seconds(12), Terminal(1, 2), "100-1101-1201-3", Seconds(4));
    Dial(Seconds(21), Remote(0), "100-1101-1201-2", Seconds(4));
    Dial(Seconds(30), Terminal(1, 3), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(4));
    Dial(Seconds(39), Remote(1), "100-1101-1202-0", Seconds(4));
    Run(Seconds(55));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 5u);
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200) << c.localNumber << " -> " << c.remoteNumber;
        EXPECT_GT(c.media.received, 150u) << c.localNumber;
        auto callee = CalleeRecords(c.callId);
        const bool household = c.remoteNumber == "100-1101-1202-0";
        ASSERT_EQ(callee.size(), household ? 3u : 1u) << c.remoteNumber;
        uint32_t answered = 0;
        for (const auto& r : callee)
        {
            answered += r.finalCode == 200;
            EXPECT_EQ(r.finalCode, r.finalCode == 200 ? 200 : 487) << r.localNumber;
            if (r.finalCode == 200)
            {
                EXPECT_GT(r.media.received, 150u) << r.localNumber;
            }
        }
        EXPECT_EQ(answered, 1u) << c.remoteNumber;
    }
    EXPECT_EQ(Gateway(1)->GetForkCount(), 1u);
    ExpectNoLeaks(m_wan, "WAN");
    ExpectNoLeaks(m_backbone, "backbone");
    ExpectHomeMappingsReleased(0);
    ExpectHomeMappingsReleased(1);
    Ptr<CallNatBinder> complexBinder = m_voip.GetCallNatBinder();
    EXPECT_GE(complexBinder->GetGrantedCount(), 6u);
    EXPECT_EQ(complexBinder->GetReleasedCount(), complexBinder->GetGrantedCount());
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
}

TEST_F(DoubleNatCallTest, DynamicTerminalWhoseHomeAddressChangesIsCalledAtTheNewOne)
{
    ASSERT_EQ(Build(CallNatMode::NAPT, true), "");
    const Ipv4Address fresh = m_topo->GetHomeNetwork().GetAddress(9);
    std::vector<std::string> rang;
    Terminal(0, 2)->TraceConnectWithoutContext(
        "CallerId",
        MakeCallback(+[](std::vector<std::string>* out, const std::string& caller) {
            out->push_back(caller);
        }).Bind(&rang));
    ScheduleFunction(Seconds(5), [this, fresh]() {
        MoveAddress(m_topo->GetTerminal(0, 0, 2), fresh);
        Terminal(0, 2)->NotifyAddressChanged();
    });
    // From the outside (both NATs) and from the other flat (the home NAT only).
    Dial(Seconds(8), Remote(0), "100-1101-1201-2", Seconds(4));
    Dial(Seconds(17), Terminal(1, 1), "100-1101-1201-2", Seconds(4));
    Run(Seconds(30));
    ASSERT_EQ(rang.size(), 2u);
    ExpectAnsweredWithMedia(2, 150);
    ExpectNoLeaks(m_wan, "WAN");
    ExpectHomeMappingsReleased(0);
}

TEST_F(DoubleNatCallTest, DynamicWithdrawalDeregistersReleasesAndReturnsTheBlock)
{
    ASSERT_EQ(Build(CallNatMode::NAPT, true), "");
    // Flat 1: terminals 1 and 2 leave at 15 s, terminal 3 switches on only at 40 s.
    Terminal(1, 3)->SetStartTime(Seconds(40));
    Client(1, 3)->SetStartTime(Seconds(40));
    Ptr<GatewayDhcpServer> gw = m_alloc->GetGateway(0, 1);
    uint32_t freeBefore = 0;
    Ipv4Address firstOutside;
    ScheduleFunction(Seconds(15), [this, &freeBefore, &firstOutside]() {
        freeBefore = m_alloc->GetCounters().blocksFree;
        firstOutside = m_topo->GetGatewayOutsideAddress(0, 1);
        for (uint32_t t = 1; t <= 2; ++t)
        {
            EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1202-" + std::to_string(t)));
            VoipHelper::Withdraw(Terminal(1, t), Client(1, t));
        }
    });
    ScheduleFunction(Seconds(25), [this, gw, &freeBefore]() {
        // Expires: 0 reached the gatekeeper (the registrations were good for an hour).
        for (uint32_t t = 1; t <= 2; ++t)
        {
            EXPECT_FALSE(
                m_voip.GetGatekeeper()->IsRegistered("100-1101-1202-" + std::to_string(t)));
            EXPECT_EQ(Client(1, t)->GetAddress(), Ipv4Address::GetAny());
        }
        EXPECT_EQ(gw->GetNReleases(), 2u);
        // The flat is empty: its block went back, and with it the outside address and NAT.
        EXPECT_TRUE(gw->GetBlocks().empty());
        EXPECT_EQ(m_alloc->GetCounters().blocksFree, freeBefore + 1);
        EXPECT_EQ(m_topo->GetGatewayOutsideAddress(0, 1), Ipv4Address::GetAny());
        EXPECT_FALSE(NatHelper::GetNat(m_topo->GetGateway(0, 1))->IsEnabled());
        EXPECT_EQ(m_alloc->CheckInvariant(), "");
    });
    // The household rings the one terminal there is, through a new outside address.
    Dial(Seconds(45), Remote(0), "100-1101-1202-0", Seconds(4));
    Dial(Seconds(54), Terminal(1, 3), "100-1101-1201-1", Seconds(4));
    Run(Seconds(70));
    ASSERT_EQ(gw->GetBlocks().size(), 1u);
    EXPECT_EQ(m_topo->GetGatewayOutsideAddress(0, 1), gw->GetBlocks()[0].GetAddress(1));
    EXPECT_NE(firstOutside, Ipv4Address::GetAny());
    EXPECT_TRUE(NatHelper::GetNat(m_topo->GetGateway(0, 1))->IsEnabled());
    EXPECT_TRUE(Terminal(1, 1)->IsWithdrawn());
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200) << c.localNumber << " -> " << c.remoteNumber;
        EXPECT_GT(c.media.received, 150u) << c.localNumber;
    }
    ASSERT_EQ(CalleeRecords(calls[0].callId).size(), 1u);
    EXPECT_EQ(CalleeRecords(calls[0].callId)[0].localNumber, "100-1101-1202-3");
    ExpectNoLeaks(m_wan, "WAN");
    ExpectNoLeaks(m_backbone, "backbone");
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
}

TEST(DoubleNatTopologyTest, RefusesWhatCannotWork)
{
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("HomeNat", BooleanValue(true));
    EXPECT_EQ(topo->Validate(), "");
    // Dynamic addresses work too: the manager hands out the gateways' outside addresses.
    topo->SetAttribute("AddressMode", StringValue("Dynamic"));
    EXPECT_EQ(topo->Validate(), "");
    topo->SetAttribute("AddressMode", StringValue("Static"));
    topo->SetAttribute("HomeNetwork", Ipv4AddressValue("192.168.7.0"));
    EXPECT_NE(topo->Validate().find("overlaps 192.168.0.0/16"), std::string::npos)
        << topo->Validate();
    topo->SetAttribute("HomeNetwork", Ipv4AddressValue("172.16.0.9"));
    EXPECT_NE(topo->Validate().find("HomeNetwork must be a /24"), std::string::npos)
        << topo->Validate();
    // Off by default: nothing changes.
    auto plain = CreateObject<ApartmentTopologyHelper>();
    EXPECT_FALSE(plain->IsHomeNat());
}

} // namespace
