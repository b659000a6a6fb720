/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-transaction.h"

#include <algorithm>

namespace ns3
{
namespace apartment
{

ClientTransaction::ClientTransaction(Kind kind, SipTimers timers)
    : m_kind(kind),
      m_timers(timers),
      m_interval(timers.t1)
{
}

Time
ClientTransaction::Start()
{
    m_state = State::CALLING;
    m_interval = m_timers.t1;
    return m_interval;
}

Time
ClientTransaction::GetTimeout() const
{
    return 64 * m_timers.t1;
}

std::optional<Time>
ClientTransaction::OnRetransmitTimer()
{
    if (m_state == State::CALLING)
    {
        ++m_retransmissions;
        m_interval =
            m_kind == Kind::INVITE ? 2 * m_interval : std::min(2 * m_interval, m_timers.t2);
        return m_interval;
    }
    if (m_state == State::PROCEEDING && m_kind == Kind::NON_INVITE)
    {
        ++m_retransmissions;
        m_interval = m_timers.t2;
        return m_interval;
    }
    return std::nullopt;
}

bool
ClientTransaction::OnTimeout()
{
    // An INVITE that is ringing waits for the callee (or the caller's CANCEL), not Timer B.
    if (m_state == State::CALLING || (m_state == State::PROCEEDING && m_kind == Kind::NON_INVITE))
    {
        m_state = State::TERMINATED;
        return true;
    }
    return false;
}

ClientTransaction::ResponseAction
ClientTransaction::OnResponse(uint16_t code)
{
    ResponseAction a;
    bool provisional = code < 200;
    switch (m_state)
    {
    case State::CALLING:
    case State::PROCEEDING:
        a.passUp = true;
        if (provisional)
        {
            m_state = State::PROCEEDING;
            // INVITE stops at the first provisional; non-INVITE goes on every T2 (Timer E).
            a.stopRetransmit = m_kind == Kind::INVITE;
        }
        else
        {
            a.stopRetransmit = true;
            if (m_kind == Kind::INVITE && code < 300)
            {
                m_state = State::TERMINATED; // the UA core ACKs 2xx itself
            }
            else
            {
                m_state = State::COMPLETED;
                a.sendAck = m_kind == Kind::INVITE;
                a.linger = m_kind == Kind::INVITE ? Seconds(32) : m_timers.t4;
            }
        }
        break;
    case State::COMPLETED:
        // A retransmitted final response: ACK it again, tell nobody.
        a.sendAck = m_kind == Kind::INVITE && !provisional;
        break;
    case State::TERMINATED:
        // 2xx retransmissions go to the UA core, which ACKs them end to end.
        a.passUp = m_kind == Kind::INVITE && code >= 200 && code < 300;
        break;
    }
    return a;
}

void
ClientTransaction::OnLingerEnd()
{
    m_state = State::TERMINATED;
}

ClientTransaction::State
ClientTransaction::GetState() const
{
    return m_state;
}

ClientTransaction::Kind
ClientTransaction::GetKind() const
{
    return m_kind;
}

uint32_t
ClientTransaction::GetRetransmissions() const
{
    return m_retransmissions;
}

ServerInviteTransaction::ServerInviteTransaction(SipTimers timers)
    : m_timers(timers),
      m_interval(timers.t1)
{
}

Time
ServerInviteTransaction::OnFinalResponseSent()
{
    m_finalSent = true;
    m_interval = m_timers.t1;
    return m_interval;
}

Time
ServerInviteTransaction::GetTimeout() const
{
    return 64 * m_timers.t1;
}

std::optional<Time>
ServerInviteTransaction::OnRetransmitTimer()
{
    if (!m_finalSent || m_acked)
    {
        return std::nullopt;
    }
    m_interval = std::min(2 * m_interval, m_timers.t2);
    return m_interval;
}

void
ServerInviteTransaction::OnAck()
{
    m_acked = true;
}

bool
ServerInviteTransaction::OnTimeout()
{
    return m_finalSent && !m_acked;
}

bool
ServerInviteTransaction::IsAcknowledged() const
{
    return m_acked;
}

} // namespace apartment
} // namespace ns3
