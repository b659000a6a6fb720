/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/gatekeeper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/sdp.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipGatekeeper");
NS_OBJECT_ENSURE_REGISTERED(Gatekeeper);

namespace
{

std::string
ToText(Ipv4Address a)
{
    std::ostringstream os;
    a.Print(os);
    return os.str();
}

} // namespace

TypeId
Gatekeeper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::Gatekeeper")
            .SetParent<SipProxy>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<Gatekeeper>()
            .AddAttribute(
                "NumberPrefix",
                "Number prefix served here (registrar); other numbers are routed.",
                StringValue("100"),
                MakeStringAccessor(&Gatekeeper::SetNumberPrefix, &Gatekeeper::GetNumberPrefix),
                MakeStringChecker())
            .AddAttribute("MaxExpires",
                          "Longest registration granted (also granted when none is asked).",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&Gatekeeper::m_maxExpires),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("PublicAddress",
                          "Address given to routed peers (other gatekeepers) in Via and "
                          "Record-Route, e.g. the NAT's public address; 0.0.0.0: own address.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&Gatekeeper::m_publicAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("MaxOutsideCalls",
                          "Calls to or from outside the own prefix that may be up at once "
                          "(trunks); more get 503 (0: no limit).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&Gatekeeper::m_maxOutsideCalls),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("AuthenticateRegister",
                          "Challenge REGISTER with 401 (digest authentication). On by default "
                          "when the module has OpenSSL's libcrypto; turning it on without "
                          "libcrypto aborts with a message.",
                          BooleanValue(CryptoAvailable()),
                          MakeBooleanAccessor(&Gatekeeper::SetAuthenticateRegister,
                                              &Gatekeeper::GetAuthenticateRegister),
                          MakeBooleanChecker())
            .AddAttribute("AuthenticateInvite",
                          "Challenge INVITE from terminals (not from routed gatekeepers) with "
                          "407 (digest authentication); needs libcrypto.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&Gatekeeper::SetAuthenticateInvite,
                                              &Gatekeeper::GetAuthenticateInvite),
                          MakeBooleanChecker())
            .AddAttribute("DigestAlgorithm",
                          "Algorithm of the challenges: SHA-256 (RFC 8760) or MD5 (old phones).",
                          StringValue("SHA-256"),
                          MakeStringAccessor(&Gatekeeper::SetDigestAlgorithm,
                                             &Gatekeeper::GetDigestAlgorithm),
                          MakeStringChecker())
            .AddAttribute("Realm",
                          "Realm of the challenges (RFC 3261 §22.1).",
                          StringValue("apartment-voip"),
                          MakeStringAccessor(&Gatekeeper::m_realm),
                          MakeStringChecker())
            .AddAttribute("CredentialSecret",
                          "Secret the terminals' passwords are derived from "
                          "(DigestAuthenticator::DerivePassword; VoipHelper gives each "
                          "terminal its own) and the nonces are keyed with.",
                          StringValue("apartment-voip"),
                          MakeStringAccessor(&Gatekeeper::m_secret),
                          MakeStringChecker())
            .AddAttribute("NonceLifetime",
                          "How long a nonce is accepted; later credentials get a new "
                          "challenge with stale=TRUE.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&Gatekeeper::m_nonceLifetime),
                          MakeTimeChecker(Seconds(1)))
            .AddTraceSource("AuthFailure",
                            "A request was refused for its credentials: method, claimed "
                            "number, what was wrong.",
                            MakeTraceSourceAccessor(&Gatekeeper::m_authFailureTrace),
                            "ns3::apartment::Gatekeeper::AuthFailureTracedCallback");
    return tid;
}

Gatekeeper::Gatekeeper()
    : m_prefix("100"),
      m_registrar(std::make_unique<Registrar>(NumberingPlan(m_prefix))),
      m_router(std::make_unique<CallRouter>(NumberingPlan(m_prefix)))
{
}

Gatekeeper::~Gatekeeper() = default;

