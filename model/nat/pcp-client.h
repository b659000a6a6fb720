/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_PCP_CLIENT_H
#define APARTMENT_VOIP_PCP_CLIENT_H

#include "ns3/nstime.h"
#include "ns3/pcp-header.h"

#include <optional>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The client side of PCP MAP (RFC 6887) without a socket or a scheduler: builds
 * requests, matches responses to them and says when to retransmit (§8.1.1).
 */
class PcpClient
{
  public:
    /// One mapping asked for: what the client knows of it.
    struct Mapping
    {
        /// Nonce of the request; a response must echo it.
        PcpHeader::Nonce nonce{};
        /// IP protocol (17 UDP, 6 TCP).
        uint8_t protocol{17};
        Ipv4Address internalAddress; //!< the client itself, or a third party
        /// The internal port mapped.
        uint16_t internalPort{0};
    };

    /// What a response says about the request it answers.
    struct Answer
    {
        /// Result code (PcpHeader::Result).
        uint8_t result{PcpHeader::SUCCESS};
        uint32_t lifetime{0}; //!< granted seconds (or how long an error holds)
        /// External address assigned.
        Ipv4Address externalAddress;
        /// External port assigned.
        uint16_t externalPort{0};
        /// Server epoch (seconds since it started; a drop means it lost state).
        uint32_t epoch{0};
    };

    /// \param self the client's own address (the source of its requests)
    explicit PcpClient(Ipv4Address self);

    /**
     * \brief A MAP request for \p mapping: THIRD_PARTY when its internal address is not the
     * client's own; \p lifetime 0 deletes.
     */
    PcpHeader MakeRequest(const Mapping& mapping, uint32_t lifetime, uint16_t suggestedPort) const;

    /// \return the answer if \p response answers a request for \p mapping, else empty
    static std::optional<Answer> Match(const Mapping& mapping, const PcpHeader& response);

    /**
     * \brief Retransmission timeout of attempt \p attempt (0 first): 3 s doubling up to
     * 1024 s (RFC 6887 §8.1.1: IRT 3 s, MRT 1024 s; no jitter, for determinism).
     */
    static Time RetransmissionTimeout(uint32_t attempt);

    /// \return the client's own address
    Ipv4Address GetAddress() const;

  private:
    Ipv4Address m_self;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_PCP_CLIENT_H */
