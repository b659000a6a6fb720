/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pcp-client.h"

#include <algorithm>

namespace ns3
{
namespace apartment
{

PcpClient::PcpClient(Ipv4Address self)
    : m_self(self)
{
}

Ipv4Address
PcpClient::GetAddress() const
{
    return m_self;
}

PcpHeader
PcpClient::MakeRequest(const Mapping& mapping, uint32_t lifetime, uint16_t suggestedPort) const
{
    PcpHeader h = PcpHeader::MakeMapRequest(m_self,
                                            lifetime,
                                            mapping.nonce,
                                            mapping.protocol,
                                            mapping.internalPort,
                                            suggestedPort,
                                            Ipv4Address::GetAny());
    if (mapping.internalAddress != m_self)
    {
        h.SetThirdParty(mapping.internalAddress);
    }
    return h;
}

std::optional<PcpClient::Answer>
PcpClient::Match(const Mapping& mapping, const PcpHeader& r)
{
    if (!r.IsValid() || !r.IsResponse() || r.GetOpcode() != PcpHeader::MAP ||
        r.GetNonce() != mapping.nonce || r.GetProtocol() != mapping.protocol ||
        r.GetInternalPort() != mapping.internalPort)
    {
        return std::nullopt;
    }
    auto third = r.GetThirdParty();
    if (third ? *third != mapping.internalAddress : false)
    {
        return std::nullopt;
    }
    Answer a;
    a.result = r.GetResult();
    a.lifetime = r.GetLifetime();
    a.epoch = r.GetEpoch();
    a.externalPort = r.GetExternalPort();
    auto external = r.GetExternalAddress();
    a.externalAddress = external ? *external : Ipv4Address::GetAny();
    return a;
}

Time
PcpClient::RetransmissionTimeout(uint32_t attempt)
{
    return Seconds(std::min<double>(3.0 * (1u << std::min<uint32_t>(attempt, 10)), 1024.0));
}

} // namespace apartment
} // namespace ns3
