/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-allocation-helper.h"

#include "ns3/abort.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <set>
#include <sstream>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipAddressAllocationHelper");

namespace
{

void
AddRoute(Ptr<ApartmentTopologyHelper> topology,
         uint32_t complex,
         uint32_t building,
         uint32_t flat,
         Ipv4Address block,
         uint8_t length)
{
    topology->AddFlatRoute(building, flat, Ipv4Prefix{block, length}, complex);
}

void
RemoveRoute(Ptr<ApartmentTopologyHelper> topology,
            uint32_t complex,
            uint32_t building,
            uint32_t /* flat */,
            Ipv4Address block,
            uint8_t length)
{
    topology->RemoveFlatRoute(building, Ipv4Prefix{block, length}, complex);
}

/// Double NAT: the block's first host becomes the gateway's outside (NAT) address.
void
TakeOutsideAddress(Ptr<ApartmentTopologyHelper> topology,
                   uint32_t complex,
                   uint32_t building,
                   uint32_t flat,
                   Ipv4Address block,
                   uint8_t length)
{
    topology->SetGatewayOutsideAddress(building,
                                       flat,
                                       Ipv4Prefix{block, length}.GetAddress(1),
                                       complex);
}

void
DropOutsideAddress(Ptr<ApartmentTopologyHelper> topology,
                   uint32_t complex,
                   uint32_t building,
                   uint32_t flat,
                   Ipv4Address /* block */,
                   uint8_t /* length */)
{
    topology->ClearGatewayOutsideAddress(building, flat, complex);
}

} // namespace

AddressAllocationHelper::AddressAllocationHelper(Ptr<ApartmentTopologyHelper> topology,
                                                 uint32_t complex)
    : m_topology(topology),
      m_complex(complex)
{
    NS_ABORT_MSG_IF(!topology || !topology->IsBuilt(),
                    "AddressAllocationHelper: build the topology first");
    NS_ABORT_MSG_IF(topology->GetAddressMode() != ApartmentTopologyHelper::DYNAMIC_ADDRESSES,
                    "AddressAllocationHelper: the topology must use AddressMode=Dynamic");
    const AddressPlan::Config& plan = topology->GetAddressPlan(complex).GetConfig();
    m_managerFactory.SetTypeId(AddressManager::GetTypeId());
    m_managerFactory.Set("PrivateNetwork", Ipv4AddressValue(plan.privateNetwork));
    m_managerFactory.Set("Buildings", UintegerValue(plan.buildings));
    m_managerFactory.Set("BlockPrefixLength", UintegerValue(plan.blockLength));
    m_managerFactory.Set("BlocksPerBuilding", UintegerValue(plan.flatsPerBuilding));
    m_gatewayFactory.SetTypeId(GatewayDhcpServer::GetTypeId());
    m_gatewayFactory.Set(
        "ManagerAddress",
        Ipv4AddressValue(topology->GetAddressPlan(complex).GetAddressManagerAddress()));
    m_gatewayFactory.Set("ExpectedTerminals", UintegerValue(plan.terminalsPerFlat));
    if (topology->IsHomeNat())
    {
        // Double NAT: terminals from the home /24, a block for the outside address only.
        m_gatewayFactory.Set("HomeNetwork", Ipv4AddressValue(topology->GetHomeNetwork().network));
    }
    m_clientFactory.SetTypeId(TerminalDhcpClient::GetTypeId());
}

AddressAllocationHelper::AddressAllocationHelper()
    : m_complex(0)
{
    m_managerFactory.SetTypeId(AddressManager::GetTypeId());
    m_gatewayFactory.SetTypeId(GatewayDhcpServer::GetTypeId());
    m_clientFactory.SetTypeId(TerminalDhcpClient::GetTypeId());
}

void
AddressAllocationHelper::SetManagerAttribute(const std::string& name, const AttributeValue& value)
{
    m_managerFactory.Set(name, value);
}

void
AddressAllocationHelper::SetGatewayAttribute(const std::string& name, const AttributeValue& value)
{
    m_gatewayFactory.Set(name, value);
}

void
AddressAllocationHelper::SetClientAttribute(const std::string& name, const AttributeValue& value)
{
    m_clientFactory.Set(name, value);
}

void
AddressAllocationHelper::Install()
{
    NS_ABORT_MSG_IF(!m_topology, "AddressAllocationHelper: Install() needs a topology");
    InstallManager();
    InstallGateways();
    InstallClients();
}

Ptr<AddressManager>
AddressAllocationHelper::InstallManager()
{
    NS_ABORT_MSG_IF(!m_topology, "AddressAllocationHelper: InstallManager() needs a topology");
    m_manager = m_managerFactory.Create<AddressManager>();
    m_managers.push_back(m_manager);
    m_topology->GetAddressManager(m_complex)->AddApplication(m_manager);
    return m_manager;
}

