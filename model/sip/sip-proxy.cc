/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-proxy.h"

#include "ns3/log.h"
#include "ns3/schedule-function.h"
#include "ns3/sdp.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <functional>
#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipSipProxy");
NS_OBJECT_ENSURE_REGISTERED(SipProxy);
NS_OBJECT_ENSURE_REGISTERED(HomeGateway);
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

std::string
RequestUser(const SipMessage& m)
{
    auto uri = SipUri::Parse(m.GetRequestUri());
    return uri ? SipDigits(uri->user) : "";
}

/// Lower is better (RFC 3261 §16.7 step 6: 6xx first, then the lowest class).
int
Rank(uint16_t code)
{
    if (code >= 600)
    {
        return 0;
    }
    int preference = code == 486   ? 0
                     : code == 480 ? 1
                     : code == 404 ? 2
                     : code == 408 ? 8
                     : code == 487 ? 9
                                   : 5;
    return (code / 100) * 10 + preference;
}

} // namespace

struct SipProxy::Branch
{
    Target target;
    SipMessage request;
    bool provisional{false};
    bool final{false};
    bool cancelWhenProvisional{false};
};

struct SipProxy::ServerCall
{
    SipMessage invite;
    SipStack::Peer upstream;
    std::vector<Branch> branches;
    bool done{false};
    bool cancelled{false};
    std::optional<SipMessage> best;
    bool failedUp{false}; //!< a response could not go up and was replaced by an error
};

// ------------------------------------------------------------------ SipProxy

TypeId
SipProxy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::SipProxy")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddAttribute("Port",
                          "SIP UDP port.",
                          UintegerValue(5060),
                          MakeUintegerAccessor(&SipProxy::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("T1",
                          "SIP timer T1 (RFC 3261 round-trip estimate).",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&SipProxy::m_t1),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxPendingCalls",
                          "INVITEs that may be in set-up at once; more get 503 Service "
                          "Unavailable (0: no limit).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&SipProxy::m_maxPendingCalls),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Tx",
                            "A SIP message was sent (its text).",
                            MakeTraceSourceAccessor(&SipProxy::m_txTrace),
                            "ns3::TracedCallback::String")
            .AddTraceSource("Rx",
                            "A valid SIP message was received (its text).",
                            MakeTraceSourceAccessor(&SipProxy::m_rxTrace),
                            "ns3::TracedCallback::String")
            .AddTraceSource("Drop",
                            "A malformed SIP datagram was dropped (text, reason).",
                            MakeTraceSourceAccessor(&SipProxy::m_dropTrace),
                            "ns3::TracedCallback::StringString")
            .AddTraceSource("Route",
                            "An initial INVITE was routed: called number and outcome "
                            "(\"forward N\" or the failure code).",
                            MakeTraceSourceAccessor(&SipProxy::m_routeTrace),
                            "ns3::TracedCallback::StringString");
    return tid;
}

SipProxy::SipProxy() = default;
SipProxy::~SipProxy() = default;

void
SipProxy::DoDispose()
{
    m_stack.reset();
    m_calls.clear();
    Application::DoDispose();
}

void
SipProxy::StartApplication()
{
    SipTimers timers;
    timers.t1 = m_t1;
    m_stack = std::make_unique<SipStack>(GetNode(), timers);
    m_stack->SetTraces([this](const std::string& t) { m_txTrace(t); },
                       [this](const std::string& t) { m_rxTrace(t); },
                       [this](const std::string& t, const std::string& e) { m_dropTrace(t, e); });
    m_stack->Open(
        m_port,
        [this](const SipMessage& m, const SipStack::Peer& from) { OnRequest(m, from); },
        [this](const SipMessage& m, const SipStack::Peer& from) { OnStatelessResponse(m, from); });
}

void
SipProxy::StopApplication()
{
    if (m_stack)
    {
        m_stack->Close();
    }
    m_calls.clear();
}

uint64_t
SipProxy::GetMalformedCount() const
{
    return m_stack ? m_stack->GetMalformedCount() : 0;
}

