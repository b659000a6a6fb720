/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/rtp-header.h"

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(RtpHeader);
NS_OBJECT_ENSURE_REGISTERED(RtpSendTimeTag);

TypeId
RtpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::RtpHeader")
                            .SetParent<Header>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<RtpHeader>();
    return tid;
}

TypeId
RtpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
RtpHeader::SetPayloadType(uint8_t pt)
{
    m_payloadType = pt & 0x7f;
}

uint8_t
RtpHeader::GetPayloadType() const
{
    return m_payloadType;
}

void
RtpHeader::SetMarker(bool marker)
{
    m_marker = marker;
}

bool
RtpHeader::GetMarker() const
{
    return m_marker;
}

void
RtpHeader::SetSequence(uint16_t seq)
{
    m_sequence = seq;
}

uint16_t
RtpHeader::GetSequence() const
{
    return m_sequence;
}

void
RtpHeader::SetTimestamp(uint32_t ts)
{
    m_timestamp = ts;
}

uint32_t
RtpHeader::GetTimestamp() const
{
    return m_timestamp;
}

void
RtpHeader::SetSsrc(uint32_t ssrc)
{
    m_ssrc = ssrc;
}

uint32_t
RtpHeader::GetSsrc() const
{
    return m_ssrc;
}

bool
RtpHeader::IsValid() const
{
    return m_firstByte == 0x80;
}

uint32_t
RtpHeader::GetSerializedSize() const
{
    return SIZE;
}

void
RtpHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(0x80); // V=2, P=0, X=0, CC=0
    start.WriteU8(static_cast<uint8_t>((m_marker ? 0x80 : 0) | m_payloadType));
    start.WriteHtonU16(m_sequence);
    start.WriteHtonU32(m_timestamp);
    start.WriteHtonU32(m_ssrc);
}

uint32_t
RtpHeader::Deserialize(Buffer::Iterator start)
{
    if (start.GetRemainingSize() < SIZE)
    {
        m_firstByte = 0; // version 0: IsValid() is false, nothing read past the end
        return 0;
    }
    m_firstByte = start.ReadU8();
    uint8_t second = start.ReadU8();
    m_marker = (second & 0x80) != 0;
    m_payloadType = second & 0x7f;
    m_sequence = start.ReadNtohU16();
    m_timestamp = start.ReadNtohU32();
    m_ssrc = start.ReadNtohU32();
    return SIZE;
}

void
RtpHeader::Print(std::ostream& os) const
{
    os << "RTP pt=" << static_cast<uint32_t>(m_payloadType) << " seq=" << m_sequence
       << " ts=" << m_timestamp << " ssrc=" << m_ssrc;
}

TypeId
RtpSendTimeTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::RtpSendTimeTag")
                            .SetParent<Tag>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<RtpSendTimeTag>();
    return tid;
}

TypeId
RtpSendTimeTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

RtpSendTimeTag::RtpSendTimeTag(Time sent)
    : m_sentNs(sent.GetNanoSeconds())
{
}

Time
RtpSendTimeTag::GetSendTime() const
{
    return NanoSeconds(m_sentNs);
}

uint32_t
RtpSendTimeTag::GetSerializedSize() const
{
    return 8;
}

void
RtpSendTimeTag::Serialize(TagBuffer i) const
{
    i.WriteU64(static_cast<uint64_t>(m_sentNs));
}

void
RtpSendTimeTag::Deserialize(TagBuffer i)
{
    m_sentNs = static_cast<int64_t>(i.ReadU64());
}

void
RtpSendTimeTag::Print(std::ostream& os) const
{
    os << "sent=" << m_sentNs << "ns";
}

} // namespace apartment
} // namespace ns3
