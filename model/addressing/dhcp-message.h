/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DHCP_MESSAGE_H
#define APARTMENT_VOIP_DHCP_MESSAGE_H

// ns-3.35's dhcp-header.h uses Address and Ipv4Address without including them.
// clang-format off
#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/dhcp-header.h"

// clang-format on

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief ns-3's DhcpHeader plus what RFC 2131 needs and DhcpHeader lacks: the client
 * address field (ciaddr) and DHCPRELEASE sent as a BOOTREQUEST.
 *
 * ns-3.37's DhcpHeader has no ciaddr accessor and marks every message type other than
 * DISCOVER and REQUEST as a BOOTREPLY. This class writes the same bytes as DhcpHeader and
 * then fixes those two fields, so the wire format stays ns-3's (and tshark's) DHCP.
 */
class DhcpMessage : public DhcpHeader
{
  public:
    /// DHCPRELEASE in DhcpHeader's numbering (wire value minus one, like the others).
    static constexpr uint8_t DHCPRELEASE = 6;
    /// BOOTP server and client ports.
    static constexpr uint16_t SERVER_PORT = 67;
    /// BOOTP client port.
    static constexpr uint16_t CLIENT_PORT = 68;

    /// \return the object TypeId
    static TypeId GetTypeId();
    /// \return the TypeId of this header
    TypeId GetInstanceTypeId() const override;
    /// \brief Writes the header, with ciaddr (DhcpHeader leaves it zero).
    /// \param start where to write
    void Serialize(Buffer::Iterator start) const override;
    /// \brief Reads the header, keeping ciaddr.
    /// \param start where to read
    /// \return the bytes read
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// \brief Sets the client address (RELEASE, renewing REQUEST).
    /// \param addr the client's current address
    void SetCiaddr(Ipv4Address addr);
    /// \return the client address field
    Ipv4Address GetCiaddr() const;

  private:
    Ipv4Address m_ciaddr{Ipv4Address::GetAny()};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_DHCP_MESSAGE_H */
