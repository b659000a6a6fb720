/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/traversal-header.h"

#include "ns3/abort.h"

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(TraversalHeader);

TraversalHeader::TraversalHeader() = default;

TraversalHeader::TraversalHeader(Type type)
    : m_type(type)
{
}

TypeId
TraversalHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::TraversalHeader")
                            .SetParent<Header>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<TraversalHeader>();
    return tid;
}

TypeId
TraversalHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

int32_t
TraversalHeader::GetBodySize(Type type)
{
    switch (type)
    {
    case P1_USER_INDEX:
        return 4;
    case P2_ADDRESS_LIST:
        return -1;
    case P3_USED_ADDRESS:
    case P6_KEEPALIVE:
        return 5;
    case P4_SERVER_ACK:
        return 7;
    case P5_VERDICT:
        return 8;
    case P7_SERVER_DATA:
        return 9;
    case ACCESS:
        return 8;
    case ACCESS_ACK:
        return 5;
    case KEEP:
        return 17 + static_cast<int32_t>(MAC_SIZE);
    case KEEP_ACK:
        return 7;
    default:
        return -1;
    }
}

std::string
TraversalHeader::GetTypeName(Type type)
{
    switch (type)
    {
    case P1_USER_INDEX:
        return "P1";
    case P2_ADDRESS_LIST:
        return "P2";
    case P3_USED_ADDRESS:
        return "P3";
    case P4_SERVER_ACK:
        return "P4";
    case P5_VERDICT:
        return "P5";
    case P6_KEEPALIVE:
        return "P6";
    case P7_SERVER_DATA:
        return "P7";
    case ACCESS:
        return "ACCESS";
    case ACCESS_ACK:
        return "ACCESS-ACK";
    case KEEP:
        return "KEEP";
    case KEEP_ACK:
        return "KEEP-ACK";
    default:
        return "INVALID";
    }
}

uint32_t
TraversalHeader::GetBodyLength() const
{
    if (m_type == P2_ADDRESS_LIST)
    {
        return 5 + 4 * static_cast<uint32_t>(m_addresses.size());
    }
    int32_t n = GetBodySize(m_type);
    return n < 0 ? 0 : static_cast<uint32_t>(n);
}

uint32_t
TraversalHeader::GetSerializedSize() const
{
    if (!m_valid)
    {
        return m_consumed;
    }
    return COMMON_SIZE + GetBodyLength();
}

void
TraversalHeader::Serialize(Buffer::Iterator i) const
{
    if (!m_valid)
    {
        for (uint32_t n = 0; n < m_consumed; ++n)
        {
            i.WriteU8(0);
        }
        return;
    }
    i.WriteHtonU16(MAGIC);
    i.WriteU8(VERSION);
    i.WriteU8(m_type);
    i.WriteHtonU16(static_cast<uint16_t>(GetBodyLength()));
    switch (m_type)
    {
    case P1_USER_INDEX:
        i.WriteHtonU32(m_userIndex);
        break;
    case P2_ADDRESS_LIST:
        i.WriteHtonU32(m_userIndex);
        i.WriteU8(static_cast<uint8_t>(m_addresses.size()));
        for (const Ipv4Address& a : m_addresses)
        {
            i.WriteHtonU32(a.Get());
        }
        break;
    case P3_USED_ADDRESS:
    case P6_KEEPALIVE:
        i.WriteU8(m_flag ? 1 : 0);
        i.WriteHtonU32(m_userIndex);
        break;
    case P4_SERVER_ACK:
        i.WriteU8(m_flag ? 1 : 0);
        i.WriteHtonU32(m_address.Get());
        i.WriteHtonU16(m_port);
        break;
    case P5_VERDICT:
    case ACCESS:
        i.WriteHtonU32(m_userIndex);
        i.WriteHtonU32(m_address.Get());
        break;
    case P7_SERVER_DATA:
        i.WriteU8(m_flag ? 1 : 0);
        i.WriteHtonU32(m_address.Get());
        i.WriteHtonU32(m_sequence);
        break;
    case ACCESS_ACK:
        i.WriteU8(m_flag ? 1 : 0);
        i.WriteHtonU32(m_address.Get());
        break;
    case KEEP:
        i.WriteU8(m_protocol);
        i.WriteHtonU32(m_address.Get());
        i.WriteHtonU16(m_port);
        i.WriteHtonU16(m_idle);
        i.WriteHtonU32(m_userIndex);
        i.WriteHtonU32(m_sequence);
        i.Write(m_mac.data(), MAC_SIZE);
        break;
    case KEEP_ACK:
        i.WriteU8(m_status);
        i.WriteHtonU32(m_address.Get());
        i.WriteHtonU16(m_port);
        break;
    default:
        break;
    }
}