void
Gatekeeper::SetNumberPrefix(const std::string& prefix)
{
    std::string error = CheckPrefix(prefix);
    NS_ABORT_MSG_IF(!error.empty(), "Gatekeeper NumberPrefix: " << error);
    m_prefix = prefix;
    NumberingPlan plan(prefix);
    m_registrar = std::make_unique<Registrar>(plan);
    m_router = std::make_unique<CallRouter>(plan);
    for (const auto& [p, c] : m_routes)
    {
        m_router->AddRoute(p, c.address, c.port);
    }
}

std::string
Gatekeeper::GetNumberPrefix() const
{
    return m_prefix;
}

void
Gatekeeper::SetAuthenticateRegister(bool on)
{
    NS_ABORT_MSG_IF(on && !CryptoAvailable(),
                    "Gatekeeper AuthenticateRegister: digest authentication needs OpenSSL's "
                    "libcrypto (libssl-dev), which this build of the module does not have");
    m_authRegister = on;
}

bool
Gatekeeper::GetAuthenticateRegister() const
{
    return m_authRegister;
}

void
Gatekeeper::SetAuthenticateInvite(bool on)
{
    NS_ABORT_MSG_IF(on && !CryptoAvailable(),
                    "Gatekeeper AuthenticateInvite: digest authentication needs OpenSSL's "
                    "libcrypto (libssl-dev), which this build of the module does not have");
    m_authInvite = on;
}

bool
Gatekeeper::GetAuthenticateInvite() const
{
    return m_authInvite;
}

void
Gatekeeper::SetDigestAlgorithm(const std::string& name)
{
    DigestAlgorithm a;
    NS_ABORT_MSG_IF(name.empty() || !ParseDigestAlgorithm(name, a),
                    "Gatekeeper DigestAlgorithm: '" << name << "' is neither SHA-256 nor MD5");
    m_algorithm = a;
}

std::string
Gatekeeper::GetDigestAlgorithm() const
{
    return DigestAlgorithmName(m_algorithm);
}

void
Gatekeeper::SetPassword(const std::string& number, const std::string& password)
{
    m_passwords[SipDigits(number)] = password;
}

std::string
Gatekeeper::GetPassword(const std::string& number) const
{
    std::string digits = SipDigits(number);
    auto it = m_passwords.find(digits);
    if (it != m_passwords.end())
    {
        return it->second;
    }
    return CryptoAvailable() ? DigestAuthenticator::DerivePassword(m_secret, digits) : "";
}

uint64_t
Gatekeeper::GetChallengeCount() const
{
    return m_challenges;
}

uint64_t
Gatekeeper::GetAuthFailureCount() const
{
    return m_authFailures;
}

DigestAuthenticator&
Gatekeeper::GetAuthenticator()
{
    if (!m_authenticator)
    {
        auto lookup = [this](const std::string& user) -> std::optional<std::string> {
            // Only numbers of this prefix have credentials here.
            if (m_passwords.count(user) == 0 && !m_registrar->GetPlan().Parse(user))
            {
                return std::nullopt;
            }
            return GetPassword(user);
        };
        m_authenticator = std::make_unique<DigestAuthenticator>(m_realm,
                                                                m_algorithm,
                                                                m_secret + ":" + m_prefix,
                                                                m_nonceLifetime,
                                                                lookup);
    }
    return *m_authenticator;
}