uint64_t
SipProxy::GetForkCount() const
{
    return m_forks;
}

uint32_t
SipProxy::GetPendingCallCount() const
{
    uint32_t n = 0;
    for (const auto& [key, call] : m_calls)
    {
        n += !call->done;
    }
    return n;
}

SipStack&
SipProxy::GetStack()
{
    return *m_stack;
}

void
SipProxy::AdjustForwardedInvite(SipMessage&, const SipStack::Peer&)
{
}

Ipv4Address
SipProxy::GetAdvertisedAddress(Ipv4Address peer) const
{
    return m_stack->GetLocalAddressFor(peer);
}

void
SipProxy::AdjustOutgoing(SipMessage&, const SipStack::Peer&)
{
}

void
SipProxy::PrepareOutgoing(SipMessage m,
                          const SipStack::Peer& to,
                          std::function<void(const SipMessage&)> send,
                          std::function<void(uint16_t)>)
{
    AdjustOutgoing(m, to);
    send(m);
}

SipStack::Peer
SipProxy::ResponsePeer(const SipMessage& request, const SipStack::Peer& from)
{
    auto via = request.GetTopVia();
    auto peer = via ? ToPeer(via->host, via->port) : std::nullopt;
    return peer ? *peer : from;
}

bool
SipProxy::IsOwnUri(const std::string& nameAddr) const
{
    auto na = SipNameAddr::Parse(nameAddr);
    auto peer = na ? ToPeer(na->uri.host, na->uri.port) : std::nullopt;
    if (!peer || peer->port != m_port)
    {
        return false;
    }
    if (m_stack->IsLocalAddress(peer->address))
    {
        return true;
    }
    // An address advertised for us (e.g. a public one) also names this proxy.
    return GetAdvertisedAddress(peer->address) == peer->address;
}

void
SipProxy::ForwardStateless(SipMessage m, const SipStack::Peer& to)
{
    uint32_t hops = 70;
    if (m.HasHeader("Max-Forwards"))
    {
        hops = static_cast<uint32_t>(std::stoul(m.GetHeader("Max-Forwards")));
    }
    if (hops == 0)
    {
        if (m.GetMethod() != "ACK")
        {
            m_stack->Respond(m, SipMessage::MakeResponse(m, 483, ""), ResponsePeer(m, to));
        }
        return;
    }
    m.SetHeader("Max-Forwards", std::to_string(hops - 1));
    // Same branch for retransmissions of the same request (RFC 3261 §16.11).
    auto hash = std::hash<std::string>()(m.GetTopBranch() + m.GetMethod() +
                                         std::to_string(GetNode()->GetId()));
    m.PrependHeader("Via",
                    "SIP/2.0/UDP " + ToText(GetAdvertisedAddress(to.address)) + ":" +
                        std::to_string(m_port) + ";branch=z9hG4bKs" + std::to_string(hash));
    PrepareOutgoing(
        m,
        to,
        [this, to](const SipMessage& out) { m_stack->Send(out, to); },
        [this, m, to](uint16_t code) {
            if (m.GetMethod() != "ACK")
            {
                m_stack->Respond(m, SipMessage::MakeResponse(m, code, ""), ResponsePeer(m, to));
            }
        });
}

void
SipProxy::OnRequest(const SipMessage& m, const SipStack::Peer& from)
{
    const auto& method = m.GetMethod();
    if (!m.GetToTag().empty() || (!m.GetHeaders("Route").empty() && IsOwnUri(m.GetHeader("Route"))))
    {
        ForwardInDialog(m, from);
    }
    else if (method == "INVITE")
    {
        OnInvite(m, from);
    }
    else if (method == "CANCEL")
    {
        OnCancel(m, from);
    }
    else if (method == "REGISTER")
    {
        OnRegister(m, from);
    }
    else if (method == "ACK")
    {
        // An ACK with no dialog and no transaction: nothing to do.
    }
    else
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 501, ""), ResponsePeer(m, from));
    }
}

