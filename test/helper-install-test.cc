/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Node-level installs of the helpers (as ns-3's application helpers do): the right
// application on each node, the attributes set through the helper, and a scene built
// only with them works.

#include "ns3/address-allocation-helper.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/keep-authenticator.h"
#include "ns3/nat-control-agent.h"
#include "ns3/nat-detection-client.h"
#include "ns3/nat-detection-server.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/stun-client.h"
#include "ns3/stun-server.h"
#include "ns3/traversal-helper.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

class HelperInstallTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }
};

template <typename T>
T
UintegerAttribute(Ptr<Application> app, const std::string& name)
{
    UintegerValue v;
    app->GetAttribute(name, v);
    return static_cast<T>(v.Get());
}

TEST_F(HelperInstallTest, AddressAllocationHelperInstallsOnNodesAndDevices)
{
    NodeContainer nodes;
    nodes.Create(3);
    NetDeviceContainer devices = CsmaHelper().Install(nodes);
    AddressAllocationHelper helper; // no complex: node-level installs only
    helper.SetManagerAttribute("Port", UintegerValue(6868));
    helper.SetGatewayAttribute("Flat", UintegerValue(7));
    helper.SetClientAttribute("MaxRetransmission", TimeValue(Seconds(32)));

    ApplicationContainer managers = helper.InstallManager(NodeContainer(nodes.Get(0)));
    ASSERT_EQ(managers.GetN(), 1u);
    ASSERT_TRUE(DynamicCast<AddressManager>(managers.Get(0)));
    EXPECT_EQ(managers.Get(0)->GetNode(), nodes.Get(0));
    EXPECT_EQ(UintegerAttribute<uint16_t>(managers.Get(0), "Port"), 6868);

    ApplicationContainer gateways = helper.InstallGateway(NetDeviceContainer(devices.Get(1)));
    ASSERT_EQ(gateways.GetN(), 1u);
    ASSERT_TRUE(DynamicCast<GatewayDhcpServer>(gateways.Get(0)));
    EXPECT_EQ(gateways.Get(0)->GetNode(), nodes.Get(1));
    EXPECT_EQ(UintegerAttribute<uint32_t>(gateways.Get(0), "Flat"), 7u);

    NetDeviceContainer terminals(devices.Get(1), devices.Get(2));
    ApplicationContainer clients = helper.InstallClient(terminals);
    ASSERT_EQ(clients.GetN(), 2u);
    for (uint32_t i = 0; i < 2; ++i)
    {
        Ptr<TerminalDhcpClient> c = DynamicCast<TerminalDhcpClient>(clients.Get(i));
        ASSERT_TRUE(c);
        EXPECT_EQ(c->GetDevice(), terminals.Get(i));
        EXPECT_EQ(c->GetNode(), terminals.Get(i)->GetNode());
        TimeValue t;
        c->GetAttribute("MaxRetransmission", t);
        EXPECT_EQ(t.Get(), Seconds(32));
    }
    EXPECT_GT(AddressAllocationHelper::AssignStreams(clients, 10), 0);
    EXPECT_EQ(AddressAllocationHelper::AssignStreams(managers, 10), 0); // no client among them
}

/// \return the KeepKey attribute of \p app
std::string
KeepKeyOf(Ptr<Application> app)
{
    StringValue v;
    app->GetAttribute("KeepKey", v);
    return v.Get();
}

TEST_F(HelperInstallTest, BothHelpersGiveServerAndAgentTheSameKeepKey)
{
    NodeContainer nodes;
    nodes.Create(2);
    NatHelper nat;
    TraversalHelper traversal;
    const std::string byDefault = KeepAuthenticator::GetDefaultKey();
    EXPECT_EQ(byDefault.empty(), !CryptoAvailable());
    EXPECT_EQ(KeepKeyOf(nat.InstallControlAgent(nodes.Get(0)).Get(0)), byDefault);
    EXPECT_EQ(KeepKeyOf(nat.InstallDetectionServer(nodes.Get(1)).Get(0)), byDefault);
    EXPECT_EQ(KeepKeyOf(traversal.InstallAgent(nodes.Get(0)).Get(0)), byDefault);
    EXPECT_EQ(KeepKeyOf(traversal.InstallServer(nodes.Get(1)).Get(0)), byDefault);
    nat.SetKeepKey("complex 1");
    traversal.SetKeepKey("complex 2");
    EXPECT_EQ(KeepKeyOf(nat.InstallControlAgent(nodes.Get(0)).Get(0)), "complex 1");
    EXPECT_EQ(KeepKeyOf(nat.InstallDetectionServer(nodes.Get(1)).Get(0)), "complex 1");
    EXPECT_EQ(KeepKeyOf(traversal.InstallAgent(nodes.Get(0)).Get(0)), "complex 2");
    EXPECT_EQ(KeepKeyOf(traversal.InstallServer(nodes.Get(1)).Get(0)), "complex 2");
}

