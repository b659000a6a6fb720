/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pcp-server-application.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipPcpServerApplication");
NS_OBJECT_ENSURE_REGISTERED(PcpServerApplication);

TypeId
PcpServerApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::PcpServerApplication")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<PcpServerApplication>()
            .AddAttribute("Port",
                          "UDP port of the server (RFC 6887: 5351).",
                          UintegerValue(PcpHeader::PORT),
                          MakeUintegerAccessor(&PcpServerApplication::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("MinLifetime",
                          "Shortest mapping lifetime granted (longer requests are clamped).",
                          TimeValue(Seconds(120)),
                          MakeTimeAccessor(&PcpServerApplication::m_minLifetime),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("MaxLifetime",
                          "Longest mapping lifetime granted.",
                          TimeValue(Seconds(86400)),
                          MakeTimeAccessor(&PcpServerApplication::m_maxLifetime),
                          MakeTimeChecker(Seconds(1)))
            .AddTraceSource("Request",
                            "A PCP request arrived (request, source).",
                            MakeTraceSourceAccessor(&PcpServerApplication::m_requestTrace),
                            "ns3::apartment::PcpServerApplication::RequestTracedCallback")
            .AddTraceSource("Refused",
                            "A request was answered with an error (request, source, result, "
                            "reason).",
                            MakeTraceSourceAccessor(&PcpServerApplication::m_refusedTrace),
                            "ns3::apartment::PcpServerApplication::RefusedTracedCallback")
            .AddTraceSource("Drop",
                            "A message was dropped without an answer (source, reason).",
                            MakeTraceSourceAccessor(&PcpServerApplication::m_dropTrace),
                            "ns3::apartment::PcpServerApplication::DropTracedCallback");
    return tid;
}

PcpServerApplication::PcpServerApplication() = default;
PcpServerApplication::~PcpServerApplication() = default;

void
PcpServerApplication::SetNat(Ptr<NatTrafficControlLayer> nat)
{
    m_nat = nat;
}

void
PcpServerApplication::AddThirdPartyClient(Ipv4Address client)
{
    m_thirdParty.insert(client);
}

const PcpServer*
PcpServerApplication::GetServer() const
{
    return m_server.get();
}

uint64_t
PcpServerApplication::GetSuccessCount() const
{
    return m_pastSuccess + (m_server ? m_server->GetSuccessCount() : 0);
}

uint64_t
PcpServerApplication::GetRefusedCount() const
{
    uint64_t past = 0;
    for (const auto& [result, n] : m_pastRefused)
    {
        past += n;
    }
    return past + (m_server ? m_server->GetRefusedCount() : 0);
}

uint64_t
PcpServerApplication::GetRefusedCount(uint8_t result) const
{
    auto it = m_pastRefused.find(result);
    return (it == m_pastRefused.end() ? 0 : it->second) +
           (m_server ? m_server->GetRefusedCount(result) : 0);
}

uint64_t
PcpServerApplication::GetDroppedCount() const
{
    return m_outsideDrops + m_disabledDrops + m_pastDropped +
           (m_server ? m_server->GetDroppedCount() : 0);
}

void
PcpServerApplication::DoDispose()
{
    m_socket = nullptr;
    m_server.reset();
    m_nat = nullptr;
    Application::DoDispose();
}

void
PcpServerApplication::StartApplication()
{
    NS_ABORT_MSG_IF(!m_nat, "PcpServerApplication: SetNat() before the start");
    FollowNat();
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_socket->SetRecvPktInfo(true);
    m_socket->SetRecvCallback(MakeCallback(&PcpServerApplication::HandleRead, this));
}

bool
PcpServerApplication::FollowNat()
{
    if (m_server && (!m_nat->IsEnabled() || m_nat->GetGeneration() != m_generation))
    {
        // The table went away: keep the counters, not the server (it refers to the table).
        m_pastSuccess += m_server->GetSuccessCount();
        m_pastDropped += m_server->GetDroppedCount();
        for (uint8_t result = 1; result < 0xff; ++result)
        {
            if (uint64_t n = m_server->GetRefusedCount(result))
            {
                m_pastRefused[result] += n;
            }
        }
        m_server.reset();
    }
    if (!m_nat->IsEnabled())
    {
        return false;
    }
    if (!m_server)
    {
        PcpServer::Config config;
        config.minLifetime = static_cast<uint32_t>(m_minLifetime.GetSeconds());
        config.maxLifetime = static_cast<uint32_t>(m_maxLifetime.GetSeconds());
        config.thirdPartyClients = m_thirdParty;
        std::string error = PcpServer::Validate(config);
        NS_ABORT_MSG_IF(!error.empty(), "PcpServerApplication: " << error);
        // A new epoch: PcpServer counts its epoch from its creation.
        m_server = std::make_unique<PcpServer>(m_nat->GetTable(), config, Simulator::Now());
        m_generation = m_nat->GetGeneration();
    }
    return true;
}

void
PcpServerApplication::StopApplication()
{
    if (m_socket)
    {
        m_socket->Close();
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket = nullptr;
    }
}

void
PcpServerApplication::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ipv4Address source = InetSocketAddress::ConvertFrom(from).GetIpv4();
        Ipv4PacketInfoTag info;
        if (p->PeekPacketTag(info) && m_nat->GetOutsideDevice() &&
            m_nat->GetOutsideDevice()->GetIfIndex() == info.GetRecvIf())
        {
            ++m_outsideDrops; // PCP serves the inside only (RFC 6887 §8)
            m_dropTrace(source, "request from the outside");
            continue;
        }
        if (!FollowNat())
        {
            ++m_disabledDrops; // no public address: nothing to map to (and no epoch)
            m_dropTrace(source, "the NAT is disabled");
            continue;
        }
        PcpHeader request;
        p->RemoveHeader(request);
        m_requestTrace(request, source);
        auto outcome = m_server->Handle(request, source, Simulator::Now());
        if (outcome.changed)
        {
            m_nat->TableChanged();
        }
        if (!outcome.response)
        {
            NS_LOG_INFO("PCP from " << source << " dropped: " << outcome.reason);
            m_dropTrace(source, outcome.reason);
            continue;
        }
        if (outcome.IsRefused())
        {
            NS_LOG_INFO("PCP from " << source << " refused "
                                    << PcpHeader::ResultName(outcome.result) << ": "
                                    << outcome.reason);
            m_refusedTrace(request, source, outcome.result, outcome.reason);
        }
        Ptr<Packet> answer = Create<Packet>();
        answer->AddHeader(*outcome.response);
        socket->SendTo(answer, 0, from);
    }
}

} // namespace apartment
} // namespace ns3
