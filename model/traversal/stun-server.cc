/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/stun-server.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/stun-header.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipStunServer");
NS_OBJECT_ENSURE_REGISTERED(StunServer);

TypeId
StunServer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::StunServer")
                            .SetParent<Application>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<StunServer>()
                            .AddAttribute("Port",
                                          "UDP port.",
                                          UintegerValue(3478),
                                          MakeUintegerAccessor(&StunServer::m_port),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddTraceSource("Malformed",
                                            "A malformed or unexpected message was dropped.",
                                            MakeTraceSourceAccessor(&StunServer::m_malformedTrace),
                                            "ns3::Packet::TracedCallback");
    return tid;
}

StunServer::StunServer() = default;

StunServer::~StunServer() = default;

void
StunServer::DoDispose()
{
    m_udp.Close();
    Application::DoDispose();
}

uint32_t
StunServer::GetAnswered() const
{
    return m_answered;
}

uint32_t
StunServer::GetMalformedCount() const
{
    return static_cast<uint32_t>(m_udp.GetMalformedCount());
}

void
StunServer::StartApplication()
{
    m_udp.Open(
        GetNode(),
        UdpService::Options{m_port},
        "StunServer",
        [this](Ptr<Packet> p, const Address& from) { return OnDatagram(p, from); },
        [this](Ptr<const Packet> p) { m_malformedTrace(p); });
}

void
StunServer::StopApplication()
{
    m_udp.Close();
}

bool
StunServer::OnDatagram(Ptr<Packet> p, const Address& from)
{
    StunHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || h.GetMessageType() != StunHeader::BINDING_REQUEST)
    {
        return false;
    }
    const InetSocketAddress source = InetSocketAddress::ConvertFrom(from);
    StunHeader response;
    response.SetMessageType(StunHeader::BINDING_SUCCESS);
    response.SetTransactionId(h.GetTransactionId());
    response.SetMappedAddress(source.GetIpv4(), source.GetPort());
    Ptr<Packet> r = Create<Packet>();
    r->AddHeader(response);
    m_udp.GetSocket()->SendTo(r, 0, from);
    ++m_answered;
    return true;
}

} // namespace apartment
} // namespace ns3
