/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_STUN_CLIENT_H
#define APARTMENT_VOIP_STUN_CLIENT_H

#include "ns3/application.h"
#include "ns3/nat-verdict.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/stun-header.h"
#include "ns3/traced-callback.h"

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief STUN Binding client (RFC 8489), the standard way to learn the public endpoint.
 *
 * Sends one Binding request (retransmitted per RFC 8489 section 6.2.1: RTO doubling, at
 * most Rc requests) and compares the XOR-MAPPED-ADDRESS with its own addresses: equal
 * means public (STUN cannot tell a TCP proxy apart), different means behind NAT.
 */
class StunClient : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    StunClient();
    ~StunClient() override;

    /// \return PUBLIC, NAT, or UNKNOWN before an answer
    NatVerdict GetVerdict() const;
    /// \return the public address the server saw (0.0.0.0 before an answer)
    Ipv4Address GetMappedAddress() const;
    /// \return the public port the server saw (0 before an answer)
    uint16_t GetMappedPort() const;
    /// \return time from start to the response, negative if none
    Time GetDetectionTime() const;
    /// \return datagrams dropped as malformed or unexpected
    uint32_t GetMalformedCount() const;
    /// \return Binding requests sent, retransmissions included
    uint32_t GetRequestsSent() const;
    /// \brief Fixes the random stream of the transaction ids.
    /// \param stream first stream index
    /// \return the number of streams used (1)
    int64_t AssignStreams(int64_t stream);
    /// \return Binding requests sent as keepalives after the answer
    uint32_t GetKeepalivesSent() const;
    /**
     * \brief Sends its requests through \p socket (bound by its owner, e.g. a phone's SIP
     * or RTP socket) instead of its own on LocalPort, so that the mapping learnt is that
     * socket's. Call before start; the owner passes STUN datagrams to Receive().
     */
    void UseSocket(Ptr<Socket> socket);
    /// \brief Handles a datagram the owner of a shared socket received (see UseSocket).
    void Receive(Ptr<Packet> datagram);

    /// Signature of Mapped: the public address and port learnt, and the verdict.
    typedef void (*MappedTracedCallback)(Ipv4Address address, uint16_t port, NatVerdict verdict);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void SendRequest();
    void OnReceive(Ptr<Socket> socket);
    void HandleDatagram(Ptr<Packet> p);
    void NewTransaction();
    void SendKeepalive();

    Ipv4Address m_server;
    uint16_t m_serverPort;
    uint16_t m_localPort;
    Time m_rto;
    uint32_t m_maxRequests;
    Ptr<UniformRandomVariable> m_random;
    Time m_keepaliveInterval;
    Time m_keepaliveStop;
    Ptr<Socket> m_socket;
    bool m_sharedSocket{false};
    uint32_t m_keepalives{0};
    EventId m_keepaliveEvent;
    std::array<uint8_t, 12> m_transaction{};
    EventId m_retransmit;
    Time m_nextRto;
    uint32_t m_sent{0};
    uint32_t m_malformed{0};
    Time m_started;
    Time m_answered;
    NatVerdict m_verdict{NatVerdict::UNKNOWN};
    Ipv4Address m_mapped;
    uint16_t m_mappedPort{0};
    TracedCallback<Ipv4Address, uint16_t, NatVerdict> m_mappedTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_STUN_CLIENT_H */
