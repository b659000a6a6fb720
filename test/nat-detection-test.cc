/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/apartment-voip-compat.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/keep-authenticator.h"
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

TEST(TraversalHeaderTest, KeepCarriesSequenceAndCodeAfterEveryOtherField)
{
    TraversalHeader keep(TraversalHeader::KEEP);
    keep.SetAddress(Ipv4Address("203.0.113.1"));
    keep.SetPort(7072);
    keep.SetIdleSeconds(30);
    keep.SetUserIndex(7);
    keep.SetSequence(0x01020304);
    HmacSha256Code mac;
    for (uint32_t i = 0; i < mac.size(); ++i)
    {
        mac[i] = static_cast<uint8_t>(0xa0 + i);
    }
    keep.SetMac(mac);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(keep);
    ASSERT_EQ(p->GetSize(), 6u + 13u + 4u + 32u);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    EXPECT_EQ((std::vector<uint8_t>(bytes.begin(), bytes.begin() + 6)),
              (std::vector<uint8_t>{0x4e, 0x54, 1, 0x20, 0, 49}));
    EXPECT_EQ((std::vector<uint8_t>(bytes.begin() + 19, bytes.begin() + 23)),
              (std::vector<uint8_t>{1, 2, 3, 4}));
    EXPECT_EQ(bytes[23], 0xa0);
    EXPECT_EQ(bytes.back(), 0xa0 + 31);
    // The code covers everything before it.
    EXPECT_EQ(keep.GetAuthenticatedBytes(),
              std::vector<uint8_t>(bytes.begin(), bytes.end() - TraversalHeader::MAC_SIZE));
    TraversalHeader back = RoundTrip(keep);
    ASSERT_TRUE(back.IsValid());
    EXPECT_EQ(back.GetSequence(), 0x01020304u);
    EXPECT_EQ(back.GetMac(), mac);
    EXPECT_EQ(back.GetUserIndex(), 7u);
    // The old 13-byte KEEP is malformed now.
    EXPECT_FALSE(
        Parse({0x4e, 0x54, 1, 0x20, 0, 13, 17, 203, 0, 113, 1, 0x1b, 0xa0, 0, 30, 0, 0, 0, 7})
            .IsValid());
}

class KeepAuthenticatorTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (!CryptoAvailable())
        {
            GTEST_SKIP() << "built without libcrypto";
        }
        m_keep.SetType(TraversalHeader::KEEP);
        m_keep.SetAddress(Ipv4Address("203.0.113.1"));
        m_keep.SetPort(40000);
        m_keep.SetIdleSeconds(30);
        m_keep.SetUserIndex(9);
    }

    /// \return \p h as the agent reads it off the wire
    static TraversalHeader Wire(const TraversalHeader& h)
    {
        return RoundTrip(h);
    }

    TraversalHeader m_keep;
    const Ipv4Address m_server{"198.51.100.10"};
};

TEST_F(KeepAuthenticatorTest, CodeIsHmacSha256OfTheFieldsUnderTheSharedKey)
{
    KeepAuthenticator server("k3y");
    server.Sign(m_keep);
    EXPECT_EQ(m_keep.GetSequence(), 1u);
    const std::vector<uint8_t> data = m_keep.GetAuthenticatedBytes();
    const std::string key = "k3y";
    EXPECT_EQ(m_keep.GetMac(),
              HmacSha256(reinterpret_cast<const uint8_t*>(key.data()),
                         key.size(),
                         data.data(),
                         data.size()));
    KeepAuthenticator agent("k3y");
    EXPECT_EQ(agent.Check(Wire(m_keep), m_server), KeepAuthenticator::AUTHENTIC);
    server.Sign(m_keep);
    EXPECT_EQ(m_keep.GetSequence(), 2u);
    EXPECT_EQ(agent.Check(Wire(m_keep), m_server), KeepAuthenticator::AUTHENTIC);
}

TEST_F(KeepAuthenticatorTest, ForgedWhenAnyFieldOrTheKeyDiffers)
{
    KeepAuthenticator server("k3y");
    server.Sign(m_keep);
    std::vector<TraversalHeader> forged(6, m_keep);
    forged[0].SetAddress(Ipv4Address("203.0.113.2"));
    forged[1].SetPort(40001);
    forged[2].SetIdleSeconds(3600);
    forged[3].SetUserIndex(10);
    forged[4].SetSequence(m_keep.GetSequence() + 1); // a forger cannot renumber either
    forged[5].SetProtocol(6);
    KeepAuthenticator agent("k3y");
    for (const auto& h : forged)
    {
        EXPECT_EQ(agent.Check(Wire(h), m_server), KeepAuthenticator::FORGED);
    }
    KeepAuthenticator otherKey("another key");
    TraversalHeader wrong = m_keep;
    otherKey.Sign(wrong);
    EXPECT_EQ(agent.Check(Wire(wrong), m_server), KeepAuthenticator::FORGED);
    TraversalHeader zero = m_keep;
    zero.SetMac(HmacSha256Code{});
    EXPECT_EQ(agent.Check(Wire(zero), m_server), KeepAuthenticator::FORGED);
    // Forgeries do not consume the sequence number: the real KEEP still passes.
    EXPECT_EQ(agent.Check(Wire(m_keep), m_server), KeepAuthenticator::AUTHENTIC);
    // An agent without a key cannot check a code: it refuses a signed KEEP...
    KeepAuthenticator open;
    EXPECT_EQ(open.Check(Wire(m_keep), m_server), KeepAuthenticator::FORGED);
    // ...and a server without a key sends an all-zero code that only such an agent takes.
    KeepAuthenticator unsigned_;
    TraversalHeader plain = m_keep;
    unsigned_.Sign(plain);
    EXPECT_EQ(plain.GetMac(), HmacSha256Code{});
    EXPECT_EQ(agent.Check(Wire(plain), m_server), KeepAuthenticator::FORGED);
    EXPECT_EQ(open.Check(Wire(plain), m_server), KeepAuthenticator::AUTHENTIC);
}

