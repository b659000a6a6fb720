/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_TABLE_H
#define APARTMENT_VOIP_NAT_TABLE_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace apartment
{

/// RFC 4787 mapping or filtering behaviour.
enum class NatBehaviour
{
    ENDPOINT_INDEPENDENT,       //!< one mapping / any remote may send in
    ADDRESS_DEPENDENT,          //!< per remote address
    ADDRESS_AND_PORT_DEPENDENT, //!< per remote address and port
};

/// How dynamic mappings get their public address.
enum class NatMode
{
    NAPT, //!< masquerading: few public addresses, ports translated from a range
    POOL, //!< basic NAT: one pool address per inside host, ports kept
};

/// Why a packet was not translated.
enum class NatDropReason
{
    NONE,
    EXHAUSTED,   //!< no public address or port left
    UNSOLICITED, //!< inbound to a public endpoint without mapping
    FILTERED,    //!< a mapping exists but the filtering behaviour refuses the remote
    UNSUPPORTED, //!< protocol or packet kind the NAT does not translate
    MALFORMED,   //!< too short or inconsistent
    FRAGMENT,    //!< a later fragment whose first fragment was not seen
    ICMP_ERROR,  //!< ICMP error dropped so that no private address leaks
    HAIRPIN_OFF, //!< inside to own public address while hairpinning is off
};

/// \return a short name of \p reason, e.g. "exhausted"
std::string ToString(NatDropReason reason);
/// \return "EndpointIndependent", "AddressDependent" or "AddressAndPortDependent"
std::string ToString(NatBehaviour behaviour);

/// TCP flag bits as in the TCP header.
namespace NatTcpFlags
{
/// FIN: no more data from the sender.
constexpr uint8_t FIN = 0x01;
/// SYN: opens a connection.
constexpr uint8_t SYN = 0x02;
/// RST: aborts a connection.
constexpr uint8_t RST = 0x04;
/// ACK: acknowledgment field valid.
constexpr uint8_t ACK = 0x10;
} // namespace NatTcpFlags

/// The fields of a packet the NAT looks at. For ICMP echo, ports are the identifier.
struct NatFlow
{
    uint8_t protocol{17}; //!< 17 UDP, 6 TCP, 1 ICMP (echo)
    /// Source address.
    Ipv4Address src;
    /// Source port (ICMP echo: identifier).
    uint16_t srcPort{0};
    /// Destination address.
    Ipv4Address dst;
    /// Destination port (ICMP echo: identifier).
    uint16_t dstPort{0};
    uint8_t tcpFlags{0}; //!< TCP only
};

/// One dynamic mapping (a copy handed out for traces and dumps).
struct NatMapping
{
    /// TCP connection state as far as the NAT tracks it (RFC 5382).
    enum TcpState : uint8_t
    {
        TCP_SYN_SENT,    //!< outbound SYN seen (transitory)
        TCP_ESTABLISHED, //!< SYN seen both ways and the handshake completed
        TCP_CLOSING,     //!< FIN or RST seen (transitory)
    };

    uint64_t id{0}; //!< creation order
    /// 17 UDP, 6 TCP, 1 ICMP (echo).
    uint8_t protocol{17};
    /// Private address of the inside host.
    Ipv4Address insideAddress;
    /// Inside host's port (ICMP echo: identifier).
    uint16_t insidePort{0};
    /// External address the mapping uses.
    Ipv4Address publicAddress;
    /// External port the mapping uses.
    uint16_t publicPort{0};
    Ipv4Address keyRemoteAddress; //!< 0 unless the mapping behaviour depends on it
    uint16_t keyRemotePort{0};    //!< 0 unless the mapping behaviour depends on it
    std::set<std::pair<uint32_t, uint16_t>> remotes; //!< endpoints contacted (filtering)
    /// When the mapping was made.
    Time created;
    /// When an outbound packet last used it.
    Time lastOutbound;
    /// When it is removed unless refreshed.
    Time expiry;
    /// TCP only: connection state.
    TcpState tcpState{TCP_SYN_SENT};
    /// TCP only: an inbound SYN was seen.
    bool synIn{false};
    /// TCP only: an outbound FIN was seen.
    bool finOut{false};
    /// TCP only: an inbound FIN was seen.
    bool finIn{false};
    bool pinned{false}; //!< kept by a server request (traversal protocol), see Pin()
    /// Idle time kept while pinned.
    Time pinnedTimeout;
    bool isExplicit{false}; //!< made by PCP MAP: open to any remote, lives its lifetime

    /// \return whether the inside host sent through this mapping to \p remote (any port)
    bool HasContacted(Ipv4Address remote) const;
};

/// What the NAT decided for one packet.
struct NatResult
{
    /// What the packet did to a dynamic mapping.
    enum Event
    {
        NO_EVENT,
        CREATED,
        REFRESHED,
    };

    bool translate{false}; //!< rewrite the address/port below
    bool pass{false};      //!< not the NAT's business: forward unchanged
    Ipv4Address address;   //!< new source (outbound) or destination (inbound)
    uint16_t port{0};      //!< new source port (outbound) or destination port (inbound)
    /// Why the packet is dropped (NONE unless IsDrop()).
    NatDropReason reason{NatDropReason::NONE};
    /// Whether a mapping was created or refreshed.
    Event event{NO_EVENT};
    bool isStatic{false}; //!< translated by a static 1:1 rule
    NatMapping mapping;   //!< the mapping used (dynamic only)

    /// \return true if the packet must be dropped
    bool IsDrop() const
    {
        return !translate && !pass;
    }
};

/**
 * \ingroup apartment-voip
 * \brief The translation state of a NAT: static rules, dynamic mappings, timers.
 *
 * Pure logic: the caller passes the current time and applies the result to the packet.
 * Behaviour follows RFC 4787 (UDP), RFC 5382 (TCP) and RFC 5508 (ICMP echo).
 */
class NatTable
{
  public:
    /// Configuration; Validate() says what is wrong.
    struct Config
    {
        /// NAPT (address and port) or basic NAT (address pool).
        NatMode mode{NatMode::NAPT};
        std::vector<Ipv4Address> publicAddresses; //!< NAPT addresses or basic-NAT pool
        uint16_t portMin{1024};                   //!< NAPT external port range
        /// Highest external port of NAPT.
        uint16_t portMax{65535};
        /// Mapping behaviour (RFC 4787 §4.1).
        NatBehaviour mapping{NatBehaviour::ENDPOINT_INDEPENDENT};
        /// Filtering behaviour (RFC 4787 §5).
        NatBehaviour filtering{NatBehaviour::ENDPOINT_INDEPENDENT};
        /// UDP mapping timeout (RFC 4787 REQ-5: at least 2 min).
        Time udpTimeout{Seconds(300)};
        bool allowShortTimeouts{false};            //!< insist on timeouts below the RFC minimums
        Time tcpEstablishedTimeout{Seconds(7440)}; //!< RFC 5382 REQ-5: >= 2 h 4 min
        Time tcpTransitoryTimeout{Seconds(240)};   //!< RFC 5382 REQ-5: >= 4 min
        Time icmpTimeout{Seconds(60)};             //!< RFC 5508 REQ-1: >= 60 s
        /// Keep the inside port as external port when it is free.
        bool portPreservation{true};
        bool inboundRefresh{false}; //!< RFC 4787 REQ-6: outbound refresh is mandatory
        /// Translate packets between two inside hosts through their public endpoints.
        bool hairpinning{true};
    };

    /// \return empty if \p config is usable, else a sentence saying what is wrong
    static std::string Validate(const Config& config);

    /// Aborts with the message of Validate() if \p config is invalid.
    explicit NatTable(const Config& config);
    ~NatTable();
    NatTable(const NatTable&) = delete;
    NatTable& operator=(const NatTable&) = delete;

    /// \return the configuration the table was built from
    const Config& GetConfig() const;

    /**
     * \brief Adds a static 1:1 rule (all protocols and ports, inbound always allowed).
     * \return false if either address is already used by a rule or is a dynamic address
     */
    bool AddStaticRule(Ipv4Address inside, Ipv4Address outside);
    /// \return the static rules as (inside, public) pairs
    std::vector<std::pair<Ipv4Address, Ipv4Address>> GetStaticRules() const;

    /// \return true if \p a is a public address of this NAT (dynamic or static)
    bool IsPublicAddress(Ipv4Address a) const;

    /// Translates an inside -> outside packet (source rewritten).
    NatResult TranslateOutbound(const NatFlow& flow, Time now);
    /// Translates an outside -> inside packet (destination rewritten).
    NatResult TranslateInbound(const NatFlow& flow, Time now);

    /// Result of a hairpinned packet: both ends rewritten.
    struct HairpinResult
    {
        NatResult source;      //!< the outbound half (new source)
        NatResult destination; //!< the inbound half (new destination)
    };

    /// Inside host to a public endpoint of this NAT (RFC 4787 REQ-9).
    HairpinResult TranslateHairpin(const NatFlow& flow, Time now);

    /// Removes and returns the mappings whose expiry is at or before \p now.
    std::vector<NatMapping> Expire(Time now);
    /// \return the earliest expiry of all mappings, if any
    std::optional<Time> GetNextExpiry() const;

    /**
     * \brief Lets a server keep the mapping of a public endpoint (traversal protocol).
     *
     * The mapping stays with filtering opened to any remote, and expires after \p idle
     * without outbound traffic (the client's keepalives).
     * \return false if no mapping has that public endpoint
     */
    bool Pin(uint8_t protocol, Ipv4Address publicAddress, uint16_t publicPort, Time idle, Time now);

    /**
     * \brief Creates or refreshes an explicit mapping (PCP MAP, RFC 6887 §11).
     *
     * Endpoint-independent and open to any remote whatever the configured behaviours; it
     * expires \p lifetime after \p now whatever the traffic (PCP refreshes it). An existing
     * implicit mapping of the endpoint becomes explicit. NAPT tries \p suggestedPort, then
     * the internal port, then the range; a pool keeps the internal port.
     * \return the mapping, or empty if no public address or port is left
     */
    std::optional<NatMapping> MapExplicit(uint8_t protocol,
                                          Ipv4Address inside,
                                          uint16_t port,
                                          uint16_t suggestedPort,
                                          Time lifetime,
                                          Time now);
    /// Deletes the explicit mapping of an inside endpoint. \return it, if there was one
    std::optional<NatMapping> UnmapExplicit(uint8_t protocol, Ipv4Address inside, uint16_t port);
    /// \return the endpoint-independent mapping of an inside endpoint, if any
    std::optional<NatMapping> FindMapping(uint8_t protocol,
                                          Ipv4Address inside,
                                          uint16_t port) const;

    /// \return the mapping whose public endpoint is \p publicAddress:\p publicPort, if any
    std::optional<NatMapping> FindByPublic(uint8_t protocol,
                                           Ipv4Address publicAddress,
                                           uint16_t publicPort) const;

    /**
     * \return the public address and port an inside endpoint is seen as: its current
     * mapping (endpoint-independent key) or its static rule; empty if none
     */
    std::optional<std::pair<Ipv4Address, uint16_t>> LookupPublic(uint8_t protocol,
                                                                 Ipv4Address inside,
                                                                 uint16_t port) const;

    /// \return the number of dynamic mappings
    std::size_t GetNMappings() const;
    /// \return copies of all mappings, in creation order
    std::vector<NatMapping> GetMappings() const;
    /// Writes the static rules and one line per mapping.
    void Print(std::ostream& os, Time now) const;

  private:
    struct Impl;
    NatResult Drop(NatDropReason reason) const;
    Time TimeoutOf(const NatMapping& m) const;
    void Touch(NatMapping& m, bool outbound, uint8_t flags, Time now);
    std::optional<std::pair<Ipv4Address, uint16_t>> Allocate(const NatFlow& flow);
    void Release(const NatMapping& m);
    /// Stores a new mapping of \p flow's source at \p allocated, keyed with the remote.
    NatMapping AddMapping(const NatFlow& flow,
                          uint32_t keyAddress,
                          uint16_t keyPort,
                          std::pair<Ipv4Address, uint16_t> allocated,
                          bool isExplicit,
                          Time lifetime,
                          Time now);

    Config m_config;
    std::map<uint32_t, Ipv4Address> m_staticByInside; //!< by inside address
    std::map<uint32_t, Ipv4Address> m_staticByPublic; //!< by public address
    std::set<uint32_t> m_dynamic;                     //!< dynamic public addresses
    std::unique_ptr<Impl> m_impl;
    uint64_t m_nextId{1};
    std::size_t m_cursor{0}; //!< NAPT: next port to try after a failed preservation
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_TABLE_H */