bool
Gatekeeper::Authenticate(const SipMessage& m,
                         const SipStack::Peer& from,
                         const std::string& user,
                         bool proxy)
{
    auto& auth = GetAuthenticator();
    // Of several credentials (one per realm, RFC 3261 §22.3), the ones for our realm.
    std::string header;
    for (const auto& value : m.GetHeaders(proxy ? "Proxy-Authorization" : "Authorization"))
    {
        auto c = DigestCredentials::Parse(value);
        if (header.empty() || (c && c->realm == auth.GetRealm()))
        {
            header = value;
        }
        if (c && c->realm == auth.GetRealm())
        {
            break;
        }
    }
    uint16_t code = proxy ? 407 : 401;
    std::string reason = SipMessage::GetReasonPhrase(code);
    bool stale = false;
    if (!header.empty())
    {
        // A proxy on the way may have retargeted an INVITE: only REGISTER's uri is checked.
        auto v = auth.Check(header,
                            m.GetMethod(),
                            proxy ? "" : m.GetRequestUri(),
                            user,
                            Simulator::Now());
        using R = DigestAuthenticator::Result;
        if (v.result == R::OK)
        {
            return true;
        }
        NS_LOG_INFO("node " << GetNode()->GetId() << ": " << m.GetMethod() << " as " << user << ": "
                            << v.reason);
        if (v.result == R::STALE)
        {
            stale = true;
        }
        else
        {
            ++m_authFailures;
            m_authFailureTrace(m.GetMethod(), user, v.reason);
        }
        if (v.result == R::MALFORMED || v.result == R::WRONG_USER || v.result == R::UNKNOWN_USER)
        {
            bool malformed = v.result == R::MALFORMED;
            Reject(m,
                   from,
                   malformed ? 400 : 403,
                   (malformed ? "Bad Request: " : "Forbidden: ") + v.reason);
            return false;
        }
        if (!stale)
        {
            reason += ": " + v.reason;
        }
    }
    ++m_challenges;
    auto r = SipMessage::MakeResponse(m, code, reason, GetStack().NewToken());
    r.SetHeader(proxy ? "Proxy-Authenticate" : "WWW-Authenticate",
                auth.MakeChallenge(Simulator::Now(), stale).ToString());
    GetStack().Respond(m, r, ResponsePeer(m, from));
    return false;
}

bool
Gatekeeper::AdmitInvite(const SipMessage& invite, const SipStack::Peer& from)
{
    if (!m_authInvite || m_router->IsRouteTarget(from.address))
    {
        return true; // off, or from another gatekeeper (which authenticated its caller)
    }
    auto caller = invite.GetFrom();
    return Authenticate(invite, from, caller ? SipDigits(caller->uri.user) : "", true);
}

void
Gatekeeper::StartApplication()
{
    m_authenticator.reset(); // made again from the attributes as they are now
    m_registrar->SetMaxExpires(m_maxExpires);
    m_registrar->SetDefaultExpires(m_maxExpires);
    SipProxy::StartApplication();
}

void
Gatekeeper::AddRoute(const std::string& prefix, Ipv4Address address, uint16_t port)
{
    std::string error = m_router->AddRoute(prefix, address, port);
    NS_ABORT_MSG_IF(!error.empty(), "Gatekeeper::AddRoute: " << error);
    m_routes.emplace_back(prefix, SipContact{address, port});
}

void
Gatekeeper::AddSubscriber(const std::string& number)
{
    m_subscribers.insert(SipDigits(number));
}

void
Gatekeeper::SetAddressTranslator(Callback<Ipv4Address, Ipv4Address> translate)
{
    m_translate = translate;
}

void
Gatekeeper::SetInboundTranslator(Callback<Ipv4Address, Ipv4Address> translate)
{
    m_untranslate = translate;
}

void
Gatekeeper::SetCallNatBinder(Ptr<CallNatBinder> binder)
{
    m_binder = binder;
}

void
Gatekeeper::DoDispose()
{
    m_binder = nullptr;
    SipProxy::DoDispose();
}

void
Gatekeeper::PrepareOutgoing(SipMessage m,
                            const SipStack::Peer& to,
                            std::function<void(const SipMessage&)> send,
                            std::function<void(uint16_t)> fail)
{
    if (!m_binder)
    {
        SipProxy::PrepareOutgoing(m, to, send, fail);
        return;
    }
    // NAT modes with PCP: the binder maps, rewrites and releases the media of calls that
    // cross the NAT; AdjustOutgoing still applies whatever static translation is set.
    m_binder->Outgoing(
        m,
        m_router->IsRouteTarget(to.address),
        [this, to, send](SipMessage out) {
            AdjustOutgoing(out, to);
            send(out);
        },
        fail);
}

