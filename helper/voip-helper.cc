/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/voip-helper.h"

#include "ns3/double.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/nat-helper.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <set>
#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipVoipHelper");

namespace
{

Ipv4Address
AddressOfDevice(Ptr<NetDevice> device)
{
    if (!device)
    {
        return Ipv4Address::GetAny();
    }
    Ptr<Ipv4> ipv4 = device->GetNode()->GetObject<Ipv4>();
    int32_t i = ipv4 ? ipv4->GetInterfaceForDevice(device) : -1;
    if (i < 0 || ipv4->GetNAddresses(i) == 0)
    {
        return Ipv4Address::GetAny();
    }
    return ipv4->GetAddress(i, 0).GetLocal();
}

/// Address-only translation: static 1:1 rules only (a dynamic mapping changes the port too).
/// \return the SIP port a proxy listens on (its Port attribute)
uint16_t
PortOf(Ptr<SipProxy> proxy)
{
    UintegerValue port;
    proxy->GetAttribute("Port", port);
    return static_cast<uint16_t>(port.Get());
}

Ipv4Address
TranslateByStaticRule(Ptr<NatTrafficControlLayer> nat, Ipv4Address inside)
{
    for (const auto& [in, pub] : nat->GetTable().GetStaticRules())
    {
        if (in == inside)
        {
            return pub;
        }
    }
    return Ipv4Address::GetAny();
}

/// The inside address of a static rule's public address.
Ipv4Address
UntranslateByStaticRule(Ptr<NatTrafficControlLayer> nat, Ipv4Address outside)
{
    for (const auto& [in, pub] : nat->GetTable().GetStaticRules())
    {
        if (pub == outside)
        {
            return in;
        }
    }
    return Ipv4Address::GetAny();
}

} // namespace

std::string
ToString(CallNatMode mode)
{
    switch (mode)
    {
    case CallNatMode::STATIC:
        return "static";
    case CallNatMode::POOL:
        return "pool";
    case CallNatMode::NAPT:
        return "napt";
    }
    return "unknown";
}

VoipHelper::VoipHelper()
{
    m_terminalFactory.SetTypeId(SipTerminal::GetTypeId());
}

void
VoipHelper::SetTerminalAttribute(const std::string& name, const AttributeValue& value)
{
    m_terminalFactory.Set(name, value);
}

void
VoipHelper::SetProxyAttribute(const std::string& name, const AttributeValue& value)
{
    m_proxyAttributes.emplace_back(name, value.Copy());
}

void
VoipHelper::SetGatekeeperAttribute(const std::string& name, const AttributeValue& value)
{
    m_gatekeeperAttributes.emplace_back(name, value.Copy());
}

void
VoipHelper::SetTrafficModel(double callsPerHour, bool includeHouseholds)
{
    m_callsPerHour = callsPerHour;
    m_includeHouseholds = includeHouseholds;
}

