/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-table.h"

#include "ns3/abort.h"

#include <algorithm>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>
#include <sstream>
#include <tuple>

namespace ns3
{
namespace apartment
{

namespace
{

using InsideKey = std::tuple<uint8_t, uint32_t, uint16_t, uint32_t, uint16_t>;
using OutsideKey = std::tuple<uint8_t, uint32_t, uint16_t>;

struct Entry
{
    InsideKey inside;
    OutsideKey outside;
    uint64_t id;
    Time expiry;
    NatMapping mapping;
};

struct ByInside
{
};

struct ByOutside
{
};

struct ByExpiry
{
};

struct ById
{
};

namespace bmi = boost::multi_index;

using EntrySet = bmi::multi_index_container<
    Entry,
    bmi::indexed_by<
        bmi::ordered_unique<bmi::tag<ByInside>, bmi::member<Entry, InsideKey, &Entry::inside>>,
        bmi::ordered_unique<bmi::tag<ByOutside>, bmi::member<Entry, OutsideKey, &Entry::outside>>,
        bmi::ordered_non_unique<bmi::tag<ByExpiry>, bmi::member<Entry, Time, &Entry::expiry>>,
        bmi::ordered_unique<bmi::tag<ById>, bmi::member<Entry, uint64_t, &Entry::id>>>>;

bool
IsTranslatedProtocol(uint8_t p)
{
    return p == 1 || p == 6 || p == 17;
}

const char*
ProtocolName(uint8_t p)
{
    switch (p)
    {
    case 1:
        return "icmp";
    case 6:
        return "tcp";
    case 17:
        return "udp";
    default:
        return "ip";
    }
}

} // namespace

struct NatTable::Impl
{
    EntrySet entries;
    /// inside address -> (public address, number of mappings) for NAPT pairing and pools
    std::map<uint32_t, std::pair<Ipv4Address, std::size_t>> bindings;
    std::set<uint32_t> boundPool; //!< pool addresses bound to an inside host
    std::map<std::pair<uint8_t, uint32_t>, std::size_t> used; //!< ports used per address
};

std::string
ToString(NatDropReason reason)
{
    switch (reason)
    {
    case NatDropReason::NONE:
        return "none";
    case NatDropReason::EXHAUSTED:
        return "exhausted";
    case NatDropReason::UNSOLICITED:
        return "unsolicited";
    case NatDropReason::FILTERED:
        return "filtered";
    case NatDropReason::UNSUPPORTED:
        return "unsupported";
    case NatDropReason::MALFORMED:
        return "malformed";
    case NatDropReason::FRAGMENT:
        return "fragment";
    case NatDropReason::ICMP_ERROR:
        return "icmp-error";
    case NatDropReason::HAIRPIN_OFF:
        return "hairpin-off";
    }
    return "unknown";
}

std::string
ToString(NatBehaviour behaviour)
{
    switch (behaviour)
    {
    case NatBehaviour::ENDPOINT_INDEPENDENT:
        return "EndpointIndependent";
    case NatBehaviour::ADDRESS_DEPENDENT:
        return "AddressDependent";
    case NatBehaviour::ADDRESS_AND_PORT_DEPENDENT:
        return "AddressAndPortDependent";
    }
    return "unknown";
}

std::string
NatTable::Validate(const Config& c)
{
    std::ostringstream os;
    if (c.publicAddresses.empty())
    {
        return "the NAT needs at least one public address";
    }
    std::set<uint32_t> seen;
    for (const Ipv4Address& a : c.publicAddresses)
    {
        if (a == Ipv4Address::GetAny() || a.IsBroadcast() || a.IsMulticast())
        {
            os << "public address " << a << " is not a unicast address";
            return os.str();
        }
        if (!seen.insert(a.Get()).second)
        {
            os << "public address " << a << " is listed twice";
            return os.str();
        }
    }
    if (c.portMin == 0 || c.portMin > c.portMax)
    {
        os << "external port range " << c.portMin << "-" << c.portMax
           << " must satisfy 1 <= min <= max";
        return os.str();
    }
    auto checkTimeout = [&](const char* what, Time t, Time minimum, const char* rfc) {
        if (t <= Time(0))
        {
            os << what << " timeout " << t.As(Time::S) << " must be positive";
        }
        else if (t < minimum && !c.allowShortTimeouts)
        {
            os << what << " timeout " << t.As(Time::S) << " is below the " << minimum.As(Time::S)
               << " minimum of " << rfc << "; set AllowShortTimeouts to insist";
        }
    };
    checkTimeout("UDP mapping", c.udpTimeout, Seconds(120), "RFC 4787 REQ-5");
    if (os.str().empty())
    {
        checkTimeout("TCP established", c.tcpEstablishedTimeout, Seconds(7440), "RFC 5382 REQ-5");
    }
    if (os.str().empty())
    {
        checkTimeout("TCP transitory", c.tcpTransitoryTimeout, Seconds(240), "RFC 5382 REQ-5");
    }
    if (os.str().empty())
    {
        checkTimeout("ICMP query", c.icmpTimeout, Seconds(60), "RFC 5508 REQ-1");
    }
    return os.str();
}

NatTable::NatTable(const Config& config)
    : m_config(config),
      m_impl(std::make_unique<Impl>())
{
    std::string error = Validate(config);
    NS_ABORT_MSG_IF(!error.empty(), error);
    for (const Ipv4Address& a : config.publicAddresses)
    {
        m_dynamic.insert(a.Get());
    }
    m_cursor = config.portMin;
}

NatTable::~NatTable() = default;

const NatTable::Config&
NatTable::GetConfig() const
{
    return m_config;
}

bool
NatTable::AddStaticRule(Ipv4Address inside, Ipv4Address outside)
{
    if (m_staticByInside.count(inside.Get()) || m_staticByPublic.count(outside.Get()) ||
        m_dynamic.count(outside.Get()) || m_impl->bindings.count(inside.Get()))
    {
        return false;
    }
    m_staticByInside[inside.Get()] = outside;
    m_staticByPublic[outside.Get()] = inside;
    return true;
}

std::vector<std::pair<Ipv4Address, Ipv4Address>>
NatTable::GetStaticRules() const
{
    std::vector<std::pair<Ipv4Address, Ipv4Address>> rules;
    for (const auto& [inside, outside] : m_staticByInside)
    {
        rules.emplace_back(Ipv4Address(inside), outside);
    }
    return rules;
}

bool
NatTable::IsPublicAddress(Ipv4Address a) const
{
    return m_dynamic.count(a.Get()) || m_staticByPublic.count(a.Get());
}

NatResult
NatTable::Drop(NatDropReason reason) const
{
    NatResult r;
    r.reason = reason;
    return r;
}

Time
NatTable::TimeoutOf(const NatMapping& m) const
{
    if (m.pinned)
    {
        return m.pinnedTimeout;
    }
    switch (m.protocol)
    {
    case 6:
        return m.tcpState == NatMapping::TCP_ESTABLISHED ? m_config.tcpEstablishedTimeout
                                                         : m_config.tcpTransitoryTimeout;
    case 1:
        return m_config.icmpTimeout;
    default:
        return m_config.udpTimeout;
    }
}

void
NatTable::Touch(NatMapping& m, bool outbound, uint8_t flags, Time now)
{
    if (m.protocol == 6)
    {
        using namespace NatTcpFlags;
        if (flags & RST)
        {
            m.tcpState = NatMapping::TCP_CLOSING;
        }
        if (flags & FIN)
        {
            (outbound ? m.finOut : m.finIn) = true;
            m.tcpState = NatMapping::TCP_CLOSING;
        }
        if (!outbound && (flags & SYN))
        {
            m.synIn = true;
        }
        if (m.tcpState == NatMapping::TCP_SYN_SENT && m.synIn && (flags & ACK) &&
            !(flags & (SYN | FIN | RST)))
        {
            m.tcpState = NatMapping::TCP_ESTABLISHED;
        }
    }
    if (outbound)
    {
        m.lastOutbound = now;
    }
    if (m.isExplicit)
    {
        return; // lives its PCP lifetime
    }
    // UDP and ICMP: only outbound traffic refreshes (RFC 4787 REQ-6) unless configured, so
    // a kept mapping lives as long as the client's keepalives; TCP: both directions.
    if (outbound || m.protocol == 6 || m_config.inboundRefresh)
    {
        m.expiry = now + TimeoutOf(m);
    }
}

std::optional<std::pair<Ipv4Address, uint16_t>>
NatTable::Allocate(const NatFlow& flow)
{
    Impl& impl = *m_impl;
    auto& byOutside = impl.entries.get<ByOutside>();
    auto isFree = [&](Ipv4Address a, uint16_t port) {
        return byOutside.find(OutsideKey{flow.protocol, a.Get(), port}) == byOutside.end();
    };
    auto binding = impl.bindings.find(flow.src.Get());
    if (m_config.mode == NatMode::POOL)
    {
        if (binding != impl.bindings.end())
        {
            Ipv4Address a = binding->second.first;
            if (isFree(a, flow.srcPort))
            {
                return std::make_pair(a, flow.srcPort);
            }
            return std::nullopt;
        }
        for (const Ipv4Address& a : m_config.publicAddresses)
        {
            if (!impl.boundPool.count(a.Get()))
            {
                return std::make_pair(a, flow.srcPort);
            }
        }
        return std::nullopt;
    }

    // NAPT: the same public address for all flows of an inside host (RFC 4787 REQ-2,
    // "paired"); a new host gets the least used address.
    Ipv4Address a;
    if (binding != impl.bindings.end())
    {
        a = binding->second.first;
    }
    else
    {
        std::size_t best = SIZE_MAX;
        for (const Ipv4Address& candidate : m_config.publicAddresses)
        {
            std::size_t n = impl.used[{flow.protocol, candidate.Get()}];
            if (n < best)
            {
                best = n;
                a = candidate;
            }
        }
    }
    const std::size_t rangeSize = std::size_t(m_config.portMax) - m_config.portMin + 1;
    if (impl.used[{flow.protocol, a.Get()}] >= rangeSize)
    {
        return std::nullopt;
    }
    if (m_config.portPreservation && flow.srcPort >= m_config.portMin &&
        flow.srcPort <= m_config.portMax && isFree(a, flow.srcPort))
    {
        return std::make_pair(a, flow.srcPort);
    }
    for (std::size_t n = 0; n < rangeSize; ++n)
    {
        if (m_cursor < m_config.portMin || m_cursor > m_config.portMax)
        {
            m_cursor = m_config.portMin;
        }
        auto port = static_cast<uint16_t>(m_cursor++);
        if (isFree(a, port))
        {
            return std::make_pair(a, port);
        }
    }
    return std::nullopt;
}

void
NatTable::Release(const NatMapping& m)
{
    Impl& impl = *m_impl;
    auto used = impl.used.find({m.protocol, m.publicAddress.Get()});
    if (used != impl.used.end() && used->second > 0)
    {
        --used->second;
    }
    auto binding = impl.bindings.find(m.insideAddress.Get());
    if (binding != impl.bindings.end() && --binding->second.second == 0)
    {
        impl.boundPool.erase(binding->second.first.Get());
        impl.bindings.erase(binding);
    }
}

NatMapping
NatTable::AddMapping(const NatFlow& flow,
                     uint32_t keyAddress,
                     uint16_t keyPort,
                     std::pair<Ipv4Address, uint16_t> allocated,
                     bool isExplicit,
                     Time lifetime,
                     Time now)
{
    Entry e;
    e.id = m_nextId++;
    e.inside = InsideKey{flow.protocol, flow.src.Get(), flow.srcPort, keyAddress, keyPort};
    e.outside = OutsideKey{flow.protocol, allocated.first.Get(), allocated.second};
    NatMapping& m = e.mapping;
    m.id = e.id;
    m.protocol = flow.protocol;
    m.insideAddress = flow.src;
    m.insidePort = flow.srcPort;
    m.publicAddress = allocated.first;
    m.publicPort = allocated.second;
    m.keyRemoteAddress = Ipv4Address(keyAddress);
    m.keyRemotePort = keyPort;
    m.created = now;
    m.isExplicit = isExplicit;
    if (isExplicit)
    {
        m.expiry = now + lifetime;
    }
    else
    {
        m.remotes.insert({flow.dst.Get(), flow.protocol == 1 ? uint16_t(0) : flow.dstPort});
        Touch(m, true, flow.tcpFlags, now);
    }
    e.expiry = m.expiry;
    auto& binding = m_impl->bindings[flow.src.Get()];
    if (binding.second++ == 0)
    {
        binding.first = allocated.first;
        if (m_config.mode == NatMode::POOL)
        {
            m_impl->boundPool.insert(allocated.first.Get());
        }
    }
    ++m_impl->used[{flow.protocol, allocated.first.Get()}];
    m_impl->entries.insert(e);
    return m;
}

NatResult
NatTable::TranslateOutbound(const NatFlow& flow, Time now)
{
    auto st = m_staticByInside.find(flow.src.Get());
    if (st != m_staticByInside.end())
    {
        NatResult r;
        r.translate = true;
        r.isStatic = true;
        r.address = st->second;
        r.port = flow.srcPort;
        return r;
    }
    if (IsPublicAddress(flow.src))
    {
        NatResult r;
        r.pass = true;
        return r;
    }
    if (!IsTranslatedProtocol(flow.protocol))
    {
        return Drop(NatDropReason::UNSUPPORTED);
    }

    // Endpoint-dependent mappings keep the remote in the key; basic NAT keeps ports and
    // is endpoint independent by construction.
    NatBehaviour behaviour =
        m_config.mode == NatMode::POOL ? NatBehaviour::ENDPOINT_INDEPENDENT : m_config.mapping;
    uint32_t keyAddress = behaviour == NatBehaviour::ENDPOINT_INDEPENDENT ? 0 : flow.dst.Get();
    uint16_t keyPort = behaviour == NatBehaviour::ADDRESS_AND_PORT_DEPENDENT && flow.protocol != 1
                           ? flow.dstPort
                           : 0;
    InsideKey key{flow.protocol, flow.src.Get(), flow.srcPort, keyAddress, keyPort};
    const std::pair<uint32_t, uint16_t> remote{flow.dst.Get(),
                                               flow.protocol == 1 ? uint16_t(0) : flow.dstPort};

    auto& byInside = m_impl->entries.get<ByInside>();
    auto it = byInside.find(key);
    if (it == byInside.end() && keyAddress != 0)
    {
        // An explicit (PCP) mapping is endpoint independent whatever the behaviour.
        auto ei = byInside.find(InsideKey{flow.protocol, flow.src.Get(), flow.srcPort, 0, 0});
        if (ei != byInside.end() && ei->mapping.isExplicit)
        {
            it = ei;
        }
    }
    NatResult r;
    if (it != byInside.end())
    {
        byInside.modify(it, [&](Entry& e) {
            e.mapping.remotes.insert(remote);
            Touch(e.mapping, true, flow.tcpFlags, now);
            e.expiry = e.mapping.expiry;
        });
        r.event = NatResult::REFRESHED;
    }
    else
    {
        auto allocated = Allocate(flow);
        if (!allocated)
        {
            return Drop(NatDropReason::EXHAUSTED);
        }
        AddMapping(flow, keyAddress, keyPort, *allocated, false, Time(0), now);
        it = byInside.find(key);
        r.event = NatResult::CREATED;
    }
    r.translate = true;
    r.mapping = it->mapping;
    r.address = it->mapping.publicAddress;
    r.port = it->mapping.publicPort;
    return r;
}

NatResult
NatTable::TranslateInbound(const NatFlow& flow, Time now)
{
    auto st = m_staticByPublic.find(flow.dst.Get());
    if (st != m_staticByPublic.end())
    {
        NatResult r;
        r.translate = true;
        r.isStatic = true;
        r.address = st->second;
        r.port = flow.dstPort;
        return r;
    }
    if (!IsPublicAddress(flow.dst))
    {
        NatResult r;
        r.pass = true;
        return r;
    }
    if (!IsTranslatedProtocol(flow.protocol))
    {
        return Drop(NatDropReason::UNSUPPORTED);
    }
    auto& byOutside = m_impl->entries.get<ByOutside>();
    auto it = byOutside.find(OutsideKey{flow.protocol, flow.dst.Get(), flow.dstPort});
    if (it == byOutside.end())
    {
        return Drop(NatDropReason::UNSOLICITED);
    }
    const NatMapping& m = it->mapping;
    bool allowed = m.pinned || m.isExplicit;
    if (!allowed)
    {
        switch (m_config.filtering)
        {
        case NatBehaviour::ENDPOINT_INDEPENDENT:
            allowed = true;
            break;
        case NatBehaviour::ADDRESS_DEPENDENT: {
            auto first = m.remotes.lower_bound({flow.src.Get(), 0});
            allowed = first != m.remotes.end() && first->first == flow.src.Get();
            break;
        }
        case NatBehaviour::ADDRESS_AND_PORT_DEPENDENT:
            allowed =
                m.remotes.count({flow.src.Get(), flow.protocol == 1 ? uint16_t(0) : flow.srcPort});
            break;
        }
    }
    if (!allowed)
    {
        NatResult r = Drop(NatDropReason::FILTERED);
        r.mapping = m;
        return r;
    }
    NatResult r;
    const Time before = it->expiry;
    byOutside.modify(it, [&](Entry& e) {
        Touch(e.mapping, false, flow.tcpFlags, now);
        e.expiry = e.mapping.expiry;
    });
    r.event = it->expiry != before ? NatResult::REFRESHED : NatResult::NO_EVENT;
    r.translate = true;
    r.mapping = it->mapping;
    r.address = it->mapping.insideAddress;
    r.port = it->mapping.insidePort;
    return r;
}

NatTable::HairpinResult
NatTable::TranslateHairpin(const NatFlow& flow, Time now)
{
    HairpinResult h;
    if (!m_config.hairpinning)
    {
        h.source = Drop(NatDropReason::HAIRPIN_OFF);
        h.destination = Drop(NatDropReason::HAIRPIN_OFF);
        return h;
    }
    h.source = TranslateOutbound(flow, now);
    if (h.source.IsDrop())
    {
        h.destination = h.source;
        return h;
    }
    // RFC 4787 REQ-9: the inside receiver sees the sender's public endpoint.
    NatFlow in = flow;
    in.src = h.source.translate ? h.source.address : flow.src;
    in.srcPort = h.source.translate ? h.source.port : flow.srcPort;
    h.destination = TranslateInbound(in, now);
    return h;
}

std::vector<NatMapping>
NatTable::Expire(Time now)
{
    std::vector<NatMapping> expired;
    auto& byExpiry = m_impl->entries.get<ByExpiry>();
    while (!byExpiry.empty() && byExpiry.begin()->expiry <= now)
    {
        expired.push_back(byExpiry.begin()->mapping);
        Release(byExpiry.begin()->mapping);
        byExpiry.erase(byExpiry.begin());
    }
    return expired;
}

std::optional<Time>
NatTable::GetNextExpiry() const
{
    const auto& byExpiry = m_impl->entries.get<ByExpiry>();
    if (byExpiry.empty())
    {
        return std::nullopt;
    }
    return byExpiry.begin()->expiry;
}

bool
NatMapping::HasContacted(Ipv4Address remote) const
{
    auto first = remotes.lower_bound({remote.Get(), 0});
    return first != remotes.end() && first->first == remote.Get();
}

std::optional<NatMapping>
NatTable::FindByPublic(uint8_t protocol, Ipv4Address publicAddress, uint16_t publicPort) const
{
    const auto& byOutside = m_impl->entries.get<ByOutside>();
    auto it = byOutside.find(OutsideKey{protocol, publicAddress.Get(), publicPort});
    if (it == byOutside.end())
    {
        return std::nullopt;
    }
    return it->mapping;
}

bool
NatTable::Pin(uint8_t protocol, Ipv4Address publicAddress, uint16_t publicPort, Time idle, Time now)
{
    auto& byOutside = m_impl->entries.get<ByOutside>();
    auto it = byOutside.find(OutsideKey{protocol, publicAddress.Get(), publicPort});
    if (it == byOutside.end() || idle <= Time(0))
    {
        return false;
    }
    byOutside.modify(it, [&](Entry& e) {
        e.mapping.pinned = true;
        e.mapping.pinnedTimeout = idle;
        e.mapping.expiry = now + idle;
        e.expiry = e.mapping.expiry;
    });
    return true;
}

std::optional<NatMapping>
NatTable::MapExplicit(uint8_t protocol,
                      Ipv4Address inside,
                      uint16_t port,
                      uint16_t suggestedPort,
                      Time lifetime,
                      Time now)
{
    auto st = m_staticByInside.find(inside.Get());
    if (st != m_staticByInside.end())
    {
        // A host with a static rule is reachable already: its mapping is the rule.
        NatMapping m;
        m.protocol = protocol;
        m.insideAddress = inside;
        m.insidePort = port;
        m.publicAddress = st->second;
        m.publicPort = port;
        m.expiry = now + lifetime;
        return m;
    }
    if (!IsTranslatedProtocol(protocol) || lifetime <= Time(0))
    {
        return std::nullopt;
    }
    auto& byInside = m_impl->entries.get<ByInside>();
    auto it = byInside.find(InsideKey{protocol, inside.Get(), port, 0, 0});
    if (it != byInside.end())
    {
        byInside.modify(it, [&](Entry& e) {
            e.mapping.isExplicit = true;
            e.mapping.expiry = now + lifetime;
            e.expiry = e.mapping.expiry;
        });
        return it->mapping;
    }
    NatFlow flow;
    flow.protocol = protocol;
    flow.src = inside;
    // NAPT honours the suggestion when it can (§11.3); basic NAT keeps the port.
    flow.srcPort = m_config.mode == NatMode::POOL || suggestedPort == 0 ? port : suggestedPort;
    auto allocated = Allocate(flow);
    if (!allocated && flow.srcPort != port)
    {
        flow.srcPort = port;
        allocated = Allocate(flow);
    }
    if (!allocated)
    {
        return std::nullopt;
    }
    flow.srcPort = port;
    return AddMapping(flow, 0, 0, *allocated, true, lifetime, now);
}

std::optional<NatMapping>
NatTable::UnmapExplicit(uint8_t protocol, Ipv4Address inside, uint16_t port)
{
    auto& byInside = m_impl->entries.get<ByInside>();
    auto it = byInside.find(InsideKey{protocol, inside.Get(), port, 0, 0});
    if (it == byInside.end() || !it->mapping.isExplicit)
    {
        return std::nullopt;
    }
    NatMapping m = it->mapping;
    Release(m);
    byInside.erase(it);
    return m;
}

std::optional<NatMapping>
NatTable::FindMapping(uint8_t protocol, Ipv4Address inside, uint16_t port) const
{
    const auto& byInside = m_impl->entries.get<ByInside>();
    auto it = byInside.find(InsideKey{protocol, inside.Get(), port, 0, 0});
    if (it == byInside.end())
    {
        return std::nullopt;
    }
    return it->mapping;
}

std::optional<std::pair<Ipv4Address, uint16_t>>
NatTable::LookupPublic(uint8_t protocol, Ipv4Address inside, uint16_t port) const
{
    auto st = m_staticByInside.find(inside.Get());
    if (st != m_staticByInside.end())
    {
        return std::make_pair(st->second, port);
    }
    const auto& byInside = m_impl->entries.get<ByInside>();
    auto it = byInside.lower_bound(InsideKey{protocol, inside.Get(), port, 0, 0});
    if (it != byInside.end() && std::get<0>(it->inside) == protocol &&
        std::get<1>(it->inside) == inside.Get() && std::get<2>(it->inside) == port)
    {
        return std::make_pair(it->mapping.publicAddress, it->mapping.publicPort);
    }
    return std::nullopt;
}

std::size_t
NatTable::GetNMappings() const
{
    return m_impl->entries.size();
}

std::vector<NatMapping>
NatTable::GetMappings() const
{
    std::vector<NatMapping> all;
    for (const Entry& e : m_impl->entries.get<ById>())
    {
        all.push_back(e.mapping);
    }
    return all;
}

void
NatTable::Print(std::ostream& os, Time now) const
{
    os << "NAT table: " << m_staticByInside.size() << " static rules, " << m_impl->entries.size()
       << " mappings (mapping " << ToString(m_config.mapping) << ", filtering "
       << ToString(m_config.filtering) << ")\n";
    for (const auto& [inside, outside] : m_staticByInside)
    {
        os << "  static " << Ipv4Address(inside) << " <-> " << outside << "\n";
    }
    for (const Entry& e : m_impl->entries.get<ById>())
    {
        const NatMapping& m = e.mapping;
        os << "  " << ProtocolName(m.protocol) << " " << m.insideAddress << ":" << m.insidePort
           << " -> " << m.publicAddress << ":" << m.publicPort;
        if (m.keyRemoteAddress != Ipv4Address::GetAny())
        {
            os << " for " << m.keyRemoteAddress;
            if (m.keyRemotePort)
            {
                os << ":" << m.keyRemotePort;
            }
        }
        os << " expires in " << (e.expiry - now).As(Time::S);
        if (m.pinned)
        {
            os << " (kept by server)";
        }
        if (m.isExplicit)
        {
            os << " (PCP)";
        }
        os << "\n";
    }
}

} // namespace apartment
} // namespace ns3
