/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_CALL_NAT_BINDER_H
#define APARTMENT_VOIP_CALL_NAT_BINDER_H

#include "ns3/event-id.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/pcp-client.h"
#include "ns3/random-variable-stream.h"
#include "ns3/sip-message.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The NAT side of a SIP element (the gatekeeper in pool and NAPT modes, a home
 * gateway with HomeNat): asks the NAT by PCP (RFC 6887 MAP with THIRD_PARTY) for the
 * public endpoints of the inside parties of each call, rewrites Contact and SDP c=/o=/m=
 * with them, and releases them when the call ends.
 *
 * The gatekeeper passes every message it sends through Outgoing(). A message with SDP that
 * leaves the complex (to a routed peer) and names inside endpoints (Contact host:port, SDP
 * connection address with each m= port) is held until the NAT has mapped every endpoint,
 * then rewritten and sent; a refusal (pool exhausted: NO_RESOURCES) or no answer fails it
 * with 503. A request that enters the complex with a mapped public endpoint as its
 * Request-URI gets the inside endpoint back. Mappings belong to calls (Call-ID); an
 * endpoint used by several calls is released when the last one ends: on the 2xx to BYE
 * or a final failure of the INVITE. Lifetimes are refreshed at half time while in use.
 */
class CallNatBinder : public Object
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    CallNatBinder();
    ~CallNatBinder() override;

    /**
     * \brief Where the binder runs and whom it asks.
     * \param node the gatekeeper's node (the PCP socket is opened there)
     * \param self the gatekeeper's address (PCP client address, its packets' source)
     * \param server the NAT's PCP server address (inside)
     */
    void Setup(Ptr<Node> node, Ipv4Address self, Ipv4Address server);
    /// Addresses in \p network/\p mask are inside the NAT (they get mapped).
    void AddInsideNetwork(Ipv4Address network, Ipv4Mask mask);

    /// Sends a rewritten message.
    using SendFunction = std::function<void(SipMessage)>;
    /// Fails a message with a SIP status code.
    using FailFunction = std::function<void(uint16_t code)>;
    /**
     * \brief Rewrites \p m on its way out of (\p outward) or into the complex, now or once
     * the NAT has answered; then calls \p send, or \p fail with 503.
     */
    void Outgoing(SipMessage m, bool outward, SendFunction send, FailFunction fail);

    /**
     * \brief Gives a request whose Request-URI is a public endpoint of a mapping of ours
     * the inside endpoint back (e.g. a proxy's next hop for an in-dialog request).
     */
    void Untranslate(SipMessage& m) const;

    /// \return mappings granted and still in use
    std::size_t GetActiveMappingCount() const;
    /// \return the most mappings in use at once
    std::size_t GetPeakMappingCount() const;
    /// \return mappings the NAT granted
    uint64_t GetGrantedCount() const;
    /// \return requests the NAT refused or never answered
    uint64_t GetRefusedCount() const;
    /// \return messages failed with 503 because a mapping was refused
    uint64_t GetFailedMessageCount() const;
    /// \return mappings released (deleted at the NAT)
    uint64_t GetReleasedCount() const;
    /// \return calls with mappings now
    std::size_t GetCallCount() const;

    /**
     * \brief Fixes the stream of the PCP nonces.
     * \return 1
     */
    int64_t AssignStreams(int64_t stream);

    /// Signature of the Granted and Released traces: inside and public endpoint.
    typedef void (*MappingTracedCallback)(Ipv4Address inside,
                                          uint16_t insidePort,
                                          Ipv4Address outside,
                                          uint16_t outsidePort);
    /// Signature of the Refused trace: inside endpoint and PCP result (255: no answer).
    typedef void (*RefusedTracedCallback)(Ipv4Address inside, uint16_t port, uint8_t result);

  protected:
    void DoDispose() override;

  private:
    using Endpoint = std::pair<uint32_t, uint16_t>; //!< inside address, port

    struct Granted
    {
        PcpClient::Mapping mapping;
        Ipv4Address publicAddress;
        uint16_t publicPort{0};
        std::set<std::string> calls; //!< Call-IDs using it
        EventId refresh;
    };

    struct Held
    {
        std::optional<SipMessage> message; //!< SipMessage has no default constructor
        std::string callId;
        std::set<Endpoint> waiting;
        SendFunction send;
        FailFunction fail;
        bool failed{false};
    };

    struct Pending
    {
        PcpClient::Mapping mapping;
        uint32_t attempt{0};
        uint32_t lifetime{0};
        EventId timer;
        bool refresh{false}; //!< a refresh of a granted mapping (nobody waits)
        std::vector<std::shared_ptr<Held>> held;
    };

    bool IsInside(Ipv4Address a) const;
    std::set<Endpoint> InsideEndpoints(const SipMessage& m) const;
    void Rewrite(SipMessage& m) const;
    void Request(const Endpoint& e, bool refresh);
    void Transmit(const Endpoint& e);
    void Timeout(Endpoint e);
    void HandleRead(Ptr<Socket> socket);
    void Resolve(const Endpoint& e, std::optional<PcpClient::Answer> answer);
    void Release(const std::string& callId);
    void ScheduleRefresh(const Endpoint& e, uint32_t lifetime);
    void Delete(const Endpoint& e);

    Time m_lifetime;
    uint32_t m_maxRetransmissions;
    Ptr<Node> m_node;
    Ptr<Socket> m_socket;
    Ipv4Address m_server;
    uint16_t m_serverPort;
    std::unique_ptr<PcpClient> m_client;
    Ptr<UniformRandomVariable> m_random;
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> m_inside;
    std::map<Endpoint, Granted> m_granted;
    std::map<std::pair<uint32_t, uint16_t>, Endpoint> m_byPublic;
    std::map<Endpoint, Pending> m_pending;
    std::map<std::string, std::set<Endpoint>> m_calls;
    std::size_t m_peak{0};
    uint64_t m_grantedCount{0};
    uint64_t m_refused{0};
    uint64_t m_failedMessages{0};
    uint64_t m_released{0};

    TracedCallback<Ipv4Address, uint16_t, Ipv4Address, uint16_t> m_grantedTrace;
    TracedCallback<Ipv4Address, uint16_t, Ipv4Address, uint16_t> m_releasedTrace;
    TracedCallback<Ipv4Address, uint16_t, uint8_t> m_refusedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_CALL_NAT_BINDER_H */
