/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-helper.h"

#include "ns3/abort.h"
#include "ns3/arp-l3-protocol.h"
#include "ns3/boolean.h"
#include "ns3/csma-helper.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/nat-control-agent.h"
#include "ns3/nat-detection-client.h"
#include "ns3/nat-detection-server.h"
#include "ns3/packet-socket-factory.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/simple-ref-count.h"
#include "ns3/string.h"
#include "ns3/stun-client.h"
#include "ns3/stun-server.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/udp-l4-protocol.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatHelper");

namespace
{

Ptr<NatTrafficControlLayer>
AssembleStack(ObjectFactory factory, Ptr<Node> node)
{
    NS_ABORT_MSG_IF(node->GetObject<Ipv4>(), "node " << node->GetId() << " already has IPv4");
    // Same objects and order as InternetStackHelper::Install, with our traffic control.
    Ptr<ArpL3Protocol> arp = CreateObject<ArpL3Protocol>();
    node->AggregateObject(arp);
    Ptr<Ipv4L3Protocol> ipv4 = CreateObject<Ipv4L3Protocol>();
    node->AggregateObject(ipv4);
    node->AggregateObject(CreateObject<Icmpv4L4Protocol>());
    Ipv4StaticRoutingHelper routing;
    ipv4->SetRoutingProtocol(routing.Create(node));
    Ptr<NatTrafficControlLayer> tc = factory.Create<NatTrafficControlLayer>();
    node->AggregateObject(tc);
    node->AggregateObject(CreateObject<UdpL4Protocol>());
    node->AggregateObject(CreateObject<TcpL4Protocol>());
    node->AggregateObject(CreateObject<PacketSocketFactory>());
    arp->SetTrafficControl(tc);
    return tc;
}

/// Bound into the topology's installer callback (which compares its bound values).
struct FactoryHolder : public SimpleRefCount<FactoryHolder>
{
    ObjectFactory factory;
};

void
InstallForTopology(Ptr<FactoryHolder> holder, Ptr<Node> node)
{
    AssembleStack(holder->factory, node);
}

} // namespace

NatHelper::NatHelper()
{
    m_factory.SetTypeId(NatTrafficControlLayer::GetTypeId());
    m_agentFactory.SetTypeId(NatControlAgent::GetTypeId());
    m_detectionServerFactory.SetTypeId(NatDetectionServer::GetTypeId());
    m_detectionClientFactory.SetTypeId(NatDetectionClient::GetTypeId());
    m_stunServerFactory.SetTypeId(StunServer::GetTypeId());
    m_stunClientFactory.SetTypeId(StunClient::GetTypeId());
    SetKeepKey(KeepAuthenticator::GetDefaultKey());
}

void
NatHelper::SetKeepKey(const std::string& key)
{
    m_agentFactory.Set("KeepKey", StringValue(key));
    m_detectionServerFactory.Set("KeepKey", StringValue(key));
}

void
NatHelper::SetControlAgentAttribute(const std::string& name, const AttributeValue& value)
{
    m_agentFactory.Set(name, value);
}

void
NatHelper::SetDetectionServerAttribute(const std::string& name, const AttributeValue& value)
{
    m_detectionServerFactory.Set(name, value);
}

void
NatHelper::SetDetectionClientAttribute(const std::string& name, const AttributeValue& value)
{
    m_detectionClientFactory.Set(name, value);
}

void
NatHelper::SetStunServerAttribute(const std::string& name, const AttributeValue& value)
{
    m_stunServerFactory.Set(name, value);
}

void
NatHelper::SetStunClientAttribute(const std::string& name, const AttributeValue& value)
{
    m_stunClientFactory.Set(name, value);
}

ApplicationContainer
NatHelper::InstallOn(const ObjectFactory& factory, NodeContainer nodes)
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<Application> app = factory.Create<Application>();
        (*it)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

ApplicationContainer
NatHelper::InstallControlAgent(NodeContainer routers) const
{
    return InstallOn(m_agentFactory, routers);
}

ApplicationContainer
NatHelper::InstallDetectionServer(NodeContainer nodes) const
{
    return InstallOn(m_detectionServerFactory, nodes);
}

ApplicationContainer
NatHelper::InstallDetectionClient(NodeContainer nodes) const
{
    return InstallOn(m_detectionClientFactory, nodes);
}

ApplicationContainer
NatHelper::InstallStunServer(NodeContainer nodes) const
{
    return InstallOn(m_stunServerFactory, nodes);
}

ApplicationContainer
NatHelper::InstallStunClient(NodeContainer nodes) const
{
    return InstallOn(m_stunClientFactory, nodes);
}

int64_t
NatHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t current = stream;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (Ptr<StunClient> client = DynamicCast<StunClient>(*it))
        {
            current += client->AssignStreams(current);
        }
    }
    return current - stream;
}

void
NatHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
NatHelper::SetPublicAddresses(const std::vector<Ipv4Address>& addresses)
{
    m_publicAddresses = addresses;
}

void
NatHelper::AddStaticRule(Ipv4Address inside, Ipv4Address outside)
{
    m_staticRules.emplace_back(inside, outside);
}

