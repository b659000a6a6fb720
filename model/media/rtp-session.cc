/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/rtp-session.h"

namespace ns3
{
namespace apartment
{

void
RtpSession::StartSending(uint32_t ssrc, uint16_t firstSequence, uint32_t firstTimestamp)
{
    m_ssrc = ssrc;
    m_nextSequence = firstSequence;
    m_nextTimestamp = firstTimestamp;
}

RtpHeader
RtpSession::NextHeader(uint8_t payloadType, uint32_t timestampStep, bool marker)
{
    RtpHeader h;
    h.SetPayloadType(payloadType);
    h.SetSequence(m_nextSequence++);
    h.SetTimestamp(m_nextTimestamp);
    h.SetSsrc(m_ssrc);
    h.SetMarker(marker);
    m_nextTimestamp += timestampStep;
    ++m_sent;
    return h;
}

uint64_t
RtpSession::GetSent() const
{
    return m_sent;
}

uint32_t
RtpSession::GetSsrc() const
{
    return m_ssrc;
}

bool
RtpSession::AcceptSource(uint32_t ssrc)
{
    if (!m_source)
    {
        m_source = ssrc;
    }
    if (*m_source != ssrc)
    {
        ++m_otherSource;
        return false;
    }
    return true;
}

uint64_t
RtpSession::GetOtherSourceCount() const
{
    return m_otherSource;
}

void
RtpSession::Receive(uint16_t sequence,
                    uint32_t timestamp,
                    Time arrival,
                    double clockRate,
                    std::optional<Time> delay)
{
    if (m_received == 0)
    {
        m_baseSequence = sequence;
        m_maxSequence = sequence;
    }
    else
    {
        auto max = static_cast<uint16_t>(m_maxSequence);
        auto ahead = static_cast<uint16_t>(sequence - max);
        if (ahead != 0 && ahead < 0x8000)
        {
            if (sequence < max)
            {
                m_cycles += 65536; // passed 65535 -> 0
            }
            m_maxSequence = sequence;
        }
    }
    ++m_received;
    m_jitter.Update(arrival.GetSeconds() * clockRate, timestamp);
    m_lastClockRate = clockRate;
    if (delay)
    {
        m_delaySumMs += delay->GetSeconds() * 1000.0;
    }
}

uint64_t
RtpSession::GetReceived() const
{
    return m_received;
}

uint32_t
RtpSession::GetExtendedHighest() const
{
    return m_cycles + m_maxSequence;
}

uint64_t
RtpSession::GetExpected() const
{
    return m_received == 0 ? 0 : m_cycles + m_maxSequence - m_baseSequence + 1;
}

int64_t
RtpSession::GetLost() const
{
    return static_cast<int64_t>(GetExpected()) - static_cast<int64_t>(m_received);
}

double
RtpSession::GetJitterMs() const
{
    return m_received == 0 ? 0.0 : m_jitter.GetJitter() / m_lastClockRate * 1000.0;
}

double
RtpSession::GetMeanDelayMs() const
{
    return m_received == 0 ? 0.0 : m_delaySumMs / static_cast<double>(m_received);
}

} // namespace apartment
} // namespace ns3
