/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_COMMAND_LINE_VALUES_H
#define APARTMENT_VOIP_COMMAND_LINE_VALUES_H

#include "ns3/nstime.h"

#include <optional>
#include <sstream>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Reads a time such as "20ms", "1.5s", "300" (seconds) without aborting.
 *
 * ns-3's Time(std::string) stops the program on bad input; examples take times as strings
 * and read them with this so that a typo gives a clear message and exit status 2.
 *
 * \param text the value the user gave
 * \param error receives what is wrong when the result is empty
 * \return the time, or nothing if \p text is not a number with an optional unit
 *         (s, ms, us, ns, min, h)
 */
std::optional<Time> ParseTime(const std::string& text, std::string* error = nullptr);

/**
 * \ingroup apartment-voip
 * \brief The ns-3 scheduler TypeId name for a short name given on a command line.
 *
 * \param name map, heap, calendar, list or priority (ns3::MapScheduler, HeapScheduler,
 *        CalendarScheduler, ListScheduler, PriorityQueueScheduler)
 * \param error receives what is wrong when the result is empty
 * \return the TypeId name, or nothing for any other name
 */
std::optional<std::string> SchedulerTypeName(const std::string& name, std::string* error = nullptr);

/**
 * \ingroup apartment-voip
 * \brief Sets ns-3's global SchedulerType to the scheduler \p name (see SchedulerTypeName).
 *
 * The scheduler is global to the simulation: programs (examples, experiments, benchmarks)
 * choose it with this before they build anything; the library never calls it.
 *
 * \return an error message, empty on success (the global value is then set)
 */
std::string SetGlobalScheduler(const std::string& name);

/// \return the TypeId name of the scheduler the global SchedulerType names now
std::string GetGlobalScheduler();

/**
 * \ingroup apartment-voip
 * \brief Reads a time option and checks that it lies in [\p min, \p max].
 *
 * The examples' and experiments' one way to read a time from the command line.
 *
 * \param option the option name without dashes, e.g. "duration"
 * \param text the value the user gave
 * \param min smallest value accepted
 * \param max largest value accepted
 * \param rule the range as the error states it, e.g. "must be 5s to 86400s"
 * \param error receives "--option: <why it is not a time>" or "--option <rule>"
 * \return the time, or nothing if \p text is not a time or lies outside the range
 */
std::optional<Time> ReadTime(const std::string& option,
                             const std::string& text,
                             Time min,
                             Time max,
                             const std::string& rule,
                             std::string* error);

/**
 * \ingroup apartment-voip
 * \brief Checks a count or rate option: "--option VALUE must be MIN to MAX[ unit]".
 *
 * NaN is outside every range. Integers print as integers (unsigned 8-bit ones too).
 *
 * \param option the option name without dashes, e.g. "wanLoss"
 * \param value the value read
 * \param min smallest value accepted
 * \param max largest value accepted
 * \param unit said after the range, e.g. "per hour" (empty: nothing)
 * \return an empty string if \p value lies in [\p min, \p max], else the error
 */
template <typename T>
std::string
CheckRange(const std::string& option, T value, T min, T max, const std::string& unit = "")
{
    if (value >= min && value <= max)
    {
        return "";
    }
    std::ostringstream os;
    os << "--" << option << " " << +value << " must be " << +min << " to " << +max;
    if (!unit.empty())
    {
        os << " " << unit;
    }
    return os.str();
}

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_COMMAND_LINE_VALUES_H */
