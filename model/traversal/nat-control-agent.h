/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_CONTROL_AGENT_H
#define APARTMENT_VOIP_NAT_CONTROL_AGENT_H

#include "ns3/application.h"
#include "ns3/keep-authenticator.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/traversal-header.h"
#include "ns3/udp-service.h"

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The router side of the traversal protocol: keeps mappings a server asks for.
 *
 * Listens on the NAT router for KEEP (S11) and pins the named mapping with the requested
 * idle time, answering KEEP_ACK. The mapping is released after that idle time without the
 * client's keepalives (S13-S14). The port must lie outside the NAT's port range.
 *
 * Who may ask: a KEEP must carry the right HMAC-SHA-256 under KeepKey (the key the
 * server shares; TraversalHelper and NatHelper give both ends the same) and a sequence
 * number above the last one accepted from its sender; else it is dropped unanswered and
 * counted as forged or replayed. An authentic KEEP may only keep a mapping that its inside
 * host opened towards the KEEP's sender (the sender's own flow, as RFC 6887 lets a client
 * map only its own address): else KEEP_FOREIGN, counted as foreign.
 */
class NatControlAgent : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    NatControlAgent();
    ~NatControlAgent() override;

    /// \return KEEP requests accepted (mapping kept)
    uint32_t GetKeptCount() const;
    /// \return KEEP requests refused (no mapping, idle time out of bounds, foreign)
    uint32_t GetRefusedCount() const;
    /// \return KEEPs dropped for a wrong code (or a key this agent lacks)
    uint32_t GetForgedCount() const;
    /// \return authentic KEEPs dropped for an old sequence number
    uint32_t GetReplayedCount() const;
    /// \return authentic KEEPs refused for a mapping not opened towards their sender
    uint32_t GetForeignCount() const;
    /// \return datagrams dropped as malformed
    uint32_t GetMalformedCount() const;

    /// Signature of Keep: the KEEP request and the KEEP_ACK status sent.
    typedef void (*KeepTracedCallback)(const TraversalHeader& request, uint8_t status);
    /// Signature of Forged, Replayed and Foreign: the KEEP refused and its source.
    typedef void (*RefusedTracedCallback)(const TraversalHeader& request, const Address& from);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    bool OnDatagram(Ptr<Packet> packet, const Address& from);

    uint16_t m_port;
    Time m_minIdle;
    Time m_maxIdle;
    std::string m_key;
    KeepAuthenticator m_authenticator;
    UdpService m_udp;
    uint32_t m_kept{0};
    uint32_t m_refused{0};
    uint32_t m_forged{0};
    uint32_t m_replayed{0};
    uint32_t m_foreign{0};
    TracedCallback<const TraversalHeader&, uint8_t> m_keepTrace;
    TracedCallback<const TraversalHeader&, const Address&> m_forgedTrace;
    TracedCallback<const TraversalHeader&, const Address&> m_replayedTrace;
    TracedCallback<const TraversalHeader&, const Address&> m_foreignTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_CONTROL_AGENT_H */
