/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SCHEDULE_FUNCTION_H
#define APARTMENT_VOIP_SCHEDULE_FUNCTION_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <functional>

namespace ns3
{
namespace apartment
{

/// Runs \p f; the event target of ScheduleFunction.
inline void
RunFunction(const std::function<void()>& f)
{
    f();
}

/**
 * \ingroup apartment-voip
 * \brief Schedules a lambda or any callable after \p delay.
 *
 * ns-3.36 and newer accept a lambda in Simulator::Schedule; ns-3.35 (which this module
 * still builds in) does not, so the module schedules callables through this.
 */
template <typename F>
EventId
ScheduleFunction(const Time& delay, F&& f)
{
    return Simulator::Schedule(delay, &RunFunction, std::function<void()>(std::forward<F>(f)));
}

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SCHEDULE_FUNCTION_H */
