/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_LOOP_DETECTOR_H
#define APARTMENT_VOIP_SIP_LOOP_DETECTOR_H

#include "ns3/sip-message.h"

#include <functional>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Loop detection of a proxy (RFC 3261 §16.3 item 4, §16.6 item 8).
 *
 * A proxy's branch carries a hash of what identifies the request as it received it: the
 * To and From tags, Call-ID, Request-URI, the Via below its own (the top one when it
 * received it), the CSeq number, Proxy-Require and Proxy-Authorization. When a request
 * comes back with one of the proxy's Vias, the proxy computes the hash again over the Via
 * below that one: equal means the request looped (482 Loop Detected); different (e.g. a
 * new Request-URI) means it spiralled, and it is processed again.
 *
 * Pure logic: the caller says which Vias are its own.
 */
class SipLoopDetector
{
  public:
    /// Start of the branches this class makes (the magic cookie and a marker).
    static const std::string PREFIX;

    /**
     * \param received the request as the proxy received it (before its own Via)
     * \param suffix what tells apart the client transactions of one request (a fork
     *        index); not part of the hash
     * \return a branch "z9hG4bKLp<hash>.<suffix>"
     */
    static std::string MakeBranch(const SipMessage& received, const std::string& suffix);

    /**
     * \param request a request as received
     * \param isOwn says whether a Via's sent-by is this proxy's
     * \return true if one of the proxy's Vias carries the hash of \p request as it is
     *         now (a loop); false for a spiral or a request the proxy never forwarded
     */
    static bool IsLooped(const SipMessage& request,
                         const std::function<bool(const SipVia&)>& isOwn);

  private:
    /// The hash of \p request taking \p via as the Via it was received with.
    static std::string Hash(const SipMessage& request, const std::string& via);
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_LOOP_DETECTOR_H */
