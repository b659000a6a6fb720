/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_GATEKEEPER_H
#define APARTMENT_VOIP_GATEKEEPER_H

#include "ns3/call-nat-binder.h"
#include "ns3/call-router.h"
#include "ns3/digest-authenticator.h"
#include "ns3/registrar.h"
#include "ns3/sip-header.h"
#include "ns3/sip-proxy.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The complex's call server (or the outside network's): registrar and proxy.
 *
 * Maps numbers of its own prefix to registered contacts (Registrar: a terminal's
 * registration also makes the household number reach the same gateway), sends other
 * numbers to the gatekeeper of the longest matching prefix (CallRouter, AddRoute), and puts
 * the calling number in a P-Asserted-Identity header. Fails calls with 404 (no such number
 * or malformed), 480 (known but not registered), or 483 (loop); REGISTER for another
 * prefix gets 403, without a usable To or Contact or with a malformed expiry 400.
 *
 * Digest authentication (RFC 3261 §22, RFC 8760): with AuthenticateRegister (the default
 * when the module has libcrypto) a REGISTER without valid credentials gets 401 and a
 * WWW-Authenticate challenge; with AuthenticateInvite an INVITE from a terminal (any peer
 * that is not a routed gatekeeper) gets 407 and a Proxy-Authenticate challenge. The
 * username must be the number the request claims (To of REGISTER, From of INVITE), so a
 * terminal cannot register or call as another number (403). Passwords come from
 * SetPassword, else are derived from CredentialSecret (DigestAuthenticator::DerivePassword).
 */
class Gatekeeper : public SipProxy
{
  public:
    /// \return the object TypeId
    static TypeId GetTypeId();
    Gatekeeper();
    ~Gatekeeper() override;

    /**
     * \brief Numbers starting with \p prefix (digits) go to the gatekeeper at \p address,
     * SIP port \p port. Aborts with a message if the prefix is not 1-6 digits.
     */
    void AddRoute(const std::string& prefix, Ipv4Address address, uint16_t port = SipHeader::PORT);
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
    /// \return true if \p user (digits or dashed) is reachable: a live binding, or for a
    /// household number a live binding of one of its terminals
    bool IsRegistered(const std::string& user) const;
    /// \return the live bindings
    std::size_t GetBindingCount() const;
    /// \return the outside lines (MaxOutsideCalls) taken now
    uint32_t GetOutsideCallCount() const;
    /**
     * \brief Gives \p number (digits or dashed) \p password instead of the one derived from
     * CredentialSecret.
     */
    void SetPassword(const std::string& number, const std::string& password);
    /// \return the password \p number authenticates with here (table, else derived)
    std::string GetPassword(const std::string& number) const;
    /// \return challenges sent (401 and 407)
    uint64_t GetChallengeCount() const;
    /// \return requests refused for their credentials (wrong, replayed, foreign number)
    uint64_t GetAuthFailureCount() const;

    /// Signature of AuthFailure: method, claimed number, what was wrong.
    typedef void (*AuthFailureTracedCallback)(const std::string& method,
                                              const std::string& user,
                                              const std::string& reason);

  protected:
    void StartApplication() override;
    Decision Route(const SipMessage& request, const SipStack::Peer& from) override;
    void OnRegister(const SipMessage& request, const SipStack::Peer& from) override;
    void AdjustForwardedInvite(SipMessage& invite, const SipStack::Peer& from) override;
    Ipv4Address GetAdvertisedAddress(Ipv4Address peer) const override;
    void AdjustOutgoing(SipMessage& message, const SipStack::Peer& to) override;
    void PrepareOutgoing(SipMessage message,
                         const SipStack::Peer& to,
                         std::function<void(const SipMessage&)> send,
                         std::function<void(uint16_t)> fail) override;
    void DoDispose() override;
    void OnInviteFailed(const SipMessage& invite, uint16_t code) override;
    void OnInDialogRequest(const SipMessage& request) override;

    bool AdmitInvite(const SipMessage& invite, const SipStack::Peer& from) override;

  private:
    /**
     * Checks the credentials of \p request for \p user; answers 401/407, 403 or 400 when
     * they are missing or wrong. \return true if authenticated
     */
    bool Authenticate(const SipMessage& request,
                      const SipStack::Peer& from,
                      const std::string& user,
                      bool proxy);
    void SetAuthenticateRegister(bool on);
    bool GetAuthenticateRegister() const;
    void SetAuthenticateInvite(bool on);
    bool GetAuthenticateInvite() const;
    void SetDigestAlgorithm(const std::string& name);
    std::string GetDigestAlgorithm() const;
    /// \return the authenticator, made on first use from the attributes
    DigestAuthenticator& GetAuthenticator();

    /// Route() without the outside-line limit.
    Decision Decide(const SipMessage& request);
    /// NumberPrefix: rebuilds the registrar and router for the new plan (aborts if bad).
    void SetNumberPrefix(const std::string& prefix);
    std::string GetNumberPrefix() const;

    Ptr<CallNatBinder> m_binder;
    Callback<Ipv4Address, Ipv4Address> m_translate;
    Callback<Ipv4Address, Ipv4Address> m_untranslate;
    std::string m_prefix;
    Time m_maxExpires;
    Ipv4Address m_publicAddress;
    std::vector<std::pair<std::string, SipContact>> m_routes; //!< as added, for a new plan
    std::set<std::string> m_subscribers;                      //!< digits
    std::unique_ptr<Registrar> m_registrar;
    std::unique_ptr<CallRouter> m_router;
    uint32_t m_maxOutsideCalls;
    std::set<std::string> m_outsideCalls; //!< Call-IDs holding an outside line
    bool m_authRegister{false};
    bool m_authInvite{false};
    DigestAlgorithm m_algorithm{DigestAlgorithm::Sha256};
    std::string m_realm;
    std::string m_secret;
    Time m_nonceLifetime;
    std::map<std::string, std::string> m_passwords; //!< digits -> password
    std::unique_ptr<DigestAuthenticator> m_authenticator;
    uint64_t m_challenges{0};
    uint64_t m_authFailures{0};
    TracedCallback<const std::string&, const std::string&, const std::string&> m_authFailureTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_GATEKEEPER_H */
