/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <set>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

class ApartmentTopologyHelperTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    Ptr<ApartmentTopologyHelper> Make(uint32_t buildings, uint32_t flats, uint32_t terminals)
    {
        auto h = CreateObject<ApartmentTopologyHelper>();
        h->SetAttribute("Buildings", UintegerValue(buildings));
        h->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
        h->SetAttribute("TerminalsPerFlat", UintegerValue(terminals));
        return h;
    }

    /// Sends one echo from each source to dst and returns how many came back.
    uint32_t EchoAll(NodeContainer sources, Ptr<Node> dst, Ipv4Address dstAddress)
    {
        UdpEchoServerHelper server(9);
        server.Install(dst).Start(Seconds(0));
        uint32_t replies = 0;
        for (uint32_t i = 0; i < sources.GetN(); ++i)
        {
            UdpEchoClientHelper client(dstAddress, 9);
            client.SetAttribute("MaxPackets", UintegerValue(1));
            ApplicationContainer app = client.Install(sources.Get(i));
            app.Start(Seconds(1) + MilliSeconds(2 * i));
            app.Get(0)->TraceConnectWithoutContext(
                "Rx",
                MakeBoundCallback(
                    +[](uint32_t* n, Ptr<const Packet>) { ++*n; },
                    &replies));
        }
        Simulator::Stop(Seconds(3) + MilliSeconds(2 * sources.GetN()));
        Simulator::Run();
        return replies;
    }
};

TEST_F(ApartmentTopologyHelperTest, CountsRolesAndNumbers)
{
    auto h = Make(2, 3, 3);
    h->SetAttribute("RemotePhones", UintegerValue(4));
    h->Build();
    // per complex: NAT + gatekeeper + manager + 2 building routers + 6 flats * (1 + 3)
    // + core switch + 2 building switches; outside: ISP + outside gatekeeper + 4 phones + switch
    EXPECT_EQ(h->GetAllNodes().GetN(), 3u + 2u + 6u * 4u + 3u + 2u + 4u + 1u);
    EXPECT_EQ(h->GetRole(Names::Find<Node>("c0-switch-1102")), NodeRole::SWITCH);
    EXPECT_EQ(h->GetAllTerminals().GetN(), 18u);
    EXPECT_EQ(h->GetAllGateways().GetN(), 6u);
    EXPECT_EQ(h->GetRemotePhones().GetN(), 4u);

    EXPECT_EQ(h->GetRole(h->GetGatekeeper()), NodeRole::GATEKEEPER);
    EXPECT_EQ(h->GetRole(h->GetNatRouter()), NodeRole::NAT_ROUTER);
    EXPECT_EQ(h->GetRole(h->GetAddressManager()), NodeRole::ADDRESS_MANAGER);
    EXPECT_EQ(h->GetRole(h->GetBuildingRouter(1)), NodeRole::BUILDING_ROUTER);
    EXPECT_EQ(h->GetRole(h->GetIspRouter()), NodeRole::ISP_ROUTER);
    EXPECT_EQ(h->GetRole(h->GetOutsideGatekeeper()), NodeRole::OUTSIDE_GATEKEEPER);
    EXPECT_EQ(h->GetRole(h->GetRemotePhones().Get(0)), NodeRole::REMOTE_PHONE);

    // Seed numbering: building serials from 1101, flat serials from 1201.
    const NumberingPlan& plan = h->GetNumberingPlan();
    EXPECT_EQ(h->GetHouseholdNumber(0, 0), plan.ParseOrThrow("100-1101-1201"));
    EXPECT_EQ(h->GetTerminalNumber(1, 2, 3), plan.ParseOrThrow("100-1102-1203-3"));
    EXPECT_EQ(h->GetRemotePhoneNumber(0).ToString(), "200-0001-0001-1");

    std::set<PhoneNumber> numbers;
    for (uint32_t b = 0; b < 2; ++b)
    {
        for (uint32_t f = 0; f < 3; ++f)
        {
            Ptr<Node> gw = h->GetGateway(b, f);
            EXPECT_EQ(h->GetRole(gw), NodeRole::HOME_GATEWAY);
            EXPECT_EQ(h->GetNode(h->GetHouseholdNumber(b, f)), gw);
            EXPECT_EQ(*h->GetNumber(gw), h->GetHouseholdNumber(b, f));
            NodeContainer ts = h->GetTerminals(b, f);
            ASSERT_EQ(ts.GetN(), 3u);
            for (uint32_t t = 1; t <= 3; ++t)
            {
                Ptr<Node> term = ts.Get(t - 1);
                EXPECT_EQ(h->GetTerminal(b, f, t), term);
                EXPECT_EQ(h->GetRole(term), NodeRole::TERMINAL);
                PhoneNumber n = *h->GetNumber(term);
                EXPECT_EQ(n, h->GetTerminalNumber(b, f, t));
                EXPECT_EQ(h->GetNode(n), term);
                EXPECT_TRUE(n.IsSameFlat(h->GetHouseholdNumber(b, f)));
                EXPECT_TRUE(numbers.insert(n).second);
                EXPECT_EQ(*h->GetFlatIndex(term), std::make_pair(b, f));
            }
        }
    }
    EXPECT_EQ(h->GetNode(plan.Make(1101, 1299, 1)), nullptr);
    EXPECT_EQ(Names::Find<Node>("c0-terminal-1101-1201-1"), h->GetTerminal(0, 0, 1));
    EXPECT_EQ(Names::Find<Node>("c0-gatekeeper"), h->GetGatekeeper());
}