uint32_t
TraversalHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    const uint32_t available = i.GetRemainingSize();
    auto invalid = [&]() {
        m_valid = false;
        m_type = INVALID;
        m_consumed = available;
        return available;
    };
    if (available < COMMON_SIZE)
    {
        return invalid();
    }
    uint16_t magic = i.ReadNtohU16();
    uint8_t version = i.ReadU8();
    auto type = static_cast<Type>(i.ReadU8());
    uint16_t length = i.ReadNtohU16();
    int32_t expected = GetBodySize(type);
    if (magic != MAGIC || version != VERSION || GetTypeName(type) == "INVALID" ||
        COMMON_SIZE + length > available || (expected >= 0 && length != expected))
    {
        return invalid();
    }
    m_valid = true;
    m_type = type;
    m_addresses.clear();
    switch (type)
    {
    case P1_USER_INDEX:
        m_userIndex = i.ReadNtohU32();
        break;
    case P2_ADDRESS_LIST: {
        if (length < 5)
        {
            return invalid();
        }
        m_userIndex = i.ReadNtohU32();
        uint8_t count = i.ReadU8();
        if (count > MAX_ADDRESSES || length != 5 + 4 * count)
        {
            return invalid();
        }
        for (uint8_t n = 0; n < count; ++n)
        {
            m_addresses.emplace_back(i.ReadNtohU32());
        }
        break;
    }
    case P3_USED_ADDRESS:
    case P6_KEEPALIVE:
        m_flag = i.ReadU8() != 0;
        m_userIndex = i.ReadNtohU32();
        break;
    case P4_SERVER_ACK:
        m_flag = i.ReadU8() != 0;
        m_address = Ipv4Address(i.ReadNtohU32());
        m_port = i.ReadNtohU16();
        break;
    case P5_VERDICT:
    case ACCESS:
        m_userIndex = i.ReadNtohU32();
        m_address = Ipv4Address(i.ReadNtohU32());
        break;
    case P7_SERVER_DATA:
        m_flag = i.ReadU8() != 0;
        m_address = Ipv4Address(i.ReadNtohU32());
        m_sequence = i.ReadNtohU32();
        break;
    case ACCESS_ACK:
        m_flag = i.ReadU8() != 0;
        m_address = Ipv4Address(i.ReadNtohU32());
        break;
    case KEEP:
        m_protocol = i.ReadU8();
        m_address = Ipv4Address(i.ReadNtohU32());
        m_port = i.ReadNtohU16();
        m_idle = i.ReadNtohU16();
        m_userIndex = i.ReadNtohU32();
        m_sequence = i.ReadNtohU32();
        i.Read(m_mac.data(), MAC_SIZE);
        break;
    case KEEP_ACK:
        m_status = i.ReadU8();
        m_address = Ipv4Address(i.ReadNtohU32());
        m_port = i.ReadNtohU16();
        break;
    default:
        return invalid();
    }
    return COMMON_SIZE + length;
}

void
TraversalHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "traversal INVALID (" << m_consumed << " bytes)";
        return;
    }
    os << "traversal " << GetTypeName(m_type) << " user=" << m_userIndex;
    switch (m_type)
    {
    case P2_ADDRESS_LIST:
        for (const Ipv4Address& a : m_addresses)
        {
            os << " " << a;
        }
        break;
    case P4_SERVER_ACK:
    case KEEP_ACK:
        os << " " << m_address << ":" << m_port;
        break;
    case KEEP:
        os << " " << m_address << ":" << m_port << " seq=" << m_sequence;
        break;
    case P3_USED_ADDRESS:
    case P6_KEEPALIVE:
        os << " private=" << m_flag;
        break;
    case P7_SERVER_DATA:
        os << " seq=" << m_sequence;
        break;
    default:
        os << " " << m_address;
        break;
    }
}

