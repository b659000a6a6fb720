/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_KEEP_AUTHENTICATOR_H
#define APARTMENT_VOIP_KEEP_AUTHENTICATOR_H

#include "ns3/ipv4-address.h"
#include "ns3/traversal-header.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Signs and checks seed 003's KEEP: HMAC-SHA-256 with a key the server and the
 * router agent share, over every field and a sequence number against replay.
 *
 * Pure logic. The server numbers its KEEPs from 1 up; the agent accepts a KEEP whose code
 * is right and whose sequence number is above the highest it accepted from that sender
 * (a replayed or reordered KEEP is refused: the server sends the next one at its next
 * verdict). An empty key turns authentication off (only for builds without OpenSSL's
 * libcrypto, see CryptoAvailable()): the code is then all zeros and not checked, the
 * sequence number still is.
 */
class KeepAuthenticator
{
  public:
    /// What Check() found.
    enum Result : uint8_t
    {
        AUTHENTIC, //!< right code, new sequence number
        FORGED,    //!< wrong code (or not a KEEP)
        REPLAYED,  //!< right code, sequence number not above the last accepted
    };

    /// \param key the shared key (any length; empty: no authentication)
    explicit KeepAuthenticator(const std::string& key = "");

    /// Changes the key, keeping the sequence numbers seen (a restart must not open replay).
    void SetKey(const std::string& key);

    /// \return whether a key is set (codes are computed and checked)
    bool IsEnabled() const;

    /// \return the code of \p keep under the key (all zeros without a key)
    HmacSha256Code Compute(const TraversalHeader& keep) const;

    /// Gives \p keep the next sequence number of this sender and its code.
    void Sign(TraversalHeader& keep);

    /**
     * \brief Checks a received KEEP; an authentic one advances \p sender's sequence.
     * \param keep the message as deserialized
     * \param sender its source address
     * \return the result
     */
    Result Check(const TraversalHeader& keep, Ipv4Address sender);

    /**
     * \return the key TraversalHelper and NatHelper give both ends unless told another:
     * a fixed string with libcrypto, empty (no authentication) without it
     */
    static std::string GetDefaultKey();

    /// \return the name of \p result, e.g. "forged"
    static std::string GetResultName(Result result);

  private:
    std::string m_key;
    uint32_t m_nextSequence{1};              //!< of the KEEPs this end signs
    std::map<uint32_t, uint32_t> m_accepted; //!< highest sequence accepted, per sender
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_KEEP_AUTHENTICATOR_H */
