/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/home-gateway.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/sip-header.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipHomeGateway");
NS_OBJECT_ENSURE_REGISTERED(HomeGateway);

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
UriOf(const std::string& user, Ipv4Address host, uint16_t port)
{
    return "sip:" + user + "@" + ToText(host) + ":" + std::to_string(port);
}

} // namespace

TypeId
HomeGateway::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::HomeGateway")
            .SetParent<SipProxy>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<HomeGateway>()
            .AddAttribute("Upstream",
                          "Address of the gatekeeper the gateway relays to.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&HomeGateway::m_upstream),
                          MakeIpv4AddressChecker())
            .AddAttribute("UpstreamPort",
                          "SIP port of the gatekeeper the gateway relays to.",
                          UintegerValue(SipHeader::PORT),
                          MakeUintegerAccessor(&HomeGateway::m_upstreamPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("HouseholdNumber",
                          "The flat's household number, with dashes so the prefix is known "
                          "(e.g. 100-1101-1201-0 or 100-1101-1201).",
                          StringValue(""),
                          MakeStringAccessor(&HomeGateway::m_household),
                          MakeStringChecker())
            .AddAttribute("MaxExpires",
                          "Longest registration kept for a terminal (and asked for upstream).",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&HomeGateway::m_maxExpires),
                          MakeTimeChecker(Seconds(1)));
    return tid;
}

HomeGateway::HomeGateway() = default;
HomeGateway::~HomeGateway() = default;

void
HomeGateway::StartApplication()
{
    // The prefix is what precedes the first dash: a plan for it reads the whole number.
    auto dash = m_household.find('-');
    std::string error = dash == std::string::npos
                            ? "HouseholdNumber '" + m_household +
                                  "' must be written with dashes, PREFIX-BBBB-RRRR[-0]"
                            : CheckPrefix(m_household.substr(0, dash));
    std::optional<PhoneNumber> household;
    if (error.empty())
    {
        household = NumberingPlan(m_household.substr(0, dash)).Parse(m_household, &error);
    }
    NS_ABORT_MSG_IF(!household, "HomeGateway: " << error);
    NS_ABORT_MSG_IF(!household->IsHousehold(),
                    "HomeGateway: HouseholdNumber " << m_household << " has a terminal digit");
    m_householdNumber = *household;
    NumberingPlan plan(household->GetPrefix());
    m_registrar = std::make_unique<Registrar>(plan, m_maxExpires, m_maxExpires);
    m_router = std::make_unique<CallRouter>(plan);
    SipProxy::StartApplication();
}

void
HomeGateway::SetCallNatBinder(Ptr<CallNatBinder> binder)
{
    m_binder = binder;
}

Ptr<CallNatBinder>
HomeGateway::GetCallNatBinder() const
{
    return m_binder;
}

void
HomeGateway::DoDispose()
{
    m_binder = nullptr;
    m_pending.clear();
    SipProxy::DoDispose();
}

void
HomeGateway::PrepareOutgoing(SipMessage m,
                             const SipStack::Peer& to,
                             std::function<void(const SipMessage&)> send,
                             std::function<void(uint16_t)> fail)
{
    if (!m_binder)
    {
        SipProxy::PrepareOutgoing(m, to, send, fail);
        return;
    }
    // Double NAT: what goes up to the gatekeeper leaves the flat through the gateway's NAT.
    m_binder->Outgoing(m, to.address == m_upstream, send, fail);
}

void
HomeGateway::AdjustInDialogTarget(SipMessage& request)
{
    if (m_binder)
    {
        // An ACK or BYE for a terminal's public Contact: straight to the terminal.
        m_binder->Untranslate(request);
    }
}

std::vector<std::string>
HomeGateway::GetRegisteredUsers() const
{
    std::vector<std::string> out;
    if (m_registrar)
    {
        for (const auto& b : m_registrar->GetBindings(Simulator::Now()))
        {
            out.push_back(b.number.ToDigits());
        }
    }
    return out;
}

