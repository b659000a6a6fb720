/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// End-to-end tests of the NAT on the complex's edge router (NatTrafficControlLayer +
// NatHelper), with checksums computed and verified by ns-3 so a wrong checksum after
// translation makes the receiver drop the packet.

#include "ns3/apartment-topology-helper.h"
#include "ns3/apartment-voip-compat.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// One UDP socket that records what it receives and from whom.
struct UdpEnd
{
    Ptr<Socket> socket;
    std::vector<std::pair<InetSocketAddress, uint32_t>> received; //!< (from, size)

    void Open(Ptr<Node> node, uint16_t port)
    {
        socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        socket->SetRecvCallback(MakeCallback(&UdpEnd::OnReceive, this));
    }

    void OnReceive(Ptr<Socket> s)
    {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            received.emplace_back(InetSocketAddress::ConvertFrom(from), p->GetSize());
        }
    }

    void SendAt(Time t, Ipv4Address to, uint16_t port, uint32_t size)
    {
        ScheduleFunction(t, [this, to, port, size]() {
            socket->SendTo(Create<Packet>(size), 0, InetSocketAddress(to, port));
        });
    }

    /// Replies to every packet (an echo) with the same size.
    void Echo()
    {
        socket->SetRecvCallback(MakeCallback(&UdpEnd::OnEcho, this));
    }

    void OnEcho(Ptr<Socket> s)
    {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            received.emplace_back(InetSocketAddress::ConvertFrom(from), p->GetSize());
            s->SendTo(Create<Packet>(p->GetSize()), 0, from);
        }
    }
};

class NatRouterTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }

    /// One building, one flat of two terminals, one remote phone, NAT at the edge.
    void Build(NatHelper& nat)
    {
        topo = CreateObject<ApartmentTopologyHelper>();
        topo->SetAttribute("Buildings", UintegerValue(1));
        topo->SetAttribute("FlatsPerBuilding", UintegerValue(1));
        topo->SetAttribute("TerminalsPerFlat", UintegerValue(2));
        topo->SetAttribute("RemotePhones", UintegerValue(1));
        topo->SetAttribute("EdgeMode", StringValue("Nat"));
        nat.Prepare(topo);
        topo->Build();
        natLayer = nat.Install(topo);
        natLayer->TraceConnectWithoutContext("MappingCreated",
                                             MakeCallback(&NatRouterTest::OnCreated, this));
        natLayer->TraceConnectWithoutContext("MappingExpired",
                                             MakeCallback(&NatRouterTest::OnExpired, this));
        natLayer->TraceConnectWithoutContext("Drop", MakeCallback(&NatRouterTest::OnDrop, this));
        remote = topo->GetRemotePhones().Get(0);
        remoteAddress = topo->GetRemotePhoneAddress(0);
        publicAddress = topo->GetAddressPlan().GetNatRouterPublicAddress();
    }

    void OnCreated(const NatMapping& m)
    {
        created.push_back(m);
    }

    void OnExpired(const NatMapping& m)
    {
        expired.push_back({Simulator::Now(), m});
    }

    void OnDrop(Ptr<const Packet>, const Ipv4Header&, NatDropReason reason)
    {
        drops.push_back(reason);
    }

    Ptr<Node> Terminal(uint32_t t) const
    {
        return topo->GetTerminal(0, 0, t + 1); // terminals count from 1
    }

    Ipv4Address TerminalAddress(uint32_t t) const
    {
        return ApartmentTopologyHelper::GetPrimaryAddress(Terminal(t));
    }

    Ptr<ApartmentTopologyHelper> topo;
    Ptr<NatTrafficControlLayer> natLayer;
    Ptr<Node> remote;
    Ipv4Address remoteAddress;
    Ipv4Address publicAddress;
    std::vector<NatMapping> created;
    std::vector<std::pair<Time, NatMapping>> expired;
    std::vector<NatDropReason> drops;
};

