/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/apartment-voip-compat.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-control-agent.h"
#include "ns3/nat-detection-client.h"
#include "ns3/nat-detection-server.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"
#include "ns3/traversal-header.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

TraversalHeader
RoundTrip(const TraversalHeader& h, uint32_t* size = nullptr)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    if (size)
    {
        *size = p->GetSize();
    }
    TraversalHeader back;
    p->RemoveHeader(back);
    EXPECT_EQ(p->GetSize(), 0u);
    return back;
}

TraversalHeader
Parse(std::vector<uint8_t> bytes)
{
    Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
    TraversalHeader h;
    p->RemoveHeader(h);
    return h;
}

TEST(TraversalHeaderTest, RoundTripsEveryType)
{
    TraversalHeader p2(TraversalHeader::P2_ADDRESS_LIST);
    p2.SetUserIndex(0xdeadbeef);
    p2.SetAddresses({Ipv4Address("10.0.0.2"), Ipv4Address("192.0.2.2")});
    uint32_t size = 0;
    TraversalHeader b = RoundTrip(p2, &size);
    EXPECT_EQ(size, 6u + 5u + 8u);
    ASSERT_TRUE(b.IsValid());
    EXPECT_EQ(b.GetType(), TraversalHeader::P2_ADDRESS_LIST);
    EXPECT_EQ(b.GetUserIndex(), 0xdeadbeefu);
    ASSERT_EQ(b.GetAddresses().size(), 2u);
    EXPECT_EQ(b.GetAddresses()[1], Ipv4Address("192.0.2.2"));

    TraversalHeader p4(TraversalHeader::P4_SERVER_ACK);
    p4.SetFlag(true);
    p4.SetAddress(Ipv4Address("203.0.113.1"));
    p4.SetPort(40000);
    b = RoundTrip(p4, &size);
    EXPECT_EQ(size, 13u);
    EXPECT_TRUE(b.GetFlag());
    EXPECT_EQ(b.GetAddress(), Ipv4Address("203.0.113.1"));
    EXPECT_EQ(b.GetPort(), 40000);

    TraversalHeader keep(TraversalHeader::KEEP);
    keep.SetProtocol(17);
    keep.SetAddress(Ipv4Address("203.0.113.1"));
    keep.SetPort(7072);
    keep.SetIdleSeconds(30);
    keep.SetUserIndex(7);
    b = RoundTrip(keep);
    EXPECT_EQ(b.GetIdleSeconds(), 30);
    EXPECT_EQ(b.GetPort(), 7072);
    EXPECT_EQ(b.GetUserIndex(), 7u);

    for (auto t : {TraversalHeader::P1_USER_INDEX,
                   TraversalHeader::P3_USED_ADDRESS,
                   TraversalHeader::P5_VERDICT,
                   TraversalHeader::P6_KEEPALIVE,
                   TraversalHeader::P7_SERVER_DATA,
                   TraversalHeader::ACCESS,
                   TraversalHeader::ACCESS_ACK,
                   TraversalHeader::KEEP_ACK})
    {
        TraversalHeader h(t);
        h.SetUserIndex(42);
        h.SetSequence(9);
        b = RoundTrip(h, &size);
        ASSERT_TRUE(b.IsValid()) << TraversalHeader::GetTypeName(t);
        EXPECT_EQ(b.GetType(), t);
        EXPECT_EQ(size, 6u + TraversalHeader::GetBodySize(t));
    }
}

