/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/gateway-dhcp-server.h"

#include "ns3/apartment-voip-compat.h"
#include "ns3/arp-cache.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipGatewayDhcpServer");
NS_OBJECT_ENSURE_REGISTERED(GatewayDhcpServer);

TypeId
GatewayDhcpServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::GatewayDhcpServer")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<GatewayDhcpServer>()
            .AddAttribute("ManagerAddress",
                          "Address of the AddressManager.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&GatewayDhcpServer::m_managerAddress),
                          MakeIpv4AddressChecker())
            .AddAttribute("ManagerPort",
                          "UDP port of the AddressManager.",
                          UintegerValue(BlockProtocolHeader::DEFAULT_PORT),
                          MakeUintegerAccessor(&GatewayDhcpServer::m_managerPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Building",
                          "Index of the gateway's building (its blocks come from there).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&GatewayDhcpServer::m_building),
                          MakeUintegerChecker<uint32_t>(0, AddressPlan::MAX_BUILDINGS - 1))
            .AddAttribute("Flat",
                          "Index of the gateway's flat in its building (for traces/routes).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&GatewayDhcpServer::m_flat),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ExpectedTerminals",
                          "Terminals announced in the first block REQUEST, sent at start; "
                          "0: no block until the first DISCOVER needs one.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&GatewayDhcpServer::m_expectedTerminals),
                          MakeUintegerChecker<uint32_t>(0, 0xffff))
            .AddAttribute("LeaseTime",
                          "Lease given to terminals (T1 = 0.5, T2 = 0.875 of it).",
                          TimeValue(Seconds(300)),
                          MakeTimeAccessor(&GatewayDhcpServer::m_leaseTime),
                          MakeTimeChecker(Seconds(4), Seconds(0xffff0000u)))
            .AddAttribute("OfferHold",
                          "How long an offered address stays reserved without a REQUEST.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&GatewayDhcpServer::m_offerHold),
                          MakeTimeChecker(MilliSeconds(100)))
            .AddAttribute("Retransmission",
                          "Wait for the manager's answer before sending again.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&GatewayDhcpServer::m_retransmission),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxTries",
                          "Transmissions of a block-protocol message before giving up.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&GatewayDhcpServer::m_maxTries),
                          MakeUintegerChecker<uint32_t>(1, 100))
            .AddAttribute("HomeNetwork",
                          "Double NAT: the /24 (x.y.z.0) the terminals are served from, behind "
                          "the gateway's NAT; the LAN interface holds its .1. A block from the "
                          "manager then only gives the gateway its outside address (the block's "
                          "first host, reported by BlockAllotted), one block at a time. "
                          "0.0.0.0: terminals are served from the blocks.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&GatewayDhcpServer::m_homeNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("ReturnWhenEmpty",
                          "Return every block to the manager when no terminal holds an address.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GatewayDhcpServer::m_returnWhenEmpty),
                          MakeBooleanChecker())
            .AddTraceSource("BlockAllotted",
                            "The gateway got a block (first or refill): building, flat, "
                            "block, prefix length.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_blockAllottedTrace),
                            "ns3::apartment::GatewayDhcpServer::BlockTracedCallback")
            .AddTraceSource("BlockReturned",
                            "The gateway gave up a block (returned, lost or expired).",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_blockReturnedTrace),
                            "ns3::apartment::GatewayDhcpServer::BlockTracedCallback")
            .AddTraceSource("Refill",
                            "The gateway got another block because it had no free address.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_refillTrace),
                            "ns3::apartment::GatewayDhcpServer::BlockTracedCallback")
            .AddTraceSource("Lease",
                            "A terminal got (or renewed) its address: address, chaddr.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_leaseTrace),
                            "ns3::apartment::GatewayDhcpServer::LeaseTracedCallback")
            .AddTraceSource("Release",
                            "A terminal released its address.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_releaseTrace),
                            "ns3::apartment::GatewayDhcpServer::LeaseTracedCallback")
            .AddTraceSource("Expiry",
                            "A terminal's lease ran out; the address is free again.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_expiryTrace),
                            "ns3::apartment::GatewayDhcpServer::LeaseTracedCallback")
            .AddTraceSource("NoOffer",
                            "A DISCOVER got no OFFER: no address and no block left.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_noOfferTrace),
                            "ns3::Address::TracedCallback")
            .AddTraceSource("Malformed",
                            "A datagram that is no valid DHCP or block-protocol message.",
                            MakeTraceSourceAccessor(&GatewayDhcpServer::m_malformedTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

GatewayDhcpServer::GatewayDhcpServer() = default;
GatewayDhcpServer::~GatewayDhcpServer() = default;

void
GatewayDhcpServer::DoDispose()
{
    m_lanDevice = nullptr;
    m_dhcpSocket = nullptr;
    m_managerSocket = nullptr;
    for (auto& [xid, t] : m_transactions)
    {
        t.timer.Cancel();
    }
    m_transactions.clear();
    Application::DoDispose();
}

void
GatewayDhcpServer::SetLanDevice(Ptr<NetDevice> device)
{
    m_lanDevice = device;
}

std::vector<Ipv4Prefix>
GatewayDhcpServer::GetBlocks() const
{
    std::vector<Ipv4Prefix> out;
    for (const auto& b : Held().GetBlocks())
    {
        out.push_back(b.prefix);
    }
    return out;
}

const std::map<Address, GatewayDhcpServer::Binding>&
GatewayDhcpServer::GetBindings() const
{
    return m_table.GetBindings();
}

uint64_t
GatewayDhcpServer::GetNOffers() const
{
    return m_offers;
}

uint64_t
GatewayDhcpServer::GetNAcks() const
{
    return m_acks;
}

uint64_t
GatewayDhcpServer::GetNNaks() const
{
    return m_naks;
}

uint64_t
GatewayDhcpServer::GetNNoOffer() const
{
    return m_noOffer;
}

uint64_t
GatewayDhcpServer::GetNRefills() const
{
    return m_refills;
}

uint64_t
GatewayDhcpServer::GetNReleases() const
{
    return m_releases;
}

uint64_t
GatewayDhcpServer::GetNExpired() const
{
    return m_expired;
}

uint64_t
GatewayDhcpServer::GetNMalformed() const
{
    return m_malformed;
}

uint32_t
GatewayDhcpServer::GetLanInterface() const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    int32_t i = ipv4->GetInterfaceForDevice(m_lanDevice);
    NS_ABORT_MSG_IF(i < 0, "GatewayDhcpServer: the LAN device has no IPv4 interface");
    return static_cast<uint32_t>(i);
}

Ipv4Address
GatewayDhcpServer::GetHolderAddress() const
{
    // The first address of an interface that is neither loopback nor the flat LAN.
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i)
    {
        Ptr<NetDevice> dev = ipv4->GetNetDevice(i);
        if (dev == m_lanDevice || DynamicCast<LoopbackNetDevice>(dev))
        {
            continue;
        }
        for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
        {
            // With HomeNetwork the outside address (from a block) comes first: skip it.
            const Ipv4Address local = ipv4->GetAddress(i, a).GetLocal();
            if (!Held().FindBlock(local))
            {
                return local;
            }
        }
    }
    return Ipv4Address::GetAny();
}