TEST_F(ApartmentTopologyHelperTest, AddressesFollowThePlan)
{
    auto h = Make(2, 3, 3);
    h->Build();
    const AddressPlan& plan = h->GetAddressPlan();
    // The seed's example: first flat 10.0.0.1 (gateway) and 10.0.0.2-4 (terminals).
    Ptr<Ipv4> gw = h->GetGateway(0, 0)->GetObject<Ipv4>();
    int32_t lanIf = gw->GetInterfaceForDevice(h->GetGatewayLanDevice(0, 0));
    ASSERT_GE(lanIf, 0);
    EXPECT_EQ(gw->GetAddress(lanIf, 0).GetLocal(), Ipv4Address("10.0.0.1"));
    for (uint32_t t = 1; t <= 3; ++t)
    {
        EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(h->GetTerminal(0, 0, t)),
                  Ipv4Address(("10.0.0." + std::to_string(1 + t)).c_str()));
    }
    for (uint32_t b = 0; b < 2; ++b)
    {
        for (uint32_t f = 0; f < 3; ++f)
        {
            for (uint32_t t = 1; t <= 3; ++t)
            {
                Ipv4Address a = ApartmentTopologyHelper::GetPrimaryAddress(h->GetTerminal(b, f, t));
                EXPECT_EQ(a, plan.GetTerminalAddress(b, f, t));
                EXPECT_TRUE(plan.GetFlatBlock(b, f).Contains(a));
            }
        }
    }
    EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(h->GetGatekeeper()),
              plan.GetGatekeeperAddress());
}

TEST_F(ApartmentTopologyHelperTest, RouteTablesStaySmall)
{
    auto h = Make(4, 50, 1);
    h->Build();
    Ipv4StaticRoutingHelper srh;
    auto routes = [&](Ptr<Node> n) {
        return srh.GetStaticRouting(n->GetObject<Ipv4>())->GetNRoutes();
    };
    // NAT router: loopback, core, WAN connected + default + one per building.
    EXPECT_LE(routes(h->GetNatRouter()), 4u + 4u);
    EXPECT_LE(h->GetNatRouter()->GetObject<Ipv4>()->GetNInterfaces(), 3u);
    // Building router: connected + default + one per flat of its building only.
    EXPECT_LE(routes(h->GetBuildingRouter(0)), 4u + 50u);
    EXPECT_EQ(h->GetBuildingRouter(0)->GetObject<Ipv4>()->GetNInterfaces(), 3u);
    EXPECT_LE(routes(h->GetTerminal(3, 49, 1)), 3u);
}

TEST_F(ApartmentTopologyHelperTest, EveryTerminalReachesTheOutside)
{
    auto h = Make(2, 3, 3);
    h->Build();
    EXPECT_EQ(
        EchoAll(h->GetAllTerminals(), h->GetRemotePhones().Get(1), h->GetRemotePhoneAddress(1)),
        18u);
}

TEST_F(ApartmentTopologyHelperTest, TerminalsOfDifferentBuildingsAndTheGatekeeperTalk)
{
    auto h = Make(3, 2, 2);
    h->Build();
    NodeContainer sources = h->GetAllTerminals();
    sources.Add(h->GetOutsideGatekeeper());
    Ptr<Node> target = h->GetTerminal(2, 1, 2);
    sources.Add(h->GetGatekeeper());
    EXPECT_EQ(EchoAll(sources, target, ApartmentTopologyHelper::GetPrimaryAddress(target)),
              sources.GetN());
}

