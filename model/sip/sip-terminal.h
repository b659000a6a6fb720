/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_TERMINAL_H
#define APARTMENT_VOIP_SIP_TERMINAL_H

#include "ns3/application.h"
#include "ns3/call-metrics.h"
#include "ns3/destination-table.h"
#include "ns3/digest-credentials.h"
#include "ns3/e-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/nat-detection-client.h"
#include "ns3/random-variable-stream.h"
#include "ns3/sip-stack.h"
#include "ns3/stun-client.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A SIP phone (user agent): registers its number, places and answers calls, and
 * sends and receives RTP for the whole call (every packet, or with MediaMode=FlowLevel a
 * sample of one packet in FlowSampleEvery that stands for the stream).
 *
 * One call at a time: a new INVITE while a call exists gets 486 Busy Here. Requests leave
 * through the outbound proxy (its home gateway, or the outside gatekeeper for a remote
 * phone); when no proxy is configured, the default router is used, and a terminal with no
 * address yet retries its registration every RetryInterval. Calls are placed by Dial() or
 * by a Poisson traffic model (CallRate, HoldingTime, callees drawn from a DestinationTable:
 * one shared by SetDestinationTable, or the terminal's own one filled by AddDestination).
 *
 * With a TraversalMode, the phone registers directly with an outside registrar (Proxy):
 * it first learns the public endpoints of its SIP socket and of one RTP socket kept for
 * the run (seed 003 or STUN, sent through those sockets), writes them in Via, Contact and
 * SDP, and keeps both mappings open with keepalives (doc/nat.rst, "Seed 003 serving
 * calls"). Until both are known it neither registers nor dials.
 */
class SipTerminal : public Application
{
  public:
    /// How a call's media is simulated (attribute MediaMode).
    enum MediaMode
    {
        PACKETS,    //!< every RTP packet (one per PacketTime, each way)
        FLOW_LEVEL, //!< one RTP packet in FlowSampleEvery; counts scaled, MOS as usual
    };

    /**
     * How a phone that registers directly with a registrar outside its private network
     * (Proxy: e.g. a public VoIP provider) learns the address it is seen with.
     */
    enum class TraversalMode
    {
        NONE,    //!< registers its own address (through its home gateway as a rule)
        SEED003, //!< seed-003 detection (P1-P5) on the SIP and RTP ports, P6 keepalives
        STUN,    //!< STUN Binding on the SIP and RTP ports, Binding keepalives
    };

    /// \return the object TypeId
    static TypeId GetTypeId();
    SipTerminal();
    ~SipTerminal() override;

    /**
     * \brief Calls \p number; the caller hangs up \p holding after the answer.
     * \return false (and nothing sent) if a call is in progress or there is no address yet
     */
    bool Dial(const std::string& number, Time holding);
    /// \brief Hangs up the current call (BYE if answered, CANCEL if still ringing).
    void Hangup();
    /**
     * \brief Tells the terminal its address changed (e.g. from a DHCP client's
     * AddressChanged trace): with an address it registers at once with the new Contact
     * (an answer to a REGISTER sent from the old address is then ignored); without one it
     * counts as unregistered until the next address. Does nothing after Withdraw().
     */
    void NotifyAddressChanged();
    /**
     * \brief Takes the phone out of service: ends its call, stops the traffic model and,
     * if registered, sends REGISTER with Expires: 0 (RFC 3261 §10.2.2). Calls \p done once
     * the registrar answered or DeregisterWait passed (at once when not registered), so
     * the caller can then release the address (e.g. TerminalDhcpClient::Release).
     */
    void Withdraw(Callback<void> done = MakeNullCallback<void>());
    /// \return true once Withdraw() was called
    bool IsWithdrawn() const;
    /// \return INVITEs refused with 404 because their Request-URI named another number
    uint64_t GetWrongNumberCount() const;
    /**
     * \brief Adds a number the traffic model may call, to this terminal's own table (a
     * shared table set before is copied first, so other terminals do not see it).
     */
    void AddDestination(const std::string& number);
    /**
     * \brief The traffic model draws its callees from \p table, shared read-only with
     * other terminals (replaces earlier destinations).
     */
    void SetDestinationTable(Ptr<const DestinationTable> table);
    /// \return the table the traffic model draws from (null if none)
    Ptr<const DestinationTable> GetDestinationTable() const;
    /**
     * \brief Fixes the random streams (ring time, holding time, call attempts, destination).
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// \return true while the registrar holds a binding of this terminal
    bool IsRegistered() const;
    /// \return true while a call is being set up or in progress
    bool IsBusy() const;
    /// \return the number in digits (SIP user part)
    std::string GetUser() const;
    /// \return datagrams dropped as malformed
    uint64_t GetMalformedCount() const;
    /// \return SIP retransmissions sent (requests and responses)
    uint64_t GetRetransmissionCount() const;
    /// \return requests that stayed challenged (401/407) after one answer, or that were
    /// challenged with no Password to answer
    uint64_t GetAuthFailureCount() const;

    /// \return true once the traversal (TraversalMode) learnt both public endpoints
    bool IsTraversalReady() const;
    /// \return time from start to the later of the two answers, negative if not ready
    Time GetTraversalDetectionTime() const;
    /// \return the public address and SIP and RTP ports learnt (valid when ready)
    Ipv4Address GetPublicAddress() const;
    /// \return the public SIP port learnt (valid when ready)
    uint16_t GetPublicSipPort() const;
    /// \return the public RTP port learnt (valid when ready)
    uint16_t GetPublicRtpPort() const;
    /// \return the detection clients (TraversalMode Seed003), null otherwise
    Ptr<NatDetectionClient> GetSipDetectionClient() const;
    /// \return the RTP socket's detection client (TraversalMode Seed003), null otherwise
    Ptr<NatDetectionClient> GetRtpDetectionClient() const;
    /// \return the STUN clients (TraversalMode Stun), null otherwise
    Ptr<StunClient> GetSipStunClient() const;
    /// \return the RTP socket's STUN client (TraversalMode Stun), null otherwise
    Ptr<StunClient> GetRtpStunClient() const;

    /// Signature of Tx and Rx: the text of the SIP message.
    typedef void (*MessageTracedCallback)(const std::string& text);
    /// Signature of Drop: the text of the malformed datagram and why it was dropped.
    typedef void (*DropTracedCallback)(const std::string& text, const std::string& reason);
    /// Signature of CallerId: the caller's number of an incoming call that rings.
    typedef void (*CallerIdTracedCallback)(const std::string& caller);
    /// Signature of CallEnded.
    typedef void (*CallRecordTracedCallback)(const CallRecord& record);
    /// Signature of TraversalReady: detection time, public address, SIP and RTP ports.
    typedef void (*TraversalReadyTracedCallback)(Time detection,
                                                 Ipv4Address address,
                                                 uint16_t sipPort,
                                                 uint16_t rtpPort);
    /// Signature of Registered: the Contact address and the lifetime the registrar granted
    /// (zero: a de-registration was accepted).
    typedef void (*RegisteredTracedCallback)(Ipv4Address contact, Time expires);
    /// Signature of AuthFailure: the method and the 401/407 that ended it.
    typedef void (*AuthFailureTracedCallback)(const std::string& method, uint16_t code);
    /// Signature of WrongNumber: the Request-URI user (digits) of the refused INVITE.
    typedef void (*WrongNumberTracedCallback)(const std::string& requestUser);

  protected:
    void DoDispose() override;

  private:
    struct Call;

    void StartApplication() override;
    void StopApplication() override;

    Ipv4Address GetOwnAddress() const;
    std::optional<SipStack::Peer> GetProxy() const;
    void Register();
    /// Sends a REGISTER from \p own asking for \p expires; the answer goes to \p done.
    /// Sends REGISTER (with credentials once challenged) and answers one challenge.
    void SendRegister(Ipv4Address own,
                      const SipStack::Peer& proxy,
                      Time expires,
                      std::function<void(const SipMessage*)> done,
                      bool retried = false);
    /// \return the challenge of a 401/407, if it is one this terminal can answer
    std::optional<DigestChallenge> ReadChallenge(const SipMessage& response) const;
    /// Sends the current call's INVITE (again, with credentials, after a challenge).
    void SendInvite(std::shared_ptr<Call> call, const SipStack::Peer& proxy);
    /// A 401/407 could not be answered: counts it.
    void CountAuthFailure(const std::string& method, uint16_t code);
    void OnRegisterResponse(Time sent, uint32_t generation, const SipMessage* response);
    void FinishWithdrawal();
    void ScheduleNextAttempt();
    void TrafficAttempt();

    void OnRequest(const SipMessage& m, const SipStack::Peer& from);
    void OnInviteResponse(const SipMessage* response);
    void OnIncomingInvite(const SipMessage& m, const SipStack::Peer& from);
    void Answer();
    void OnBye(const SipMessage& m, const SipStack::Peer& from);
    void OnCancel(const SipMessage& m, const SipStack::Peer& from);
    /// Builds an in-dialog request (ACK, BYE) of the current call's dialog.
    SipMessage MakeInDialog(const Call& call,
                            const std::string& method,
                            uint32_t cseq,
                            const std::string& remoteTag) const;
    SipStack::Peer GetInDialogPeer(const Call& call) const;
    std::string MakeSdp(const Call& call) const;
    bool ApplyRemoteSdp(Call& call, const std::string& body);
    void StartMedia(Call& call);
    void StopMedia(Call& call);
    void SendRtp(std::weak_ptr<Call> call);
    void HandleRtp(Ptr<Socket> socket);
    void OpenVideoSocket(Call& call);
    void SendVideo(std::weak_ptr<Call> call);
    void HandleVideo(Ptr<Socket> socket);
    void Finish(std::shared_ptr<Call> call, uint16_t finalCode);
    SipStack::Peer ViaPeer(const SipMessage& m, const SipStack::Peer& from) const;

    // Direct registration through NAT traversal (TraversalMode), kept apart from the rest.
    bool IsDirect() const;
    void StartTraversal();
    void StopTraversal();
    void CheckTraversal();
    void OnSeedVerdict(uint32_t userIndex, NatVerdict verdict, Ipv4Address observed);
    void OnStunMapped(Ipv4Address address, uint16_t port, NatVerdict verdict);
    bool OnSipDatagram(Ptr<Packet> datagram);
    void HandleIdleMedia(Ptr<Socket> socket);
    /// The call's RTP socket: its own port, or the traversal's kept media socket.
    void OpenRtpSocket(Call& call);
    void CloseRtpSocket(Call& call);
    /// Address and ports written in Via, Contact and SDP: the public ones when direct.
    Ipv4Address GetContactAddress() const;
    uint16_t GetContactPort() const;
    uint16_t GetAdvertisedRtpPort(uint16_t localPort) const;
    Ipv4Address GetMediaAddress() const;

    // attributes
    std::string m_number;
    std::string m_user;
    Ipv4Address m_proxy;
    uint16_t m_port;
    uint16_t m_proxyPort; //!< SIP port of the outbound proxy
    Time m_registerExpires;
    Time m_retryInterval;
    Ptr<RandomVariableStream> m_ringTime;
    Ptr<RandomVariableStream> m_holdingTime;
    double m_callRate;
    Ptr<ExponentialRandomVariable> m_interArrival;
    Ptr<UniformRandomVariable> m_pick;
    uint8_t m_payloadType;
    Time m_packetTime;
    bool m_autoAnswer;
    bool m_video;
    uint32_t m_videoFrameRate;
    uint32_t m_videoPacketSize;
    Time m_t1;
    uint16_t m_firstRtpPort;
    MediaMode m_mediaMode;
    uint32_t m_flowSampleEvery;
    Time m_deregisterWait;
    std::string m_password;

    // state
    std::unique_ptr<SipStack> m_stack;
    Ptr<const DestinationTable> m_destinations; //!< drawn from; often shared
    Ptr<DestinationTable> m_ownDestinations;    //!< set when AddDestination made a private table
    bool m_registered{false};
    uint32_t m_registerCseq{0};
    std::string m_registerCallId;
    std::string m_registerTag;
    EventId m_registerEvent;
    uint32_t m_registerGeneration{0}; //!< bumped when the address changes
    std::string m_registerBranch;     //!< of the last REGISTER sent
    Ipv4Address m_registeredAddress;  //!< Contact address of the current binding
    bool m_withdrawn{false};
    Callback<void> m_withdrawDone;
    EventId m_withdrawEvent;
    uint64_t m_wrongNumber{0};
    std::optional<DigestChallenge> m_registerChallenge; //!< reused for refreshes
    std::string m_registerAuthHeader;                   //!< Authorization or Proxy-...
    uint32_t m_registerNc{0};                           //!< nonce count of that challenge
    uint64_t m_authFailures{0};
    TracedCallback<const std::string&, uint16_t> m_authFailureTrace;
    EventId m_trafficEvent;
    std::shared_ptr<Call> m_call;
    uint16_t m_nextRtpPort;

    // traversal (TraversalMode)
    int m_traversalMode; //!< TraversalMode (int for EnumValue)
    Ipv4Address m_traversalServer;
    uint16_t m_traversalServerPort;
    uint32_t m_traversalUserIndex;
    Time m_keepaliveInterval;
    Time m_keepaliveStop;
    Ptr<NatDetectionClient> m_seedSip;
    Ptr<NatDetectionClient> m_seedRtp;
    Ptr<StunClient> m_stunSip;
    Ptr<StunClient> m_stunRtp;
    Ptr<Socket> m_mediaSocket; //!< bound to FirstRtpPort for the whole run when direct
    bool m_traversalReady{false};
    Time m_traversalStart;
    Time m_traversalTime{-1};
    Ipv4Address m_publicAddress;
    Ipv4Address m_publicRtpAddress;
    int64_t m_traversalStream{-1};
    uint16_t m_publicSipPort{0};
    uint16_t m_publicRtpPort{0};
    TracedCallback<Time, Ipv4Address, uint16_t, uint16_t> m_traversalReadyTrace;

    TracedCallback<const std::string&> m_txTrace;
    TracedCallback<const std::string&> m_rxTrace;
    TracedCallback<const std::string&, const std::string&> m_dropTrace;
    TracedCallback<Time> m_rrdTrace;
    TracedCallback<Time> m_srdTrace;
    TracedCallback<const std::string&> m_callerIdTrace;
    TracedCallback<const CallRecord&> m_callEndedTrace;
    TracedCallback<Ipv4Address, Time> m_registeredTrace;
    TracedCallback<const std::string&> m_wrongNumberTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_TERMINAL_H */
