/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_TRANSACTION_H
#define APARTMENT_VOIP_SIP_TRANSACTION_H

#include "ns3/nstime.h"

#include <optional>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief RFC 3261 §17 timer base values.
 */
struct SipTimers
{
    Time t1{MilliSeconds(500)}; //!< round-trip estimate
    Time t2{Seconds(4)};        //!< longest retransmit interval of non-INVITE and 2xx
    Time t4{Seconds(5)};        //!< longest time a message stays in the network
};

/**
 * \ingroup apartment-voip
 * \brief Client transaction state machine of RFC 3261 §17.1 (INVITE and non-INVITE) over
 * an unreliable transport, without a clock: the caller schedules the times it returns.
 *
 * Start() gives the first retransmission interval (Timer A or E) and the timeout (Timer B
 * or F, 64 T1). INVITE retransmissions double without limit until a response; non-INVITE
 * ones double up to T2, and continue every T2 after a provisional response.
 */
class ClientTransaction
{
  public:
    /// INVITE (Timers A, B, D) or non-INVITE (Timers E, F, K) transaction.
    enum class Kind
    {
        INVITE,
        NON_INVITE,
    };

    /// Client transaction states (RFC 3261 Figures 5 and 6).
    enum class State
    {
        CALLING,    //!< request sent, nothing heard (Trying for non-INVITE)
        PROCEEDING, //!< provisional response heard
        COMPLETED,  //!< final response heard, absorbing retransmissions
        TERMINATED,
    };

    /// What the owner does with a response.
    struct ResponseAction
    {
        bool passUp{false};         //!< give the response to the transaction user
        bool sendAck{false};        //!< send ACK (INVITE, non-2xx final)
        bool stopRetransmit{false}; //!< cancel the retransmission timer
        std::optional<Time> linger; //!< Timer D/K: keep absorbing this long, then end
    };

    /// \param kind INVITE or non-INVITE
    /// \param timers T1, T2, T4
    ClientTransaction(Kind kind, SipTimers timers = SipTimers());

    /// \return the interval to the first retransmission (Timer A or E)
    Time Start();
    /// \return the timeout of the whole transaction (Timer B or F)
    Time GetTimeout() const;
    /**
     * \brief The retransmission timer fired: the owner resends the request if a value is
     * returned, then schedules the timer again after that value.
     */
    std::optional<Time> OnRetransmitTimer();
    /**
     * \brief Timer B/F fired. \return true if the transaction timed out (report 408); a
     * ringing INVITE (provisional heard) does not time out
     */
    bool OnTimeout();
    /// \brief A response with \p code arrived.
    ResponseAction OnResponse(uint16_t code);
    /// \brief Timer D/K fired.
    void OnLingerEnd();

    /// \return the current state
    State GetState() const;
    /// \return INVITE or non-INVITE
    Kind GetKind() const;
    /// \return retransmissions so far
    uint32_t GetRetransmissions() const;

  private:
    Kind m_kind;
    SipTimers m_timers;
    State m_state{State::CALLING};
    Time m_interval;
    uint32_t m_retransmissions{0};
};

/**
 * \ingroup apartment-voip
 * \brief Retransmission of a final response to an INVITE until the ACK (RFC 3261 §17.2.1
 * Timer G and H for non-2xx, §13.3.1.4 for 2xx: same doubling up to T2, give up at 64 T1).
 */
class ServerInviteTransaction
{
  public:
    /// \param timers T1, T2 (and Timer H = 64 T1)
    explicit ServerInviteTransaction(SipTimers timers = SipTimers());

    /// \brief A final response was sent. \return the interval to its first retransmission
    Time OnFinalResponseSent();
    /// \return Timer H (64 T1)
    Time GetTimeout() const;
    /// \brief Timer G fired: resend and reschedule after the value, or stop if none
    std::optional<Time> OnRetransmitTimer();
    /// \brief The ACK arrived: no more retransmissions.
    void OnAck();
    /// \brief Timer H fired. \return true if no ACK came (the dialog should end)
    bool OnTimeout();
    /// \return true once the ACK arrived
    bool IsAcknowledged() const;

  private:
    SipTimers m_timers;
    Time m_interval;
    bool m_finalSent{false};
    bool m_acked{false};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_TRANSACTION_H */
