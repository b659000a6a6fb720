/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-detection.h"

#include "ns3/abort.h"
#include "ns3/apartment-voip-compat.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/nat-traffic-control-layer.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatDetection");
NS_OBJECT_ENSURE_REGISTERED(NatDetectionClient);
NS_OBJECT_ENSURE_REGISTERED(NatDetectionServer);
NS_OBJECT_ENSURE_REGISTERED(NatControlAgent);

std::string
ToString(NatVerdict verdict)
{
    switch (verdict)
    {
    case NatVerdict::PUBLIC:
        return "public";
    case NatVerdict::PROXY:
        return "proxy";
    case NatVerdict::NAT:
        return "nat";
    default:
        return "unknown";
    }
}

NatVerdict
DecideVerdict(const std::vector<Ipv4Address>& own, Ipv4Address observed)
{
    return std::find(own.begin(), own.end(), observed) != own.end() ? NatVerdict::PROXY
                                                                    : NatVerdict::NAT;
}

std::vector<Ptr<Packet>>
ExtractMessages(std::vector<uint8_t>& buffer, Ptr<const Packet> data, uint32_t& malformed)
{
    std::vector<Ptr<Packet>> messages;
    const std::size_t old = buffer.size();
    buffer.resize(old + data->GetSize());
    data->CopyData(buffer.data() + old, data->GetSize());
    std::size_t offset = 0;
    while (buffer.size() - offset >= TraversalHeader::COMMON_SIZE)
    {
        const uint8_t* b = buffer.data() + offset;
        const uint16_t magic = (b[0] << 8) | b[1];
        const uint32_t length = TraversalHeader::COMMON_SIZE + ((b[4] << 8) | b[5]);
        if (magic != TraversalHeader::MAGIC)
        {
            ++malformed;
            buffer.clear();
            return messages;
        }
        if (buffer.size() - offset < length)
        {
            break;
        }
        messages.push_back(Create<Packet>(b, length));
        offset += length;
    }
    buffer.erase(buffer.begin(), buffer.begin() + offset);
    return messages;
}

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

Ptr<Packet>
ToPacket(const TraversalHeader& h, uint32_t totalSize = 0)
{
    uint32_t pad = totalSize > h.GetSerializedSize() ? totalSize - h.GetSerializedSize() : 0;
    Ptr<Packet> p = Create<Packet>(pad);
    p->AddHeader(h);
    return p;
}

} // namespace

// ---------------------------------------------------------------- client

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
    m_udp = nullptr;
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
    m_udp = socket;
    m_sharedSocket = socket != nullptr;
}

void
NatDetectionClient::Receive(Ptr<Packet> datagram)
{
    HandleDatagram(datagram);
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
    return m_malformed;
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
        m_udp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        NS_ABORT_MSG_IF(m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_localPort)) != 0,
                        "NatDetectionClient: UDP port " << m_localPort << " is taken");
        m_udp->SetRecvCallback(MakeCallback(&NatDetectionClient::OnUdpReceive, this));
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
    if (m_udp && !m_sharedSocket)
    {
        m_udp->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_udp->Close();
    }
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
    m_udp->SendTo(ToPacket(h), 0, InetSocketAddress(m_server, m_serverPort));
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

void
NatDetectionClient::OnUdpReceive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        HandleDatagram(p);
    }
}

void
NatDetectionClient::HandleDatagram(Ptr<Packet> p)
{
    Ptr<Packet> copy = p->Copy();
    TraversalHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || (h.GetType() != TraversalHeader::P4_SERVER_ACK &&
                         h.GetType() != TraversalHeader::P7_SERVER_DATA))
    {
        ++m_malformed;
        m_malformedTrace(copy);
        return;
    }
    if (h.GetType() == TraversalHeader::P7_SERVER_DATA)
    {
        ++m_streamReceived;
        m_lastStream = Simulator::Now();
        m_streamTrace(copy, h.GetSequence());
        return;
    }
    Handle(h);
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

// ---------------------------------------------------------------- server

