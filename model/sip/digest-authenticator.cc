/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/digest-authenticator.h"

#include <cstdio>

namespace ns3
{
namespace apartment
{

namespace
{

constexpr std::size_t kTimeDigits = 12;   //!< issue time, ms, hex
constexpr std::size_t kCounterDigits = 8; //!< counter, hex
constexpr std::size_t kMacDigits = 32;    //!< truncated keyed hash
constexpr std::size_t kPrefixDigits = kTimeDigits + kCounterDigits;

/// Compares in time that does not depend on where the texts differ.
bool
SameText(const std::string& a, const std::string& b)
{
    if (a.size() != b.size())
    {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

bool
IsLowerHex(const std::string& s)
{
    for (char c : s)
    {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        {
            return false;
        }
    }
    return true;
}

} // namespace

DigestAuthenticator::DigestAuthenticator(std::string realm,
                                         DigestAlgorithm algorithm,
                                         std::string secret,
                                         Time nonceLifetime,
                                         PasswordLookup passwords)
    : m_realm(std::move(realm)),
      m_algorithm(algorithm),
      m_secret(std::move(secret)),
      m_lifetime(nonceLifetime),
      m_passwords(std::move(passwords))
{
    m_opaque = HexDigest(m_algorithm, "opaque:" + m_realm + ":" + m_secret).substr(0, 16);
}

const std::string&
DigestAuthenticator::GetRealm() const
{
    return m_realm;
}

DigestAlgorithm
DigestAuthenticator::GetAlgorithm() const
{
    return m_algorithm;
}

std::size_t
DigestAuthenticator::GetKeptNonceCount() const
{
    return m_counts.size();
}

std::string
DigestAuthenticator::DerivePassword(const std::string& secret, const std::string& user)
{
    return HexDigest(DigestAlgorithm::Sha256, "password:" + secret + ":" + user).substr(0, 20);
}

std::string
DigestAuthenticator::NonceMac(const std::string& prefix) const
{
    return HexDigest(m_algorithm, prefix + ":" + m_secret).substr(0, kMacDigits);
}

DigestChallenge
DigestAuthenticator::MakeChallenge(Time now, bool stale)
{
    char prefix[kPrefixDigits + 1];
    std::snprintf(prefix,
                  sizeof(prefix),
                  "%012llx%08x",
                  static_cast<unsigned long long>(now.GetMilliSeconds()) & 0xffffffffffffULL,
                  ++m_counter);
    DigestChallenge c;
    c.realm = m_realm;
    c.nonce = std::string(prefix) + NonceMac(prefix);
    c.opaque = m_opaque;
    c.algorithm = m_algorithm;
    c.algorithmGiven = true;
    c.stale = stale;
    c.qop = {"auth"};
    return c;
}

DigestAuthenticator::Verdict
DigestAuthenticator::Check(const std::string& header,
                           const std::string& method,
                           const std::string& requestUri,
                           const std::string& claimedUser,
                           Time now)
{
    // Forget the counts of nonces that lapsed: their requests are stale anyway.
    while (!m_byIssue.empty() && now - m_byIssue.begin()->first > m_lifetime)
    {
        m_counts.erase(m_byIssue.begin()->second);
        m_byIssue.erase(m_byIssue.begin());
    }
    std::string error;
    auto c = DigestCredentials::Parse(header, &error);
    if (!c)
    {
        return {Result::MALFORMED, "malformed credentials: " + error};
    }
    if (c->username != claimedUser)
    {
        return {Result::WRONG_USER,
                "credentials of '" + c->username + "' do not match '" + claimedUser + "'"};
    }
    auto password = m_passwords ? m_passwords(c->username) : std::nullopt;
    if (!password)
    {
        return {Result::UNKNOWN_USER, "no credentials exist for '" + c->username + "'"};
    }
    if (c->realm != m_realm || c->algorithm != m_algorithm)
    {
        return {Result::CHALLENGE, "credentials for another realm or algorithm"};
    }
    if (!requestUri.empty() && c->uri != requestUri)
    {
        return {Result::MALFORMED, "digest uri differs from the Request-URI"};
    }
    if (c->qop != "auth")
    {
        return {Result::MALFORMED, "qop is not auth"};
    }
    const std::string& n = c->nonce;
    if (n.size() != kPrefixDigits + kMacDigits || !IsLowerHex(n) ||
        !SameText(n.substr(kPrefixDigits), NonceMac(n.substr(0, kPrefixDigits))))
    {
        return {Result::CHALLENGE, "nonce not issued here"};
    }
    if (!SameText(c->response, c->ComputeResponse(*password, method)))
    {
        return {Result::CHALLENGE, "wrong response"};
    }
    Time issued =
        MilliSeconds(static_cast<int64_t>(std::stoull(n.substr(0, kTimeDigits), nullptr, 16)));
    if (now - issued > m_lifetime || issued > now)
    {
        return {Result::STALE, "nonce lapsed"};
    }
    auto [it, inserted] = m_counts.try_emplace(n, issued, 0);
    auto& entry = it->second;
    if (inserted)
    {
        m_byIssue.emplace(issued, n);
    }
    if (c->nc <= entry.second)
    {
        return {Result::REPLAY, "nonce count " + FormatNonceCount(c->nc) + " already used"};
    }
    entry.second = c->nc;
    return {Result::OK, ""};
}

} // namespace apartment
} // namespace ns3
