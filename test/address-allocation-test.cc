/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-allocation-helper.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <set>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

class AddressAllocationTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    Ptr<ApartmentTopologyHelper> Build(uint32_t buildings, uint32_t flats, uint32_t terminals)
    {
        auto h = CreateObject<ApartmentTopologyHelper>();
        h->SetAttribute("Buildings", UintegerValue(buildings));
        h->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
        h->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
        h->SetAttribute("AddressMode", StringValue("Dynamic"));
        h->Build();
        return h;
    }

    static std::set<Ipv4Address> Addresses(const std::vector<Ptr<TerminalDhcpClient>>& clients)
    {
        std::set<Ipv4Address> out;
        for (auto c : clients)
        {
            out.insert(c->GetAddress());
        }
        return out;
    }
};

TEST_F(AddressAllocationTest, SeedExampleFlatGetsTenZeroZeroOneToFour)
{
    auto topo = Build(1, 1, 3);
    AddressAllocationHelper alloc(topo);
    alloc.Install();
    alloc.AssignStreams(1);
    std::vector<Time> setup;
    for (auto c : alloc.GetClients())
    {
        c->TraceConnectWithoutContext(
            "Bound",
            MakeBoundCallback(
                +[](std::vector<Time>* v, Ipv4Address, Time t) { v->push_back(t); },
                &setup));
    }
    // Proof that the core routes to the block: the terminal reaches a remote phone.
    uint32_t echoes = 0;
    UdpEchoServerHelper server(9);
    server.Install(topo->GetRemotePhones().Get(0));
    UdpEchoClientHelper client(topo->GetRemotePhoneAddress(0), 9);
    client.SetAttribute("MaxPackets", UintegerValue(1));
    ApplicationContainer app = client.Install(topo->GetTerminal(0, 0, 1));
    app.Start(Seconds(5));
    app.Get(0)->TraceConnectWithoutContext("Rx",
                                           MakeBoundCallback(
                                               +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
                                               &echoes));
    Simulator::Stop(Seconds(8));
    Simulator::Run();

    Ptr<Ipv4> gw = topo->GetGateway(0, 0)->GetObject<Ipv4>();
    uint32_t lan = gw->GetInterfaceForDevice(topo->GetGatewayLanDevice(0, 0));
    ASSERT_EQ(gw->GetNAddresses(lan), 1u);
    EXPECT_EQ(gw->GetAddress(lan, 0).GetLocal(), Ipv4Address("10.0.0.1"));
    EXPECT_EQ(Addresses(alloc.GetClients()),
              (std::set<Ipv4Address>{Ipv4Address("10.0.0.2"),
                                     Ipv4Address("10.0.0.3"),
                                     Ipv4Address("10.0.0.4")}));
    ASSERT_EQ(setup.size(), 3u);
    for (Time t : setup)
    {
        EXPECT_LT(t, Seconds(1)); // one exchange, no retry
    }
    EXPECT_EQ(echoes, 1u);
    EXPECT_EQ(alloc.CheckInvariant(), "");
    auto c = alloc.GetCounters();
    EXPECT_EQ(c.blocksAllotted, 1u);
    EXPECT_EQ(c.addressesInUse, 3u);
    EXPECT_EQ(c.noOffers, 0u);
}

