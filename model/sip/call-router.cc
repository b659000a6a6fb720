/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/call-router.h"

#include "ns3/sip-message.h"

namespace ns3
{
namespace apartment
{

CallRouter::CallRouter(NumberingPlan plan)
    : m_plan(std::move(plan))
{
}

const NumberingPlan&
CallRouter::GetPlan() const
{
    return m_plan;
}

std::string
CallRouter::AddRoute(const std::string& prefix, Ipv4Address address, uint16_t port)
{
    std::string digits = SipDigits(prefix);
    std::string error = CheckPrefix(digits.empty() ? prefix : digits);
    if (!error.empty())
    {
        return "route: " + error;
    }
    if (port == 0)
    {
        return "route for prefix " + digits + ": port 0";
    }
    m_routes[digits] = Route{address, port};
    return "";
}

bool
CallRouter::IsRouteTarget(Ipv4Address address, uint16_t port) const
{
    for (const auto& [prefix, route] : m_routes)
    {
        if (route.address == address && (port == 0 || route.port == port))
        {
            return true;
        }
    }
    return false;
}

CallRouter::Decision
CallRouter::Decide(const std::string& dialled) const
{
    Decision d;
    d.digits = SipDigits(dialled);
    if (d.digits.empty())
    {
        d.kind = Kind::MALFORMED;
        d.reason = "'" + dialled + "' is not a phone number";
        return d;
    }
    const std::string& own = m_plan.GetPrefix();
    const std::pair<const std::string, Route>* best = nullptr;
    for (const auto& route : m_routes)
    {
        if (d.digits.compare(0, route.first.size(), route.first) == 0 &&
            (!best || route.first.size() > best->first.size()))
        {
            best = &route;
        }
    }
    bool ownPrefix = d.digits.compare(0, own.size(), own) == 0;
    if (best && (!ownPrefix || best->first.size() > own.size()))
    {
        d.kind = Kind::ROUTE;
        d.gatekeeper = best->second.address;
        d.port = best->second.port;
        return d;
    }
    if (ownPrefix)
    {
        std::string error;
        auto number = m_plan.Parse(d.digits, &error);
        if (!number)
        {
            d.kind = Kind::MALFORMED;
            d.reason = error;
            return d;
        }
        d.kind = Kind::LOCAL;
        d.number = *number;
        return d;
    }
    d.kind = Kind::NOT_FOUND;
    d.reason = "no route for number " + d.digits;
    return d;
}

} // namespace apartment
} // namespace ns3