ApplicationContainer
AddressAllocationHelper::InstallGateways()
{
    NS_ABORT_MSG_IF(!m_topology, "AddressAllocationHelper: InstallGateways() needs a topology");
    ApplicationContainer apps;
    for (uint32_t b = 0; b < m_topology->GetNBuildings(); ++b)
    {
        for (uint32_t f = 0; f < m_topology->GetNFlatsPerBuilding(); ++f)
        {
            m_gatewayFactory.Set("Building", UintegerValue(b));
            m_gatewayFactory.Set("Flat", UintegerValue(f));
            Ptr<GatewayDhcpServer> gw = m_gatewayFactory.Create<GatewayDhcpServer>();
            gw->SetLanDevice(m_topology->GetGatewayLanDevice(b, f, m_complex));
            // The core routes to a block as soon as the gateway holds it.
            gw->TraceConnectWithoutContext("BlockAllotted",
                                           MakeBoundCallback(&AddRoute, m_topology, m_complex));
            gw->TraceConnectWithoutContext("BlockReturned",
                                           MakeBoundCallback(&RemoveRoute, m_topology, m_complex));
            if (m_topology->IsHomeNat())
            {
                gw->TraceConnectWithoutContext(
                    "BlockAllotted",
                    MakeBoundCallback(&TakeOutsideAddress, m_topology, m_complex));
                gw->TraceConnectWithoutContext(
                    "BlockReturned",
                    MakeBoundCallback(&DropOutsideAddress, m_topology, m_complex));
            }
            m_topology->GetGateway(b, f, m_complex)->AddApplication(gw);
            m_gateways[{b, f}] = gw;
            apps.Add(gw);
        }
    }
    return apps;
}

Ptr<TerminalDhcpClient>
AddressAllocationHelper::InstallClient(uint32_t b, uint32_t f, uint32_t t)
{
    NS_ABORT_MSG_IF(!m_topology, "AddressAllocationHelper: InstallClient() needs a topology");
    Ptr<TerminalDhcpClient> client = m_clientFactory.Create<TerminalDhcpClient>();
    client->SetDevice(m_topology->GetTerminalDevice(b, f, t, m_complex));
    if (m_streamsAssigned)
    {
        m_nextStream += client->AssignStreams(m_nextStream);
    }
    m_topology->GetTerminal(b, f, t, m_complex)->AddApplication(client);
    m_clients.push_back(client);
    m_clientFlats.emplace_back(b, f);
    return client;
}

ApplicationContainer
AddressAllocationHelper::InstallClients()
{
    NS_ABORT_MSG_IF(!m_topology, "AddressAllocationHelper: InstallClients() needs a topology");
    ApplicationContainer apps;
    for (uint32_t b = 0; b < m_topology->GetNBuildings(); ++b)
    {
        for (uint32_t f = 0; f < m_topology->GetNFlatsPerBuilding(); ++f)
        {
            for (uint32_t t = 1; t <= m_topology->GetNTerminalsPerFlat(); ++t)
            {
                apps.Add(InstallClient(b, f, t));
            }
        }
    }
    return apps;
}

ApplicationContainer
AddressAllocationHelper::InstallManager(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<AddressManager> manager = m_managerFactory.Create<AddressManager>();
        (*it)->AddApplication(manager);
        apps.Add(manager);
    }
    return apps;
}

ApplicationContainer
AddressAllocationHelper::InstallGateway(NetDeviceContainer lanDevices) const
{
    ApplicationContainer apps;
    for (auto it = lanDevices.Begin(); it != lanDevices.End(); ++it)
    {
        Ptr<GatewayDhcpServer> gateway = m_gatewayFactory.Create<GatewayDhcpServer>();
        gateway->SetLanDevice(*it);
        (*it)->GetNode()->AddApplication(gateway);
        apps.Add(gateway);
    }
    return apps;
}

ApplicationContainer
AddressAllocationHelper::InstallClient(NetDeviceContainer devices) const
{
    ApplicationContainer apps;
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        Ptr<TerminalDhcpClient> client = m_clientFactory.Create<TerminalDhcpClient>();
        client->SetDevice(*it);
        (*it)->GetNode()->AddApplication(client);
        apps.Add(client);
    }
    return apps;
}

int64_t
AddressAllocationHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t current = stream;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (Ptr<TerminalDhcpClient> client = DynamicCast<TerminalDhcpClient>(*it))
        {
            current += client->AssignStreams(current);
        }
    }
    return current - stream;
}

int64_t
AddressAllocationHelper::AssignStreams(int64_t stream, bool laterClients)
{
    m_streamsAssigned = laterClients;
    m_nextStream = stream;
    for (auto& client : m_clients)
    {
        m_nextStream += client->AssignStreams(m_nextStream);
    }
    return m_nextStream - stream;
}

Ptr<AddressManager>
AddressAllocationHelper::GetManager() const
{
    return m_manager;
}