TEST_F(NatRouterTest, UdpEchoThroughNaptWithChecksums)
{
    NatHelper nat;
    Build(nat);
    UdpEnd server;
    server.Open(remote, 7);
    server.Echo();
    UdpEnd client;
    client.Open(Terminal(0), 5000);
    client.SendAt(Seconds(1), remoteAddress, 7, 200);
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    ASSERT_EQ(server.received.size(), 1u) << "request lost (bad checksum or no route)";
    EXPECT_EQ(server.received[0].first.GetIpv4(), publicAddress) << "no private address outside";
    EXPECT_EQ(server.received[0].first.GetPort(), 5000) << "port preserved";
    ASSERT_EQ(client.received.size(), 1u) << "reply not translated back";
    EXPECT_EQ(client.received[0].first.GetIpv4(), remoteAddress);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(created[0].insideAddress, TerminalAddress(0));
    EXPECT_EQ(natLayer->GetTranslatedCount(), 2u);
    auto seen = natLayer->LookupPublic(17, TerminalAddress(0), 5000);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->first, publicAddress);
}

TEST_F(NatRouterTest, TwoTerminalsSamePortGetDistinctPublicPorts)
{
    NatHelper nat;
    Build(nat);
    UdpEnd server;
    server.Open(remote, 7);
    server.Echo();
    UdpEnd a;
    UdpEnd b;
    a.Open(Terminal(0), 5000);
    b.Open(Terminal(1), 5000);
    a.SendAt(Seconds(1), remoteAddress, 7, 100);
    b.SendAt(Seconds(1.1), remoteAddress, 7, 100);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(server.received.size(), 2u);
    EXPECT_NE(server.received[0].first.GetPort(), server.received[1].first.GetPort());
    EXPECT_EQ(a.received.size(), 1u);
    EXPECT_EQ(b.received.size(), 1u);
}

TEST_F(NatRouterTest, UnsolicitedInboundToTheRouterAddressEndsAtTheRouter)
{
    NatHelper nat;
    Build(nat);
    UdpEnd inside;
    inside.Open(Terminal(0), 5000);
    UdpEnd outside;
    outside.Open(remote, 7);
    uint32_t icmpErrors = 0;
    Callback<void, Ipv4Address, uint8_t, uint8_t, uint8_t, uint32_t> onIcmp = MakeBoundCallback(
        +[](uint32_t* n, Ipv4Address, uint8_t, uint8_t type, uint8_t code, uint32_t) {
            *n += (type == Icmpv4Header::ICMPV4_DEST_UNREACH &&
                   code == Icmpv4DestinationUnreachable::ICMPV4_PORT_UNREACHABLE)
                      ? 1
                      : 0;
        },
        &icmpErrors);
    outside.socket->SetAttribute("IcmpCallback", CallbackValue(onIcmp));
    uint32_t toRouter = 0;
    Ptr<Ipv4L3Protocol> routerIp = topo->GetNatRouter()->GetObject<Ipv4L3Protocol>();
    routerIp->TraceConnectWithoutContext(
        "LocalDeliver",
        MakeBoundCallback(
            +[](uint32_t* n, const Ipv4Header& h, Ptr<const Packet>, uint32_t) {
                *n += h.GetProtocol() == UdpL4Protocol::PROT_NUMBER ? 1 : 0;
            },
            &toRouter));
    outside.SendAt(Seconds(1), publicAddress, 5000, 100);
    outside.SendAt(Seconds(2), publicAddress, 5001, 100);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    // Without a mapping the NAT translates nothing and hands both to the router's own stack
    // (how NatControlAgent is reached), which has no socket there: both dropped, each
    // counted by the router's stack and answered with port unreachable. Nothing gets in.
    EXPECT_TRUE(inside.received.empty());
    EXPECT_EQ(natLayer->GetTranslatedCount(), 0u);
    EXPECT_EQ(natLayer->GetDropCount(), 0u);
    EXPECT_EQ(toRouter, 2u);
    EXPECT_EQ(icmpErrors, 2u);
}

TEST_F(NatRouterTest, UnsolicitedToPoolAddressDropped)
{
    NatHelper nat;
    nat.SetPublicAddresses({Ipv4Address("203.0.113.10"), Ipv4Address("203.0.113.11")});
    Build(nat);
    UdpEnd inside;
    inside.Open(Terminal(0), 5000);
    UdpEnd outside;
    outside.Open(remote, 7);
    outside.SendAt(Seconds(1), Ipv4Address("203.0.113.10"), 5000, 100);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_TRUE(inside.received.empty());
    EXPECT_EQ(natLayer->GetDropCount(NatDropReason::UNSOLICITED), 1u);
    ASSERT_EQ(drops.size(), 1u);
}

