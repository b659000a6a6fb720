/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_PROXY_H
#define APARTMENT_VOIP_SIP_PROXY_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/random-variable-stream.h"
#include "ns3/service-queue.h"
#include "ns3/sip-stack.h"
#include "ns3/traced-callback.h"

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
 * \brief A record-routing, transaction-stateful SIP proxy (RFC 3261 §16) that can fork.
 *
 * An initial INVITE gets 100 Trying, then goes to every target Route() returns, each as
 * its own client transaction; provisional responses go up at once, the first 2xx goes up
 * and the branches still pending get CANCEL; when every branch failed, the best final
 * response goes up (6xx first, then the lowest class). In-dialog requests follow their
 * Route headers and responses their Via headers without state. Subclasses decide targets
 * (Route) and registrations (OnRegister).
 *
 * Other out-of-dialog requests to a number are routed as INVITEs are (to the first target)
 * and forwarded without state, whatever their method: a proxy does not need to know a
 * method to forward it (RFC 3261 §16.6). A request with no user part names the proxy
 * itself, which then answers as a UAS: OPTIONS 200, methods it knows but does not serve
 * 405 with Allow, others 501.
 *
 * Processing model: every valid message received takes ServiceTime of one server, in
 * arrival order (ServiceQueue); while QueueLimit messages are in the proxy, a new request
 * gets a stateless 503 with Retry-After (a retransmission of a request already in hand is
 * dropped instead), while responses and ACK are always queued. The delay is what makes
 * the user agents retransmit (Timer A/E) under load. A constant zero ServiceTime (the
 * default) bypasses the queue: messages are handled the moment they arrive.
 */