TEST_F(AddressAllocationTest, RenewalAtT1KeepsTheAddress)
{
    auto topo = Build(1, 1, 1);
    AddressAllocationHelper alloc(topo);
    alloc.SetGatewayAttribute("LeaseTime", TimeValue(Seconds(20)));
    alloc.SetManagerAttribute("LeaseTime", TimeValue(Seconds(60)));
    alloc.Install();
    alloc.AssignStreams(1);
    Ptr<TerminalDhcpClient> c = alloc.GetClients()[0];
    std::vector<Time> renewals;
    c->TraceConnectWithoutContext(
        "Renewed",
        MakeBoundCallback(
            +[](std::vector<Time>* v, Ipv4Address) { v->push_back(Now()); },
            &renewals));
    uint32_t blockRenewals = 0;
    alloc.GetManager()->TraceConnectWithoutContext(
        "Renewal",
        MakeBoundCallback(
            +[](uint32_t* n, Ipv4Address, Ipv4Address, uint8_t) { ++*n; },
            &blockRenewals));
    Simulator::Stop(Seconds(101));
    Simulator::Run();
    // Bound at ~0 s; renewals at T1 = 10 s, then every 10 s.
    ASSERT_GE(renewals.size(), 9u);
    EXPECT_NEAR(renewals[0].GetSeconds(), 10.0, 0.5);
    EXPECT_NEAR((renewals[1] - renewals[0]).GetSeconds(), 10.0, 0.5);
    EXPECT_EQ(c->GetAddress(), Ipv4Address("10.0.0.2"));
    EXPECT_EQ(c->GetState(), TerminalDhcpClient::BOUND);
    EXPECT_EQ(blockRenewals, 3u); // the gateway renews its block at 30, 60, 90 s
    EXPECT_EQ(alloc.GetManager()->GetNReclaimed(), 0u);
    EXPECT_EQ(alloc.CheckInvariant(), "");
}

TEST_F(AddressAllocationTest, TerminalLeaseExpiryReallyFreesTheAddress)
{
    auto topo = Build(1, 1, 2);
    AddressAllocationHelper alloc(topo);
    alloc.SetGatewayAttribute("LeaseTime", TimeValue(Seconds(20)));
    alloc.SetGatewayAttribute("ReturnWhenEmpty", BooleanValue(false));
    alloc.InstallManager();
    alloc.InstallGateways();
    Ptr<TerminalDhcpClient> a = alloc.InstallClient(0, 0, 1);
    alloc.AssignStreams(1);
    std::vector<Ipv4Address> expired;
    alloc.GetGateway(0, 0)->TraceConnectWithoutContext(
        "Expiry",
        MakeBoundCallback(
            +[](std::vector<Ipv4Address>* v, Ipv4Address x, const Address&) { v->push_back(x); },
            &expired));
    // Terminal A vanishes at 5 s without a word (its interface goes down).
    Ptr<Node> na = topo->GetTerminal(0, 0, 1);
    ScheduleFunction(Seconds(5), [na, a]() {
        Ptr<Ipv4> ip = na->GetObject<Ipv4>();
        ip->SetDown(ip->GetInterfaceForDevice(a->GetDevice()));
    });
    Ptr<TerminalDhcpClient> b;
    ScheduleFunction(Seconds(10), [&]() { b = alloc.InstallClient(0, 0, 2); });
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0], Ipv4Address("10.0.0.2"));
    EXPECT_EQ(alloc.GetGateway(0, 0)->GetNExpired(), 1u);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->GetAddress(), Ipv4Address("10.0.0.3")); // .2 was held until its expiry
    EXPECT_EQ(alloc.GetGateway(0, 0)->GetBindings().size(), 1u);
}

TEST_F(AddressAllocationTest, SilentGatewayLosesItsBlockAtLeaseExpiry)
{
    auto topo = Build(1, 2, 1);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("LeaseTime", TimeValue(Seconds(30)));
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(2));
    alloc.Install();
    alloc.AssignStreams(1);
    std::vector<Time> reclaimed;
    alloc.GetManager()->TraceConnectWithoutContext(
        "Reclaim",
        MakeBoundCallback(
            +[](std::vector<Time>* v, Ipv4Address, Ipv4Address, uint8_t) { v->push_back(Now()); },
            &reclaimed));
    // Gateway 0/0 loses its backbone at 5 s: it can no longer renew.
    Ptr<Node> g = topo->GetGateway(0, 0);
    Ptr<NetDevice> bb = topo->GetGatewayBackboneDevice(0, 0);
    Ipv4Prefix silentBlock;
    ScheduleFunction(Seconds(5), [&silentBlock, &alloc, g, bb]() {
        ASSERT_EQ(alloc.GetGateway(0, 0)->GetBlocks().size(), 1u);
        silentBlock = alloc.GetGateway(0, 0)->GetBlocks()[0];
        Ptr<Ipv4> ip = g->GetObject<Ipv4>();
        ip->SetDown(ip->GetInterfaceForDevice(bb));
    });
    Simulator::Stop(Seconds(45));
    Simulator::Run();
    ASSERT_EQ(reclaimed.size(), 1u);
    EXPECT_NEAR(reclaimed[0].GetSeconds(), 30.0, 0.1);
    EXPECT_EQ(alloc.GetManager()->GetPool()->GetNFree(), 1u);
    EXPECT_FALSE(alloc.GetManager()->GetPool()->Find(silentBlock.network));
    // The silent gateway itself dropped the block when its lease ran out.
    EXPECT_TRUE(alloc.GetGateway(0, 0)->GetBlocks().empty());
    EXPECT_EQ(alloc.CheckInvariant(), "");
    // The other gateway renewed and keeps its block.
    EXPECT_EQ(alloc.GetGateway(0, 1)->GetBlocks().size(), 1u);
    EXPECT_TRUE(
        alloc.GetManager()->GetPool()->Find(alloc.GetGateway(0, 1)->GetBlocks()[0].network));
}

