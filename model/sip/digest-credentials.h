/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DIGEST_CREDENTIALS_H
#define APARTMENT_VOIP_DIGEST_CREDENTIALS_H

#include "ns3/digest-challenge.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Digest credentials, the value of Authorization or Proxy-Authorization (RFC 3261
 * §22.4, §25.1 digest-response), computed as RFC 7616 §3.4.1 with qop=auth.
 *
 * Parse() accepts the parameters in any order with LWS around ',' and '=', ignores unknown
 * ones, and refuses what the grammar does not allow: a missing username, realm, nonce, uri
 * or response, a response that is not 32 (MD5) or 64 (SHA-256) lower-case hex digits, an
 * nc that is not 8 hex digits, qop without cnonce and nc, an unsupported algorithm.
 */
struct DigestCredentials
{
    std::string username;                            //!< the terminal's number (digits)
    std::string realm;                               //!< protection space of the challenge
    std::string nonce;                               //!< the challenge's nonce
    std::string uri;                                 //!< digest-uri: the Request-URI
    std::string response;                            //!< request-digest, lower-case hex
    DigestAlgorithm algorithm{DigestAlgorithm::Md5}; //!< hash algorithm
    std::string cnonce;                              //!< client nonce (with qop)
    std::string opaque;                              //!< echoed from the challenge
    std::string qop;                                 //!< "auth", or empty (RFC 2069 style)
    uint32_t nc{0};                                  //!< nonce count (with qop)

    /// \return the credentials, or nothing if \p text is not a digest-response
    static std::optional<DigestCredentials> Parse(std::string_view text,
                                                  std::string* error = nullptr);
    /// \return the header value (nc as 8 hex digits, algorithm always written)
    std::string ToString() const;

    /**
     * RFC 7616 §3.4.1: H(H(A1):nonce:nc:cnonce:qop:H(A2)) with qop, else
     * H(H(A1):nonce:H(A2)), where A1 = username:realm:password and A2 = method:uri.
     * \param password the shared secret
     * \param method the request's method
     * \return the request-digest these credentials must carry
     */
    std::string ComputeResponse(const std::string& password, const std::string& method) const;

    /**
     * Answers \p challenge for a request (qop=auth if offered): fills every field and the
     * response.
     * \return the credentials
     */
    static DigestCredentials Answer(const DigestChallenge& challenge,
                                    const std::string& username,
                                    const std::string& password,
                                    const std::string& method,
                                    const std::string& uri,
                                    const std::string& cnonce,
                                    uint32_t nc);
};

/// \return \p n as the 8 lower-case hex digits of nc-value
std::string FormatNonceCount(uint32_t n);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_DIGEST_CREDENTIALS_H */
