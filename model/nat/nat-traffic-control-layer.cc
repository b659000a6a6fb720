/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-traffic-control-layer.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/icmpv4.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipNatTrafficControlLayer");
NS_OBJECT_ENSURE_REGISTERED(NatTrafficControlLayer);

namespace
{

enum class Outcome
{
    PASS,
    TRANSLATED,
    DROPPED,
};

/// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), all in network byte order.
uint16_t
AdjustChecksum(uint16_t checksum, const std::vector<std::pair<uint16_t, uint16_t>>& changes)
{
    uint32_t sum = static_cast<uint16_t>(~checksum);
    for (const auto& [before, after] : changes)
    {
        sum += static_cast<uint16_t>(~before);
        sum += after;
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum);
}

void
AddAddressChange(std::vector<std::pair<uint16_t, uint16_t>>& changes,
                 Ipv4Address before,
                 Ipv4Address after)
{
    changes.emplace_back(before.Get() >> 16, after.Get() >> 16);
    changes.emplace_back(before.Get() & 0xffff, after.Get() & 0xffff);
}

/// ns-3 writes checksums with WriteU16 (little endian): give it the swapped value.
uint16_t
ToBufferOrder(uint16_t network)
{
    return static_cast<uint16_t>((network >> 8) | (network << 8));
}

bool
IsIcmpError(uint8_t type)
{
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

} // namespace

TypeId
NatTrafficControlLayer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::NatTrafficControlLayer")
            .SetParent<TrafficControlLayer>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<NatTrafficControlLayer>()
            .AddAttribute("Mode",
                          "Napt: few public addresses, ports translated (masquerading). "
                          "Pool: one pool address per inside host, ports kept.",
                          EnumValue(static_cast<int>(NatMode::NAPT)),
                          MakeEnumAttributeAccessor<int>(&NatTrafficControlLayer::m_mode),
                          MakeEnumChecker(static_cast<int>(NatMode::NAPT),
                                          "Napt",
                                          static_cast<int>(NatMode::POOL),
                                          "Pool"))
            .AddAttribute("PortMin",
                          "Lowest external port of NAPT mappings.",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&NatTrafficControlLayer::m_portMin),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("PortMax",
                          "Highest external port of NAPT mappings.",
                          UintegerValue(65535),
                          MakeUintegerAccessor(&NatTrafficControlLayer::m_portMax),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute(
                "MappingBehaviour",
                "RFC 4787 mapping behaviour.",
                EnumValue(static_cast<int>(NatBehaviour::ENDPOINT_INDEPENDENT)),
                MakeEnumAttributeAccessor<int>(&NatTrafficControlLayer::m_mapping),
                MakeEnumChecker(static_cast<int>(NatBehaviour::ENDPOINT_INDEPENDENT),
                                "EndpointIndependent",
                                static_cast<int>(NatBehaviour::ADDRESS_DEPENDENT),
                                "AddressDependent",
                                static_cast<int>(NatBehaviour::ADDRESS_AND_PORT_DEPENDENT),
                                "AddressAndPortDependent"))
            .AddAttribute(
                "FilteringBehaviour",
                "RFC 4787 filtering behaviour.",
                EnumValue(static_cast<int>(NatBehaviour::ENDPOINT_INDEPENDENT)),
                MakeEnumAttributeAccessor<int>(&NatTrafficControlLayer::m_filtering),
                MakeEnumChecker(static_cast<int>(NatBehaviour::ENDPOINT_INDEPENDENT),
                                "EndpointIndependent",
                                static_cast<int>(NatBehaviour::ADDRESS_DEPENDENT),
                                "AddressDependent",
                                static_cast<int>(NatBehaviour::ADDRESS_AND_PORT_DEPENDENT),
                                "AddressAndPortDependent"))
            .AddAttribute("UdpTimeout",
                          "Idle time after which a UDP mapping expires (RFC 4787 REQ-5: at "
                          "least 120 s unless AllowShortTimeouts).",
                          TimeValue(Seconds(300)),
                          MakeTimeAccessor(&NatTrafficControlLayer::m_udpTimeout),
                          MakeTimeChecker())
            .AddAttribute("AllowShortTimeouts",
                          "Accept timeouts below the RFC minimums (the user insists).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NatTrafficControlLayer::m_allowShortTimeouts),
                          MakeBooleanChecker())
            .AddAttribute("TcpEstablishedTimeout",
                          "Idle timeout of an established TCP mapping (RFC 5382: >= 2 h 4 min).",
                          TimeValue(Seconds(7440)),
                          MakeTimeAccessor(&NatTrafficControlLayer::m_tcpEstablishedTimeout),
                          MakeTimeChecker())
            .AddAttribute("TcpTransitoryTimeout",
                          "Idle timeout of an opening or closing TCP mapping (RFC 5382: "
                          ">= 4 min).",
                          TimeValue(Seconds(240)),
                          MakeTimeAccessor(&NatTrafficControlLayer::m_tcpTransitoryTimeout),
                          MakeTimeChecker())
            .AddAttribute("IcmpTimeout",
                          "Idle timeout of an ICMP echo mapping (RFC 5508: >= 60 s).",
                          TimeValue(Seconds(60)),
                          MakeTimeAccessor(&NatTrafficControlLayer::m_icmpTimeout),
                          MakeTimeChecker())
            .AddAttribute("PortPreservation",
                          "Keep the inside port as external port when it is free.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&NatTrafficControlLayer::m_portPreservation),
                          MakeBooleanChecker())
            .AddAttribute("InboundRefresh",
                          "Inbound UDP packets also refresh a mapping.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NatTrafficControlLayer::m_inboundRefresh),
                          MakeBooleanChecker())
            .AddAttribute("Hairpinning",
                          "Inside hosts may reach each other through public endpoints.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&NatTrafficControlLayer::m_hairpinning),
                          MakeBooleanChecker())
            .AddAttribute("FragmentTimeout",
                          "How long later fragments follow a translated first fragment.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&NatTrafficControlLayer::m_fragmentTimeout),
                          MakeTimeChecker())
            .AddAttribute("TcpOnly",
                          "Translate TCP only and route everything else unchanged (models "
                          "a transparent TCP proxy in front of hosts with public addresses).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NatTrafficControlLayer::m_tcpOnly),
                          MakeBooleanChecker())
            .AddTraceSource("MappingCreated",
                            "A dynamic mapping was created.",
                            MakeTraceSourceAccessor(&NatTrafficControlLayer::m_mappingCreated),
                            "ns3::apartment::NatTrafficControlLayer::MappingTracedCallback")
            .AddTraceSource("MappingRefreshed",
                            "A packet extended a mapping's lifetime.",
                            MakeTraceSourceAccessor(&NatTrafficControlLayer::m_mappingRefreshed),
                            "ns3::apartment::NatTrafficControlLayer::MappingTracedCallback")
            .AddTraceSource("MappingExpired",
                            "A mapping was removed after its idle timeout.",
                            MakeTraceSourceAccessor(&NatTrafficControlLayer::m_mappingExpired),
                            "ns3::apartment::NatTrafficControlLayer::MappingTracedCallback")
            .AddTraceSource("Translated",
                            "A packet was translated (segment, header before, after).",
                            MakeTraceSourceAccessor(&NatTrafficControlLayer::m_translatedTrace),
                            "ns3::apartment::NatTrafficControlLayer::TranslatedTracedCallback")
            .AddTraceSource("Drop",
                            "A packet was dropped by the NAT, with the reason.",
                            MakeTraceSourceAccessor(&NatTrafficControlLayer::m_dropTrace),
                            "ns3::apartment::NatTrafficControlLayer::DropTracedCallback");
    return tid;
}

NatTrafficControlLayer::NatTrafficControlLayer() = default;

NatTrafficControlLayer::~NatTrafficControlLayer() = default;

void
NatTrafficControlLayer::DoDispose()
{
    m_expiryEvent.Cancel();
    m_outside = nullptr;
    m_table.reset();
    TrafficControlLayer::DoDispose();
}

NatTable::Config
NatTrafficControlLayer::MakeConfig(const std::vector<Ipv4Address>& publicAddresses) const
{
    NatTable::Config c;
    c.mode = static_cast<NatMode>(m_mode);
    c.publicAddresses = publicAddresses;
    c.portMin = m_portMin;
    c.portMax = m_portMax;
    c.mapping = static_cast<NatBehaviour>(m_mapping);
    c.filtering = static_cast<NatBehaviour>(m_filtering);
    c.udpTimeout = m_udpTimeout;
    c.allowShortTimeouts = m_allowShortTimeouts;
    c.tcpEstablishedTimeout = m_tcpEstablishedTimeout;
    c.tcpTransitoryTimeout = m_tcpTransitoryTimeout;
    c.icmpTimeout = m_icmpTimeout;
    c.portPreservation = m_portPreservation;
    c.inboundRefresh = m_inboundRefresh;
    c.hairpinning = m_hairpinning;
    return c;
}

std::string
NatTrafficControlLayer::Enable(Ptr<NetDevice> outside,
                               const std::vector<Ipv4Address>& publicAddresses)
{
    NatTable::Config c = MakeConfig(publicAddresses);
    std::string error = NatTable::Validate(c);
    if (!outside)
    {
        error = "the NAT needs an outside device";
    }
    if (!error.empty())
    {
        return error;
    }
    m_outside = outside;
    m_expiryEvent.Cancel();
    m_table = std::make_unique<NatTable>(c);
    ++m_generation;
    return "";
}

void
NatTrafficControlLayer::Disable()
{
    m_expiryEvent.Cancel();
    m_table.reset();
    m_fragments[0].clear();
    m_fragments[1].clear();
}

uint32_t
NatTrafficControlLayer::GetGeneration() const
{
    return m_generation;
}

bool
NatTrafficControlLayer::IsEnabled() const
{
    return m_table != nullptr;
}

Ptr<NetDevice>
NatTrafficControlLayer::GetOutsideDevice() const
{
    return m_outside;
}

bool
NatTrafficControlLayer::AddStaticRule(Ipv4Address inside, Ipv4Address outside)
{
    NS_ABORT_MSG_IF(!m_table, "NatTrafficControlLayer::Enable must come first");
    return m_table->AddStaticRule(inside, outside);
}

NatTable&
NatTrafficControlLayer::GetTable()
{
    NS_ABORT_MSG_IF(!m_table, "NatTrafficControlLayer::Enable must come first");
    return *m_table;
}

const NatTable&
NatTrafficControlLayer::GetTable() const
{
    NS_ABORT_MSG_IF(!m_table, "NatTrafficControlLayer::Enable must come first");
    return *m_table;
}

std::optional<std::pair<Ipv4Address, uint16_t>>
NatTrafficControlLayer::LookupPublic(uint8_t protocol, Ipv4Address inside, uint16_t port) const
{
    if (!m_table)
    {
        return std::nullopt;
    }
    return m_table->LookupPublic(protocol, inside, port);
}

bool
NatTrafficControlLayer::Pin(uint8_t protocol,
                            Ipv4Address publicAddress,
                            uint16_t publicPort,
                            Time idle)
{
    if (!m_table || !m_table->Pin(protocol, publicAddress, publicPort, idle, Simulator::Now()))
    {
        return false;
    }
    ScheduleExpiry();
    return true;
}

void
NatTrafficControlLayer::PrintTable(std::ostream& os) const
{
    if (!m_table)
    {
        os << "NAT not enabled\n";
        return;
    }
    m_table->Print(os, Simulator::Now());
}

uint64_t
NatTrafficControlLayer::GetTranslatedCount() const
{
    return m_translated;
}

uint64_t
NatTrafficControlLayer::GetDropCount() const
{
    uint64_t n = 0;
    for (const auto& [reason, count] : m_drops)
    {
        n += count;
    }
    return n;
}

uint64_t
NatTrafficControlLayer::GetDropCount(NatDropReason reason) const
{
    auto it = m_drops.find(reason);
    return it == m_drops.end() ? 0 : it->second;
}

bool
NatTrafficControlLayer::IsOwnAddress(Ipv4Address a) const
{
    Ptr<Ipv4> ipv4 = GetObject<Ipv4>();
    return ipv4 && ipv4->GetInterfaceForAddress(a) >= 0;
}

void
NatTrafficControlLayer::CountDrop(Ptr<const Packet> segment,
                                  const Ipv4Header& header,
                                  NatDropReason reason)
{
    NS_LOG_LOGIC("drop " << header.GetSource() << " > " << header.GetDestination() << ": "
                         << ToString(reason));
    ++m_drops[reason];
    m_dropTrace(segment, header, reason);
}

void
NatTrafficControlLayer::Report(const NatResult& r)
{
    if (r.event == NatResult::CREATED)
    {
        m_mappingCreated(r.mapping);
    }
    else if (r.event == NatResult::REFRESHED)
    {
        m_mappingRefreshed(r.mapping);
    }
}

void
NatTrafficControlLayer::TableChanged()
{
    if (m_table)
    {
        ScheduleExpiry();
    }
}

void
NatTrafficControlLayer::ScheduleExpiry()
{
    std::optional<Time> next = m_table->GetNextExpiry();
    if (!next || (IsPending(m_expiryEvent) && m_expiryAt <= *next))
    {
        return;
    }
    m_expiryEvent.Cancel();
    m_expiryAt = std::max(*next, Simulator::Now());
    m_expiryEvent =
        Simulator::Schedule(m_expiryAt - Simulator::Now(), &NatTrafficControlLayer::DoExpire, this);
}

void
NatTrafficControlLayer::DoExpire()
{
    for (const NatMapping& m : m_table->Expire(Simulator::Now()))
    {
        NS_LOG_INFO("mapping expired " << m.insideAddress << ":" << m.insidePort << " -> "
                                       << m.publicAddress << ":" << m.publicPort);
        m_mappingExpired(m);
    }
    ScheduleExpiry();
}

bool
NatTrafficControlLayer::Translate(Ptr<Packet> segment, Ipv4Header& header, Direction direction)
{
    const Ipv4Header before = header;
    const Time now = Simulator::Now();
    const uint8_t protocol = header.GetProtocol();
    const bool fragment = !header.IsLastFragment() || header.GetFragmentOffset() != 0;
    const FragmentKey fragmentKey{protocol,
                                  header.GetSource().Get(),
                                  header.GetDestination().Get(),
                                  header.GetIdentification()};
    auto& fragments = m_fragments[direction == Direction::INBOUND ? 1 : 0];

    if (m_tcpOnly && protocol != 6)
    {
        return true;
    }
    if (direction == Direction::OUTBOUND && m_table->IsPublicAddress(header.GetSource()))
    {
        return true; // the router's own traffic
    }
    if (direction == Direction::INBOUND && protocol == 1 && IsOwnAddress(header.GetDestination()))
    {
        uint8_t type = 0;
        if (segment->CopyData(&type, 1) == 1 && IsIcmpError(type))
        {
            return true; // about the router's own traffic
        }
    }
    if (header.GetFragmentOffset() != 0)
    {
        // A later fragment follows the translation of its first fragment.
        auto it = fragments.find(fragmentKey);
        if (it == fragments.end() || it->second.second < now || direction == Direction::HAIRPIN)
        {
            CountDrop(segment, before, NatDropReason::FRAGMENT);
            return false;
        }
        if (direction == Direction::INBOUND)
        {
            header.SetDestination(it->second.first);
        }
        else
        {
            header.SetSource(it->second.first);
        }
        ++m_translated;
        m_translatedTrace(segment, before, header);
        return true;
    }

    NatFlow flow;
    flow.protocol = protocol;
    flow.src = header.GetSource();
    flow.dst = header.GetDestination();
    uint8_t bytes[20] = {};
    const uint32_t n = segment->CopyData(bytes, sizeof(bytes));
    auto u16 = [&](int i) { return static_cast<uint16_t>((bytes[i] << 8) | bytes[i + 1]); };
    switch (protocol)
    {
    case 17:
        if (n < 8)
        {
            CountDrop(segment, before, NatDropReason::MALFORMED);
            return false;
        }
        flow.srcPort = u16(0);
        flow.dstPort = u16(2);
        break;
    case 6:
        if (n < 20)
        {
            CountDrop(segment, before, NatDropReason::MALFORMED);
            return false;
        }
        if (fragment)
        {
            CountDrop(segment, before, NatDropReason::FRAGMENT);
            return false;
        }
        flow.srcPort = u16(0);
        flow.dstPort = u16(2);
        flow.tcpFlags = bytes[13];
        break;
    case 1:
        if (n < 8)
        {
            CountDrop(segment, before, NatDropReason::MALFORMED);
            return false;
        }
        if (IsIcmpError(bytes[0]))
        {
            // The quoted header would carry an inside address (or a public one inside).
            CountDrop(segment, before, NatDropReason::ICMP_ERROR);
            return false;
        }
        if (bytes[0] != 0 && bytes[0] != 8)
        {
            CountDrop(segment, before, NatDropReason::UNSUPPORTED);
            return false;
        }
        if (fragment)
        {
            CountDrop(segment, before, NatDropReason::FRAGMENT);
            return false;
        }
        flow.srcPort = flow.dstPort = u16(4);
        break;
    default:
        break;
    }

    NatResult srcResult;
    NatResult dstResult;
    switch (direction)
    {
    case Direction::OUTBOUND:
        srcResult = m_table->TranslateOutbound(flow, now);
        if (srcResult.pass)
        {
            return true;
        }
        dstResult.pass = true;
        break;
    case Direction::INBOUND:
        dstResult = m_table->TranslateInbound(flow, now);
        if (dstResult.pass ||
            (dstResult.reason == NatDropReason::UNSOLICITED && IsOwnAddress(flow.dst)))
        {
            return true; // the router's own traffic
        }
        srcResult.pass = true;
        break;
    case Direction::HAIRPIN: {
        NatTable::HairpinResult h = m_table->TranslateHairpin(flow, now);
        srcResult = h.source;
        dstResult = h.destination;
        if (dstResult.reason == NatDropReason::UNSOLICITED && IsOwnAddress(flow.dst))
        {
            return true;
        }
        break;
    }
    }
    Report(srcResult);
    Report(dstResult);
    ScheduleExpiry();
    for (const NatResult* r : {&srcResult, &dstResult})
    {
        if (r->IsDrop())
        {
            CountDrop(segment, before, r->reason);
            return false;
        }
    }

    const Ipv4Address newSrc = srcResult.translate ? srcResult.address : flow.src;
    const uint16_t newSrcPort = srcResult.translate ? srcResult.port : flow.srcPort;
    const Ipv4Address newDst = dstResult.translate ? dstResult.address : flow.dst;
    const uint16_t newDstPort = dstResult.translate ? dstResult.port : flow.dstPort;

    if (protocol == 17)
    {
        std::vector<std::pair<uint16_t, uint16_t>> changes;
        AddAddressChange(changes, flow.src, newSrc);
        AddAddressChange(changes, flow.dst, newDst);
        changes.emplace_back(flow.srcPort, newSrcPort);
        changes.emplace_back(flow.dstPort, newDstPort);
        uint16_t checksum = u16(6);
        if (checksum != 0) // zero: the sender computed none
        {
            checksum = AdjustChecksum(checksum, changes);
            if (checksum == 0)
            {
                checksum = 0xffff;
            }
        }
        UdpHeader udp;
        segment->RemoveHeader(udp);
        udp.SetSourcePort(newSrcPort);
        udp.SetDestinationPort(newDstPort);
        // UdpHeader::Deserialize keeps length - 8 as payload size but Serialize writes it as
        // the length: force the wire value back.
        udp.ForcePayloadSize(u16(4));
        udp.ForceChecksum(ToBufferOrder(checksum));
        segment->AddHeader(udp);
    }
    else if (protocol == 6)
    {
        TcpHeader tcp;
        segment->RemoveHeader(tcp);
        tcp.SetSourcePort(newSrcPort);
        tcp.SetDestinationPort(newDstPort);
        if (Node::ChecksumEnabled())
        {
            tcp.InitializeChecksum(newSrc, newDst, 6);
            tcp.EnableChecksums();
        }
        segment->AddHeader(tcp);
    }
    else if (protocol == 1)
    {
        Icmpv4Header icmp;
        segment->RemoveHeader(icmp);
        Icmpv4Echo echo;
        segment->RemoveHeader(echo);
        echo.SetIdentifier(direction == Direction::INBOUND ? newDstPort : newSrcPort);
        segment->AddHeader(echo);
        if (Node::ChecksumEnabled())
        {
            icmp.EnableChecksum();
        }
        segment->AddHeader(icmp);
    }

    header.SetSource(newSrc);
    header.SetDestination(newDst);
    if (fragment)
    {
        for (auto it = fragments.begin(); it != fragments.end();)
        {
            it = it->second.second < now ? fragments.erase(it) : std::next(it);
        }
        fragments[fragmentKey] = {direction == Direction::INBOUND ? newDst : newSrc,
                                  now + m_fragmentTimeout};
    }
    ++m_translated;
    m_translatedTrace(segment, before, header);
    return true;
}

void
NatTrafficControlLayer::Receive(Ptr<NetDevice> device,
                                Ptr<const Packet> p,
                                uint16_t protocol,
                                const Address& from,
                                const Address& to,
                                NetDevice::PacketType packetType)
{
    if (!m_table || protocol != Ipv4L3Protocol::PROT_NUMBER || p->GetSize() < 20)
    {
        TrafficControlLayer::Receive(device, p, protocol, from, to, packetType);
        return;
    }
    Ipv4Header header;
    p->PeekHeader(header);
    const Ipv4Address dst = header.GetDestination();
    if (!m_table->IsPublicAddress(dst))
    {
        TrafficControlLayer::Receive(device, p, protocol, from, to, packetType);
        return;
    }
    Ptr<Packet> packet = p->Copy();
    packet->RemoveHeader(header);
    if (header.GetPayloadSize() < packet->GetSize())
    {
        packet->RemoveAtEnd(packet->GetSize() - header.GetPayloadSize()); // CSMA padding
    }
    const Ipv4Header original = header;
    Direction direction = device == m_outside ? Direction::INBOUND : Direction::HAIRPIN;
    if (!Translate(packet, header, direction))
    {
        return;
    }
    if (header.GetSource() == original.GetSource() &&
        header.GetDestination() == original.GetDestination())
    {
        TrafficControlLayer::Receive(device, p, protocol, from, to, packetType);
        return;
    }
    if (Node::ChecksumEnabled())
    {
        header.EnableChecksum();
    }
    packet->AddHeader(header);
    TrafficControlLayer::Receive(device, packet, protocol, from, to, packetType);
}

void
NatTrafficControlLayer::Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item)
{
    Ptr<Ipv4QueueDiscItem> ipItem = DynamicCast<Ipv4QueueDiscItem>(item);
    if (!m_table || device != m_outside || !ipItem)
    {
        TrafficControlLayer::Send(device, item);
        return;
    }
    Ipv4Header header = ipItem->GetHeader();
    Ptr<Packet> packet = ipItem->GetPacket()->Copy();
    if (!Translate(packet, header, Direction::OUTBOUND))
    {
        return;
    }
    if (header.GetSource() == ipItem->GetHeader().GetSource())
    {
        TrafficControlLayer::Send(device, item);
        return;
    }
    if (Node::ChecksumEnabled())
    {
        header.EnableChecksum();
    }
    TrafficControlLayer::Send(
        device,
        Create<Ipv4QueueDiscItem>(packet, ipItem->GetAddress(), ipItem->GetProtocol(), header));
}

} // namespace apartment
} // namespace ns3