void
Gatekeeper::AdjustOutgoing(SipMessage& m, const SipStack::Peer& to)
{
    if (!m_router->IsRouteTarget(to.address))
    {
        auto uri = m.IsRequest() && !m_untranslate.IsNull() ? SipUri::Parse(m.GetRequestUri())
                                                            : std::nullopt;
        auto peer = uri ? ToPeer(uri->host, 0) : std::nullopt;
        Ipv4Address inside = peer ? m_untranslate(peer->address) : Ipv4Address::GetAny();
        if (inside != Ipv4Address::GetAny() && inside != peer->address)
        {
            uri->host = ToText(inside);
            m.SetRequestUri(uri->ToString());
        }
        return;
    }
    if (m_translate.IsNull())
    {
        return;
    }
    auto translate = [this](const std::string& host) -> std::string {
        auto peer = ToPeer(host, 0);
        if (!peer)
        {
            return host;
        }
        Ipv4Address outside = m_translate(peer->address);
        return outside == Ipv4Address::GetAny() ? host : ToText(outside);
    };
    auto contacts = m.GetHeaders("Contact");
    if (!contacts.empty())
    {
        m.RemoveHeaders("Contact");
        for (const auto& c : contacts)
        {
            auto na = SipNameAddr::Parse(c);
            if (na)
            {
                na->uri.host = translate(na->uri.host);
                m.AddHeader("Contact", na->ToString());
            }
            else
            {
                m.AddHeader("Contact", c);
            }
        }
    }
    if (!m.GetBody().empty() && m.GetHeader("Content-Type") == "application/sdp")
    {
        auto sd = SessionDescription::Parse(m.GetBody());
        if (sd)
        {
            sd->connectionAddress = translate(sd->connectionAddress);
            sd->originAddress = translate(sd->originAddress);
            m.SetBody(sd->Serialize(), "application/sdp");
        }
    }
}

bool
Gatekeeper::IsRegistered(const std::string& user) const
{
    auto number = m_registrar->GetPlan().Parse(SipDigits(user));
    return number && m_registrar->IsReachable(*number, Simulator::Now());
}

std::size_t
Gatekeeper::GetBindingCount() const
{
    return m_registrar->GetBindings(Simulator::Now()).size();
}

Ipv4Address
Gatekeeper::GetAdvertisedAddress(Ipv4Address peer) const
{
    if (m_publicAddress != Ipv4Address::GetAny() &&
        (peer == m_publicAddress || m_router->IsRouteTarget(peer)))
    {
        return m_publicAddress;
    }
    return SipProxy::GetAdvertisedAddress(peer);
}

void
Gatekeeper::OnRegister(const SipMessage& m, const SipStack::Peer& from)
{
    auto to = m.GetTo();
    auto contact = SipNameAddr::Parse(m.GetHeader("Contact"));
    auto contactPeer = contact ? ToPeer(contact->uri.host, contact->uri.port) : std::nullopt;
    if (!to || !contactPeer)
    {
        Reject(m, from, 400, !to ? "Bad Request: no usable To" : "Bad Request: no usable Contact");
        return;
    }
    std::string digits = SipDigits(to->uri.user);
    if (digits.empty() || digits.compare(0, m_prefix.size(), m_prefix) != 0)
    {
        Reject(m,
               from,
               403,
               "Forbidden: '" + to->uri.user + "' is not a number of prefix " + m_prefix);
        return;
    }
    std::string error;
    auto number = m_registrar->GetPlan().Parse(digits, &error);
    if (!number)
    {
        Reject(m, from, 400, "Bad Request: " + error);
        return;
    }
    auto expiry = m_registrar->ReadExpires(contact->GetParam("expires"), m.GetHeader("Expires"));
    if (!expiry.error.empty())
    {
        Reject(m, from, 400, "Bad Request: " + expiry.error);
        return;
    }
    if (m_authRegister && !Authenticate(m, from, number->ToDigits(), false))
    {
        return;
    }
    auto outcome = m_registrar->Update(*number,
                                       SipContact{contactPeer->address, contactPeer->port},
                                       expiry.seconds,
                                       Simulator::Now());
    NS_LOG_INFO("node " << GetNode()->GetId() << ": " << *number << " for " << expiry.seconds
                        << " s, outcome " << static_cast<int>(outcome));
    auto ok = SipMessage::MakeResponse(m, 200, "", GetStack().NewToken());
    contact->SetParam("expires", std::to_string(expiry.seconds));
    ok.SetHeader("Contact", contact->ToString());
    ok.SetHeader("Expires", std::to_string(expiry.seconds));
    GetStack().Respond(m, ok, ResponsePeer(m, from));
}

