/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/traversal-demux.h"

#include "ns3/stun-header.h"
#include "ns3/traversal-header.h"

#include <array>

namespace ns3
{
namespace apartment
{

DatagramKind
ClassifyDatagram(const uint8_t* data, std::size_t size)
{
    if (size >= TraversalHeader::COMMON_SIZE &&
        ((data[0] << 8) | data[1]) == TraversalHeader::MAGIC && data[2] == TraversalHeader::VERSION)
    {
        return DatagramKind::SEED003;
    }
    if (size >= 20 && (data[0] & 0xC0) == 0)
    {
        const uint32_t cookie = (uint32_t(data[4]) << 24) | (uint32_t(data[5]) << 16) |
                                (uint32_t(data[6]) << 8) | uint32_t(data[7]);
        if (cookie == StunHeader::MAGIC_COOKIE)
        {
            return DatagramKind::STUN;
        }
    }
    return DatagramKind::OTHER;
}

DatagramKind
ClassifyDatagram(Ptr<const Packet> packet)
{
    std::array<uint8_t, 20> head{};
    const uint32_t n = packet->CopyData(head.data(), head.size());
    return ClassifyDatagram(head.data(), n);
}

} // namespace apartment
} // namespace ns3