bool
TraversalHeader::IsValid() const
{
    return m_valid;
}

TraversalHeader::Type
TraversalHeader::GetType() const
{
    return m_type;
}

void
TraversalHeader::SetType(Type type)
{
    m_type = type;
    m_valid = true;
}

uint32_t
TraversalHeader::GetUserIndex() const
{
    return m_userIndex;
}

void
TraversalHeader::SetUserIndex(uint32_t index)
{
    m_userIndex = index;
}

bool
TraversalHeader::GetFlag() const
{
    return m_flag;
}

void
TraversalHeader::SetFlag(bool flag)
{
    m_flag = flag;
}

Ipv4Address
TraversalHeader::GetAddress() const
{
    return m_address;
}

void
TraversalHeader::SetAddress(Ipv4Address address)
{
    m_address = address;
}

uint16_t
TraversalHeader::GetPort() const
{
    return m_port;
}

void
TraversalHeader::SetPort(uint16_t port)
{
    m_port = port;
}

const std::vector<Ipv4Address>&
TraversalHeader::GetAddresses() const
{
    return m_addresses;
}

void
TraversalHeader::SetAddresses(const std::vector<Ipv4Address>& addresses)
{
    NS_ABORT_MSG_IF(addresses.size() > MAX_ADDRESSES,
                    "at most " << int(MAX_ADDRESSES) << " addresses fit in P2");
    m_addresses = addresses;
}

uint32_t
TraversalHeader::GetSequence() const
{
    return m_sequence;
}

void
TraversalHeader::SetSequence(uint32_t sequence)
{
    m_sequence = sequence;
}

uint8_t
TraversalHeader::GetProtocol() const
{
    return m_protocol;
}

void
TraversalHeader::SetProtocol(uint8_t protocol)
{
    m_protocol = protocol;
}

uint16_t
TraversalHeader::GetIdleSeconds() const
{
    return m_idle;
}

void
TraversalHeader::SetIdleSeconds(uint16_t seconds)
{
    m_idle = seconds;
}

uint8_t
TraversalHeader::GetStatus() const
{
    return m_status;
}

void
TraversalHeader::SetStatus(uint8_t status)
{
    m_status = status;
}

const HmacSha256Code&
TraversalHeader::GetMac() const
{
    return m_mac;
}

void
TraversalHeader::SetMac(const HmacSha256Code& mac)
{
    m_mac = mac;
}

std::vector<uint8_t>
TraversalHeader::GetAuthenticatedBytes() const
{
    Buffer buffer;
    buffer.AddAtStart(GetSerializedSize());
    Serialize(buffer.Begin());
    std::vector<uint8_t> bytes(buffer.GetSize());
    buffer.CopyData(bytes.data(), bytes.size());
    if (m_valid && m_type == KEEP)
    {
        bytes.resize(bytes.size() - MAC_SIZE);
    }
    return bytes;
}

std::vector<Ptr<Packet>>
ExtractMessages(std::vector<uint8_t>& buffer, Ptr<const Packet> data, uint32_t& malformed)
{
    std::vector<Ptr<Packet>> messages;
    const std::size_t old = buffer.size();
    buffer.resize(old + data->GetSize());
    data->CopyData(buffer.data() + old, data->GetSize());
    std::size_t offset = 0;
    while (buffer.size() - offset >= TraversalHeader::COMMON_SIZE)
    {
        const uint8_t* b = buffer.data() + offset;
        const uint16_t magic = (b[0] << 8) | b[1];
        const uint32_t length = TraversalHeader::COMMON_SIZE + ((b[4] << 8) | b[5]);
        if (magic != TraversalHeader::MAGIC)
        {
            ++malformed;
            buffer.clear();
            return messages;
        }
        if (buffer.size() - offset < length)
        {
            break;
        }
        messages.push_back(Create<Packet>(b, length));
        offset += length;
    }
    buffer.erase(buffer.begin(), buffer.begin() + offset);
    return messages;
}

Ptr<Packet>
ToPacket(const TraversalHeader& h, uint32_t totalSize)
{
    uint32_t pad = totalSize > h.GetSerializedSize() ? totalSize - h.GetSerializedSize() : 0;
    Ptr<Packet> p = Create<Packet>(pad);
    p->AddHeader(h);
    return p;
}

} // namespace apartment
} // namespace ns3