bool
GatewayDhcpServer::IsHomeMode() const
{
    return m_homeNetwork != Ipv4Address::GetAny();
}

DhcpLeaseTable&
GatewayDhcpServer::Held()
{
    return IsHomeMode() ? m_outside : m_table;
}

const DhcpLeaseTable&
GatewayDhcpServer::Held() const
{
    return IsHomeMode() ? m_outside : m_table;
}

Ipv4Address
GatewayDhcpServer::GetServerId() const
{
    // Broadcasts leave with the LAN interface's primary address: the first block's gateway.
    const auto& blocks = m_table.GetBlocks();
    return blocks.empty() ? Ipv4Address::GetAny() : blocks.front().prefix.GetAddress(1);
}

void
GatewayDhcpServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_lanDevice, "GatewayDhcpServer: call SetLanDevice() before the start");
    NS_ABORT_MSG_IF(m_managerAddress == Ipv4Address::GetAny(),
                    "GatewayDhcpServer: the ManagerAddress attribute is not set");
    if (IsHomeMode())
    {
        const Ipv4Prefix home{m_homeNetwork, 24};
        NS_ABORT_MSG_IF(home.network.Get() != home.network.CombineMask(home.GetMask()).Get(),
                        "GatewayDhcpServer: HomeNetwork must be a /24 (x.y.z.0)");
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        const uint32_t lan = GetLanInterface();
        NS_ABORT_MSG_IF(ipv4->GetNAddresses(lan) == 0 ||
                            ipv4->GetAddress(lan, 0).GetLocal() != home.GetAddress(1),
                        "GatewayDhcpServer: with HomeNetwork the LAN interface must hold "
                            << home.GetAddress(1));
        if (m_table.GetBlocks().empty())
        {
            m_table.AddBlock(home, Time::Max()); // ours for good: not the manager's
        }
    }
    m_running = true;
    // A restarted gateway must not reuse the transaction ids the manager remembers.
    m_nextXid = static_cast<uint32_t>(Simulator::Now().GetMilliSeconds() << 8) + 1;
    TypeId udp = TypeId::LookupByName("ns3::UdpSocketFactory");
    m_dhcpSocket = Socket::CreateSocket(GetNode(), udp);
    m_dhcpSocket->SetAllowBroadcast(true);
    m_dhcpSocket->BindToNetDevice(m_lanDevice);
    m_dhcpSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), DhcpMessage::SERVER_PORT));
    m_dhcpSocket->SetRecvCallback(MakeCallback(&GatewayDhcpServer::ReceiveDhcp, this));
    m_managerSocket = Socket::CreateSocket(GetNode(), udp);
    m_managerSocket->Bind();
    m_managerSocket->SetRecvCallback(MakeCallback(&GatewayDhcpServer::ReceiveFromManager, this));
    if (m_expectedTerminals > 0)
    {
        // Double NAT: one outside address, whatever the number of terminals.
        RequestBlock(static_cast<uint16_t>(IsHomeMode() ? 1 : m_expectedTerminals));
    }
}

