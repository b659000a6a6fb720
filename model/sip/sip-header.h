/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_HEADER_H
#define APARTMENT_VOIP_SIP_HEADER_H

#include "ns3/header.h"

#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The text of one SIP message as the whole payload of a UDP datagram.
 *
 * Serialize writes the text byte for byte; Deserialize reads everything that is left in
 * the packet, so it must be the last header removed. Parsing the text is SipMessage's job:
 * this class never fails on content, so a receiver can count malformed messages.
 */
class SipHeader : public Header
{
  public:
    /// Well-known SIP port.
    static constexpr uint16_t PORT = 5060;

    /// \return the object TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    SipHeader() = default;
    /// \param text the SIP message text
    explicit SipHeader(std::string text);

    /// \param text the SIP message text
    void SetText(const std::string& text);
    /// \return the SIP message text
    const std::string& GetText() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

  private:
    std::string m_text;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_HEADER_H */
