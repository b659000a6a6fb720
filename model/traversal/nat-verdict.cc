/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-verdict.h"

#include <algorithm>

namespace ns3
{
namespace apartment
{

std::string
ToString(NatVerdict verdict)
{
    switch (verdict)
    {
    case NatVerdict::PUBLIC:
        return "public";
    case NatVerdict::PROXY:
        return "proxy";
    case NatVerdict::NAT:
        return "nat";
    default:
        return "unknown";
    }
}

NatVerdict
DecideVerdict(const std::vector<Ipv4Address>& own, Ipv4Address observed)
{
    return std::find(own.begin(), own.end(), observed) != own.end() ? NatVerdict::PROXY
                                                                    : NatVerdict::NAT;
}

} // namespace apartment
} // namespace ns3
