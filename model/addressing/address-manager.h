/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_ADDRESS_MANAGER_H
#define APARTMENT_VOIP_ADDRESS_MANAGER_H

#include "ns3/address-block-pool.h"
#include "ns3/application.h"
#include "ns3/block-protocol-header.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The complex's address manager: hands address blocks to home gateways.
 *
 * Keeps an AddressBlockPool, answers the block protocol (BlockProtocolHeader) on a UDP
 * port, reclaims blocks whose lease ran out and, if DatabasePath is set, writes the pool to
 * that file after every change and reads it back when it starts, so a restart (of this
 * application or of a new one on the same file) loses no allotment.
 */
class AddressManager : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    AddressManager();
    ~AddressManager() override;

    /// \return the pool; null before the application started once
    const AddressBlockPool* GetPool() const;
    /// \return true if the pool is usable (false after a database error)
    bool IsOperational() const;
    /// \return the last database error, empty if none
    std::string GetError() const;
    /// \return REQUESTs refused because the building had no free block
    uint64_t GetNFailedRequests() const;
    /// \return malformed datagrams dropped
    uint64_t GetNMalformed() const;
    /// \return blocks allotted so far (first blocks and refills)
    uint64_t GetNAllocations() const;
    /// \return blocks reclaimed after their lease expired
    uint64_t GetNReclaimed() const;

    /// Signature of traces about a block: holder, block network, prefix length.
    typedef void (*BlockTracedCallback)(Ipv4Address holder, Ipv4Address block, uint8_t length);
    /// Signature of the report trace: holder, freed terminal address.
    typedef void (*AddressTracedCallback)(Ipv4Address holder, Ipv4Address address);
    /// Signature of the failure trace: holder (0.0.0.0 if unknown), what failed.
    typedef void (*FailureTracedCallback)(Ipv4Address holder, const std::string& what);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    void OpenPool();
    void Receive(Ptr<Socket> socket);
    BlockProtocolHeader Handle(const BlockProtocolHeader& in);
    void Changed();
    void CheckExpiry();

    // attributes
    uint16_t m_port;
    uint8_t m_blockLength;
    Time m_leaseTime;
    std::string m_databasePath;
    Ipv4Address m_privateNetwork;
    uint32_t m_buildings;
    uint32_t m_blocksPerBuilding;

    std::unique_ptr<AddressBlockPool> m_pool;
    std::string m_error;
    Ptr<Socket> m_socket;
    EventId m_expiryEvent;
    /// Last answer per holder, resent if the same transaction is received again.
    std::map<uint32_t, BlockProtocolHeader> m_lastAnswer;
    std::map<uint32_t, uint32_t> m_lastTransaction;
    uint64_t m_failedRequests{0};
    uint64_t m_malformed{0};
    uint64_t m_allocations{0};
    uint64_t m_reclaimed{0};

    TracedCallback<Ipv4Address, Ipv4Address, uint8_t> m_allocationTrace;
    TracedCallback<Ipv4Address, Ipv4Address, uint8_t> m_refillTrace;
    TracedCallback<Ipv4Address, Ipv4Address, uint8_t> m_renewalTrace;
    TracedCallback<Ipv4Address, Ipv4Address, uint8_t> m_releaseTrace;
    TracedCallback<Ipv4Address, Ipv4Address, uint8_t> m_reclaimTrace;
    TracedCallback<Ipv4Address, Ipv4Address> m_reportTrace;
    TracedCallback<Ipv4Address, const std::string&> m_failureTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_ADDRESS_MANAGER_H */
