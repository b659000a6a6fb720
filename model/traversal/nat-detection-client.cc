/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-detection-client.h"

#include "ns3/abort.h"
#include "ns3/apartment-voip-compat.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatDetectionClient");
NS_OBJECT_ENSURE_REGISTERED(NatDetectionClient);

namespace
{

std::vector<Ipv4Address>
AddressesOf(Ptr<Node> node)
{
    std::vector<Ipv4Address> all;
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
        {
            Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
            if (!a.IsLocalhost())
            {
                all.push_back(a);
            }
        }
    }
    return all;
}

} // namespace

TypeId
NatDetectionClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::NatDetectionClient")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<NatDetectionClient>()
            .AddAttribute("ServerAddress",
                          "Public address of the detection server.",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&NatDetectionClient::m_server),
                          MakeIpv4AddressChecker())
            .AddAttribute("ServerPort",
                          "UDP and TCP port of the server.",
                          UintegerValue(7070),
                          MakeUintegerAccessor(&NatDetectionClient::m_serverPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("LocalPort",
                          "UDP port of the client (P1, P3, P6 from; P4, P7 to).",
                          UintegerValue(7072),
                          MakeUintegerAccessor(&NatDetectionClient::m_localPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("UserIndex",
                          "4-byte user index telling masquerading clients apart.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&NatDetectionClient::m_userIndex),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("KeepaliveInterval",
                          "Interval of P6 keepalives behind NAT (0: none).",
                          TimeValue(Seconds(15)),
                          MakeTimeAccessor(&NatDetectionClient::m_keepaliveInterval),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("KeepaliveStop",
                          "Time after which no more keepalives are sent (0: never).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&NatDetectionClient::m_keepaliveStop),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("Timeout",
                          "How long to wait for each answer before giving up.",
                          TimeValue(Seconds(3)),
                          MakeTimeAccessor(&NatDetectionClient::m_timeout),
                          MakeTimeChecker(Time(1)))
            .AddAttribute("Verdict",
                          "What the client found out (read only).",
                          TypeId::ATTR_GET,
                          EnumValue(static_cast<int>(NatVerdict::UNKNOWN)),
                          MakeEnumAttributeAccessor<int>(&NatDetectionClient::m_verdict),
                          MakeEnumChecker(static_cast<int>(NatVerdict::UNKNOWN),
                                          "Unknown",
                                          static_cast<int>(NatVerdict::PUBLIC),
                                          "Public",
                                          static_cast<int>(NatVerdict::PROXY),
                                          "Proxy",
                                          static_cast<int>(NatVerdict::NAT),
                                          "Nat"))
            .AddTraceSource("Verdict",
                            "The client decided (user index, verdict, observed address).",
                            MakeTraceSourceAccessor(&NatDetectionClient::m_verdictTrace),
                            "ns3::apartment::NatDetectionClient::VerdictTracedCallback")
            .AddTraceSource("StreamRx",
                            "A P7 message arrived (packet, sequence).",
                            MakeTraceSourceAccessor(&NatDetectionClient::m_streamTrace),
                            "ns3::apartment::NatDetectionClient::StreamTracedCallback")
            .AddTraceSource("Malformed",
                            "A malformed message was dropped.",
                            MakeTraceSourceAccessor(&NatDetectionClient::m_malformedTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

NatDetectionClient::NatDetectionClient()
    : m_verdict(static_cast<int>(NatVerdict::UNKNOWN)),
      m_decided(-1)
{
}

NatDetectionClient::~NatDetectionClient() = default;

void
NatDetectionClient::DoDispose()
{
    m_udp.Close();
    m_sharedSocket = nullptr;
    m_tcp = nullptr;
    Application::DoDispose();
}

NatVerdict
NatDetectionClient::GetVerdict() const
{
    return static_cast<NatVerdict>(m_verdict);
}

Ipv4Address
NatDetectionClient::GetObservedAddress() const
{
    return m_observed;
}

uint16_t
NatDetectionClient::GetObservedPort() const
{
    return m_observedPort;
}

void
NatDetectionClient::UseSocket(Ptr<Socket> socket)
{
    m_sharedSocket = socket;
}

void
NatDetectionClient::Receive(Ptr<Packet> datagram)
{
    Ptr<const Packet> copy = datagram->Copy();
    if (!OnUdpDatagram(datagram, Address()))
    {
        ++m_malformed;
        m_malformedTrace(copy);
    }
}

Time
NatDetectionClient::GetDetectionTime() const
{
    return m_decided.IsNegative() ? m_decided : m_decided - m_started;
}

uint32_t
NatDetectionClient::GetStreamReceived() const
{
    return m_streamReceived;
}

Time
NatDetectionClient::GetLastStreamTime() const
{
    return m_lastStream;
}

uint32_t
NatDetectionClient::GetMalformedCount() const
{
    return m_malformed + static_cast<uint32_t>(m_udp.GetMalformedCount());
}

uint32_t
NatDetectionClient::GetKeepalivesSent() const
{
    return m_keepalives;
}

std::vector<Ipv4Address>
NatDetectionClient::GetOwnAddresses() const
{
    return AddressesOf(GetNode());
}

void
NatDetectionClient::StartApplication()
{
    m_started = Simulator::Now();
    if (!m_sharedSocket)
    {
        m_udp.Open(
            GetNode(),
            UdpService::Options{m_localPort},
            "NatDetectionClient",
            [this](Ptr<Packet> p, const Address& from) { return OnUdpDatagram(p, from); },
            [this](Ptr<const Packet> p) { m_malformedTrace(p); });
    }
    m_tcp = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_tcp->Bind();
    m_tcp->SetConnectCallback(MakeCallback(&NatDetectionClient::OnConnected, this),
                              MakeCallback(&NatDetectionClient::OnConnectFailed, this));
    m_tcp->SetRecvCallback(MakeCallback(&NatDetectionClient::OnTcpReceive, this));
    m_tcp->Connect(InetSocketAddress(m_server, m_serverPort));
    m_timeoutEvent = Simulator::Schedule(m_timeout, &NatDetectionClient::OnTimeout, this);
}

void
NatDetectionClient::StopApplication()
{
    m_keepaliveEvent.Cancel();
    m_timeoutEvent.Cancel();
    m_udp.Close();
    if (m_tcp)
    {
        m_tcp->Close();
    }
}

void
NatDetectionClient::OnConnected(Ptr<Socket>)
{
    // S2: the access address is the one this host believes it uses.
    Address local;
    m_tcp->GetSockName(local);
    TraversalHeader access(TraversalHeader::ACCESS);
    access.SetUserIndex(m_userIndex);
    access.SetAddress(InetSocketAddress::ConvertFrom(local).GetIpv4());
    SendTcp(access);
    TraversalHeader p1(TraversalHeader::P1_USER_INDEX);
    p1.SetUserIndex(m_userIndex);
    SendUdp(p1);
}

void
NatDetectionClient::OnConnectFailed(Ptr<Socket>)
{
    NS_LOG_WARN("user " << m_userIndex << ": cannot connect to " << m_server);
}

void
NatDetectionClient::SendUdp(TraversalHeader h)
{
    Ptr<Socket> socket = m_sharedSocket ? m_sharedSocket : m_udp.GetSocket();
    socket->SendTo(ToPacket(h), 0, InetSocketAddress(m_server, m_serverPort));
}

void
NatDetectionClient::SendTcp(TraversalHeader h)
{
    m_tcp->Send(ToPacket(h));
}

void
NatDetectionClient::OnTcpReceive(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        uint32_t before = m_malformed;
        for (Ptr<Packet> m : ExtractMessages(m_tcpBuffer, p, m_malformed))
        {
            TraversalHeader h;
            m->RemoveHeader(h);
            Handle(h);
        }
        if (m_malformed != before)
        {
            m_malformedTrace(p);
        }
    }
}

bool
NatDetectionClient::OnUdpDatagram(Ptr<Packet> p, const Address& /* from */)
{
    Ptr<const Packet> copy = p->Copy(); // the stream trace gets it whole
    TraversalHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || (h.GetType() != TraversalHeader::P4_SERVER_ACK &&
                         h.GetType() != TraversalHeader::P7_SERVER_DATA))
    {
        return false;
    }
    if (h.GetType() == TraversalHeader::P7_SERVER_DATA)
    {
        ++m_streamReceived;
        m_lastStream = Simulator::Now();
        m_streamTrace(copy, h.GetSequence());
        return true;
    }
    Handle(h);
    return true;
}

void
NatDetectionClient::Handle(const TraversalHeader& h)
{
    if (GetVerdict() != NatVerdict::UNKNOWN)
    {
        return;
    }
    switch (h.GetType())
    {
    case TraversalHeader::ACCESS_ACK:
        if (!h.GetFlag())
        {
            Decide(NatVerdict::PUBLIC, h.GetAddress()); // S4
            return;
        }
        {
            // S5: valid addresses over TCP, the address actually used over UDP.
            TraversalHeader p2(TraversalHeader::P2_ADDRESS_LIST);
            p2.SetUserIndex(m_userIndex);
            std::vector<Ipv4Address> own = GetOwnAddresses();
            own.resize(std::min<std::size_t>(own.size(), TraversalHeader::MAX_ADDRESSES));
            p2.SetAddresses(own);
            SendTcp(p2);
            TraversalHeader p3(TraversalHeader::P3_USED_ADDRESS);
            p3.SetFlag(true);
            p3.SetUserIndex(m_userIndex);
            SendUdp(p3);
            m_timeoutEvent.Cancel();
            m_timeoutEvent = Simulator::Schedule(m_timeout, &NatDetectionClient::OnTimeout, this);
        }
        break;
    case TraversalHeader::P4_SERVER_ACK:
        m_observedPort = h.GetPort();
        Decide(DecideVerdict(GetOwnAddresses(), h.GetAddress()), h.GetAddress()); // S7
        break;
    default:
        ++m_malformed; // a message the client never expects
        break;
    }
}

void
NatDetectionClient::Decide(NatVerdict verdict, Ipv4Address observed)
{
    m_timeoutEvent.Cancel();
    m_verdict = static_cast<int>(verdict);
    m_observed = observed;
    m_decided = Simulator::Now();
    NS_LOG_INFO("user " << m_userIndex << " verdict " << ToString(verdict) << " seen as "
                        << observed);
    // S8/S10 (and S4): P5 with the public address, or NULL behind NAT.
    TraversalHeader p5(TraversalHeader::P5_VERDICT);
    p5.SetUserIndex(m_userIndex);
    p5.SetAddress(verdict == NatVerdict::NAT ? Ipv4Address::GetAny() : observed);
    SendTcp(p5);
    m_verdictTrace(m_userIndex, verdict, observed);
    if (verdict == NatVerdict::NAT && m_keepaliveInterval.IsStrictlyPositive())
    {
        m_keepaliveEvent =
            Simulator::Schedule(m_keepaliveInterval, &NatDetectionClient::SendKeepalive, this);
    }
}

void
NatDetectionClient::SendKeepalive()
{
    if (m_keepaliveStop.IsStrictlyPositive() && Simulator::Now() >= m_keepaliveStop)
    {
        return;
    }
    TraversalHeader p6(TraversalHeader::P6_KEEPALIVE);
    p6.SetFlag(true);
    p6.SetUserIndex(m_userIndex);
    SendUdp(p6);
    ++m_keepalives;
    m_keepaliveEvent =
        Simulator::Schedule(m_keepaliveInterval, &NatDetectionClient::SendKeepalive, this);
}

void
NatDetectionClient::OnTimeout()
{
    NS_LOG_WARN("user " << m_userIndex << ": no answer from " << m_server);
}

} // namespace apartment
} // namespace ns3
