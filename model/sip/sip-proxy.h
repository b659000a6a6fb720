/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_PROXY_H
#define APARTMENT_VOIP_SIP_PROXY_H

#include "ns3/application.h"
#include "ns3/call-nat-binder.h"
#include "ns3/ipv4-address.h"
#include "ns3/sip-stack.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A record-routing, transaction-stateful SIP proxy (RFC 3261 §16) that can fork.
 *
 * An initial INVITE gets 100 Trying, then goes to every target Route() returns, each as
 * its own client transaction; provisional responses go up at once, the first 2xx goes up
 * and the branches still pending get CANCEL; when every branch failed, the best final
 * response goes up (6xx first, then the lowest class). In-dialog requests follow their
 * Route headers and responses their Via headers without state. Subclasses decide targets
 * (Route) and registrations (OnRegister).
 */
class SipProxy : public Application
{
  public:
    static TypeId GetTypeId();
    SipProxy();
    ~SipProxy() override;

    uint64_t GetMalformedCount() const;
    /// \return INVITEs forwarded to more than one target
    uint64_t GetForkCount() const;
    /// \return INVITEs being set up now (forwarded, no final response yet)
    uint32_t GetPendingCallCount() const;

  protected:
    /// Where a request goes next.
    struct Target
    {
        SipStack::Peer peer;
        std::string requestUri;
    };

    /// Targets of an initial INVITE, or the failure code to answer (404, 480, ...).
    struct Decision
    {
        std::vector<Target> targets;
        uint16_t code{0};
    };

    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    virtual Decision Route(const SipMessage& invite, const SipStack::Peer& from) = 0;
    virtual void OnRegister(const SipMessage& request, const SipStack::Peer& from) = 0;
    /// \brief Last changes to an INVITE before it leaves for \p target.
    virtual void AdjustForwardedInvite(SipMessage& invite, const SipStack::Peer& from);
    /// \return the address this proxy gives \p peer for itself (Via, Record-Route)
    virtual Ipv4Address GetAdvertisedAddress(Ipv4Address peer) const;
    /// \brief Last changes to any message before it leaves for \p to (e.g. NAT rewriting).
    virtual void AdjustOutgoing(SipMessage& message, const SipStack::Peer& to);
    /**
     * \brief Every forwarded message goes out through here: AdjustOutgoing, then \p send.
     * A subclass may hold the message (e.g. until the NAT has mapped its media) and send it
     * later, or call \p fail with a status code instead.
     */
    virtual void PrepareOutgoing(SipMessage message,
                                 const SipStack::Peer& to,
                                 std::function<void(const SipMessage&)> send,
                                 std::function<void(uint16_t)> fail);

    /// \return where responses to \p request go (its top Via), or \p from
    static SipStack::Peer ResponsePeer(const SipMessage& request, const SipStack::Peer& from);
    /// \brief Adds our Via (and decrements Max-Forwards) and sends without state.
    void ForwardStateless(SipMessage request, const SipStack::Peer& to);
    SipStack& GetStack();

    TracedCallback<const std::string&, const std::string&> m_routeTrace; //!< number, outcome

  private:
    struct Branch;
    struct ServerCall;

    void OnRequest(const SipMessage& m, const SipStack::Peer& from);
    void OnStatelessResponse(const SipMessage& m, const SipStack::Peer& from);
    void OnInvite(const SipMessage& m, const SipStack::Peer& from);
    void OnCancel(const SipMessage& m, const SipStack::Peer& from);
    void ForwardInDialog(SipMessage m, const SipStack::Peer& from);
    void OnBranchResponse(std::shared_ptr<ServerCall> call, std::size_t index, const SipMessage* r);
    void CancelBranch(Branch& branch);
    bool IsOwnUri(const std::string& nameAddr) const;

    uint16_t m_port;
    Time m_t1;
    uint32_t m_maxPendingCalls;
    std::unique_ptr<SipStack> m_stack;
    std::map<std::string, std::shared_ptr<ServerCall>> m_calls; //!< by upstream branch
    uint64_t m_forks{0};

    TracedCallback<const std::string&> m_txTrace;
    TracedCallback<const std::string&> m_rxTrace;
    TracedCallback<const std::string&, const std::string&> m_dropTrace;
};