void
SipProxy::ForwardInDialog(SipMessage m, const SipStack::Peer& from)
{
    // Loose routing (RFC 3261 §16.4): remove our own Route entries, then go to the next
    // Route, or to the Request-URI when none is left.
    while (!m.GetHeaders("Route").empty() && IsOwnUri(m.GetHeader("Route")))
    {
        m.RemoveFirstHeader("Route");
    }
    std::optional<SipStack::Peer> next;
    if (!m.GetHeaders("Route").empty())
    {
        auto na = SipNameAddr::Parse(m.GetHeader("Route"));
        next = na ? ToPeer(na->uri.host, na->uri.port) : std::nullopt;
    }
    else
    {
        auto uri = SipUri::Parse(m.GetRequestUri());
        next = uri ? ToPeer(uri->host, uri->port) : std::nullopt;
    }
    if (!next || m_stack->IsLocalAddress(next->address))
    {
        if (m.GetMethod() != "ACK")
        {
            m_stack->Respond(m, SipMessage::MakeResponse(m, 404, ""), ResponsePeer(m, from));
        }
        return;
    }
    ForwardStateless(m, *next);
}

void
SipProxy::OnStatelessResponse(const SipMessage& m, const SipStack::Peer&)
{
    auto via = m.GetTopVia();
    auto self = via ? ToPeer(via->host, via->port) : std::nullopt;
    if (!self || !(m_stack->IsLocalAddress(self->address) ||
                   GetAdvertisedAddress(self->address) == self->address))
    {
        NS_LOG_INFO("node " << GetNode()->GetId() << ": response whose top Via is not ours");
        return;
    }
    SipMessage up = m;
    up.RemoveFirstHeader("Via");
    auto next = up.GetTopVia();
    auto peer = next ? ToPeer(next->host, next->port) : std::nullopt;
    if (peer)
    {
        PrepareOutgoing(
            up,
            *peer,
            [this, to = *peer](const SipMessage& out) { m_stack->Send(out, to); },
            [](uint16_t) {});
    }
}

void
SipProxy::OnInvite(const SipMessage& m, const SipStack::Peer& from)
{
    SipStack::Peer upstream = ResponsePeer(m, from);
    std::string key = m.GetTopBranch();
    if (m_calls.count(key))
    {
        return; // retransmission; the stack already answered it
    }
    std::string hops = m.GetHeader("Max-Forwards");
    if (!hops.empty() && std::stoul(hops) == 0)
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 483, "", m_stack->NewToken()), upstream);
        return;
    }
    m_stack->Respond(m, SipMessage::MakeResponse(m, 100, ""), upstream);
    if (m_maxPendingCalls > 0 && GetPendingCallCount() >= m_maxPendingCalls)
    {
        auto busy = SipMessage::MakeResponse(m, 503, "", m_stack->NewToken());
        busy.SetHeader("Retry-After", "5");
        m_routeTrace(RequestUser(m), "503");
        m_stack->Respond(m, busy, upstream);
        return;
    }
    Decision d = Route(m, from);
    std::string user = RequestUser(m);
    if (d.code != 0 || d.targets.empty())
    {
        uint16_t code = d.code != 0 ? d.code : 480;
        NS_LOG_INFO("node " << GetNode()->GetId() << ": INVITE for " << user << " -> " << code);
        m_routeTrace(user, std::to_string(code));
        m_stack->Respond(m, SipMessage::MakeResponse(m, code, "", m_stack->NewToken()), upstream);
        return;
    }
    m_routeTrace(user, "forward " + std::to_string(d.targets.size()));
    m_forks += d.targets.size() > 1;
    auto call = std::make_shared<ServerCall>(ServerCall{m, upstream, {}, false, false, {}, false});
    m_calls[key] = call;
    uint32_t forwards = hops.empty() ? 70 : static_cast<uint32_t>(std::stoul(hops));
    for (const auto& target : d.targets)
    {
        SipMessage out = m;
        out.SetRequestUri(target.requestUri);
        out.SetHeader("Max-Forwards", std::to_string(forwards - 1));
        Ipv4Address down = GetAdvertisedAddress(target.peer.address);
        Ipv4Address up = GetAdvertisedAddress(upstream.address);
        std::string port = ":" + std::to_string(m_port);
        // Two Record-Route entries when the two sides know us by different addresses.
        if (up != down)
        {
            out.PrependHeader("Record-Route", "<sip:" + ToText(up) + port + ";lr>");
        }
        out.PrependHeader("Record-Route", "<sip:" + ToText(down) + port + ";lr>");
        out.PrependHeader("Via",
                          "SIP/2.0/UDP " + ToText(down) + port + ";branch=" + m_stack->NewBranch());
        AdjustForwardedInvite(out, from);
        call->branches.push_back(Branch{target, out});
    }
    for (std::size_t i = 0; i < call->branches.size(); ++i)
    {
        PrepareOutgoing(
            call->branches[i].request,
            call->branches[i].target.peer,
            [this, call, i](const SipMessage& out) {
                call->branches[i].request = out;
                m_stack->SendInvite(
                    out,
                    call->branches[i].target.peer,
                    [this, call, i](const SipMessage* r) { OnBranchResponse(call, i, r); });
            },
            [this, call, i](uint16_t code) {
                // Not sent (e.g. no NAT mapping): the branch fails with \p code.
                auto r = SipMessage::MakeResponse(call->branches[i].request,
                                                  code,
                                                  "",
                                                  m_stack->NewToken());
                OnBranchResponse(call, i, &r);
            });
    }
    // Forget the call once no retransmission or late 2xx can refer to it.
    ScheduleFunction(Seconds(300), [this, key]() { m_calls.erase(key); });
}

