/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

bool
IsPrivate(Ipv4Address a)
{
    return Ipv4Mask("255.0.0.0").IsMatch(a, "10.0.0.0") ||
           Ipv4Mask("255.240.0.0").IsMatch(a, "172.16.0.0") ||
           Ipv4Mask("255.255.0.0").IsMatch(a, "192.168.0.0");
}

/// What a sniffer on the NAT router's WAN device saw.
struct WanView
{
    uint64_t packets{0};
    uint64_t rtp{0};
    std::vector<std::string> privateHeaders; //!< "src -> dst" of packets with a private address
    std::vector<std::string> sdpAddresses;   //!< every c= address in SIP bodies
};

void
Sniff(WanView* view, Ptr<const Packet> frame)
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
    ++view->packets;
    if (IsPrivate(ip.GetSource()) || IsPrivate(ip.GetDestination()))
    {
        std::ostringstream os;
        os << ip.GetSource() << " -> " << ip.GetDestination();
        view->privateHeaders.push_back(os.str());
    }
    if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER)
    {
        return;
    }
    UdpHeader udp;
    p->RemoveHeader(udp);
    if (udp.GetSourcePort() != 5060 && udp.GetDestinationPort() != 5060)
    {
        ++view->rtp;
        return;
    }
    std::string text(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(&text[0]), text.size());
    const std::string key = "\r\nc=IN IP4 ";
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + 1))
    {
        auto begin = at + key.size();
        view->sdpAddresses.push_back(text.substr(begin, text.find('\r', begin) - begin));
    }
}

class CallNatTest : public ::testing::Test
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
    }

    /// Builds, installs the NAT and the call side; \return UseNat's answer
    std::string Build()
    {
        m_natHelper.Prepare(m_topo);
        m_topo->Build();
        m_nat = m_natHelper.Install(m_topo);
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        m_topo->GetNatRouterWanDevice()->TraceConnectWithoutContext(
            "PromiscSniffer",
            MakeBoundCallback(&Sniff, &m_wan));
        return m_voip.UseNat(m_topo, m_nat);
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }

    Ptr<SipTerminal> Terminal(uint32_t t)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, 0, t + 1));
    }

    Ptr<SipTerminal> Remote(uint32_t i)
    {
        return m_voip.GetTerminal(m_topo->GetRemotePhones().Get(i));
    }

    void Dial(Time at, Ptr<SipTerminal> from, const std::string& number, Time holding)
    {
        ScheduleFunction(at,
                         [from, number, holding]() { ASSERT_TRUE(from->Dial(number, holding)); });
    }

    /// Checks the WAN view: traffic seen, nothing private, every c= a public address.
    void ExpectNothingPrivateOutside()
    {
        EXPECT_GT(m_wan.packets, 0u);
        EXPECT_TRUE(m_wan.privateHeaders.empty())
            << m_wan.privateHeaders.size() << " packets, first " << m_wan.privateHeaders[0];
        ASSERT_FALSE(m_wan.sdpAddresses.empty());
        const Ipv4Prefix pub = m_topo->GetAddressPlan().GetPublic();
        for (const auto& text : m_wan.sdpAddresses)
        {
            Ipv4Address a(text.c_str());
            EXPECT_FALSE(IsPrivate(a)) << text;
            // Ours are in the complex's /24, the remote phones' in the outside LAN.
            bool ours = pub.GetMask().IsMatch(a, pub.network);
            bool outside = Ipv4Mask("255.255.255.0").IsMatch(a, "198.51.100.0");
            EXPECT_TRUE(ours || outside) << text;
        }
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    NatHelper m_natHelper;
    Ptr<NatTrafficControlLayer> m_nat;
    VoipHelper m_voip;
    WanView m_wan;
};

TEST_F(CallNatTest, GivesGatekeeperAndTerminalsStaticPublicAddresses)
{
    ASSERT_EQ(Build(), "");
    auto rules = m_nat->GetTable().GetStaticRules();
    ASSERT_EQ(rules.size(), 1u + 2 * 3); // gatekeeper + 6 terminals
    Ipv4Address gk = ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetGatekeeper());
    auto gkRule =
        std::find_if(rules.begin(), rules.end(), [gk](const auto& r) { return r.first == gk; });
    ASSERT_NE(gkRule, rules.end());
    Ipv4AddressValue pub;
    m_voip.GetGatekeeper()->GetAttribute("PublicAddress", pub);
    EXPECT_EQ(pub.Get(), gkRule->second);
    std::set<Ipv4Address> publics;
    for (const auto& rule : rules)
    {
        publics.insert(rule.second);
    }
    EXPECT_EQ(publics.size(), rules.size()); // 1:1
    const Ipv4Prefix net = m_topo->GetAddressPlan().GetPublic();
    for (const auto& [in, out] : rules)
    {
        EXPECT_TRUE(IsPrivate(in)) << in;
        EXPECT_TRUE(net.GetMask().IsMatch(out, net.network)) << out;
        EXPECT_NE(out, m_topo->GetAddressPlan().GetNatRouterPublicAddress());
        EXPECT_NE(out, m_topo->GetAddressPlan().GetIspRouterAddress());
    }
    // A second call keeps the rules it made.
    EXPECT_EQ(m_voip.UseNat(m_topo, m_nat), "");
    EXPECT_EQ(m_nat->GetTable().GetStaticRules().size(), rules.size());
}

