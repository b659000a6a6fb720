/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/call-nat-binder.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/schedule-function.h"
#include "ns3/sdp.h"
#include "ns3/simulator.h"
#include "ns3/sip-stack.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipCallNatBinder");
NS_OBJECT_ENSURE_REGISTERED(CallNatBinder);

namespace
{

std::string
ToText(Ipv4Address a)
{
    std::ostringstream os;
    a.Print(os);
    return os.str();
}

bool
HasSdp(const SipMessage& m)
{
    return !m.GetBody().empty() && m.GetHeader("Content-Type") == "application/sdp";
}

} // namespace

TypeId
CallNatBinder::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::CallNatBinder")
            .SetParent<Object>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<CallNatBinder>()
            .AddAttribute("Lifetime",
                          "Lifetime asked for each mapping; refreshed at half time while the "
                          "call lasts, so a lost release frees it after this at most.",
                          TimeValue(Seconds(600)),
                          MakeTimeAccessor(&CallNatBinder::m_lifetime),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("MaxRetransmissions",
                          "PCP retransmissions before a request counts as unanswered "
                          "(RFC 6887 §8.1.1 timing: 3 s, doubling).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&CallNatBinder::m_maxRetransmissions),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ServerPort",
                          "UDP port of the NAT's PCP server.",
                          UintegerValue(PcpHeader::PORT),
                          MakeUintegerAccessor(&CallNatBinder::m_serverPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddTraceSource("Granted",
                            "The NAT mapped an inside endpoint (inside, port, public, port).",
                            MakeTraceSourceAccessor(&CallNatBinder::m_grantedTrace),
                            "ns3::apartment::CallNatBinder::MappingTracedCallback")
            .AddTraceSource("Released",
                            "A mapping was given back (inside, port, public, port).",
                            MakeTraceSourceAccessor(&CallNatBinder::m_releasedTrace),
                            "ns3::apartment::CallNatBinder::MappingTracedCallback")
            .AddTraceSource("Refused",
                            "The NAT refused or did not answer (inside, port, PCP result; "
                            "255: no answer).",
                            MakeTraceSourceAccessor(&CallNatBinder::m_refusedTrace),
                            "ns3::apartment::CallNatBinder::RefusedTracedCallback");
    return tid;
}

CallNatBinder::CallNatBinder()
    : m_random(CreateObject<UniformRandomVariable>())
{
}

CallNatBinder::~CallNatBinder() = default;

void
CallNatBinder::DoDispose()
{
    for (auto& [e, g] : m_granted)
    {
        g.refresh.Cancel();
    }
    for (auto& [e, p] : m_pending)
    {
        p.timer.Cancel();
    }
    m_granted.clear();
    m_pending.clear();
    m_socket = nullptr;
    m_node = nullptr;
    Object::DoDispose();
}

void
CallNatBinder::Setup(Ptr<Node> node, Ipv4Address self, Ipv4Address server)
{
    m_node = node;
    m_server = server;
    m_client = std::make_unique<PcpClient>(self);
}

void
CallNatBinder::AddInsideNetwork(Ipv4Address network, Ipv4Mask mask)
{
    m_inside.emplace_back(network, mask);
}

int64_t
CallNatBinder::AssignStreams(int64_t stream)
{
    m_random->SetStream(stream);
    return 1;
}

bool
CallNatBinder::IsInside(Ipv4Address a) const
{
    for (const auto& [network, mask] : m_inside)
    {
        if (mask.IsMatch(a, network))
        {
            return true;
        }
    }
    return false;
}

std::set<CallNatBinder::Endpoint>
CallNatBinder::InsideEndpoints(const SipMessage& m) const
{
    std::set<Endpoint> out;
    if (!HasSdp(m))
    {
        // Only messages that set up media take mappings: a 180 from each of the phones a
        // household call rings would otherwise hold a pool address per ringing phone. Their
        // Contact is rewritten if the call has mapped it already (Rewrite).
        return out;
    }
    for (const auto& c : m.GetHeaders("Contact"))
    {
        auto na = SipNameAddr::Parse(c);
        auto peer = na ? ToPeer(na->uri.host, na->uri.port) : std::nullopt;
        if (peer && IsInside(peer->address))
        {
            out.insert({peer->address.Get(), peer->port});
        }
    }
    {
        auto sd = SessionDescription::Parse(m.GetBody());
        auto c = sd ? ToPeer(sd->connectionAddress, 0) : std::nullopt;
        if (c && IsInside(c->address))
        {
            for (const auto& media : sd->media)
            {
                if (media.port != 0)
                {
                    out.insert({c->address.Get(), media.port});
                }
            }
        }
    }
    return out;
}

void
CallNatBinder::Rewrite(SipMessage& m) const
{
    auto lookup = [this](Ipv4Address a, uint16_t port) -> const Granted* {
        auto it = m_granted.find({a.Get(), port});
        return it == m_granted.end() ? nullptr : &it->second;
    };
    auto contacts = m.GetHeaders("Contact");
    if (!contacts.empty())
    {
        m.RemoveHeaders("Contact");
        for (const auto& c : contacts)
        {
            auto na = SipNameAddr::Parse(c);
            auto peer = na ? ToPeer(na->uri.host, na->uri.port) : std::nullopt;
            const Granted* g = peer ? lookup(peer->address, peer->port) : nullptr;
            if (g)
            {
                na->uri.host = ToText(g->publicAddress);
                na->uri.port = g->publicPort;
                m.AddHeader("Contact", na->ToString());
            }
            else
            {
                m.AddHeader("Contact", c);
            }
        }
    }
    if (HasSdp(m))
    {
        auto sd = SessionDescription::Parse(m.GetBody());
        auto c = sd ? ToPeer(sd->connectionAddress, 0) : std::nullopt;
        if (c && IsInside(c->address))
        {
            std::optional<Ipv4Address> outside;
            for (auto& media : sd->media)
            {
                const Granted* g = media.port != 0 ? lookup(c->address, media.port) : nullptr;
                if (g)
                {
                    media.port = g->publicPort;
                    outside = outside ? outside : g->publicAddress;
                }
            }
            if (outside)
            {
                sd->connectionAddress = ToText(*outside);
                auto o = ToPeer(sd->originAddress, 0);
                if (!o || IsInside(o->address))
                {
                    sd->originAddress = sd->connectionAddress;
                }
                m.SetBody(sd->Serialize(), "application/sdp");
            }
        }
    }
}

void
CallNatBinder::Untranslate(SipMessage& m) const
{
    if (!m.IsRequest())
    {
        return;
    }
    auto uri = SipUri::Parse(m.GetRequestUri());
    auto peer = uri ? ToPeer(uri->host, uri->port) : std::nullopt;
    if (!peer)
    {
        return;
    }
    auto it = m_byPublic.find({peer->address.Get(), peer->port});
    if (it != m_byPublic.end())
    {
        uri->host = ToText(Ipv4Address(it->second.first));
        uri->port = it->second.second;
        m.SetRequestUri(uri->ToString());
    }
}

void
CallNatBinder::Outgoing(SipMessage m, bool outward, SendFunction send, FailFunction fail)
{
    NS_ABORT_MSG_IF(!m_client, "CallNatBinder: Setup() first");
    std::string callId = m.GetCallId();
    bool ends = false;
    if (!m.IsRequest())
    {
        uint16_t code = m.GetStatusCode();
        std::string method = m.GetCSeqMethod();
        ends =
            (method == "BYE" && code >= 200 && code < 300) || (method == "INVITE" && code >= 300);
    }
    std::set<Endpoint> endpoints = outward ? InsideEndpoints(m) : std::set<Endpoint>{};
    if (!outward)
    {
        Untranslate(m);
    }
    auto held = std::make_shared<Held>();
    held->callId = callId;
    for (const auto& e : endpoints)
    {
        auto g = m_granted.find(e);
        if (g != m_granted.end())
        {
            g->second.calls.insert(callId);
            m_calls[callId].insert(e);
        }
        else
        {
            held->waiting.insert(e);
        }
    }
    if (held->waiting.empty())
    {
        Rewrite(m);
        send(m);
        if (ends)
        {
            Release(callId);
        }
        return;
    }
    held->message = m;
    held->send = send;
    held->fail = fail;
    // Wait on every endpoint before asking: a NAT on this very node (a home gateway's)
    // answers within SendTo, before Request returns.
    std::vector<Endpoint> fresh;
    for (const auto& e : held->waiting)
    {
        if (!m_pending.count(e))
        {
            fresh.push_back(e);
        }
        m_pending[e].held.push_back(held);
    }
    for (const auto& e : fresh)
    {
        Request(e, false);
    }
}

void
CallNatBinder::Request(const Endpoint& e, bool refresh)
{
    Pending& p = m_pending[e];
    auto g = m_granted.find(e);
    if (g != m_granted.end())
    {
        p.mapping = g->second.mapping; // same nonce: a refresh
    }
    else
    {
        for (auto& b : p.mapping.nonce)
        {
            b = static_cast<uint8_t>(m_random->GetInteger(0, 255));
        }
        p.mapping.protocol = 17;
        p.mapping.internalAddress = Ipv4Address(e.first);
        p.mapping.internalPort = e.second;
    }
    p.refresh = refresh;
    p.attempt = 0;
    p.lifetime = static_cast<uint32_t>(m_lifetime.GetSeconds());
    Transmit(e);
}

void
CallNatBinder::Transmit(const Endpoint& e)
{
    if (!m_socket)
    {
        m_socket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
        m_socket->Bind();
        m_socket->SetRecvCallback(MakeCallback(&CallNatBinder::HandleRead, this));
    }
    Pending& p = m_pending[e];
    Ptr<Packet> packet = Create<Packet>();
    packet->AddHeader(m_client->MakeRequest(p.mapping, p.lifetime, e.second));
    p.timer = Simulator::Schedule(PcpClient::RetransmissionTimeout(p.attempt),
                                  &CallNatBinder::Timeout,
                                  this,
                                  e);
    // Last: a server on this node answers within SendTo, and Resolve() erases p.
    m_socket->SendTo(packet, 0, InetSocketAddress(m_server, m_serverPort));
}

void
CallNatBinder::Timeout(Endpoint e)
{
    auto it = m_pending.find(e);
    if (it == m_pending.end())
    {
        return;
    }
    if (++it->second.attempt > m_maxRetransmissions)
    {
        Resolve(e, std::nullopt);
        return;
    }
    Transmit(e);
}

void
CallNatBinder::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        PcpHeader h;
        p->RemoveHeader(h);
        if (!h.IsValid() || !h.IsResponse())
        {
            NS_LOG_INFO("PCP: not a valid response, dropped");
            continue;
        }
        auto third = h.GetThirdParty();
        Ipv4Address inside = third ? *third : m_client->GetAddress();
        Endpoint e{inside.Get(), h.GetInternalPort()};
        auto it = m_pending.find(e);
        if (it == m_pending.end())
        {
            continue; // a deletion's answer or a late duplicate
        }
        auto answer = PcpClient::Match(it->second.mapping, h);
        if (answer)
        {
            Resolve(e, answer);
        }
    }
}

