/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"
#include "ns3/stun-client.h"
#include "ns3/stun-header.h"
#include "ns3/stun-server.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

StunHeader
Parse(std::vector<uint8_t> bytes)
{
    Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
    StunHeader h;
    p->RemoveHeader(h);
    return h;
}

TEST(StunHeaderTest, XorMappedAddressMatchesRfc5769Vector)
{
    // RFC 5769 section 2.2: 192.0.2.1 port 32853 -> 00 01 a1 47 e1 12 a6 43
    StunHeader h;
    h.SetMessageType(StunHeader::BINDING_SUCCESS);
    h.SetTransactionId({0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae});
    h.SetMappedAddress(Ipv4Address("192.0.2.1"), 32853);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> b = Bytes(p);
    ASSERT_EQ(b.size(), 32u);
    EXPECT_EQ(std::vector<uint8_t>(b.begin(), b.begin() + 8),
              (std::vector<uint8_t>{0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42}));
    EXPECT_EQ(
        std::vector<uint8_t>(b.begin() + 20, b.end()),
        (std::vector<
            uint8_t>{0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43}));
    StunHeader back = Parse(b);
    ASSERT_TRUE(back.IsValid());
    EXPECT_EQ(back.GetMappedAddress(), Ipv4Address("192.0.2.1"));
    EXPECT_EQ(back.GetMappedPort(), 32853);
    EXPECT_EQ(back.GetTransactionId(), h.GetTransactionId());
}

TEST(StunHeaderTest, UnknownAttributesSkippedMalformedRejected)
{
    std::vector<uint8_t> request{0x00,
                                 0x01,
                                 0x00,
                                 0x08,
                                 0x21,
                                 0x12,
                                 0xa4,
                                 0x42,
                                 1,
                                 2,
                                 3,
                                 4,
                                 5,
                                 6,
                                 7,
                                 8,
                                 9,
                                 10,
                                 11,
                                 12,
                                 // SOFTWARE, 3 bytes + 1 padding
                                 0x80,
                                 0x22,
                                 0x00,
                                 0x03,
                                 'n',
                                 's',
                                 '3',
                                 0};
    StunHeader ok = Parse(request);
    EXPECT_TRUE(ok.IsValid());
    EXPECT_FALSE(ok.HasMappedAddress());
    EXPECT_EQ(ok.GetMessageType(), StunHeader::BINDING_REQUEST);

    auto broken = request;
    broken[4] = 0; // cookie
    EXPECT_FALSE(Parse(broken).IsValid());
    broken = request;
    broken[0] = 0xc0; // top bits
    EXPECT_FALSE(Parse(broken).IsValid());
    broken = request;
    broken[3] = 0x06; // not a multiple of 4
    EXPECT_FALSE(Parse(broken).IsValid());
    broken = request;
    broken[23] = 0x09; // attribute runs past the message
    EXPECT_FALSE(Parse(broken).IsValid());
    EXPECT_FALSE(Parse({0x00, 0x01, 0x00}).IsValid());
}

class StunBindingTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }
};

TEST_F(StunBindingTest, MappedAddressThroughNatProxyAndPublic)
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("Buildings", UintegerValue(1));
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(1));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(1));
    topo->SetAttribute("RemotePhones", UintegerValue(1));
    topo->SetAttribute("EdgeMode", StringValue("Nat"));
    NatHelper nat;
    nat.Prepare(topo);
    topo->Build();
    nat.Install(topo);
    NatHelper::ProxySite proxy = NatHelper::AddProxySite(topo);
    auto server = CreateObject<StunServer>();
    topo->GetOutsideGatekeeper()->AddApplication(server);
    std::vector<Ptr<StunClient>> clients;
    int64_t stream = 10;
    for (Ptr<Node> n : {topo->GetTerminal(0, 0, 1), proxy.client, topo->GetRemotePhones().Get(0)})
    {
        auto c = CreateObject<StunClient>();
        c->SetAttribute("ServerAddress", Ipv4AddressValue(topo->GetOutsideGatekeeperAddress()));
        stream += c->AssignStreams(stream);
        n->AddApplication(c);
        c->SetStartTime(Seconds(1));
        clients.push_back(c);
    }
    Ptr<Socket> junk =
        Socket::CreateSocket(topo->GetRemotePhones().Get(0), UdpSocketFactory::GetTypeId());
    junk->Bind();
    ScheduleFunction(Seconds(2), [&]() {
        uint8_t bad[20] = {0x00, 0x01, 0, 0, 0xde, 0xad, 0xbe, 0xef};
        junk->SendTo(Create<Packet>(bad, 20),
                     0,
                     InetSocketAddress(topo->GetOutsideGatekeeperAddress(), 3478));
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(clients[0]->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(clients[0]->GetMappedAddress(), topo->GetAddressPlan().GetNatRouterPublicAddress());
    EXPECT_EQ(clients[1]->GetVerdict(), NatVerdict::PUBLIC) << "STUN does not see a TCP proxy";
    EXPECT_EQ(clients[1]->GetMappedAddress(), proxy.clientAddress);
    EXPECT_EQ(clients[2]->GetVerdict(), NatVerdict::PUBLIC);
    for (auto c : clients)
    {
        EXPECT_EQ(c->GetRequestsSent(), 1u);
        EXPECT_GT(c->GetDetectionTime(), Time(0));
    }
    EXPECT_EQ(server->GetAnswered(), 3u);
    EXPECT_EQ(server->GetMalformedCount(), 1u);
}

} // namespace
