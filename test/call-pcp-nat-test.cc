/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/pcp-client.h"
#include "ns3/point-to-point-module.h"
#include "ns3/schedule-function.h"
#include "ns3/sdp.h"
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
    uint64_t pcp{0};
    std::vector<std::string> privateHeaders; //!< "src -> dst" of packets with a private address
    std::vector<std::string> sdpAddresses;   //!< every c= and o= address in SIP bodies
    std::set<std::pair<uint32_t, uint16_t>> mediaEndpoints; //!< c= address, m= port
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
    if (udp.GetSourcePort() == PcpHeader::PORT || udp.GetDestinationPort() == PcpHeader::PORT)
    {
        ++view->pcp;
        return;
    }
    if (udp.GetSourcePort() != 5060 && udp.GetDestinationPort() != 5060)
    {
        ++view->rtp;
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
    view->sdpAddresses.push_back(sd->connectionAddress);
    view->sdpAddresses.push_back(sd->originAddress);
    for (const auto& m : sd->media)
    {
        view->mediaEndpoints.insert({Ipv4Address(sd->connectionAddress.c_str()).Get(), m.port});
    }
}

class CallPcpNatTest : public ::testing::Test
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

    /// Builds, installs the NAT and the call side in \p mode; \return UseNat's answer
    std::string Build(CallNatMode mode, uint32_t poolSize = 0)
    {
        if (mode == CallNatMode::POOL)
        {
            m_natHelper.SetAttribute("Mode", EnumValue(static_cast<int>(NatMode::POOL)));
        }
        m_natHelper.Prepare(m_topo); // the NAT layer is made here, with its attributes
        m_topo->Build();
        if (mode == CallNatMode::POOL)
        {
            const Ipv4Prefix pub = m_topo->GetAddressPlan().GetPublic();
            std::vector<Ipv4Address> pool;
            for (uint32_t i = 0; i < poolSize; ++i)
            {
                pool.push_back(pub.GetAddress(100 + i));
            }
            m_natHelper.SetPublicAddresses(pool);
        }
        m_nat = m_natHelper.Install(m_topo);
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        m_topo->GetNatRouterWanDevice()->TraceConnectWithoutContext(
            "PromiscSniffer",
            MakeBoundCallback(&Sniff, &m_wan));
        std::string error = m_voip.UseNat(m_topo, m_nat, 0, mode);
        if (error.empty())
        {
            m_voip.GetCallNatBinder()->AssignStreams(500);
        }
        return error;
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }

    Ptr<SipTerminal> Terminal(uint32_t t, uint32_t flat = 0)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, flat, t + 1));
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

    /// Checks the WAN view: traffic seen, nothing private, every c=/o= a public address.
    void ExpectNothingPrivateOutside()
    {
        EXPECT_GT(m_wan.packets, 0u);
        EXPECT_TRUE(m_wan.privateHeaders.empty())
            << m_wan.privateHeaders.size() << " packets, first " << m_wan.privateHeaders[0];
        EXPECT_EQ(m_wan.pcp, 0u); // PCP stays inside
        ASSERT_FALSE(m_wan.sdpAddresses.empty());
        const Ipv4Prefix pub = m_topo->GetAddressPlan().GetPublic();
        for (const auto& text : m_wan.sdpAddresses)
        {
            Ipv4Address a(text.c_str());
            EXPECT_FALSE(IsPrivate(a)) << text;
            bool ours = pub.GetMask().IsMatch(a, pub.network);
            bool outside = Ipv4Mask("255.255.255.0").IsMatch(a, "198.51.100.0");
            EXPECT_TRUE(ours || outside) << text;
        }
    }

    /// Every mapping the call took has gone from the gatekeeper and the NAT.
    void ExpectMappingsReleased()
    {
        Ptr<CallNatBinder> binder = m_voip.GetCallNatBinder();
        EXPECT_GT(binder->GetGrantedCount(), 0u);
        EXPECT_EQ(binder->GetReleasedCount(), binder->GetGrantedCount());
        EXPECT_EQ(binder->GetActiveMappingCount(), 0u);
        EXPECT_EQ(binder->GetCallCount(), 0u);
        std::ostringstream table;
        m_nat->PrintTable(table);
        EXPECT_EQ(m_nat->GetTable().GetNMappings(), 0u) << table.str();
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    NatHelper m_natHelper;
    Ptr<NatTrafficControlLayer> m_nat;
    VoipHelper m_voip;
    WanView m_wan;
};

