/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_RTP_HEADER_H
#define APARTMENT_VOIP_RTP_HEADER_H

#include "ns3/header.h"
#include "ns3/nstime.h"
#include "ns3/tag.h"

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The fixed 12-byte RTP header (RFC 3550 §5.1): V=2, no padding, no extension, no
 * CSRC; marker, payload type, sequence number, timestamp, SSRC.
 *
 * Deserialize reads 12 bytes whatever they are; IsValid() tells whether they were RTP.
 */
class RtpHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 12;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    void SetPayloadType(uint8_t pt);
    uint8_t GetPayloadType() const;
    void SetMarker(bool marker);
    bool GetMarker() const;
    void SetSequence(uint16_t seq);
    uint16_t GetSequence() const;
    void SetTimestamp(uint32_t ts);
    uint32_t GetTimestamp() const;
    void SetSsrc(uint32_t ssrc);
    uint32_t GetSsrc() const;
    /// \return true if the last Deserialize saw version 2 without CSRC/extension
    bool IsValid() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

  private:
    uint8_t m_firstByte{0x80};
    bool m_marker{false};
    uint8_t m_payloadType{0};
    uint16_t m_sequence{0};
    uint32_t m_timestamp{0};
    uint32_t m_ssrc{0};
};

/**
 * \ingroup apartment-voip
 * \brief Simulation-only send time of an RTP packet (not on the wire), for one-way delay.
 */
class RtpSendTimeTag : public Tag
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    RtpSendTimeTag() = default;
    explicit RtpSendTimeTag(Time sent);
    Time GetSendTime() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

  private:
    int64_t m_sentNs{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_RTP_HEADER_H */