void
HomeGateway::OnRegister(const SipMessage& m, const SipStack::Peer& from)
{
    if (from.address == m_upstream)
    {
        Reject(m, from, 403, "Forbidden: the gateway takes registrations from its flat only");
        return;
    }
    auto to = m.GetTo();
    auto contact = SipNameAddr::Parse(m.GetHeader("Contact"));
    auto contactPeer = contact ? ToPeer(contact->uri.host, contact->uri.port) : std::nullopt;
    if (!to || !contactPeer)
    {
        Reject(m, from, 400, !to ? "Bad Request: no usable To" : "Bad Request: no usable Contact");
        return;
    }
    std::string error;
    auto number = m_registrar->GetPlan().Parse(SipDigits(to->uri.user), &error);
    if (!number || number->IsHousehold())
    {
        Reject(m,
               from,
               number ? 403 : 400,
               number ? "Forbidden: the household number is not registered by a terminal"
                      : "Bad Request: " + error);
        return;
    }
    if (number->GetFlatId() != m_householdNumber.GetFlatId())
    {
        Reject(m, from, 403, "Forbidden: " + number->ToString() + " is not a number of this flat");
        return;
    }
    auto expiry = m_registrar->ReadExpires(contact->GetParam("expires"), m.GetHeader("Expires"));
    if (!expiry.error.empty())
    {
        Reject(m, from, 400, "Bad Request: " + expiry.error);
        return;
    }
    // The binding waits for the gatekeeper's 2xx: only then is the terminal known to own
    // the number (digest authentication happens there). Requests never answered (lost, or
    // refused by the NAT binder) are forgotten after 64*T1, the transaction's own limit.
    const Time now = Simulator::Now();
    TimeValue t1;
    GetAttribute("T1", t1);
    const Time limit = 64 * t1.Get();
    for (auto it = m_pending.begin(); it != m_pending.end();)
    {
        it = now - it->second.arrived > limit ? m_pending.erase(it) : std::next(it);
    }
    m_pending[{m.GetCallId(), m.GetCSeqNumber()}] =
        PendingRegistration{*number,
                            SipContact{contactPeer->address, contactPeer->port},
                            expiry.seconds,
                            now};
    // Register the number upstream with the gateway (its own port) as its contact.
    SipMessage up = m;
    up.SetHeader("Contact",
                 "<" + UriOf(number->ToDigits(), GetAdvertisedAddress(m_upstream), GetPort()) +
                     ">;expires=" + std::to_string(expiry.seconds));
    ForwardStateless(up, SipStack::Peer{m_upstream, m_upstreamPort});
}

void
HomeGateway::OnRelayedResponse(const SipMessage& r)
{
    const uint16_t code = r.GetStatusCode();
    if (code < 200 || r.GetCSeqMethod() != "REGISTER")
    {
        return;
    }
    auto it = m_pending.find({r.GetCallId(), r.GetCSeqNumber()});
    if (it == m_pending.end())
    {
        return; // a retransmitted response, or a REGISTER not relayed by this gateway
    }
    const PendingRegistration p = it->second;
    m_pending.erase(it);
    if (code >= 300)
    {
        // Refused or challenged: no binding, and an earlier one (perhaps a flat-mate's, the
        // number's real owner) stays until it lapses or its owner changes it.
        NS_LOG_INFO("node " << GetNode()->GetId() << ": " << p.number << " not bound, upstream "
                            << code);
        return;
    }
    // As of the REGISTER's arrival, as before the binding waited for the answer.
    auto outcome = m_registrar->Update(p.number, p.contact, p.seconds, p.arrived);
    NS_LOG_INFO("node " << GetNode()->GetId() << ": " << p.number << " for " << p.seconds
                        << " s, outcome " << static_cast<int>(outcome));
}

SipProxy::Decision
HomeGateway::Route(const SipMessage& request, const SipStack::Peer& from)
{
    Decision d;
    auto uri = SipUri::Parse(request.GetRequestUri());
    std::string user = uri ? uri->user : "";
    if (from.address != m_upstream)
    {
        // A terminal's call: to the gatekeeper, whatever the number.
        d.targets.push_back(Target{SipStack::Peer{m_upstream, m_upstreamPort},
                                   UriOf(user, m_upstream, m_upstreamPort)});
        return d;
    }
    auto r = m_router->Decide(user);
    if (r.kind != CallRouter::Kind::LOCAL || r.number.GetFlatId() != m_householdNumber.GetFlatId())
    {
        d.code = 404;
        d.reason =
            "Not Found: " + (r.reason.empty() ? user + " is not a number of this flat" : r.reason);
        return d;
    }
    Time now = Simulator::Now();
    auto targetOf = [](const Registrar::Binding& b) {
        return Target{SipStack::Peer{b.contact.address, b.contact.port},
                      UriOf(b.number.ToDigits(), b.contact.address, b.contact.port)};
    };
    if (r.number.IsHousehold())
    {
        // Household number: ring every registered terminal of the flat at once.
        for (const auto& b : m_registrar->FindFlat(r.number.GetFlatId(), now))
        {
            d.targets.push_back(targetOf(b));
        }
    }
    else if (auto b = m_registrar->Find(r.number, now))
    {
        d.targets.push_back(targetOf(*b));
    }
    if (d.targets.empty())
    {
        d.code = 480;
        d.reason = "Temporarily Unavailable: " + r.number.ToString() + " is not registered";
    }
    return d;
}

} // namespace apartment
} // namespace ns3
