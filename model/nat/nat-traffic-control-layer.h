/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_TRAFFIC_CONTROL_LAYER_H
#define APARTMENT_VOIP_NAT_TRAFFIC_CONTROL_LAYER_H

#include "ns3/apartment-voip-compat.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-header.h"
#include "ns3/nat-table.h"
#include "ns3/traced-callback.h"
#include "ns3/traffic-control-layer.h"

#include <map>
#include <memory>
#include <tuple>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A traffic-control layer that translates IPv4 addresses (a NAT router).
 *
 * ns-3 has no netfilter hooks; the traffic-control layer is where they would be. Receive()
 * sees every inbound frame with its IPv4 header before Ipv4L3Protocol::Receive (netfilter's
 * pre-routing): packets from the outside device to a public address get their destination
 * translated, packets from inside to a public address of this NAT are hairpinned.
 * Send() sees every outbound packet after routing, ARP and fragmentation (post-routing):
 * packets leaving through the outside device get their source translated.
 *
 * IPv4 checksums are recomputed when ChecksumEnabled is true; UDP checksums are updated
 * incrementally (RFC 1624), TCP and ICMP echo checksums recomputed. Fragments: the first
 * fragment is translated with its UDP header and the later ones follow it (same IP
 * identification), later fragments arriving first are dropped. ICMP errors are dropped in
 * both directions (they would carry inside addresses). Nothing is translated before
 * Enable().
 */
class NatTrafficControlLayer : public TrafficControlLayer
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    APARTMENT_VOIP_INSTANCE_TYPE_ID;
    NatTrafficControlLayer();
    ~NatTrafficControlLayer() override;

    /**
     * \brief Starts translating on \p outside with the attributes' configuration.
     * \param outside the device towards the public network
     * \param publicAddresses NAPT addresses or basic-NAT pool (see Mode)
     * \return empty on success, else the reason the configuration is invalid
     */
    std::string Enable(Ptr<NetDevice> outside, const std::vector<Ipv4Address>& publicAddresses);
    /// \return true once Enable() succeeded (and no Disable() since)
    bool IsEnabled() const;
    /**
     * \brief Stops translating and forgets the table (its mappings and rules): the public
     * address went away (double NAT: the gateway returned the block that held it).
     * Enable() may be called again, e.g. with the next address; a PCP server on this NAT
     * starts a new epoch then (RFC 6887 §8.5: the state was lost).
     */
    void Disable();
    /// \return how many times Enable() succeeded: a new value means a new table
    uint32_t GetGeneration() const;
    /// \return the device towards the public network (null before Enable())
    Ptr<NetDevice> GetOutsideDevice() const;

    /// \copydoc NatTable::AddStaticRule
    bool AddStaticRule(Ipv4Address inside, Ipv4Address outside);
    /// \return the table (Enable() must have succeeded)
    NatTable& GetTable();
    /// \return the table (Enable() must have succeeded)
    const NatTable& GetTable() const;
    /// \copydoc NatTable::LookupPublic
    std::optional<std::pair<Ipv4Address, uint16_t>> LookupPublic(uint8_t protocol,
                                                                 Ipv4Address inside,
                                                                 uint16_t port) const;
    /// Keeps a mapping on behalf of a server; see NatTable::Pin.
    bool Pin(uint8_t protocol, Ipv4Address publicAddress, uint16_t publicPort, Time idle);

    /// Re-arms the expiry timer after the table was changed directly (e.g. by PCP).
    void TableChanged();

    /// Writes the table at the current simulation time.
    void PrintTable(std::ostream& os) const;

    /// \return packets translated
    uint64_t GetTranslatedCount() const;
    /// \return packets dropped, all reasons
    uint64_t GetDropCount() const;
    /// \return packets dropped for \p reason
    uint64_t GetDropCount(NatDropReason reason) const;

    // TrafficControlLayer hooks
    void Receive(Ptr<NetDevice> device,
                 Ptr<const Packet> p,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType packetType) override;
    void Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item) override;

    /// Signature of the mapping traces.
    typedef void (*MappingTracedCallback)(const NatMapping& mapping);
    /// Signature of the Translated trace: the L4 segment, IPv4 header before and after.
    typedef void (*TranslatedTracedCallback)(Ptr<const Packet> segment,
                                             const Ipv4Header& before,
                                             const Ipv4Header& after);
    /// Signature of the Drop trace.
    typedef void (*DropTracedCallback)(Ptr<const Packet> segment,
                                       const Ipv4Header& header,
                                       NatDropReason reason);

  protected:
    void DoDispose() override;

  private:
    enum class Direction
    {
        INBOUND,
        OUTBOUND,
        HAIRPIN,
    };

    /// Translates a packet without its IPv4 header; false if it must be dropped.
    bool Translate(Ptr<Packet> segment, Ipv4Header& header, Direction direction);
    void CountDrop(Ptr<const Packet> segment, const Ipv4Header& header, NatDropReason reason);
    void Report(const NatResult& result);
    void ScheduleExpiry();
    void DoExpire();
    NatTable::Config MakeConfig(const std::vector<Ipv4Address>& publicAddresses) const;
    bool IsOwnAddress(Ipv4Address a) const;

    // attributes
    int m_mode; //!< NatMode (int for EnumValue)
    uint16_t m_portMin;
    uint16_t m_portMax;
    int m_mapping;   //!< NatBehaviour
    int m_filtering; //!< NatBehaviour
    Time m_udpTimeout;
    bool m_allowShortTimeouts;
    Time m_tcpEstablishedTimeout;
    Time m_tcpTransitoryTimeout;
    Time m_icmpTimeout;
    bool m_portPreservation;
    bool m_inboundRefresh;
    bool m_hairpinning;
    Time m_fragmentTimeout;
    bool m_tcpOnly;

    Ptr<NetDevice> m_outside;
    std::unique_ptr<NatTable> m_table;
    uint32_t m_generation{0};
    EventId m_expiryEvent;
    Time m_expiryAt;

    /// (protocol, source, destination, identification) -> (translated address, expiry)
    using FragmentKey = std::tuple<uint8_t, uint32_t, uint32_t, uint16_t>;
    std::map<FragmentKey, std::pair<Ipv4Address, Time>> m_fragments[2]; //!< [inbound]

    uint64_t m_translated{0};
    std::map<NatDropReason, uint64_t> m_drops;

    TracedCallback<const NatMapping&> m_mappingCreated;
    TracedCallback<const NatMapping&> m_mappingRefreshed;
    TracedCallback<const NatMapping&> m_mappingExpired;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&, const Ipv4Header&> m_translatedTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&, NatDropReason> m_dropTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_TRAFFIC_CONTROL_LAYER_H */