void
SipProxy::OnBranchResponse(std::shared_ptr<ServerCall> call, std::size_t index, const SipMessage* r)
{
    Branch& branch = call->branches[index];
    uint16_t code = r ? r->GetStatusCode() : 408;
    if (code == 100)
    {
        return;
    }
    SipMessage up = r ? *r : SipMessage::MakeResponse(branch.request, 408, "", m_stack->NewToken());
    up.RemoveFirstHeader("Via");
    auto failUp = [this, call](uint16_t failure) {
        // The response cannot go up as it is (e.g. no NAT mapping for its media).
        if (call->failedUp)
        {
            return;
        }
        call->failedUp = true;
        call->done = true;
        PrepareOutgoing(
            SipMessage::MakeResponse(call->invite, failure, "", m_stack->NewToken()),
            call->upstream,
            [this, call](const SipMessage& out) {
                m_stack->Respond(call->invite, out, call->upstream);
            },
            [](uint16_t) {});
    };
    if (code < 200)
    {
        branch.provisional = true;
        if (branch.cancelWhenProvisional)
        {
            CancelBranch(branch);
        }
        if (!call->done)
        {
            PrepareOutgoing(
                up,
                call->upstream,
                [this, call](const SipMessage& out) {
                    if (!call->done)
                    {
                        m_stack->Respond(call->invite, out, call->upstream);
                    }
                },
                [](uint16_t) {});
        }
        return;
    }
    bool wasFinal = branch.final;
    branch.final = true;
    if (code < 300)
    {
        // Every 2xx goes up, also retransmissions: the caller ACKs end to end.
        PrepareOutgoing(
            up,
            call->upstream,
            [this, call](const SipMessage& out) { m_stack->Send(out, call->upstream); },
            failUp);
        if (!wasFinal && !call->done)
        {
            call->done = true;
            for (auto& other : call->branches)
            {
                if (!other.final)
                {
                    CancelBranch(other);
                }
            }
        }
        return;
    }
    if (wasFinal)
    {
        return;
    }
    if (!call->best || Rank(code) < Rank(call->best->GetStatusCode()))
    {
        call->best = up;
    }
    bool allFinal = std::all_of(call->branches.begin(), call->branches.end(), [](const Branch& b) {
        return b.final;
    });
    if (allFinal && !call->done)
    {
        call->done = true;
        PrepareOutgoing(
            *call->best,
            call->upstream,
            [this, call](const SipMessage& out) {
                m_stack->Respond(call->invite, out, call->upstream);
            },
            [](uint16_t) {});
    }
}