TEST_F(AddressAllocationTest, ReleaseFreesReportsAndReturnsTheBlock)
{
    auto topo = Build(1, 1, 1);
    AddressAllocationHelper alloc(topo);
    alloc.Install();
    alloc.AssignStreams(1);
    Ptr<TerminalDhcpClient> c = alloc.GetClients()[0];
    c->SetStopTime(Seconds(5));
    std::vector<Ipv4Address> reports;
    alloc.GetManager()->TraceConnectWithoutContext(
        "Report",
        MakeBoundCallback(
            +[](std::vector<Ipv4Address>* v, Ipv4Address, Ipv4Address a) { v->push_back(a); },
            &reports));
    uint32_t returned = 0;
    alloc.GetManager()->TraceConnectWithoutContext(
        "Release",
        MakeBoundCallback(
            +[](uint32_t* n, Ipv4Address, Ipv4Address, uint8_t) { ++*n; },
            &returned));
    Ptr<Ipv4StaticRouting> router =
        Ipv4StaticRoutingHelper().GetStaticRouting(topo->GetBuildingRouter(0)->GetObject<Ipv4>());
    uint32_t routesWhileBound = 0;
    ScheduleFunction(Seconds(4), [&]() { routesWhileBound = router->GetNRoutes(); });
    Simulator::Stop(Seconds(8));
    Simulator::Run();
    EXPECT_EQ(alloc.GetGateway(0, 0)->GetNReleases(), 1u);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0], Ipv4Address("10.0.0.2"));
    // The flat is empty: the gateway returned its block and the route went away.
    EXPECT_EQ(returned, 1u);
    EXPECT_TRUE(alloc.GetGateway(0, 0)->GetBlocks().empty());
    EXPECT_EQ(alloc.GetManager()->GetPool()->GetNFree(), 1u);
    EXPECT_EQ(router->GetNRoutes(), routesWhileBound - 1);
    EXPECT_EQ(c->GetAddress(), Ipv4Address::GetAny());
    EXPECT_EQ(alloc.CheckInvariant(), "");
}

