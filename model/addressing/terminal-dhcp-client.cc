/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/terminal-dhcp-client.h"

#include "ns3/apartment-voip-compat.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipTerminalDhcpClient");
NS_OBJECT_ENSURE_REGISTERED(TerminalDhcpClient);

TypeId
TerminalDhcpClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::TerminalDhcpClient")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<TerminalDhcpClient>()
            .AddAttribute("InitialRetransmission",
                          "First wait for an answer (RFC 2131 4.1: 4 s), doubled after every try.",
                          TimeValue(Seconds(4)),
                          MakeTimeAccessor(&TerminalDhcpClient::m_initialRto),
                          MakeTimeChecker(MilliSeconds(10)))
            .AddAttribute("MaxRetransmission",
                          "Longest wait between two tries (RFC 2131: 64 s).",
                          TimeValue(Seconds(64)),
                          MakeTimeAccessor(&TerminalDhcpClient::m_maxRto),
                          MakeTimeChecker(MilliSeconds(10)))
            .AddAttribute("MaxDiscovers",
                          "DISCOVERs sent before the client gives up if no OFFER comes "
                          "(0: it never gives up, as RFC 2131 has it). 1 makes a blocked "
                          "terminal a lost customer (the M/M/c/c regime).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&TerminalDhcpClient::m_maxDiscovers),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Jitter",
                          "Random offset added to every wait, in seconds (RFC 2131: -1..+1).",
                          StringValue("ns3::UniformRandomVariable[Min=-1.0|Max=1.0]"),
                          MakePointerAccessor(&TerminalDhcpClient::m_jitter),
                          MakePointerChecker<RandomVariableStream>())
            .AddTraceSource("Bound",
                            "The client got an address: address, time since its first DISCOVER.",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_boundTrace),
                            "ns3::apartment::TerminalDhcpClient::BoundTracedCallback")
            .AddTraceSource("GaveUp",
                            "No OFFER came to MaxDiscovers DISCOVERs: the client stopped "
                            "trying. Argument: time since its first DISCOVER.",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_gaveUpTrace),
                            "ns3::Time::TracedCallback")
            .AddTraceSource("Renewed",
                            "The lease was extended (RENEWING or REBINDING).",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_renewedTrace),
                            "ns3::apartment::TerminalDhcpClient::AddressTracedCallback")
            .AddTraceSource("Expired",
                            "The lease ran out; the address was removed.",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_expiredTrace),
                            "ns3::apartment::TerminalDhcpClient::AddressTracedCallback")
            .AddTraceSource("Released",
                            "The client released its address (application stopped).",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_releasedTrace),
                            "ns3::apartment::TerminalDhcpClient::AddressTracedCallback")
            .AddTraceSource("AddressChanged",
                            "The interface got, lost or changed its address (old, new; "
                            "0.0.0.0 for none), after the interface was reconfigured.",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_addressChangedTrace),
                            "ns3::apartment::TerminalDhcpClient::AddressChangedTracedCallback")
            .AddTraceSource("Malformed",
                            "A datagram on port 68 that is no valid DHCP message.",
                            MakeTraceSourceAccessor(&TerminalDhcpClient::m_malformedTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

TerminalDhcpClient::TerminalDhcpClient()
{
    m_xidRng = CreateObject<UniformRandomVariable>();
}

TerminalDhcpClient::~TerminalDhcpClient() = default;

void
TerminalDhcpClient::DoDispose()
{
    m_device = nullptr;
    m_socket = nullptr;
    Application::DoDispose();
}

int64_t
TerminalDhcpClient::AssignStreams(int64_t stream)
{
    m_xidRng->SetStream(stream);
    m_jitter->SetStream(stream + 1);
    return 2;
}

void
TerminalDhcpClient::SetDevice(Ptr<NetDevice> device)
{
    m_device = device;
}

Ptr<NetDevice>
TerminalDhcpClient::GetDevice() const
{
    return m_device;
}

TerminalDhcpClient::State
TerminalDhcpClient::GetState() const
{
    return m_state;
}

Ipv4Address
TerminalDhcpClient::GetAddress() const
{
    return m_address;
}

Ipv4Address
TerminalDhcpClient::GetServer() const
{
    return m_server;
}

uint64_t
TerminalDhcpClient::GetNDiscovers() const
{
    return m_discovers;
}

uint64_t
TerminalDhcpClient::GetNNaks() const
{
    return m_naks;
}

uint64_t
TerminalDhcpClient::GetNGiveUps() const
{
    return m_giveUps;
}

uint32_t
TerminalDhcpClient::GetInterface() const
{
    int32_t i = GetNode()->GetObject<Ipv4>()->GetInterfaceForDevice(m_device);
    NS_ABORT_MSG_IF(i < 0, "TerminalDhcpClient: the device has no IPv4 interface");
    return static_cast<uint32_t>(i);
}

void
TerminalDhcpClient::StartApplication()
{
    NS_ABORT_MSG_IF(!m_device, "TerminalDhcpClient: call SetDevice() before the start");
    m_chaddr = MakeDhcpChaddr(m_device->GetAddress());

    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    const uint32_t ifIndex = GetInterface();
    if (ipv4->GetNAddresses(ifIndex) == 0)
    {
        // A source for broadcasts before the lease (UDP sends from the primary address).
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(Ipv4Address::GetAny(), Ipv4Mask::GetZero()));
    }
    ipv4->SetUp(ifIndex);
    m_socket = Socket::CreateSocket(GetNode(), TypeId::LookupByName("ns3::UdpSocketFactory"));
    m_socket->SetAllowBroadcast(true);
    m_socket->BindToNetDevice(m_device);
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), DhcpMessage::CLIENT_PORT));
    m_socket->SetRecvCallback(MakeCallback(&TerminalDhcpClient::Receive, this));
    m_counting = false;
    Restart();
}

