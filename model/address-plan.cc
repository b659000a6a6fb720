/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-plan.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace ns3
{
namespace apartment
{

namespace
{

bool
IsAligned(Ipv4Address a, uint8_t length)
{
    return (a.Get() & ~Ipv4Prefix{a, length}.GetMask().Get()) == 0;
}

std::string
Str(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

} // namespace

AddressPlan::AddressPlan(const Config& config)
    : m_config(config)
{
    std::string err = Validate(config);
    if (!err.empty())
    {
        throw std::invalid_argument(err);
    }
}

std::string
AddressPlan::Validate(const Config& c)
{
    if (!IsAligned(c.privateNetwork, 8))
    {
        return "private network " + Str(c.privateNetwork) + " must be a /8 (x.0.0.0)";
    }
    if (!IsAligned(c.coreNetwork, 16))
    {
        return "core network " + Str(c.coreNetwork) + " must be a /16 (x.y.0.0)";
    }
    if (!IsAligned(c.publicNetwork, 24))
    {
        return "public network " + Str(c.publicNetwork) + " must be a /24 (x.y.z.0)";
    }
    if (c.blockLength < 17 || c.blockLength > 30)
    {
        return "flat block prefix length /" + std::to_string(c.blockLength) +
               " must be between /17 and /30";
    }
    if (c.buildings == 0 || c.buildings > MAX_BUILDINGS)
    {
        return "number of buildings " + std::to_string(c.buildings) + " must be 1 to " +
               std::to_string(MAX_BUILDINGS);
    }
    const uint32_t blockSize = 1u << (32 - c.blockLength);
    const uint32_t maxFlats = std::min<uint32_t>(FLAT_SPACE_SIZE / blockSize, 4093);
    if (c.flatsPerBuilding == 0 || c.flatsPerBuilding > maxFlats)
    {
        return "flats per building " + std::to_string(c.flatsPerBuilding) + " must be 1 to " +
               std::to_string(maxFlats) + " with /" + std::to_string(c.blockLength) +
               " blocks per flat";
    }
    const uint32_t maxTerminals =
        c.terminalsBehindHomeNat ? 9 : std::min<uint32_t>(blockSize - 3, 9);
    if (c.terminalsBehindHomeNat && (c.terminalsPerFlat == 0 || c.terminalsPerFlat > 9))
    {
        return "terminals per flat " + std::to_string(c.terminalsPerFlat) +
               " must be 1 to 9 (terminal digits are 1-9)";
    }
    if (c.terminalsPerFlat == 0 || c.terminalsPerFlat > maxTerminals)
    {
        return "terminals per flat " + std::to_string(c.terminalsPerFlat) + " must be 1 to " +
               std::to_string(maxTerminals) + " (a /" + std::to_string(c.blockLength) +
               " block holds the gateway and " + std::to_string(blockSize - 3) +
               " terminals; terminal digits are 1-9)";
    }
    return "";
}

const AddressPlan::Config&
AddressPlan::GetConfig() const
{
    return m_config;
}

uint32_t
AddressPlan::GetMaxFlatsPerBuilding() const
{
    return std::min<uint32_t>(FLAT_SPACE_SIZE >> (32 - m_config.blockLength), 4093);
}

uint32_t
AddressPlan::GetMaxTerminalsPerFlat() const
{
    if (m_config.terminalsBehindHomeNat)
    {
        return 9;
    }
    return std::min<uint32_t>((1u << (32 - m_config.blockLength)) - 3, 9);
}

Ipv4Prefix
AddressPlan::GetBuildingAggregate(uint32_t b) const
{
    return Ipv4Prefix{Ipv4Address(m_config.privateNetwork.Get() + (b << 16)), 16};
}

Ipv4Prefix
AddressPlan::GetFlatBlock(uint32_t b, uint32_t f) const
{
    const uint32_t blockSize = 1u << (32 - m_config.blockLength);
    return Ipv4Prefix{GetBuildingAggregate(b).GetAddress(f * blockSize), m_config.blockLength};
}

Ipv4Address
AddressPlan::GetGatewayLanAddress(uint32_t b, uint32_t f) const
{
    return GetFlatBlock(b, f).GetAddress(1);
}

Ipv4Address
AddressPlan::GetTerminalAddress(uint32_t b, uint32_t f, uint32_t t) const
{
    return GetFlatBlock(b, f).GetAddress(1 + t);
}

Ipv4Prefix
AddressPlan::GetBackbone(uint32_t b) const
{
    return Ipv4Prefix{GetBuildingAggregate(b).GetAddress(FLAT_SPACE_SIZE), 20};
}

Ipv4Address
AddressPlan::GetBuildingRouterBackboneAddress(uint32_t b) const
{
    return GetBackbone(b).GetAddress(1);
}

Ipv4Address
AddressPlan::GetGatewayBackboneAddress(uint32_t b, uint32_t f) const
{
    return GetBackbone(b).GetAddress(2 + f);
}

Ipv4Prefix
AddressPlan::GetCore() const
{
    return Ipv4Prefix{m_config.coreNetwork, 16};
}

Ipv4Address
AddressPlan::GetNatRouterCoreAddress() const
{
    return GetCore().GetAddress(1);
}

Ipv4Address
AddressPlan::GetGatekeeperAddress() const
{
    return GetCore().GetAddress(2);
}

Ipv4Address
AddressPlan::GetAddressManagerAddress() const
{
    return GetCore().GetAddress(3);
}

Ipv4Address
AddressPlan::GetBuildingRouterCoreAddress(uint32_t b) const
{
    return GetCore().GetAddress(256 + 1 + b);
}

Ipv4Prefix
AddressPlan::GetPublic() const
{
    return Ipv4Prefix{m_config.publicNetwork, 24};
}

Ipv4Address
AddressPlan::GetNatRouterPublicAddress() const
{
    return GetPublic().GetAddress(1);
}

Ipv4Address
AddressPlan::GetIspRouterAddress() const
{
    return GetPublic().GetAddress(254);
}

std::optional<std::pair<uint32_t, uint32_t>>
AddressPlan::FindFlat(Ipv4Address a) const
{
    const uint32_t base = m_config.privateNetwork.Get();
    if ((a.Get() & 0xff000000u) != base)
    {
        return std::nullopt;
    }
    const uint32_t b = (a.Get() >> 16) & 0xff;
    const uint32_t offset = a.Get() & 0xffff;
    if (b >= m_config.buildings || offset >= FLAT_SPACE_SIZE)
    {
        return std::nullopt;
    }
    const uint32_t f = offset >> (32 - m_config.blockLength);
    if (f >= m_config.flatsPerBuilding)
    {
        return std::nullopt;
    }
    return std::make_pair(b, f);
}

} // namespace apartment
} // namespace ns3
