/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pcp-server.h"

#include "ns3/abort.h"

#include <algorithm>
#include <sstream>

namespace ns3
{
namespace apartment
{

std::string
PcpServer::Validate(const Config& c)
{
    if (c.minLifetime == 0 || c.minLifetime > c.maxLifetime)
    {
        std::ostringstream os;
        os << "PCP lifetimes " << c.minLifetime << "-" << c.maxLifetime
           << " s must satisfy 1 <= min <= max";
        return os.str();
    }
    return "";
}

PcpServer::PcpServer(NatTable& table, const Config& config, Time start)
    : m_table(table),
      m_config(config),
      m_start(start)
{
    std::string error = Validate(config);
    NS_ABORT_MSG_IF(!error.empty(), error);
}

uint32_t
PcpServer::Epoch(Time now) const
{
    return static_cast<uint32_t>((now - m_start).GetSeconds());
}

PcpServer::Outcome
PcpServer::Refuse(const PcpHeader& request, uint8_t result, const std::string& reason, Time now)
{
    Outcome o;
    o.result = result;
    o.reason = reason;
    o.response = PcpHeader::MakeResponse(request,
                                         static_cast<PcpHeader::Result>(result),
                                         m_config.errorLifetime,
                                         Epoch(now));
    ++m_refused[result];
    return o;
}

PcpServer::Outcome
PcpServer::Handle(const PcpHeader& m, Ipv4Address source, Time now)
{
    Outcome o;
    if (m.IsResponse() && m.IsValid())
    {
        ++m_dropped;
        o.reason = "a response sent to the server";
        return o;
    }
    if (!m.IsValid())
    {
        const std::string& e = m.GetError();
        // §8.3: too short to have a version, too long, or not whole words: drop silently.
        if (e.find("shorter than 2") != std::string::npos || e.find("1100") != std::string::npos ||
            e.find("multiple of 4") != std::string::npos || m.IsResponse())
        {
            ++m_dropped;
            o.reason = e;
            return o;
        }
        if (m.GetVersion() != PcpHeader::VERSION)
        {
            return Refuse(m, PcpHeader::UNSUPP_VERSION, e, now);
        }
        return Refuse(m, PcpHeader::MALFORMED_REQUEST, e, now);
    }
    if (m.GetOpcode() != PcpHeader::MAP)
    {
        return Refuse(m, PcpHeader::UNSUPP_OPCODE, "opcode " + std::to_string(m.GetOpcode()), now);
    }
    auto client = m.GetClientAddress();
    if (!client || *client != source)
    {
        std::ostringstream os;
        os << "client address field is not the source " << source;
        return Refuse(m, PcpHeader::ADDRESS_MISMATCH, os.str(), now);
    }
    if (auto unknown = m.GetUnknownOption())
    {
        return Refuse(m, PcpHeader::UNSUPP_OPTION, "option " + std::to_string(*unknown), now);
    }
    if (m.HasForeignThirdParty())
    {
        return Refuse(m,
                      PcpHeader::MALFORMED_OPTION,
                      "THIRD_PARTY is not an IPv4-mapped address",
                      now);
    }
    Ipv4Address inside = source;
    if (auto third = m.GetThirdParty())
    {
        if (!m_config.thirdPartyClients.count(source))
        {
            std::ostringstream os;
            os << source << " may not map for " << *third << " (not a third-party client)";
            return Refuse(m, PcpHeader::NOT_AUTHORIZED, os.str(), now);
        }
        inside = *third;
    }
    if (m.GetProtocol() != 17 && m.GetProtocol() != 6)
    {
        return Refuse(m,
                      PcpHeader::UNSUPP_PROTOCOL,
                      "protocol " + std::to_string(m.GetProtocol()),
                      now);
    }
    if (m.GetInternalPort() == 0)
    {
        return Refuse(m, PcpHeader::MALFORMED_REQUEST, "internal port 0", now);
    }
    const Key key{m.GetProtocol(), inside.Get(), m.GetInternalPort()};
    auto owner = m_owners.find(key);
    if (owner != m_owners.end())
    {
        auto current = m_table.FindMapping(m.GetProtocol(), inside, m.GetInternalPort());
        if (!current || !current->isExplicit)
        {
            m_owners.erase(owner); // expired meanwhile
            owner = m_owners.end();
        }
        else if (owner->second != m.GetNonce())
        {
            return Refuse(m, PcpHeader::NOT_AUTHORIZED, "the mapping has another nonce", now);
        }
    }
    if (m.GetLifetime() == 0)
    {
        // §15: deleting a mapping that does not exist succeeds too.
        auto gone = m_table.UnmapExplicit(m.GetProtocol(), inside, m.GetInternalPort());
        m_owners.erase(key);
        o.response = PcpHeader::MakeResponse(m, PcpHeader::SUCCESS, 0, Epoch(now));
        if (gone)
        {
            o.response->SetExternalAddress(gone->publicAddress);
            o.response->SetExternalPort(gone->publicPort);
        }
        o.changed = gone.has_value();
        ++m_success;
        return o;
    }
    uint32_t lifetime = std::clamp(m.GetLifetime(), m_config.minLifetime, m_config.maxLifetime);
    auto mapping = m_table.MapExplicit(m.GetProtocol(),
                                       inside,
                                       m.GetInternalPort(),
                                       m.GetExternalPort(),
                                       Seconds(lifetime),
                                       now);
    if (!mapping)
    {
        return Refuse(m, PcpHeader::NO_RESOURCES, "no public address or port left", now);
    }
    if (mapping->isExplicit)
    {
        m_owners[key] = m.GetNonce();
    }
    o.response = PcpHeader::MakeResponse(m, PcpHeader::SUCCESS, lifetime, Epoch(now));
    o.response->SetExternalAddress(mapping->publicAddress);
    o.response->SetExternalPort(mapping->publicPort);
    o.changed = true;
    ++m_success;
    return o;
}

uint64_t
PcpServer::GetSuccessCount() const
{
    return m_success;
}

uint64_t
PcpServer::GetRefusedCount() const
{
    uint64_t n = 0;
    for (const auto& [result, count] : m_refused)
    {
        n += count;
    }
    return n;
}

uint64_t
PcpServer::GetRefusedCount(uint8_t result) const
{
    auto it = m_refused.find(result);
    return it == m_refused.end() ? 0 : it->second;
}

uint64_t
PcpServer::GetDroppedCount() const
{
    return m_dropped;
}

} // namespace apartment
} // namespace ns3
