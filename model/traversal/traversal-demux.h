/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_TRAVERSAL_DEMUX_H
#define APARTMENT_VOIP_TRAVERSAL_DEMUX_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstddef>
#include <cstdint>

namespace ns3
{
namespace apartment
{

/// What a datagram on a port shared by SIP or RTP and NAT traversal is.
enum class DatagramKind
{
    SEED003, //!< a traversal message of seed 003 (magic 0x4E54, version 1)
    STUN,    //!< a STUN message (top bits 00, magic cookie 0x2112A442, RFC 8489 §5)
    OTHER,   //!< anything else (SIP, RTP, garbage): the port's own protocol decides
};

/**
 * \brief Tells traversal messages apart from SIP and RTP on a shared port by their first
 * bytes: SIP starts with a letter, RTP with version 2 (0x80-0xBF), a seed-003 message with
 * "NT" and version 1, a STUN message with two zero bits and the magic cookie at byte 4
 * (RFC 7983 demultiplexes STUN and RTP the same way).
 * \param data the first bytes of the datagram
 * \param size how many bytes \p data holds
 * \return what the datagram is
 */
DatagramKind ClassifyDatagram(const uint8_t* data, std::size_t size);
/// \brief As ClassifyDatagram() on the first bytes of \p packet.
/// \param packet the datagram
/// \return what the datagram is
DatagramKind ClassifyDatagram(Ptr<const Packet> packet);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_TRAVERSAL_DEMUX_H */