void
VoipHelper::Install(Ptr<ApartmentTopologyHelper> topo, Time start)
{
    NS_ABORT_MSG_IF(!topo->IsBuilt(), "VoipHelper: build the topology first");
    auto configure = [this](Ptr<SipProxy> p) {
        for (const auto& [name, value] : m_proxyAttributes)
        {
            p->SetAttribute(name, *value);
        }
        if (auto gk = DynamicCast<Gatekeeper>(p))
        {
            for (const auto& [name, value] : m_gatekeeperAttributes)
            {
                gk->SetAttribute(name, *value);
            }
        }
    };
    Ipv4Address outsideGk = topo->GetOutsideGatekeeperAddress();
    // One table of every number, shared read-only by all phones (issue 14: a copy per
    // phone grew with the square of the phones).
    auto allNumbers = Create<DestinationTable>();
    // Outside gatekeeper: registrar of the remote phones, routes to each complex.
    m_outsideGatekeeper = CreateObject<Gatekeeper>();
    configure(m_outsideGatekeeper);
    // Every proxy gets the same attributes, so this is every proxy's SIP port.
    const uint16_t sipPort = PortOf(m_outsideGatekeeper);
    m_outsideGatekeeper->SetAttribute("NumberPrefix",
                                      StringValue(topo->GetOutsideNumberingPlan().GetPrefix()));
    topo->GetOutsideGatekeeper()->AddApplication(m_outsideGatekeeper);
    m_outsideGatekeeper->SetStartTime(Seconds(0));
    for (uint32_t i = 0; i < topo->GetRemotePhones().GetN(); ++i)
    {
        m_outsideGatekeeper->AddSubscriber(topo->GetRemotePhoneNumber(i).ToDigits());
        allNumbers->Add(topo->GetRemotePhoneNumber(i).ToString());
    }
    for (uint32_t c = 0; c < topo->GetNComplexes(); ++c)
    {
        Ptr<Node> gkNode = topo->GetGatekeeper(c);
        Ipv4Address gkAddress = ApartmentTopologyHelper::GetPrimaryAddress(gkNode);
        m_outsideGatekeeper->AddRoute(topo->GetNumberingPlan(c).GetPrefix(), gkAddress, sipPort);
        auto gk = CreateObject<Gatekeeper>();
        configure(gk);
        gk->SetAttribute("NumberPrefix", StringValue(topo->GetNumberingPlan(c).GetPrefix()));
        gk->AddRoute(topo->GetOutsideNumberingPlan().GetPrefix(), outsideGk, sipPort);
        for (uint32_t o = 0; o < topo->GetNComplexes(); ++o)
        {
            if (o != c)
            {
                gk->AddRoute(topo->GetNumberingPlan(o).GetPrefix(), outsideGk, sipPort);
            }
        }
        gkNode->AddApplication(gk);
        gk->SetStartTime(Seconds(0));
        m_gatekeepers.push_back(gk);
        for (uint32_t b = 0; b < topo->GetNBuildings(); ++b)
        {
            for (uint32_t f = 0; f < topo->GetNFlatsPerBuilding(); ++f)
            {
                Ptr<Node> gwNode = topo->GetGateway(b, f, c);
                auto gw = CreateObject<HomeGateway>();
                configure(gw);
                gw->SetAttribute("Upstream", Ipv4AddressValue(gkAddress));
                gw->SetAttribute("UpstreamPort", UintegerValue(sipPort));
                gw->SetAttribute("HouseholdNumber",
                                 StringValue(topo->GetHouseholdNumber(b, f, c).ToString()));
                gwNode->AddApplication(gw);
                gw->SetStartTime(Seconds(0));
                m_gatewayByNode[gwNode->GetId()] = gw;
                if (topo->IsHomeNat())
                {
                    InstallHomeNat(topo, gw, b, f, c);
                }
                gk->AddSubscriber(topo->GetHouseholdNumber(b, f, c).ToDigits());
                if (m_includeHouseholds)
                {
                    allNumbers->Add(topo->GetHouseholdNumber(b, f, c).ToString());
                }
                // Static mode: the gateway's LAN address; dynamic: found by the terminal.
                Ipv4Address proxy = AddressOfDevice(topo->GetGatewayLanDevice(b, f, c));
                NodeContainer terminals = topo->GetTerminals(b, f, c);
                for (uint32_t t = 0; t < terminals.GetN(); ++t)
                {
                    auto number = topo->GetTerminalNumber(b, f, t + 1, c);
                    gk->AddSubscriber(number.ToDigits());
                    allNumbers->Add(number.ToString());
                    auto app = m_terminalFactory.Create<SipTerminal>();
                    app->SetAttribute("Number", StringValue(number.ToString()));
                    app->SetAttribute("Password", StringValue(gk->GetPassword(number.ToDigits())));
                    app->SetAttribute("Proxy", Ipv4AddressValue(proxy));
                    app->SetAttribute("ProxyPort", UintegerValue(sipPort));
                    terminals.Get(t)->AddApplication(app);
                    m_terminals.push_back(app);
                    m_terminalByNode[terminals.Get(t)->GetId()] = app;
                }
            }
        }
    }
    for (uint32_t i = 0; i < topo->GetRemotePhones().GetN(); ++i)
    {
        auto app = m_terminalFactory.Create<SipTerminal>();
        app->SetAttribute("Number", StringValue(topo->GetRemotePhoneNumber(i).ToString()));
        app->SetAttribute("Password",
                          StringValue(m_outsideGatekeeper->GetPassword(
                              topo->GetRemotePhoneNumber(i).ToDigits())));
        app->SetAttribute("Proxy", Ipv4AddressValue(outsideGk));
        app->SetAttribute("ProxyPort", UintegerValue(sipPort));
        topo->GetRemotePhones().Get(i)->AddApplication(app);
        m_terminals.push_back(app);
        m_terminalByNode[topo->GetRemotePhones().Get(i)->GetId()] = app;
    }
    for (std::size_t i = 0; i < m_terminals.size(); ++i)
    {
        auto& app = m_terminals[i];
        app->SetStartTime(start + MilliSeconds(i));
        app->TraceConnectWithoutContext("CallEnded", MakeCallback(&VoipHelper::OnCallEnded, this));
        if (m_callsPerHour > 0)
        {
            app->SetAttribute("CallRate", DoubleValue(m_callsPerHour));
            app->SetDestinationTable(allNumbers);
        }
    }
}