void
SipProxy::CancelBranch(Branch& branch)
{
    if (branch.final)
    {
        return;
    }
    if (!branch.provisional)
    {
        // RFC 3261 §9.1: no CANCEL before a provisional response; send it when one comes.
        branch.cancelWhenProvisional = true;
        return;
    }
    branch.cancelWhenProvisional = false;
    const SipMessage& inv = branch.request;
    auto cancel = SipMessage::MakeRequest("CANCEL", inv.GetRequestUri());
    cancel.AddHeader("Via", inv.GetHeader("Via"));
    cancel.SetHeader("Max-Forwards", "70");
    cancel.SetHeader("From", inv.GetHeader("From"));
    cancel.SetHeader("To", inv.GetHeader("To"));
    cancel.SetHeader("Call-ID", inv.GetCallId());
    cancel.SetHeader("CSeq", std::to_string(inv.GetCSeqNumber()) + " CANCEL");
    NS_LOG_INFO("node " << GetNode()->GetId() << ": CANCEL to " << branch.target.requestUri);
    m_stack->SendNonInvite(cancel, branch.target.peer, [](const SipMessage*) {});
}

void
SipProxy::OnCancel(const SipMessage& m, const SipStack::Peer& from)
{
    auto it = m_calls.find(m.GetTopBranch());
    if (it == m_calls.end())
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 481, ""), ResponsePeer(m, from));
        return;
    }
    m_stack->Respond(m, SipMessage::MakeResponse(m, 200, ""), ResponsePeer(m, from));
    auto call = it->second;
    call->cancelled = true;
    for (auto& b : call->branches)
    {
        CancelBranch(b);
    }
}

// ------------------------------------------------------------------ HomeGateway

TypeId
HomeGateway::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::HomeGateway")
                            .SetParent<SipProxy>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<HomeGateway>()
                            .AddAttribute("Upstream",
                                          "Address of the gatekeeper the gateway relays to.",
                                          Ipv4AddressValue(Ipv4Address::GetAny()),
                                          MakeIpv4AddressAccessor(&HomeGateway::m_upstream),
                                          MakeIpv4AddressChecker())
                            .AddAttribute("HouseholdNumber",
                                          "The flat's household number (e.g. 100-1101-1201-0).",
                                          StringValue(""),
                                          MakeStringAccessor(&HomeGateway::m_household),
                                          MakeStringChecker());
    return tid;
}

std::vector<std::string>
HomeGateway::GetRegisteredUsers() const
{
    std::vector<std::string> out;
    for (const auto& [user, b] : m_bindings)
    {
        if (b.expires > Simulator::Now())
        {
            out.push_back(user);
        }
    }
    return out;
}

void
HomeGateway::OnRegister(const SipMessage& m, const SipStack::Peer& from)
{
    auto peer = ResponsePeer(m, from);
    auto to = m.GetTo();
    auto contact = SipNameAddr::Parse(m.GetHeader("Contact"));
    std::string user = to ? SipDigits(to->uri.user) : "";
    auto contactPeer = contact ? ToPeer(contact->uri.host, contact->uri.port) : std::nullopt;
    if (from.address == m_upstream || user.empty() || !contactPeer)
    {
        GetStack().Respond(m,
                           SipMessage::MakeResponse(m, from.address == m_upstream ? 403 : 400, ""),
                           peer);
        return;
    }
    std::string value = contact->GetParam("expires");
    if (value.empty())
    {
        value = m.GetHeader("Expires");
    }
    uint32_t expires = 3600;
    if (!value.empty() && value.size() < 10 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        expires = static_cast<uint32_t>(std::stoul(value));
    }
    if (expires == 0)
    {
        m_bindings.erase(user);
    }
    else
    {
        m_bindings[user] = Binding{*contactPeer, Simulator::Now() + Seconds(expires)};
    }
    // Register the number upstream with the gateway as its contact.
    SipMessage up = m;
    Ipv4Address self = GetAdvertisedAddress(m_upstream);
    std::ostringstream c;
    self.Print(c);
    up.SetHeader("Contact",
                 "<sip:" + user + "@" + c.str() + ":5060>;expires=" + std::to_string(expires));
    ForwardStateless(up, SipStack::Peer{m_upstream, 5060});
}