TEST_F(CallPcpNatTest, NaptCallFromOutsideAnsweredWithRtpBothWays)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    // Only the gatekeeper has a static rule; the terminals share the router's address.
    ASSERT_EQ(m_nat->GetTable().GetStaticRules().size(), 1u);
    Dial(Seconds(2), Remote(0), "100-1101-1201-2", Seconds(5));
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_GT(calls[0].media.received, 200u); // 5 s at 50 packets/s
    const CallRecord* callee = m_voip.FindCalleeRecord(calls[0].callId);
    ASSERT_NE(callee, nullptr);
    EXPECT_EQ(callee->finalCode, 200);
    EXPECT_GT(callee->media.received, 200u);
    EXPECT_FALSE(callee->byeTime.IsZero());
    EXPECT_GT(m_wan.rtp, 400u);
    ExpectNothingPrivateOutside();
    // The terminal's media was offered at the NAT's own public address.
    Ipv4Address natPublic = m_topo->GetAddressPlan().GetNatRouterPublicAddress();
    bool napt = false;
    for (const auto& [a, port] : m_wan.mediaEndpoints)
    {
        napt |= Ipv4Address(a) == natPublic;
    }
    EXPECT_TRUE(napt);
    EXPECT_EQ(m_voip.GetPcpServer()->GetRefusedCount(), 0u);
    EXPECT_GE(m_voip.GetPcpServer()->GetSuccessCount(), 4u); // 2 maps + 2 deletes
    ExpectMappingsReleased();
}

TEST_F(CallPcpNatTest, NaptTerminalCallsOutsideAndHouseholdRingsAcrossTheNat)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    Dial(Seconds(2), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(5));
    Dial(Seconds(3), Remote(0), "100-1101-1202-0", Seconds(4)); // the second flat
    Simulator::Stop(Seconds(25));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& call : calls)
    {
        EXPECT_EQ(call.finalCode, 200) << call.localNumber;
        EXPECT_GT(call.media.received, 150u) << call.localNumber;
        const CallRecord* callee = m_voip.FindCalleeRecord(call.callId);
        ASSERT_NE(callee, nullptr);
        EXPECT_GT(callee->media.received, 150u) << callee->localNumber;
    }
    ExpectNothingPrivateOutside();
    // Two calls at once: distinct public media endpoints.
    EXPECT_GE(m_voip.GetCallNatBinder()->GetPeakMappingCount(), 4u);
    ExpectMappingsReleased();
    EXPECT_EQ(m_nat->GetDropCount(), 0u);
}

TEST_F(CallPcpNatTest, PoolCallsTakeAnAddressPerCallAndExhaustionAnswers503)
{
    ASSERT_EQ(Build(CallNatMode::POOL, 1), "");
    // The first call holds the only pool address; the second cannot have one.
    Dial(Seconds(2), Terminal(0), m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(6));
    Dial(Seconds(3), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(3));
    // After the first call, the address is free again.
    Dial(Seconds(12), Terminal(2), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(3));
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 3u);
    std::map<std::string, const CallRecord*> byCaller;
    for (const auto& c : calls)
    {
        byCaller[c.localNumber] = &c;
    }
    EXPECT_EQ(byCaller.at("100-1101-1201-1")->finalCode, 200);
    EXPECT_GT(byCaller.at("100-1101-1201-1")->media.received, 200u);
    EXPECT_EQ(byCaller.at("100-1101-1201-2")->finalCode, 503);
    EXPECT_EQ(byCaller.at("100-1101-1201-3")->finalCode, 200);
    EXPECT_GT(byCaller.at("100-1101-1201-3")->media.received, 100u);
    // Its Contact and its audio endpoint were both refused; the INVITE failed once.
    EXPECT_EQ(m_voip.GetPcpServer()->GetRefusedCount(PcpHeader::NO_RESOURCES), 2u);
    EXPECT_EQ(m_voip.GetCallNatBinder()->GetRefusedCount(), 2u);
    EXPECT_EQ(m_voip.GetCallNatBinder()->GetFailedMessageCount(), 1u);
    ExpectNothingPrivateOutside();
    Ipv4Address pool = m_topo->GetAddressPlan().GetPublic().GetAddress(100);
    for (const auto& [a, port] : m_wan.mediaEndpoints)
    {
        Ipv4Address address(a);
        EXPECT_TRUE(address == pool || Ipv4Mask("255.255.255.0").IsMatch(address, "198.51.100.0"))
            << address;
    }
    ExpectMappingsReleased();
}

