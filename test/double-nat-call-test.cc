/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Double NAT (topology attribute HomeNat): every flat reuses one private /24 behind its
// home gateway's NAPT, the complex sits behind its own NAT; calls cross both levels.

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

    /// Builds with the complex's NAT in \p mode; \return UseNat's answer
    std::string Build(CallNatMode mode)
    {
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
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
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

TEST(DoubleNatTopologyTest, RefusesWhatCannotWork)
{
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("HomeNat", BooleanValue(true));
    EXPECT_EQ(topo->Validate(), "");
    topo->SetAttribute("AddressMode", StringValue("Dynamic"));
    EXPECT_NE(topo->Validate().find("HomeNat needs AddressMode=Static"), std::string::npos)
        << topo->Validate();
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
