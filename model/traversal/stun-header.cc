/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/stun-header.h"

#include <iomanip>

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(StunHeader);

StunHeader::StunHeader() = default;

TypeId
StunHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::StunHeader")
                            .SetParent<Header>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<StunHeader>();
    return tid;
}

TypeId
StunHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
StunHeader::GetSerializedSize() const
{
    if (!m_valid)
    {
        return m_consumed;
    }
    return 20 + (m_hasMapped ? 12 : 0);
}

void
StunHeader::Serialize(Buffer::Iterator i) const
{
    if (!m_valid)
    {
        for (uint32_t n = 0; n < m_consumed; ++n)
        {
            i.WriteU8(0);
        }
        return;
    }
    i.WriteHtonU16(m_type);
    i.WriteHtonU16(m_hasMapped ? 12 : 0);
    i.WriteHtonU32(MAGIC_COOKIE);
    for (uint8_t b : m_transaction)
    {
        i.WriteU8(b);
    }
    if (m_hasMapped)
    {
        i.WriteHtonU16(XOR_MAPPED_ADDRESS);
        i.WriteHtonU16(8);
        i.WriteU8(0);
        i.WriteU8(0x01); // IPv4
        i.WriteHtonU16(m_mappedPort ^ static_cast<uint16_t>(MAGIC_COOKIE >> 16));
        i.WriteHtonU32(m_mapped.Get() ^ MAGIC_COOKIE);
    }
}

uint32_t
StunHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    const uint32_t available = i.GetRemainingSize();
    auto invalid = [&]() {
        m_valid = false;
        m_consumed = available;
        m_hasMapped = false;
        return available;
    };
    if (available < 20)
    {
        return invalid();
    }
    m_type = i.ReadNtohU16();
    uint16_t length = i.ReadNtohU16();
    uint32_t cookie = i.ReadNtohU32();
    if ((m_type & 0xC000) || cookie != MAGIC_COOKIE || length % 4 != 0 || 20u + length > available)
    {
        return invalid();
    }
    for (uint8_t& b : m_transaction)
    {
        b = i.ReadU8();
    }
    m_hasMapped = false;
    uint32_t left = length;
    while (left > 0)
    {
        if (left < 4)
        {
            return invalid();
        }
        uint16_t type = i.ReadNtohU16();
        uint16_t size = i.ReadNtohU16();
        uint32_t padded = (size + 3u) & ~3u;
        if (4u + padded > left)
        {
            return invalid();
        }
        if (type == XOR_MAPPED_ADDRESS && size == 8)
        {
            i.ReadU8();
            uint8_t family = i.ReadU8();
            uint16_t xport = i.ReadNtohU16();
            uint32_t xaddr = i.ReadNtohU32();
            if (family == 0x01)
            {
                m_hasMapped = true;
                m_mappedPort = xport ^ static_cast<uint16_t>(MAGIC_COOKIE >> 16);
                m_mapped = Ipv4Address(xaddr ^ MAGIC_COOKIE);
            }
        }
        else
        {
            i.Next(padded); // attributes we do not use
        }
        left -= 4 + padded;
    }
    m_valid = true;
    return 20 + length;
}

void
StunHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "STUN INVALID";
        return;
    }
    os << "STUN type=0x" << std::hex << std::setw(4) << std::setfill('0') << m_type << std::dec;
    if (m_hasMapped)
    {
        os << " xor-mapped=" << m_mapped << ":" << m_mappedPort;
    }
}

bool
StunHeader::IsValid() const
{
    return m_valid;
}

uint16_t
StunHeader::GetMessageType() const
{
    return m_type;
}

void
StunHeader::SetMessageType(uint16_t type)
{
    m_type = type;
    m_valid = true;
}

const std::array<uint8_t, 12>&
StunHeader::GetTransactionId() const
{
    return m_transaction;
}

void
StunHeader::SetTransactionId(const std::array<uint8_t, 12>& id)
{
    m_transaction = id;
}

bool
StunHeader::HasMappedAddress() const
{
    return m_hasMapped;
}

Ipv4Address
StunHeader::GetMappedAddress() const
{
    return m_mapped;
}

uint16_t
StunHeader::GetMappedPort() const
{
    return m_mappedPort;
}

void
StunHeader::SetMappedAddress(Ipv4Address address, uint16_t port)
{
    m_hasMapped = true;
    m_mapped = address;
    m_mappedPort = port;
}

} // namespace apartment
} // namespace ns3