std::string
VoipHelper::UseNat(Ptr<ApartmentTopologyHelper> topo,
                   Ptr<NatTrafficControlLayer> nat,
                   uint32_t complex)
{
    if (!topo || !topo->IsBuilt() || complex >= m_gatekeepers.size())
    {
        return "build the topology and call VoipHelper::Install before UseNat";
    }
    if (topo->GetEdgeMode() != ApartmentTopologyHelper::NAT_EDGE)
    {
        return "the topology needs EdgeMode=Nat";
    }
    if (!nat || !nat->IsEnabled())
    {
        return "the NAT is not installed (NatHelper::Install)";
    }
    if (topo->GetAddressMode() != ApartmentTopologyHelper::STATIC_ADDRESSES)
    {
        return "static NAT rules with dynamic addresses need the addresses terminals may "
               "lease (UseNat with terminalAddresses)";
    }
    std::vector<Ipv4Address> terminals;
    for (uint32_t b = 0; b < topo->GetNBuildings(); ++b)
    {
        for (uint32_t f = 0; f < topo->GetNFlatsPerBuilding(); ++f)
        {
            if (topo->IsHomeNat())
            {
                // Double NAT: the complex sees a flat's terminals as their gateway's NAT
                // address (their Contact and SDP are rewritten to it by the gateway).
                terminals.push_back(topo->GetGatewayOutsideAddress(b, f, complex));
                continue;
            }
            NodeContainer nodes = topo->GetTerminals(b, f, complex);
            for (uint32_t t = 0; t < nodes.GetN(); ++t)
            {
                terminals.push_back(ApartmentTopologyHelper::GetPrimaryAddress(nodes.Get(t)));
            }
        }
    }
    return UseStaticRules(topo, nat, complex, terminals);
}

std::string
VoipHelper::UseNat(Ptr<ApartmentTopologyHelper> topo,
                   Ptr<NatTrafficControlLayer> nat,
                   uint32_t complex,
                   const std::vector<Ipv4Address>& terminalAddresses)
{
    if (!topo || !topo->IsBuilt() || complex >= m_gatekeepers.size())
    {
        return "build the topology and call VoipHelper::Install before UseNat";
    }
    if (topo->GetEdgeMode() != ApartmentTopologyHelper::NAT_EDGE)
    {
        return "the topology needs EdgeMode=Nat";
    }
    if (!nat || !nat->IsEnabled())
    {
        return "the NAT is not installed (NatHelper::Install)";
    }
    return UseStaticRules(topo, nat, complex, terminalAddresses);
}

std::string
VoipHelper::UseStaticRules(Ptr<ApartmentTopologyHelper> topo,
                           Ptr<NatTrafficControlLayer> nat,
                           uint32_t complex,
                           const std::vector<Ipv4Address>& terminals)
{
    // Inside hosts that talk to the outside directly: the gatekeeper (SIP) and the
    // terminals (RTP). Gateways only talk to the gatekeeper.
    std::vector<Ipv4Address> inside{
        ApartmentTopologyHelper::GetPrimaryAddress(topo->GetGatekeeper(complex))};
    inside.insert(inside.end(), terminals.begin(), terminals.end());
    std::map<Ipv4Address, Ipv4Address> rules;
    std::set<Ipv4Address> used;
    for (const auto& [in, pub] : nat->GetTable().GetStaticRules())
    {
        rules[in] = pub;
        used.insert(pub);
    }
    const AddressPlan& plan = topo->GetAddressPlan(complex);
    used.insert(plan.GetNatRouterPublicAddress());
    used.insert(plan.GetIspRouterAddress());
    std::vector<Ipv4Address> free;
    for (uint32_t host = 1; host < 255; ++host)
    {
        Ipv4Address a = plan.GetPublic().GetAddress(host);
        if (!used.count(a) && !nat->GetTable().IsPublicAddress(a))
        {
            free.push_back(a);
        }
    }
    std::size_t needed = 0;
    for (const auto& a : inside)
    {
        needed += rules.count(a) == 0;
    }
    if (needed > free.size())
    {
        std::ostringstream os;
        os << needed << " inside hosts (gatekeeper and terminals) need a public "
           << "address but " << plan.GetPublic().ToString() << " has only " << free.size()
           << " free";
        return os.str();
    }
    std::size_t next = 0;
    for (const auto& a : inside)
    {
        if (rules.count(a))
        {
            continue;
        }
        if (!nat->AddStaticRule(a, free[next]))
        {
            std::ostringstream os;
            os << "the NAT refused the rule " << a << " <-> " << free[next];
            return os.str();
        }
        rules[a] = free[next++];
    }
    Ipv4Address gkPublic = rules[inside.front()];
    Ptr<Gatekeeper> gk = m_gatekeepers[complex];
    gk->SetAttribute("PublicAddress", Ipv4AddressValue(gkPublic));
    gk->SetAddressTranslator(MakeBoundCallback(&TranslateByStaticRule, nat));
    // ACK and BYE from outside target a terminal's public Contact: send them inside
    // directly rather than through the NAT's hairpin.
    gk->SetInboundTranslator(MakeBoundCallback(&UntranslateByStaticRule, nat));
    m_outsideGatekeeper->AddRoute(topo->GetNumberingPlan(complex).GetPrefix(),
                                  gkPublic,
                                  PortOf(gk));
    NS_LOG_INFO("complex " << complex << ": gatekeeper seen outside as " << gkPublic << ", "
                           << rules.size() << " static rules");
    return "";
}