TEST_F(CallPcpNatTest, RefusesAMismatchedNatMode)
{
    m_natHelper.Prepare(m_topo);
    m_topo->Build();
    m_nat = m_natHelper.Install(m_topo);
    m_voip.Install(m_topo);
    std::string error = m_voip.UseNat(m_topo, m_nat, 0, CallNatMode::POOL);
    EXPECT_NE(error.find("Mode=Pool"), std::string::npos) << error;
    EXPECT_EQ(m_nat->GetTable().GetStaticRules().size(), 0u);
}

/// A host that sends one PCP request and keeps the answers.
struct PcpProbe
{
    Ptr<Socket> socket;
    std::vector<PcpHeader> answers;

    void Receive(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            PcpHeader h;
            p->RemoveHeader(h);
            answers.push_back(h);
        }
    }

    void Send(Ptr<Node> node, Ipv4Address server, const PcpHeader& request)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind();
        socket->SetRecvCallback(MakeCallback(&PcpProbe::Receive, this));
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(request);
        socket->SendTo(p, 0, InetSocketAddress(server, PcpHeader::PORT));
    }
};

TEST_F(CallPcpNatTest, OnlyTheGatekeeperMapsOtherHostsAndTheOutsideIsNotServed)
{
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    Ipv4Address server = m_topo->GetAddressPlan().GetNatRouterCoreAddress();
    Ptr<Node> t1 = m_topo->GetTerminal(0, 0, 1);
    Ipv4Address t1Address = ApartmentTopologyHelper::GetPrimaryAddress(t1);
    Ipv4Address t2Address =
        ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 2));
    PcpClient::Mapping own{{1, 2, 3}, 17, t1Address, 9000};
    PcpClient::Mapping foreign{{4, 5, 6}, 17, t2Address, 9000};
    PcpProbe ownProbe;
    PcpProbe foreignProbe;
    PcpProbe outsideProbe;
    uint64_t refusedTraced = 0;
    m_voip.GetPcpServer()->TraceConnectWithoutContext(
        "Refused",
        MakeBoundCallback(
            +[](uint64_t* n, const PcpHeader&, Ipv4Address, uint8_t, const std::string&) { ++*n; },
            &refusedTraced));
    PcpClient terminal(t1Address);
    ScheduleFunction(Seconds(1), [&]() {
        ownProbe.Send(t1, server, terminal.MakeRequest(own, 600, 0));
        foreignProbe.Send(t1, server, terminal.MakeRequest(foreign, 600, 0));
        // From outside to the NAT's public address: no PCP there.
        Ptr<Node> remote = m_topo->GetRemotePhones().Get(0);
        PcpClient outsider(ApartmentTopologyHelper::GetPrimaryAddress(remote));
        outsideProbe.Send(remote,
                          m_topo->GetAddressPlan().GetNatRouterPublicAddress(),
                          outsider.MakeRequest(own, 600, 0));
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(ownProbe.answers.size(), 1u);
    EXPECT_EQ(ownProbe.answers[0].GetResult(), PcpHeader::SUCCESS);
    ASSERT_EQ(foreignProbe.answers.size(), 1u);
    EXPECT_EQ(foreignProbe.answers[0].GetResult(), PcpHeader::NOT_AUTHORIZED);
    EXPECT_TRUE(outsideProbe.answers.empty());
    EXPECT_EQ(m_voip.GetPcpServer()->GetRefusedCount(PcpHeader::NOT_AUTHORIZED), 1u);
    EXPECT_EQ(refusedTraced, 1u);
    EXPECT_TRUE(m_nat->GetTable().FindMapping(17, t1Address, 9000));
    EXPECT_FALSE(m_nat->GetTable().FindMapping(17, t2Address, 9000));
    // Not refreshed, the terminal's mapping (made at 1 s + a few ms, 600 s asked and
    // granted) expires at its lifetime.
    Simulator::Stop(Seconds(597)); // now 3 s: run to 600 s
    Simulator::Run();
    EXPECT_TRUE(m_nat->GetTable().FindMapping(17, t1Address, 9000));
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_FALSE(m_nat->GetTable().FindMapping(17, t1Address, 9000));
}

TEST_F(CallPcpNatTest, OnlyTheGatekeeperIsAThirdPartyClientAndSpoofedClientsAreRefused)
{
    // RFC 6887's rule as the NAT applies it: the gatekeeper may map a terminal's address
    // (THIRD_PARTY); a terminal may not map a neighbour's address, and
    // a client address field that is not the packet's source is ADDRESS_MISMATCH. Each
    // refusal has its own count; none leaves a mapping behind.
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    Ipv4Address server = m_topo->GetAddressPlan().GetNatRouterCoreAddress();
    Ptr<Node> gk = m_topo->GetGatekeeper();
    Ipv4Address gkAddress = ApartmentTopologyHelper::GetPrimaryAddress(gk);
    Ptr<Node> t1 = m_topo->GetTerminal(0, 0, 1);
    Ipv4Address t1Address = ApartmentTopologyHelper::GetPrimaryAddress(t1);
    Ipv4Address t3Address =
        ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 3));
    PcpProbe byGatekeeper;
    PcpProbe byTerminal;
    PcpProbe spoofed;
    std::vector<uint8_t> refusals;
    m_voip.GetPcpServer()->TraceConnectWithoutContext(
        "Refused",
        MakeBoundCallback(
            +[](std::vector<uint8_t>* v,
                const PcpHeader&,
                Ipv4Address,
                uint8_t result,
                const std::string&) { v->push_back(result); },
            &refusals));
    ScheduleFunction(Seconds(1), [&]() {
        byGatekeeper.Send(
            gk,
            server,
            PcpClient(gkAddress).MakeRequest({{1, 1, 1}, 17, t3Address, 9100}, 600, 0));
        byTerminal.Send(t1,
                        server,
                        PcpClient(t1Address).MakeRequest({{2, 2, 2}, 17, t3Address, 9200}, 600, 0));
        // t1 claims to be t3 in the client address field.
        spoofed.Send(t1,
                     server,
                     PcpClient(t3Address).MakeRequest({{3, 3, 3}, 17, t3Address, 9300}, 600, 0));
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(byGatekeeper.answers.size(), 1u);
    EXPECT_EQ(byGatekeeper.answers[0].GetResult(), PcpHeader::SUCCESS);
    ASSERT_EQ(byTerminal.answers.size(), 1u);
    EXPECT_EQ(byTerminal.answers[0].GetResult(), PcpHeader::NOT_AUTHORIZED);
    ASSERT_EQ(spoofed.answers.size(), 1u);
    EXPECT_EQ(spoofed.answers[0].GetResult(), PcpHeader::ADDRESS_MISMATCH);
    Ptr<PcpServerApplication> pcp = m_voip.GetPcpServer();
    EXPECT_EQ(pcp->GetRefusedCount(PcpHeader::NOT_AUTHORIZED), 1u);
    EXPECT_EQ(pcp->GetRefusedCount(PcpHeader::ADDRESS_MISMATCH), 1u);
    EXPECT_EQ(pcp->GetRefusedCount(), 2u);
    std::sort(refusals.begin(), refusals.end());
    EXPECT_EQ(refusals,
              (std::vector<uint8_t>{PcpHeader::NOT_AUTHORIZED, PcpHeader::ADDRESS_MISMATCH}));
    EXPECT_TRUE(m_nat->GetTable().FindMapping(17, t3Address, 9100));
    EXPECT_FALSE(m_nat->GetTable().FindMapping(17, t3Address, 9200));
    EXPECT_FALSE(m_nat->GetTable().FindMapping(17, t3Address, 9300));
}

TEST_F(CallPcpNatTest, LongCallKeepsItsMappingsByRefreshingThem)
{
    // Lifetime 120 s (the server's minimum): a 300 s call needs refreshes at half time.
    Config::SetDefault("ns3::apartment::CallNatBinder::Lifetime", TimeValue(Seconds(120)));
    ASSERT_EQ(Build(CallNatMode::NAPT), "");
    Dial(Seconds(2), Remote(0), "100-1101-1201-1", Seconds(300));
    Simulator::Stop(Seconds(320));
    Simulator::Run();
    Config::SetDefault("ns3::apartment::CallNatBinder::Lifetime", TimeValue(Seconds(600)));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_GT(calls[0].media.received, 14500u); // 300 s at 50 packets/s, none lost
    EXPECT_EQ(m_nat->GetDropCount(), 0u);
    EXPECT_GE(m_voip.GetPcpServer()->GetSuccessCount(), 2u * 4 + 2);
    ExpectMappingsReleased();
}

/// Two complexes, each behind its own NAT in pool or NAPT mode, reached through the
/// outside gatekeeper.
class TwoComplexPcpNatTest : public ::testing::TestWithParam<CallNatMode>
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
        m_topo->SetAttribute("SecondComplex", BooleanValue(true));
        const CallNatMode mode = GetParam();
        NatHelper natHelper;
        if (mode == CallNatMode::POOL)
        {
            natHelper.SetAttribute("Mode", EnumValue(static_cast<int>(NatMode::POOL)));
        }
        natHelper.Prepare(m_topo);
        m_topo->Build();
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        for (uint32_t c = 0; c < 2; ++c)
        {
            if (mode == CallNatMode::POOL)
            {
                const Ipv4Prefix pub = m_topo->GetAddressPlan(c).GetPublic();
                natHelper.SetPublicAddresses({pub.GetAddress(100),
                                              pub.GetAddress(101),
                                              pub.GetAddress(102),
                                              pub.GetAddress(103)});
            }
            m_nat[c] = natHelper.Install(m_topo, c);
            m_topo->GetNatRouterWanDevice(c)->TraceConnectWithoutContext(
                "PromiscSniffer",
                MakeBoundCallback(&Sniff, &m_wan[c]));
            ASSERT_EQ(m_voip.UseNat(m_topo, m_nat[c], c, mode), "");
            m_voip.GetCallNatBinder(c)->AssignStreams(500 + c);
        }
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    Ptr<SipTerminal> Terminal(uint32_t complex, uint32_t flat, uint32_t t)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, flat, t, complex));
    }

    /// Counts the rings of every terminal of flat \p flat of \p complex.
    void CountRings(uint32_t complex, uint32_t flat, uint32_t* rings)
    {
        for (uint32_t t = 1; t <= 3; ++t)
        {
            Terminal(complex, flat, t)
                ->TraceConnectWithoutContext("CallerId",
                                             MakeBoundCallback(
                                                 +[](uint32_t* n, const std::string&) { ++*n; },
                                                 rings));
        }
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    VoipHelper m_voip;
    Ptr<NatTrafficControlLayer> m_nat[2];
    WanView m_wan[2];
};