TypeId
NatDetectionServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::NatDetectionServer")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<NatDetectionServer>()
            .AddAttribute("Port",
                          "UDP and TCP port.",
                          UintegerValue(7070),
                          MakeUintegerAccessor(&NatDetectionServer::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("ControlPort",
                          "UDP port of the routers' NatControlAgent (KEEP).",
                          UintegerValue(1023),
                          MakeUintegerAccessor(&NatDetectionServer::m_controlPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("KeepIdle",
                          "Idle time after which the router may release a kept mapping.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&NatDetectionServer::m_keepIdle),
                          MakeTimeChecker(Seconds(1), Seconds(65535)))
            .AddAttribute("StreamInterval",
                          "Interval of the P7 stream (20 ms: one RTP packet per 20 ms).",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&NatDetectionServer::m_streamInterval),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("StreamPacketSize",
                          "UDP payload size of a P7 (172: RTP header + 20 ms of G.711).",
                          UintegerValue(172),
                          MakeUintegerAccessor(&NatDetectionServer::m_streamSize),
                          MakeUintegerChecker<uint32_t>(0, 1400))
            .AddAttribute("StreamDuration",
                          "How long to stream P7 to each client after its P5 (0: no stream).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&NatDetectionServer::m_streamDuration),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Malformed",
                            "A malformed message was dropped.",
                            MakeTraceSourceAccessor(&NatDetectionServer::m_malformedTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("ClientVerdict",
                            "A client reported its verdict in P5 (user index, verdict).",
                            MakeTraceSourceAccessor(&NatDetectionServer::m_clientVerdictTrace),
                            "ns3::apartment::NatDetectionServer::ClientVerdictTracedCallback");
    return tid;
}

NatDetectionServer::NatDetectionServer() = default;

NatDetectionServer::~NatDetectionServer() = default;

void
NatDetectionServer::DoDispose()
{
    m_udp = nullptr;
    m_listen = nullptr;
    m_buffers.clear();
    m_clients.clear();
    Application::DoDispose();
}

uint32_t
NatDetectionServer::GetMalformedCount() const
{
    return m_malformed;
}

uint32_t
NatDetectionServer::GetStreamSent(uint32_t userIndex) const
{
    auto it = m_clients.find(userIndex);
    return it == m_clients.end() ? 0 : it->second.sequence;
}

NatVerdict
NatDetectionServer::GetClientVerdict(uint32_t userIndex) const
{
    auto it = m_clients.find(userIndex);
    return it == m_clients.end() ? NatVerdict::UNKNOWN : it->second.verdict;
}

uint32_t
NatDetectionServer::GetKeepalivesReceived(uint32_t userIndex) const
{
    auto it = m_clients.find(userIndex);
    return it == m_clients.end() ? 0 : it->second.keepalives;
}

uint32_t
NatDetectionServer::GetKeepAcks() const
{
    return m_keepAcks;
}

void
NatDetectionServer::StartApplication()
{
    m_udp = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "NatDetectionServer: UDP port " << m_port << " is taken");
    m_udp->SetRecvCallback(MakeCallback(&NatDetectionServer::OnUdpReceive, this));
    m_listen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_listen->Listen();
    m_listen->SetAcceptCallback(MakeCallback(&NatDetectionServer::OnConnectionRequest, this),
                                MakeCallback(&NatDetectionServer::OnAccept, this));
}

void
NatDetectionServer::StopApplication()
{
    for (auto& [index, c] : m_clients)
    {
        c.streamEvent.Cancel();
    }
    if (m_udp)
    {
        m_udp->Close();
    }
    if (m_listen)
    {
        m_listen->Close();
    }
}

bool
NatDetectionServer::OnConnectionRequest(Ptr<Socket>, const Address&)
{
    return true;
}

void
NatDetectionServer::OnAccept(Ptr<Socket> socket, const Address&)
{
    socket->SetRecvCallback(MakeCallback(&NatDetectionServer::OnTcpReceive, this));
    m_buffers[socket];
}

void
NatDetectionServer::SendTcp(Ptr<Socket> socket, TraversalHeader h)
{
    socket->Send(ToPacket(h));
}

void
NatDetectionServer::OnTcpReceive(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        uint32_t before = m_malformed;
        for (Ptr<Packet> m : ExtractMessages(m_buffers[socket], p, m_malformed))
        {
            TraversalHeader h;
            m->RemoveHeader(h);
            if (!h.IsValid())
            {
                ++m_malformed;
                continue;
            }
            HandleTcp(socket, h);
        }
        if (m_malformed != before)
        {
            m_malformedTrace(p);
        }
    }
}

void
NatDetectionServer::HandleTcp(Ptr<Socket> socket, const TraversalHeader& h)
{
    switch (h.GetType())
    {
    case TraversalHeader::ACCESS: {
        // S3: compare the access address with the address the connection comes from.
        Address peer;
        socket->GetPeerName(peer);
        Client& c = m_clients[h.GetUserIndex()];
        c.tcp = socket;
        c.access = h.GetAddress();
        c.tcpObserved = InetSocketAddress::ConvertFrom(peer).GetIpv4();
        TraversalHeader ack(TraversalHeader::ACCESS_ACK);
        ack.SetFlag(c.access != c.tcpObserved);
        ack.SetAddress(c.tcpObserved);
        SendTcp(socket, ack);
        break;
    }
    case TraversalHeader::P2_ADDRESS_LIST: {
        Client& c = m_clients[h.GetUserIndex()];
        c.listed = h.GetAddresses();
        c.hasList = true;
        MaybeSendP4(c);
        break;
    }
    case TraversalHeader::P5_VERDICT: {
        auto it = m_clients.find(h.GetUserIndex());
        if (it == m_clients.end() || !it->second.hasUdp)
        {
            ++m_malformed; // P5 of a client we never heard over UDP
            return;
        }
        Client& c = it->second;
        const InetSocketAddress udp = InetSocketAddress::ConvertFrom(c.udpObserved);
        if (h.GetAddress() == Ipv4Address::GetAny())
        {
            // S10-S11: private address behind NAT: have the router keep the mapping.
            c.verdict = NatVerdict::NAT;
            c.streamTo = c.udpObserved;
            TraversalHeader keep(TraversalHeader::KEEP);
            keep.SetProtocol(17);
            keep.SetAddress(udp.GetIpv4());
            keep.SetPort(udp.GetPort());
            keep.SetIdleSeconds(static_cast<uint16_t>(m_keepIdle.GetSeconds()));
            keep.SetUserIndex(h.GetUserIndex());
            m_udp->SendTo(ToPacket(keep), 0, InetSocketAddress(udp.GetIpv4(), m_controlPort));
        }
        else
        {
            c.verdict = c.access == c.tcpObserved ? NatVerdict::PUBLIC : NatVerdict::PROXY;
            c.streamTo = InetSocketAddress(h.GetAddress(), udp.GetPort());
        }
        m_clientVerdictTrace(h.GetUserIndex(), c.verdict);
        if (m_streamDuration.IsStrictlyPositive())
        {
            c.streamEnd = Simulator::Now() + m_streamDuration;
            c.streamEvent = Simulator::Schedule(MilliSeconds(100),
                                                &NatDetectionServer::SendStream,
                                                this,
                                                h.GetUserIndex());
        }
        break;
    }
    default:
        ++m_malformed; // not a TCP message
        break;
    }
}

void
NatDetectionServer::OnUdpReceive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ptr<Packet> copy = p->Copy();
        TraversalHeader h;
        p->RemoveHeader(h);
        if (!h.IsValid())
        {
            ++m_malformed;
            m_malformedTrace(copy);
            continue;
        }
        HandleUdp(h, from);
    }
}

void
NatDetectionServer::HandleUdp(const TraversalHeader& h, const Address& from)
{
    switch (h.GetType())
    {
    case TraversalHeader::P1_USER_INDEX:
    case TraversalHeader::P3_USED_ADDRESS: {
        Client& c = m_clients[h.GetUserIndex()];
        c.udpObserved = from;
        c.hasUdp = true;
        if (h.GetType() == TraversalHeader::P3_USED_ADDRESS)
        {
            c.p4Sent = false;
            MaybeSendP4(c);
        }
        break;
    }
    case TraversalHeader::P6_KEEPALIVE: {
        auto it = m_clients.find(h.GetUserIndex());
        if (it != m_clients.end())
        {
            ++it->second.keepalives;
        }
        break;
    }
    case TraversalHeader::KEEP_ACK:
        if (h.GetStatus() == TraversalHeader::KEEP_OK)
        {
            ++m_keepAcks;
        }
        break;
    default:
        ++m_malformed;
        break;
    }
}

void
NatDetectionServer::MaybeSendP4(Client& c)
{
    if (!c.hasList || !c.hasUdp || c.p4Sent)
    {
        return;
    }
    c.p4Sent = true;
    // S6: to every listed address (a proxy client's public address gets it directly) and
    // to where P3 came from (a client behind NAT gets it through its mapping).
    const InetSocketAddress seen = InetSocketAddress::ConvertFrom(c.udpObserved);
    TraversalHeader p4(TraversalHeader::P4_SERVER_ACK);
    p4.SetFlag(true);
    p4.SetAddress(seen.GetIpv4());
    p4.SetPort(seen.GetPort());
    std::vector<Ipv4Address> targets = c.listed;
    if (std::find(targets.begin(), targets.end(), seen.GetIpv4()) == targets.end())
    {
        targets.push_back(seen.GetIpv4());
    }
    for (const Ipv4Address& a : targets)
    {
        m_udp->SendTo(ToPacket(p4), 0, InetSocketAddress(a, seen.GetPort()));
    }
}

void
NatDetectionServer::SendStream(uint32_t userIndex)
{
    Client& c = m_clients[userIndex];
    if (Simulator::Now() > c.streamEnd)
    {
        return;
    }
    TraversalHeader p7(TraversalHeader::P7_SERVER_DATA);
    p7.SetFlag(true);
    p7.SetAddress(Ipv4Address::GetAny());
    p7.SetSequence(c.sequence++);
    m_udp->SendTo(ToPacket(p7, m_streamSize), 0, c.streamTo);
    c.streamEvent =
        Simulator::Schedule(m_streamInterval, &NatDetectionServer::SendStream, this, userIndex);
}

// ---------------------------------------------------------------- router agent

TypeId
NatControlAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::NatControlAgent")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<NatControlAgent>()
            .AddAttribute("Port",
                          "UDP port for KEEP; must lie outside the NAT's port range.",
                          UintegerValue(1023),
                          MakeUintegerAccessor(&NatControlAgent::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("MinIdle",
                          "Shortest idle time a server may ask for.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&NatControlAgent::m_minIdle),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("MaxIdle",
                          "Longest idle time a server may ask for.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&NatControlAgent::m_maxIdle),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Keep",
                            "A KEEP request was handled (request, status).",
                            MakeTraceSourceAccessor(&NatControlAgent::m_keepTrace),
                            "ns3::apartment::NatControlAgent::KeepTracedCallback")
            .AddTraceSource("Malformed",
                            "A malformed message was dropped.",
                            MakeTraceSourceAccessor(&NatControlAgent::m_malformedTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

NatControlAgent::NatControlAgent() = default;

NatControlAgent::~NatControlAgent() = default;

void
NatControlAgent::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

uint32_t
NatControlAgent::GetKeptCount() const
{
    return m_kept;
}

uint32_t
NatControlAgent::GetRefusedCount() const
{
    return m_refused;
}

uint32_t
NatControlAgent::GetMalformedCount() const
{
    return m_malformed;
}

void
NatControlAgent::StartApplication()
{
    Ptr<NatTrafficControlLayer> nat = GetNode()->GetObject<NatTrafficControlLayer>();
    NS_ABORT_MSG_IF(!nat || !nat->IsEnabled(), "NatControlAgent needs an enabled NAT");
    const NatTable::Config& c = nat->GetTable().GetConfig();
    NS_ABORT_MSG_IF(c.mode == NatMode::NAPT && m_port >= c.portMin && m_port <= c.portMax,
                    "NatControlAgent port " << m_port << " lies in the NAT port range " << c.portMin
                                            << "-" << c.portMax);
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "NatControlAgent: port " << m_port << " is taken");
    m_socket->SetRecvCallback(MakeCallback(&NatControlAgent::OnReceive, this));
}

void
NatControlAgent::StopApplication()
{
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
NatControlAgent::OnReceive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ptr<Packet> copy = p->Copy();
        TraversalHeader h;
        p->RemoveHeader(h);
        if (!h.IsValid() || h.GetType() != TraversalHeader::KEEP)
        {
            ++m_malformed;
            m_malformedTrace(copy);
            continue;
        }
        Ptr<NatTrafficControlLayer> nat = GetNode()->GetObject<NatTrafficControlLayer>();
        const Time idle = Seconds(h.GetIdleSeconds());
        uint8_t status = TraversalHeader::KEEP_OK;
        if (idle < m_minIdle || idle > m_maxIdle)
        {
            status = TraversalHeader::KEEP_REFUSED;
        }
        else if (!nat->Pin(h.GetProtocol(), h.GetAddress(), h.GetPort(), idle))
        {
            status = TraversalHeader::KEEP_NO_MAPPING;
        }
        (status == TraversalHeader::KEEP_OK ? m_kept : m_refused)++;
        m_keepTrace(h, status);
        TraversalHeader ack(TraversalHeader::KEEP_ACK);
        ack.SetStatus(status);
        ack.SetAddress(h.GetAddress());
        ack.SetPort(h.GetPort());
        ack.SetUserIndex(h.GetUserIndex());
        socket->SendTo(ToPacket(ack), 0, from);
    }
}

} // namespace apartment
} // namespace ns3