void
GatewayDhcpServer::Withdraw()
{
    if (m_running)
    {
        StopApplication();
    }
}

void
GatewayDhcpServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    // Withdrawn: give everything back (one try each; the manager reclaims lost ones).
    while (!Held().GetBlocks().empty())
    {
        RemoveBlock(Held().GetBlocks().back().prefix.network, true);
    }
    m_running = false;
    for (auto& [xid, t] : m_transactions)
    {
        t.timer.Cancel();
    }
    m_transactions.clear();
    m_table.ClearBindings();
    m_waiting.clear();
    m_blockRequested = false;
    m_bindingEvent.Cancel();
    for (Ptr<Socket> s : {m_dhcpSocket, m_managerSocket})
    {
        if (s)
        {
            s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            s->Close();
        }
    }
    m_dhcpSocket = nullptr;
    m_managerSocket = nullptr;
}

// --- block protocol ---

void
GatewayDhcpServer::SendToManager(const BlockProtocolHeader& message)
{
    BlockProtocolHeader m = message;
    m.transaction = m_nextXid++;
    m.holder = GetHolderAddress();
    m.building = static_cast<uint16_t>(m_building);
    Transaction& t = m_transactions[m.transaction];
    t.message = m;
    t.tries = 0;
    Transmit(m.transaction);
}

void
GatewayDhcpServer::Transmit(uint32_t xid)
{
    auto it = m_transactions.find(xid);
    if (it == m_transactions.end() || !m_managerSocket)
    {
        return;
    }
    Transaction& t = it->second;
    ++t.tries;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(t.message);
    m_managerSocket->SendTo(p, 0, InetSocketAddress(m_managerAddress, m_managerPort));
    t.timer = Simulator::Schedule(m_retransmission, &GatewayDhcpServer::ManagerTimeout, this, xid);
}

void
GatewayDhcpServer::ManagerTimeout(uint32_t xid)
{
    auto it = m_transactions.find(xid);
    if (it == m_transactions.end())
    {
        return;
    }
    if (it->second.tries < m_maxTries)
    {
        Transmit(xid);
        return;
    }
    const uint8_t type = it->second.message.type;
    m_transactions.erase(it);
    NS_LOG_WARN("manager did not answer " << BlockProtocolHeader::TypeName(type));
    if (type == BlockProtocolHeader::REQUEST)
    {
        RequestFailed("manager unreachable");
    }
    // A RENEW without answer is tried again by the block's renewal timer; a RELEASE or
    // REPORT without answer is covered by the manager's lease expiry.
}

void
GatewayDhcpServer::RequestBlock(uint16_t count)
{
    if (m_blockRequested)
    {
        return;
    }
    m_blockRequested = true;
    BlockProtocolHeader m;
    m.type = BlockProtocolHeader::REQUEST;
    m.count = count;
    SendToManager(m);
}

