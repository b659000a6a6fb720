/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ApartmentTopologyHelper, part 2 of 3: looking up nodes, devices, numbers and addresses in
// the built complex (building: apartment-topology-helper.cc; output: -output.cc).

#include "ns3/abort.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/ipv4.h"
#include "ns3/names.h"

namespace ns3
{
namespace apartment
{

const ApartmentTopologyHelper::Complex&
ApartmentTopologyHelper::GetComplex(uint32_t complex) const
{
    NS_ABORT_MSG_IF(m_complexes.empty(), "ApartmentTopologyHelper: call Build() first");
    NS_ABORT_MSG_IF(complex >= m_complexes.size(),
                    "no complex " << complex << "; there are " << m_complexes.size());
    return m_complexes[complex];
}

const ApartmentTopologyHelper::Flat&
ApartmentTopologyHelper::GetFlat(uint32_t building, uint32_t flat, uint32_t complex) const
{
    const Complex& cx = GetComplex(complex);
    NS_ABORT_MSG_IF(building >= m_buildings,
                    "no building " << building << "; there are " << m_buildings);
    NS_ABORT_MSG_IF(flat >= m_flatsPerBuilding,
                    "no flat " << flat << "; there are " << m_flatsPerBuilding << " per building");
    return cx.flats[building * m_flatsPerBuilding + flat];
}

const ApartmentTopologyHelper::NodeInfo&
ApartmentTopologyHelper::GetInfo(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(!node, "null node");
    auto it = m_info.find(node->GetId());
    NS_ABORT_MSG_IF(it == m_info.end(),
                    "node " << node->GetId() << " was not built by ApartmentTopologyHelper");
    return it->second;
}

uint32_t
ApartmentTopologyHelper::GetNComplexes() const
{
    return static_cast<uint32_t>(m_complexes.size());
}

uint32_t
ApartmentTopologyHelper::GetNBuildings() const
{
    return m_buildings;
}

uint32_t
ApartmentTopologyHelper::GetNFlatsPerBuilding() const
{
    return m_flatsPerBuilding;
}

uint32_t
ApartmentTopologyHelper::GetNTerminalsPerFlat() const
{
    return m_terminalsPerFlat;
}

ApartmentTopologyHelper::AddressMode
ApartmentTopologyHelper::GetAddressMode() const
{
    return m_addressMode;
}

ApartmentTopologyHelper::EdgeMode
ApartmentTopologyHelper::GetEdgeMode() const
{
    return m_edgeMode;
}

const AddressPlan&
ApartmentTopologyHelper::GetAddressPlan(uint32_t complex) const
{
    return *GetComplex(complex).plan;
}

const NumberingPlan&
ApartmentTopologyHelper::GetNumberingPlan(uint32_t complex) const
{
    return *GetComplex(complex).numbering;
}

const NumberingPlan&
ApartmentTopologyHelper::GetOutsideNumberingPlan() const
{
    NS_ABORT_MSG_IF(!m_outsideNumbering, "ApartmentTopologyHelper: call Build() first");
    return *m_outsideNumbering;
}

Ptr<Node>
ApartmentTopologyHelper::GetGatekeeper(uint32_t complex) const
{
    return GetComplex(complex).gatekeeper;
}

Ptr<Node>
ApartmentTopologyHelper::GetNatRouter(uint32_t complex) const
{
    return GetComplex(complex).natRouter;
}

Ptr<Node>
ApartmentTopologyHelper::GetAddressManager(uint32_t complex) const
{
    return GetComplex(complex).addressManager;
}

Ptr<Node>
ApartmentTopologyHelper::GetBuildingRouter(uint32_t building, uint32_t complex) const
{
    const Complex& cx = GetComplex(complex);
    NS_ABORT_MSG_IF(building >= m_buildings, "no building " << building);
    return cx.buildingRouters.Get(building);
}

Ptr<Node>
ApartmentTopologyHelper::GetGateway(uint32_t building, uint32_t flat, uint32_t complex) const
{
    return GetFlat(building, flat, complex).gateway;
}

Ptr<Node>
ApartmentTopologyHelper::GetTerminal(uint32_t building,
                                     uint32_t flat,
                                     uint32_t terminal,
                                     uint32_t complex) const
{
    const Flat& f = GetFlat(building, flat, complex);
    NS_ABORT_MSG_IF(terminal == 0 || terminal > f.terminals.GetN(),
                    "terminal " << terminal << " is not 1 to " << f.terminals.GetN());
    return f.terminals.Get(terminal - 1);
}

NodeContainer
ApartmentTopologyHelper::GetTerminals(uint32_t building, uint32_t flat, uint32_t complex) const
{
    return GetFlat(building, flat, complex).terminals;
}

NodeContainer
ApartmentTopologyHelper::GetAllTerminals(uint32_t complex) const
{
    NodeContainer all;
    for (const Flat& f : GetComplex(complex).flats)
    {
        all.Add(f.terminals);
    }
    return all;
}

NodeContainer
ApartmentTopologyHelper::GetAllGateways(uint32_t complex) const
{
    NodeContainer all;
    for (const Flat& f : GetComplex(complex).flats)
    {
        all.Add(f.gateway);
    }
    return all;
}

Ptr<Node>
ApartmentTopologyHelper::GetIspRouter() const
{
    return m_ispRouter;
}

Ptr<Node>
ApartmentTopologyHelper::GetOutsideGatekeeper() const
{
    return m_outsideGatekeeper;
}

NodeContainer
ApartmentTopologyHelper::GetRemotePhones() const
{
    return m_remotePhones;
}

NodeContainer
ApartmentTopologyHelper::GetAllNodes() const
{
    return m_allNodes;
}

Ptr<Node>
ApartmentTopologyHelper::GetNode(const PhoneNumber& number) const
{
    auto it = m_nodeByNumber.find(number);
    return it == m_nodeByNumber.end() ? nullptr : it->second;
}

std::optional<PhoneNumber>
ApartmentTopologyHelper::GetNumber(Ptr<Node> node) const
{
    return GetInfo(node).number;
}

NodeRole
ApartmentTopologyHelper::GetRole(Ptr<Node> node) const
{
    return GetInfo(node).role;
}

uint32_t
ApartmentTopologyHelper::GetComplexIndex(Ptr<Node> node) const
{
    return GetInfo(node).complex;
}

std::optional<std::pair<uint32_t, uint32_t>>
ApartmentTopologyHelper::GetFlatIndex(Ptr<Node> node) const
{
    return GetInfo(node).flat;
}

PhoneNumber
ApartmentTopologyHelper::GetHouseholdNumber(uint32_t building,
                                            uint32_t flat,
                                            uint32_t complex) const
{
    NS_ABORT_MSG_IF(building >= m_buildings || flat >= m_flatsPerBuilding,
                    "no flat " << flat << " in building " << building);
    return PhoneNumber(GetPrefixOf(complex),
                       static_cast<uint16_t>(m_firstBuildingSerial + building),
                       static_cast<uint16_t>(m_firstFlatSerial + flat),
                       0);
}

PhoneNumber
ApartmentTopologyHelper::GetTerminalNumber(uint32_t building,
                                           uint32_t flat,
                                           uint32_t terminal,
                                           uint32_t complex) const
{
    NS_ABORT_MSG_IF(terminal == 0 || terminal > m_terminalsPerFlat,
                    "terminal " << terminal << " is not 1 to " << m_terminalsPerFlat);
    return GetHouseholdNumber(building, flat, complex)
        .GetTerminalNumber(static_cast<uint8_t>(terminal));
}

PhoneNumber
ApartmentTopologyHelper::GetRemotePhoneNumber(uint32_t index) const
{
    NS_ABORT_MSG_IF(index >= m_nRemotePhones, "no remote phone " << index);
    return PhoneNumber(m_outsidePrefix, 1, static_cast<uint16_t>(1 + index), 1);
}

Ptr<NetDevice>
ApartmentTopologyHelper::GetGatewayLanDevice(uint32_t building,
                                             uint32_t flat,
                                             uint32_t complex) const
{
    return GetFlat(building, flat, complex).gatewayLanDevice;
}

Ptr<NetDevice>
ApartmentTopologyHelper::GetGatewayBackboneDevice(uint32_t building,
                                                  uint32_t flat,
                                                  uint32_t complex) const
{
    return GetFlat(building, flat, complex).gatewayBackboneDevice;
}

Ptr<NetDevice>
ApartmentTopologyHelper::GetTerminalDevice(uint32_t building,
                                           uint32_t flat,
                                           uint32_t terminal,
                                           uint32_t complex) const
{
    const Flat& f = GetFlat(building, flat, complex);
    NS_ABORT_MSG_IF(terminal == 0 || terminal > f.terminalDevices.GetN(),
                    "terminal " << terminal << " is not 1 to " << f.terminalDevices.GetN());
    return f.terminalDevices.Get(terminal - 1);
}

Ptr<NetDevice>
ApartmentTopologyHelper::GetNatRouterCoreDevice(uint32_t complex) const
{
    return GetComplex(complex).natCoreDevice;
}

Ptr<NetDevice>
ApartmentTopologyHelper::GetNatRouterWanDevice(uint32_t complex) const
{
    return GetComplex(complex).natWanDevice;
}

Ptr<NetDevice>
ApartmentTopologyHelper::GetBuildingRouterBackboneDevice(uint32_t building, uint32_t complex) const
{
    const Complex& cx = GetComplex(complex);
    NS_ABORT_MSG_IF(building >= m_buildings, "no building " << building);
    return cx.buildingRouterBackboneDevices[building];
}

Ipv4Address
ApartmentTopologyHelper::GetIspRouterOutsideAddress() const
{
    return Ipv4Address(m_outsideNetwork.Get() + 1);
}

Ipv4Address
ApartmentTopologyHelper::GetOutsideGatekeeperAddress() const
{
    return Ipv4Address(m_outsideNetwork.Get() + 2);
}

Ipv4Address
ApartmentTopologyHelper::GetRemotePhoneAddress(uint32_t index) const
{
    NS_ABORT_MSG_IF(index >= m_nRemotePhones, "no remote phone " << index);
    return Ipv4Address(m_outsideNetwork.Get() + 10 + index);
}

Ipv4Address
ApartmentTopologyHelper::GetPrimaryAddress(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4 || ipv4->GetNInterfaces() < 2 || ipv4->GetNAddresses(1) == 0)
    {
        return Ipv4Address::GetAny();
    }
    return ipv4->GetAddress(1, 0).GetLocal();
}

} // namespace apartment
} // namespace ns3