void
CallNatBinder::Resolve(const Endpoint& e, std::optional<PcpClient::Answer> answer)
{
    Pending p = std::move(m_pending[e]);
    m_pending.erase(e);
    p.timer.Cancel();
    const Ipv4Address inside(e.first);
    bool ok = answer && answer->result == PcpHeader::SUCCESS && answer->lifetime > 0 &&
              answer->externalAddress != Ipv4Address::GetAny();
    if (!ok)
    {
        ++m_refused;
        uint8_t result = answer ? answer->result : 255;
        NS_LOG_INFO("PCP: no mapping for " << inside << ":" << e.second << ", result "
                                           << PcpHeader::ResultName(result));
        m_refusedTrace(inside, e.second, result);
        for (auto& held : p.held)
        {
            if (!held->failed)
            {
                held->failed = true;
                ++m_failedMessages;
                held->fail(503);
            }
        }
        return;
    }
    auto [g, created] = m_granted.try_emplace(e);
    g->second.mapping = p.mapping;
    if (created || g->second.publicAddress != answer->externalAddress ||
        g->second.publicPort != answer->externalPort)
    {
        m_byPublic.erase({g->second.publicAddress.Get(), g->second.publicPort});
        g->second.publicAddress = answer->externalAddress;
        g->second.publicPort = answer->externalPort;
        m_byPublic[{answer->externalAddress.Get(), answer->externalPort}] = e;
    }
    if (created)
    {
        ++m_grantedCount;
        m_peak = std::max(m_peak, m_granted.size());
        m_grantedTrace(inside, e.second, answer->externalAddress, answer->externalPort);
    }
    ScheduleRefresh(e, answer->lifetime);
    for (auto& held : p.held)
    {
        if (held->failed)
        {
            continue;
        }
        held->waiting.erase(e);
        g->second.calls.insert(held->callId);
        m_calls[held->callId].insert(e);
        if (held->waiting.empty())
        {
            Rewrite(*held->message);
            held->send(*held->message);
        }
    }
    if (g->second.calls.empty())
    {
        Delete(e); // everyone who asked has failed meanwhile
    }
}

