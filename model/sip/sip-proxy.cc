/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-proxy.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/schedule-function.h"
#include "ns3/simulator.h"
#include "ns3/sip-header.h"
#include "ns3/sip-loop-detector.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipSipProxy");
NS_OBJECT_ENSURE_REGISTERED(SipProxy);

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
                          UintegerValue(SipHeader::PORT),
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
            .AddAttribute("ServiceTime",
                          "Seconds of processing per SIP message received, in arrival order "
                          "on one server. Constant 0 (the default): no queue, every message "
                          "is handled at once.",
                          StringValue("ns3::ConstantRandomVariable[Constant=0]"),
                          MakePointerAccessor(&SipProxy::m_serviceTime),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("QueueLimit",
                          "Messages that may be in the proxy at once (waiting or in service) "
                          "before new requests get 503 (0: no limit). Responses and ACK are "
                          "always queued.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&SipProxy::SetQueueLimit, &SipProxy::GetQueueLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RetryAfter",
                          "Seconds in the Retry-After header of a 503 for overload.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&SipProxy::m_retryAfter),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Tx",
                            "A SIP message was sent (its text).",
                            MakeTraceSourceAccessor(&SipProxy::m_txTrace),
                            "ns3::apartment::SipProxy::MessageTracedCallback")
            .AddTraceSource("Rx",
                            "A valid SIP message was received (its text).",
                            MakeTraceSourceAccessor(&SipProxy::m_rxTrace),
                            "ns3::apartment::SipProxy::MessageTracedCallback")
            .AddTraceSource("Drop",
                            "A malformed SIP datagram was dropped (text, reason).",
                            MakeTraceSourceAccessor(&SipProxy::m_dropTrace),
                            "ns3::apartment::SipProxy::DropTracedCallback")
            .AddTraceSource("Route",
                            "An initial INVITE was routed: called number and outcome "
                            "(\"forward N\" or the failure code).",
                            MakeTraceSourceAccessor(&SipProxy::m_routeTrace),
                            "ns3::apartment::SipProxy::RouteTracedCallback")
            .AddTraceSource("QueueLength",
                            "Messages in the proxy (waiting or in service), after each arrival "
                            "and each end of service.",
                            MakeTraceSourceAccessor(&SipProxy::m_queueLengthTrace),
                            "ns3::apartment::SipProxy::QueueLengthTracedCallback")
            .AddTraceSource("Overload",
                            "A request got 503 because the queue was full (method, Call-ID).",
                            MakeTraceSourceAccessor(&SipProxy::m_overloadTrace),
                            "ns3::apartment::SipProxy::OverloadTracedCallback");
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
    m_stack->SetProxyRole(true);
    m_stack->SetTraces([this](const std::string& t) { m_txTrace(t); },
                       [this](const std::string& t) { m_rxTrace(t); },
                       [this](const std::string& t, const std::string& e) { m_dropTrace(t, e); });
    m_queue = std::make_unique<ServiceQueue>(m_queueLimit);
    m_stack->SetIngress(
        [this](const SipMessage& m, const SipStack::Peer& from) { OnArrival(m, from); });
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
    m_queue.reset(); // messages still queued are never served
}

void
SipProxy::OnArrival(const SipMessage& m, const SipStack::Peer& from)
{
    Time now = Simulator::Now();
    auto constant = DynamicCast<ConstantRandomVariable>(m_serviceTime);
    if (constant && constant->GetConstant() == 0 && m_queue->GetLength(now) == 0)
    {
        // Zero service time: handled at once, in the event order of a proxy without a queue.
        m_stack->Deliver(m, from);
        return;
    }
    bool refusable = !m.IsResponse() && m.GetMethod() != "ACK";
    if (refusable && m_queue->IsFull(now))
    {
        if (m_stack->IsRetransmission(m))
        {
            // Its transaction is under way: a 503 would contradict it, and the sender
            // retransmits again.
            ++m_overloadDrops;
            return;
        }
        ++m_overloads;
        NS_LOG_INFO("node " << GetNode()->GetId() << ": queue full, 503 to " << m.GetMethod());
        m_overloadTrace(m.GetMethod(), m.GetCallId());
        auto busy = SipMessage::MakeResponse(m,
                                             503,
                                             "Service Unavailable: overloaded",
                                             m_stack->NewToken());
        busy.SetHeader("Retry-After", std::to_string(m_retryAfter));
        m_stack->Respond(m, busy, ResponsePeer(m, from));
        return;
    }
    Time service = Seconds(std::max(0.0, m_serviceTime->GetValue()));
    Time end = *m_queue->Arrive(now, service, refusable);
    m_queueLengthTrace(m_queue->GetLength(now));
    Simulator::Schedule(end - now, &SipProxy::Serve, this, m, from);
}

