/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/traversal-helper.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/nat-control-agent.h"
#include "ns3/nat-detection-client.h"
#include "ns3/nat-detection-server.h"
#include "ns3/sip-message.h"
#include "ns3/string.h"
#include "ns3/stun-client.h"
#include "ns3/stun-server.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

TraversalHelper::TraversalHelper()
{
    m_client.SetTypeId(NatDetectionClient::GetTypeId());
    m_server.SetTypeId(NatDetectionServer::GetTypeId());
    m_agent.SetTypeId(NatControlAgent::GetTypeId());
    m_stunClient.SetTypeId(StunClient::GetTypeId());
    m_stunServer.SetTypeId(StunServer::GetTypeId());
    m_phone.SetTypeId(SipTerminal::GetTypeId());
    SetKeepKey(KeepAuthenticator::GetDefaultKey());
}

void
TraversalHelper::SetKeepKey(const std::string& key)
{
    m_agent.Set("KeepKey", StringValue(key));
    m_server.Set("KeepKey", StringValue(key));
}

void
TraversalHelper::SetClientAttribute(const std::string& name, const AttributeValue& value)
{
    m_client.Set(name, value);
}

void
TraversalHelper::SetServerAttribute(const std::string& name, const AttributeValue& value)
{
    m_server.Set(name, value);
}

void
TraversalHelper::SetAgentAttribute(const std::string& name, const AttributeValue& value)
{
    m_agent.Set(name, value);
}

void
TraversalHelper::SetStunClientAttribute(const std::string& name, const AttributeValue& value)
{
    m_stunClient.Set(name, value);
}

void
TraversalHelper::SetStunServerAttribute(const std::string& name, const AttributeValue& value)
{
    m_stunServer.Set(name, value);
}

void
TraversalHelper::SetPhoneAttribute(const std::string& name, const AttributeValue& value)
{
    m_phone.Set(name, value);
}

ApplicationContainer
TraversalHelper::Install(const ObjectFactory& factory, NodeContainer nodes)
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
TraversalHelper::InstallClient(NodeContainer nodes, Ipv4Address server) const
{
    ObjectFactory factory = m_client;
    factory.Set("ServerAddress", Ipv4AddressValue(server));
    return Install(factory, nodes);
}

ApplicationContainer
TraversalHelper::InstallServer(NodeContainer nodes) const
{
    return Install(m_server, nodes);
}

ApplicationContainer
TraversalHelper::InstallAgent(NodeContainer nodes) const
{
    return Install(m_agent, nodes);
}

ApplicationContainer
TraversalHelper::InstallStunClient(NodeContainer nodes, Ipv4Address server) const
{
    ObjectFactory factory = m_stunClient;
    factory.Set("ServerAddress", Ipv4AddressValue(server));
    return Install(factory, nodes);
}

ApplicationContainer
TraversalHelper::InstallStunServer(NodeContainer nodes) const
{
    return Install(m_stunServer, nodes);
}

ApplicationContainer
TraversalHelper::InstallDirectPhone(Ptr<Node> node,
                                    const std::string& number,
                                    Ptr<Gatekeeper> registrar,
                                    Ipv4Address registrarAddress,
                                    SipTerminal::TraversalMode mode,
                                    uint32_t userIndex) const
{
    NS_ABORT_MSG_IF(mode == SipTerminal::TraversalMode::NONE,
                    "TraversalHelper::InstallDirectPhone: mode None is not a direct phone");
    NS_ABORT_MSG_IF(SipDigits(number).empty(),
                    "TraversalHelper::InstallDirectPhone: '" << number << "' is not a number");
    ObjectFactory factory = m_phone;
    factory.Set("Number", StringValue(number));
    factory.Set("Proxy", Ipv4AddressValue(registrarAddress));
    factory.Set("TraversalMode", EnumValue(static_cast<int>(mode)));
    factory.Set("TraversalUserIndex", UintegerValue(userIndex));
    if (registrar)
    {
        registrar->AddSubscriber(SipDigits(number));
        // The phone's digest password, as VoipHelper gives the registrar's own phones.
        factory.Set("Password", StringValue(registrar->GetPassword(number)));
    }
    return Install(factory, NodeContainer(node));
}

int64_t
TraversalHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (auto stun = DynamicCast<StunClient>(*it))
        {
            used += stun->AssignStreams(stream + used);
        }
        else if (auto phone = DynamicCast<SipTerminal>(*it))
        {
            used += phone->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace apartment
} // namespace ns3
