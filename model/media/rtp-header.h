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
    /// Size of the fixed header, bytes.
    static constexpr uint32_t SIZE = 12;

    /// \return the object TypeId
    static TypeId GetTypeId();
    /// \return the TypeId of this tag
    TypeId GetInstanceTypeId() const override;

    /// \param pt the RTP payload type (0-127), e.g. 0 for PCMU
    void SetPayloadType(uint8_t pt);
    /// \return the payload type
    uint8_t GetPayloadType() const;
    /// \param marker the M bit (first packet of a talk spurt or a frame's last)
    void SetMarker(bool marker);
    /// \return the M bit
    bool GetMarker() const;
    /// \param seq the sequence number
    void SetSequence(uint16_t seq);
    /// \return the sequence number
    uint16_t GetSequence() const;
    /// \param ts the RTP timestamp, in clock-rate units
    void SetTimestamp(uint32_t ts);
    /// \return the RTP timestamp
    uint32_t GetTimestamp() const;
    /// \param ssrc the synchronization source
    void SetSsrc(uint32_t ssrc);
    /// \return the synchronization source
    uint32_t GetSsrc() const;
    /// \return true if the last Deserialize saw version 2 without CSRC/extension
    bool IsValid() const;

    /// \return 8 (the send time in nanoseconds)
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    /// \param os where to print "sent=..."
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
    /// \return the object TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    RtpSendTimeTag() = default;
    /// \param sent when the packet left the sender
    explicit RtpSendTimeTag(Time sent);
    /// \return when the packet left the sender
    Time GetSendTime() const;

    uint32_t GetSerializedSize() const override;
    /// \param i where to write the send time
    void Serialize(TagBuffer i) const override;
    /// \param i where to read the send time
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

  private:
    int64_t m_sentNs{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_RTP_HEADER_H */