std::string
VoipHelper::UseNat(Ptr<ApartmentTopologyHelper> topo,
                   Ptr<NatTrafficControlLayer> nat,
                   uint32_t complex,
                   CallNatMode mode)
{
    if (mode == CallNatMode::STATIC)
    {
        return UseNat(topo, nat, complex);
    }
    if (!topo || !topo->IsBuilt() || complex >= m_gatekeepers.size())
    {
        return "build the topology and call VoipHelper::Install before UseNat";
    }
    if (topo->GetEdgeMode() != ApartmentTopologyHelper::NAT_EDGE)
    {
        return "the topology needs EdgeMode=Nat";
    }
    if (!nat || !nat->IsEnabled())
    {
        return "the NAT is not installed (NatHelper::Install)";
    }
    NatMode wanted = mode == CallNatMode::POOL ? NatMode::POOL : NatMode::NAPT;
    if (nat->GetTable().GetConfig().mode != wanted)
    {
        return mode == CallNatMode::POOL
                   ? "pool mode needs the NAT in Mode=Pool with the pool as its public addresses"
                   : "NAPT mode needs the NAT in Mode=Napt";
    }
    Ptr<Gatekeeper> gk = m_gatekeepers[complex];
    if (m_binders.count(complex))
    {
        return ""; // done already
    }
    const AddressPlan& plan = topo->GetAddressPlan(complex);
    Ipv4Address gkInside = ApartmentTopologyHelper::GetPrimaryAddress(topo->GetGatekeeper(complex));
    // The gatekeeper's SIP is reached from outside by address: a static rule.
    Ipv4Address gkPublic = TranslateByStaticRule(nat, gkInside);
    if (gkPublic == Ipv4Address::GetAny())
    {
        std::set<Ipv4Address> used;
        for (const auto& [in, pub] : nat->GetTable().GetStaticRules())
        {
            used.insert(pub);
        }
        for (uint32_t host = 1; host < 255 && gkPublic == Ipv4Address::GetAny(); ++host)
        {
            Ipv4Address a = plan.GetPublic().GetAddress(host);
            if (!used.count(a) && !nat->GetTable().IsPublicAddress(a) &&
                a != plan.GetNatRouterPublicAddress() && a != plan.GetIspRouterAddress())
            {
                gkPublic = a;
            }
        }
        if (gkPublic == Ipv4Address::GetAny())
        {
            return "no public address of " + plan.GetPublic().ToString() +
                   " is left for the gatekeeper's static rule";
        }
        if (!nat->AddStaticRule(gkInside, gkPublic))
        {
            std::ostringstream os;
            os << "the NAT refused the gatekeeper's rule " << gkInside << " <-> " << gkPublic;
            return os.str();
        }
    }
    auto server = CreateObject<PcpServerApplication>();
    server->SetNat(nat);
    server->AddThirdPartyClient(gkInside);
    topo->GetNatRouter(complex)->AddApplication(server);
    server->SetStartTime(Seconds(0));
    auto binder = CreateObject<CallNatBinder>();
    binder->Setup(topo->GetGatekeeper(complex), gkInside, plan.GetNatRouterCoreAddress());
    for (uint32_t b = 0; b < topo->GetNBuildings(); ++b)
    {
        Ipv4Prefix aggregate = plan.GetBuildingAggregate(b);
        binder->AddInsideNetwork(aggregate.network, aggregate.GetMask());
    }
    gk->SetAttribute("PublicAddress", Ipv4AddressValue(gkPublic));
    gk->SetCallNatBinder(binder);
    m_outsideGatekeeper->AddRoute(topo->GetNumberingPlan(complex).GetPrefix(), gkPublic);
    m_binders[complex] = binder;
    m_pcpServers[complex] = server;
    NS_LOG_INFO("complex " << complex << ": " << ToString(mode) << ", gatekeeper seen outside as "
                           << gkPublic << ", PCP server on the NAT router");
    return "";
}

