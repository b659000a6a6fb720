/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_RTP_SESSION_H
#define APARTMENT_VOIP_RTP_SESSION_H

#include "ns3/jitter-estimator.h"
#include "ns3/nstime.h"
#include "ns3/rtp-header.h"

#include <cstdint>
#include <optional>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief One RTP stream of a call, both ends (RFC 3550): what the sender numbers and
 * stamps, and what the receiver counts. No sockets, no scheduler; SipTerminal uses one for
 * audio and one for video per call.
 *
 * Receiver statistics:
 * - sequence numbers are extended to 32 bits over 16-bit wrap-around (A.1): a packet whose
 *   number is ahead of the highest so far by less than 2^15 becomes the new highest, and
 *   passing 65535 -> 0 adds a cycle; older (reordered) or duplicate packets are counted
 *   but move nothing. The first packet received is the base. (A.1's probation and its
 *   restart after a jump above MAX_DROPOUT are left out: the simulated sender never
 *   restarts, and leaving them out keeps the counts of the first packets.)
 * - loss (A.3): expected = extended highest - base + 1; lost = expected - received, which
 *   duplicates can make negative.
 * - interarrival jitter (A.8): J += (|D| - J) / 16 in timestamp units, reported in ms.
 * - mean one-way delay of the packets whose send time is known.
 */
class RtpSession
{
  public:
    /// \brief Sender: fixes the SSRC and the first sequence number and timestamp.
    void StartSending(uint32_t ssrc, uint16_t firstSequence, uint32_t firstTimestamp = 0);
    /**
     * \brief Sender: the header of the next packet; advances the sequence number (mod
     * 2^16) and the timestamp by \p timestampStep, and counts the packet as sent.
     */
    RtpHeader NextHeader(uint8_t payloadType, uint32_t timestampStep, bool marker);
    /// \return packets numbered by NextHeader()
    uint64_t GetSent() const;
    uint32_t GetSsrc() const;

    /**
     * \brief Receiver: one packet arrived.
     * \param sequence its RTP sequence number
     * \param timestamp its RTP timestamp
     * \param arrival when it arrived
     * \param clockRate the RTP clock of its payload type (8000 for G.711, 90000 video)
     * \param delay its one-way delay, when the send time is known
     */
    void Receive(uint16_t sequence,
                 uint32_t timestamp,
                 Time arrival,
                 double clockRate,
                 std::optional<Time> delay = std::nullopt);
    /// \return packets received (duplicates included, as RFC 3550 counts them)
    uint64_t GetReceived() const;
    /// \return the extended highest sequence number received (cycles + highest)
    uint32_t GetExtendedHighest() const;
    /// \return expected packets: extended highest - first + 1 (0 before the first packet)
    uint64_t GetExpected() const;
    /// \return expected - received (negative with duplicates)
    int64_t GetLost() const;
    /// \return interarrival jitter in ms, at the clock of the last packet (0 before two)
    double GetJitterMs() const;
    /// \return mean one-way delay in ms over the received packets (0 if none)
    double GetMeanDelayMs() const;

  private:
    // sender
    uint32_t m_ssrc{0};
    uint16_t m_nextSequence{0};
    uint32_t m_nextTimestamp{0};
    uint64_t m_sent{0};
    // receiver
    uint64_t m_received{0};
    uint32_t m_baseSequence{0};
    uint32_t m_maxSequence{0};
    uint32_t m_cycles{0}; //!< 65536 times the wrap-arounds
    JitterEstimator m_jitter;
    double m_lastClockRate{8000};
    double m_delaySumMs{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_RTP_SESSION_H */
