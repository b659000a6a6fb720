/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/ipv4-prefix.h"

#include <sstream>

namespace ns3
{
namespace apartment
{

Ipv4Mask
Ipv4Prefix::GetMask() const
{
    return Ipv4Mask(length == 0 ? 0u : ~0u << (32 - length));
}

uint32_t
Ipv4Prefix::GetSize() const
{
    return length == 0 ? ~0u : 1u << (32 - length);
}

Ipv4Address
Ipv4Prefix::GetAddress(uint32_t i) const
{
    return Ipv4Address(network.Get() + i);
}

bool
Ipv4Prefix::Contains(Ipv4Address a) const
{
    return GetMask().IsMatch(a, network);
}

std::string
Ipv4Prefix::ToString() const
{
    std::ostringstream os;
    os << network << "/" << unsigned{length};
    return os.str();
}

} // namespace apartment
} // namespace ns3