void
SipProxy::Serve(SipMessage m, SipStack::Peer from)
{
    if (!m_queue)
    {
        return; // stopped meanwhile
    }
    ++m_processed;
    m_queueLengthTrace(m_queue->GetLength(Simulator::Now()));
    m_stack->Deliver(m, from);
}

void
SipProxy::SetQueueLimit(uint32_t limit)
{
    m_queueLimit = limit;
    if (m_queue)
    {
        m_queue->SetLimit(limit);
    }
}

uint32_t
SipProxy::GetQueueLimit() const
{
    return m_queueLimit;
}

uint64_t
SipProxy::GetProcessedCount() const
{
    return m_processed;
}

uint64_t
SipProxy::GetOverloadCount() const
{
    return m_overloads;
}

uint64_t
SipProxy::GetOverloadDropCount() const
{
    return m_overloadDrops;
}

uint64_t
SipProxy::GetRetransmissionCount() const
{
    return m_stack ? m_stack->GetRetransmissionCount() : 0;
}

Time
SipProxy::GetBusyTime() const
{
    return m_queue ? m_queue->GetBusyTime(Simulator::Now()) : Time(0);
}

int64_t
SipProxy::AssignStreams(int64_t stream)
{
    m_serviceTime->SetStream(stream);
    return 1;
}

uint64_t
SipProxy::GetMalformedCount() const
{
    return m_stack ? m_stack->GetMalformedCount() : 0;
}

uint64_t
SipProxy::GetLoopCount() const
{
    return m_loops;
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

uint16_t
SipProxy::GetPort() const
{
    return m_port;
}

void
SipProxy::Reject(const SipMessage& m,
                 const SipStack::Peer& from,
                 uint16_t code,
                 const std::string& reason)
{
    m_stack->Respond(m,
                     SipMessage::MakeResponse(m, code, reason, m_stack->NewToken()),
                     ResponsePeer(m, from));
}

bool
SipProxy::AdmitInvite(const SipMessage&, const SipStack::Peer&)
{
    return true;
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

void
SipProxy::OnInviteFailed(const SipMessage&, uint16_t)
{
}

void
SipProxy::OnInDialogRequest(const SipMessage&)
{
}

void
SipProxy::AdjustInDialogTarget(SipMessage&)
{
}

void
SipProxy::OnRelayedResponse(const SipMessage&)
{
}

SipStack::Peer
SipProxy::ResponsePeer(const SipMessage& request, const SipStack::Peer& from)
{
    auto via = request.GetTopVia();
    auto peer = via ? ToPeer(via->host, via->port) : std::nullopt;
    return peer ? *peer : from;
}

bool
SipProxy::IsLooped(const SipMessage& request)
{
    bool looped = SipLoopDetector::IsLooped(request, [this](const SipVia& via) {
        auto peer = ToPeer(via.host, via.port);
        return peer && peer->port == m_port &&
               (m_stack->IsLocalAddress(peer->address) ||
                GetAdvertisedAddress(peer->address) == peer->address);
    });
    if (looped)
    {
        ++m_loops;
        NS_LOG_INFO("node " << GetNode()->GetId() << ": " << request.GetMethod()
                            << " looped back (482)");
    }
    return looped;
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
            m_stack->Respond(m,
                             SipMessage::MakeResponse(m, 483, "Too Many Hops: Max-Forwards is 0"),
                             ResponsePeer(m, to));
        }
        return;
    }
    if (IsLooped(m))
    {
        if (m.GetMethod() != "ACK")
        {
            m_stack->Respond(
                m,
                SipMessage::MakeResponse(m,
                                         482,
                                         "Loop Detected: this proxy forwarded the request before"),
                ResponsePeer(m, to));
        }
        return;
    }
    m.SetHeader("Max-Forwards", std::to_string(hops - 1));
    // Same branch for retransmissions of the same request (RFC 3261 §16.11), with the loop
    // detection hash of §16.6 item 8 in it.
    std::string branch = SipLoopDetector::MakeBranch(m, "s" + m.GetMethod());
    m.PrependHeader("Via",
                    "SIP/2.0/UDP " + ToText(GetAdvertisedAddress(to.address)) + ":" +
                        std::to_string(m_port) + ";branch=" + branch);
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
        OnOtherRequest(m, from);
    }
}

