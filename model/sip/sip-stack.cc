/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-stack.h"

#include "ns3/apartment-voip-compat.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/schedule-function.h"
#include "ns3/simulator.h"
#include "ns3/sip-header.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipSipStack");

struct SipStack::ClientTxn
{
    SipMessage request;
    Peer to;
    ClientTransaction txn;
    EventId retransmit;
    EventId timeout;
    EventId linger;
    FinalHandler done;
    InviteHandler invite;
};

struct SipStack::ServerTxn
{
    SipMessage response{SipMessage::MakeRequest("", "")};
    Peer to;
    bool isInvite{false};
    ServerInviteTransaction txn;
    EventId retransmit;
    EventId timeout;
    EventId expire;
    std::function<void()> noAck;
};

std::optional<SipStack::Peer>
ToPeer(const std::string& host, uint16_t port)
{
    // Ipv4Address accepts anything; check it is dotted decimal first.
    int dots = 0;
    for (char c : host)
    {
        if (c == '.')
        {
            ++dots;
        }
        else if (c < '0' || c > '9')
        {
            return std::nullopt;
        }
    }
    if (dots != 3)
    {
        return std::nullopt;
    }
    return SipStack::Peer{Ipv4Address(host.c_str()), port == 0 ? uint16_t(5060) : port};
}

SipStack::SipStack(Ptr<Node> node, SipTimers timers)
    : m_node(node),
      m_timers(timers)
{
}

SipStack::~SipStack()
{
    Close();
}

void
SipStack::Open(uint16_t port, MessageHandler requests, MessageHandler responses)
{
    m_requests = std::move(requests);
    m_responses = std::move(responses);
    m_socket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0)
    {
        NS_FATAL_ERROR("SipStack: cannot bind UDP port " << port << " on node " << m_node->GetId());
    }
    m_socket->SetRecvCallback(MakeCallback(&SipStack::HandleRead, this));
}