TEST_F(NatRouterTest, MappingExpiresAfterIdleTimeoutAndInboundThenFails)
{
    NatHelper nat;
    nat.SetAttribute("UdpTimeout", TimeValue(Seconds(120)));
    Build(nat);
    UdpEnd inside;
    inside.Open(Terminal(0), 5000);
    UdpEnd outside;
    outside.Open(remote, 7);
    inside.SendAt(Seconds(1), remoteAddress, 7, 100);
    inside.SendAt(Seconds(31), remoteAddress, 7, 100); // refresh
    outside.SendAt(Seconds(100), publicAddress, 5000, 100);
    outside.SendAt(Seconds(140), publicAddress, 5000, 100); // still inside 31 + 120
    outside.SendAt(Seconds(200), publicAddress, 5000, 100); // after expiry
    Simulator::Stop(Seconds(210));
    Simulator::Run();
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_NEAR(expired[0].first.GetSeconds(), 151.0, 0.1);
    EXPECT_EQ(inside.received.size(), 2u);
    EXPECT_EQ(outside.received.size(), 2u);
}

TEST_F(NatRouterTest, StaticRuleAcceptsInboundAndKeepsPorts)
{
    const Ipv4Address pub("203.0.113.50");
    NatHelper nat;
    // The terminal address is only known after Build: add the rule on the layer.
    Build(nat);
    ASSERT_TRUE(natLayer->AddStaticRule(TerminalAddress(1), pub));
    UdpEnd phone;
    phone.Open(Terminal(1), 5060);
    phone.Echo();
    UdpEnd outside;
    outside.Open(remote, 6000);
    outside.SendAt(Seconds(1), pub, 5060, 300);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(phone.received.size(), 1u);
    EXPECT_EQ(phone.received[0].first.GetIpv4(), remoteAddress);
    ASSERT_EQ(outside.received.size(), 1u);
    EXPECT_EQ(outside.received[0].first.GetIpv4(), pub);
    EXPECT_EQ(outside.received[0].first.GetPort(), 5060);
    ASSERT_EQ(natLayer->GetTable().GetStaticRules().size(), 1u);
}

TEST_F(NatRouterTest, FilteringAddressAndPortDependentDropsOtherPort)
{
    NatHelper nat;
    nat.SetAttribute("FilteringBehaviour", StringValue("AddressAndPortDependent"));
    Build(nat);
    UdpEnd inside;
    inside.Open(Terminal(0), 5000);
    UdpEnd outside7;
    outside7.Open(remote, 7);
    UdpEnd outside8;
    outside8.Open(remote, 8);
    inside.SendAt(Seconds(1), remoteAddress, 7, 100);
    outside7.SendAt(Seconds(2), publicAddress, 5000, 100);
    outside8.SendAt(Seconds(2), publicAddress, 5000, 100);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(inside.received.size(), 1u);
    EXPECT_EQ(inside.received[0].first.GetPort(), 7);
    EXPECT_EQ(natLayer->GetDropCount(NatDropReason::FILTERED), 1u);
}

TEST_F(NatRouterTest, PortExhaustionDropsCountsAndTraces)
{
    NatHelper nat;
    nat.SetAttribute("PortMin", UintegerValue(40000));
    nat.SetAttribute("PortMax", UintegerValue(40002));
    Build(nat);
    UdpEnd server;
    server.Open(remote, 7);
    std::vector<UdpEnd> clients(5);
    for (uint32_t i = 0; i < clients.size(); ++i)
    {
        clients[i].Open(Terminal(i % 2), 6000 + i);
        clients[i].SendAt(Seconds(1 + 0.01 * i), remoteAddress, 7, 100);
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(server.received.size(), 3u);
    EXPECT_EQ(natLayer->GetDropCount(NatDropReason::EXHAUSTED), 2u);
    EXPECT_EQ(std::count(drops.begin(), drops.end(), NatDropReason::EXHAUSTED), 2);
    for (const auto& [from, size] : server.received)
    {
        EXPECT_GE(from.GetPort(), 40000);
        EXPECT_LE(from.GetPort(), 40002);
    }
}

TEST_F(NatRouterTest, FragmentedUdpTranslatedBothWays)
{
    NatHelper nat;
    Build(nat);
    UdpEnd server;
    server.Open(remote, 7);
    server.Echo();
    UdpEnd client;
    client.Open(Terminal(0), 5000);
    client.SendAt(Seconds(1), remoteAddress, 7, 4000); // three fragments each way
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(server.received.size(), 1u) << "reassembly or UDP checksum failed";
    EXPECT_EQ(server.received[0].second, 4000u);
    EXPECT_EQ(server.received[0].first.GetIpv4(), publicAddress);
    ASSERT_EQ(client.received.size(), 1u);
    EXPECT_EQ(client.received[0].second, 4000u);
    EXPECT_EQ(natLayer->GetTranslatedCount(), 6u);
}

TEST_F(NatRouterTest, TcpTransferThroughNat)
{
    NatHelper nat;
    Build(nat);
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 80));
    ApplicationContainer sinkApp = sink.Install(remote);
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(remoteAddress, 80));
    bulk.SetAttribute("MaxBytes", UintegerValue(100000));
    bulk.Install(Terminal(0)).Start(Seconds(1));
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    EXPECT_EQ(DynamicCast<PacketSink>(sinkApp.Get(0))->GetTotalRx(), 100000u);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(created[0].protocol, 6);
    std::ostringstream os;
    natLayer->PrintTable(os);
    EXPECT_NE(os.str().find("tcp " +
                            [&] {
                                std::ostringstream a;
                                a << TerminalAddress(0);
                                return a.str();
                            }()),
              std::string::npos)
        << os.str();
}