void
VoipHelper::InstallHomeNat(Ptr<ApartmentTopologyHelper> topo,
                           Ptr<HomeGateway> gw,
                           uint32_t b,
                           uint32_t f,
                           uint32_t c)
{
    // The gateway is the PCP client and server of its own NAT: the same mechanism as the
    // gatekeeper's with the complex NAT, its requests carried over the node's loopback.
    Ptr<Node> node = topo->GetGateway(b, f, c);
    Ptr<NatTrafficControlLayer> nat = NatHelper::GetNat(node);
    // With dynamic addresses the NAT starts when the gateway gets its outside address.
    NS_ABORT_MSG_IF(!nat || (!nat->IsEnabled() &&
                             topo->GetAddressMode() == ApartmentTopologyHelper::STATIC_ADDRESSES),
                    "HomeNat: gateway " << node->GetId() << " has no NAT");
    const Ipv4Address self = topo->GetGatewayInsideAddress(b, f, c);
    auto server = CreateObject<PcpServerApplication>();
    server->SetNat(nat);
    server->AddThirdPartyClient(self);
    node->AddApplication(server);
    server->SetStartTime(Seconds(0));
    auto binder = CreateObject<CallNatBinder>();
    binder->Setup(node, self, self);
    const Ipv4Prefix home = topo->GetHomeNetwork();
    binder->AddInsideNetwork(home.network, home.GetMask());
    gw->SetCallNatBinder(binder);
    m_homePcpServers[node->GetId()] = server;
}

Ptr<PcpServerApplication>
VoipHelper::GetHomePcpServer(Ptr<Node> gateway) const
{
    auto it = m_homePcpServers.find(gateway->GetId());
    return it == m_homePcpServers.end() ? nullptr : it->second;
}

Ptr<CallNatBinder>
VoipHelper::GetCallNatBinder(uint32_t complex) const
{
    auto it = m_binders.find(complex);
    return it == m_binders.end() ? nullptr : it->second;
}

Ptr<PcpServerApplication>
VoipHelper::GetPcpServer(uint32_t complex) const
{
    auto it = m_pcpServers.find(complex);
    return it == m_pcpServers.end() ? nullptr : it->second;
}

namespace
{

void
AddressChanged(Ptr<SipTerminal> terminal, Ipv4Address, Ipv4Address)
{
    terminal->NotifyAddressChanged();
}

} // namespace

void
VoipHelper::ConnectDhcpClient(Ptr<SipTerminal> terminal, Ptr<TerminalDhcpClient> client)
{
    client->TraceConnectWithoutContext("AddressChanged",
                                       MakeBoundCallback(&AddressChanged, terminal));
}

void
VoipHelper::Withdraw(Ptr<SipTerminal> terminal, Ptr<TerminalDhcpClient> client)
{
    terminal->Withdraw(client ? MakeCallback(&TerminalDhcpClient::Release, client)
                              : MakeNullCallback<void>());
}

Ptr<SipTerminal>
VoipHelper::GetTerminal(Ptr<Node> node) const
{
    auto it = m_terminalByNode.find(node->GetId());
    return it == m_terminalByNode.end() ? nullptr : it->second;
}

Ptr<HomeGateway>
VoipHelper::GetGateway(Ptr<Node> node) const
{
    auto it = m_gatewayByNode.find(node->GetId());
    return it == m_gatewayByNode.end() ? nullptr : it->second;
}

Ptr<Gatekeeper>
VoipHelper::GetGatekeeper(uint32_t complex) const
{
    return complex < m_gatekeepers.size() ? m_gatekeepers[complex] : nullptr;
}

Ptr<Gatekeeper>
VoipHelper::GetOutsideGatekeeper() const
{
    return m_outsideGatekeeper;
}