SipProxy::Decision
HomeGateway::Route(const SipMessage& invite, const SipStack::Peer& from)
{
    Decision d;
    std::string user = RequestUser(invite);
    if (from.address != m_upstream)
    {
        // A terminal's call: to the gatekeeper.
        std::ostringstream gk;
        m_upstream.Print(gk);
        auto uri = SipUri::Parse(invite.GetRequestUri());
        d.targets.push_back(Target{SipStack::Peer{m_upstream, 5060},
                                   "sip:" + (uri ? uri->user : user) + "@" + gk.str()});
        return d;
    }
    std::string household = SipDigits(m_household);
    std::string flat = household.empty() ? "" : household.substr(0, household.size() - 1);
    auto now = Simulator::Now();
    auto targetOf = [](const std::string& u, const Binding& b) {
        std::ostringstream os;
        b.contact.address.Print(os);
        return Target{b.contact,
                      "sip:" + u + "@" + os.str() + ":" + std::to_string(b.contact.port)};
    };
    if (!flat.empty() && (user == household || user == flat))
    {
        // Household number: ring every registered terminal of the flat at once.
        for (const auto& [u, b] : m_bindings)
        {
            if (b.expires > now && u.size() == household.size() && u.rfind(flat, 0) == 0)
            {
                d.targets.push_back(targetOf(u, b));
            }
        }
        d.code = d.targets.empty() ? 480 : 0;
        return d;
    }
    auto it = m_bindings.find(user);
    if (it != m_bindings.end() && it->second.expires > now)
    {
        d.targets.push_back(targetOf(user, it->second));
        return d;
    }
    bool ours = !flat.empty() && user.size() == household.size() && user.rfind(flat, 0) == 0;
    d.code = ours ? 480 : 404;
    return d;
}

// ------------------------------------------------------------------ Gatekeeper

TypeId
Gatekeeper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::Gatekeeper")
            .SetParent<SipProxy>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<Gatekeeper>()
            .AddAttribute("NumberPrefix",
                          "Number prefix served here (registrar); other numbers are routed.",
                          StringValue("100"),
                          MakeStringAccessor(&Gatekeeper::m_prefix),
                          MakeStringChecker())
            .AddAttribute("MaxExpires",
                          "Longest registration granted.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&Gatekeeper::m_maxExpires),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("PublicAddress",
                          "Address given to routed peers (other gatekeepers) in Via and "
                          "Record-Route, e.g. the NAT's public address; 0.0.0.0: own address.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&Gatekeeper::m_publicAddress),
                          MakeIpv4AddressChecker());
    return tid;
}

void
Gatekeeper::AddRoute(const std::string& prefix, Ipv4Address address)
{
    m_routes[SipDigits(prefix)] = address;
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
        IsRoutedPeer(to.address),
        [this, to, send](SipMessage out) {
            AdjustOutgoing(out, to);
            send(out);
        },
        fail);
}

bool
Gatekeeper::IsRoutedPeer(Ipv4Address address) const
{
    for (const auto& [prefix, peer] : m_routes)
    {
        if (peer == address)
        {
            return true;
        }
    }
    return false;
}

void
Gatekeeper::AdjustOutgoing(SipMessage& m, const SipStack::Peer& to)
{
    if (!IsRoutedPeer(to.address))
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
    auto it = m_bindings.find(SipDigits(user));
    return it != m_bindings.end() && it->second.expires > Simulator::Now();
}

std::size_t
Gatekeeper::GetBindingCount() const
{
    return m_bindings.size();
}