TEST_F(NatRouterTest, PingThroughNatMapsIdentifier)
{
    NatHelper nat;
    Build(nat);
    ApplicationContainer app = InstallPing(Terminal(0), remoteAddress, Seconds(1));
    app.Start(Seconds(1));
    app.Stop(Seconds(3.5));
    uint32_t replies = 0;
    CountPingReplies(app.Get(0), &replies);
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    EXPECT_EQ(replies, 3u);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(created[0].protocol, 1);
}

TEST_F(NatRouterTest, HairpinBetweenTwoInsideHosts)
{
    NatHelper nat;
    Build(nat);
    UdpEnd server;
    server.Open(remote, 7);
    UdpEnd b;
    b.Open(Terminal(1), 7000);
    UdpEnd a;
    a.Open(Terminal(0), 5000);
    b.SendAt(Seconds(1), remoteAddress, 7, 100); // B's mapping: public:7000
    a.SendAt(Seconds(2), publicAddress, 7000, 100);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(b.received.size(), 1u);
    EXPECT_EQ(b.received[0].first.GetIpv4(), publicAddress) << "B sees A's public endpoint";
    EXPECT_EQ(b.received[0].first.GetPort(), 5000);
}

TEST_F(NatRouterTest, PoolModeGivesEachHostItsOwnAddress)
{
    NatHelper nat;
    nat.SetAttribute("Mode", StringValue("Pool"));
    nat.SetPublicAddresses({Ipv4Address("203.0.113.10"), Ipv4Address("203.0.113.11")});
    Build(nat);
    UdpEnd server;
    server.Open(remote, 7);
    server.Echo();
    UdpEnd a;
    UdpEnd b;
    a.Open(Terminal(0), 5000);
    b.Open(Terminal(1), 5000);
    a.SendAt(Seconds(1), remoteAddress, 7, 100);
    b.SendAt(Seconds(1.1), remoteAddress, 7, 100);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(server.received.size(), 2u);
    EXPECT_EQ(server.received[0].first.GetIpv4(), Ipv4Address("203.0.113.10"));
    EXPECT_EQ(server.received[1].first.GetIpv4(), Ipv4Address("203.0.113.11"));
    EXPECT_EQ(server.received[1].first.GetPort(), 5000) << "ports kept in pool mode";
    EXPECT_EQ(a.received.size(), 1u) << "the ISP routes pool addresses to the NAT";
    EXPECT_EQ(b.received.size(), 1u);
}

TEST_F(NatRouterTest, InvalidConfigurationIsRefusedWithReason)
{
    auto nat = CreateObject<NatTrafficControlLayer>();
    nat->SetAttribute("UdpTimeout", TimeValue(Seconds(30)));
    Ptr<Node> node = CreateObject<Node>();
    Ptr<SimpleNetDevice> dev = CreateObject<SimpleNetDevice>();
    node->AddDevice(dev);
    std::string error = nat->Enable(dev, {Ipv4Address("203.0.113.1")});
    EXPECT_NE(error.find("RFC 4787"), std::string::npos) << error;
    EXPECT_FALSE(nat->IsEnabled());
    nat->SetAttribute("AllowShortTimeouts", BooleanValue(true));
    EXPECT_EQ(nat->Enable(dev, {Ipv4Address("203.0.113.1")}), "");
}

} // namespace