TEST_F(AddressAllocationTest, RefillThenExhaustionSendsNoOfferAndBacksOff)
{
    auto topo = Build(1, 1, 3);
    AddressAllocationHelper alloc(topo);
    // /30 blocks: the gateway and one terminal each; two blocks in the building.
    alloc.SetManagerAttribute("BlockPrefixLength", UintegerValue(30));
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(2));
    alloc.SetGatewayAttribute("ExpectedTerminals", UintegerValue(1));
    alloc.Install();
    alloc.AssignStreams(1);
    auto clients = alloc.GetClients();
    std::vector<Time> discovers; // DISCOVERs the starving terminal sent
    uint32_t noOffer = 0;
    alloc.GetGateway(0, 0)->TraceConnectWithoutContext(
        "NoOffer",
        MakeBoundCallback(
            +[](uint32_t* n, const Address&) { ++*n; },
            &noOffer));
    clients[0]->SetStopTime(Seconds(150)); // frees an address for the third one
    // Terminals of both blocks reach the outside: the refill block is routed too.
    uint32_t echoes = 0;
    UdpEchoServerHelper server(9);
    server.Install(topo->GetRemotePhones().Get(0));
    for (uint32_t t = 1; t <= 3; ++t)
    {
        UdpEchoClientHelper client(topo->GetRemotePhoneAddress(0), 9);
        client.SetAttribute("MaxPackets", UintegerValue(1));
        ApplicationContainer app = client.Install(topo->GetTerminal(0, 0, t));
        app.Start(Seconds(100));
        app.Get(0)->TraceConnectWithoutContext("Rx",
                                               MakeBoundCallback(
                                                   +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
                                                   &echoes));
    }
    Simulator::Stop(Seconds(149));
    Simulator::Run();
    Ptr<GatewayDhcpServer> gw = alloc.GetGateway(0, 0);
    ASSERT_EQ(gw->GetBlocks().size(), 2u);
    EXPECT_EQ(gw->GetNRefills(), 1u);
    // Both blocks are routed at the building router, towards this gateway.
    Ptr<Ipv4StaticRouting> router =
        Ipv4StaticRoutingHelper().GetStaticRouting(topo->GetBuildingRouter(0)->GetObject<Ipv4>());
    for (const Ipv4Prefix& block : gw->GetBlocks())
    {
        bool routed = false;
        for (uint32_t i = 0; i < router->GetNRoutes(); ++i)
        {
            Ipv4RoutingTableEntry r = router->GetRoute(i);
            routed = routed ||
                     (r.GetDest() == block.network && r.GetDestNetworkMask() == block.GetMask() &&
                      r.GetGateway() == topo->GetAddressPlan().GetGatewayBackboneAddress(0, 0));
        }
        EXPECT_TRUE(routed) << block.ToString();
    }
    uint32_t bound = 0;
    Ptr<TerminalDhcpClient> starving;
    for (auto c : clients)
    {
        if (c->GetAddress() == Ipv4Address::GetAny())
        {
            starving = c;
        }
        else
        {
            ++bound;
        }
    }
    EXPECT_EQ(bound, 2u);
    EXPECT_EQ(echoes, 2u); // the two bound terminals, one in each block
    ASSERT_TRUE(starving);
    EXPECT_EQ(starving->GetState(), TerminalDhcpClient::SELECTING);
    // Back-off 4, 8, 16, 32, 64, 64 s (+-1 s): DISCOVERs at about 0, 4, 12, 28, 60, 124.
    EXPECT_EQ(starving->GetNDiscovers(), 6u);
    EXPECT_EQ(noOffer, 6u);
    EXPECT_EQ(gw->GetNNoOffer(), 6u);
    EXPECT_GE(alloc.GetManager()->GetNFailedRequests(), 6u);
    EXPECT_EQ(alloc.CheckInvariant(), "");

    // Terminal 0 leaves: its address goes to the starving one at its next try.
    Simulator::Stop(Seconds(200));
    Simulator::Run();
    EXPECT_NE(starving->GetAddress(), Ipv4Address::GetAny());
    EXPECT_EQ(alloc.CheckInvariant(), "");
}

