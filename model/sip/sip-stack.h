/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_STACK_H
#define APARTMENT_VOIP_SIP_STACK_H

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/sip-message.h"
#include "ns3/sip-transaction.h"
#include "ns3/socket.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Transport and transaction layers of a SIP element over one UDP socket.
 *
 * Owned by an application (SipTerminal, SipProxy). It parses every datagram (malformed
 * ones are counted and reported, never passed on; a malformed request that can still be
 * answered gets 400 with a reason phrase saying what is wrong, or 505 for another SIP
 * version, RFC 3261 §21.4.1), refuses what no element of the module serves (416 for a
 * Request-URI scheme other than sip:, §8.2.2.1 and §16.3; 420 with Unsupported for an
 * option in Require at a UA or Proxy-Require at a proxy, §8.2.2.3, §16.3), runs the client
 * transactions it is given (retransmissions by Timer A/E, timeouts by Timer B/F, ACK of non-2xx
 * finals), and the server side: it answers retransmitted requests with the last response,
 * retransmits final responses to INVITE until the ACK (Timer G/H), and absorbs the ACK of non-2xx
 * finals. What is left goes to the owner's handlers.
 */
class SipStack
{
  public:
    /// An IPv4 transport address.
    struct Peer
    {
        /// IPv4 address.
        Ipv4Address address;
        /// UDP port.
        uint16_t port{5060};
    };

    /// Receives a request, or a response no transaction owns, and its source.
    using MessageHandler = std::function<void(const SipMessage&, const Peer& from)>;
    /// Final outcome of a non-INVITE request: the response, or null after Timer F.
    using FinalHandler = std::function<void(const SipMessage* response)>;
    /// Every response an INVITE client transaction passes up; null after Timer B.
    using InviteHandler = std::function<void(const SipMessage* response)>;
    /// Traces the text of a message sent or received.
    using TextTrace = std::function<void(const std::string& text)>;
    /// Traces a dropped datagram: its text and what was wrong.
    using DropTrace = std::function<void(const std::string& text, const std::string& error)>;

    /// \param node the node to open the socket on
    /// \param timers T1, T2, T4 of the transactions
    SipStack(Ptr<Node> node, SipTimers timers);
    ~SipStack();
    SipStack(const SipStack&) = delete;
    SipStack& operator=(const SipStack&) = delete;

    /**
     * \brief Binds the UDP port.
     * \param port the UDP port to listen on
     * \param requests receives new requests
     * \param responses receives responses no client transaction of this stack owns
     * (stateless proxying)
     */
    void Open(uint16_t port, MessageHandler requests, MessageHandler responses);
    /// \brief Closes the socket and cancels every timer.
    void Close();
    /// \brief Sets the traces of messages sent, received and dropped (any may be empty).
    /// \param tx called with each message sent
    /// \param rx called with each valid message received
    /// \param drop called with each malformed datagram and the reason
    void SetTraces(TextTrace tx, TextTrace rx, DropTrace drop);
    /// A datagram that is not SIP (e.g. a NAT traversal message multiplexed on the SIP
    /// port); returns true if it took the datagram.
    using ForeignHandler = std::function<bool(Ptr<Packet> datagram, const Address& from)>;
    /// \brief Offers every received datagram to \p handler before SIP parsing.
    void SetForeignHandler(ForeignHandler handler);
    /// \return the bound UDP socket (null before Open), e.g. to send traversal messages
    /// from the SIP port so that they share its NAT mapping
    Ptr<Socket> GetSocket() const;
    /**
     * \brief Says whether the owner is a proxy: then Proxy-Require is checked against the
     * supported options; otherwise (a UA, the default) Require is.
     */
    void SetProxyRole(bool proxy);
    /// \return the options this stack supports (RFC 3261 option-tags); none today
    static const std::vector<std::string>& GetSupportedOptions();
    /// \return the response peer of \p request: its top Via's sent-by, else \p from
    static Peer ResponsePeer(const SipMessage& request, const Peer& from);
    /**
     * \brief Puts \p gate between parsing and the transaction layer (e.g. a processing
     * queue): every valid message goes to it, and it calls Deliver when the message is
     * processed. Without a gate a message is delivered at once.
     */
    void SetIngress(MessageHandler gate);
    /// \brief Passes a received message to the transaction layer and the owner.
    void Deliver(const SipMessage& message, const Peer& from);
    /// \return true if \p request repeats one a server transaction here already holds
    bool IsRetransmission(const SipMessage& request) const;