void
TerminalDhcpClient::Release()
{
    if (m_state != STOPPED)
    {
        StopApplication();
    }
}

void
TerminalDhcpClient::StopApplication()
{
    m_retransmit.Cancel();
    m_t1Event.Cancel();
    m_t2Event.Cancel();
    m_expiryEvent.Cancel();
    if (m_address != Ipv4Address::GetAny() && m_socket)
    {
        DhcpMessage m;
        m.ResetOpt();
        m.SetType(DhcpMessage::DHCPRELEASE);
        m.SetTran(m_xidRng->GetInteger(0, 0xfffffffe));
        SetDhcpChaddr(m, m_chaddr);
        m.SetCiaddr(m_address);
        m.SetDhcps(m_server);
        Send(m, m_server);
        m_releasedTrace(m_address);
        Unconfigure();
    }
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
    m_state = STOPPED;
}

void
TerminalDhcpClient::Restart()
{
    m_state = INIT;
    m_rto = m_initialRto;
    m_attemptDiscovers = 0;
    m_xid = m_xidRng->GetInteger(0, 0xfffffffe);
    if (!m_counting)
    {
        m_counting = true;
        m_firstDiscover = Simulator::Now();
    }
    SendDiscover();
}

void
TerminalDhcpClient::Send(DhcpMessage& m, Ipv4Address to)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(m);
    m_socket->SendTo(p, 0, InetSocketAddress(to, DhcpMessage::SERVER_PORT));
}

void
TerminalDhcpClient::ScheduleRetransmission(void (TerminalDhcpClient::*what)())
{
    // RFC 2131 4.1: 4 s, 8 s, ... up to 64 s, each randomised by -1..+1 s.
    Time wait = m_rto + Seconds(m_jitter->GetValue());
    m_retransmit = Simulator::Schedule(Max(wait, MilliSeconds(10)), what, this);
    m_rto = Min(m_rto * 2, Max(m_maxRto, m_initialRto)); // a smaller maximum means no growth
}

