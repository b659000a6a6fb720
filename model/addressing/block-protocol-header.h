/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_BLOCK_PROTOCOL_HEADER_H
#define APARTMENT_VOIP_BLOCK_PROTOCOL_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Message of the gateway <-> address manager block protocol (UDP, one per datagram).
 *
 * Fixed 24-byte layout, all fields in network byte order (doc/address-management.rst):
 *
 *     0: version (1)      1: type           2: NAK reason     3: block prefix length
 *     4: transaction id (32 bits, chosen by the gateway, echoed in the answer)
 *     8: holder (IPv4 backbone address of the gateway)
 *    12: building (16 bits)                14: count (16 bits, terminals needing an address)
 *    16: address (block network, or a terminal's address in a REPORT)
 *    20: lease (seconds, 32 bits)
 */
class BlockProtocolHeader : public Header
{
  public:
    /// Message types.
    enum Type : uint8_t
    {
        REQUEST = 1, //!< gateway asks for a block for \c count terminals
        GRANT = 2,   //!< manager allots (or renews) \c address / \c prefixLength for \c lease
        RENEW = 3,   //!< gateway extends the lease of its block \c address
        RELEASE = 4, //!< gateway returns its block \c address
        REPORT = 5,  //!< gateway reports that terminal address \c address was freed
        ACK = 6,     //!< manager confirms a RELEASE or REPORT
        NAK = 7,     //!< manager refuses; see \c reason
    };

    /// Why a NAK was sent.
    enum Reason : uint8_t
    {
        NONE = 0,
        EXHAUSTED = 1,     //!< no free block in the gateway's building
        UNKNOWN_BLOCK = 2, //!< the block is not held by this gateway
        BAD_REQUEST = 3,   //!< invalid field (e.g. building out of range)
        UNAVAILABLE = 4,   //!< the manager's database cannot be used
    };

    /// Protocol version this code writes and accepts.
    static constexpr uint8_t VERSION = 1;
    /// Size of every message on the wire, bytes.
    static constexpr uint32_t SIZE = 24;
    /// Default UDP port of the address manager.
    static constexpr uint16_t DEFAULT_PORT = 6767;

    /// \return the object TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /// \return true if the version and type read by Deserialize() are known
    bool IsValid() const;

    /// \return the name of message type \p type ("REQUEST"...), or its number
    static std::string TypeName(uint8_t type);

    /// Protocol version (VERSION).
    uint8_t version{VERSION};
    /// Message type (Type).
    uint8_t type{REQUEST};
    /// Why a NAK was sent (Reason); NONE otherwise.
    uint8_t reason{NONE};
    /// Prefix length of the block in \c address (GRANT, RENEW, RELEASE).
    uint8_t prefixLength{0};
    /// Chosen by the gateway, echoed in the answer.
    uint32_t transaction{0};
    /// Backbone address of the gateway the message is about.
    Ipv4Address holder{Ipv4Address::GetAny()};
    /// Building of the gateway.
    uint16_t building{0};
    /// Terminals needing an address (REQUEST).
    uint16_t count{0};
    /// Block network, or a terminal's address in a REPORT.
    Ipv4Address address{Ipv4Address::GetAny()};
    /// Lease of the block, seconds (GRANT).
    uint32_t leaseSeconds{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_BLOCK_PROTOCOL_HEADER_H */
