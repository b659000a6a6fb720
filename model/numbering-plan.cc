/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/numbering-plan.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace ns3
{
namespace apartment
{

namespace
{

bool
AllDigits(std::string_view s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

uint16_t
ToSerial(std::string_view s)
{
    uint16_t v = 0;
    for (char c : s)
    {
        v = static_cast<uint16_t>(v * 10 + (c - '0'));
    }
    return v;
}

std::string
Quote(std::string_view s)
{
    return "'" + std::string(s) + "'";
}

} // namespace

std::string
CheckPrefix(std::string_view prefix)
{
    if (prefix.empty())
    {
        return "the number prefix is empty; it must be 1 to " +
               std::to_string(NumberingPlan::MAX_PREFIX_DIGITS) + " digits";
    }
    if (!AllDigits(prefix))
    {
        return "the number prefix " + Quote(prefix) + " must contain only digits 0-9";
    }
    if (prefix.size() > NumberingPlan::MAX_PREFIX_DIGITS)
    {
        return "the number prefix " + Quote(prefix) + " is longer than " +
               std::to_string(NumberingPlan::MAX_PREFIX_DIGITS) + " digits";
    }
    return "";
}

NumberingPlan::NumberingPlan(std::string prefix)
    : m_prefix(std::move(prefix))
{
    std::string err = CheckPrefix(m_prefix);
    if (!err.empty())
    {
        throw std::invalid_argument(err);
    }
}

const std::string&
NumberingPlan::GetPrefix() const
{
    return m_prefix;
}

std::optional<PhoneNumber>
NumberingPlan::Parse(std::string_view text, std::string* error) const
{
    auto fail = [&](const std::string& why) -> std::optional<PhoneNumber> {
        if (error)
        {
            *error = "bad phone number " + Quote(text) + ": " + why;
        }
        return std::nullopt;
    };
    const std::string format = m_prefix + "-BBBB-RRRR[-T]";
    if (text.empty())
    {
        return fail("it is empty; expected " + format);
    }
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        char c = text[i];
        if (!(c >= '0' && c <= '9') && c != '-')
        {
            return fail(std::string("character ") + Quote(std::string_view(&c, 1)) +
                        " at position " + std::to_string(i + 1) +
                        " is not a digit or a dash; expected " + format);
        }
    }

    std::string_view prefix;
    std::string_view building;
    std::string_view flat;
    std::string_view terminal;
    if (text.find('-') != std::string_view::npos)
    {
        std::vector<std::string_view> groups;
        std::size_t start = 0;
        while (true)
        {
            std::size_t dash = text.find('-', start);
            groups.push_back(
                text.substr(start, dash == std::string_view::npos ? dash : dash - start));
            if (dash == std::string_view::npos)
            {
                break;
            }
            start = dash + 1;
        }
        if (groups.size() != 3 && groups.size() != 4)
        {
            return fail("it has " + std::to_string(groups.size()) +
                        " dash-separated groups; expected 3 or 4 (" + format + ")");
        }
        for (std::size_t i = 0; i < groups.size(); ++i)
        {
            if (groups[i].empty())
            {
                return fail("group " + std::to_string(i + 1) + " is empty; expected " + format);
            }
        }
        prefix = groups[0];
        building = groups[1];
        flat = groups[2];
        terminal = groups.size() == 4 ? groups[3] : std::string_view("0");
        if (building.size() != 4)
        {
            return fail("building serial " + Quote(building) + " must have 4 digits");
        }
        if (flat.size() != 4)
        {
            return fail("flat serial " + Quote(flat) + " must have 4 digits");
        }
        if (terminal.size() != 1)
        {
            return fail("terminal part " + Quote(terminal) + " must be one digit 0-9");
        }
    }
    else
    {
        std::size_t p = m_prefix.size();
        if (text.size() != p + 8 && text.size() != p + 9)
        {
            return fail("it has " + std::to_string(text.size()) + " digits; expected " +
                        std::to_string(p + 8) + " (household) or " + std::to_string(p + 9) +
                        " (terminal) for " + format);
        }
        prefix = text.substr(0, p);
        building = text.substr(p, 4);
        flat = text.substr(p + 4, 4);
        terminal = text.size() == p + 9 ? text.substr(p + 8, 1) : std::string_view("0");
    }

    if (prefix != m_prefix)
    {
        return fail("prefix " + Quote(prefix) + " is not this plan's prefix " + Quote(m_prefix));
    }
    return PhoneNumber(m_prefix,
                       ToSerial(building),
                       ToSerial(flat),
                       static_cast<uint8_t>(terminal[0] - '0'));
}

PhoneNumber
NumberingPlan::ParseOrThrow(std::string_view text) const
{
    std::string error;
    auto n = Parse(text, &error);
    if (!n)
    {
        throw std::invalid_argument(error);
    }
    return *n;
}

bool
NumberingPlan::BelongsToPlan(std::string_view text) const
{
    return Parse(text).has_value();
}

PhoneNumber
NumberingPlan::Make(uint16_t building, uint16_t flat, uint8_t terminal) const
{
    return PhoneNumber(m_prefix, building, flat, terminal);
}

} // namespace apartment
} // namespace ns3