void
SipProxy::OnOtherRequest(const SipMessage& m, const SipStack::Peer& from)
{
    auto uri = SipUri::Parse(m.GetRequestUri());
    if (!uri || uri->user.empty())
    {
        AnswerAsUas(m, from);
        return;
    }
    // A request for a number, whatever its method: route it as an INVITE would be, and
    // forward it without state (one target: a non-INVITE request is not forked).
    Decision d = Route(m, from);
    if (d.targets.empty())
    {
        uint16_t code = d.code != 0 ? d.code : 480;
        Reject(m, from, code, d.reason.empty() ? SipMessage::GetReasonPhrase(code) : d.reason);
        return;
    }
    SipMessage out = m;
    out.SetRequestUri(d.targets.front().requestUri);
    ForwardStateless(out, d.targets.front().peer);
}

void
SipProxy::AnswerAsUas(const SipMessage& m, const SipStack::Peer& from)
{
    // What this element serves when it is the UAS, and the methods it knows as a proxy.
    static const char* const allow = "INVITE, ACK, CANCEL, OPTIONS, REGISTER";
    static const std::set<std::string> known{"INVITE",
                                             "ACK",
                                             "BYE",
                                             "CANCEL",
                                             "OPTIONS",
                                             "REGISTER",
                                             "PRACK",
                                             "SUBSCRIBE",
                                             "NOTIFY",
                                             "PUBLISH",
                                             "INFO",
                                             "REFER",
                                             "MESSAGE",
                                             "UPDATE"};
    const std::string& method = m.GetMethod();
    uint16_t code = method == "OPTIONS" ? 200 : known.count(method) ? 405 : 501;
    std::string reason =
        code == 405 ? "Method Not Allowed: " + method + " to the proxy itself" : "";
    auto r = SipMessage::MakeResponse(m, code, reason, m_stack->NewToken());
    if (code != 501)
    {
        r.SetHeader("Allow", allow);
    }
    m_stack->Respond(m, r, ResponsePeer(m, from));
}