void
TerminalDhcpClient::SendDiscover()
{
    m_state = SELECTING;
    DhcpMessage m;
    m.ResetOpt();
    m.SetType(DhcpHeader::DHCPDISCOVER);
    m.SetTran(m_xid);
    SetDhcpChaddr(m, m_chaddr);
    ++m_discovers;
    ++m_attemptDiscovers;
    Send(m, Ipv4Address::GetBroadcast());
    const bool last = m_maxDiscovers != 0 && m_attemptDiscovers >= m_maxDiscovers;
    ScheduleRetransmission(last ? &TerminalDhcpClient::GiveUp : &TerminalDhcpClient::SendDiscover);
}

void
TerminalDhcpClient::GiveUp()
{
    NS_LOG_INFO("no OFFER to " << m_attemptDiscovers << " DISCOVERs: giving up");
    m_state = INIT;
    m_counting = false;
    ++m_giveUps;
    m_gaveUpTrace(Simulator::Now() - m_firstDiscover);
}

void
TerminalDhcpClient::SendRequest()
{
    if (m_requestTries++ >= 4)
    {
        Restart(); // RFC 2131 3.1: no ACK after a few REQUESTs, start again
        return;
    }
    DhcpMessage m;
    m.ResetOpt();
    m.SetType(DhcpHeader::DHCPREQ);
    m.SetTran(m_xid);
    SetDhcpChaddr(m, m_chaddr);
    m.SetReq(m_offered);
    m.SetDhcps(m_server);
    Send(m, Ipv4Address::GetBroadcast());
    ScheduleRetransmission(&TerminalDhcpClient::SendRequest);
}

void
TerminalDhcpClient::Receive(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    Address from;
    while ((p = socket->RecvFrom(from)))
    {
        DhcpMessage in;
        if (p->GetSize() < 241 || p->RemoveHeader(in) == 0)
        {
            m_malformedTrace(p);
            continue;
        }
        if (GetDhcpChaddr(in) != m_chaddr || in.GetTran() != m_xid)
        {
            continue; // for another client or an old exchange
        }
        switch (in.GetType())
        {
        case DhcpHeader::DHCPOFFER:
            if (m_state == SELECTING)
            {
                m_retransmit.Cancel();
                m_offered = in.GetYiaddr();
                m_server = in.GetDhcps();
                m_state = REQUESTING;
                m_rto = m_initialRto;
                m_requestTries = 0;
                SendRequest();
            }
            break;
        case DhcpHeader::DHCPACK:
            if (m_state == REQUESTING || m_state == RENEWING || m_state == REBINDING)
            {
                OnAck(in);
            }
            break;
        case DhcpHeader::DHCPNACK:
            if (m_state == REQUESTING || m_state == RENEWING || m_state == REBINDING)
            {
                ++m_naks;
                m_retransmit.Cancel();
                m_t1Event.Cancel();
                m_t2Event.Cancel();
                m_expiryEvent.Cancel();
                Unconfigure();
                Restart();
            }
            break;
        default:
            break;
        }
    }
}

void
TerminalDhcpClient::OnAck(DhcpMessage& in)
{
    m_retransmit.Cancel();
    const Ipv4Address granted = in.GetYiaddr();
    if (m_state == REQUESTING)
    {
        Configure(granted, Ipv4Mask(in.GetMask()), in.GetRouter());
        m_server = in.GetDhcps();
        if (m_counting)
        {
            m_counting = false;
            NS_LOG_INFO("bound " << granted << " after "
                                 << (Simulator::Now() - m_firstDiscover).As(Time::S));
            m_boundTrace(granted, Simulator::Now() - m_firstDiscover);
        }
    }
    else
    {
        m_renewedTrace(m_address);
    }
    m_state = BOUND;
    m_leaseStart = Simulator::Now();
    m_lease = Seconds(in.GetLease());
    m_t1 = in.GetRenew() ? Seconds(in.GetRenew()) : m_lease / 2;
    m_t2 = in.GetRebind() ? Seconds(in.GetRebind()) : m_lease * 7 / 8;
    m_t1Event.Cancel();
    m_t2Event.Cancel();
    m_expiryEvent.Cancel();
    m_t1Event = Simulator::Schedule(m_t1, &TerminalDhcpClient::OnT1, this);
    m_t2Event = Simulator::Schedule(m_t2, &TerminalDhcpClient::OnT2, this);
    m_expiryEvent = Simulator::Schedule(m_lease, &TerminalDhcpClient::OnExpiry, this);
}

