/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_TERMINAL_H
#define APARTMENT_VOIP_SIP_TERMINAL_H

#include "ns3/application.h"
#include "ns3/call-metrics.h"
#include "ns3/e-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/random-variable-stream.h"
#include "ns3/sip-stack.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <memory>
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
 * sends and receives RTP for the whole call.
 *
 * One call at a time: a new INVITE while a call exists gets 486 Busy Here. Requests leave
 * through the outbound proxy (its home gateway, or the outside gatekeeper for a remote
 * phone); when no proxy is configured, the default router is used, and a terminal with no
 * address yet retries its registration every RetryInterval. Calls are placed by Dial() or
 * by a Poisson traffic model (CallRate, HoldingTime, destinations added by AddDestination).
 */
class SipTerminal : public Application
{
  public:
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
    /// \brief Adds a number the traffic model may call.
    void AddDestination(const std::string& number);
    /**
     * \brief Fixes the random streams (ring time, holding time, call attempts, destination).
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    bool IsRegistered() const;
    bool IsBusy() const;
    /// \return the number in digits (SIP user part)
    std::string GetUser() const;
    uint64_t GetMalformedCount() const;
    uint64_t GetRetransmissionCount() const;

    /// Signature of CallEnded.
    typedef void (*CallRecordTracedCallback)(const CallRecord& record);
    /// Signature of Registered: the Contact address and the lifetime the registrar granted
    /// (zero: a de-registration was accepted).
    typedef void (*RegisteredTracedCallback)(Ipv4Address contact, Time expires);
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
    void SendRegister(Ipv4Address own,
                      const SipStack::Peer& proxy,
                      Time expires,
                      std::function<void(const SipMessage*)> done);
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
    void SendRtp(std::shared_ptr<Call> call);
    void HandleRtp(Ptr<Socket> socket);
    void OpenVideoSocket(Call& call);
    void SendVideo(std::shared_ptr<Call> call);
    void HandleVideo(Ptr<Socket> socket);
    void Finish(std::shared_ptr<Call> call, uint16_t finalCode);
    SipStack::Peer ViaPeer(const SipMessage& m, const SipStack::Peer& from) const;

    // attributes
    std::string m_number;
    std::string m_user;
    Ipv4Address m_proxy;
    uint16_t m_port;
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
    Time m_deregisterWait;

    // state
    std::unique_ptr<SipStack> m_stack;
    std::vector<std::string> m_destinations;
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
    EventId m_trafficEvent;
    std::shared_ptr<Call> m_call;
    uint16_t m_nextRtpPort;

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
