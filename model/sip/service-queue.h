/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SERVICE_QUEUE_H
#define APARTMENT_VOIP_SERVICE_QUEUE_H

#include "ns3/nstime.h"

#include <cstdint>
#include <deque>
#include <optional>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The message queue of a SIP element: one server, first come first served, a bound
 * on the messages in the element (waiting or in service). No scheduler: the caller passes
 * the time and schedules the completion it gets back.
 */
class ServiceQueue
{
  public:
    /// \param limit messages that may be in the element at once (0: no limit)
    explicit ServiceQueue(uint32_t limit = 0);

    /**
     * \brief A message arrives at \p now and needs \p service of the server.
     * \param now the arrival time
     * \param service the server time the message needs
     * \param refusable false for messages a full queue must still take (responses, ACK)
     * \return when its service ends, or nothing if the queue is full and it is refused
     */
    std::optional<Time> Arrive(Time now, Time service, bool refusable = true);
    /// \return true if a refusable message arriving at \p now would be refused
    bool IsFull(Time now) const;
    /// \return the messages in the element at \p now (waiting or in service)
    uint32_t GetLength(Time now) const;
    /// \return messages that may be in the element at once (0: no limit)
    uint32_t GetLimit() const;
    /// \brief Changes the limit; messages already in stay.
    void SetLimit(uint32_t limit);
    /// \return the time the server has been busy from the first arrival until \p now
    Time GetBusyTime(Time now) const;

  private:
    /// Forgets the messages whose service ended at or before \p now.
    void Advance(Time now) const;

    uint32_t m_limit;
    mutable std::deque<Time> m_ends; //!< service ends of the messages in the element, in order
    Time m_busy;                     //!< total service accepted so far
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SERVICE_QUEUE_H */