const std::vector<Ptr<SipTerminal>>&
VoipHelper::GetAllTerminals() const
{
    return m_terminals;
}

int64_t
VoipHelper::AssignStreams(int64_t stream)
{
    int64_t used = 0;
    for (auto& t : m_terminals)
    {
        used += t->AssignStreams(stream + used);
    }
    // Proxies after the terminals, so the terminals keep the streams they had before.
    if (m_outsideGatekeeper)
    {
        used += m_outsideGatekeeper->AssignStreams(stream + used);
    }
    for (auto& gk : m_gatekeepers)
    {
        used += gk->AssignStreams(stream + used);
    }
    for (auto& [node, gw] : m_gatewayByNode)
    {
        used += gw->AssignStreams(stream + used);
    }
    // HomeNat binders last, so that the streams above do not move with the attribute.
    for (auto& [node, gw] : m_gatewayByNode)
    {
        if (gw->GetCallNatBinder())
        {
            used += gw->GetCallNatBinder()->AssignStreams(stream + used);
        }
    }
    // Then the gatekeepers' binders (UseNat, pool or NAPT): their PCP nonces.
    for (auto& [complex, binder] : m_binders)
    {
        used += binder->AssignStreams(stream + used);
    }
    return used;
}

void
VoipHelper::OnCallEnded(const CallRecord& record)
{
    m_records.push_back(record);
}

const std::vector<CallRecord>&
VoipHelper::GetRecords() const
{
    return m_records;
}

std::vector<CallRecord>
VoipHelper::GetOriginatingRecords() const
{
    std::vector<CallRecord> out;
    for (const auto& r : m_records)
    {
        if (r.originating)
        {
            out.push_back(r);
        }
    }
    return out;
}

const CallRecord*
VoipHelper::FindCalleeRecord(const std::string& callId) const
{
    const CallRecord* first = nullptr;
    for (const auto& r : m_records)
    {
        if (!r.originating && r.callId == callId)
        {
            if (!r.answerTime.IsZero())
            {
                return &r;
            }
            first = first ? first : &r;
        }
    }
    return first;
}

SessionRatios
VoipHelper::GetRatios() const
{
    return SessionRatios::Compute(m_records);
}

void
VoipHelper::WriteCsv(std::ostream& os) const
{
    WriteCsvHeader(os);
    for (const auto& r : m_records)
    {
        if (r.originating)
        {
            WriteCsvRow(os, r, FindCalleeRecord(r.callId));
        }
    }
}

void
VoipHelper::PrintTable(std::ostream& os) const
{
    os << std::left << std::setw(17) << "caller" << std::setw(17) << "dialled" << std::setw(17)
       << "answered by" << std::setw(12) << "outcome" << std::right << std::setw(8) << "invite"
       << std::setw(9) << "SRD ms" << std::setw(6) << "rang" << std::setw(8) << "TTA s"
       << std::setw(8) << "talk s" << std::setw(7) << "loss%" << std::setw(7) << "MOS"
       << "\n";
    for (const auto& r : m_records)
    {
        if (!r.originating)
        {
            continue;
        }
        uint32_t rang = 0;
        for (const auto& o : m_records)
        {
            rang += !o.originating && o.callId == r.callId;
        }
        const CallRecord* callee = FindCalleeRecord(r.callId);
        std::string answeredBy = callee && !callee->answerTime.IsZero() ? callee->localNumber : "-";
        os << std::left << std::setw(17) << r.localNumber << std::setw(17) << r.remoteNumber
           << std::setw(17) << answeredBy << std::setw(12) << r.GetOutcome() << std::right
           << std::fixed << std::setprecision(2) << std::setw(8) << r.inviteTime.GetSeconds()
           << std::setw(9) << std::setprecision(1)
           << (r.srd.empty() ? -1.0 : r.srd.front().GetSeconds() * 1000) << std::setw(6) << rang
           << std::setw(8) << std::setprecision(2)
           << (r.answerTime.IsZero() ? 0.0 : r.GetTimeToAnswer().GetSeconds()) << std::setw(8)
           << r.GetDuration().GetSeconds() << std::setw(7) << r.media.GetLossPercent()
           << std::setw(7) << r.media.mos << "\n";
    }
    auto ratios = GetRatios();
    os << "attempts " << ratios.attempts << ", SER " << std::setprecision(1) << ratios.ser
       << " %, SEER " << ratios.seer << " %, ISA " << ratios.isa << " %\n";
}

} // namespace apartment
} // namespace ns3