TEST_F(ApartmentTopologyHelperTest, AssignStreamsCoversStacksAndCsmaDevices)
{
    auto h = Make(1, 2, 2);
    h->Build();
    // Two streams per CSMA device (back-off) and at least one per stack (ARP jitter).
    uint32_t csmaDevices = 0;
    uint32_t stacks = 0;
    for (uint32_t i = 0; i < h->GetAllNodes().GetN(); ++i)
    {
        Ptr<Node> n = h->GetAllNodes().Get(i);
        stacks += n->GetObject<Ipv4>() ? 1 : 0;
        for (uint32_t d = 0; d < n->GetNDevices(); ++d)
        {
            csmaDevices += DynamicCast<CsmaNetDevice>(n->GetDevice(d)) ? 1 : 0;
        }
    }
    int64_t used = h->AssignStreams(100);
    EXPECT_GE(used, static_cast<int64_t>(stacks + csmaDevices));
}

TEST_F(ApartmentTopologyHelperTest, SharedBusSegmentsAlsoRoute)
{
    auto h = Make(2, 2, 2);
    h->SetAttribute("SwitchedSegments", BooleanValue(false));
    h->Build();
    EXPECT_EQ(Names::Find<Node>("c0-switch-1101"), nullptr);
    EXPECT_EQ(
        EchoAll(h->GetAllTerminals(), h->GetRemotePhones().Get(0), h->GetRemotePhoneAddress(0)),
        8u);
}

TEST_F(ApartmentTopologyHelperTest, DynamicModeLeavesFlatsUnaddressed)
{
    auto h = Make(1, 2, 2);
    h->SetAttribute("AddressMode", StringValue("Dynamic"));
    h->Build();
    EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(h->GetTerminal(0, 1, 1)),
              Ipv4Address::GetAny());
    Ptr<Ipv4> gw = h->GetGateway(0, 0)->GetObject<Ipv4>();
    int32_t lanIf = gw->GetInterfaceForDevice(h->GetGatewayLanDevice(0, 0));
    ASSERT_GE(lanIf, 0);
    EXPECT_EQ(gw->GetNAddresses(lanIf), 0u);
    EXPECT_TRUE(gw->IsUp(lanIf));

    // A block allotted later is routed through its gateway; returned, the route goes.
    Ipv4StaticRoutingHelper srh;
    auto routing = srh.GetStaticRouting(h->GetBuildingRouter(0)->GetObject<Ipv4>());
    uint32_t before = routing->GetNRoutes();
    Ipv4Prefix block = h->GetAddressPlan().GetFlatBlock(0, 1);
    h->AddFlatRoute(0, 1, block, 0);
    EXPECT_EQ(routing->GetNRoutes(), before + 1);
    Ptr<Ipv4Route> route;
    Ipv4Header header;
    header.SetDestination(block.GetAddress(3));
    Socket::SocketErrno err;
    route = routing->RouteOutput(nullptr, header, nullptr, err);
    ASSERT_TRUE(route);
    EXPECT_EQ(route->GetGateway(), h->GetAddressPlan().GetGatewayBackboneAddress(0, 1));
    h->RemoveFlatRoute(0, block, 0);
    EXPECT_EQ(routing->GetNRoutes(), before);
}

TEST_F(ApartmentTopologyHelperTest, SecondComplexDuplicatesThePrivatePlan)
{
    auto h = Make(1, 2, 1);
    h->SetAttribute("SecondComplex", BooleanValue(true));
    h->SetAttribute("EdgeMode", StringValue("Nat"));
    h->Build();
    ASSERT_EQ(h->GetNComplexes(), 2u);
    EXPECT_EQ(ApartmentTopologyHelper::GetPrimaryAddress(h->GetTerminal(0, 0, 1, 0)),
              ApartmentTopologyHelper::GetPrimaryAddress(h->GetTerminal(0, 0, 1, 1)));
    EXPECT_EQ(h->GetTerminalNumber(0, 0, 1, 1).ToString(), "101-1101-1201-1");
    EXPECT_EQ(h->GetComplexIndex(h->GetGatekeeper(1)), 1u);
    EXPECT_NE(h->GetGatekeeper(0), h->GetGatekeeper(1));
}