void
SipStack::Close()
{
    for (auto& [k, c] : m_clients)
    {
        c->retransmit.Cancel();
        c->timeout.Cancel();
        c->linger.Cancel();
    }
    for (auto& [k, s] : m_servers)
    {
        s->retransmit.Cancel();
        s->timeout.Cancel();
        s->expire.Cancel();
    }
    m_clients.clear();
    m_servers.clear();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

void
SipStack::SetTraces(TextTrace tx, TextTrace rx, DropTrace drop)
{
    m_tx = std::move(tx);
    m_rx = std::move(rx);
    m_drop = std::move(drop);
}

void
SipStack::SetForeignHandler(ForeignHandler handler)
{
    m_foreign = std::move(handler);
}

Ptr<Socket>
SipStack::GetSocket() const
{
    return m_socket;
}

void
SipStack::SetProxyRole(bool proxy)
{
    m_proxy = proxy;
}

const std::vector<std::string>&
SipStack::GetSupportedOptions()
{
    static const std::vector<std::string> none;
    return none;
}

SipStack::Peer
SipStack::ResponsePeer(const SipMessage& request, const Peer& from)
{
    auto via = request.GetTopVia();
    auto peer = via ? ToPeer(via->host, via->port) : std::nullopt;
    return peer ? *peer : from;
}

void
SipStack::Send(const SipMessage& message, const Peer& to)
{
    if (!m_socket)
    {
        return;
    }
    std::string text = message.Serialize();
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(SipHeader(text));
    m_socket->SendTo(p, 0, InetSocketAddress(to.address, to.port));
    NS_LOG_DEBUG("node " << m_node->GetId() << " -> " << to.address << ":" << to.port << " "
                         << text.substr(0, text.find('\r')));
    if (m_tx)
    {
        m_tx(text);
    }
}

void
SipStack::SendNonInvite(const SipMessage& request, const Peer& to, FinalHandler done)
{
    std::string key = request.GetTopBranch() + " " + request.GetMethod();
    auto c = std::make_unique<ClientTxn>(
        ClientTxn{request,
                  to,
                  ClientTransaction(ClientTransaction::Kind::NON_INVITE, m_timers),
                  {},
                  {},
                  {},
                  std::move(done),
                  nullptr});
    m_clients[key] = std::move(c);
    ArmClient(key);
}

void
SipStack::SendInvite(const SipMessage& invite, const Peer& to, InviteHandler handler)
{
    std::string key = invite.GetTopBranch() + " INVITE";
    auto c = std::make_unique<ClientTxn>(
        ClientTxn{invite,
                  to,
                  ClientTransaction(ClientTransaction::Kind::INVITE, m_timers),
                  {},
                  {},
                  {},
                  nullptr,
                  std::move(handler)});
    m_clients[key] = std::move(c);
    ArmClient(key);
}

void
SipStack::ArmClient(const std::string& key)
{
    auto& c = *m_clients[key];
    Send(c.request, c.to);
    Time first = c.txn.Start();
    c.retransmit = Simulator::Schedule(first, &SipStack::OnClientRetransmit, this, key);
    c.timeout = Simulator::Schedule(c.txn.GetTimeout(), &SipStack::OnClientTimeout, this, key);
}

void
SipStack::StopInviteRetransmissions(const std::string& branch)
{
    auto it = m_clients.find(branch + " INVITE");
    if (it != m_clients.end())
    {
        it->second->retransmit.Cancel();
    }
}

void
SipStack::AbandonClientTransaction(const std::string& branch, const std::string& method)
{
    auto it = m_clients.find(branch + " " + method);
    if (it != m_clients.end() && method != "INVITE")
    {
        it->second->retransmit.Cancel();
        it->second->timeout.Cancel();
        it->second->linger.Cancel();
        m_clients.erase(it);
    }
}

void
SipStack::OnClientRetransmit(const std::string& key)
{
    auto it = m_clients.find(key);
    if (it == m_clients.end())
    {
        return;
    }
    auto next = it->second->txn.OnRetransmitTimer();
    if (next)
    {
        ++m_retransmissions;
        Send(it->second->request, it->second->to);
        it->second->retransmit =
            Simulator::Schedule(*next, &SipStack::OnClientRetransmit, this, key);
    }
}

void
SipStack::OnClientTimeout(const std::string& key)
{
    auto it = m_clients.find(key);
    if (it == m_clients.end() || !it->second->txn.OnTimeout())
    {
        return;
    }
    auto c = std::move(it->second);
    m_clients.erase(it);
    c->retransmit.Cancel();
    c->linger.Cancel();
    NS_LOG_INFO("node " << m_node->GetId() << ": " << c->request.GetMethod() << " timed out");
    if (c->done)
    {
        c->done(nullptr);
    }
    if (c->invite)
    {
        c->invite(nullptr);
    }
}

void
SipStack::SendAckFor(const ClientTxn& c, const SipMessage& response)
{
    // ACK of a non-2xx final: same hop, same branch (RFC 3261 §17.1.1.3).
    auto ack = SipMessage::MakeRequest("ACK", c.request.GetRequestUri());
    ack.AddHeader("Via", c.request.GetHeader("Via"));
    ack.SetHeader("Max-Forwards", "70");
    ack.SetHeader("From", c.request.GetHeader("From"));
    ack.SetHeader("To", response.GetHeader("To"));
    ack.SetHeader("Call-ID", c.request.GetCallId());
    ack.SetHeader("CSeq", std::to_string(c.request.GetCSeqNumber()) + " ACK");
    for (const auto& r : c.request.GetHeaders("Route"))
    {
        ack.AddHeader("Route", r);
    }
    Send(ack, c.to);
}

void
SipStack::Respond(const SipMessage& request,
                  const SipMessage& response,
                  const Peer& to,
                  std::function<void()> noAck)
{
    std::string key = request.GetTopBranch() + " " + request.GetMethod();
    auto& slot = m_servers[key];
    const bool isFinal = response.GetStatusCode() >= 200;
    if (!slot || isFinal)
    {
        if (!slot)
        {
            slot = std::make_unique<ServerTxn>();
            slot->isInvite = request.GetMethod() == "INVITE";
            slot->txn = ServerInviteTransaction(m_timers);
        }
        // Forget the transaction once no retransmission can refer to it: 64 T1 + T4 after
        // its final response (Timers J, H + I, L); bounded by 32 s more from a provisional
        // one for a request that never gets a final answer here.
        ExpireServerLater(key, 64 * m_timers.t1 + m_timers.t4 + (isFinal ? Time(0) : Seconds(32)));
    }
    auto& s = *slot;
    s.response = response;
    s.to = to;
    Send(response, to);
    if (s.isInvite && response.GetStatusCode() >= 200)
    {
        s.noAck = std::move(noAck);
        s.retransmit.Cancel();
        s.timeout.Cancel();
        Time first = s.txn.OnFinalResponseSent();
        s.retransmit = Simulator::Schedule(first, &SipStack::OnServerRetransmit, this, key);
        s.timeout = Simulator::Schedule(s.txn.GetTimeout(), &SipStack::OnServerTimeout, this, key);
    }
}

void
SipStack::ExpireServerLater(const std::string& key, Time after)
{
    auto it = m_servers.find(key);
    if (it == m_servers.end())
    {
        return;
    }
    it->second->expire.Cancel();
    it->second->expire = ScheduleFunction(after, [this, key]() {
        auto it = m_servers.find(key);
        if (it != m_servers.end())
        {
            it->second->retransmit.Cancel();
            it->second->timeout.Cancel();
            m_servers.erase(it);
        }
    });
}

void
SipStack::InviteAccepted(const SipMessage& invite)
{
    ExpireServerLater(invite.GetTopBranch() + " INVITE", 64 * m_timers.t1 + m_timers.t4);
}

void
SipStack::AckReceived(const std::string& inviteBranch)
{
    auto it = m_servers.find(inviteBranch + " INVITE");
    if (it != m_servers.end())
    {
        it->second->txn.OnAck();
        it->second->retransmit.Cancel();
        it->second->timeout.Cancel();
    }
}

void
SipStack::OnServerRetransmit(const std::string& key)
{
    auto it = m_servers.find(key);
    if (it == m_servers.end())
    {
        return;
    }
    auto next = it->second->txn.OnRetransmitTimer();
    if (next)
    {
        ++m_retransmissions;
        Send(it->second->response, it->second->to);
        it->second->retransmit =
            Simulator::Schedule(*next, &SipStack::OnServerRetransmit, this, key);
    }
}

void
SipStack::OnServerTimeout(const std::string& key)
{
    auto it = m_servers.find(key);
    if (it == m_servers.end())
    {
        return;
    }
    it->second->retransmit.Cancel();
    if (it->second->txn.OnTimeout() && it->second->noAck)
    {
        auto noAck = it->second->noAck;
        it->second->noAck = nullptr;
        noAck();
    }
}

void
SipStack::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> packet;
    while ((packet = socket->RecvFrom(from)))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        if (m_foreign && m_foreign(packet, from))
        {
            continue;
        }
        auto inet = InetSocketAddress::ConvertFrom(from);
        SipHeader header;
        packet->RemoveHeader(header);
        std::string error;
        std::optional<SipMessage> answerable;
        uint16_t code = 0;
        auto message = SipMessage::Parse(header.GetText(), &error, &answerable, &code);
        if (!message)
        {
            ++m_malformed;
            NS_LOG_WARN("node " << m_node->GetId() << ": malformed SIP from " << inet.GetIpv4()
                                << (answerable ? " answered " + std::to_string(code) : " dropped")
                                << ": " << error);
            if (m_drop)
            {
                m_drop(header.GetText(), error);
            }
            if (answerable)
            {
                // Stateless: a retransmission is answered again the same way.
                ++m_answeredMalformed;
                std::string reason = SipMessage::GetReasonPhrase(code) + ": ";
                for (char c : error.substr(0, 120))
                {
                    reason += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
                }
                Send(SipMessage::MakeResponse(*answerable, code, reason, NewToken()),
                     ResponsePeer(*answerable, Peer{inet.GetIpv4(), inet.GetPort()}));
            }
            continue;
        }
        if (m_rx)
        {
            m_rx(header.GetText());
        }
        Peer peer{inet.GetIpv4(), inet.GetPort()};
        if (m_ingress)
        {
            m_ingress(*message, peer);
        }
        else
        {
            Receive(*message, peer);
        }
    }
}

