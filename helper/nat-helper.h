/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_HELPER_H
#define APARTMENT_VOIP_NAT_HELPER_H

#include "ns3/apartment-topology-helper.h"
#include "ns3/application-container.h"
#include "ns3/nat-traffic-control-layer.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <ostream>
#include <utility>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Puts a NAT on the edge router of an apartment complex (or on any router).
 *
 * The NAT lives in the router's traffic-control layer, which InternetStackHelper cannot
 * replace, so the helper assembles the router's IPv4 stack itself (ARP, IPv4 with static
 * routing, ICMP, UDP, TCP, NatTrafficControlLayer). With ApartmentTopologyHelper:
 *
 * \code
 *   NatHelper nat;
 *   nat.SetAttribute("UdpTimeout", TimeValue(Seconds(120)));
 *   nat.Prepare(topology);           // before Build()
 *   topology->Build();
 *   Ptr<NatTrafficControlLayer> n = nat.Install(topology); // after Build()
 * \endcode
 *
 * It also installs the NAT traversal applications on nodes, as ns-3's application helpers
 * do (attributes through Set*Attribute, one application per node):
 *
 * \code
 *   nat.SetDetectionServerAttribute("StreamDuration", TimeValue(Seconds(10)));
 *   ApplicationContainer agents = nat.InstallControlAgent(routers);
 *   ApplicationContainer servers = nat.InstallDetectionServer(serverNodes);
 * \endcode
 */
class NatHelper
{
  public:
    NatHelper();

    /// Sets an attribute of the NatTrafficControlLayer objects created.
    void SetAttribute(const std::string& name, const AttributeValue& value);
    /// Public addresses (NAPT addresses or pool); default: the router's WAN address.
    void SetPublicAddresses(const std::vector<Ipv4Address>& addresses);
    /// A static 1:1 rule applied by Install().
    void AddStaticRule(Ipv4Address inside, Ipv4Address outside);

    /// Makes \p topology build its NAT routers' stacks with a NAT layer; before Build().
    void Prepare(Ptr<ApartmentTopologyHelper> topology) const;
    /**
     * \brief Starts the NAT of complex \p complex on its WAN device; after Build().
     *
     * Aborts with a clear message if the configuration is invalid.
     */
    Ptr<NatTrafficControlLayer> Install(Ptr<ApartmentTopologyHelper> topology,
                                        uint32_t complex = 0) const;

    /// Installs an IPv4 stack with a NAT layer on \p node (instead of InternetStackHelper).
    Ptr<NatTrafficControlLayer> InstallStack(Ptr<Node> node) const;
    /**
     * \brief Starts the NAT of a node whose stack InstallStack() built.
     * \param node the router
     * \param outside its device towards the public network
     * \param publicAddresses if empty, the address of \p outside
     */
    Ptr<NatTrafficControlLayer> Enable(Ptr<Node> node,
                                       Ptr<NetDevice> outside,
                                       std::vector<Ipv4Address> publicAddresses) const;

    /// Nodes of a site whose client has a public address but whose TCP goes through a proxy.
    struct ProxySite
    {
        Ptr<Node> proxy;          //!< a transparent TCP proxy (TcpOnly NAT)
        Ptr<Node> client;         //!< the host behind it, with a public address
        Ipv4Address proxyAddress; //!< what the outside sees for the client's TCP
        /// The client's own public address.
        Ipv4Address clientAddress;
    };

    /**
     * \brief Hangs a proxy site off the topology's ISP router (after Build()).
     *
     * ISP --p2p 198.18.0.0/30-- proxy --CSMA 198.18.1.0/24-- client: the client's TCP leaves
     * with the proxy's address, its UDP with its own public address.
     */
    static ProxySite AddProxySite(Ptr<ApartmentTopologyHelper> topology);

    /// \return the NAT layer of \p node, or null
    static Ptr<NatTrafficControlLayer> GetNat(Ptr<Node> node);
    /// Writes the table of the NAT of \p node.
    static void PrintTable(Ptr<Node> node, std::ostream& os);

    /// The NAT draws no random numbers. \return 0
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief Sets the KEEP key (KeepKey) of the NatDetectionServers and NatControlAgents
     * installed afterwards: both ends get the same. Default:
     * KeepAuthenticator::GetDefaultKey().
     */
    void SetKeepKey(const std::string& key);
    /// Sets an attribute of the NatControlAgents InstallControlAgent() creates.
    void SetControlAgentAttribute(const std::string& name, const AttributeValue& value);
    /// Sets an attribute of the NatDetectionServers InstallDetectionServer() creates.
    void SetDetectionServerAttribute(const std::string& name, const AttributeValue& value);
    /// Sets an attribute of the NatDetectionClients InstallDetectionClient() creates.
    void SetDetectionClientAttribute(const std::string& name, const AttributeValue& value);
    /// Sets an attribute of the StunServers InstallStunServer() creates.
    void SetStunServerAttribute(const std::string& name, const AttributeValue& value);
    /// Sets an attribute of the StunClients InstallStunClient() creates.
    void SetStunClientAttribute(const std::string& name, const AttributeValue& value);

    /// \return a NatControlAgent on each of \p routers (each needs an enabled NAT)
    ApplicationContainer InstallControlAgent(NodeContainer routers) const;
    /// \return a NatDetectionServer on each of \p nodes
    ApplicationContainer InstallDetectionServer(NodeContainer nodes) const;
    /// \return a NatDetectionClient on each of \p nodes
    ApplicationContainer InstallDetectionClient(NodeContainer nodes) const;
    /// \return a StunServer on each of \p nodes
    ApplicationContainer InstallStunServer(NodeContainer nodes) const;
    /// \return a StunClient on each of \p nodes
    ApplicationContainer InstallStunClient(NodeContainer nodes) const;
    /**
     * \brief Fixes the random streams of the StunClients among \p apps.
     * \return the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    static ApplicationContainer InstallOn(const ObjectFactory& factory, NodeContainer nodes);

    ObjectFactory m_factory;
    ObjectFactory m_agentFactory;
    ObjectFactory m_detectionServerFactory;
    ObjectFactory m_detectionClientFactory;
    ObjectFactory m_stunServerFactory;
    ObjectFactory m_stunClientFactory;
    std::vector<Ipv4Address> m_publicAddresses;
    std::vector<std::pair<Ipv4Address, Ipv4Address>> m_staticRules;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_HELPER_H */
