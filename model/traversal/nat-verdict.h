/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_VERDICT_H
#define APARTMENT_VOIP_NAT_VERDICT_H

#include "ns3/ipv4-address.h"

#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/// What a client learns about its path to the server (seed 003, S3-S10).
enum class NatVerdict
{
    UNKNOWN, //!< not decided yet (or no answer)
    PUBLIC,  //!< public address, no NAT (S4)
    PROXY,   //!< public address behind a proxy (S8)
    NAT,     //!< private address behind NAT (S10)
};

/// \return "unknown", "public", "proxy" or "nat"
std::string ToString(NatVerdict verdict);

/**
 * \brief Decides the verdict from the P4 answer (S7).
 * \param own the client's valid addresses
 * \param observed the address the server saw the client's UDP come from
 */
NatVerdict DecideVerdict(const std::vector<Ipv4Address>& own, Ipv4Address observed);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_VERDICT_H */
