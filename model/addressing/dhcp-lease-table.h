/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DHCP_LEASE_TABLE_H
#define APARTMENT_VOIP_DHCP_LEASE_TABLE_H

#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-prefix.h"
#include "ns3/nstime.h"

#include <map>
#include <optional>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The address side of a home gateway's DHCP server, without sockets or scheduler.
 *
 * Holds the blocks the gateway got from the manager (in the order obtained; the first one
 * carries the gateway's own address) and the terminals' bindings by client hardware
 * address. In each block host 1 is the gateway and the last address is the broadcast
 * address; the others are handed out lowest first. Times are absolute simulation times
 * passed in by the caller.
 */
class DhcpLeaseTable
{
  public:
    /// A terminal's lease.
    struct Binding
    {
        /// The terminal's address.
        Ipv4Address address;
        /// When the lease runs out unless renewed.
        Time expiry;
        bool bound{false}; //!< false: offered, not yet requested
    };

    /// A block held by the gateway.
    struct Block
    {
        /// The block's network.
        Ipv4Prefix prefix;
        Time expiry; //!< when the manager's lease of the block runs out
    };

    /// An expired or released binding, as it was.
    struct Removed
    {
        /// Client hardware address.
        Address chaddr;
        /// The binding as it was when removed.
        Binding binding;
    };

    /// \brief Adds a block (its bindings start empty).
    void AddBlock(const Ipv4Prefix& prefix, Time expiry);
    /// \return false if no block has network \p network
    bool SetBlockExpiry(Ipv4Address network, Time expiry);
    /// \brief Removes the block with network \p network and the bindings inside it.
    /// \return the block, or nothing if there is none
    std::optional<Block> RemoveBlock(Ipv4Address network);
    /// \return the blocks, in the order obtained
    const std::vector<Block>& GetBlocks() const;
    /// \return the block holding \p address, or nullptr
    const Block* FindBlock(Ipv4Address address) const;
    /// \return the block whose network address is \p network, or nullptr
    const Block* FindBlockByNetwork(Ipv4Address network) const;
    /// \return the networks of the blocks after the first that hold no binding (last first)
    std::vector<Ipv4Address> GetIdleExtraBlocks() const;

    /// \return the bindings (offered or bound) by client hardware address
    const std::map<Address, Binding>& GetBindings() const;
    /// \return the binding of \p chaddr, or nullptr
    const Binding* Find(const Address& chaddr) const;
    /// \return true if a binding holds \p address
    bool IsInUse(Ipv4Address address) const;
    /// \return true if \p address is a terminal address of a held block and nobody's
    bool IsAssignable(Ipv4Address address) const;
    /// \return the lowest assignable address, or 0.0.0.0 if every block is full
    Ipv4Address FindFreeAddress() const;

    /**
     * \brief DISCOVER: offers \p chaddr its binding, or a new one at the lowest free address.
     *
     * An offer not yet bound is held until \p holdUntil.
     * \return the binding offered, or nullptr if no address is free
     */
    const Binding* Offer(const Address& chaddr, Time holdUntil);
    /// \brief The client chose another server: forgets an offer not yet bound.
    void Withdraw(const Address& chaddr);
    /**
     * \brief REQUEST: binds \p wanted to \p chaddr until \p expiry.
     *
     * A client this table does not know may keep an assignable address it asks for (it
     * kept the address across a gateway restart).
     * \return false (NAK) if \p chaddr may not have \p wanted
     */
    bool Bind(const Address& chaddr, Ipv4Address wanted, Time expiry);
    /**
     * \brief RELEASE: frees the binding of \p chaddr.
     * \param chaddr the client's hardware address
     * \param ciaddr the address released; 0.0.0.0 matches any
     * \return the binding freed, or nothing if \p chaddr holds no (such) binding
     */
    std::optional<Binding> Release(const Address& chaddr, Ipv4Address ciaddr);
    /// \brief Removes and returns the bindings whose expiry is at or before \p now.
    std::vector<Removed> Expire(Time now);
    /// \return the earliest binding expiry, or Time::Max() if there is no binding
    Time GetNextExpiry() const;
    /**
     * \return the lease for \p address: \p maxLease, cut to the time its block has left
     * at \p now, in whole seconds and at least one
     */
    Time GetLeaseFor(Ipv4Address address, Time maxLease, Time now) const;
    /// \brief Forgets every binding (the blocks stay).
    void ClearBindings();

  private:
    std::vector<Block> m_blocks;
    std::map<Address, Binding> m_bindings;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_DHCP_LEASE_TABLE_H */