TEST_F(AddressAllocationTest, GiveUpRegimeIsALossSystem)
{
    // The M/M/c/c regime of the address-exhaustion experiment: one /30 block (one terminal
    // address) for two flats, gateways that ask only when a DISCOVER needs a block, and
    // terminals that give up after one DISCOVER.
    auto topo = Build(1, 2, 1);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("BlockPrefixLength", UintegerValue(30));
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(1));
    alloc.SetGatewayAttribute("ExpectedTerminals", UintegerValue(0));
    alloc.SetClientAttribute("MaxDiscovers", UintegerValue(1));
    alloc.InstallManager();
    alloc.InstallGateways();
    alloc.AssignStreams(1);
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    // No terminal yet: no gateway holds the block.
    EXPECT_EQ(alloc.GetManager()->GetPool()->GetNFree(), 1u);
    EXPECT_TRUE(alloc.GetGateway(0, 0)->GetBlocks().empty());
    EXPECT_TRUE(alloc.GetGateway(0, 1)->GetBlocks().empty());

    Ptr<TerminalDhcpClient> first = alloc.InstallClient(0, 0, 1);
    first->SetStartTime(Seconds(1)); // at 6 s
    first->SetStopTime(Seconds(60));
    Ptr<TerminalDhcpClient> second = alloc.InstallClient(0, 1, 1);
    second->SetStartTime(Seconds(5)); // at 10 s: the only address is taken
    std::vector<Time> gaveUp;
    second->TraceConnectWithoutContext("GaveUp",
                                       MakeBoundCallback(
                                           +[](std::vector<Time>* v, Time t) { v->push_back(t); },
                                           &gaveUp));
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    EXPECT_NE(first->GetAddress(), Ipv4Address::GetAny());
    EXPECT_EQ(second->GetAddress(), Ipv4Address::GetAny());
    EXPECT_EQ(second->GetNDiscovers(), 1u);
    EXPECT_EQ(second->GetNGiveUps(), 1u);
    EXPECT_EQ(second->GetState(), TerminalDhcpClient::INIT);
    ASSERT_EQ(gaveUp.size(), 1u);
    EXPECT_GE(gaveUp[0], Seconds(3)); // one RFC 2131 wait: 4 s +- 1 s
    EXPECT_LE(gaveUp[0], Seconds(5));
    EXPECT_EQ(alloc.GetGateway(0, 1)->GetNNoOffer(), 1u);
    EXPECT_EQ(alloc.CheckInvariant(), "");

    // The first terminal leaves at 66 s and its flat returns the block; the second, lost,
    // does not come back for it.
    Simulator::Stop(Seconds(200));
    Simulator::Run();
    EXPECT_EQ(alloc.GetManager()->GetPool()->GetNFree(), 1u);
    EXPECT_EQ(second->GetNDiscovers(), 1u);
    EXPECT_EQ(second->GetAddress(), Ipv4Address::GetAny());
    EXPECT_EQ(alloc.CheckInvariant(), "");
}

TEST_F(AddressAllocationTest, ManagerRestartLosesNothing)
{
    const std::string db = std::string(::testing::TempDir()) + "apartment-restart-db.txt";
    std::remove(db.c_str());
    auto topo = Build(1, 2, 2);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("BlockPrefixLength", UintegerValue(30));
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(4));
    alloc.SetManagerAttribute("DatabasePath", StringValue(db));
    alloc.SetManagerAttribute("LeaseTime", TimeValue(Seconds(20)));
    alloc.SetGatewayAttribute("ExpectedTerminals", UintegerValue(1));
    Ptr<AddressManager> first = alloc.InstallManager();
    first->SetStopTime(Seconds(10));
    alloc.InstallGateways();
    alloc.InstallClient(0, 0, 1);
    alloc.InstallClient(0, 1, 1);
    alloc.AssignStreams(1);
    // A new manager application on the same node and file takes over at 11 s.
    Ptr<AddressManager> second = CreateObject<AddressManager>();
    for (const char* name : {"PrivateNetwork",
                             "Buildings",
                             "BlockPrefixLength",
                             "BlocksPerBuilding",
                             "LeaseTime",
                             "DatabasePath"})
    {
        auto v = first->GetInstanceTypeId().LookupByName("ns3::apartment::AddressManager");
        (void)v;
        StringValue s;
        first->GetAttribute(name, s);
        second->SetAttribute(name, s);
    }
    second->SetStartTime(Seconds(11));
    topo->GetAddressManager()->AddApplication(second);
    Ptr<TerminalDhcpClient> late;
    ScheduleFunction(Seconds(15), [&]() { late = alloc.InstallClient(0, 1, 2); });
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ASSERT_TRUE(second->IsOperational()) << second->GetError();
    const AddressBlockPool* pool = second->GetPool();
    EXPECT_EQ(pool->GetNAllotted(), 3u);
    EXPECT_EQ(pool->CheckInvariant(), "");
    // Gateway 0/1's refill came from the restarted manager and is a new block.
    auto blocks0 = alloc.GetGateway(0, 0)->GetBlocks();
    auto blocks1 = alloc.GetGateway(0, 1)->GetBlocks();
    ASSERT_EQ(blocks0.size(), 1u);
    ASSERT_EQ(blocks1.size(), 2u);
    std::set<uint32_t> distinct{blocks0[0].network.Get(),
                                blocks1[0].network.Get(),
                                blocks1[1].network.Get()};
    EXPECT_EQ(distinct.size(), 3u);
    for (auto b : blocks1)
    {
        ASSERT_TRUE(pool->Find(b.network));
        EXPECT_EQ(pool->Find(b.network)->holder, alloc.GetGateway(0, 1)->GetHolderAddress());
    }
    EXPECT_EQ(pool->Find(blocks0[0].network)->holder, alloc.GetGateway(0, 0)->GetHolderAddress());
    ASSERT_TRUE(late);
    EXPECT_TRUE(blocks1[1].Contains(late->GetAddress()));
    EXPECT_EQ(second->GetNReclaimed(), 0u); // renewals reached the new manager
    std::remove(db.c_str());
}

