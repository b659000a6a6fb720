/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_CALL_ROUTER_H
#define APARTMENT_VOIP_CALL_ROUTER_H

#include "ns3/ipv4-address.h"
#include "ns3/numbering-plan.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Decides where a dialled number goes, with no scheduler and no registrations.
 *
 * A number of the own prefix is read with the NumberingPlan (household short form
 * PREFIX-BBBB-RRRR, long form PREFIX-BBBB-RRRR-0, terminal PREFIX-BBBB-RRRR-T); any other
 * number goes to the gatekeeper of the longest matching route prefix. A route prefix longer
 * than the own one and matching wins over the own prefix (a more specific route).
 */
class CallRouter
{
  public:
    /// The kinds of decision.
    enum class Kind
    {
        LOCAL,     //!< a number of the own plan: look it up in the Registrar
        ROUTE,     //!< to another gatekeeper
        NOT_FOUND, //!< well-formed digits, but no own number and no route
        MALFORMED  //!< not a number (or an own-prefix number of the wrong shape)
    };

    /// What to do with one dialled number.
    struct Decision
    {
        /// What to do.
        Kind kind{Kind::MALFORMED};
        PhoneNumber number;     //!< LOCAL: the number (IsHousehold() for the household)
        std::string digits;     //!< the dialled number as digits (empty if malformed)
        Ipv4Address gatekeeper; //!< ROUTE: where to send it
        uint16_t port{0};       //!< ROUTE: its SIP port
        std::string reason;     //!< NOT_FOUND, MALFORMED: what is wrong, for a reason phrase
    };

    /// \param plan the numbering plan of the complex the router serves
    explicit CallRouter(NumberingPlan plan);

    /// \return the numbering plan of the served complex
    const NumberingPlan& GetPlan() const;

    /**
     * \brief Numbers starting with \p prefix go to the gatekeeper at \p address : \p port.
     * \return empty on success, else what is wrong (prefix not 1-6 digits... ) and nothing
     * is added
     */
    std::string AddRoute(const std::string& prefix, Ipv4Address address, uint16_t port);
    /// \return true if \p address : \p port (port 0: any port) is the target of a route
    bool IsRouteTarget(Ipv4Address address, uint16_t port = 0) const;

    /// \param dialled a SIP user part or a number as written ("100-1101-1201-1")
    Decision Decide(const std::string& dialled) const;

  private:
    struct Route
    {
        Ipv4Address address;
        uint16_t port;
    };

    NumberingPlan m_plan;
    std::map<std::string, Route> m_routes; //!< by digit prefix
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_CALL_ROUTER_H */
