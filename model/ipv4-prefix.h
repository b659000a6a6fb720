/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_IPV4_PREFIX_H
#define APARTMENT_VOIP_IPV4_PREFIX_H

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief An IPv4 network: address and prefix length.
 */
struct Ipv4Prefix
{
    /// network address (host bits zero)
    Ipv4Address network;
    /// prefix length, 0-32
    uint8_t length{32};

    /// \return the netmask of the prefix length
    Ipv4Mask GetMask() const;
    /// \return the number of addresses covered, 2^(32 - length)
    uint32_t GetSize() const;
    /// \return the \p i th address of the prefix (0 is the network address)
    Ipv4Address GetAddress(uint32_t i) const;
    /// \return true if \p a lies in the prefix
    bool Contains(Ipv4Address a) const;
    /// \return "a.b.c.d/len"
    std::string ToString() const;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_IPV4_PREFIX_H */