void
SipStack::SetIngress(MessageHandler gate)
{
    m_ingress = std::move(gate);
}

void
SipStack::Deliver(const SipMessage& message, const Peer& from)
{
    Receive(message, from);
}

bool
SipStack::IsRetransmission(const SipMessage& request) const
{
    return !request.IsResponse() && request.GetMethod() != "ACK" &&
           m_servers.count(request.GetTopBranch() + " " + request.GetMethod()) > 0;
}

void
SipStack::Receive(const SipMessage& m, const Peer& from)
{
    if (m.IsResponse())
    {
        std::string key = m.GetTopBranch() + " " + m.GetCSeqMethod();
        auto it = m_clients.find(key);
        if (it == m_clients.end())
        {
            if (m_responses)
            {
                m_responses(m, from);
            }
            return;
        }
        auto& c = *it->second;
        auto action = c.txn.OnResponse(m.GetStatusCode());
        if (action.stopRetransmit)
        {
            c.retransmit.Cancel();
        }
        if (action.sendAck)
        {
            SendAckFor(c, m);
        }
        if (m.GetStatusCode() >= 200)
        {
            c.timeout.Cancel();
        }
        if (action.linger)
        {
            c.linger = ScheduleFunction(*action.linger, [this, key]() { m_clients.erase(key); });
        }
        else if (c.txn.GetState() == ClientTransaction::State::TERMINATED && !IsPending(c.linger))
        {
            // INVITE after 2xx: keep a while so 2xx retransmissions still reach the owner.
            c.linger = ScheduleFunction(64 * m_timers.t1, [this, key]() { m_clients.erase(key); });
        }
        if (action.passUp)
        {
            if (c.done && m.GetStatusCode() >= 200)
            {
                auto done = c.done;
                c.done = nullptr;
                done(&m);
            }
            else if (c.invite)
            {
                auto handler = c.invite; // the handler may end the transaction
                handler(&m);
            }
        }
        return;
    }
    // Requests: retransmissions are answered from the server transactions.
    std::string key = m.GetTopBranch() + " " + m.GetMethod();
    if (m.GetMethod() == "ACK")
    {
        auto it = m_servers.find(m.GetTopBranch() + " INVITE");
        if (it != m_servers.end() && it->second->response.GetStatusCode() >= 300)
        {
            it->second->txn.OnAck();
            it->second->retransmit.Cancel();
            it->second->timeout.Cancel();
            return; // hop-by-hop ACK of a non-2xx final ends here
        }
    }
    else
    {
        auto it = m_servers.find(key);
        if (it != m_servers.end())
        {
            ++m_retransmissions;
            Send(it->second->response, it->second->to);
            return;
        }
    }
    if (m.GetMethod() != "ACK" && RefuseUnsupported(m, from))
    {
        return;
    }
    if (m_requests)
    {
        m_requests(m, from);
    }
}

