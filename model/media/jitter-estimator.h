/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_JITTER_ESTIMATOR_H
#define APARTMENT_VOIP_JITTER_ESTIMATOR_H

#include <cstdint>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief RFC 3550 §6.4.1 interarrival jitter: J += (|D(i-1,i)| - J) / 16, in timestamp units.
 *
 * D is computed from the differences of arrivals and of timestamps, the latter modulo 2^32,
 * so a stream whose random initial timestamp wraps (RFC 3550 §5.1) keeps a true jitter.
 */
class JitterEstimator
{
  public:
    /**
     * \param arrival arrival time in RTP timestamp units (seconds x clock rate)
     * \param rtpTimestamp the packet's RTP timestamp
     */
    void Update(double arrival, uint32_t rtpTimestamp);
    /// \return the jitter in timestamp units
    double GetJitter() const;

  private:
    bool m_first{true};
    double m_lastArrival{0};
    uint32_t m_lastTimestamp{0};
    double m_jitter{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_JITTER_ESTIMATOR_H */
