/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DIGEST_CHALLENGE_H
#define APARTMENT_VOIP_DIGEST_CHALLENGE_H

#include "ns3/crypto.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ns3
{
namespace apartment
{

/// One auth-param of a Digest challenge or credentials: name (lower case) and value.
struct DigestParam
{
    std::string name;   //!< parameter name, lower case
    std::string value;  //!< value, quotes removed and quoted-pairs decoded
    bool quoted{false}; //!< whether it was written as a quoted-string
};

/**
 * Reads "Digest" LWS param *(COMMA param) (RFC 3261 §25.1, challenge and credentials):
 * the scheme case-insensitive, LWS around ',' and '=', values as token or quoted-string,
 * any order. A parameter that appears twice is an error (RFC 7616 §3.4).
 * \param text the header value
 * \param[out] params the parameters, in order
 * \param error receives what is wrong
 * \return false if \p text is not a Digest parameter list of the grammar
 */
bool ParseDigestParams(std::string_view text, std::vector<DigestParam>& params, std::string* error);

/**
 * \ingroup apartment-voip
 * \brief A Digest challenge, the value of WWW-Authenticate (401) or Proxy-Authenticate
 * (407): RFC 3261 §22.4 and §25.1, with RFC 8760's SHA-256 and RFC 7616's computation.
 *
 * Only qop "auth" is offered; unknown parameters (e.g. domain) are ignored when parsing.
 */
struct DigestChallenge
{
    std::string realm;                               //!< protection space
    std::string nonce;                               //!< server nonce
    std::string opaque;                              //!< echoed back unchanged
    DigestAlgorithm algorithm{DigestAlgorithm::Md5}; //!< hash algorithm
    bool algorithmGiven{false};                      //!< "algorithm" was written
    bool stale{false};                               //!< the previous nonce had lapsed
    std::vector<std::string> qop;                    //!< qop options, e.g. {"auth"}

    /// \return the challenge, or nothing if \p text is not one (\p error says why)
    static std::optional<DigestChallenge> Parse(std::string_view text,
                                                std::string* error = nullptr);
    /// \return the header value, e.g. Digest realm="...", nonce="...", algorithm=SHA-256
    std::string ToString() const;
    /// \return true if qop "auth" is offered
    bool OffersAuth() const;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_DIGEST_CHALLENGE_H */
