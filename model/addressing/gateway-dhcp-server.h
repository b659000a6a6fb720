/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_GATEWAY_DHCP_SERVER_H
#define APARTMENT_VOIP_GATEWAY_DHCP_SERVER_H

#include "ns3/address-plan.h"
#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/block-protocol-header.h"
#include "ns3/dhcp-lease-table.h"
#include "ns3/dhcp-message.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A home gateway's address side: gets blocks from the AddressManager and serves its
 * flat's terminals with DHCPv4 (RFC 2131) from them.
 *
 * At start it asks the manager for a block (REQUEST with the number of terminals that need
 * an address; with ExpectedTerminals 0 it waits for the first DISCOVER), takes the block's
 * first host address on its LAN interface and hands the others to terminals. A DISCOVER that finds
 * no free address triggers a refill (another block); the DISCOVER waits for the answer. If the
 * manager has no block left the gateway sends no OFFER (RFC 2131), counts the failure and fires
 * NoOffer. A released or expired terminal address is freed and reported to the manager; an extra
 * block left empty is returned, and so is every block when the flat is empty (ReturnWhenEmpty) or
 * the application stops. Blocks are renewed at half their lease.
 *
 * Double NAT (HomeNetwork set): the terminals are served from the home /24 (the same in
 * every flat, behind the gateway's NAT) and a block only gives the gateway its outside
 * address, the block's first host. The gateway asks for one block (count 1) when it starts
 * or when the first DISCOVER arrives without one, answers DISCOVERs only while it holds it,
 * and returns it like any block (flat empty with ReturnWhenEmpty, withdrawal). Whoever
 * listens to BlockAllotted and BlockReturned puts the address on the upstream side and
 * starts or stops the NAT with it (ApartmentTopologyHelper::SetGatewayOutsideAddress).
 */
class GatewayDhcpServer : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    GatewayDhcpServer();
    ~GatewayDhcpServer() override;

    /// \brief Sets the flat LAN device the terminals are on (required).
    void SetLanDevice(Ptr<NetDevice> device);
    /**
     * \brief Withdraws the gateway now: returns every block to the manager and stops
     * serving, as stopping the application does. Later calls do nothing.
     */
    void Withdraw();

    /// A terminal's lease.
    using Binding = DhcpLeaseTable::Binding;

    /// \return the blocks held now (from the manager; with HomeNetwork the outside block)
    std::vector<Ipv4Prefix> GetBlocks() const;
    /// \return the bindings (offered or bound) by client hardware address
    const std::map<Address, Binding>& GetBindings() const;
    /// \return true if the terminals are served from HomeNetwork (double NAT)
    bool IsHomeMode() const;
    /// \return this gateway's identity towards the manager (its backbone address)
    Ipv4Address GetHolderAddress() const;

    uint64_t GetNOffers() const;    //!< \return OFFERs sent
    uint64_t GetNAcks() const;      //!< \return ACKs sent
    uint64_t GetNNaks() const;      //!< \return DHCP NAKs sent
    uint64_t GetNNoOffer() const;   //!< \return DISCOVERs left unanswered: no address
    uint64_t GetNRefills() const;   //!< \return extra blocks obtained
    uint64_t GetNReleases() const;  //!< \return RELEASEs honoured
    uint64_t GetNExpired() const;   //!< \return terminal leases that ran out
    uint64_t GetNMalformed() const; //!< \return malformed datagrams dropped

    /// Signature of block traces: building, flat, block network, prefix length.
    typedef void (*BlockTracedCallback)(uint32_t building,
                                        uint32_t flat,
                                        Ipv4Address block,
                                        uint8_t length);
    /// Signature of lease traces: terminal address, client hardware address.
    typedef void (*LeaseTracedCallback)(Ipv4Address address, const Address& chaddr);

  protected:
    void DoDispose() override;

  private:
    struct Transaction
    {
        BlockProtocolHeader message;
        uint32_t tries{0};
        EventId timer;
    };

    void StartApplication() override;
    void StopApplication() override;

    uint32_t GetLanInterface() const;
    /// \return the table of the manager's blocks: m_table, or m_outside with HomeNetwork
    DhcpLeaseTable& Held();
    /// \return the table of the manager's blocks (const)
    const DhcpLeaseTable& Held() const;
    Ipv4Address GetServerId() const;

    // block protocol
    void SendToManager(const BlockProtocolHeader& message);
    void Transmit(uint32_t xid);
    void ManagerTimeout(uint32_t xid);
    void ReceiveFromManager(Ptr<Socket> socket);
    void RequestBlock(uint16_t count);
    void AddBlock(const Ipv4Prefix& block, Time lease);
    void RemoveBlock(Ipv4Address network, bool tellManager);
    void RenewBlock(Ipv4Address network);
    void RequestFailed(const std::string& why);
    void ShrinkIfIdle();

    // DHCP
    void ReceiveDhcp(Ptr<Socket> socket);
    void HandleDiscover(DhcpMessage& in);
    void HandleRequest(DhcpMessage& in);
    void HandleRelease(DhcpMessage& in);
    bool Offer(DhcpMessage& in);
    void Reply(DhcpMessage& in, uint8_t type, Ipv4Address yiaddr);
    void AddressFreed(Ipv4Address address, bool bound);
    Time GetLeaseFor(Ipv4Address address) const;
    void ScheduleBindingCheck();
    void CheckBindings();

    // attributes
    Ipv4Address m_managerAddress;
    uint16_t m_managerPort;
    uint32_t m_building;
    uint32_t m_flat;
    uint32_t m_expectedTerminals;
    Time m_leaseTime;
    Time m_offerHold;
    Time m_retransmission;
    uint32_t m_maxTries;
    bool m_returnWhenEmpty;
    Ipv4Address m_homeNetwork;

    Ptr<NetDevice> m_lanDevice;
    Ptr<Socket> m_dhcpSocket;
    Ptr<Socket> m_managerSocket;
    bool m_running{false};
    DhcpLeaseTable m_table;   //!< terminal bindings (and the blocks, without HomeNetwork)
    DhcpLeaseTable m_outside; //!< HomeNetwork: the manager's block, for the outside address
    std::map<Ipv4Address, EventId> m_renewEvents; //!< by block network
    std::map<Address, DhcpMessage> m_waiting;     //!< DISCOVERs waiting for a block
    bool m_blockRequested{false};
    uint32_t m_nextXid{1};
    std::map<uint32_t, Transaction> m_transactions;
    EventId m_bindingEvent;

    uint64_t m_offers{0};
    uint64_t m_acks{0};
    uint64_t m_naks{0};
    uint64_t m_noOffer{0};
    uint64_t m_refills{0};
    uint64_t m_releases{0};
    uint64_t m_expired{0};
    uint64_t m_malformed{0};

    TracedCallback<uint32_t, uint32_t, Ipv4Address, uint8_t> m_blockAllottedTrace;
    TracedCallback<uint32_t, uint32_t, Ipv4Address, uint8_t> m_blockReturnedTrace;
    TracedCallback<uint32_t, uint32_t, Ipv4Address, uint8_t> m_refillTrace;
    TracedCallback<Ipv4Address, const Address&> m_leaseTrace;
    TracedCallback<Ipv4Address, const Address&> m_releaseTrace;
    TracedCallback<Ipv4Address, const Address&> m_expiryTrace;
    TracedCallback<const Address&> m_noOfferTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_GATEWAY_DHCP_SERVER_H */