void
GatewayDhcpServer::ReceiveFromManager(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    Address from;
    while ((p = socket->RecvFrom(from)))
    {
        BlockProtocolHeader in;
        if (p->GetSize() != BlockProtocolHeader::SIZE)
        {
            ++m_malformed;
            m_malformedTrace(p);
            continue;
        }
        p->PeekHeader(in);
        auto it = m_transactions.find(in.transaction);
        if (!in.IsValid() || it == m_transactions.end())
        {
            if (!in.IsValid())
            {
                ++m_malformed;
                m_malformedTrace(p);
            }
            continue; // late answer to a finished transaction
        }
        const BlockProtocolHeader request = it->second.message;
        it->second.timer.Cancel();
        m_transactions.erase(it);
        switch (request.type)
        {
        case BlockProtocolHeader::REQUEST:
            m_blockRequested = false;
            if (in.type == BlockProtocolHeader::GRANT && in.prefixLength >= 1 &&
                in.prefixLength <= 30)
            {
                const bool refill = !Held().GetBlocks().empty();
                AddBlock(Ipv4Prefix{in.address, in.prefixLength}, Seconds(in.leaseSeconds));
                if (refill)
                {
                    ++m_refills;
                    m_refillTrace(m_building, m_flat, in.address, in.prefixLength);
                }
                // Answer the DISCOVERs that waited for the block.
                auto waiting = std::move(m_waiting);
                m_waiting.clear();
                for (auto& [chaddr, discover] : waiting)
                {
                    HandleDiscover(discover);
                }
            }
            else
            {
                RequestFailed(in.type == BlockProtocolHeader::NAK &&
                                      in.reason == BlockProtocolHeader::EXHAUSTED
                                  ? "no block left"
                                  : "request refused");
            }
            break;
        case BlockProtocolHeader::RENEW: {
            const DhcpLeaseTable::Block* b = Held().FindBlockByNetwork(request.address);
            if (!b)
            {
                break;
            }
            if (in.type == BlockProtocolHeader::GRANT)
            {
                const Time lease = Seconds(in.leaseSeconds);
                Held().SetBlockExpiry(request.address, Simulator::Now() + lease);
                EventId& renew = m_renewEvents[request.address];
                renew.Cancel();
                renew = Simulator::Schedule(lease / 2,
                                            &GatewayDhcpServer::RenewBlock,
                                            this,
                                            request.address);
            }
            else
            {
                NS_LOG_WARN("manager refused to renew " << b->prefix.ToString());
                RemoveBlock(request.address, false);
            }
            break;
        }
        default:
            break; // RELEASE / REPORT acknowledged
        }
    }
}

void
GatewayDhcpServer::RequestFailed(const std::string& why)
{
    NS_LOG_INFO("block request failed: " << why);
    m_blockRequested = false;
    // RFC 2131: a server with nothing to offer stays silent; the client retries.
    for (auto& [chaddr, discover] : m_waiting)
    {
        ++m_noOffer;
        m_noOfferTrace(chaddr);
    }
    m_waiting.clear();
}

void
GatewayDhcpServer::AddBlock(const Ipv4Prefix& block, Time lease)
{
    if (!IsHomeMode())
    {
        Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
        const uint32_t lan = GetLanInterface();
        // The gateway takes the block's first host address on its LAN (seed: 10.0.0.1).
        ipv4->AddAddress(lan, Ipv4InterfaceAddress(block.GetAddress(1), block.GetMask()));
        ipv4->SetUp(lan);
    }
    // Double NAT: whoever listens to BlockAllotted puts host 1 on the upstream side.
    Held().AddBlock(block, Simulator::Now() + lease);
    m_renewEvents[block.network] =
        Simulator::Schedule(lease / 2, &GatewayDhcpServer::RenewBlock, this, block.network);
    NS_LOG_INFO("gateway " << m_building << "/" << m_flat << " got " << block.ToString());
    m_blockAllottedTrace(m_building, m_flat, block.network, block.length);
}

void
GatewayDhcpServer::RemoveBlock(Ipv4Address network, bool tellManager)
{
    const std::optional<DhcpLeaseTable::Block> held = Held().RemoveBlock(network);
    if (!held)
    {
        return;
    }
    auto renew = m_renewEvents.find(network);
    if (renew != m_renewEvents.end())
    {
        renew->second.Cancel();
        m_renewEvents.erase(renew);
    }
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    const uint32_t lan = GetLanInterface();
    for (uint32_t i = 0; !IsHomeMode() && i < ipv4->GetNAddresses(lan); ++i)
    {
        if (ipv4->GetAddress(lan, i).GetLocal() == held->prefix.GetAddress(1))
        {
            ipv4->RemoveAddress(lan, i);
            break;
        }
    }
    NS_LOG_INFO("gateway " << m_building << "/" << m_flat << " gave up "
                           << held->prefix.ToString());
    // Before the RELEASE: with double NAT the listeners take the outside address and the NAT
    // down, so the RELEASE leaves from the gateway's own address, untranslated.
    m_blockReturnedTrace(m_building, m_flat, held->prefix.network, held->prefix.length);
    if (tellManager)
    {
        BlockProtocolHeader m;
        m.type = BlockProtocolHeader::RELEASE;
        m.address = held->prefix.network;
        m.prefixLength = held->prefix.length;
        SendToManager(m);
    }
}

