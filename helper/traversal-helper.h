/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_TRAVERSAL_HELPER_H
#define APARTMENT_VOIP_TRAVERSAL_HELPER_H

#include "ns3/application-container.h"
#include "ns3/gatekeeper.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/sip-terminal.h"

#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Installs NAT traversal (seed 003 and STUN): the detection client and server, the
 * router agent (NatControlAgent), STUN client and server, and phones that register
 * directly with an outside registrar (SipTerminal with a TraversalMode).
 */
class TraversalHelper
{
  public:
    TraversalHelper();

    /**
     * \brief Sets the KEEP key (KeepKey) of the NatDetectionServers and NatControlAgents
     * installed afterwards: both ends get the same. Default:
     * KeepAuthenticator::GetDefaultKey().
     */
    void SetKeepKey(const std::string& key);
    /// \brief Sets an attribute of every NatDetectionClient installed afterwards.
    void SetClientAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of every NatDetectionServer installed afterwards.
    void SetServerAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of every NatControlAgent installed afterwards.
    void SetAgentAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of every StunClient installed afterwards.
    void SetStunClientAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of every StunServer installed afterwards.
    void SetStunServerAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of every direct phone (SipTerminal) installed afterwards.
    void SetPhoneAttribute(const std::string& name, const AttributeValue& value);

    /// \brief A NatDetectionClient on each node, asking the server at \p server.
    ApplicationContainer InstallClient(NodeContainer nodes, Ipv4Address server) const;
    /// \brief A NatDetectionServer on each node.
    ApplicationContainer InstallServer(NodeContainer nodes) const;
    /// \brief A NatControlAgent on each node (a NAT router: it aborts without a NAT).
    ApplicationContainer InstallAgent(NodeContainer nodes) const;
    /// \brief A StunClient on each node, asking the server at \p server.
    ApplicationContainer InstallStunClient(NodeContainer nodes, Ipv4Address server) const;
    /// \brief A StunServer on each node.
    ApplicationContainer InstallStunServer(NodeContainer nodes) const;

    /**
     * \brief A phone on \p node that registers \p number directly with the outside
     * registrar \p registrar (at \p registrarAddress), learning its public SIP and RTP
     * endpoints with \p mode (the traversal server is the registrar's node unless
     * TraversalServer is set). The registrar learns \p number as a subscriber.
     * \p userIndex is the seed-003 user index of its SIP port (the RTP port uses the next).
     * Aborts with a message if \p mode is NONE or \p number is not a number.
     */
    ApplicationContainer InstallDirectPhone(Ptr<Node> node,
                                            const std::string& number,
                                            Ptr<Gatekeeper> registrar,
                                            Ipv4Address registrarAddress,
                                            SipTerminal::TraversalMode mode,
                                            uint32_t userIndex) const;

    /**
     * \brief Fixes the random streams of the StunClients and SipTerminals in \p apps.
     * \return the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    static ApplicationContainer Install(const ObjectFactory& factory, NodeContainer nodes);

    ObjectFactory m_client;
    ObjectFactory m_server;
    ObjectFactory m_agent;
    ObjectFactory m_stunClient;
    ObjectFactory m_stunServer;
    ObjectFactory m_phone;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_TRAVERSAL_HELPER_H */
