/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NAT_DETECTION_SERVER_H
#define APARTMENT_VOIP_NAT_DETECTION_SERVER_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/keep-authenticator.h"
#include "ns3/nat-verdict.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/traversal-header.h"
#include "ns3/udp-service.h"

#include <map>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The public server of the NAT detection protocol (seed 003).
 *
 * Answers ACCESS with ACCESS_ACK (S3), sends P4 to every address of P2 and to the source of
 * P3 (S6), and on P5 streams P7 messages of RTP size to the client (S12): directly to a
 * public client, through the router after asking it with KEEP to keep the mapping (S11)
 * for a client behind NAT, signed with KeepKey (see KeepAuthenticator). Clients are told
 * apart by user index (and port).
 */
class NatDetectionServer : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    NatDetectionServer();
    ~NatDetectionServer() override;

    /// \return datagrams dropped as malformed
    uint32_t GetMalformedCount() const;
    /// \return stream packets (P7) sent to user \p userIndex
    uint32_t GetStreamSent(uint32_t userIndex) const;
    /// \return the verdict a client reported in P5 (UNKNOWN before)
    NatVerdict GetClientVerdict(uint32_t userIndex) const;
    /// \return keepalives (P6) received from user \p userIndex
    uint32_t GetKeepalivesReceived(uint32_t userIndex) const;
    /// \return KEEP_ACKs with status KEEP_OK the server received (mappings kept)
    uint32_t GetKeepAcks() const;

    /// Signature of ClientVerdict: user index and the verdict it reported (P5).
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
    bool OnUdpDatagram(Ptr<Packet> packet, const Address& from);
    void HandleTcp(Ptr<Socket> socket, const TraversalHeader& h);
    void HandleUdp(const TraversalHeader& h, const Address& from);
    void MaybeSendP4(Client& c);
    void StartStream(uint32_t userIndex);
    void SendStream(uint32_t userIndex);
    void SendTcp(Ptr<Socket> socket, TraversalHeader h);

    uint16_t m_port;
    uint16_t m_controlPort;
    Time m_keepIdle;
    std::string m_keepKey;
    KeepAuthenticator m_authenticator;
    Time m_streamInterval;
    uint32_t m_streamSize;
    Time m_streamDuration;

    UdpService m_udp;
    Ptr<Socket> m_listen;
    std::map<Ptr<Socket>, std::vector<uint8_t>> m_buffers;
    std::map<uint32_t, Client> m_clients;
    uint32_t m_malformed{0}; //!< TCP and protocol errors (UDP: m_udp counts)
    uint32_t m_keepAcks{0};

    TracedCallback<Ptr<const Packet>> m_malformedTrace;
    TracedCallback<uint32_t, NatVerdict> m_clientVerdictTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NAT_DETECTION_SERVER_H */
