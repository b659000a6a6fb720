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
#include "ns3/udp-socket-factory.h"
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
                            .AddAttribute("KeepaliveInterval",
                                          "Interval of Binding requests that keep the "
                                          "mapping open after the answer (0: none).",
                                          TimeValue(Time(0)),
                                          MakeTimeAccessor(&StunClient::m_keepaliveInterval),
                                          MakeTimeChecker(Time(0)))
                            .AddAttribute("KeepaliveStop",
                                          "Time after which no more keepalives are sent "
                                          "(0: never).",
                                          TimeValue(Time(0)),
                                          MakeTimeAccessor(&StunClient::m_keepaliveStop),
                                          MakeTimeChecker(Time(0)))
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
    m_socket = nullptr;
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
    return m_malformed;
}

uint32_t
StunClient::GetRequestsSent() const
{
    return m_sent;
}

uint32_t
StunClient::GetKeepalivesSent() const
{
    return m_keepalives;
}

void
StunClient::UseSocket(Ptr<Socket> socket)
{
    m_socket = socket;
    m_sharedSocket = socket != nullptr;
}

void
StunClient::Receive(Ptr<Packet> datagram)
{
    HandleDatagram(datagram);
}

void
StunClient::NewTransaction()
{
    for (uint8_t& b : m_transaction)
    {
        b = static_cast<uint8_t>(m_random->GetInteger(0, 255));
    }
}

void
StunClient::SendKeepalive()
{
    if (m_keepaliveStop.IsStrictlyPositive() && Simulator::Now() >= m_keepaliveStop)
    {
        return;
    }
    // RFC 8489 section 6.2.1 / RFC 5626 section 4.4.2: a new transaction, not retransmitted.
    NewTransaction();
    StunHeader request;
    request.SetMessageType(StunHeader::BINDING_REQUEST);
    request.SetTransactionId(m_transaction);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(request);
    m_socket->SendTo(p, 0, InetSocketAddress(m_server, m_serverPort));
    ++m_keepalives;
    m_keepaliveEvent = Simulator::Schedule(m_keepaliveInterval, &StunClient::SendKeepalive, this);
}

void
StunClient::StartApplication()
{
    m_started = Simulator::Now();
    if (!m_sharedSocket)
    {
        m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_localPort)) != 0,
                        "StunClient: UDP port " << m_localPort << " is taken");
        m_socket->SetRecvCallback(MakeCallback(&StunClient::OnReceive, this));
    }
    NewTransaction();
    m_nextRto = m_rto;
    SendRequest();
}

void
StunClient::StopApplication()
{
    m_retransmit.Cancel();
    m_keepaliveEvent.Cancel();
    if (m_socket && !m_sharedSocket)
    {
        m_socket->Close();
    }
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
    m_socket->SendTo(p, 0, InetSocketAddress(m_server, m_serverPort));
    ++m_sent;
    m_retransmit = Simulator::Schedule(m_nextRto, &StunClient::SendRequest, this);
    m_nextRto = m_nextRto * 2;
}

void
StunClient::OnReceive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        HandleDatagram(p);
    }
}

void
StunClient::HandleDatagram(Ptr<Packet> p)
{
    Ptr<Packet> copy = p->Copy();
    StunHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || h.GetMessageType() != StunHeader::BINDING_SUCCESS ||
        h.GetTransactionId() != m_transaction || !h.HasMappedAddress())
    {
        ++m_malformed;
        m_malformedTrace(copy);
        return;
    }
    if (m_verdict != NatVerdict::UNKNOWN)
    {
        return; // a retransmission's or a keepalive's answer
    }
    m_retransmit.Cancel();
    m_answered = Simulator::Now();
    m_mapped = h.GetMappedAddress();
    m_mappedPort = h.GetMappedPort();
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    m_verdict = ipv4->GetInterfaceForAddress(m_mapped) >= 0 ? NatVerdict::PUBLIC : NatVerdict::NAT;
    m_mappedTrace(m_mapped, m_mappedPort, m_verdict);
    if (m_keepaliveInterval.IsStrictlyPositive())
    {
        m_keepaliveEvent =
            Simulator::Schedule(m_keepaliveInterval, &StunClient::SendKeepalive, this);
    }
}

} // namespace apartment
} // namespace ns3