TEST_P(TwoComplexPcpNatTest, HouseholdsRingAllAcrossBothNatsBothWaysAtOnce)
{
    // At the same moment: complex 0 calls complex 1's household, and complex 1 calls
    // complex 0's household; each rings every terminal of the flat, across both NATs.
    const std::string household1 = m_topo->GetHouseholdNumber(0, 0, 1).ToString();
    const std::string household0 = m_topo->GetHouseholdNumber(0, 1, 0).ToString();
    ASSERT_EQ(household1.substr(0, 4), "101-");
    uint32_t rings1 = 0;
    uint32_t rings0 = 0;
    CountRings(1, 0, &rings1);
    CountRings(0, 1, &rings0);
    Ptr<SipTerminal> caller0 = Terminal(0, 0, 1);
    Ptr<SipTerminal> caller1 = Terminal(1, 1, 2);
    ScheduleFunction(Seconds(2), [=]() {
        ASSERT_TRUE(caller0->Dial(household1, Seconds(5)));
        ASSERT_TRUE(caller1->Dial(household0, Seconds(5)));
    });
    Simulator::Stop(Seconds(25));
    Simulator::Run();
    EXPECT_EQ(rings1, 3u);
    EXPECT_EQ(rings0, 3u);
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    std::set<std::string> callers;
    for (const auto& call : calls)
    {
        callers.insert(call.localNumber);
        EXPECT_EQ(call.finalCode, 200) << call.localNumber;
        EXPECT_GT(call.media.received, 200u) << call.localNumber; // 5 s at 50 packets/s
        const CallRecord* callee = m_voip.FindCalleeRecord(call.callId);
        ASSERT_NE(callee, nullptr) << call.localNumber;
        EXPECT_EQ(callee->finalCode, 200);
        EXPECT_GT(callee->media.received, 200u) << callee->localNumber;
        // The calls overlapped: both were up at once.
        EXPECT_LT(call.answerTime, Seconds(7));
    }
    EXPECT_EQ(callers.size(), 2u);
    for (uint32_t c = 0; c < 2; ++c)
    {
        SCOPED_TRACE("complex " + std::to_string(c));
        EXPECT_GT(m_wan[c].rtp, 800u); // both calls' media, both ways, crossed each WAN
        EXPECT_TRUE(m_wan[c].privateHeaders.empty()) << m_wan[c].privateHeaders[0];
        ASSERT_FALSE(m_wan[c].sdpAddresses.empty());
        for (const auto& text : m_wan[c].sdpAddresses)
        {
            Ipv4Address a(text.c_str());
            EXPECT_FALSE(IsPrivate(a)) << text;
            // Only the two complexes' public networks are offered.
            bool known = false;
            for (uint32_t k = 0; k < 2; ++k)
            {
                const Ipv4Prefix pub = m_topo->GetAddressPlan(k).GetPublic();
                known |= pub.GetMask().IsMatch(a, pub.network);
            }
            EXPECT_TRUE(known) << text;
        }
        Ptr<CallNatBinder> binder = m_voip.GetCallNatBinder(c);
        // Each complex mapped its caller's and its callee's media (and Contacts).
        EXPECT_GE(binder->GetGrantedCount(), 2u);
        EXPECT_GE(binder->GetPeakMappingCount(), 2u);
        EXPECT_EQ(binder->GetReleasedCount(), binder->GetGrantedCount());
        EXPECT_EQ(binder->GetActiveMappingCount(), 0u);
        EXPECT_EQ(m_voip.GetPcpServer(c)->GetRefusedCount(), 0u);
        EXPECT_EQ(m_nat[c]->GetTable().GetNMappings(), 0u);
        EXPECT_EQ(m_nat[c]->GetDropCount(), 0u);
    }
}