SipProxy::Decision
Gatekeeper::Route(const SipMessage& request, const SipStack::Peer& from)
{
    Decision d = Decide(request);
    if (m_maxOutsideCalls == 0 || request.GetMethod() != "INVITE" || d.targets.empty())
    {
        return d;
    }
    auto caller = request.GetFrom();
    bool incoming = !caller || m_router->Decide(caller->uri.user).kind != CallRouter::Kind::LOCAL;
    bool outgoing = m_router->Decide(SipUri::Parse(request.GetRequestUri())->user).kind ==
                    CallRouter::Kind::ROUTE;
    if (!incoming && !outgoing)
    {
        return d;
    }
    if (m_outsideCalls.size() >= m_maxOutsideCalls)
    {
        NS_LOG_INFO("all " << m_maxOutsideCalls << " outside lines busy: 503 to " << from.address);
        return Decision{{},
                        503,
                        "Service Unavailable: all " + std::to_string(m_maxOutsideCalls) +
                            " outside lines busy"};
    }
    m_outsideCalls.insert(request.GetCallId());
    return d;
}

void
Gatekeeper::OnInviteFailed(const SipMessage& invite, uint16_t)
{
    m_outsideCalls.erase(invite.GetCallId());
}

void
Gatekeeper::OnInDialogRequest(const SipMessage& request)
{
    if (request.GetMethod() == "BYE")
    {
        m_outsideCalls.erase(request.GetCallId());
    }
}

uint32_t
Gatekeeper::GetOutsideCallCount() const
{
    return static_cast<uint32_t>(m_outsideCalls.size());
}

SipProxy::Decision
Gatekeeper::Decide(const SipMessage& request)
{
    Decision d;
    auto uri = SipUri::Parse(request.GetRequestUri());
    auto r = m_router->Decide(uri ? uri->user : "");
    switch (r.kind)
    {
    case CallRouter::Kind::ROUTE:
        d.targets.push_back(
            Target{SipStack::Peer{r.gatekeeper, r.port},
                   "sip:" + r.digits + "@" + ToText(r.gatekeeper) + ":" + std::to_string(r.port)});
        return d;
    case CallRouter::Kind::LOCAL:
        break;
    case CallRouter::Kind::NOT_FOUND:
    case CallRouter::Kind::MALFORMED:
        d.code = 404;
        d.reason = "Not Found: " + r.reason;
        return d;
    }
    if (auto b = m_registrar->Find(r.number, Simulator::Now()))
    {
        d.targets.push_back(Target{SipStack::Peer{b->contact.address, b->contact.port},
                                   "sip:" + r.number.ToDigits() + "@" + ToText(b->contact.address) +
                                       ":" + std::to_string(b->contact.port)});
        return d;
    }
    bool known = m_subscribers.count(r.number.ToDigits()) ||
                 m_subscribers.count(r.number.GetHousehold().ToDigits());
    d.code = known ? 480 : 404;
    d.reason = known ? "Temporarily Unavailable: " + r.number.ToString() + " is not registered"
                     : "Not Found: no subscriber " + r.number.ToString();
    return d;
}

void
Gatekeeper::AdjustForwardedInvite(SipMessage& invite, const SipStack::Peer&)
{
    if (!invite.HasHeader("P-Asserted-Identity"))
    {
        auto from = invite.GetFrom();
        if (from && !from->uri.user.empty())
        {
            invite.SetHeader("P-Asserted-Identity",
                             "<sip:" + from->uri.user + "@" + from->uri.host + ">");
        }
    }
}

} // namespace apartment
} // namespace ns3