TEST(TraversalHeaderTest, MalformedMessagesAreInvalid)
{
    EXPECT_FALSE(Parse({0x4e, 0x54, 1}).IsValid()) << "too short";
    EXPECT_FALSE(Parse({0x00, 0x54, 1, 1, 0, 4, 0, 0, 0, 1}).IsValid()) << "magic";
    EXPECT_FALSE(Parse({0x4e, 0x54, 2, 1, 0, 4, 0, 0, 0, 1}).IsValid()) << "version";
    EXPECT_FALSE(Parse({0x4e, 0x54, 1, 0x55, 0, 4, 0, 0, 0, 1}).IsValid()) << "type";
    EXPECT_FALSE(Parse({0x4e, 0x54, 1, 1, 0, 5, 0, 0, 0, 1, 0}).IsValid()) << "P1 length";
    EXPECT_FALSE(Parse({0x4e, 0x54, 1, 1, 0, 4, 0, 0}).IsValid()) << "truncated body";
    EXPECT_FALSE(Parse({0x4e, 0x54, 1, 2, 0, 9, 0, 0, 0, 1, 2, 10, 0, 0, 2}).IsValid())
        << "P2 count 2 with one address";
    EXPECT_TRUE(Parse({0x4e, 0x54, 1, 1, 0, 4, 0, 0, 0, 1}).IsValid());
}

TEST(TraversalHeaderTest, ExtractMessagesFramesTcpStream)
{
    TraversalHeader a(TraversalHeader::ACCESS);
    TraversalHeader p5(TraversalHeader::P5_VERDICT);
    Ptr<Packet> both = Create<Packet>();
    both->AddHeader(p5);
    both->AddHeader(a);
    std::vector<uint8_t> buffer;
    uint32_t malformed = 0;
    // Split the stream in the middle of the first message.
    auto first = ExtractMessages(buffer, both->CreateFragment(0, 5), malformed);
    EXPECT_TRUE(first.empty());
    auto rest = ExtractMessages(buffer, both->CreateFragment(5, both->GetSize() - 5), malformed);
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_TRUE(buffer.empty());
    uint8_t junk[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_TRUE(ExtractMessages(buffer, Create<Packet>(junk, 8), malformed).empty());
    EXPECT_EQ(malformed, 1u);
}

TEST(TraversalHeaderTest, DecideVerdictComparesObservedWithOwnList)
{
    std::vector<Ipv4Address> own{Ipv4Address("192.0.2.2"), Ipv4Address("10.1.1.1")};
    EXPECT_EQ(DecideVerdict(own, Ipv4Address("192.0.2.2")), NatVerdict::PROXY);
    EXPECT_EQ(DecideVerdict(own, Ipv4Address("203.0.113.1")), NatVerdict::NAT);
}

class NatDetectionTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }

    void Build(Time keepIdle, Time streamDuration)
    {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        topo = CreateObject<ApartmentTopologyHelper>();
        topo->SetAttribute("Buildings", UintegerValue(1));
        topo->SetAttribute("FlatsPerBuilding", UintegerValue(1));
        topo->SetAttribute("TerminalsPerFlat", UintegerValue(2));
        topo->SetAttribute("RemotePhones", UintegerValue(1));
        topo->SetAttribute("EdgeMode", StringValue("Nat"));
        NatHelper nat;
        nat.Prepare(topo);
        topo->Build();
        natLayer = nat.Install(topo);
        natLayer->TraceConnectWithoutContext("MappingExpired",
                                             MakeCallback(&NatDetectionTest::OnExpired, this));
        proxy = NatHelper::AddProxySite(topo);
        agent = CreateObject<NatControlAgent>();
        topo->GetNatRouter()->AddApplication(agent);
        server = CreateObject<NatDetectionServer>();
        server->SetAttribute("KeepIdle", TimeValue(keepIdle));
        server->SetAttribute("StreamDuration", TimeValue(streamDuration));
        topo->GetOutsideGatekeeper()->AddApplication(server);
    }

    Ptr<NatDetectionClient> AddClient(Ptr<Node> node, uint32_t index, Time start)
    {
        auto c = CreateObject<NatDetectionClient>();
        c->SetAttribute("ServerAddress", Ipv4AddressValue(topo->GetOutsideGatekeeperAddress()));
        c->SetAttribute("UserIndex", UintegerValue(index));
        c->SetAttribute("KeepaliveInterval", TimeValue(Seconds(10)));
        node->AddApplication(c);
        c->SetStartTime(start);
        return c;
    }

    void OnExpired(const NatMapping& m)
    {
        expired.emplace_back(Simulator::Now(), m);
    }

    Ptr<ApartmentTopologyHelper> topo;
    Ptr<NatTrafficControlLayer> natLayer;
    NatHelper::ProxySite proxy;
    Ptr<NatControlAgent> agent;
    Ptr<NatDetectionServer> server;
    std::vector<std::pair<Time, NatMapping>> expired;
};