TEST_P(TwoComplexPcpNatTest, TerminalCallsTheOtherComplexAndIsCalledBack)
{
    const std::string t0 = m_topo->GetTerminalNumber(0, 0, 3, 0).ToString();
    const std::string t1 = m_topo->GetTerminalNumber(0, 1, 1, 1).ToString();
    ScheduleFunction(Seconds(2),
                     [this, t1]() { ASSERT_TRUE(Terminal(0, 0, 3)->Dial(t1, Seconds(4))); });
    ScheduleFunction(Seconds(14),
                     [this, t0]() { ASSERT_TRUE(Terminal(1, 1, 1)->Dial(t0, Seconds(4))); });
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& call : calls)
    {
        EXPECT_EQ(call.finalCode, 200) << call.localNumber;
        EXPECT_GT(call.media.received, 150u) << call.localNumber;
        const CallRecord* callee = m_voip.FindCalleeRecord(call.callId);
        ASSERT_NE(callee, nullptr);
        EXPECT_GT(callee->media.received, 150u) << callee->localNumber;
    }
    for (uint32_t c = 0; c < 2; ++c)
    {
        EXPECT_TRUE(m_wan[c].privateHeaders.empty()) << "complex " << c;
        EXPECT_EQ(m_voip.GetCallNatBinder(c)->GetActiveMappingCount(), 0u) << "complex " << c;
    }
}

