/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/command-line-values.h"

#include "ns3/global-value.h"
#include "ns3/string.h"

#include <cmath>
#include <cstdlib>
#include <regex>

namespace ns3
{
namespace apartment
{

std::optional<Time>
ParseTime(const std::string& text, std::string* error)
{
    static const std::regex pattern(
        R"(^([0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?)(s|ms|us|ns|min|h)?$)");
    std::smatch m;
    if (!std::regex_match(text, m, pattern))
    {
        if (error)
        {
            *error = "'" + text +
                     "' is not a time: write a non-negative number with an optional unit "
                     "s, ms, us, ns, min or h (e.g. 20ms)";
        }
        return std::nullopt;
    }
    const double value = std::strtod(m[1].str().c_str(), nullptr); // inf on overflow
    const std::string unit = m[4].matched ? m[4].str() : "s";
    double seconds = value;
    if (unit == "ms")
    {
        seconds = value * 1e-3;
    }
    else if (unit == "us")
    {
        seconds = value * 1e-6;
    }
    else if (unit == "ns")
    {
        seconds = value * 1e-9;
    }
    else if (unit == "min")
    {
        seconds = value * 60;
    }
    else if (unit == "h")
    {
        seconds = value * 3600;
    }
    if (!std::isfinite(seconds) || seconds > 1e9)
    {
        if (error)
        {
            *error = "'" + text + "' is too large a time";
        }
        return std::nullopt;
    }
    // Integral values in the given unit stay exact (no rounding through double).
    const double whole = std::floor(value);
    if (whole == value && value < 1e15)
    {
        const auto n = static_cast<int64_t>(value);
        if (unit == "ms")
        {
            return MilliSeconds(n);
        }
        if (unit == "us")
        {
            return MicroSeconds(n);
        }
        if (unit == "ns")
        {
            return NanoSeconds(n);
        }
        if (unit == "s")
        {
            return Seconds(n);
        }
    }
    return Seconds(seconds);
}

std::optional<std::string>
SchedulerTypeName(const std::string& name, std::string* error)
{
    static const std::pair<const char*, const char*> kSchedulers[] = {
        {"map", "ns3::MapScheduler"},
        {"heap", "ns3::HeapScheduler"},
        {"calendar", "ns3::CalendarScheduler"},
        {"list", "ns3::ListScheduler"},
        {"priority", "ns3::PriorityQueueScheduler"},
    };
    for (const auto& [shortName, typeName] : kSchedulers)
    {
        if (name == shortName)
        {
            return std::string(typeName);
        }
    }
    if (error)
    {
        *error = "scheduler must be map, heap, calendar, list or priority, not '" + name + "'";
    }
    return std::nullopt;
}

std::string
SetGlobalScheduler(const std::string& name)
{
    std::string error;
    auto type = SchedulerTypeName(name, &error);
    if (!type)
    {
        return error;
    }
    GlobalValue::Bind("SchedulerType", StringValue(*type));
    return "";
}

std::string
GetGlobalScheduler()
{
    StringValue v;
    GlobalValue::GetValueByName("SchedulerType", v);
    return v.Get();
}

std::optional<Time>
ReadTime(const std::string& option,
         const std::string& text,
         Time min,
         Time max,
         const std::string& rule,
         std::string* error)
{
    std::string why;
    std::optional<Time> t = ParseTime(text, &why);
    if (!t)
    {
        if (error)
        {
            *error = "--" + option + ": " + why;
        }
        return std::nullopt;
    }
    if (*t < min || *t > max)
    {
        if (error)
        {
            *error = "--" + option + " " + rule;
        }
        return std::nullopt;
    }
    return t;
}

} // namespace apartment
} // namespace ns3
