/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_DETECTION_H
#define APARTMENT_VOIP_NAT_DETECTION_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/traversal-header.h"

#include <map>
#include <vector>

namespace ns3
{
namespace apartment
{

class NatTrafficControlLayer;

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

/**
 * \brief Splits a TCP byte stream into traversal messages.
 *
 * Appends \p data to \p buffer and returns the complete messages in it; a message with a
 * wrong magic makes the rest of the stream unusable: the buffer is cleared and \p malformed
 * incremented.
 */
std::vector<Ptr<Packet>> ExtractMessages(std::vector<uint8_t>& buffer,
                                         Ptr<const Packet> data,
                                         uint32_t& malformed);

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
    static TypeId GetTypeId();
    NatDetectionClient();
    ~NatDetectionClient() override;

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
    uint32_t GetStreamReceived() const;
    Time GetLastStreamTime() const;
    uint32_t GetMalformedCount() const;
    uint32_t GetKeepalivesSent() const;

    typedef void (*VerdictTracedCallback)(uint32_t userIndex,
                                          NatVerdict verdict,
                                          Ipv4Address observed);
    typedef void (*StreamTracedCallback)(Ptr<const Packet> packet, uint32_t sequence);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void OnConnected(Ptr<Socket> socket);
    void OnConnectFailed(Ptr<Socket> socket);
    void OnTcpReceive(Ptr<Socket> socket);
    void OnUdpReceive(Ptr<Socket> socket);
    void HandleDatagram(Ptr<Packet> p);
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

    Ptr<Socket> m_udp;
    Ptr<Socket> m_tcp;
    std::vector<uint8_t> m_tcpBuffer;
    int m_verdict; //!< NatVerdict (int for EnumValue)
    Ipv4Address m_observed;
    uint16_t m_observedPort{0};
    bool m_sharedSocket{false}; //!< m_udp belongs to the owner (UseSocket)
    Time m_started;
    Time m_decided;
    uint32_t m_streamReceived{0};
    Time m_lastStream;
    uint32_t m_malformed{0};
    uint32_t m_keepalives{0};
    EventId m_keepaliveEvent;
    EventId m_timeoutEvent;

    TracedCallback<uint32_t, NatVerdict, Ipv4Address> m_verdictTrace;
    TracedCallback<Ptr<const Packet>, uint32_t> m_streamTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

/**
 * \ingroup apartment-voip
 * \brief The public server of the NAT detection protocol (seed 003).
 *
 * Answers ACCESS with ACCESS_ACK (S3), sends P4 to every address of P2 and to the source of
 * P3 (S6), and on P5 streams P7 messages of RTP size to the client (S12): directly to a
 * public client, through the router after asking it with KEEP to keep the mapping (S11)
 * for a client behind NAT. Clients are told apart by user index (and port).
 */
class NatDetectionServer : public Application
{
  public:
    static TypeId GetTypeId();
    NatDetectionServer();
    ~NatDetectionServer() override;

    uint32_t GetMalformedCount() const;
    uint32_t GetStreamSent(uint32_t userIndex) const;
    /// \return the verdict a client reported in P5 (UNKNOWN before)
    NatVerdict GetClientVerdict(uint32_t userIndex) const;
    uint32_t GetKeepalivesReceived(uint32_t userIndex) const;
    uint32_t GetKeepAcks() const;

    typedef void (*ClientVerdictTracedCallback)(uint32_t userIndex, NatVerdict verdict);

  protected:
    void DoDispose() override;

  private:
    struct Client
    {
        Ptr<Socket> tcp;
        Ipv4Address tcpObserved;
        Ipv4Address access;
        Address udpObserved;
        bool hasUdp{false};
        bool hasList{false};
        bool p4Sent{false};
        std::vector<Ipv4Address> listed;
        NatVerdict verdict{NatVerdict::UNKNOWN};
        Address streamTo;
        uint32_t sequence{0};
        uint32_t keepalives{0};
        Time streamEnd;
        EventId streamEvent;
    };

    void StartApplication() override;
    void StopApplication() override;
    bool OnConnectionRequest(Ptr<Socket> socket, const Address& from);
    void OnAccept(Ptr<Socket> socket, const Address& from);
    void OnTcpReceive(Ptr<Socket> socket);
    void OnUdpReceive(Ptr<Socket> socket);
    void HandleTcp(Ptr<Socket> socket, const TraversalHeader& h);
    void HandleUdp(const TraversalHeader& h, const Address& from);
    void MaybeSendP4(Client& c);
    void StartStream(uint32_t userIndex);
    void SendStream(uint32_t userIndex);
    void SendTcp(Ptr<Socket> socket, TraversalHeader h);

    uint16_t m_port;
    uint16_t m_controlPort;
    Time m_keepIdle;
    Time m_streamInterval;
    uint32_t m_streamSize;
    Time m_streamDuration;

    Ptr<Socket> m_udp;
    Ptr<Socket> m_listen;
    std::map<Ptr<Socket>, std::vector<uint8_t>> m_buffers;
    std::map<uint32_t, Client> m_clients;
    uint32_t m_malformed{0};
    uint32_t m_keepAcks{0};

    TracedCallback<Ptr<const Packet>> m_malformedTrace;
    TracedCallback<uint32_t, NatVerdict> m_clientVerdictTrace;
};

/**
 * \ingroup apartment-voip
 * \brief The router side of the traversal protocol: keeps mappings a server asks for.
 *
 * Listens on the NAT router for KEEP (S11) and pins the named mapping with the requested
 * idle time, answering KEEP_ACK. The mapping is released after that idle time without the
 * client's keepalives (S13-S14). The port must lie outside the NAT's port range.
 * No authentication: any outside host may ask (see doc/nat.rst, limits).
 */
class NatControlAgent : public Application
{
  public:
    static TypeId GetTypeId();
    NatControlAgent();
    ~NatControlAgent() override;

    uint32_t GetKeptCount() const;
    uint32_t GetRefusedCount() const;
    uint32_t GetMalformedCount() const;

    typedef void (*KeepTracedCallback)(const TraversalHeader& request, uint8_t status);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void OnReceive(Ptr<Socket> socket);

    uint16_t m_port;
    Time m_minIdle;
    Time m_maxIdle;
    Ptr<Socket> m_socket;
    uint32_t m_kept{0};
    uint32_t m_refused{0};
    uint32_t m_malformed{0};
    TracedCallback<const TraversalHeader&, uint8_t> m_keepTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_DETECTION_H */