INSTANTIATE_TEST_SUITE_P(PoolAndNapt,
                         TwoComplexPcpNatTest,
                         ::testing::Values(CallNatMode::POOL, CallNatMode::NAPT),
                         [](const ::testing::TestParamInfo<CallNatMode>& info) {
                             return ToString(info.param);
                         });

} // namespace

namespace
{

/// 1,000 flats x 3 terminals behind one NAPT address: 240 calls cross the NAT at once, half
/// in, half out, spread over every building. About 70 s of CPU: disabled in the gtest run
/// (300 s timeout on a loaded machine), run by ctest as scale.napt-1000-flats.
TEST(CallPcpNatScaleTest, DISABLED_ThousandFlatsBehindNaptWithCallsBothWays)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("Buildings", UintegerValue(10));
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(100));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(3));
    topo->SetAttribute("RemotePhones", UintegerValue(240));
    topo->SetAttribute("EdgeMode", StringValue("Nat"));
    NatHelper natHelper;
    natHelper.Prepare(topo);
    topo->Build();
    Ptr<NatTrafficControlLayer> nat = natHelper.Install(topo);
    VoipHelper voip;
    voip.Install(topo);
    voip.AssignStreams(100);
    WanView wan;
    topo->GetNatRouterWanDevice()->TraceConnectWithoutContext("PromiscSniffer",
                                                              MakeBoundCallback(&Sniff, &wan));
    ASSERT_EQ(voip.UseNat(topo, nat, 0, CallNatMode::NAPT), "");
    ASSERT_EQ(nat->GetTable().GetStaticRules().size(), 1u); // the gatekeeper only
    const uint32_t calls = 240;
    for (uint32_t k = 0; k < calls; ++k)
    {
        uint32_t b = k % 10;
        uint32_t f = (k * 7) % 100;
        uint32_t t = k % 3 + 1;
        Ptr<SipTerminal> inside = voip.GetTerminal(topo->GetTerminal(b, f, t));
        Ptr<SipTerminal> remote = voip.GetTerminal(topo->GetRemotePhones().Get(k));
        std::string insideNumber = topo->GetTerminalNumber(b, f, t).ToString();
        std::string remoteNumber = topo->GetRemotePhoneNumber(k).ToString();
        Time at = Seconds(6) + MilliSeconds(20 * k);
        if (k % 2 == 0)
        {
            ScheduleFunction(at, [remote, insideNumber]() {
                ASSERT_TRUE(remote->Dial(insideNumber, Seconds(10)));
            });
        }
        else
        {
            ScheduleFunction(at, [inside, remoteNumber]() {
                ASSERT_TRUE(inside->Dial(remoteNumber, Seconds(10)));
            });
        }
    }
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    auto records = voip.GetOriginatingRecords();
    ASSERT_EQ(records.size(), calls);
    uint32_t answered = 0;
    for (const auto& r : records)
    {
        const CallRecord* callee = voip.FindCalleeRecord(r.callId);
        bool ok =
            r.finalCode == 200 && r.media.received > 400 && callee && callee->media.received > 400;
        answered += ok;
        EXPECT_TRUE(ok) << r.localNumber << " -> " << r.remoteNumber << " " << r.finalCode;
    }
    EXPECT_EQ(answered, calls);
    Ptr<CallNatBinder> binder = voip.GetCallNatBinder();
    // Calls overlap (10 s each, one started every 20 ms): every one holds two mappings.
    EXPECT_EQ(binder->GetGrantedCount(), 2u * calls);
    EXPECT_GE(binder->GetPeakMappingCount(), 2u * calls - 10);
    EXPECT_EQ(binder->GetReleasedCount(), binder->GetGrantedCount());
    EXPECT_EQ(nat->GetTable().GetNMappings(), 0u);
    EXPECT_EQ(nat->GetDropCount(), 0u);
    EXPECT_EQ(voip.GetPcpServer()->GetRefusedCount(), 0u);
    EXPECT_TRUE(wan.privateHeaders.empty()) << wan.privateHeaders.size();
    // Offer and answer, c= and o= each (more if a 2xx was retransmitted).
    EXPECT_GE(wan.sdpAddresses.size(), 4u * calls);
    for (const auto& text : wan.sdpAddresses)
    {
        EXPECT_FALSE(IsPrivate(Ipv4Address(text.c_str()))) << text;
    }
    Simulator::Destroy();
    Names::Clear();
}

} // namespace
