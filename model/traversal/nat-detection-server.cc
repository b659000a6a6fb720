/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-detection-server.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatDetectionServer");
NS_OBJECT_ENSURE_REGISTERED(NatDetectionServer);

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
            .AddAttribute("KeepKey",
                          "Key of KEEP's HMAC-SHA-256, shared with the routers' "
                          "NatControlAgent (empty: no authentication, for builds without "
                          "libcrypto).",
                          StringValue(""),
                          MakeStringAccessor(&NatDetectionServer::m_keepKey),
                          MakeStringChecker())
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
    m_udp.Close();
    m_listen = nullptr;
    m_buffers.clear();
    m_clients.clear();
    Application::DoDispose();
}

uint32_t
NatDetectionServer::GetMalformedCount() const
{
    return m_malformed + static_cast<uint32_t>(m_udp.GetMalformedCount());
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
    m_authenticator.SetKey(m_keepKey);
    m_udp.Open(
        GetNode(),
        UdpService::Options{m_port},
        "NatDetectionServer",
        [this](Ptr<Packet> p, const Address& from) { return OnUdpDatagram(p, from); },
        [this](Ptr<const Packet> p) { m_malformedTrace(p); });
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
    m_udp.Close();
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
            m_authenticator.Sign(keep);
            m_udp.GetSocket()->SendTo(ToPacket(keep),
                                      0,
                                      InetSocketAddress(udp.GetIpv4(), m_controlPort));
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

bool
NatDetectionServer::OnUdpDatagram(Ptr<Packet> p, const Address& from)
{
    TraversalHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        return false;
    }
    HandleUdp(h, from);
    return true;
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
        m_udp.GetSocket()->SendTo(ToPacket(p4), 0, InetSocketAddress(a, seen.GetPort()));
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
    m_udp.GetSocket()->SendTo(ToPacket(p7, m_streamSize), 0, c.streamTo);
    c.streamEvent =
        Simulator::Schedule(m_streamInterval, &NatDetectionServer::SendStream, this, userIndex);
}

} // namespace apartment
} // namespace ns3