Ptr<GatewayDhcpServer>
AddressAllocationHelper::GetGateway(uint32_t b, uint32_t f) const
{
    auto it = m_gateways.find({b, f});
    return it == m_gateways.end() ? nullptr : it->second;
}

const std::vector<Ptr<TerminalDhcpClient>>&
AddressAllocationHelper::GetClients() const
{
    return m_clients;
}

std::string
AddressAllocationHelper::CheckInvariant() const
{
    std::ostringstream err;
    const AddressBlockPool* pool = m_manager ? m_manager->GetPool() : nullptr;
    if (pool)
    {
        std::string e = pool->CheckInvariant();
        if (!e.empty())
        {
            return "pool: " + e;
        }
    }
    std::set<uint32_t> leased;
    std::set<uint32_t> outside; // double NAT: the gateways' outside addresses
    for (const auto& [flat, gw] : m_gateways)
    {
        if (gw->IsHomeMode())
        {
            // Terminals reuse the home /24 in every flat: leases are unique per flat. The
            // address conserved is the gateway's outside address, its block's first host.
            leased.clear();
            const Ipv4Address out =
                m_topology
                    ? m_topology->GetGatewayOutsideAddress(flat.first, flat.second, m_complex)
                    : Ipv4Address::GetAny();
            const auto blocks = gw->GetBlocks();
            if (m_topology && (blocks.empty() ? out != Ipv4Address::GetAny()
                                              : out != blocks.front().GetAddress(1)))
            {
                err << "gateway " << flat.first << "/" << flat.second << " shows " << out
                    << " outside but holds "
                    << (blocks.empty() ? std::string("no block") : blocks.front().ToString());
                return err.str();
            }
            if (out != Ipv4Address::GetAny() && !outside.insert(out.Get()).second)
            {
                err << "outside address " << out << " is used by two gateways";
                return err.str();
            }
        }
        for (const Ipv4Prefix& block : gw->GetBlocks())
        {
            if (pool)
            {
                auto a = pool->Find(block.network);
                if (!a || a->holder != gw->GetHolderAddress())
                {
                    err << "gateway " << flat.first << "/" << flat.second << " uses "
                        << block.ToString() << " which the manager "
                        << (a ? "allotted to another gateway" : "holds as free");
                    return err.str();
                }
            }
        }
        for (const auto& [chaddr, binding] : gw->GetBindings())
        {
            if (!leased.insert(binding.address.Get()).second)
            {
                err << "address " << binding.address << " is leased twice";
                return err.str();
            }
        }
    }
    std::set<std::pair<std::pair<uint32_t, uint32_t>, uint32_t>> used; // (flat, address)
    for (size_t i = 0; i < m_clients.size(); ++i)
    {
        Ptr<TerminalDhcpClient> c = m_clients[i];
        const Ipv4Address a = c->GetAddress();
        if (a == Ipv4Address::GetAny())
        {
            continue;
        }
        Ptr<GatewayDhcpServer> gw = GetGateway(m_clientFlats[i].first, m_clientFlats[i].second);
        // Without double NAT an address is unique in the whole complex, with it in its flat.
        const auto scope = gw->IsHomeMode() ? m_clientFlats[i] : std::make_pair(0u, 0u);
        if (!used.insert({scope, a.Get()}).second)
        {
            err << "two terminals use " << a;
            return err.str();
        }
        if (gw->IsHomeMode())
        {
            if (!m_topology->GetHomeNetwork().Contains(a))
            {
                err << "terminal address " << a << " lies outside the home network "
                    << m_topology->GetHomeNetwork().ToString();
                return err.str();
            }
            continue;
        }
        bool inside = false;
        for (const Ipv4Prefix& block : gw->GetBlocks())
        {
            inside = inside || block.Contains(a);
        }
        if (!inside)
        {
            err << "terminal address " << a << " lies outside the blocks of its gateway "
                << m_clientFlats[i].first << "/" << m_clientFlats[i].second;
            return err.str();
        }
    }
    return "";
}

AddressAllocationHelper::Counters
AddressAllocationHelper::GetCounters() const
{
    Counters c;
    if (m_manager && m_manager->GetPool())
    {
        c.blocksFree = m_manager->GetPool()->GetNFree();
        c.blocksAllotted = m_manager->GetPool()->GetNAllotted();
    }
    for (const auto& m : m_managers)
    {
        c.failedRequests += m->GetNFailedRequests();
        c.malformed += m->GetNMalformed();
    }
    for (const auto& [flat, gw] : m_gateways)
    {
        for (const auto& [chaddr, b] : gw->GetBindings())
        {
            c.addressesInUse += b.bound ? 1 : 0;
        }
        c.noOffers += gw->GetNNoOffer();
        c.refills += gw->GetNRefills();
        c.releases += gw->GetNReleases();
        c.expired += gw->GetNExpired();
        c.malformed += gw->GetNMalformed();
    }
    return c;
}

} // namespace apartment
} // namespace ns3