    /// \brief Sends a message once.
    void Send(const SipMessage& message, const Peer& to);
    /// \brief Sends a non-INVITE request as a client transaction (keyed by its top branch).
    void SendNonInvite(const SipMessage& request, const Peer& to, FinalHandler done);
    /// \brief Sends an INVITE as a client transaction; ACKs non-2xx finals itself.
    void SendInvite(const SipMessage& invite, const Peer& to, InviteHandler handler);
    /// \brief Stops retransmitting an INVITE (e.g. after CANCEL) without ending it.
    void StopInviteRetransmissions(const std::string& branch);
    /**
     * \brief Drops the non-INVITE client transaction of \p method with top branch \p branch
     * at once: no more retransmissions and no callback (e.g. a REGISTER whose Via and Contact
     * name an address the node no longer has: a retransmission would restore a stale
     * binding).
     */
    void AbandonClientTransaction(const std::string& branch, const std::string& method);
    /**
     * \brief Sends a response to \p request and keeps it for retransmitted requests.
     *
     * A final response to INVITE is retransmitted (T1 doubling to T2) until the ACK:
     * a non-2xx's ACK is absorbed here; for a 2xx the owner calls AckReceived. \p noAck
     * runs if Timer H expires first.
     */
    void Respond(const SipMessage& request,
                 const SipMessage& response,
                 const Peer& to,
                 std::function<void()> noAck = nullptr);
    /// \brief The ACK of a 2xx sent for the INVITE with top branch \p inviteBranch arrived.
    void AckReceived(const std::string& inviteBranch);
    /**
     * \brief A proxy forwarded a 2xx for \p invite upstream itself (statelessly, RFC 3261
     * §16.7): its server transaction is Accepted (RFC 6026) and is forgotten 64 T1 + T4
     * later instead of at the bound for one that never got a final response.
     */
    void InviteAccepted(const SipMessage& invite);

    /// \return the local address packets to \p destination leave from (0.0.0.0 if none)
    Ipv4Address GetLocalAddressFor(Ipv4Address destination) const;
    /// \return true if \p address is one of the node's addresses
    bool IsLocalAddress(Ipv4Address address) const;
    /// \return a new RFC 3261 branch ("z9hG4bK" + unique text)
    std::string NewBranch();
    /// \return a new tag or Call-ID part, unique within the run
    std::string NewToken();

    /// \return datagrams that did not parse (answered with 400/505 or dropped)
    uint64_t GetMalformedCount() const;
    /// \return malformed requests answered with 400 or 505
    uint64_t GetAnsweredMalformedCount() const;
    /// \return well-formed requests refused here with 416 or 420
    uint64_t GetRefusedCount() const;
    /// \return requests and responses retransmitted
    uint64_t GetRetransmissionCount() const;

  private:
    struct ClientTxn;
    struct ServerTxn;

    void HandleRead(Ptr<Socket> socket);
    void Receive(const SipMessage& message, const Peer& from);
    /// \return true if the stack answered \p request itself (416, 420)
    bool RefuseUnsupported(const SipMessage& request, const Peer& from);
    void ArmClient(const std::string& key);
    void OnClientRetransmit(const std::string& key);
    void OnClientTimeout(const std::string& key);
    void OnServerRetransmit(const std::string& key);
    /// Drops the server transaction \p key \p after from now, with its timers.
    void ExpireServerLater(const std::string& key, Time after);
    void OnServerTimeout(const std::string& key);
    void SendAckFor(const ClientTxn& txn, const SipMessage& response);

    Ptr<Node> m_node;
    SipTimers m_timers;
    Ptr<Socket> m_socket;
    MessageHandler m_requests;
    MessageHandler m_responses;
    MessageHandler m_ingress;
    TextTrace m_tx;
    TextTrace m_rx;
    DropTrace m_drop;
    ForeignHandler m_foreign;
    uint64_t m_counter{0};
    uint64_t m_malformed{0};
    uint64_t m_answeredMalformed{0};
    uint64_t m_refused{0};
    bool m_proxy{false};
    uint64_t m_retransmissions{0};
    std::map<std::string, std::unique_ptr<ClientTxn>> m_clients; //!< by branch + method
    std::map<std::string, std::unique_ptr<ServerTxn>> m_servers; //!< by branch + method
};

/// \return "host:port" as a Peer, port 5060 if absent; nothing if the host is not IPv4
std::optional<SipStack::Peer> ToPeer(const std::string& host, uint16_t port);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_STACK_H */