Ipv4Address
Gatekeeper::GetAdvertisedAddress(Ipv4Address peer) const
{
    if (m_publicAddress != Ipv4Address::GetAny())
    {
        if (peer == m_publicAddress)
        {
            return m_publicAddress;
        }
        for (const auto& [prefix, address] : m_routes)
        {
            if (address == peer)
            {
                return m_publicAddress;
            }
        }
    }
    return SipProxy::GetAdvertisedAddress(peer);
}

void
Gatekeeper::OnRegister(const SipMessage& m, const SipStack::Peer& from)
{
    auto peer = ResponsePeer(m, from);
    auto to = m.GetTo();
    auto contact = SipNameAddr::Parse(m.GetHeader("Contact"));
    std::string user = to ? SipDigits(to->uri.user) : "";
    auto contactPeer = contact ? ToPeer(contact->uri.host, contact->uri.port) : std::nullopt;
    if (user.empty() || !contactPeer)
    {
        GetStack().Respond(m, SipMessage::MakeResponse(m, 400, ""), peer);
        return;
    }
    if (user.rfind(SipDigits(m_prefix), 0) != 0)
    {
        GetStack().Respond(m, SipMessage::MakeResponse(m, 403, ""), peer);
        return;
    }
    std::string value = contact->GetParam("expires");
    if (value.empty())
    {
        value = m.GetHeader("Expires");
    }
    uint64_t expires = static_cast<uint64_t>(m_maxExpires.GetSeconds());
    if (!value.empty() && value.size() < 10 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        expires = std::min<uint64_t>(expires, std::stoull(value));
    }
    Time until = Simulator::Now() + Seconds(expires);
    std::string household = user.substr(0, user.size() - 1) + "0";
    if (expires == 0)
    {
        m_bindings.erase(user);
    }
    else
    {
        m_bindings[user] = Binding{*contactPeer, until};
        // The household number reaches the same gateway while any terminal is registered.
        if (household != user)
        {
            auto& h = m_bindings[household];
            if (h.expires < until)
            {
                h = Binding{*contactPeer, until};
            }
        }
    }
    auto ok = SipMessage::MakeResponse(m, 200, "", GetStack().NewToken());
    contact->SetParam("expires", std::to_string(expires));
    ok.SetHeader("Contact", contact->ToString());
    ok.SetHeader("Expires", std::to_string(expires));
    GetStack().Respond(m, ok, peer);
}

SipProxy::Decision
Gatekeeper::Route(const SipMessage& invite, const SipStack::Peer&)
{
    Decision d;
    std::string user = RequestUser(invite);
    std::string prefix = SipDigits(m_prefix);
    if (user.empty())
    {
        d.code = 404;
        return d;
    }
    if (user.rfind(prefix, 0) == 0)
    {
        if (user.size() == prefix.size() + 8)
        {
            user += "0"; // household number written without its last digit
        }
        auto it = m_bindings.find(user);
        if (it != m_bindings.end() && it->second.expires > Simulator::Now())
        {
            std::ostringstream os;
            it->second.contact.address.Print(os);
            d.targets.push_back(Target{it->second.contact,
                                       "sip:" + user + "@" + os.str() + ":" +
                                           std::to_string(it->second.contact.port)});
            return d;
        }
        std::string household = user.substr(0, user.size() - 1) + "0";
        d.code = m_subscribers.count(user) || m_subscribers.count(household) ? 480 : 404;
        return d;
    }
    // Another prefix: the gatekeeper of the longest matching prefix.
    const std::pair<const std::string, Ipv4Address>* best = nullptr;
    for (const auto& route : m_routes)
    {
        if (user.rfind(route.first, 0) == 0 && (!best || route.first.size() > best->first.size()))
        {
            best = &route;
        }
    }
    if (!best)
    {
        d.code = 404;
        return d;
    }
    std::ostringstream os;
    best->second.Print(os);
    d.targets.push_back(Target{SipStack::Peer{best->second, 5060}, "sip:" + user + "@" + os.str()});
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