void
SipProxy::ForwardInDialog(SipMessage m, const SipStack::Peer& from)
{
    OnInDialogRequest(m);
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
        AdjustInDialogTarget(m);
        auto uri = SipUri::Parse(m.GetRequestUri());
        next = uri ? ToPeer(uri->host, uri->port) : std::nullopt;
    }
    if (!next || m_stack->IsLocalAddress(next->address))
    {
        if (m.GetMethod() != "ACK")
        {
            Reject(m, from, 404, "Not Found: no next hop for this in-dialog request");
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
    OnRelayedResponse(m);
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
        Reject(m, from, 483, "Too Many Hops: Max-Forwards is 0");
        return;
    }
    if (IsLooped(m))
    {
        Reject(m, from, 482, "Loop Detected: this proxy forwarded the request before");
        return;
    }
    m_stack->Respond(m, SipMessage::MakeResponse(m, 100, ""), upstream);
    if (m_maxPendingCalls > 0 && GetPendingCallCount() >= m_maxPendingCalls)
    {
        auto busy = SipMessage::MakeResponse(m, 503, "", m_stack->NewToken());
        busy.SetHeader("Retry-After", std::to_string(m_retryAfter));
        m_routeTrace(RequestUser(m), "503");
        m_stack->Respond(m, busy, upstream);
        return;
    }
    if (!AdmitInvite(m, from))
    {
        return;
    }
    Decision d = Route(m, from);
    std::string user = RequestUser(m);
    if (d.code != 0 || d.targets.empty())
    {
        uint16_t code = d.code != 0 ? d.code : 480;
        NS_LOG_INFO("node " << GetNode()->GetId() << ": INVITE for " << user << " -> " << code);
        m_routeTrace(user, std::to_string(code));
        Reject(m, from, code, d.reason.empty() ? SipMessage::GetReasonPhrase(code) : d.reason);
        return;
    }
    m_routeTrace(user, "forward " + std::to_string(d.targets.size()));
    m_forks += d.targets.size() > 1;
    auto call = std::make_shared<ServerCall>(ServerCall{m, upstream, {}, false, false, {}, false});
    m_calls[key] = call;
    uint32_t forwards = hops.empty() ? 70 : static_cast<uint32_t>(std::stoul(hops));
    for (std::size_t index = 0; index < d.targets.size(); ++index)
    {
        const Target& target = d.targets[index];
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
        // One branch per fork, each with the loop detection hash (RFC 3261 §16.6 item 8).
        out.PrependHeader("Via",
                          "SIP/2.0/UDP " + ToText(down) + port +
                              ";branch=" + SipLoopDetector::MakeBranch(m, std::to_string(index)));
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
    // Bound for a call that never gets a final answer (Timer C is above 3 min).
    ForgetCall(call, Seconds(300));
}

void
SipProxy::ForgetCall(const std::shared_ptr<ServerCall>& call, Time after)
{
    std::weak_ptr<ServerCall> weak = call;
    ScheduleFunction(after, [this, key = call->invite.GetTopBranch(), weak]() {
        auto it = m_calls.find(key);
        if (it != m_calls.end() && it->second == weak.lock())
        {
            m_calls.erase(it);
        }
    });
}

void
SipProxy::OnBranchResponse(std::shared_ptr<ServerCall> call, std::size_t index, const SipMessage* r)
{
    Branch& branch = call->branches[index];
    uint16_t code = r ? r->GetStatusCode() : 408;
    if (code == 100)
    {
        // 100 is a provisional response too (RFC 3261 §9.1): a pending CANCEL may go now.
        branch.provisional = true;
        if (branch.cancelWhenProvisional)
        {
            CancelBranch(branch);
        }
        return;
    }
    SipMessage up =
        r ? *r
          : SipMessage::MakeResponse(branch.request,
                                     408,
                                     "Request Timeout: no answer from " + branch.target.requestUri,
                                     m_stack->NewToken());
    up.RemoveFirstHeader("Via");
    auto failUp = [this, call](uint16_t failure) {
        // The response cannot go up as it is (e.g. no NAT mapping for its media).
        if (call->failedUp)
        {
            return;
        }
        call->failedUp = true;
        call->done = true;
        ForgetCall(call, 64 * m_t1);
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
            // Its 2xx retransmissions go up statelessly after that (RFC 6026 Timer L).
            ForgetCall(call, 64 * m_t1);
            m_stack->InviteAccepted(call->invite);
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
        ForgetCall(call, 64 * m_t1);
        PrepareOutgoing(
            *call->best,
            call->upstream,
            [this, call](const SipMessage& out) {
                m_stack->Respond(call->invite, out, call->upstream);
            },
            [](uint16_t) {});
        OnInviteFailed(call->invite, call->best->GetStatusCode());
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
        Reject(m,
               from,
               481,
               "Call/Transaction Does Not Exist: no INVITE transaction for this CANCEL");
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

} // namespace apartment
} // namespace ns3
