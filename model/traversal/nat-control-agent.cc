/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-control-agent.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/nat-traffic-control-layer.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatControlAgent");
NS_OBJECT_ENSURE_REGISTERED(NatControlAgent);

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
            .AddAttribute("KeepKey",
                          "Key of KEEP's HMAC-SHA-256, shared with the NatDetectionServer "
                          "(empty: no authentication, for builds without libcrypto).",
                          StringValue(""),
                          MakeStringAccessor(&NatControlAgent::m_key),
                          MakeStringChecker())
            .AddTraceSource("Keep",
                            "A KEEP request was handled (request, status).",
                            MakeTraceSourceAccessor(&NatControlAgent::m_keepTrace),
                            "ns3::apartment::NatControlAgent::KeepTracedCallback")
            .AddTraceSource("Forged",
                            "A KEEP with a wrong code was dropped (request, source).",
                            MakeTraceSourceAccessor(&NatControlAgent::m_forgedTrace),
                            "ns3::apartment::NatControlAgent::RefusedTracedCallback")
            .AddTraceSource("Replayed",
                            "An authentic KEEP with an old sequence number was dropped.",
                            MakeTraceSourceAccessor(&NatControlAgent::m_replayedTrace),
                            "ns3::apartment::NatControlAgent::RefusedTracedCallback")
            .AddTraceSource("Foreign",
                            "An authentic KEEP for a mapping not opened towards its sender "
                            "was refused.",
                            MakeTraceSourceAccessor(&NatControlAgent::m_foreignTrace),
                            "ns3::apartment::NatControlAgent::RefusedTracedCallback")
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
    m_udp.Close();
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
NatControlAgent::GetForgedCount() const
{
    return m_forged;
}

uint32_t
NatControlAgent::GetReplayedCount() const
{
    return m_replayed;
}

uint32_t
NatControlAgent::GetForeignCount() const
{
    return m_foreign;
}

uint32_t
NatControlAgent::GetMalformedCount() const
{
    return static_cast<uint32_t>(m_udp.GetMalformedCount());
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
    m_authenticator.SetKey(m_key);
    if (!m_authenticator.IsEnabled())
    {
        NS_LOG_WARN("NatControlAgent without KeepKey: KEEP is not authenticated");
    }
    m_udp.Open(
        GetNode(),
        UdpService::Options{m_port},
        "NatControlAgent",
        [this](Ptr<Packet> p, const Address& from) { return OnDatagram(p, from); },
        [this](Ptr<const Packet> p) { m_malformedTrace(p); });
}

void
NatControlAgent::StopApplication()
{
    m_udp.Close();
}

bool
NatControlAgent::OnDatagram(Ptr<Packet> p, const Address& from)
{
    TraversalHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || h.GetType() != TraversalHeader::KEEP)
    {
        return false;
    }
    const Ipv4Address sender = InetSocketAddress::ConvertFrom(from).GetIpv4();
    switch (m_authenticator.Check(h, sender))
    {
    case KeepAuthenticator::FORGED:
        // No answer: a forger learns nothing, and cannot make the router reflect traffic.
        NS_LOG_INFO("forged KEEP from " << sender);
        ++m_forged;
        m_forgedTrace(h, from);
        return true;
    case KeepAuthenticator::REPLAYED:
        NS_LOG_INFO("replayed KEEP from " << sender << " seq " << h.GetSequence());
        ++m_replayed;
        m_replayedTrace(h, from);
        return true;
    case KeepAuthenticator::AUTHENTIC:
        break;
    }
    Ptr<NatTrafficControlLayer> nat = GetNode()->GetObject<NatTrafficControlLayer>();
    const Time idle = Seconds(h.GetIdleSeconds());
    uint8_t status = TraversalHeader::KEEP_OK;
    auto mapping = nat->GetTable().FindByPublic(h.GetProtocol(), h.GetAddress(), h.GetPort());
    if (idle < m_minIdle || idle > m_maxIdle)
    {
        status = TraversalHeader::KEEP_REFUSED;
    }
    else if (!mapping)
    {
        status = TraversalHeader::KEEP_NO_MAPPING;
    }
    else if (!mapping->HasContacted(sender))
    {
        status = TraversalHeader::KEEP_FOREIGN;
        ++m_foreign;
        m_foreignTrace(h, from);
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
    m_udp.GetSocket()->SendTo(ToPacket(ack), 0, from);
    return true;
}

} // namespace apartment
} // namespace ns3
