/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_DETECTION_CLIENT_H
#define APARTMENT_VOIP_NAT_DETECTION_CLIENT_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nat-verdict.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/traversal-header.h"
#include "ns3/udp-service.h"

#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The client of the NAT detection protocol (seed 003).
 *
 * Connects to the server over TCP and sends ACCESS (S2) with its access address and P1
 * over UDP; on ACCESS_ACK (S3) either decides "public" (S4) or sends P2 (TCP, its valid
 * addresses) and P3 (UDP); on P4 (S6) decides "proxy" or "NAT" (S7) and sends P5 (S8/S10);
 * behind NAT it then sends P6 keepalives so the router keeps its mapping (S13). P7
 * messages from the server are counted as the stream.
 */
class NatDetectionClient : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    NatDetectionClient();
    ~NatDetectionClient() override;

    /// \return the verdict (UNKNOWN until decided)
    NatVerdict GetVerdict() const;
    /// \return the public address learnt (the observed one), valid once decided
    Ipv4Address GetObservedAddress() const;
    /// \return the public UDP port P4 reported (0 without P4, e.g. a public verdict)
    uint16_t GetObservedPort() const;
    /**
     * \brief Sends P1, P3 and P6 through \p socket (bound by its owner, e.g. a phone's SIP
     * or RTP socket) instead of a socket of its own on LocalPort, so that the mapping
     * learnt and kept is that socket's. Call before start; the owner passes the traversal
     * datagrams it receives to Receive() and keeps the socket open.
     */
    void UseSocket(Ptr<Socket> socket);
    /// \brief Handles a datagram the owner of a shared socket received (see UseSocket).
    void Receive(Ptr<Packet> datagram);
    /// \return time from start to verdict, or a negative time if undecided
    Time GetDetectionTime() const;
    /// \return stream packets (P7) received through the mapping
    uint32_t GetStreamReceived() const;
    /// \return when the last stream packet arrived (zero if none)
    Time GetLastStreamTime() const;
    /// \return datagrams dropped as malformed
    uint32_t GetMalformedCount() const;
    /// \return keepalives (P6) sent after the verdict
    uint32_t GetKeepalivesSent() const;

    /// Signature of Verdict: user index, verdict, public address observed.
    typedef void (*VerdictTracedCallback)(uint32_t userIndex,
                                          NatVerdict verdict,
                                          Ipv4Address observed);
    /// Signature of Stream: the stream packet and its sequence number.
    typedef void (*StreamTracedCallback)(Ptr<const Packet> packet, uint32_t sequence);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void OnConnected(Ptr<Socket> socket);
    void OnConnectFailed(Ptr<Socket> socket);
    void OnTcpReceive(Ptr<Socket> socket);
    bool OnUdpDatagram(Ptr<Packet> packet, const Address& from);
    void Handle(const TraversalHeader& h);
    void SendUdp(TraversalHeader h);
    void SendTcp(TraversalHeader h);
    void Decide(NatVerdict verdict, Ipv4Address observed);
    void SendKeepalive();
    void OnTimeout();
    std::vector<Ipv4Address> GetOwnAddresses() const;

    Ipv4Address m_server;
    uint16_t m_serverPort;
    uint16_t m_localPort;
    uint32_t m_userIndex;
    Time m_keepaliveInterval;
    Time m_keepaliveStop;
    Time m_timeout;

    UdpService m_udp;
    Ptr<Socket> m_tcp;
    std::vector<uint8_t> m_tcpBuffer;
    int m_verdict; //!< NatVerdict (int for EnumValue)
    Ipv4Address m_observed;
    uint16_t m_observedPort{0};
    Ptr<Socket> m_sharedSocket; //!< the owner's socket (UseSocket), or null
    Time m_started;
    Time m_decided;
    uint32_t m_streamReceived{0};
    Time m_lastStream;
    uint32_t m_malformed{0}; //!< TCP and protocol errors (UDP: m_udp counts)
    uint32_t m_keepalives{0};
    EventId m_keepaliveEvent;
    EventId m_timeoutEvent;

    TracedCallback<uint32_t, NatVerdict, Ipv4Address> m_verdictTrace;
    TracedCallback<Ptr<const Packet>, uint32_t> m_streamTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_DETECTION_CLIENT_H */
