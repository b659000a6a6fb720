/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_HOME_GATEWAY_H
#define APARTMENT_VOIP_HOME_GATEWAY_H

#include "ns3/call-nat-binder.h"
#include "ns3/call-router.h"
#include "ns3/registrar.h"
#include "ns3/sip-proxy.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A flat's home gateway: registration proxy and forking proxy of its terminals.
 *
 * Terminals of the flat register here; the gateway keeps their bindings (Registrar) and
 * registers each number upstream with itself as contact, so the gatekeeper sends the
 * flat's calls here. A call from upstream to the household number (…-0 or without the last
 * digit) rings every registered terminal at once; a terminal number rings that terminal
 * only; calls from terminals go to the gatekeeper. REGISTER from upstream is refused (403);
 * REGISTER without a usable To or Contact, or with a malformed expiry, gets 400.
 * A terminal's binding here is added, refreshed or removed only when the gatekeeper's 2xx
 * to its REGISTER comes back (the gatekeeper authenticates it); a final error forgets the
 * request and leaves any earlier binding alone, so a terminal that claims a flat-mate's
 * number (wrong credentials) neither takes nor removes the flat-mate's binding.
 *
 * With a NAT of its own (double NAT, SetCallNatBinder) the gateway does for its flat what
 * the gatekeeper does for the complex: messages to the gatekeeper go through the binder,
 * which maps the terminals' Contact and media by PCP and rewrites Contact and SDP with the
 * NAT's public endpoints; requests coming back to those endpoints get the terminal's.
 */
class HomeGateway : public SipProxy
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    HomeGateway();
    ~HomeGateway() override;

    /// \return the numbers (digits) registered here now
    std::vector<std::string> GetRegisteredUsers() const;
    /**
     * \brief Double NAT: messages to the gatekeeper go through \p binder, which asks the
     * gateway's own NAT (PCP) for the media mappings of the flat's terminals and rewrites
     * Contact and SDP (see CallNatBinder).
     */
    void SetCallNatBinder(Ptr<CallNatBinder> binder);
    /// \return the binder set by SetCallNatBinder, or null
    Ptr<CallNatBinder> GetCallNatBinder() const;

  protected:
    void StartApplication() override;
    Decision Route(const SipMessage& request, const SipStack::Peer& from) override;
    void OnRegister(const SipMessage& request, const SipStack::Peer& from) override;
    void PrepareOutgoing(SipMessage message,
                         const SipStack::Peer& to,
                         std::function<void(const SipMessage&)> send,
                         std::function<void(uint16_t)> fail) override;
    void AdjustInDialogTarget(SipMessage& request) override;
    void OnRelayedResponse(const SipMessage& response) override;
    void DoDispose() override;

  private:
    /// A REGISTER relayed upstream: its binding waits for the gatekeeper's answer.
    struct PendingRegistration
    {
        PhoneNumber number; //!< the number registered
        SipContact contact; //!< the terminal's contact
        uint32_t seconds;   //!< lifetime asked for (0: de-registration)
        Time arrived;       //!< when the (last copy of the) REGISTER arrived
    };

    Ptr<CallNatBinder> m_binder;
    Ipv4Address m_upstream;
    uint16_t m_upstreamPort;
    std::string m_household;
    Time m_maxExpires;
    PhoneNumber m_householdNumber;
    std::unique_ptr<Registrar> m_registrar;
    std::unique_ptr<CallRouter> m_router;
    /// (Call-ID, CSeq) -> relayed REGISTER waiting for the gatekeeper's final response
    std::map<std::pair<std::string, uint32_t>, PendingRegistration> m_pending;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_HOME_GATEWAY_H */