TEST_F(NatDetectionTest, VerdictInAllThreeCases)
{
    Build(Seconds(30), Seconds(2));
    auto natClient = AddClient(topo->GetTerminal(0, 0, 1), 1, Seconds(1));
    auto publicClient = AddClient(topo->GetRemotePhones().Get(0), 2, Seconds(1));
    auto proxyClient = AddClient(proxy.client, 3, Seconds(1));
    Simulator::Stop(Seconds(6));
    Simulator::Run();

    EXPECT_EQ(natClient->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(natClient->GetObservedAddress(), topo->GetAddressPlan().GetNatRouterPublicAddress());
    EXPECT_EQ(publicClient->GetVerdict(), NatVerdict::PUBLIC);
    EXPECT_EQ(proxyClient->GetVerdict(), NatVerdict::PROXY);
    EXPECT_EQ(proxyClient->GetObservedAddress(), proxy.clientAddress);
    EnumAttributeValue<int> v;
    proxyClient->GetAttribute("Verdict", v);
    EXPECT_EQ(v.Get(), static_cast<int>(NatVerdict::PROXY));

    EXPECT_EQ(server->GetClientVerdict(1), NatVerdict::NAT);
    EXPECT_EQ(server->GetClientVerdict(2), NatVerdict::PUBLIC);
    EXPECT_EQ(server->GetClientVerdict(3), NatVerdict::PROXY);
    EXPECT_EQ(agent->GetKeptCount(), 1u) << "the router was asked to keep the NAT client";
    EXPECT_EQ(server->GetKeepAcks(), 1u);
    // The stream (2 s from P5, first packet 100 ms later, one per 20 ms) reaches all three.
    uint32_t index = 1;
    for (auto c : {natClient, publicClient, proxyClient})
    {
        EXPECT_GE(server->GetStreamSent(index), 94u);
        EXPECT_EQ(c->GetStreamReceived(), server->GetStreamSent(index)) << index;
        EXPECT_GT(c->GetDetectionTime(), Time(0));
        ++index;
    }
    EXPECT_EQ(server->GetMalformedCount(), 0u);
}

TEST_F(NatDetectionTest, TwoMasqueradedClientsToldApartByUserIndexAndPort)
{
    Build(Seconds(30), Seconds(1));
    auto a = AddClient(topo->GetTerminal(0, 0, 1), 11, Seconds(1));
    auto b = AddClient(topo->GetTerminal(0, 0, 2), 12, Seconds(1.5));
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    EXPECT_EQ(a->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(b->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(agent->GetKeptCount(), 2u);
    EXPECT_GE(a->GetStreamReceived(), 44u);
    EXPECT_EQ(a->GetStreamReceived(), server->GetStreamSent(11));
    EXPECT_EQ(b->GetStreamReceived(), server->GetStreamSent(12));
    EXPECT_GE(natLayer->GetTable().GetNMappings(), 2u);
}

TEST_F(NatDetectionTest, MappingReleasedAfterIdleWhenKeepalivesStop)
{
    Build(Seconds(30), Seconds(200));
    auto keeps = AddClient(topo->GetTerminal(0, 0, 1), 1, Seconds(1));
    auto stops = AddClient(topo->GetTerminal(0, 0, 2), 2, Seconds(1));
    stops->SetAttribute("KeepaliveStop", TimeValue(Seconds(40)));
    Simulator::Stop(Seconds(120));
    Simulator::Run();
    ASSERT_EQ(keeps->GetVerdict(), NatVerdict::NAT);
    ASSERT_EQ(stops->GetVerdict(), NatVerdict::NAT);
    // Keepalives at 11, 21, 31 s (+ detection time); the last refresh ~31 s, idle 30 s.
    ASSERT_GE(expired.size(), 1u);
    EXPECT_NEAR(expired[0].first.GetSeconds(), 61.0, 1.0);
    EXPECT_NEAR(stops->GetLastStreamTime().GetSeconds(), 61.0, 1.0) << "stream dies with it";
    EXPECT_GT(keeps->GetLastStreamTime().GetSeconds(), 119.0) << "kept alive";
    EXPECT_GT(server->GetStreamSent(2), stops->GetStreamReceived() + 2000)
        << "the server went on sending into the released mapping";
}

TEST_F(NatDetectionTest, MalformedMessagesDroppedAndCounted)
{
    Build(Seconds(30), Seconds(0));
    Ptr<Node> remote = topo->GetRemotePhones().Get(0);
    Ptr<Socket> s = Socket::CreateSocket(remote, UdpSocketFactory::GetTypeId());
    s->Bind();
    const InetSocketAddress toServer(topo->GetOutsideGatekeeperAddress(), 7070);
    const InetSocketAddress toAgent(topo->GetAddressPlan().GetNatRouterPublicAddress(), 1023);
    uint8_t shortMsg[3] = {0x4e, 0x54, 1};
    uint8_t badMagic[10] = {0, 0, 1, 1, 0, 4, 0, 0, 0, 1};
    uint8_t badLength[12] = {0x4e, 0x54, 1, 0x20, 0, 20, 0, 0, 0, 0, 0, 0};
    ScheduleFunction(Seconds(1), [&]() {
        for (auto to : {toServer, toAgent})
        {
            s->SendTo(Create<Packet>(shortMsg, 3), 0, to);
            s->SendTo(Create<Packet>(badMagic, 10), 0, to);
            s->SendTo(Create<Packet>(badLength, 12), 0, to);
        }
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(server->GetMalformedCount(), 3u);
    EXPECT_EQ(agent->GetMalformedCount(), 3u);
    EXPECT_EQ(agent->GetKeptCount(), 0u);
}

TEST_F(NatDetectionTest, KeepRefusedForUnknownMappingOrIdleOutOfBounds)
{
    Build(Seconds(30), Seconds(0));
    Ptr<Socket> s =
        Socket::CreateSocket(topo->GetOutsideGatekeeper(), UdpSocketFactory::GetTypeId());
    s->Bind();
    TraversalHeader keep(TraversalHeader::KEEP);
    keep.SetAddress(topo->GetAddressPlan().GetNatRouterPublicAddress());
    keep.SetPort(5555);
    keep.SetIdleSeconds(30);
    TraversalHeader tooShort = keep; // below MinIdle (10 s)
    tooShort.SetIdleSeconds(1);
    TraversalHeader tooLong = keep; // above MaxIdle (3600 s)
    tooLong.SetIdleSeconds(4000);
    std::vector<uint8_t> statuses;
    agent->TraceConnectWithoutContext(
        "Keep",
        MakeBoundCallback(
            +[](std::vector<uint8_t>* v, const TraversalHeader&, uint8_t status) {
                v->push_back(status);
            },
            &statuses));
    ScheduleFunction(Seconds(1), [&]() {
        for (const auto& h : {keep, tooShort, tooLong})
        {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(h);
            s->SendTo(p,
                      0,
                      InetSocketAddress(topo->GetAddressPlan().GetNatRouterPublicAddress(), 1023));
        }
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    // The idle bounds are checked before the mapping is looked up.
    EXPECT_EQ(statuses,
              (std::vector<uint8_t>{TraversalHeader::KEEP_NO_MAPPING,
                                    TraversalHeader::KEEP_REFUSED,
                                    TraversalHeader::KEEP_REFUSED}));
    EXPECT_EQ(agent->GetRefusedCount(), 3u);
    EXPECT_EQ(agent->GetKeptCount(), 0u);
}

} // namespace
