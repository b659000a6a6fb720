/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/service-queue.h"

#include <algorithm>

namespace ns3
{
namespace apartment
{

ServiceQueue::ServiceQueue(uint32_t limit)
    : m_limit(limit)
{
}

void
ServiceQueue::Advance(Time now) const
{
    while (!m_ends.empty() && m_ends.front() <= now)
    {
        m_ends.pop_front();
    }
}

bool
ServiceQueue::IsFull(Time now) const
{
    return m_limit > 0 && GetLength(now) >= m_limit;
}

std::optional<Time>
ServiceQueue::Arrive(Time now, Time service, bool refusable)
{
    Advance(now);
    if (refusable && IsFull(now))
    {
        return std::nullopt;
    }
    Time start = m_ends.empty() ? now : std::max(now, m_ends.back());
    Time end = start + std::max(service, Time(0));
    m_ends.push_back(end);
    m_busy += end - start;
    return end;
}

uint32_t
ServiceQueue::GetLength(Time now) const
{
    Advance(now);
    return static_cast<uint32_t>(m_ends.size());
}

uint32_t
ServiceQueue::GetLimit() const
{
    return m_limit;
}

void
ServiceQueue::SetLimit(uint32_t limit)
{
    m_limit = limit;
}

Time
ServiceQueue::GetBusyTime(Time now) const
{
    // Service still to come after now is not busy time yet.
    Time pending(0);
    if (!m_ends.empty() && m_ends.back() > now)
    {
        pending = m_ends.back() - now;
    }
    return m_busy - pending;
}

} // namespace apartment
} // namespace ns3