TEST_F(CallNatTest, RefusesWhenPublicAddressesRunOut)
{
    m_natHelper.Prepare(m_topo);
    m_topo->Build();
    m_nat = m_natHelper.Install(m_topo);
    m_voip.Install(m_topo);
    // Other hosts already hold all but 2 of the 252 free public addresses; 7 are needed.
    const Ipv4Prefix pub = m_topo->GetAddressPlan().GetPublic();
    for (uint32_t host = 2; host < 252; ++host)
    {
        ASSERT_TRUE(m_nat->AddStaticRule(Ipv4Address(0xac1e0000 + host), pub.GetAddress(host)));
    }
    std::string error = m_voip.UseNat(m_topo, m_nat);
    EXPECT_NE(error.find("7 inside hosts"), std::string::npos) << error;
    EXPECT_NE(error.find("only 2 free"), std::string::npos) << error;
    EXPECT_EQ(m_nat->GetTable().GetStaticRules().size(), 250u); // nothing half done
    Ipv4AddressValue gk;
    m_voip.GetGatekeeper()->GetAttribute("PublicAddress", gk);
    EXPECT_EQ(gk.Get(), Ipv4Address::GetAny());
}

TEST_F(CallNatTest, RefusesARoutedEdge)
{
    m_topo->SetAttribute("EdgeMode", StringValue("Routed"));
    m_topo->Build();
    m_voip.Install(m_topo);
    std::string error = m_voip.UseNat(m_topo, nullptr);
    EXPECT_NE(error.find("EdgeMode=Nat"), std::string::npos) << error;
}

TEST_F(CallNatTest, HouseholdCallFromOutsideCrossesTheNat)
{
    ASSERT_EQ(Build(), "");
    Dial(Seconds(2), Remote(0), "100-1101-1201-0", Seconds(5));
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_GT(calls[0].media.received, 200u); // 5 s at 50 packets/s
    const CallRecord* callee = m_voip.FindCalleeRecord(calls[0].callId);
    ASSERT_NE(callee, nullptr);
    EXPECT_EQ(callee->finalCode, 200);
    EXPECT_GT(callee->media.received, 200u);
    EXPECT_GT(m_wan.rtp, 400u);
    EXPECT_GT(m_nat->GetTranslatedCount(), 400u);
    ExpectNothingPrivateOutside();
}

TEST_F(CallNatTest, TerminalCallsOutsideAcrossTheNat)
{
    ASSERT_EQ(Build(), "");
    Dial(Seconds(2), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(5));
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_EQ(calls[0].GetOutcome(), "answered");
    EXPECT_GT(calls[0].media.received, 200u);
    const CallRecord* callee = m_voip.FindCalleeRecord(calls[0].callId);
    ASSERT_NE(callee, nullptr);
    EXPECT_GT(callee->media.received, 200u);
    ExpectNothingPrivateOutside();
}

TEST_F(CallNatTest, AckAndByeFromOutsideNeedNoHairpinning)
{
    // ACK and BYE target the terminal's public Contact; the gatekeeper sends them inside
    // with the inside address, so a NAT without hairpinning still ends the call.
    m_natHelper.SetAttribute("Hairpinning", BooleanValue(false));
    ASSERT_EQ(Build(), "");
    Dial(Seconds(2), Remote(0), "100-1101-1201-2", Seconds(5));
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    const CallRecord* callee = m_voip.FindCalleeRecord(calls[0].callId);
    ASSERT_NE(callee, nullptr);
    EXPECT_FALSE(callee->byeTime.IsZero()); // the BYE arrived
    EXPECT_NEAR(callee->GetDuration().GetSeconds(), 5.0, 0.1);
    EXPECT_FALSE(Terminal(1)->IsBusy());
    EXPECT_EQ(m_nat->GetDropCount(), 0u);
}

TEST_F(CallNatTest, WithoutUseNatPrivateAddressesLeakAndMediaFails)
{
    // The same call without the wiring: the test's checks can see the failure.
    m_natHelper.Prepare(m_topo);
    m_topo->Build();
    m_nat = m_natHelper.Install(m_topo);
    m_voip.Install(m_topo);
    m_voip.AssignStreams(100);
    m_topo->GetNatRouterWanDevice()->TraceConnectWithoutContext("PromiscSniffer",
                                                                MakeBoundCallback(&Sniff, &m_wan));
    Dial(Seconds(2), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(5));
    Simulator::Stop(Seconds(60));
    Simulator::Run();
    // The INVITE crosses the NAT (its IP header translated), but its SDP still offers the
    // terminal's private address: the leak the wiring prevents.
    EXPECT_GT(m_wan.packets, 0u);
    EXPECT_TRUE(m_wan.privateHeaders.empty());
    uint32_t privateSdp = 0;
    for (const auto& text : m_wan.sdpAddresses)
    {
        privateSdp += IsPrivate(Ipv4Address(text.c_str())) ? 1 : 0;
    }
    EXPECT_GT(privateSdp, 0u);
    // And the call fails: answers go to the private Via/Contact, no media flows.
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_NE(calls[0].finalCode, 200);
    EXPECT_EQ(calls[0].media.received, 0u);
}

} // namespace
