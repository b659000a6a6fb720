/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_PCP_SERVER_H
#define APARTMENT_VOIP_PCP_SERVER_H

#include "ns3/nat-table.h"
#include "ns3/pcp-header.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The decisions of a PCP server (RFC 6887) on a NAT: MAP creates, refreshes and
 * deletes explicit mappings in a NatTable.
 *
 * Pure logic: the caller passes the current time, the request and its source, and sends
 * the response it gets back. Rules (RFC 6887 §8.3, §11.3, §13.1):
 * - a response, a message shorter than 2 or longer than 1100 bytes: dropped silently;
 * - another version: UNSUPP_VERSION; another opcode than MAP: UNSUPP_OPCODE; a request
 *   that does not parse: MALFORMED_REQUEST; an unknown mandatory option: UNSUPP_OPTION;
 * - the client address field must be the packet's source: else ADDRESS_MISMATCH;
 * - THIRD_PARTY only from a configured third-party client: else NOT_AUTHORIZED; without
 *   it a client maps only its own address;
 * - a mapping belongs to the nonce that made it: another nonce gets NOT_AUTHORIZED;
 * - lifetimes are clamped to [MinLifetime, MaxLifetime]; lifetime 0 deletes;
 * - no public address or port left: NO_RESOURCES; protocols other than UDP and TCP:
 *   UNSUPP_PROTOCOL.
 */
class PcpServer
{
  public:
    /// Lifetime bounds and the clients allowed to map for others.
    struct Config
    {
        uint32_t minLifetime{120};   //!< seconds
        uint32_t maxLifetime{86400}; //!< seconds
        uint32_t errorLifetime{30};  //!< lifetime of error responses (§7.2)
        /// Clients allowed the THIRD_PARTY option.
        std::set<Ipv4Address> thirdPartyClients;
    };

    /// What the server did with one message.
    struct Outcome
    {
        std::optional<PcpHeader> response; //!< empty: dropped silently
        /// Result code of the response (PcpHeader::Result).
        uint8_t result{PcpHeader::SUCCESS};
        std::string reason;  //!< why it was refused or dropped, empty on success
        bool changed{false}; //!< the table changed (re-arm its timers)

        /// \return true if an error response is sent
        bool IsRefused() const
        {
            return response && result != PcpHeader::SUCCESS;
        }
    };

    /// \return empty if \p config is usable, else what is wrong
    static std::string Validate(const Config& config);

    /// \param table the NAT table the server adds mappings to
    /// \param config lifetimes and authorized third-party clients
    /// \param start the server's start (its epoch counts from there)
    PcpServer(NatTable& table, const Config& config, Time start);

    /**
     * \brief Handles one message.
     * \param message as deserialized (IsValid() false for a malformed one)
     * \param source the packet's source address
     * \param now the current time
     * \return the answer to send (if any) and what happened
     */
    Outcome Handle(const PcpHeader& message, Ipv4Address source, Time now);

    /// \return requests answered SUCCESS
    uint64_t GetSuccessCount() const;
    /// \return requests answered with an error, in all or with \p result
    uint64_t GetRefusedCount() const;
    /// \return requests answered with \p result
    uint64_t GetRefusedCount(uint8_t result) const;
    /// \return messages dropped without an answer
    uint64_t GetDroppedCount() const;

  private:
    using Key = std::tuple<uint8_t, uint32_t, uint16_t>; //!< protocol, inside, port
    Outcome Refuse(const PcpHeader& request, uint8_t result, const std::string& reason, Time now);
    uint32_t Epoch(Time now) const;

    NatTable& m_table;
    Config m_config;
    Time m_start;
    std::map<Key, PcpHeader::Nonce> m_owners; //!< the nonce of each explicit mapping
    uint64_t m_success{0};
    uint64_t m_dropped{0};
    std::map<uint8_t, uint64_t> m_refused;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_PCP_SERVER_H */
