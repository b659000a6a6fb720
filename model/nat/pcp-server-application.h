/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_PCP_SERVER_APPLICATION_H
#define APARTMENT_VOIP_PCP_SERVER_APPLICATION_H

#include "ns3/application.h"
#include "ns3/nat-traffic-control-layer.h"
#include "ns3/pcp-server.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <set>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The PCP server of a NAT router (RFC 6887): UDP 5351 on its inside interfaces.
 *
 * A thin shell around PcpServer, which takes the decisions; requests that arrive on the
 * NAT's outside device are dropped and counted. Install it on the node whose
 * NatTrafficControlLayer it controls, after NatHelper::Install (SetNat). The NAT may be
 * enabled later (double NAT with dynamic addresses: when the gateway gets its outside
 * address); requests while it is disabled are dropped and counted, and a NAT enabled again
 * gets a new server with a new epoch (RFC 6887 §8.5), the counters adding up.
 */
class PcpServerApplication : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    PcpServerApplication();
    ~PcpServerApplication() override;

    /// The NAT whose table the server changes.
    void SetNat(Ptr<NatTrafficControlLayer> nat);
    /// Lets \p client ask for mappings of other inside addresses (THIRD_PARTY).
    void AddThirdPartyClient(Ipv4Address client);

    /// \return the decisions (null before the start or while the NAT is disabled)
    const PcpServer* GetServer() const;
    /// \return requests answered SUCCESS
    uint64_t GetSuccessCount() const;
    /// \return requests answered with an error
    uint64_t GetRefusedCount() const;
    /// \return requests answered with \p result
    uint64_t GetRefusedCount(uint8_t result) const;
    /// \return messages dropped (malformed beyond an answer, or from the outside)
    uint64_t GetDroppedCount() const;

    /// Signature of the Request trace: a request and its source.
    typedef void (*RequestTracedCallback)(const PcpHeader& request, Ipv4Address source);
    /// Signature of the Refused trace: request, source, result code, reason.
    typedef void (*RefusedTracedCallback)(const PcpHeader& request,
                                          Ipv4Address source,
                                          uint8_t result,
                                          const std::string& reason);
    /// Signature of the Drop trace: source and reason.
    typedef void (*DropTracedCallback)(Ipv4Address source, const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void HandleRead(Ptr<Socket> socket);
    /// \return false if the NAT is disabled; else makes sure the server is the current table's
    bool FollowNat();

    uint16_t m_port;
    Time m_minLifetime;
    Time m_maxLifetime;
    Ptr<NatTrafficControlLayer> m_nat;
    std::set<Ipv4Address> m_thirdParty;
    Ptr<Socket> m_socket;
    std::unique_ptr<PcpServer> m_server;
    uint32_t m_generation{0}; //!< the NAT's generation m_server works on
    uint64_t m_outsideDrops{0};
    uint64_t m_disabledDrops{0};
    uint64_t m_pastSuccess{0};                 //!< counters of servers of earlier tables
    std::map<uint8_t, uint64_t> m_pastRefused; //!< by result code
    uint64_t m_pastDropped{0};

    TracedCallback<const PcpHeader&, Ipv4Address> m_requestTrace;
    TracedCallback<const PcpHeader&, Ipv4Address, uint8_t, const std::string&> m_refusedTrace;
    TracedCallback<Ipv4Address, const std::string&> m_dropTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_PCP_SERVER_APPLICATION_H */
