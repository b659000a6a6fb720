/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/dhcp-message.h"

#include "ns3/address-utils.h"

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(DhcpMessage);

TypeId
DhcpMessage::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::DhcpMessage")
                            .SetParent<DhcpHeader>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<DhcpMessage>();
    return tid;
}

TypeId
DhcpMessage::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
DhcpMessage::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator op = start;
    // DhcpHeader's Serialize() is private: call it through Header on a plain copy.
    const DhcpHeader plain(*this);
    static_cast<const Header&>(plain).Serialize(start);
    if (GetType() == DHCPRELEASE)
    {
        op.WriteU8(1); // BOOTREQUEST: RELEASE comes from the client
    }
    else
    {
        op.Next(1);
    }
    op.Next(11); // htype, hlen, hops, xid, secs, flags
    WriteTo(op, m_ciaddr);
}

uint32_t
DhcpMessage::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator ci = start;
    DhcpHeader plain;
    uint32_t n = static_cast<Header&>(plain).Deserialize(start);
    if (n != 0)
    {
        static_cast<DhcpHeader&>(*this) = plain;
        ci.Next(12);
        ReadFrom(ci, m_ciaddr);
    }
    return n;
}

void
DhcpMessage::SetCiaddr(Ipv4Address addr)
{
    m_ciaddr = addr;
}

Ipv4Address
DhcpMessage::GetCiaddr() const
{
    return m_ciaddr;
}

} // namespace apartment
} // namespace ns3