void
CallNatBinder::ScheduleRefresh(const Endpoint& e, uint32_t lifetime)
{
    Granted& g = m_granted[e];
    g.refresh.Cancel();
    g.refresh = ScheduleFunction(Seconds(lifetime / 2.0), [this, e]() {
        if (m_granted.count(e) && !m_pending.count(e))
        {
            Request(e, true);
        }
    });
}

void
CallNatBinder::Release(const std::string& callId)
{
    auto call = m_calls.find(callId);
    if (call == m_calls.end())
    {
        return;
    }
    std::set<Endpoint> endpoints = std::move(call->second);
    m_calls.erase(call);
    for (const auto& e : endpoints)
    {
        auto g = m_granted.find(e);
        if (g == m_granted.end())
        {
            continue;
        }
        g->second.calls.erase(callId);
        if (g->second.calls.empty())
        {
            Delete(e);
        }
    }
}

void
CallNatBinder::Delete(const Endpoint& e)
{
    auto g = m_granted.find(e);
    if (g == m_granted.end())
    {
        return;
    }
    auto pending = m_pending.find(e);
    if (pending != m_pending.end() && pending->second.held.empty())
    {
        pending->second.timer.Cancel(); // a refresh in flight: the deletion follows it
        m_pending.erase(pending);
    }
    Granted granted = g->second;
    granted.refresh.Cancel();
    m_granted.erase(g);
    m_byPublic.erase({granted.publicAddress.Get(), granted.publicPort});
    ++m_released;
    m_releasedTrace(Ipv4Address(e.first), e.second, granted.publicAddress, granted.publicPort);
    // Lifetime 0 deletes (RFC 6887 §15); if it is lost the mapping expires on its own.
    Ptr<Packet> packet = Create<Packet>();
    packet->AddHeader(m_client->MakeRequest(granted.mapping, 0, 0));
    m_socket->SendTo(packet, 0, InetSocketAddress(m_server, m_serverPort));
}

std::size_t
CallNatBinder::GetActiveMappingCount() const
{
    return m_granted.size();
}

std::size_t
CallNatBinder::GetPeakMappingCount() const
{
    return m_peak;
}

uint64_t
CallNatBinder::GetGrantedCount() const
{
    return m_grantedCount;
}

uint64_t
CallNatBinder::GetRefusedCount() const
{
    return m_refused;
}

uint64_t
CallNatBinder::GetFailedMessageCount() const
{
    return m_failedMessages;
}

uint64_t
CallNatBinder::GetReleasedCount() const
{
    return m_released;
}

std::size_t
CallNatBinder::GetCallCount() const
{
    return m_calls.size();
}

} // namespace apartment
} // namespace ns3
