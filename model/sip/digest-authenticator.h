/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DIGEST_AUTHENTICATOR_H
#define APARTMENT_VOIP_DIGEST_AUTHENTICATOR_H

#include "ns3/digest-challenge.h"
#include "ns3/digest-credentials.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The server side of SIP digest authentication (RFC 3261 §22, RFC 8760, RFC 7616),
 * with no scheduler: the caller passes the current time.
 *
 * Nonces are deterministic: the issue time in milliseconds and a counter, followed by a
 * keyed hash of both (H(time counter ":" secret)), so a nonce is checked without keeping
 * it and a forged or altered one is refused. A nonce older than the lifetime is stale: the
 * caller challenges again with stale=TRUE (RFC 7616 §3.3) and the client answers without
 * asking its user. Each nonce's highest nonce count is kept while it lives: a request that
 * reuses a count is a replay.
 */
class DigestAuthenticator
{
  public:
    /// Gives the password of a user (digits), or nothing for an unknown user.
    using PasswordLookup = std::function<std::optional<std::string>(const std::string& user)>;

    /// What Check() found.
    enum class Result
    {
        OK,           //!< authenticated
        MALFORMED,    //!< not a digest-response of the grammar (answer 400)
        WRONG_USER,   //!< username is not the number the request claims (answer 403)
        UNKNOWN_USER, //!< no credentials exist for username (answer 403)
        CHALLENGE,    //!< wrong realm, algorithm, nonce or response: challenge again
        STALE,        //!< right response on a lapsed nonce: challenge with stale=TRUE
        REPLAY        //!< a nonce count already used: challenge again
    };

    /// Check()'s answer.
    struct Verdict
    {
        Result result{Result::MALFORMED}; //!< the outcome
        std::string reason;               //!< what is wrong, for the reason phrase
    };

    /**
     * \param realm the protection space (RFC 3261 §22.1)
     * \param algorithm the hash algorithm challenged with
     * \param secret the key of the nonces' hash
     * \param nonceLifetime how long a nonce is accepted
     * \param passwords the password of each user
     */
    DigestAuthenticator(std::string realm,
                        DigestAlgorithm algorithm,
                        std::string secret,
                        Time nonceLifetime,
                        PasswordLookup passwords);

    /**
     * \param now the current time
     * \param stale whether the credentials carried a lapsed nonce
     * \return a fresh challenge (qop="auth")
     */
    DigestChallenge MakeChallenge(Time now, bool stale = false);

    /**
     * Checks the credentials of a request.
     * \param header the Authorization or Proxy-Authorization value
     * \param method the request's method (A2 = method:uri)
     * \param requestUri the Request-URI, which digest-uri must equal; empty: not checked
     *        (a proxy on the way may have retargeted the request)
     * \param claimedUser the number the request claims (To of REGISTER, From of INVITE),
     *        which username must equal
     * \param now the current time
     * \return the verdict
     */
    Verdict Check(const std::string& header,
                  const std::string& method,
                  const std::string& requestUri,
                  const std::string& claimedUser,
                  Time now);

    /// \return the realm
    const std::string& GetRealm() const;
    /// \return the algorithm
    DigestAlgorithm GetAlgorithm() const;
    /// \return nonces whose counts are kept now
    std::size_t GetKeptNonceCount() const;

    /**
     * A terminal's password derived from a secret the provider keeps (first 20 hex digits
     * of SHA-256("password:" secret ":" user)): the helper gives each terminal its own and
     * the registrar derives any, so no table is needed.
     * \param secret the provider's secret
     * \param user the terminal's number (digits)
     * \return the password
     */
    static std::string DerivePassword(const std::string& secret, const std::string& user);

  private:
    /// \return the keyed hash of a nonce's time and counter
    std::string NonceMac(const std::string& prefix) const;

    std::string m_realm;
    DigestAlgorithm m_algorithm;
    std::string m_secret;
    Time m_lifetime;
    PasswordLookup m_passwords;
    std::string m_opaque;
    uint32_t m_counter{0};
    std::map<std::string, std::pair<Time, uint32_t>> m_counts; //!< nonce -> (issued, last nc)
    /// m_counts' nonces in order of issue, so lapsed ones are found without a scan of all
    std::set<std::pair<Time, std::string>> m_byIssue;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_DIGEST_AUTHENTICATOR_H */
