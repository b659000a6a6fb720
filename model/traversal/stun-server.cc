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
#include "ns3/udp-socket-factory.h"
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
    m_socket = nullptr;
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
    return m_malformed;
}

void
StunServer::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "StunServer: UDP port " << m_port << " is taken");
    m_socket->SetRecvCallback(MakeCallback(&StunServer::OnReceive, this));
}

void
StunServer::StopApplication()
{
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
StunServer::OnReceive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ptr<Packet> copy = p->Copy();
        StunHeader h;
        p->RemoveHeader(h);
        if (!h.IsValid() || h.GetMessageType() != StunHeader::BINDING_REQUEST)
        {
            ++m_malformed;
            m_malformedTrace(copy);
            continue;
        }
        const InetSocketAddress source = InetSocketAddress::ConvertFrom(from);
        StunHeader response;
        response.SetMessageType(StunHeader::BINDING_SUCCESS);
        response.SetTransactionId(h.GetTransactionId());
        response.SetMappedAddress(source.GetIpv4(), source.GetPort());
        Ptr<Packet> r = Create<Packet>();
        r->AddHeader(response);
        socket->SendTo(r, 0, from);
        ++m_answered;
    }
}

} // namespace apartment
} // namespace ns3