void
GatewayDhcpServer::RenewBlock(Ipv4Address network)
{
    const DhcpLeaseTable::Block* b = Held().FindBlockByNetwork(network);
    if (!b)
    {
        return;
    }
    const Time left = b->expiry - Simulator::Now();
    if (left <= Time(0))
    {
        RemoveBlock(network, false);
        return;
    }
    BlockProtocolHeader m;
    m.type = BlockProtocolHeader::RENEW;
    m.address = network;
    m.prefixLength = b->prefix.length;
    SendToManager(m);
    // If no answer comes, try again halfway to the expiry (and drop the block at it).
    m_renewEvents[network] = Simulator::Schedule(Max(left / 2, Seconds(1)),
                                                 &GatewayDhcpServer::RenewBlock,
                                                 this,
                                                 network);
}

void
GatewayDhcpServer::ShrinkIfIdle()
{
    if (!m_waiting.empty() || m_blockRequested)
    {
        return;
    }
    if (m_table.GetBindings().empty() && m_returnWhenEmpty)
    {
        while (!Held().GetBlocks().empty())
        {
            RemoveBlock(Held().GetBlocks().back().prefix.network, true);
        }
        return;
    }
    // Extra blocks nobody uses go back; the first one carries the gateway's address.
    for (Ipv4Address network : Held().GetIdleExtraBlocks())
    {
        RemoveBlock(network, true);
    }
}

// --- DHCP ---

void
GatewayDhcpServer::ReceiveDhcp(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    Address from;
    while ((p = socket->RecvFrom(from)))
    {
        DhcpMessage in;
        if (p->GetSize() < 241 || p->RemoveHeader(in) == 0)
        {
            ++m_malformed;
            m_malformedTrace(p);
            continue;
        }
        switch (in.GetType())
        {
        case DhcpHeader::DHCPDISCOVER:
            HandleDiscover(in);
            break;
        case DhcpHeader::DHCPREQ:
            HandleRequest(in);
            break;
        case DhcpMessage::DHCPRELEASE:
            HandleRelease(in);
            break;
        default:
            break; // OFFER/ACK/NAK of another server, DECLINE, INFORM: not served
        }
    }
}

void
GatewayDhcpServer::HandleDiscover(DhcpMessage& in)
{
    const Address chaddr = GetDhcpChaddr(in);
    if (IsHomeMode() && Held().GetBlocks().empty())
    {
        // No outside address yet: the terminal would have nowhere to go. Wait for it.
        m_waiting[chaddr] = in;
        RequestBlock(1);
        return;
    }
    const Binding* offered = m_table.Offer(chaddr, Simulator::Now() + m_offerHold);
    if (!offered && IsHomeMode())
    {
        // The home /24 is full; another block would add no terminal address.
        ++m_noOffer;
        m_noOfferTrace(chaddr);
        return;
    }
    if (!offered)
    {
        // Wait for a (refill) block; the answer to the REQUEST answers this DISCOVER.
        m_waiting[chaddr] = in;
        RequestBlock(static_cast<uint16_t>(std::min<size_t>(m_waiting.size(), 0xffff)));
        return;
    }
    ++m_offers;
    Reply(in, DhcpHeader::DHCPOFFER, offered->address);
    ScheduleBindingCheck();
}

void
GatewayDhcpServer::HandleRequest(DhcpMessage& in)
{
    const Address chaddr = GetDhcpChaddr(in);
    const Ipv4Address serverId = in.GetDhcps();
    if (serverId != Ipv4Address::GetAny() && serverId != GetServerId())
    {
        // The client chose another server: forget our offer.
        m_table.Withdraw(chaddr);
        return;
    }
    // SELECTING / INIT-REBOOT carry the address in option 50; RENEWING / REBINDING in ciaddr.
    Ipv4Address wanted = in.GetReq() != Ipv4Address::GetAny() ? in.GetReq() : in.GetCiaddr();
    if (IsHomeMode() && Held().GetBlocks().empty())
    {
        // No outside address: NAK, so the client's DISCOVER waits for one.
        ++m_naks;
        Reply(in, DhcpHeader::DHCPNACK, Ipv4Address::GetAny());
        return;
    }
    // A client that kept an address we no longer know of (e.g. after a restart) may keep it.
    if (!m_table.Bind(chaddr, wanted, Simulator::Now() + GetLeaseFor(wanted)))
    {
        ++m_naks;
        Reply(in, DhcpHeader::DHCPNACK, Ipv4Address::GetAny());
        return;
    }
    ++m_acks;
    Reply(in, DhcpHeader::DHCPACK, wanted);
    m_leaseTrace(wanted, chaddr);
    ScheduleBindingCheck();
}

