/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_STUN_HEADER_H
#define APARTMENT_VOIP_STUN_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <array>
#include <cstdint>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A STUN message (RFC 8489) as used for Binding: header and XOR-MAPPED-ADDRESS.
 *
 * 20-byte header (type, length, magic cookie 0x2112A442, 96-bit transaction ID) followed
 * by attributes; only XOR-MAPPED-ADDRESS (IPv4) is produced, other attributes are skipped
 * on reading. A message that is too short, has the top bits set, a wrong cookie, a length
 * that is not a multiple of 4 or runs past the data deserializes as invalid and consumes
 * everything.
 */
class StunHeader : public Header
{
  public:
    /// Binding request message type (RFC 5389).
    static constexpr uint16_t BINDING_REQUEST = 0x0001;
    /// Binding success response message type.
    static constexpr uint16_t BINDING_SUCCESS = 0x0101;
    /// Fixed magic cookie at byte 4 of every STUN message.
    static constexpr uint32_t MAGIC_COOKIE = 0x2112A442;
    /// XOR-MAPPED-ADDRESS attribute type.
    static constexpr uint16_t XOR_MAPPED_ADDRESS = 0x0020;

    StunHeader();

    /// \return the object TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /// \return true if the last Deserialize() read a well-formed STUN message
    bool IsValid() const;
    /// \return the message type, e.g. BINDING_REQUEST
    uint16_t GetMessageType() const;
    /// \param type the message type, e.g. BINDING_SUCCESS
    void SetMessageType(uint16_t type);
    /// \return the 96-bit transaction id
    const std::array<uint8_t, 12>& GetTransactionId() const;
    /// \param id the 96-bit transaction id (a response echoes the request's)
    void SetTransactionId(const std::array<uint8_t, 12>& id);
    /// \return true if the message carries an (IPv4) XOR-MAPPED-ADDRESS
    bool HasMappedAddress() const;
    /// \return the XOR-MAPPED-ADDRESS address, decoded
    Ipv4Address GetMappedAddress() const;
    /// \return the XOR-MAPPED-ADDRESS port, decoded
    uint16_t GetMappedPort() const;
    /// \brief Adds an XOR-MAPPED-ADDRESS.
    /// \param address the source address seen
    /// \param port the source port seen
    void SetMappedAddress(Ipv4Address address, uint16_t port);

  private:
    bool m_valid{true};
    uint32_t m_consumed{0};
    uint16_t m_type{BINDING_REQUEST};
    std::array<uint8_t, 12> m_transaction{};
    bool m_hasMapped{false};
    Ipv4Address m_mapped;
    uint16_t m_mappedPort{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_STUN_HEADER_H */