TEST_F(AddressAllocationTest, CorruptDatabaseStopsTheManagerLoudly)
{
    const std::string db = std::string(::testing::TempDir()) + "apartment-corrupt-db.txt";
    std::ofstream(db) << "apartment-voip-address-db 1\npool 10.0.0.0 29 1 1\ncrc32 00000000\n";
    auto topo = Build(1, 1, 1);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("DatabasePath", StringValue(db));
    alloc.Install();
    alloc.AssignStreams(1);
    std::vector<std::string> failures;
    alloc.GetManager()->TraceConnectWithoutContext(
        "Failure",
        MakeBoundCallback(
            +[](std::vector<std::string>* v, Ipv4Address, const std::string& w) {
                v->push_back(w);
            },
            &failures));
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    EXPECT_FALSE(alloc.GetManager()->IsOperational());
    EXPECT_NE(alloc.GetManager()->GetError().find("checksum mismatch"), std::string::npos)
        << alloc.GetManager()->GetError();
    EXPECT_FALSE(failures.empty());
    EXPECT_TRUE(alloc.GetGateway(0, 0)->GetBlocks().empty());
    EXPECT_EQ(alloc.GetClients()[0]->GetAddress(), Ipv4Address::GetAny());
    // The file is left as it was for the operator to look at.
    std::ifstream in(db);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, "apartment-voip-address-db 1");
    std::remove(db.c_str());
}