TEST_F(KeepAuthenticatorTest, ReplayedWhenTheSequenceIsNotAboveTheLastAccepted)
{
    KeepAuthenticator server("k3y");
    KeepAuthenticator agent("k3y");
    TraversalHeader first = m_keep;
    server.Sign(first);
    TraversalHeader second = m_keep;
    server.Sign(second);
    TraversalHeader third = m_keep;
    server.Sign(third);
    EXPECT_EQ(agent.Check(Wire(second), m_server), KeepAuthenticator::AUTHENTIC);
    EXPECT_EQ(agent.Check(Wire(second), m_server), KeepAuthenticator::REPLAYED) << "again";
    EXPECT_EQ(agent.Check(Wire(first), m_server), KeepAuthenticator::REPLAYED) << "older";
    EXPECT_EQ(agent.Check(Wire(third), m_server), KeepAuthenticator::AUTHENTIC);
    // Sequence numbers are per sender: a second server with the key has its own.
    KeepAuthenticator other("k3y");
    TraversalHeader fromOther = m_keep;
    other.Sign(fromOther);
    EXPECT_EQ(agent.Check(Wire(fromOther), Ipv4Address("198.51.100.11")),
              KeepAuthenticator::AUTHENTIC);
    // A new key keeps the numbers seen, so a restart does not reopen replay.
    agent.SetKey("k3y");
    EXPECT_EQ(agent.Check(Wire(third), m_server), KeepAuthenticator::REPLAYED);
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
        agent->SetAttribute("KeepKey", StringValue(KEY));
        topo->GetNatRouter()->AddApplication(agent);
        server = CreateObject<NatDetectionServer>();
        server->SetAttribute("KeepKey", StringValue(KEY));
        server->SetAttribute("KeepIdle", TimeValue(keepIdle));
        server->SetAttribute("StreamDuration", TimeValue(streamDuration));
        topo->GetOutsideGatekeeper()->AddApplication(server);
    }

    /// The key the fixture gives the server and the agent.
    static constexpr const char* KEY = "fixture KEEP key";

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
    KeepAuthenticator signer(KEY); // authentic KEEPs, so that only the bounds refuse them
    ScheduleFunction(Seconds(1), [&]() {
        for (TraversalHeader h : {keep, tooShort, tooLong})
        {
            signer.Sign(h);
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
    EXPECT_EQ(agent->GetForgedCount() + agent->GetReplayedCount() + agent->GetForeignCount(), 0u);
}

/// Counts a refusal trace (Forged, Replayed, Foreign) of the agent.
void
CountRefusal(uint32_t* n, const TraversalHeader&, const Address&)
{
    ++*n;
}

TEST_F(NatDetectionTest, ForgedReplayedAndForeignKeepsRefusedAndCounted)
{
    if (!CryptoAvailable())
    {
        GTEST_SKIP() << "built without libcrypto";
    }
    Build(Seconds(30), Seconds(20));
    auto client = AddClient(topo->GetTerminal(0, 0, 1), 1, Seconds(1));
    std::vector<std::pair<TraversalHeader, uint8_t>> handled;
    agent->TraceConnectWithoutContext("Keep",
                                      MakeBoundCallback(
                                          +[](std::vector<std::pair<TraversalHeader, uint8_t>>* v,
                                              const TraversalHeader& h,
                                              uint8_t status) { v->emplace_back(h, status); },
                                          &handled));
    uint32_t forgedTraced = 0;
    uint32_t replayedTraced = 0;
    uint32_t foreignTraced = 0;
    agent->TraceConnectWithoutContext("Forged", MakeBoundCallback(&CountRefusal, &forgedTraced));
    agent->TraceConnectWithoutContext("Replayed",
                                      MakeBoundCallback(&CountRefusal, &replayedTraced));
    agent->TraceConnectWithoutContext("Foreign", MakeBoundCallback(&CountRefusal, &foreignTraced));
    const InetSocketAddress toAgent(topo->GetAddressPlan().GetNatRouterPublicAddress(), 1023);
    // Terminal 2 opens a mapping towards a remote phone (not towards the server).
    Ptr<Node> remote = topo->GetRemotePhones().Get(0);
    const Ipv4Address remoteAddress = ApartmentTopologyHelper::GetPrimaryAddress(remote);
    Ptr<Socket> t2 =
        Socket::CreateSocket(topo->GetTerminal(0, 0, 2), UdpSocketFactory::GetTypeId());
    t2->Bind(InetSocketAddress(Ipv4Address::GetAny(), 4444));
    ScheduleFunction(Seconds(4), [&]() {
        t2->SendTo(Create<Packet>(20), 0, InetSocketAddress(remoteAddress, 9));
    });
    // The server's node (same source address as its KEEP, another port) and the remote.
    Ptr<Socket> fromServer =
        Socket::CreateSocket(topo->GetOutsideGatekeeper(), UdpSocketFactory::GetTypeId());
    fromServer->Bind();
    Ptr<Socket> fromRemote = Socket::CreateSocket(remote, UdpSocketFactory::GetTypeId());
    fromRemote->Bind();
    std::vector<TraversalHeader> acks;
    for (auto s : {fromServer, fromRemote})
    {
        s->SetRecvCallback(MakeBoundCallback(
            +[](std::vector<TraversalHeader>* v, Ptr<Socket> socket) {
                while (Ptr<Packet> p = socket->Recv())
                {
                    TraversalHeader h;
                    p->RemoveHeader(h);
                    v->push_back(h);
                }
            },
            &acks));
    }
    auto send = [&](Ptr<Socket> s, const TraversalHeader& h) {
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        s->SendTo(p, 0, toAgent);
    };
    std::optional<NatMapping> otherMapping;
    ScheduleFunction(Seconds(5), [&]() {
        ASSERT_EQ(handled.size(), 1u) << "the server's own KEEP";
        ASSERT_EQ(handled[0].second, TraversalHeader::KEEP_OK);
        const TraversalHeader real = handled[0].first;
        // Forged: the real KEEP with a longer idle time, and one signed with another key.
        TraversalHeader longer = real;
        longer.SetIdleSeconds(3600);
        send(fromServer, longer);
        TraversalHeader wrongKey = real;
        KeepAuthenticator("not the key").Sign(wrongKey);
        send(fromRemote, wrongKey);
        // Replayed: the real KEEP again, from the server's address.
        send(fromServer, real);
        // Foreign: the right key, from a host the mapping was not opened towards...
        TraversalHeader stolen = real;
        KeepAuthenticator(KEY).Sign(stolen);
        send(fromRemote, stolen);
        // ...and from the server, for terminal 2's mapping towards the remote phone.
        for (const NatMapping& m : natLayer->GetTable().GetMappings())
        {
            if (m.insidePort == 4444)
            {
                otherMapping = m;
            }
        }
        ASSERT_TRUE(otherMapping);
        TraversalHeader other = real;
        other.SetAddress(otherMapping->publicAddress);
        other.SetPort(otherMapping->publicPort);
        other.SetSequence(real.GetSequence() + 100);
        other.SetMac(KeepAuthenticator(KEY).Compute(other));
        send(fromServer, other);
    });
    Simulator::Stop(Seconds(6));
    Simulator::Run();
    EXPECT_EQ(agent->GetForgedCount(), 2u);
    EXPECT_EQ(agent->GetReplayedCount(), 1u);
    EXPECT_EQ(agent->GetForeignCount(), 2u);
    EXPECT_EQ(forgedTraced, 2u);
    EXPECT_EQ(replayedTraced, 1u);
    EXPECT_EQ(foreignTraced, 2u);
    EXPECT_EQ(agent->GetKeptCount(), 1u) << "only the server's own KEEP";
    EXPECT_EQ(agent->GetRefusedCount(), 2u) << "the foreign ones, answered KEEP_FOREIGN";
    // Forged and replayed KEEPs get no answer; foreign ones KEEP_FOREIGN.
    ASSERT_EQ(acks.size(), 2u);
    for (const auto& ack : acks)
    {
        EXPECT_EQ(ack.GetType(), TraversalHeader::KEEP_ACK);
        EXPECT_EQ(ack.GetStatus(), TraversalHeader::KEEP_FOREIGN);
    }
    // The refused KEEPs changed nothing: terminal 2's mapping is not pinned, the client's
    // keeps its idle time, and its stream goes on.
    ASSERT_TRUE(otherMapping);
    auto after = natLayer->GetTable().FindByPublic(17,
                                                   otherMapping->publicAddress,
                                                   otherMapping->publicPort);
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->pinned);
    auto kept = natLayer->GetTable().FindByPublic(17,
                                                  handled[0].first.GetAddress(),
                                                  handled[0].first.GetPort());
    ASSERT_TRUE(kept);
    EXPECT_TRUE(kept->pinned);
    EXPECT_EQ(kept->pinnedTimeout, Seconds(30));
    EXPECT_EQ(client->GetVerdict(), NatVerdict::NAT);
    // The stream (from about 1.1 s, one packet per 20 ms) goes on: all but the packet in
    // flight when the simulation stops have arrived.
    EXPECT_GT(client->GetStreamReceived(), 200u);
    EXPECT_GE(client->GetStreamReceived() + 1, server->GetStreamSent(1));
}

} // namespace
