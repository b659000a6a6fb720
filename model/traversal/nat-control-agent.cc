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
    m_udp.GetSocket()->SendTo(ToPacket(ack), 0, from);
    return true;
}

} // namespace apartment
} // namespace ns3
