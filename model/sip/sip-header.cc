/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-header.h"

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(SipHeader);

TypeId
SipHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::SipHeader")
                            .SetParent<Header>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<SipHeader>();
    return tid;
}

TypeId
SipHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

SipHeader::SipHeader(std::string text)
    : m_text(std::move(text))
{
}

void
SipHeader::SetText(const std::string& text)
{
    m_text = text;
}

const std::string&
SipHeader::GetText() const
{
    return m_text;
}

uint32_t
SipHeader::GetSerializedSize() const
{
    return static_cast<uint32_t>(m_text.size());
}

void
SipHeader::Serialize(Buffer::Iterator start) const
{
    start.Write(reinterpret_cast<const uint8_t*>(m_text.data()),
                static_cast<uint32_t>(m_text.size()));
}

uint32_t
SipHeader::Deserialize(Buffer::Iterator start)
{
    uint32_t n = start.GetRemainingSize();
    m_text.resize(n);
    start.Read(reinterpret_cast<uint8_t*>(m_text.data()), n);
    return n;
}

void
SipHeader::Print(std::ostream& os) const
{
    auto eol = m_text.find('\r');
    os << "SIP " << m_text.substr(0, eol);
}

} // namespace apartment
} // namespace ns3
