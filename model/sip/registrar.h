/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_REGISTRAR_H
#define APARTMENT_VOIP_REGISTRAR_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/numbering-plan.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Where a registered number is reached: IPv4 address and UDP port.
 */
struct SipContact
{
    Ipv4Address address; //!< contact host
    uint16_t port{0};    //!< contact port

    /// \return true if address and port are equal
    bool operator==(const SipContact& o) const
    {
        return address == o.address && port == o.port;
    }

    /// \return true if address or port differ
    bool operator!=(const SipContact& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup apartment-voip
 * \brief The location service of a SIP registrar (RFC 3261 §10.3), with no scheduler: the
 * caller passes the current time.
 *
 * One binding per number (a new contact replaces the old one: a terminal whose address
 * changed is reached at its new address only). A household number (T = 0) has no binding
 * of its own unless it registered itself: it is reachable while any terminal of its flat
 * has a binding, at that terminal's contact (the gatekeeper's view, where every terminal
 * of a flat has its home gateway as contact); FindFlat() gives every terminal of the flat
 * (the home gateway's view, which rings them all).
 */
class Registrar
{
  public:
    /// A number's contact and when it lapses.
    struct Binding
    {
        PhoneNumber number; //!< the registered number
        SipContact contact; //!< where it is reached
        Time expires;       //!< absolute time the binding lapses
    };

    /// What a REGISTER asked for, read from its Contact parameter and Expires header.
    struct Expiry
    {
        uint32_t seconds{0}; //!< granted lifetime (0: de-registration)
        std::string error;   //!< empty, or what is wrong with the value (then: answer 400)
    };

    /// What Update() did.
    enum class Outcome
    {
        ADDED,     //!< a new binding
        REFRESHED, //!< same contact, new expiry
        REPLACED,  //!< another contact replaced the old one
        REMOVED,   //!< de-registration of a binding
        NOT_BOUND  //!< de-registration of a number with no binding (nothing to do)
    };

    /**
     * \param plan numbering plan of the numbers registered here
     * \param defaultExpires lifetime granted when the request names none
     * \param maxExpires longest lifetime granted (longer requests are shortened)
     */
    explicit Registrar(NumberingPlan plan,
                       Time defaultExpires = Seconds(3600),
                       Time maxExpires = Seconds(3600));

    /// \return the numbering plan whose numbers may register
    const NumberingPlan& GetPlan() const;
    /// \param t the lifetime granted to a REGISTER without Expires
    void SetDefaultExpires(Time t);
    /// \param t the longest lifetime granted (longer requests are cut)
    void SetMaxExpires(Time t);

    /**
     * \brief The one parser of a REGISTER's lifetime: the Contact's expires parameter, else
     * the Expires header, else the default; clamped to the maximum.
     *
     * A value that is not 1-10 decimal digits (or does not fit in 32 bits) is an error,
     * never a silent default: the request is refused (400) rather than granted a lifetime
     * it did not ask for.
     * \param contactParam the Contact's expires parameter, empty if absent
     * \param header the Expires header, empty if absent
     */
    Expiry ReadExpires(const std::string& contactParam, const std::string& header) const;

    /**
     * \brief Adds, refreshes or replaces the binding of \p number, or removes it when
     * \p seconds is 0.
     */
    Outcome Update(const PhoneNumber& number, SipContact contact, uint32_t seconds, Time now);

    /**
     * \return the live binding of \p number; for a household number without a binding of
     * its own, the live binding of its flat's terminal that lapses last (its contact
     * reaches the flat)
     */
    std::optional<Binding> Find(const PhoneNumber& number, Time now) const;
    /// \return the live bindings of the terminals (T = 1..9) of \p flat, by number
    std::vector<Binding> FindFlat(FlatId flat, Time now) const;
    /// \return true if \p number (terminal or household) is reachable now
    bool IsReachable(const PhoneNumber& number, Time now) const;
    /// \return the live bindings, by number
    std::vector<Binding> GetBindings(Time now) const;
    /// \brief Forgets bindings that have lapsed. \return how many
    std::size_t RemoveExpired(Time now);

  private:
    NumberingPlan m_plan;
    Time m_defaultExpires;
    Time m_maxExpires;
    std::map<PhoneNumber, Binding> m_bindings;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_REGISTRAR_H */