class SipProxy : public Application
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    SipProxy();
    ~SipProxy() override;

    /// \return datagrams dropped as malformed
    uint64_t GetMalformedCount() const;
    /// \return INVITEs forwarded to more than one target
    uint64_t GetForkCount() const;
    /// \return INVITEs being set up now (forwarded, no final response yet)
    uint32_t GetPendingCallCount() const;
    /// \return messages that went through the processing queue
    uint64_t GetProcessedCount() const;
    /// \return requests answered 503 because the queue was full
    uint64_t GetOverloadCount() const;
    /// \return retransmitted requests dropped because the queue was full
    uint64_t GetOverloadDropCount() const;
    /// \return requests answered 482 because they came back to this proxy (RFC 3261 §16.3)
    uint64_t GetLoopCount() const;
    /// \return retransmitted requests this proxy's transactions answered again
    uint64_t GetRetransmissionCount() const;
    /// \return the time the processing queue's server has been busy so far
    Time GetBusyTime() const;
    /**
     * \brief Fixes the random stream of the service time.
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// Signature of Tx and Rx: the text of the SIP message.
    typedef void (*MessageTracedCallback)(const std::string& text);
    /// Signature of Drop: the text of the malformed datagram and why it was dropped.
    typedef void (*DropTracedCallback)(const std::string& text, const std::string& reason);
    /// Signature of Route: the called number and the outcome ("forward N" or the failure code).
    typedef void (*RouteTracedCallback)(const std::string& number, const std::string& outcome);
    /// Signature of QueueLength: messages in the proxy (waiting or in service).
    typedef void (*QueueLengthTracedCallback)(uint32_t length);
    /// Signature of Overload: the request refused with 503 (method, Call-ID).
    typedef void (*OverloadTracedCallback)(const std::string& method, const std::string& callId);

  protected:
    /// Where a request goes next.
    struct Target
    {
        /// Next hop.
        SipStack::Peer peer;
        /// Request-URI the forwarded request carries.
        std::string requestUri;
    };

    /// Targets of an initial request, or the failure code to answer (404, 480, ...).
    struct Decision
    {
        /// Where to fork the request (empty: answer \c code).
        std::vector<Target> targets;
        /// Failure code when there is no target.
        uint16_t code{0};
        std::string reason; //!< reason phrase of \p code, saying what is wrong
    };

    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    /// \brief Where an initial request (INVITE, or another method to a number) goes.
    virtual Decision Route(const SipMessage& request, const SipStack::Peer& from) = 0;
    /// \brief A REGISTER arrived: the subclass answers it (registrar) or forwards it.
    virtual void OnRegister(const SipMessage& request, const SipStack::Peer& from) = 0;
    /**
     * \brief An initial INVITE is about to be routed: a subclass may answer it instead
     * (e.g. 407 to ask for credentials). \return false if it answered
     */
    virtual bool AdmitInvite(const SipMessage& invite, const SipStack::Peer& from);
    /// \brief Last changes to an INVITE before it leaves for \p target.
    virtual void AdjustForwardedInvite(SipMessage& invite, const SipStack::Peer& from);
    /// \return the address this proxy gives \p peer for itself (Via, Record-Route)
    virtual Ipv4Address GetAdvertisedAddress(Ipv4Address peer) const;
    /// \brief Last changes to any message before it leaves for \p to (e.g. NAT rewriting).
    virtual void AdjustOutgoing(SipMessage& message, const SipStack::Peer& to);
    /**
     * \brief Every forwarded message goes out through here: AdjustOutgoing, then \p send.
     * A subclass may hold the message (e.g. until the NAT has mapped its media) and send it
     * later, or call \p fail with a status code instead.
     */
    virtual void PrepareOutgoing(SipMessage message,
                                 const SipStack::Peer& to,
                                 std::function<void(const SipMessage&)> send,
                                 std::function<void(uint16_t)> fail);
    /// \brief An INVITE this proxy forwarded failed: \p code went upstream.
    virtual void OnInviteFailed(const SipMessage& invite, uint16_t code);
    /// \brief An in-dialog request (e.g. BYE) is being forwarded.
    virtual void OnInDialogRequest(const SipMessage& request);
    /**
     * \brief An in-dialog request has no Route left: its Request-URI is the next hop. A
     * subclass may change it first (e.g. a NAT's public endpoint back to the inside one).
     */
    virtual void AdjustInDialogTarget(SipMessage& request);
    /**
     * \brief A response to a request this proxy forwarded without state (e.g. the
     * gatekeeper's answer to a relayed REGISTER) is about to be relayed back: a subclass
     * may act on its outcome.
     */
    virtual void OnRelayedResponse(const SipMessage& response);

    /// \return where responses to \p request go (its top Via), or \p from
    static SipStack::Peer ResponsePeer(const SipMessage& request, const SipStack::Peer& from);
    /// \brief Adds our Via (and decrements Max-Forwards) and sends without state.
    void ForwardStateless(SipMessage request, const SipStack::Peer& to);
    /// \return the SIP stack (transactions, socket) of this proxy
    SipStack& GetStack();
    /// \return the SIP port this proxy listens on (its Port attribute)
    uint16_t GetPort() const;
    /// \brief Answers \p request with \p code and a reason phrase saying what is wrong.
    void Reject(const SipMessage& request,
                const SipStack::Peer& from,
                uint16_t code,
                const std::string& reason);

    TracedCallback<const std::string&, const std::string&> m_routeTrace; //!< number, outcome

  private:
    struct Branch;
    struct ServerCall;

    /// A valid message arrived: queue it (or refuse it) for its service time.
    void OnArrival(const SipMessage& m, const SipStack::Peer& from);
    void SetQueueLimit(uint32_t limit);
    uint32_t GetQueueLimit() const;
    /// Its service ended: the stack and this proxy handle it.
    void Serve(SipMessage m, SipStack::Peer from);
    void OnRequest(const SipMessage& m, const SipStack::Peer& from);
    void OnStatelessResponse(const SipMessage& m, const SipStack::Peer& from);
    void OnInvite(const SipMessage& m, const SipStack::Peer& from);
    void OnCancel(const SipMessage& m, const SipStack::Peer& from);
    /// Out-of-dialog requests other than INVITE, CANCEL, REGISTER and ACK.
    void OnOtherRequest(const SipMessage& m, const SipStack::Peer& from);
    /// Answers a request addressed to the proxy itself (no user part).
    void AnswerAsUas(const SipMessage& m, const SipStack::Peer& from);
    void ForwardInDialog(SipMessage m, const SipStack::Peer& from);
    void OnBranchResponse(std::shared_ptr<ServerCall> call, std::size_t index, const SipMessage* r);
    /**
     * \brief Drops \p call from the table \p after from now (if still there): its copies of
     * the INVITE and branch requests are the bulk of a proxy's per-call memory. A call is
     * kept 64*T1 after its final response (RFC 6026 Timers L and M: no retransmission of the
     * INVITE or CANCEL can refer to it after that), or 300 s if it never gets one.
     */
    void ForgetCall(const std::shared_ptr<ServerCall>& call, Time after);
    void CancelBranch(Branch& branch);
    bool IsOwnUri(const std::string& nameAddr) const;
    /// \return true if \p request looped back here (not a spiral); counts it
    bool IsLooped(const SipMessage& request);

    uint16_t m_port;
    Time m_t1;
    uint32_t m_maxPendingCalls;
    Ptr<RandomVariableStream> m_serviceTime;
    uint32_t m_queueLimit{1000};
    uint32_t m_retryAfter;
    std::unique_ptr<ServiceQueue> m_queue; //!< null: zero service time, no queue
    uint64_t m_processed{0};
    uint64_t m_overloads{0};
    uint64_t m_overloadDrops{0};
    std::unique_ptr<SipStack> m_stack;
    std::map<std::string, std::shared_ptr<ServerCall>> m_calls; //!< by upstream branch
    uint64_t m_forks{0};
    uint64_t m_loops{0};

    TracedCallback<const std::string&> m_txTrace;
    TracedCallback<const std::string&> m_rxTrace;
    TracedCallback<const std::string&, const std::string&> m_dropTrace;
    TracedCallback<uint32_t> m_queueLengthTrace;
    TracedCallback<const std::string&, const std::string&> m_overloadTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_PROXY_H */