void
GatewayDhcpServer::HandleRelease(DhcpMessage& in)
{
    const std::optional<Binding> freed = m_table.Release(GetDhcpChaddr(in), in.GetCiaddr());
    if (!freed)
    {
        return;
    }
    ++m_releases;
    m_releaseTrace(freed->address, GetDhcpChaddr(in));
    AddressFreed(freed->address, freed->bound);
    ShrinkIfIdle();
}

void
GatewayDhcpServer::AddressFreed(Ipv4Address address, bool bound)
{
    // Forget the terminal's MAC address: the next holder of the address has another one,
    // and ns-3's ARP would keep the old entry for its AliveTimeout (a real host announces
    // itself with a gratuitous ARP, RFC 5227).
    Ptr<Ipv4L3Protocol> ip = GetNode()->GetObject<Ipv4L3Protocol>();
    Ptr<ArpCache> arp = ip ? ip->GetInterface(GetLanInterface())->GetArpCache() : nullptr;
    ArpCache::Entry* entry = arp ? arp->Lookup(address) : nullptr;
    if (entry)
    {
        arp->Remove(entry);
    }
    if (bound && !IsHomeMode())
    {
        // Tell the manager which address of the block came free (seed [53], [64]); a home
        // address is none of the manager's business.
        BlockProtocolHeader m;
        m.type = BlockProtocolHeader::REPORT;
        m.address = address;
        SendToManager(m);
    }
}

void
GatewayDhcpServer::Reply(DhcpMessage& in, uint8_t type, Ipv4Address yiaddr)
{
    if (m_table.GetBlocks().empty() || !m_dhcpSocket)
    {
        return; // no LAN address to send from
    }
    DhcpMessage out;
    out.ResetOpt();
    out.SetType(type);
    out.SetTran(in.GetTran());
    SetDhcpChaddr(out, GetDhcpChaddr(in));
    out.SetDhcps(GetServerId());
    if (type != DhcpHeader::DHCPNACK)
    {
        const DhcpLeaseTable::Block* b = m_table.FindBlock(yiaddr);
        out.SetYiaddr(yiaddr);
        out.SetMask(b->prefix.GetMask().Get());
        out.SetRouter(b->prefix.GetAddress(1));
        const uint32_t lease = static_cast<uint32_t>(GetLeaseFor(yiaddr).GetSeconds());
        out.SetLease(lease);
        out.SetRenew(lease / 2);
        out.SetRebind(lease / 8 * 7);
    }
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(out);
    // Broadcast: the client may not have (or answer ARP for) its address yet.
    m_dhcpSocket->SendTo(p,
                         0,
                         InetSocketAddress(Ipv4Address::GetBroadcast(), DhcpMessage::CLIENT_PORT));
}

Time
GatewayDhcpServer::GetLeaseFor(Ipv4Address address) const
{
    return m_table.GetLeaseFor(address, m_leaseTime, Simulator::Now());
}

void
GatewayDhcpServer::ScheduleBindingCheck()
{
    m_bindingEvent.Cancel();
    const Time next = m_table.GetNextExpiry();
    if (next != Time::Max())
    {
        m_bindingEvent = Simulator::Schedule(Max(next - Simulator::Now(), Time(0)),
                                             &GatewayDhcpServer::CheckBindings,
                                             this);
    }
}

void
GatewayDhcpServer::CheckBindings()
{
    const std::vector<DhcpLeaseTable::Removed> expired = m_table.Expire(Simulator::Now());
    for (const auto& [chaddr, binding] : expired)
    {
        if (binding.bound)
        {
            ++m_expired;
            m_expiryTrace(binding.address, chaddr);
        }
        AddressFreed(binding.address, binding.bound);
    }
    if (!expired.empty())
    {
        ShrinkIfIdle();
    }
    ScheduleBindingCheck();
}

} // namespace apartment
} // namespace ns3