TEST_F(AddressAllocationTest, MalformedBlockProtocolDatagramsAreCountedDrops)
{
    auto topo = Build(1, 1, 1);
    AddressAllocationHelper alloc(topo);
    alloc.Install();
    uint32_t traced = 0;
    alloc.GetManager()->TraceConnectWithoutContext(
        "Malformed",
        MakeBoundCallback(
            +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
            &traced));
    Ptr<Socket> s = Socket::CreateSocket(topo->GetGatekeeper(), UdpSocketFactory::GetTypeId());
    InetSocketAddress to(topo->GetAddressPlan().GetAddressManagerAddress(), 6767);
    ScheduleFunction(Seconds(1), [s, to]() {
        s->SendTo(Create<Packet>(5), 0, to); // too short
        uint8_t bad[24] = {9, 1};            // unknown version
        s->SendTo(Create<Packet>(bad, 24), 0, to);
        uint8_t grant[24] = {1, 2}; // a GRANT sent to the manager
        s->SendTo(Create<Packet>(grant, 24), 0, to);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(alloc.GetManager()->GetNMalformed(), 3u);
    EXPECT_EQ(traced, 3u);
    EXPECT_EQ(alloc.CheckInvariant(), "");
}

/// One churn run: clients that start late and stop early; returns every Bound event.
std::vector<std::pair<double, uint32_t>>
ChurnRun(uint32_t run)
{
    RngSeedManager::SetRun(run);
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(3));
    topo->SetAttribute("AddressMode", StringValue("Dynamic"));
    topo->Build();
    // Fix every stream in play, not only ours: CSMA back-off and ARP jitter draw too, and
    // their automatic streams differ between two runs in one process.
    int64_t stream = 1000;
    NodeContainer all = topo->GetAllNodes();
    for (uint32_t i = 0; i < all.GetN(); ++i)
    {
        for (uint32_t d = 0; d < all.Get(i)->GetNDevices(); ++d)
        {
            if (auto csma = DynamicCast<CsmaNetDevice>(all.Get(i)->GetDevice(d)))
            {
                stream += csma->AssignStreams(stream);
            }
        }
    }
    InternetStackHelper().AssignStreams(all, stream);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("BlockPrefixLength", UintegerValue(30));
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(3));
    alloc.Install();
    alloc.AssignStreams(7);
    std::vector<std::pair<double, uint32_t>> events;
    for (auto c : alloc.GetClients())
    {
        c->TraceConnectWithoutContext(
            "Bound",
            MakeBoundCallback(
                +[](std::vector<std::pair<double, uint32_t>>* v, Ipv4Address a, Time setup) {
                    v->emplace_back(setup.GetSeconds(), a.Get());
                },
                &events));
    }
    alloc.GetClients()[0]->SetStopTime(Seconds(30));
    alloc.GetClients()[4]->SetStopTime(Seconds(50));
    Simulator::Stop(Seconds(200));
    Simulator::Run();
    EXPECT_EQ(alloc.CheckInvariant(), "");
    Simulator::Destroy();
    Names::Clear();
    RngSeedManager::SetRun(1);
    return events;
}

TEST_F(AddressAllocationTest, SameRunSameResultOtherRunOtherBackOff)
{
    auto a = ChurnRun(1);
    auto b = ChurnRun(1);
    auto c = ChurnRun(2);
    ASSERT_GE(a.size(), 4u); // 3 blocks for 6 terminals: some wait for a freed address
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c); // the back-off jitter differs between runs
}

TEST_F(AddressAllocationTest, MalformedDhcpDatagramsAreCountedDrops)
{
    auto topo = Build(1, 1, 1);
    AddressAllocationHelper alloc(topo);
    alloc.Install();
    alloc.AssignStreams(1);
    uint32_t traced = 0;
    alloc.GetGateway(0, 0)->TraceConnectWithoutContext(
        "Malformed",
        MakeBoundCallback(
            +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
            &traced));
    // From the bound terminal to the gateway's DHCP port: garbage, and a BOOTP header with a
    // wrong magic cookie.
    Ptr<Socket> s = Socket::CreateSocket(topo->GetTerminal(0, 0, 1), UdpSocketFactory::GetTypeId());
    InetSocketAddress to(Ipv4Address("10.0.0.1"), 67);
    ScheduleFunction(Seconds(2), [s, to]() {
        s->SendTo(Create<Packet>(20), 0, to);
        std::vector<uint8_t> bootp(300, 0);
        bootp[0] = 1;
        s->SendTo(Create<Packet>(bootp.data(), bootp.size()), 0, to);
    });
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    EXPECT_EQ(alloc.GetGateway(0, 0)->GetNMalformed(), 2u);
    EXPECT_EQ(traced, 2u);
    EXPECT_EQ(alloc.GetClients()[0]->GetAddress(), Ipv4Address("10.0.0.2")); // unharmed
}

