/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ApartmentTopologyHelper, part 3 of 3: output (pcap, NetAnim layout, listing) of the built
// complex (building: apartment-topology-helper.cc; lookups: -lookup.cc).

#include "ns3/abort.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/ipv4.h"
#include "ns3/mobility-helper.h"
#include "ns3/names.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"

#include <iomanip>

namespace ns3
{
namespace apartment
{

void
ApartmentTopologyHelper::EnablePcap(const std::string& prefix,
                                    NodeContainer nodes,
                                    bool promiscuous) const
{
    CsmaHelper csma;
    PointToPointHelper p2p;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<NetDevice> dev = node->GetDevice(d);
            if (DynamicCast<CsmaNetDevice>(dev))
            {
                csma.EnablePcap(prefix, dev, promiscuous);
            }
            else if (DynamicCast<PointToPointNetDevice>(dev))
            {
                p2p.EnablePcap(prefix, dev, promiscuous);
            }
        }
    }
}

void
ApartmentTopologyHelper::InstallAnimationLayout() const
{
    NS_ABORT_MSG_IF(!m_built, "ApartmentTopologyHelper: call Build() first");
    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(m_allNodes);
    auto place = [](Ptr<Node> n, double x, double y) {
        n->GetObject<MobilityModel>()->SetPosition(Vector(x, y, 0));
    };
    // Columns: one per building; a flat is a row (gateway, then its terminals).
    const double column = 6.0 + 3.0 * m_terminalsPerFlat;
    const double complexWidth = column * m_buildings + 10.0;
    const double totalWidth = complexWidth * m_complexes.size();

    auto placeIf = [&place](Ptr<Node> n, double x, double y) {
        if (n)
        {
            place(n, x, y);
        }
    };
    place(m_ispRouter, totalWidth / 2, 0);
    placeIf(m_outsideSwitch, totalWidth / 2, -5);
    place(m_outsideGatekeeper, totalWidth / 2 - 10, -10);
    for (uint32_t i = 0; i < m_remotePhones.GetN(); ++i)
    {
        place(m_remotePhones.Get(i), totalWidth / 2 + 5.0 * i, -10);
    }
    for (uint32_t c = 0; c < m_complexes.size(); ++c)
    {
        const Complex& cx = m_complexes[c];
        const double x0 = complexWidth * c;
        const double mid = x0 + complexWidth / 2;
        place(cx.natRouter, mid, 15);
        placeIf(cx.coreSwitch, mid, 19);
        place(cx.gatekeeper, mid - 10, 22);
        place(cx.addressManager, mid + 10, 22);
        for (uint32_t b = 0; b < m_buildings; ++b)
        {
            const double x = x0 + 5 + column * b;
            place(cx.buildingRouters.Get(b), x + column / 2, 30);
            if (m_switched)
            {
                place(cx.buildingSwitches.Get(b), x + column / 2, 35);
            }
            for (uint32_t f = 0; f < m_flatsPerBuilding; ++f)
            {
                const Flat& flat = cx.flats[b * m_flatsPerBuilding + f];
                const double y = 40 + 5.0 * f;
                place(flat.gateway, x, y);
                for (uint32_t t = 0; t < flat.terminals.GetN(); ++t)
                {
                    place(flat.terminals.Get(t), x + 4 + 3.0 * t, y);
                }
            }
        }
    }
}

void
ApartmentTopologyHelper::PrintSummary(std::ostream& os) const
{
    NS_ABORT_MSG_IF(!m_built, "ApartmentTopologyHelper: call Build() first");
    os << "Apartment complex topology: " << m_complexes.size() << " complex(es), " << m_buildings
       << " building(s) x " << m_flatsPerBuilding << " flat(s) x " << m_terminalsPerFlat
       << " terminal(s); " << m_remotePhones.GetN() << " remote phone(s); " << m_allNodes.GetN()
       << " nodes\n";
    for (uint32_t c = 0; c < m_complexes.size(); ++c)
    {
        const AddressPlan& plan = *m_complexes[c].plan;
        os << "  complex " << c << ": numbers " << GetPrefixOf(c) << "-BBBB-RRRR-T, private "
           << Ipv4Prefix{m_privateNetwork, 8}.ToString()
           << " (building b: " << plan.GetBuildingAggregate(0).ToString()
           << " + b.0.0, flat blocks /" << unsigned{plan.GetConfig().blockLength} << "), core "
           << plan.GetCore().ToString() << ", public " << plan.GetPublic().ToString()
           << ", addresses " << (m_addressMode == STATIC_ADDRESSES ? "static" : "dynamic")
           << ", edge " << (m_edgeMode == ROUTED_EDGE ? "routed" : "NAT") << "\n";
    }
}

void
ApartmentTopologyHelper::Print(std::ostream& os) const
{
    PrintSummary(os);
    os << std::left << std::setw(30) << "node" << std::setw(20) << "role" << std::setw(18)
       << "number"
       << "addresses\n";
    for (uint32_t i = 0; i < m_allNodes.GetN(); ++i)
    {
        Ptr<Node> node = m_allNodes.Get(i);
        const NodeInfo& info = GetInfo(node);
        os << std::left << std::setw(30) << Names::FindName(node) << std::setw(20)
           << ToString(info.role) << std::setw(18)
           << (info.number ? info.number->ToString() : std::string("-"));
        Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
        bool first = true;
        for (uint32_t j = 1; ipv4 && j < ipv4->GetNInterfaces(); ++j)
        {
            for (uint32_t a = 0; a < ipv4->GetNAddresses(j); ++a)
            {
                Ipv4InterfaceAddress ia = ipv4->GetAddress(j, a);
                os << (first ? "" : " ") << ia.GetLocal() << "/" << ia.GetMask().GetPrefixLength();
                first = false;
            }
        }
        if (first)
        {
            os << (info.role == NodeRole::SWITCH ? "(layer 2, no IP)" : "(none yet)");
        }
        os << "\n";
    }
}

} // namespace apartment
} // namespace ns3