void
TerminalDhcpClient::OnT1()
{
    m_state = RENEWING;
    m_xid = m_xidRng->GetInteger(0, 0xfffffffe);
    OnRenewRetransmit();
}

void
TerminalDhcpClient::OnT2()
{
    m_state = REBINDING;
    m_retransmit.Cancel();
    OnRenewRetransmit();
}

void
TerminalDhcpClient::OnRenewRetransmit()
{
    // RENEWING: unicast to the server; REBINDING: broadcast to any server. ciaddr set,
    // no requested-address option (RFC 2131 4.3.2).
    DhcpMessage m;
    m.ResetOpt();
    m.SetType(DhcpHeader::DHCPREQ);
    m.SetTran(m_xid);
    SetDhcpChaddr(m, m_chaddr);
    m.SetCiaddr(m_address);
    Send(m, m_state == RENEWING ? m_server : Ipv4Address::GetBroadcast());
    // RFC 2131 4.4.5: wait half the time left to T2 (RENEWING) or to the expiry.
    const Time until = m_leaseStart + (m_state == RENEWING ? m_t2 : m_lease) - Simulator::Now();
    if (until / 2 >= Seconds(1))
    {
        m_retransmit = Simulator::Schedule(until / 2, &TerminalDhcpClient::OnRenewRetransmit, this);
    }
}

void
TerminalDhcpClient::OnExpiry()
{
    m_retransmit.Cancel();
    m_expiredTrace(m_address);
    Unconfigure();
    Restart();
}

void
TerminalDhcpClient::Configure(Ipv4Address address, Ipv4Mask mask, Ipv4Address router)
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    const uint32_t ifIndex = GetInterface();
    ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(address, mask));
    // Drop the 0.0.0.0/0 placeholder: it would match every destination in source-address
    // selection and make unicast leave from 0.0.0.0.
    for (uint32_t i = 0; i < ipv4->GetNAddresses(ifIndex); ++i)
    {
        if (ipv4->GetAddress(ifIndex, i).GetLocal() == Ipv4Address::GetAny())
        {
            ipv4->RemoveAddress(ifIndex, i);
            break;
        }
    }
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(ipv4)->SetDefaultRoute(router, ifIndex);
    const Ipv4Address old = m_address;
    m_address = address;
    m_mask = mask;
    m_router = router;
    m_addressChangedTrace(old, address);
}

void
TerminalDhcpClient::Unconfigure()
{
    if (m_address == Ipv4Address::GetAny())
    {
        return;
    }
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    const uint32_t ifIndex = GetInterface();
    if (ipv4->GetNAddresses(ifIndex) == 1)
    {
        // Keep a source for the next DISCOVERs (UDP broadcasts from the primary address).
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(Ipv4Address::GetAny(), Ipv4Mask::GetZero()));
    }
    for (uint32_t i = 0; i < ipv4->GetNAddresses(ifIndex); ++i)
    {
        if (ipv4->GetAddress(ifIndex, i).GetLocal() == m_address)
        {
            ipv4->RemoveAddress(ifIndex, i);
            break;
        }
    }
    Ipv4StaticRoutingHelper routing;
    Ptr<Ipv4StaticRouting> table = routing.GetStaticRouting(ipv4);
    for (uint32_t i = 0; i < table->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry r = table->GetRoute(i);
        if (r.GetDest() == Ipv4Address::GetAny() && r.GetGateway() == m_router)
        {
            table->RemoveRoute(i);
            break;
        }
    }
    const Ipv4Address old = m_address;
    m_address = Ipv4Address::GetAny();
    m_addressChangedTrace(old, m_address);
}

} // namespace apartment
} // namespace ns3
