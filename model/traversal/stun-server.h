/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_STUN_SERVER_H
#define APARTMENT_VOIP_STUN_SERVER_H

#include "ns3/application.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/udp-service.h"

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief STUN Binding server: answers each valid Binding request with the source it saw.
 */
class StunServer : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    StunServer();
    ~StunServer() override;

    /// \return Binding requests answered
    uint32_t GetAnswered() const;
    /// \return datagrams dropped as malformed
    uint32_t GetMalformedCount() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    bool OnDatagram(Ptr<Packet> packet, const Address& from);

    uint16_t m_port;
    UdpService m_udp;
    uint32_t m_answered{0};
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_STUN_SERVER_H */
