/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/dhcp-lease-table.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace apartment
{

void
DhcpLeaseTable::AddBlock(const Ipv4Prefix& prefix, Time expiry)
{
    m_blocks.push_back(Block{prefix, expiry});
}

bool
DhcpLeaseTable::SetBlockExpiry(Ipv4Address network, Time expiry)
{
    for (auto& b : m_blocks)
    {
        if (b.prefix.network == network)
        {
            b.expiry = expiry;
            return true;
        }
    }
    return false;
}

std::optional<DhcpLeaseTable::Block>
DhcpLeaseTable::RemoveBlock(Ipv4Address network)
{
    auto b = std::find_if(m_blocks.begin(), m_blocks.end(), [&](const Block& h) {
        return h.prefix.network == network;
    });
    if (b == m_blocks.end())
    {
        return std::nullopt;
    }
    const Block removed = *b;
    m_blocks.erase(b);
    for (auto it = m_bindings.begin(); it != m_bindings.end();)
    {
        it = removed.prefix.Contains(it->second.address) ? m_bindings.erase(it) : std::next(it);
    }
    return removed;
}

const std::vector<DhcpLeaseTable::Block>&
DhcpLeaseTable::GetBlocks() const
{
    return m_blocks;
}

const DhcpLeaseTable::Block*
DhcpLeaseTable::FindBlock(Ipv4Address address) const
{
    for (const auto& b : m_blocks)
    {
        if (b.prefix.Contains(address))
        {
            return &b;
        }
    }
    return nullptr;
}

const DhcpLeaseTable::Block*
DhcpLeaseTable::FindBlockByNetwork(Ipv4Address network) const
{
    for (const auto& b : m_blocks)
    {
        if (b.prefix.network == network)
        {
            return &b;
        }
    }
    return nullptr;
}

std::vector<Ipv4Address>
DhcpLeaseTable::GetIdleExtraBlocks() const
{
    std::vector<Ipv4Address> idle;
    for (size_t i = m_blocks.size(); i-- > 1;)
    {
        const Ipv4Prefix& p = m_blocks[i].prefix;
        const bool used = std::any_of(m_bindings.begin(), m_bindings.end(), [&](const auto& kv) {
            return p.Contains(kv.second.address);
        });
        if (!used)
        {
            idle.push_back(p.network);
        }
    }
    return idle;
}

const std::map<Address, DhcpLeaseTable::Binding>&
DhcpLeaseTable::GetBindings() const
{
    return m_bindings;
}

const DhcpLeaseTable::Binding*
DhcpLeaseTable::Find(const Address& chaddr) const
{
    auto it = m_bindings.find(chaddr);
    return it == m_bindings.end() ? nullptr : &it->second;
}

bool
DhcpLeaseTable::IsInUse(Ipv4Address address) const
{
    return std::any_of(m_bindings.begin(), m_bindings.end(), [&](const auto& kv) {
        return kv.second.address == address;
    });
}

bool
DhcpLeaseTable::IsAssignable(Ipv4Address address) const
{
    const Block* b = FindBlock(address);
    return b && address != b->prefix.GetAddress(1) &&
           address != b->prefix.GetAddress(b->prefix.GetSize() - 1) && !IsInUse(address);
}

Ipv4Address
DhcpLeaseTable::FindFreeAddress() const
{
    for (const auto& b : m_blocks)
    {
        // Host 1 is the gateway; the last address is the broadcast address.
        for (uint32_t i = 2; i + 1 < b.prefix.GetSize(); ++i)
        {
            if (!IsInUse(b.prefix.GetAddress(i)))
            {
                return b.prefix.GetAddress(i);
            }
        }
    }
    return Ipv4Address::GetAny();
}

const DhcpLeaseTable::Binding*
DhcpLeaseTable::Offer(const Address& chaddr, Time holdUntil)
{
    auto it = m_bindings.find(chaddr);
    if (it == m_bindings.end())
    {
        const Ipv4Address free = FindFreeAddress();
        if (free == Ipv4Address::GetAny())
        {
            return nullptr;
        }
        it = m_bindings.emplace(chaddr, Binding{free, Time(0), false}).first;
    }
    if (!it->second.bound)
    {
        it->second.expiry = holdUntil;
    }
    return &it->second;
}

void
DhcpLeaseTable::Withdraw(const Address& chaddr)
{
    auto it = m_bindings.find(chaddr);
    if (it != m_bindings.end() && !it->second.bound)
    {
        m_bindings.erase(it);
    }
}

bool
DhcpLeaseTable::Bind(const Address& chaddr, Ipv4Address wanted, Time expiry)
{
    auto it = m_bindings.find(chaddr);
    if (it == m_bindings.end() && wanted != Ipv4Address::GetAny() && IsAssignable(wanted))
    {
        it = m_bindings.emplace(chaddr, Binding{wanted, Time(0), false}).first;
    }
    if (it == m_bindings.end() || it->second.address != wanted)
    {
        return false;
    }
    it->second.bound = true;
    it->second.expiry = expiry;
    return true;
}

std::optional<DhcpLeaseTable::Binding>
DhcpLeaseTable::Release(const Address& chaddr, Ipv4Address ciaddr)
{
    auto it = m_bindings.find(chaddr);
    if (it == m_bindings.end() || (ciaddr != Ipv4Address::GetAny() && ciaddr != it->second.address))
    {
        return std::nullopt;
    }
    const Binding freed = it->second;
    m_bindings.erase(it);
    return freed;
}

std::vector<DhcpLeaseTable::Removed>
DhcpLeaseTable::Expire(Time now)
{
    std::vector<Removed> removed;
    for (auto it = m_bindings.begin(); it != m_bindings.end();)
    {
        if (it->second.expiry <= now)
        {
            removed.push_back(Removed{it->first, it->second});
            it = m_bindings.erase(it);
        }
        else
        {
            ++it;
        }
    }
    return removed;
}

Time
DhcpLeaseTable::GetNextExpiry() const
{
    Time next = Time::Max();
    for (const auto& [chaddr, b] : m_bindings)
    {
        next = std::min(next, b.expiry);
    }
    return next;
}

Time
DhcpLeaseTable::GetLeaseFor(Ipv4Address address, Time maxLease, Time now) const
{
    // A terminal's lease never outlives the block's: if the gateway cannot renew the block,
    // its terminals give the addresses up when the manager takes the block back.
    const Block* b = FindBlock(address);
    Time lease = maxLease;
    if (b)
    {
        lease = Min(lease, b->expiry - now);
    }
    return Max(Seconds(std::floor(lease.GetSeconds())), Seconds(1));
}

void
DhcpLeaseTable::ClearBindings()
{
    m_bindings.clear();
}

} // namespace apartment
} // namespace ns3
