/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/block-protocol-header.h"

#include "ns3/address-utils.h"

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(BlockProtocolHeader);

TypeId
BlockProtocolHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::BlockProtocolHeader")
                            .SetParent<Header>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<BlockProtocolHeader>();
    return tid;
}

TypeId
BlockProtocolHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BlockProtocolHeader::GetSerializedSize() const
{
    return SIZE;
}

void
BlockProtocolHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(version);
    i.WriteU8(type);
    i.WriteU8(reason);
    i.WriteU8(prefixLength);
    i.WriteHtonU32(transaction);
    WriteTo(i, holder);
    i.WriteHtonU16(building);
    i.WriteHtonU16(count);
    WriteTo(i, address);
    i.WriteHtonU32(leaseSeconds);
}

uint32_t
BlockProtocolHeader::Deserialize(Buffer::Iterator i)
{
    if (i.GetRemainingSize() < SIZE)
    {
        version = 0; // IsValid() is false, nothing read past the end
        return 0;
    }
    version = i.ReadU8();
    type = i.ReadU8();
    reason = i.ReadU8();
    prefixLength = i.ReadU8();
    transaction = i.ReadNtohU32();
    ReadFrom(i, holder);
    building = i.ReadNtohU16();
    count = i.ReadNtohU16();
    ReadFrom(i, address);
    leaseSeconds = i.ReadNtohU32();
    return SIZE;
}

bool
BlockProtocolHeader::IsValid() const
{
    return version == VERSION && type >= REQUEST && type <= NAK && prefixLength <= 32;
}

std::string
BlockProtocolHeader::TypeName(uint8_t type)
{
    switch (type)
    {
    case REQUEST:
        return "REQUEST";
    case GRANT:
        return "GRANT";
    case RENEW:
        return "RENEW";
    case RELEASE:
        return "RELEASE";
    case REPORT:
        return "REPORT";
    case ACK:
        return "ACK";
    case NAK:
        return "NAK";
    default:
        return "type-" + std::to_string(type);
    }
}

void
BlockProtocolHeader::Print(std::ostream& os) const
{
    os << "block-protocol " << TypeName(type) << " xid=" << transaction << " holder=" << holder
       << " building=" << building << " count=" << count << " address=" << address << "/"
       << unsigned{prefixLength} << " lease=" << leaseSeconds << "s reason=" << unsigned{reason};
}

} // namespace apartment
} // namespace ns3