/**
 * \ingroup apartment-voip
 * \brief A flat's home gateway: registration proxy and forking proxy of its terminals.
 *
 * Terminals register here; the gateway keeps their bindings and registers each number
 * upstream with itself as contact, so the gatekeeper sends the flat's calls here. A call
 * from upstream to the household number (…-0 or without the last digit) rings every
 * registered terminal at once; a terminal number rings that terminal only; calls from
 * terminals go to the gatekeeper.
 */
class HomeGateway : public SipProxy
{
  public:
    static TypeId GetTypeId();
    /// \return the numbers (digits) registered here now
    std::vector<std::string> GetRegisteredUsers() const;

  protected:
    Decision Route(const SipMessage& invite, const SipStack::Peer& from) override;
    void OnRegister(const SipMessage& request, const SipStack::Peer& from) override;

  private:
    struct Binding
    {
        SipStack::Peer contact;
        Time expires;
    };

    Ipv4Address m_upstream;
    std::string m_household;
    std::map<std::string, Binding> m_bindings; //!< by user digits
};

/**
 * \ingroup apartment-voip
 * \brief The complex's call server (or the outside network's): registrar and proxy.
 *
 * Maps numbers of its own prefix to registered contacts (a terminal's registration also
 * makes the household number reach the same gateway), sends other numbers to the
 * gatekeeper of the longest matching prefix (AddRoute), and puts the calling number in a
 * P-Asserted-Identity header. Fails calls with 404 (no such number), 480 (known but not
 * registered), or 483 (loop).
 */
class Gatekeeper : public SipProxy
{
  public:
    static TypeId GetTypeId();
    /// \brief Numbers starting with \p prefix (digits) go to the gatekeeper at \p address.
    void AddRoute(const std::string& prefix, Ipv4Address address);
    /// \brief Declares a number that exists (answers 480 rather than 404 when unregistered).
    void AddSubscriber(const std::string& number);
    /**
     * \brief Sets how inside addresses look from outside (e.g. static NAT rules): messages
     * sent to a routed peer get their Contact hosts and SDP c=/o= addresses translated.
     * The callback returns the outside address, or the same or 0.0.0.0 for none.
     */
    void SetAddressTranslator(Callback<Ipv4Address, Ipv4Address> translate);
    /**
     * \brief The reverse of SetAddressTranslator: requests sent inside whose Request-URI
     * host is an outside address of an inside host (a translated Contact that an outside
     * peer now targets with ACK or BYE) get the inside address, so they do not depend on
     * the NAT's hairpinning. The callback returns the inside address, or 0.0.0.0 for none.
     */
    void SetInboundTranslator(Callback<Ipv4Address, Ipv4Address> translate);
    /**
     * \brief Pool and NAPT modes: messages that cross the NAT go through \p binder, which
     * asks the NAT (PCP) for their media mappings and rewrites them (see CallNatBinder).
     */
    void SetCallNatBinder(Ptr<CallNatBinder> binder);
    /// \return true if \p user (digits) has a binding that has not expired
    bool IsRegistered(const std::string& user) const;
    std::size_t GetBindingCount() const;

  protected:
    Decision Route(const SipMessage& invite, const SipStack::Peer& from) override;
    void OnRegister(const SipMessage& request, const SipStack::Peer& from) override;
    void AdjustForwardedInvite(SipMessage& invite, const SipStack::Peer& from) override;
    Ipv4Address GetAdvertisedAddress(Ipv4Address peer) const override;
    void AdjustOutgoing(SipMessage& message, const SipStack::Peer& to) override;
    void PrepareOutgoing(SipMessage message,
                         const SipStack::Peer& to,
                         std::function<void(const SipMessage&)> send,
                         std::function<void(uint16_t)> fail) override;
    void DoDispose() override;

  private:
    struct Binding
    {
        SipStack::Peer contact;
        Time expires;
    };

    bool IsRoutedPeer(Ipv4Address address) const;

    Ptr<CallNatBinder> m_binder;

    Callback<Ipv4Address, Ipv4Address> m_translate;
    Callback<Ipv4Address, Ipv4Address> m_untranslate;
    std::string m_prefix;
    Time m_maxExpires;
    Ipv4Address m_publicAddress;
    std::map<std::string, Ipv4Address> m_routes; //!< by digit prefix
    std::set<std::string> m_subscribers;
    std::map<std::string, Binding> m_bindings;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_PROXY_H */