void
NatHelper::Prepare(Ptr<ApartmentTopologyHelper> topology) const
{
    NS_ABORT_MSG_IF(topology->IsBuilt(), "NatHelper::Prepare must come before Build()");
    NS_ABORT_MSG_IF(topology->GetEdgeMode() != ApartmentTopologyHelper::NAT_EDGE,
                    "NatHelper needs the topology attribute EdgeMode=Nat");
    Ptr<FactoryHolder> holder = Create<FactoryHolder>();
    holder->factory = m_factory;
    topology->SetNatRouterStackInstaller(MakeBoundCallback(&InstallForTopology, holder));
}

Ptr<NatTrafficControlLayer>
NatHelper::Install(Ptr<ApartmentTopologyHelper> topology, uint32_t complex) const
{
    NS_ABORT_MSG_IF(!topology->IsBuilt(), "NatHelper::Install must come after Build()");
    return Enable(topology->GetNatRouter(complex),
                  topology->GetNatRouterWanDevice(complex),
                  m_publicAddresses);
}

Ptr<NatTrafficControlLayer>
NatHelper::InstallStack(Ptr<Node> node) const
{
    return AssembleStack(m_factory, node);
}

Ptr<NatTrafficControlLayer>
NatHelper::Enable(Ptr<Node> node,
                  Ptr<NetDevice> outside,
                  std::vector<Ipv4Address> publicAddresses) const
{
    Ptr<NatTrafficControlLayer> nat = GetNat(node);
    NS_ABORT_MSG_IF(!nat,
                    "node " << node->GetId()
                            << " has no NAT layer: call Prepare() before Build() or use "
                               "InstallStack()");
    if (publicAddresses.empty())
    {
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        int32_t i = ipv4->GetInterfaceForDevice(outside);
        NS_ABORT_MSG_IF(i < 0 || ipv4->GetNAddresses(i) == 0,
                        "the NAT's outside device has no IPv4 address");
        publicAddresses.push_back(ipv4->GetAddress(i, 0).GetLocal());
    }
    std::string error = nat->Enable(outside, publicAddresses);
    NS_ABORT_MSG_IF(!error.empty(), "NAT configuration: " << error);
    for (const auto& [inside, pub] : m_staticRules)
    {
        NS_ABORT_MSG_IF(!nat->AddStaticRule(inside, pub),
                        "static NAT rule " << inside << " <-> " << pub
                                           << " conflicts with another rule or address");
    }
    return nat;
}

NatHelper::ProxySite
NatHelper::AddProxySite(Ptr<ApartmentTopologyHelper> topology)
{
    NS_ABORT_MSG_IF(!topology->IsBuilt(), "AddProxySite must come after Build()");
    ProxySite site;
    site.proxy = CreateObject<Node>();
    site.client = CreateObject<Node>();
    Names::Add("proxy", site.proxy);
    Names::Add("proxy-client", site.client);
    NatHelper proxyNat;
    proxyNat.SetAttribute("TcpOnly", BooleanValue(true));
    proxyNat.InstallStack(site.proxy);
    InternetStackHelper stack;
    stack.SetRoutingHelper(Ipv4StaticRoutingHelper());
    stack.SetIpv6StackInstall(false);
    stack.Install(site.client);

    Ptr<Node> isp = topology->GetIspRouter();
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer wan = p2p.Install(isp, site.proxy);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    NetDeviceContainer lan = csma.Install(NodeContainer(site.proxy, site.client));
    Ipv4AddressHelper addresses;
    addresses.SetBase("198.18.0.0", "255.255.255.252");
    Ipv4InterfaceContainer wanIf = addresses.Assign(wan);
    addresses.SetBase("198.18.1.0", "255.255.255.0"); // not 192.0.2.0: the second complex
    Ipv4InterfaceContainer lanIf = addresses.Assign(lan);
    site.proxyAddress = wanIf.GetAddress(1);
    site.clientAddress = lanIf.GetAddress(1);

    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(isp->GetObject<Ipv4>())
        ->AddNetworkRouteTo("198.18.1.0",
                            "255.255.255.0",
                            wanIf.GetAddress(1),
                            wanIf.Get(0).second);
    routing.GetStaticRouting(site.proxy->GetObject<Ipv4>())
        ->SetDefaultRoute(wanIf.GetAddress(0), wanIf.Get(1).second);
    routing.GetStaticRouting(site.client->GetObject<Ipv4>())
        ->SetDefaultRoute(lanIf.GetAddress(0), lanIf.Get(1).second);
    proxyNat.Enable(site.proxy, wan.Get(1), {site.proxyAddress});
    return site;
}

Ptr<NatTrafficControlLayer>
NatHelper::GetNat(Ptr<Node> node)
{
    return node->GetObject<NatTrafficControlLayer>();
}

void
NatHelper::PrintTable(Ptr<Node> node, std::ostream& os)
{
    Ptr<NatTrafficControlLayer> nat = GetNat(node);
    if (!nat)
    {
        os << "no NAT on node " << node->GetId() << "\n";
        return;
    }
    nat->PrintTable(os);
}

int64_t
NatHelper::AssignStreams(int64_t /* stream */)
{
    return 0;
}

} // namespace apartment
} // namespace ns3