// The streams AssignStreams fixes are the ones it counts: every node's ARP request jitter
// (one of the topology's draws, readable through its attribute) lies in [base, base + n),
// no two nodes share one, and a chain from base + n shares none with the first.
TEST_F(ApartmentTopologyHelperTest, AssignStreamsUsesTheStreamsItCounts)
{
    auto h = Make(1, 2, 2);
    h->Build();
    auto arpStreams = [&h]() {
        std::set<int64_t> streams;
        uint32_t withArp = 0;
        NodeContainer nodes = h->GetAllNodes();
        for (uint32_t i = 0; i < nodes.GetN(); ++i)
        {
            Ptr<ArpL3Protocol> arp = nodes.Get(i)->GetObject<ArpL3Protocol>();
            if (!arp)
            {
                continue;
            }
            ++withArp;
            PointerValue jitter;
            arp->GetAttribute("RequestJitter", jitter);
            streams.insert(jitter.Get<RandomVariableStream>()->GetStream());
        }
        return std::make_pair(streams, withArp);
    };

    const int64_t first = 1000;
    const int64_t used = h->AssignStreams(first);
    auto [streams, nodes] = arpStreams();
    EXPECT_EQ(streams.size(), nodes); // one distinct stream per node
    ASSERT_FALSE(streams.empty());
    EXPECT_GE(*streams.begin(), first);
    EXPECT_LT(*streams.rbegin(), first + used);

    // Assigned again from where the first chain ended, every stream moves into the next
    // range: chains with disjoint bases share no stream.
    const int64_t second = first + used;
    EXPECT_EQ(h->AssignStreams(second), used);
    auto [again, n] = arpStreams();
    EXPECT_EQ(again.size(), n);
    EXPECT_GE(*again.begin(), second);
    EXPECT_LT(*again.rbegin(), second + used);
}

struct BadAttribute
{
    const char* name;
    const char* value;
    const char* expectedWords;
};

void
PrintTo(const BadAttribute& b, std::ostream* os)
{
    *os << b.name << "=" << b.value;
}

class ApartmentTopologyHelperBadValueTest : public ::testing::TestWithParam<BadAttribute>
{
  protected:
    void TearDown() override
    {
        Names::Clear();
    }
};

TEST_P(ApartmentTopologyHelperBadValueTest, ValidateSaysWhatIsWrong)
{
    auto h = CreateObject<ApartmentTopologyHelper>();
    ASSERT_TRUE(h->SetAttributeFailSafe(GetParam().name, StringValue(GetParam().value)));
    std::string err = h->Validate();
    EXPECT_NE(err.find(GetParam().expectedWords), std::string::npos) << "got: '" << err << "'";
    EXPECT_DEATH(h->Build(), GetParam().expectedWords);
}

INSTANTIATE_TEST_SUITE_P(
    Attributes,
    ApartmentTopologyHelperBadValueTest,
    ::testing::Values(BadAttribute{"Buildings", "0", "number of buildings 0"},
                      BadAttribute{"Buildings", "300", "must be 1 to 256"},
                      BadAttribute{"FlatsPerBuilding", "0", "flats per building 0"},
                      BadAttribute{"FlatsPerBuilding", "5000", "flats per building 5000"},
                      BadAttribute{"TerminalsPerFlat", "0", "terminals per flat 0"},
                      BadAttribute{"TerminalsPerFlat", "7", "terminals per flat 7"},
                      BadAttribute{"RemotePhones", "241", "remote phones 241"},
                      BadAttribute{"NumberPrefix", "1x0", "only digits"},
                      BadAttribute{"OutsidePrefix", "100", "must differ"},
                      BadAttribute{"FirstBuildingSerial", "10000", "do not fit in four digits"},
                      BadAttribute{"FirstFlatSerial", "9998", "flat serials 9998 to 10000"},
                      BadAttribute{"SecondComplex", "true", "EdgeMode=Nat"},
                      BadAttribute{"BlockPrefixLength", "31", "between /17 and /30"},
                      BadAttribute{"PrivateNetwork", "10.1.0.0", "must be a /8"},
                      BadAttribute{"OutsideNetwork", "203.0.113.0", "must differ"},
                      BadAttribute{"WanDataRate", "0bps", "greater than zero"}));

} // namespace