bool
SipStack::RefuseUnsupported(const SipMessage& m, const Peer& from)
{
    auto uri = SipUri::Parse(m.GetRequestUri());
    if (!uri || uri->scheme != "sip")
    {
        ++m_refused;
        auto r = SipMessage::MakeResponse(
            m,
            416,
            "Unsupported URI Scheme: " + (uri ? uri->scheme : std::string("?")) + ": is not served",
            NewToken());
        Respond(m, r, ResponsePeer(m, from));
        return true;
    }
    std::vector<std::string> unsupported;
    for (const auto& option : m.GetHeaders(m_proxy ? "Proxy-Require" : "Require"))
    {
        const auto& supported = GetSupportedOptions();
        if (std::find(supported.begin(), supported.end(), option) == supported.end())
        {
            unsupported.push_back(option);
        }
    }
    if (unsupported.empty())
    {
        return false;
    }
    ++m_refused;
    auto r = SipMessage::MakeResponse(m,
                                      420,
                                      "Bad Extension: " + unsupported.front() + " is not supported",
                                      NewToken());
    for (const auto& option : unsupported)
    {
        r.AddHeader("Unsupported", option);
    }
    Respond(m, r, ResponsePeer(m, from));
    return true;
}

Ipv4Address
SipStack::GetLocalAddressFor(Ipv4Address destination) const
{
    Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
    if (!ipv4 || !ipv4->GetRoutingProtocol())
    {
        return Ipv4Address::GetAny();
    }
    Ipv4Header h;
    h.SetDestination(destination);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
    return route ? route->GetSource() : Ipv4Address::GetAny();
}

bool
SipStack::IsLocalAddress(Ipv4Address address) const
{
    Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
    return ipv4 && ipv4->GetInterfaceForAddress(address) >= 0;
}

std::string
SipStack::NewBranch()
{
    return "z9hG4bK" + NewToken();
}

std::string
SipStack::NewToken()
{
    return std::to_string(m_node->GetId()) + "x" + std::to_string(++m_counter);
}

uint64_t
SipStack::GetMalformedCount() const
{
    return m_malformed;
}

uint64_t
SipStack::GetAnsweredMalformedCount() const
{
    return m_answeredMalformed;
}

uint64_t
SipStack::GetRefusedCount() const
{
    return m_refused;
}

uint64_t
SipStack::GetRetransmissionCount() const
{
    return m_retransmissions;
}

} // namespace apartment
} // namespace ns3
