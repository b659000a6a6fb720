/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/stun-client.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/stun-header.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipStunClient");
NS_OBJECT_ENSURE_REGISTERED(StunClient);

TypeId
StunClient::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::StunClient")
                            .SetParent<Application>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<StunClient>()
                            .AddAttribute("ServerAddress",
                                          "Address of the STUN server.",
                                          Ipv4AddressValue(),
                                          MakeIpv4AddressAccessor(&StunClient::m_server),
                                          MakeIpv4AddressChecker())
                            .AddAttribute("ServerPort",
                                          "UDP port of the STUN server.",
                                          UintegerValue(3478),
                                          MakeUintegerAccessor(&StunClient::m_serverPort),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("LocalPort",
                                          "UDP port of the client.",
                                          UintegerValue(3479),
                                          MakeUintegerAccessor(&StunClient::m_localPort),
                                          MakeUintegerChecker<uint16_t>(1))
                            .AddAttribute("Rto",
                                          "Initial retransmission timeout (RFC 8489: 500 ms).",
                                          TimeValue(MilliSeconds(500)),
                                          MakeTimeAccessor(&StunClient::m_rto),
                                          MakeTimeChecker(MilliSeconds(1)))
                            .AddAttribute("MaxRequests",
                                          "Requests sent at most (RFC 8489 Rc: 7).",
                                          UintegerValue(7),
                                          MakeUintegerAccessor(&StunClient::m_maxRequests),
                                          MakeUintegerChecker<uint32_t>(1, 20))
                            .AddTraceSource("Mapped",
                                            "The response arrived (mapped address, port, verdict).",
                                            MakeTraceSourceAccessor(&StunClient::m_mappedTrace),
                                            "ns3::apartment::StunClient::MappedTracedCallback")
                            .AddTraceSource("Malformed",
                                            "A malformed or unexpected message was dropped.",
                                            MakeTraceSourceAccessor(&StunClient::m_malformedTrace),
                                            "ns3::Packet::TracedCallback");
    return tid;
}

StunClient::StunClient()
    : m_random(CreateObject<UniformRandomVariable>()),
      m_answered(-1)
{
}

StunClient::~StunClient() = default;

void
StunClient::DoDispose()
{
    m_udp.Close();
    m_random = nullptr;
    Application::DoDispose();
}

int64_t
StunClient::AssignStreams(int64_t stream)
{
    m_random->SetStream(stream);
    return 1;
}

NatVerdict
StunClient::GetVerdict() const
{
    return m_verdict;
}

Ipv4Address
StunClient::GetMappedAddress() const
{
    return m_mapped;
}

uint16_t
StunClient::GetMappedPort() const
{
    return m_mappedPort;
}

Time
StunClient::GetDetectionTime() const
{
    return m_answered.IsNegative() ? m_answered : m_answered - m_started;
}

uint32_t
StunClient::GetMalformedCount() const
{
    return static_cast<uint32_t>(m_udp.GetMalformedCount());
}

uint32_t
StunClient::GetRequestsSent() const
{
    return m_sent;
}

void
StunClient::StartApplication()
{
    m_started = Simulator::Now();
    m_udp.Open(
        GetNode(),
        UdpService::Options{m_localPort},
        "StunClient",
        [this](Ptr<Packet> p, const Address& from) { return OnDatagram(p, from); },
        [this](Ptr<const Packet> p) { m_malformedTrace(p); });
    for (uint8_t& b : m_transaction)
    {
        b = static_cast<uint8_t>(m_random->GetInteger(0, 255));
    }
    m_nextRto = m_rto;
    SendRequest();
}

void
StunClient::StopApplication()
{
    m_retransmit.Cancel();
    m_udp.Close();
}

void
StunClient::SendRequest()
{
    if (m_sent >= m_maxRequests)
    {
        return;
    }
    StunHeader request;
    request.SetMessageType(StunHeader::BINDING_REQUEST);
    request.SetTransactionId(m_transaction);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(request);
    m_udp.GetSocket()->SendTo(p, 0, InetSocketAddress(m_server, m_serverPort));
    ++m_sent;
    m_retransmit = Simulator::Schedule(m_nextRto, &StunClient::SendRequest, this);
    m_nextRto = m_nextRto * 2;
}

bool
StunClient::OnDatagram(Ptr<Packet> p, const Address& /* from */)
{
    StunHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || h.GetMessageType() != StunHeader::BINDING_SUCCESS ||
        h.GetTransactionId() != m_transaction || !h.HasMappedAddress())
    {
        return false;
    }
    if (m_verdict != NatVerdict::UNKNOWN)
    {
        return true; // a retransmission's answer
    }
    m_retransmit.Cancel();
    m_answered = Simulator::Now();
    m_mapped = h.GetMappedAddress();
    m_mappedPort = h.GetMappedPort();
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    m_verdict = ipv4->GetInterfaceForAddress(m_mapped) >= 0 ? NatVerdict::PUBLIC : NatVerdict::NAT;
    m_mappedTrace(m_mapped, m_mappedPort, m_verdict);
    return true;
}

} // namespace apartment
} // namespace ns3
