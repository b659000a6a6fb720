/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/jitter-estimator.h"

#include <cmath>

namespace ns3
{
namespace apartment
{

void
JitterEstimator::Update(double arrival, uint32_t rtpTimestamp)
{
    if (m_first)
    {
        m_first = false;
    }
    else
    {
        // Timestamps wrap modulo 2^32: their signed difference is the elapsed media time.
        const auto elapsed = static_cast<int32_t>(rtpTimestamp - m_lastTimestamp);
        const double d = std::fabs((arrival - m_lastArrival) - static_cast<double>(elapsed));
        m_jitter += (d - m_jitter) / 16.0;
    }
    m_lastArrival = arrival;
    m_lastTimestamp = rtpTimestamp;
}

double
JitterEstimator::GetJitter() const
{
    return m_jitter;
}

} // namespace apartment
} // namespace ns3
