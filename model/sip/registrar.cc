/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/registrar.h"

#include <algorithm>
#include <limits>

namespace ns3
{
namespace apartment
{

Registrar::Registrar(NumberingPlan plan, Time defaultExpires, Time maxExpires)
    : m_plan(std::move(plan)),
      m_defaultExpires(defaultExpires),
      m_maxExpires(maxExpires)
{
}

const NumberingPlan&
Registrar::GetPlan() const
{
    return m_plan;
}

void
Registrar::SetDefaultExpires(Time t)
{
    m_defaultExpires = t;
}

void
Registrar::SetMaxExpires(Time t)
{
    m_maxExpires = t;
}

Registrar::Expiry
Registrar::ReadExpires(const std::string& contactParam, const std::string& header) const
{
    const uint64_t max = static_cast<uint64_t>(std::max<int64_t>(0, m_maxExpires.GetSeconds()));
    Expiry out;
    const std::string& value = !contactParam.empty() ? contactParam : header;
    const char* source = !contactParam.empty() ? "Contact expires parameter" : "Expires header";
    uint64_t requested = static_cast<uint64_t>(std::max<int64_t>(0, m_defaultExpires.GetSeconds()));
    if (!value.empty())
    {
        // RFC 3261 §20.19: delta-seconds, 1*DIGIT; we take up to 32 bits.
        bool digits = value.size() <= 10 && std::all_of(value.begin(), value.end(), [](char c) {
                          return c >= '0' && c <= '9';
                      });
        if (!digits || std::stoull(value) > std::numeric_limits<uint32_t>::max())
        {
            out.error = std::string(source) + " '" + value + "' is not a number of seconds";
            return out;
        }
        requested = std::stoull(value);
    }
    out.seconds = static_cast<uint32_t>(std::min(requested, max));
    return out;
}

Registrar::Outcome
Registrar::Update(const PhoneNumber& number, SipContact contact, uint32_t seconds, Time now)
{
    auto it = m_bindings.find(number);
    bool live = it != m_bindings.end() && it->second.expires > now;
    if (seconds == 0)
    {
        if (it == m_bindings.end())
        {
            return Outcome::NOT_BOUND;
        }
        m_bindings.erase(it);
        return live ? Outcome::REMOVED : Outcome::NOT_BOUND;
    }
    Binding b{number, contact, now + Seconds(seconds)};
    if (!live)
    {
        m_bindings[number] = b;
        return Outcome::ADDED;
    }
    bool same = it->second.contact == contact;
    it->second = b;
    return same ? Outcome::REFRESHED : Outcome::REPLACED;
}

std::optional<Registrar::Binding>
Registrar::Find(const PhoneNumber& number, Time now) const
{
    auto it = m_bindings.find(number);
    if (it != m_bindings.end() && it->second.expires > now)
    {
        return it->second;
    }
    if (!number.IsHousehold() || number.GetPrefix() != m_plan.GetPrefix())
    {
        return std::nullopt;
    }
    std::optional<Binding> best;
    for (const auto& b : FindFlat(number.GetFlatId(), now))
    {
        if (!best || b.expires > best->expires)
        {
            best = b;
        }
    }
    return best;
}

std::vector<Registrar::Binding>
Registrar::FindFlat(FlatId flat, Time now) const
{
    std::vector<Binding> out;
    // Numbers sort by prefix, building, flat, terminal: the flat's are contiguous.
    PhoneNumber first = m_plan.Make(flat.building, flat.flat, 1);
    for (auto it = m_bindings.lower_bound(first);
         it != m_bindings.end() && it->first.GetPrefix() == m_plan.GetPrefix() &&
         it->first.GetFlatId() == flat;
         ++it)
    {
        if (it->second.expires > now && !it->first.IsHousehold())
        {
            out.push_back(it->second);
        }
    }
    return out;
}

bool
Registrar::IsReachable(const PhoneNumber& number, Time now) const
{
    return Find(number, now).has_value();
}

std::vector<Registrar::Binding>
Registrar::GetBindings(Time now) const
{
    std::vector<Binding> out;
    for (const auto& [number, b] : m_bindings)
    {
        if (b.expires > now)
        {
            out.push_back(b);
        }
    }
    return out;
}

std::size_t
Registrar::RemoveExpired(Time now)
{
    std::size_t n = 0;
    for (auto it = m_bindings.begin(); it != m_bindings.end();)
    {
        if (it->second.expires <= now)
        {
            it = m_bindings.erase(it);
            ++n;
        }
        else
        {
            ++it;
        }
    }
    return n;
}

} // namespace apartment
} // namespace ns3