TEST_F(HelperInstallTest, NatHelperInstallsTraversalApplicationsOnNodes)
{
    NodeContainer nodes;
    nodes.Create(2);
    NatHelper nat;
    nat.SetControlAgentAttribute("Port", UintegerValue(999));
    nat.SetDetectionServerAttribute("Port", UintegerValue(7171));
    nat.SetDetectionClientAttribute("UserIndex", UintegerValue(42));
    nat.SetStunServerAttribute("Port", UintegerValue(3479));
    nat.SetStunClientAttribute("ServerPort", UintegerValue(3479));

    ApplicationContainer agents = nat.InstallControlAgent(nodes);
    ASSERT_EQ(agents.GetN(), 2u);
    for (uint32_t i = 0; i < 2; ++i)
    {
        ASSERT_TRUE(DynamicCast<NatControlAgent>(agents.Get(i)));
        EXPECT_EQ(agents.Get(i)->GetNode(), nodes.Get(i));
        EXPECT_EQ(UintegerAttribute<uint16_t>(agents.Get(i), "Port"), 999);
    }
    ApplicationContainer servers = nat.InstallDetectionServer(NodeContainer(nodes.Get(0)));
    ASSERT_TRUE(DynamicCast<NatDetectionServer>(servers.Get(0)));
    EXPECT_EQ(UintegerAttribute<uint16_t>(servers.Get(0), "Port"), 7171);
    ApplicationContainer clients = nat.InstallDetectionClient(NodeContainer(nodes.Get(1)));
    ASSERT_TRUE(DynamicCast<NatDetectionClient>(clients.Get(0)));
    EXPECT_EQ(UintegerAttribute<uint32_t>(clients.Get(0), "UserIndex"), 42u);
    ApplicationContainer stunServers = nat.InstallStunServer(NodeContainer(nodes.Get(0)));
    ASSERT_TRUE(DynamicCast<StunServer>(stunServers.Get(0)));
    EXPECT_EQ(UintegerAttribute<uint16_t>(stunServers.Get(0), "Port"), 3479);
    ApplicationContainer stunClients = nat.InstallStunClient(nodes);
    ASSERT_EQ(stunClients.GetN(), 2u);
    ASSERT_TRUE(DynamicCast<StunClient>(stunClients.Get(1)));
    EXPECT_EQ(UintegerAttribute<uint16_t>(stunClients.Get(1), "ServerPort"), 3479);
    EXPECT_EQ(NatHelper::AssignStreams(stunClients, 5), 2); // one stream per StunClient
    EXPECT_EQ(NatHelper::AssignStreams(agents, 5), 0);
}

TEST_F(HelperInstallTest, NatDetectionSceneFromNodeLevelInstalls)
{
    // The seed-003 scene installed only through the helper's node-level methods.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("Buildings", UintegerValue(1));
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(1));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(2));
    topo->SetAttribute("EdgeMode", StringValue("Nat"));
    NatHelper nat;
    nat.Prepare(topo);
    topo->Build();
    nat.Install(topo);
    nat.SetDetectionClientAttribute("ServerAddress",
                                    Ipv4AddressValue(topo->GetOutsideGatekeeperAddress()));
    nat.InstallControlAgent(NodeContainer(topo->GetNatRouter()));
    ApplicationContainer servers =
        nat.InstallDetectionServer(NodeContainer(topo->GetOutsideGatekeeper()));
    ApplicationContainer clients =
        nat.InstallDetectionClient(NodeContainer(topo->GetTerminal(0, 0, 1)));
    clients.Start(Seconds(1));
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    ASSERT_EQ(clients.GetN(), 1u);
    auto c = DynamicCast<NatDetectionClient>(clients.Get(0));
    EXPECT_EQ(c->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(c->GetObservedAddress(), topo->GetAddressPlan().GetNatRouterPublicAddress());
    auto server = DynamicCast<NatDetectionServer>(servers.Get(0));
    EXPECT_EQ(server->GetClientVerdict(1), NatVerdict::NAT); // P5 reached the server
}

} // namespace