TEST_F(AddressAllocationTest, BadAttributeValuesAreRejected)
{
    auto m = CreateObject<AddressManager>();
    EXPECT_FALSE(m->SetAttributeFailSafe("BlockPrefixLength", UintegerValue(31)));
    EXPECT_FALSE(m->SetAttributeFailSafe("BlockPrefixLength", UintegerValue(16)));
    EXPECT_TRUE(m->SetAttributeFailSafe("BlockPrefixLength", UintegerValue(30)));
    EXPECT_FALSE(m->SetAttributeFailSafe("LeaseTime", TimeValue(Seconds(0))));
    EXPECT_FALSE(m->SetAttributeFailSafe("Port", UintegerValue(0)));
    EXPECT_FALSE(m->SetAttributeFailSafe("BlocksPerBuilding", UintegerValue(0)));
    EXPECT_FALSE(m->SetAttributeFailSafe("Buildings", UintegerValue(257)));
    auto g = CreateObject<GatewayDhcpServer>();
    EXPECT_FALSE(g->SetAttributeFailSafe("LeaseTime", TimeValue(Seconds(1))));
    EXPECT_FALSE(g->SetAttributeFailSafe("MaxTries", UintegerValue(0)));
    auto c = CreateObject<TerminalDhcpClient>();
    EXPECT_FALSE(c->SetAttributeFailSafe("InitialRetransmission", TimeValue(Seconds(0))));

    // A pool larger than the building regions: the manager refuses to serve and says why.
    auto topo = Build(1, 1, 1);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(7681));
    alloc.Install();
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_FALSE(alloc.GetManager()->IsOperational());
    EXPECT_NE(alloc.GetManager()->GetError().find("blocks per building"), std::string::npos)
        << alloc.GetManager()->GetError();
    EXPECT_TRUE(alloc.GetGateway(0, 0)->GetBlocks().empty());
}

/*
 * The module's gateway server with a one-address block: a lease that is not renewed expires,
 * so the only address goes to the next client. (Replaces a test of ns-3's own DhcpServer.)
 */
TEST_F(AddressAllocationTest, OnlyAddressGoesToTheNextClientWhenAVanishedClientsLeaseExpires)
{
    auto topo = Build(1, 1, 2);
    AddressAllocationHelper alloc(topo);
    alloc.SetManagerAttribute("BlockPrefixLength", UintegerValue(30)); // gateway .1, one address
    alloc.SetManagerAttribute("BlocksPerBuilding", UintegerValue(1));  // no refill
    alloc.SetGatewayAttribute("LeaseTime", TimeValue(Seconds(20)));
    alloc.SetGatewayAttribute("ReturnWhenEmpty", BooleanValue(false));
    alloc.InstallManager();
    alloc.InstallGateways();
    Ptr<TerminalDhcpClient> a = alloc.InstallClient(0, 0, 1);
    alloc.AssignStreams(1);

    struct Lease
    {
        Time at;
        Ipv4Address address;
        Address chaddr;
    };

    std::vector<Lease> leases;
    alloc.GetGateway(0, 0)->TraceConnectWithoutContext(
        "Lease",
        MakeBoundCallback(
            +[](std::vector<Lease>* v, Ipv4Address x, const Address& c) {
                if (v->empty() || v->back().chaddr != c)
                {
                    v->push_back({Simulator::Now(), x, c}); // first ACK of each holder
                }
            },
            &leases));
    // A vanishes at 5 s without a word (its last renewal was before); B asks at 9 s, while
    // A's lease still runs.
    Ptr<Node> na = topo->GetTerminal(0, 0, 1);
    ScheduleFunction(Seconds(5), [na, a]() {
        Ptr<Ipv4> ip = na->GetObject<Ipv4>();
        ip->SetDown(ip->GetInterfaceForDevice(a->GetDevice()));
    });
    Ptr<TerminalDhcpClient> b;
    ScheduleFunction(Seconds(9), [&]() { b = alloc.InstallClient(0, 0, 2); });
    Simulator::Stop(Seconds(90));
    Simulator::Run();
    ASSERT_EQ(leases.size(), 2u);
    EXPECT_EQ(leases[0].address, Ipv4Address("10.0.0.2")); // A had the only address first
    EXPECT_EQ(leases[1].address, Ipv4Address("10.0.0.2")); // B got it after A's lease
    EXPECT_NE(leases[0].chaddr, leases[1].chaddr);
    EXPECT_GE(leases[1].at, leases[0].at + Seconds(20));
    EXPECT_GE(alloc.GetGateway(0, 0)->GetNNoOffer(), 1u); // B waited: nothing to offer
    EXPECT_EQ(alloc.GetGateway(0, 0)->GetNExpired(), 1u);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->GetAddress(), Ipv4Address("10.0.0.2"));
}

} // namespace
