/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// ApartmentTopologyHelper, part 1 of 3: attributes and building the complex (lookups:
// apartment-topology-helper-lookup.cc; output: apartment-topology-helper-output.cc).

#include "ns3/apartment-topology-helper.h"

#include "ns3/abort.h"
#include "ns3/apartment-voip-compat.h"
#include "ns3/arp-cache.h"
#include "ns3/boolean.h"
#include "ns3/bridge-helper.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/enum.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/nat-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipTopologyHelper");

namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(ApartmentTopologyHelper);

std::string
ToString(NodeRole role)
{
    switch (role)
    {
    case NodeRole::TERMINAL:
        return "terminal";
    case NodeRole::HOME_GATEWAY:
        return "home-gateway";
    case NodeRole::BUILDING_ROUTER:
        return "building-router";
    case NodeRole::GATEKEEPER:
        return "gatekeeper";
    case NodeRole::NAT_ROUTER:
        return "nat-router";
    case NodeRole::ADDRESS_MANAGER:
        return "address-manager";
    case NodeRole::ISP_ROUTER:
        return "isp-router";
    case NodeRole::OUTSIDE_GATEKEEPER:
        return "outside-gatekeeper";
    case NodeRole::REMOTE_PHONE:
        return "remote-phone";
    case NodeRole::SWITCH:
        return "switch";
    }
    return "unknown";
}

TypeId
ApartmentTopologyHelper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::ApartmentTopologyHelper")
            .SetParent<Object>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<ApartmentTopologyHelper>()
            .AddAttribute("Buildings",
                          "Number of buildings in each complex (1-256).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_buildings),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("FlatsPerBuilding",
                          "Number of flats in each building.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_flatsPerBuilding),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("TerminalsPerFlat",
                          "Number of terminals (IP phones) in each flat (1-9).",
                          UintegerValue(3),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_terminalsPerFlat),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RemotePhones",
                          "Number of phones in the outside network (0-240).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_nRemotePhones),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("SecondComplex",
                          "Build a second complex, with the same private address plan, "
                          "reached through the outside network.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&ApartmentTopologyHelper::m_secondComplex),
                          MakeBooleanChecker())
            .AddAttribute(
                "AddressMode",
                "Static: the helper addresses every flat. Dynamic: flat LANs are "
                "left unaddressed for the address manager.",
                EnumValue(STATIC_ADDRESSES),
                MakeEnumAttributeAccessor<AddressMode>(&ApartmentTopologyHelper::m_addressMode),
                MakeEnumChecker(STATIC_ADDRESSES, "Static", DYNAMIC_ADDRESSES, "Dynamic"))
            .AddAttribute("EdgeMode",
                          "Routed: the edge is a plain router and the ISP routes the first "
                          "complex's private space. Nat: the private space stays inside and a "
                          "NAT must be installed on the NAT router.",
                          EnumValue(ROUTED_EDGE),
                          MakeEnumAttributeAccessor<EdgeMode>(&ApartmentTopologyHelper::m_edgeMode),
                          MakeEnumChecker(ROUTED_EDGE, "Routed", NAT_EDGE, "Nat"))
            .AddAttribute("NumberPrefix",
                          "Country/area prefix of the complex's numbers (1-6 digits).",
                          StringValue("100"),
                          MakeStringAccessor(&ApartmentTopologyHelper::m_numberPrefix),
                          MakeStringChecker())
            .AddAttribute("SecondComplexPrefix",
                          "Number prefix of the second complex.",
                          StringValue("101"),
                          MakeStringAccessor(&ApartmentTopologyHelper::m_secondComplexPrefix),
                          MakeStringChecker())
            .AddAttribute("OutsidePrefix",
                          "Number prefix of the remote phones.",
                          StringValue("200"),
                          MakeStringAccessor(&ApartmentTopologyHelper::m_outsidePrefix),
                          MakeStringChecker())
            .AddAttribute("FirstBuildingSerial",
                          "Serial (BBBB) of the first building; the next ones follow.",
                          UintegerValue(1101),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_firstBuildingSerial),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("FirstFlatSerial",
                          "Serial (RRRR) of the first flat of each building.",
                          UintegerValue(1201),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_firstFlatSerial),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("BlockPrefixLength",
                          "Prefix length of a flat's address block (17-30); /29 holds the "
                          "gateway and five terminals. With HomeNat the block holds only the "
                          "gateway's outside address: /30 is enough.",
                          UintegerValue(29),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_blockLength),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("PrivateNetwork",
                          "The complex's private /8; building b gets x.b.0.0/16.",
                          Ipv4AddressValue("10.0.0.0"),
                          MakeIpv4AddressAccessor(&ApartmentTopologyHelper::m_privateNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("CoreNetwork",
                          "The /16 of the complex core segment.",
                          Ipv4AddressValue("192.168.0.0"),
                          MakeIpv4AddressAccessor(&ApartmentTopologyHelper::m_coreNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("PublicNetwork",
                          "The complex's public /24 (WAN link and NAT addresses).",
                          Ipv4AddressValue("203.0.113.0"),
                          MakeIpv4AddressAccessor(&ApartmentTopologyHelper::m_publicNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("SecondPublicNetwork",
                          "The second complex's public /24.",
                          Ipv4AddressValue("192.0.2.0"),
                          MakeIpv4AddressAccessor(&ApartmentTopologyHelper::m_secondPublicNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("OutsideNetwork",
                          "The /24 of the outside LAN (ISP router, outside gatekeeper, remote "
                          "phones).",
                          Ipv4AddressValue("198.51.100.0"),
                          MakeIpv4AddressAccessor(&ApartmentTopologyHelper::m_outsideNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("FlatLanDataRate",
                          "Data rate of a flat's CSMA LAN.",
                          DataRateValue(DataRate("100Mbps")),
                          MakeDataRateAccessor(&ApartmentTopologyHelper::m_flatLanRate),
                          MakeDataRateChecker())
            .AddAttribute("FlatLanDelay",
                          "Propagation delay of a flat's CSMA LAN.",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&ApartmentTopologyHelper::m_flatLanDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("BackboneDataRate",
                          "Data rate of a building's CSMA backbone (the primary LAN).",
                          DataRateValue(DataRate("1Gbps")),
                          MakeDataRateAccessor(&ApartmentTopologyHelper::m_backboneRate),
                          MakeDataRateChecker())
            .AddAttribute("BackboneDelay",
                          "Propagation delay of a building's backbone. ns-3's CSMA channel "
                          "is a shared bus, busy for transmission plus propagation time per "
                          "frame, so this bounds the segment's frame rate.",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&ApartmentTopologyHelper::m_backboneDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("CoreDataRate",
                          "Data rate of the complex core CSMA segment.",
                          DataRateValue(DataRate("10Gbps")),
                          MakeDataRateAccessor(&ApartmentTopologyHelper::m_coreRate),
                          MakeDataRateChecker())
            .AddAttribute("CoreDelay",
                          "Propagation delay of the complex core segment.",
                          TimeValue(NanoSeconds(500)),
                          MakeTimeAccessor(&ApartmentTopologyHelper::m_coreDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("WanDataRate",
                          "Data rate of the point-to-point WAN link.",
                          DataRateValue(DataRate("100Mbps")),
                          MakeDataRateAccessor(&ApartmentTopologyHelper::m_wanRate),
                          MakeDataRateChecker())
            .AddAttribute("WanDelay",
                          "Propagation delay of the WAN link.",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&ApartmentTopologyHelper::m_wanDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("SwitchedSegments",
                          "Join the members of the core, backbone and outside segments through "
                          "a learning Ethernet switch (one CSMA link per member) instead of one "
                          "shared CSMA bus. A bus delivers every frame to every member, which "
                          "costs one event per member per frame.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&ApartmentTopologyHelper::m_switched),
                          MakeBooleanChecker())
            .AddAttribute("ArpPendingQueueSize",
                          "Packets an interface holds while ARP resolves their next hop. "
                          "ns-3's default (3) drops the first packets of every burst; Linux "
                          "holds about 100 (unres_qlen_bytes = 212992).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&ApartmentTopologyHelper::m_arpPendingQueueSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("OutsideDataRate",
                          "Data rate of the outside CSMA LAN.",
                          DataRateValue(DataRate("1Gbps")),
                          MakeDataRateAccessor(&ApartmentTopologyHelper::m_outsideRate),
                          MakeDataRateChecker())
            .AddAttribute("OutsideDelay",
                          "Propagation delay of the outside LAN (put Internet delay on the WAN "
                          "link: a long CSMA delay blocks the shared channel).",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&ApartmentTopologyHelper::m_outsideDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("HomeNat",
                          "Put a NAPT on every home gateway (double NAT): every flat uses the "
                          "same private /24 (HomeNetwork) behind it, and the gateway is seen "
                          "in the complex only by the first address of its flat's block. "
                          "Needs AddressMode=Static.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&ApartmentTopologyHelper::m_homeNat),
                          MakeBooleanChecker())
            .AddAttribute("HomeNetwork",
                          "HomeNat: the /24 every flat reuses behind its gateway (gateway .1, "
                          "terminals .2 on).",
                          Ipv4AddressValue("172.16.0.0"),
                          MakeIpv4AddressAccessor(&ApartmentTopologyHelper::m_homeNetwork),
                          MakeIpv4AddressChecker());
    return tid;
}

ApartmentTopologyHelper::ApartmentTopologyHelper()
{
    NS_LOG_FUNCTION(this);
}

ApartmentTopologyHelper::~ApartmentTopologyHelper()
{
    NS_LOG_FUNCTION(this);
}

void
ApartmentTopologyHelper::DoDispose()
{
    m_complexes.clear();
    m_ispRouter = nullptr;
    m_outsideSwitch = nullptr;
    m_outsideGatekeeper = nullptr;
    m_remotePhones = NodeContainer();
    m_allNodes = NodeContainer();
    m_info.clear();
    m_nodeByNumber.clear();
    m_natStackInstaller = MakeNullCallback<void, Ptr<Node>>();
    Object::DoDispose();
}

std::string
ApartmentTopologyHelper::GetPrefixOf(uint32_t complex) const
{
    return complex == 0 ? m_numberPrefix : m_secondComplexPrefix;
}

AddressPlan::Config
ApartmentTopologyHelper::MakePlanConfig(uint32_t complex) const
{
    AddressPlan::Config c;
    c.privateNetwork = m_privateNetwork;
    c.blockLength = static_cast<uint8_t>(std::min<uint32_t>(m_blockLength, 255));
    c.coreNetwork = m_coreNetwork;
    c.publicNetwork = complex == 0 ? m_publicNetwork : m_secondPublicNetwork;
    c.buildings = m_buildings;
    c.flatsPerBuilding = m_flatsPerBuilding;
    c.terminalsPerFlat = m_terminalsPerFlat;
    c.terminalsBehindHomeNat = m_homeNat;
    return c;
}

std::string
ApartmentTopologyHelper::Validate() const
{
    for (const auto& [name, prefix] : {std::make_pair("NumberPrefix", m_numberPrefix),
                                       std::make_pair("SecondComplexPrefix", m_secondComplexPrefix),
                                       std::make_pair("OutsidePrefix", m_outsidePrefix)})
    {
        std::string err = CheckPrefix(prefix);
        if (!err.empty())
        {
            return std::string(name) + ": " + err;
        }
    }
    if (m_outsidePrefix == m_numberPrefix ||
        (m_secondComplex &&
         (m_secondComplexPrefix == m_numberPrefix || m_secondComplexPrefix == m_outsidePrefix)))
    {
        return "NumberPrefix, SecondComplexPrefix and OutsidePrefix must differ, so that calls "
               "can be routed by prefix";
    }
    std::string err = AddressPlan::Validate(MakePlanConfig(0));
    if (!err.empty())
    {
        return err;
    }
    if (m_firstBuildingSerial + m_buildings - 1 > PhoneNumber::MAX_SERIAL)
    {
        return "building serials " + std::to_string(m_firstBuildingSerial) + " to " +
               std::to_string(m_firstBuildingSerial + m_buildings - 1) +
               " do not fit in four digits (BBBB)";
    }
    if (m_firstFlatSerial + m_flatsPerBuilding - 1 > PhoneNumber::MAX_SERIAL)
    {
        return "flat serials " + std::to_string(m_firstFlatSerial) + " to " +
               std::to_string(m_firstFlatSerial + m_flatsPerBuilding - 1) +
               " do not fit in four digits (RRRR)";
    }
    if (m_nRemotePhones > 240)
    {
        return "remote phones " + std::to_string(m_nRemotePhones) +
               " must be 0 to 240 (they share the outside /24)";
    }
    if (m_secondComplex)
    {
        err = AddressPlan::Validate(MakePlanConfig(1));
        if (!err.empty())
        {
            return "second complex: " + err;
        }
        if (m_publicNetwork == m_secondPublicNetwork)
        {
            return "PublicNetwork and SecondPublicNetwork must differ";
        }
        if (m_edgeMode == ROUTED_EDGE)
        {
            return "a second complex reuses the first one's private addresses, so it is "
                   "reachable from outside only through a NAT: set EdgeMode=Nat";
        }
    }
    const Ipv4Mask m24("255.255.255.0");
    if (!m24.IsMatch(m_outsideNetwork, m_outsideNetwork) || (m_outsideNetwork.Get() & 0xff) != 0)
    {
        return "OutsideNetwork must be a /24 (x.y.z.0)";
    }
    for (auto pub : {m_publicNetwork, m_secondPublicNetwork})
    {
        if (m24.IsMatch(pub, m_outsideNetwork))
        {
            return "OutsideNetwork must differ from the complexes' public networks";
        }
    }
    if (m_homeNat)
    {
        const Ipv4Prefix home = GetHomeNetwork();
        if (home.network.Get() != home.network.CombineMask(home.GetMask()).Get())
        {
            return "HomeNetwork must be a /24 (x.y.z.0)";
        }
        const Ipv4Prefix others[] = {{m_privateNetwork, 8},
                                     {m_coreNetwork, 16},
                                     {m_publicNetwork, 24},
                                     {m_secondPublicNetwork, 24},
                                     {m_outsideNetwork, 24}};
        for (const auto& other : others)
        {
            if (other.Contains(home.network) || home.Contains(other.network))
            {
                return "HomeNetwork " + home.ToString() + " overlaps " + other.ToString() +
                       " (the private, core, public or outside network)";
            }
        }
    }
    if (m_flatLanRate.GetBitRate() == 0 || m_backboneRate.GetBitRate() == 0 ||
        m_coreRate.GetBitRate() == 0 || m_wanRate.GetBitRate() == 0 ||
        m_outsideRate.GetBitRate() == 0)
    {
        return "every data rate must be greater than zero";
    }
    return "";
}

bool
ApartmentTopologyHelper::IsBuilt() const
{
    return m_built;
}

void
ApartmentTopologyHelper::SetNatRouterStackInstaller(Callback<void, Ptr<Node>> installer)
{
    NS_ABORT_MSG_IF(m_built, "SetNatRouterStackInstaller must be called before Build()");
    m_natStackInstaller = installer;
}

Ptr<Node>
ApartmentTopologyHelper::CreateNode(NodeRole role,
                                    const std::string& name,
                                    uint32_t complex,
                                    std::optional<std::pair<uint32_t, uint32_t>> flat,
                                    std::optional<PhoneNumber> number)
{
    Ptr<Node> node = CreateObject<Node>();
    m_allNodes.Add(node);
    m_info[node->GetId()] = NodeInfo{role, complex, flat, number};
    if (number)
    {
        m_nodeByNumber[*number] = node;
    }
    Names::Add(name, node);
    return node;
}

namespace
{

/// Adds an addressed, up interface for \p device; no queue disc (the ns-3 address helper
/// would install FqCoDel on every device, which costs time and memory at scale).
uint32_t
AddInterface(Ptr<NetDevice> device, std::optional<Ipv4Prefix> subnet, Ipv4Address address)
{
    Ptr<Ipv4> ipv4 = device->GetNode()->GetObject<Ipv4>();
    int32_t i = ipv4->GetInterfaceForDevice(device);
    if (i < 0)
    {
        i = ipv4->AddInterface(device);
    }
    if (subnet)
    {
        ipv4->AddAddress(i, Ipv4InterfaceAddress(address, subnet->GetMask()));
    }
    ipv4->SetMetric(i, 1);
    ipv4->SetUp(i);
    return static_cast<uint32_t>(i);
}

void
SetArpQueue(Ptr<Node> node, uint32_t packets)
{
    Ptr<Ipv4L3Protocol> l3 = node->GetObject<Ipv4L3Protocol>();
    for (uint32_t i = 0; l3 && i < l3->GetNInterfaces(); ++i)
    {
        Ptr<ArpCache> cache = l3->GetInterface(i)->GetArpCache();
        if (cache)
        {
            cache->SetAttribute("PendingQueueSize", UintegerValue(packets));
        }
    }
}

Ptr<Ipv4StaticRouting>
StaticRouting(Ptr<Node> node)
{
    Ipv4StaticRoutingHelper helper;
    Ptr<Ipv4StaticRouting> routing = helper.GetStaticRouting(node->GetObject<Ipv4>());
    NS_ABORT_MSG_IF(!routing, "node " << node->GetId() << " has no static routing");
    return routing;
}

std::string
Serial(uint32_t s)
{
    std::ostringstream os;
    os << std::setw(4) << std::setfill('0') << s;
    return os.str();
}

} // namespace

void
ApartmentTopologyHelper::Build()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_built, "ApartmentTopologyHelper::Build() can be called only once");
    std::string err = Validate();
    NS_ABORT_MSG_IF(!err.empty(), "ApartmentTopologyHelper: " << err);

    m_outsideNumbering = std::make_unique<NumberingPlan>(m_outsidePrefix);
    InternetStackHelper stack;
    stack.SetRoutingHelper(Ipv4StaticRoutingHelper());
    stack.SetIpv6StackInstall(false);

    const uint32_t complexes = m_secondComplex ? 2 : 1;
    m_complexes.resize(complexes);
    BuildOutside(stack);
    for (uint32_t c = 0; c < complexes; ++c)
    {
        BuildComplex(c, stack);
        ConnectWan(c);
    }
    for (uint32_t i = 0; i < m_allNodes.GetN(); ++i)
    {
        SetArpQueue(m_allNodes.Get(i), m_arpPendingQueueSize);
    }
    m_built = true;
}

void
ApartmentTopologyHelper::BuildOutside(InternetStackHelper& stack)
{
    m_ispRouter = CreateNode(NodeRole::ISP_ROUTER, "isp-router", 0);
    m_outsideGatekeeper = CreateNode(NodeRole::OUTSIDE_GATEKEEPER, "outside-gatekeeper", 0);
    for (uint32_t i = 0; i < m_nRemotePhones; ++i)
    {
        PhoneNumber number = GetRemotePhoneNumber(i);
        m_remotePhones.Add(CreateNode(NodeRole::REMOTE_PHONE,
                                      "remote-phone-" + std::to_string(i + 1),
                                      0,
                                      std::nullopt,
                                      number));
    }
    NodeContainer lan(m_ispRouter, m_outsideGatekeeper);
    lan.Add(m_remotePhones);
    stack.Install(lan);

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", DataRateValue(m_outsideRate));
    csma.SetChannelAttribute("Delay", TimeValue(m_outsideDelay));
    NetDeviceContainer devices = InstallSegment(lan, csma, "outside-switch", 0, m_outsideSwitch);
    const Ipv4Prefix outside{m_outsideNetwork, 24};
    AddInterface(devices.Get(0), outside, GetIspRouterOutsideAddress());
    AddInterface(devices.Get(1), outside, GetOutsideGatekeeperAddress());
    StaticRouting(m_outsideGatekeeper)->SetDefaultRoute(GetIspRouterOutsideAddress(), 1);
    for (uint32_t i = 0; i < m_remotePhones.GetN(); ++i)
    {
        AddInterface(devices.Get(2 + i), outside, GetRemotePhoneAddress(i));
        StaticRouting(m_remotePhones.Get(i))->SetDefaultRoute(GetIspRouterOutsideAddress(), 1);
    }
}

void
ApartmentTopologyHelper::BuildComplex(uint32_t index, InternetStackHelper& stack)
{
    Complex& cx = m_complexes[index];
    cx.plan = std::make_unique<AddressPlan>(MakePlanConfig(index));
    cx.numbering = std::make_unique<NumberingPlan>(GetPrefixOf(index));
    const AddressPlan& plan = *cx.plan;
    const std::string tag = "c" + std::to_string(index) + "-";

    cx.natRouter = CreateNode(NodeRole::NAT_ROUTER, tag + "nat-router", index);
    cx.gatekeeper = CreateNode(NodeRole::GATEKEEPER, tag + "gatekeeper", index);
    cx.addressManager = CreateNode(NodeRole::ADDRESS_MANAGER, tag + "address-manager", index);
    for (uint32_t b = 0; b < m_buildings; ++b)
    {
        cx.buildingRouters.Add(CreateNode(NodeRole::BUILDING_ROUTER,
                                          tag + "building-" + Serial(m_firstBuildingSerial + b),
                                          index));
    }
    cx.flats.resize(static_cast<std::size_t>(m_buildings) * m_flatsPerBuilding);
    for (uint32_t b = 0; b < m_buildings; ++b)
    {
        for (uint32_t f = 0; f < m_flatsPerBuilding; ++f)
        {
            Flat& flat = cx.flats[b * m_flatsPerBuilding + f];
            PhoneNumber household = GetHouseholdNumber(b, f, index);
            const std::string flatName =
                Serial(household.GetBuilding()) + "-" + Serial(household.GetFlat());
            flat.gateway = CreateNode(NodeRole::HOME_GATEWAY,
                                      tag + "gateway-" + flatName,
                                      index,
                                      std::make_pair(b, f),
                                      household);
            for (uint32_t t = 1; t <= m_terminalsPerFlat; ++t)
            {
                flat.terminals.Add(
                    CreateNode(NodeRole::TERMINAL,
                               tag + "terminal-" + flatName + "-" + std::to_string(t),
                               index,
                               std::make_pair(b, f),
                               household.GetTerminalNumber(t)));
            }
        }
    }

    // Internet stacks: every node of the complex; the NAT router through the installer
    // another helper may have set.
    NodeContainer hosts(cx.gatekeeper, cx.addressManager);
    hosts.Add(cx.buildingRouters);
    for (const Flat& flat : cx.flats)
    {
        if (!m_homeNat)
        {
            hosts.Add(flat.gateway);
        }
        hosts.Add(flat.terminals);
    }
    stack.Install(hosts);
    NatHelper homeNat;
    homeNat.SetAttribute("PortMin", UintegerValue(HOME_NAT_PORT_MIN));
    homeNat.SetAttribute("PortMax", UintegerValue(HOME_NAT_PORT_MAX));
    for (const Flat& flat : cx.flats)
    {
        if (m_homeNat)
        {
            homeNat.InstallStack(flat.gateway); // a NAT layer in the gateway's stack
        }
    }
    if (m_natStackInstaller.IsNull())
    {
        stack.Install(cx.natRouter);
    }
    else
    {
        m_natStackInstaller(cx.natRouter);
        NS_ABORT_MSG_IF(!cx.natRouter->GetObject<Ipv4>(),
                        "the NAT router stack installer installed no IPv4 stack");
    }

    // Core segment.
    CsmaHelper core;
    core.SetChannelAttribute("DataRate", DataRateValue(m_coreRate));
    core.SetChannelAttribute("Delay", TimeValue(m_coreDelay));
    NodeContainer coreNodes(cx.natRouter, cx.gatekeeper, cx.addressManager);
    coreNodes.Add(cx.buildingRouters);
    NetDeviceContainer coreDevices =
        InstallSegment(coreNodes, core, tag + "core-switch", index, cx.coreSwitch);
    const Ipv4Prefix corePrefix = plan.GetCore();
    cx.natCoreDevice = coreDevices.Get(0);
    uint32_t natCoreIf =
        AddInterface(coreDevices.Get(0), corePrefix, plan.GetNatRouterCoreAddress());
    AddInterface(coreDevices.Get(1), corePrefix, plan.GetGatekeeperAddress());
    AddInterface(coreDevices.Get(2), corePrefix, plan.GetAddressManagerAddress());
    for (Ptr<Node> server : {cx.gatekeeper, cx.addressManager})
    {
        StaticRouting(server)->SetDefaultRoute(plan.GetNatRouterCoreAddress(), 1);
    }

    CsmaHelper backbone;
    backbone.SetChannelAttribute("DataRate", DataRateValue(m_backboneRate));
    backbone.SetChannelAttribute("Delay", TimeValue(m_backboneDelay));
    CsmaHelper lan;
    lan.SetChannelAttribute("DataRate", DataRateValue(m_flatLanRate));
    lan.SetChannelAttribute("Delay", TimeValue(m_flatLanDelay));

    for (uint32_t b = 0; b < m_buildings; ++b)
    {
        Ptr<Node> router = cx.buildingRouters.Get(b);
        AddInterface(coreDevices.Get(3 + b), corePrefix, plan.GetBuildingRouterCoreAddress(b));
        // One route per building at the core: the whole building's /16.
        const Ipv4Prefix aggregate = plan.GetBuildingAggregate(b);
        const Ipv4Address via = plan.GetBuildingRouterCoreAddress(b);
        StaticRouting(cx.natRouter)
            ->AddNetworkRouteTo(aggregate.network, aggregate.GetMask(), via, natCoreIf);
        StaticRouting(cx.gatekeeper)
            ->AddNetworkRouteTo(aggregate.network, aggregate.GetMask(), via, 1);
        StaticRouting(cx.addressManager)
            ->AddNetworkRouteTo(aggregate.network, aggregate.GetMask(), via, 1);

        NodeContainer segment(router);
        for (uint32_t f = 0; f < m_flatsPerBuilding; ++f)
        {
            segment.Add(cx.flats[b * m_flatsPerBuilding + f].gateway);
        }
        Ptr<Node> buildingSwitch;
        NetDeviceContainer bbDevices =
            InstallSegment(segment,
                           backbone,
                           tag + "switch-" + Serial(m_firstBuildingSerial + b),
                           index,
                           buildingSwitch);
        cx.buildingSwitches.Add(buildingSwitch);
        const Ipv4Prefix bbPrefix = plan.GetBackbone(b);
        cx.buildingRouterBackboneDevices.push_back(bbDevices.Get(0));
        AddInterface(bbDevices.Get(0), bbPrefix, plan.GetBuildingRouterBackboneAddress(b));
        // interface 1: backbone, 2: core (order of creation above is core first for the
        // building router, so look the interfaces up instead of assuming).
        Ptr<Ipv4> rip = router->GetObject<Ipv4>();
        StaticRouting(router)->SetDefaultRoute(
            plan.GetNatRouterCoreAddress(),
            static_cast<uint32_t>(rip->GetInterfaceForDevice(coreDevices.Get(3 + b))));

        for (uint32_t f = 0; f < m_flatsPerBuilding; ++f)
        {
            Flat& flat = cx.flats[b * m_flatsPerBuilding + f];
            flat.gatewayBackboneDevice = bbDevices.Get(1 + f);
            if (m_homeNat && m_addressMode == STATIC_ADDRESSES)
            {
                // The block's first address goes first on the backbone interface: it is the
                // source of what the gateway sends upstream (ns-3 picks an interface's first
                // address for off-link destinations) and its NAT's public address.
                // (Dynamic: SetGatewayOutsideAddress, when the gateway gets its block.)
                AddInterface(flat.gatewayBackboneDevice,
                             Ipv4Prefix{plan.GetGatewayLanAddress(b, f), 32},
                             plan.GetGatewayLanAddress(b, f));
            }
            uint32_t gwUp = AddInterface(flat.gatewayBackboneDevice,
                                         bbPrefix,
                                         plan.GetGatewayBackboneAddress(b, f));
            StaticRouting(flat.gateway)
                ->SetDefaultRoute(plan.GetBuildingRouterBackboneAddress(b), gwUp);

            NodeContainer flatNodes(flat.gateway);
            flatNodes.Add(flat.terminals);
            NetDeviceContainer lanDevices = lan.Install(flatNodes);
            flat.gatewayLanDevice = lanDevices.Get(0);
            for (uint32_t t = 0; t < flat.terminals.GetN(); ++t)
            {
                flat.terminalDevices.Add(lanDevices.Get(1 + t));
            }
            if (m_homeNat)
            {
                // Double NAT: the same private /24 in every flat, the block routed to the
                // gateway, whose NAT shows the flat as the block's first address.
                const Ipv4Prefix home = GetHomeNetwork();
                AddInterface(flat.gatewayLanDevice, home, home.GetAddress(1));
                if (m_addressMode == DYNAMIC_ADDRESSES)
                {
                    // Terminals get their home address by DHCP; the NAT starts when the
                    // gateway gets its outside address (SetGatewayOutsideAddress).
                    for (uint32_t t = 0; t < flat.terminals.GetN(); ++t)
                    {
                        AddInterface(flat.terminalDevices.Get(t), std::nullopt, Ipv4Address());
                    }
                    continue;
                }
                for (uint32_t t = 0; t < flat.terminals.GetN(); ++t)
                {
                    AddInterface(flat.terminalDevices.Get(t), home, home.GetAddress(2 + t));
                    StaticRouting(flat.terminals.Get(t))->SetDefaultRoute(home.GetAddress(1), 1);
                }
                AddFlatRoute(b, f, plan.GetFlatBlock(b, f), index);
                homeNat.Enable(flat.gateway,
                               flat.gatewayBackboneDevice,
                               {plan.GetGatewayLanAddress(b, f)});
            }
            else if (m_addressMode == STATIC_ADDRESSES)
            {
                const Ipv4Prefix block = plan.GetFlatBlock(b, f);
                AddInterface(flat.gatewayLanDevice, block, plan.GetGatewayLanAddress(b, f));
                for (uint32_t t = 0; t < flat.terminals.GetN(); ++t)
                {
                    AddInterface(flat.terminalDevices.Get(t),
                                 block,
                                 plan.GetTerminalAddress(b, f, t + 1));
                    StaticRouting(flat.terminals.Get(t))
                        ->SetDefaultRoute(plan.GetGatewayLanAddress(b, f), 1);
                }
                AddFlatRoute(b, f, block, index);
            }
            else
            {
                // Interfaces exist and are up, without addresses: DHCP configures them.
                AddInterface(flat.gatewayLanDevice, std::nullopt, Ipv4Address());
                for (uint32_t t = 0; t < flat.terminals.GetN(); ++t)
                {
                    AddInterface(flat.terminalDevices.Get(t), std::nullopt, Ipv4Address());
                }
            }
        }
    }
}

NetDeviceContainer
ApartmentTopologyHelper::InstallSegment(NodeContainer members,
                                        CsmaHelper& csma,
                                        const std::string& switchName,
                                        uint32_t complex,
                                        Ptr<Node>& switchNode)
{
    if (!m_switched)
    {
        switchNode = nullptr;
        return csma.Install(members);
    }
    switchNode = CreateNode(NodeRole::SWITCH, switchName, complex);
    NetDeviceContainer memberDevices;
    NetDeviceContainer ports;
    for (uint32_t i = 0; i < members.GetN(); ++i)
    {
        NetDeviceContainer link = csma.Install(NodeContainer(members.Get(i), switchNode));
        memberDevices.Add(link.Get(0));
        ports.Add(link.Get(1));
    }
    BridgeHelper bridge;
    bridge.Install(switchNode, ports);
    return memberDevices;
}

void
ApartmentTopologyHelper::ConnectWan(uint32_t index)
{
    Complex& cx = m_complexes[index];
    const AddressPlan& plan = *cx.plan;
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(m_wanRate));
    p2p.SetChannelAttribute("Delay", TimeValue(m_wanDelay));
    NetDeviceContainer wan = p2p.Install(cx.natRouter, m_ispRouter);
    cx.natWanDevice = wan.Get(0);
    const Ipv4Prefix pub = plan.GetPublic();
    uint32_t natWanIf = AddInterface(wan.Get(0), pub, plan.GetNatRouterPublicAddress());
    uint32_t ispIf = AddInterface(wan.Get(1), pub, plan.GetIspRouterAddress());
    StaticRouting(cx.natRouter)->SetDefaultRoute(plan.GetIspRouterAddress(), natWanIf);
    if (m_edgeMode == ROUTED_EDGE && index == 0)
    {
        // No NAT: the outside reaches the private space and the core directly.
        Ptr<Ipv4StaticRouting> isp = StaticRouting(m_ispRouter);
        const Ipv4Prefix priv{m_privateNetwork, 8};
        isp->AddNetworkRouteTo(priv.network,
                               priv.GetMask(),
                               plan.GetNatRouterPublicAddress(),
                               ispIf);
        const Ipv4Prefix core = plan.GetCore();
        isp->AddNetworkRouteTo(core.network,
                               core.GetMask(),
                               plan.GetNatRouterPublicAddress(),
                               ispIf);
    }
}

bool
ApartmentTopologyHelper::IsHomeNat() const
{
    return m_homeNat;
}

Ipv4Prefix
ApartmentTopologyHelper::GetHomeNetwork() const
{
    return Ipv4Prefix{m_homeNetwork, 24};
}

Ipv4Address
ApartmentTopologyHelper::GetGatewayOutsideAddress(uint32_t building,
                                                  uint32_t flat,
                                                  uint32_t complex) const
{
    const AddressPlan& plan = GetAddressPlan(complex);
    if (!m_homeNat)
    {
        return plan.GetGatewayBackboneAddress(building, flat);
    }
    if (m_addressMode == STATIC_ADDRESSES)
    {
        return plan.GetGatewayLanAddress(building, flat);
    }
    // Dynamic: the backbone interface's first address once it is not the backbone address.
    Ptr<NetDevice> dev = GetFlat(building, flat, complex).gatewayBackboneDevice;
    Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
    const int32_t i = ipv4->GetInterfaceForDevice(dev);
    const Ipv4Address first = ipv4->GetAddress(static_cast<uint32_t>(i), 0).GetLocal();
    return first == plan.GetGatewayBackboneAddress(building, flat) ? Ipv4Address::GetAny() : first;
}

void
ApartmentTopologyHelper::SetGatewayOutsideAddress(uint32_t building,
                                                  uint32_t flat,
                                                  Ipv4Address outside,
                                                  uint32_t complex)
{
    NS_ABORT_MSG_IF(!m_homeNat || m_addressMode != DYNAMIC_ADDRESSES,
                    "SetGatewayOutsideAddress: only with HomeNat and AddressMode=Dynamic");
    ClearGatewayOutsideAddress(building, flat, complex);
    const Flat& fl = GetFlat(building, flat, complex);
    Ptr<Ipv4> ipv4 = fl.gateway->GetObject<Ipv4>();
    const auto up = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(fl.gatewayBackboneDevice));
    // As in static mode, the outside address goes first (the source of what the gateway sends
    // upstream): take the others off and put them back after it.
    std::vector<Ipv4InterfaceAddress> others;
    while (ipv4->GetNAddresses(up) > 0)
    {
        others.push_back(ipv4->GetAddress(up, 0));
        ipv4->RemoveAddress(up, 0);
    }
    ipv4->AddAddress(up, Ipv4InterfaceAddress(outside, Ipv4Mask::GetOnes()));
    for (const auto& a : others)
    {
        ipv4->AddAddress(up, a);
    }
    // (The default route stays: removing an address drops only its own network's route.)
    Ptr<NatTrafficControlLayer> nat = fl.gateway->GetObject<NatTrafficControlLayer>();
    NS_ABORT_MSG_IF(!nat, "HomeNat: gateway " << fl.gateway->GetId() << " has no NAT layer");
    const std::string error = nat->Enable(fl.gatewayBackboneDevice, {outside});
    NS_ABORT_MSG_IF(!error.empty(), "HomeNat: " << error);
}

void
ApartmentTopologyHelper::ClearGatewayOutsideAddress(uint32_t building,
                                                    uint32_t flat,
                                                    uint32_t complex)
{
    NS_ABORT_MSG_IF(!m_homeNat || m_addressMode != DYNAMIC_ADDRESSES,
                    "ClearGatewayOutsideAddress: only with HomeNat and AddressMode=Dynamic");
    const Ipv4Address outside = GetGatewayOutsideAddress(building, flat, complex);
    if (outside == Ipv4Address::GetAny())
    {
        return;
    }
    const Flat& fl = GetFlat(building, flat, complex);
    fl.gateway->GetObject<NatTrafficControlLayer>()->Disable();
    Ptr<Ipv4> ipv4 = fl.gateway->GetObject<Ipv4>();
    const auto up = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(fl.gatewayBackboneDevice));
    ipv4->RemoveAddress(up, outside);
}

Ipv4Address
ApartmentTopologyHelper::GetGatewayInsideAddress(uint32_t building,
                                                 uint32_t flat,
                                                 uint32_t complex) const
{
    return m_homeNat ? GetHomeNetwork().GetAddress(1)
                     : GetAddressPlan(complex).GetGatewayLanAddress(building, flat);
}

void
ApartmentTopologyHelper::AddFlatRoute(uint32_t building,
                                      uint32_t flat,
                                      const Ipv4Prefix& block,
                                      uint32_t complex)
{
    const Complex& cx = GetComplex(complex);
    NS_ABORT_MSG_IF(building >= m_buildings || flat >= m_flatsPerBuilding,
                    "no flat " << flat << " in building " << building);
    Ptr<Node> router = cx.buildingRouters.Get(building);
    Ptr<Ipv4> ipv4 = router->GetObject<Ipv4>();
    int32_t bbIf = ipv4->GetInterfaceForDevice(cx.buildingRouterBackboneDevices[building]);
    StaticRouting(router)->AddNetworkRouteTo(block.network,
                                             block.GetMask(),
                                             cx.plan->GetGatewayBackboneAddress(building, flat),
                                             static_cast<uint32_t>(bbIf));
}

void
ApartmentTopologyHelper::RemoveFlatRoute(uint32_t building,
                                         const Ipv4Prefix& block,
                                         uint32_t complex)
{
    const Complex& cx = GetComplex(complex);
    Ptr<Ipv4StaticRouting> routing = StaticRouting(cx.buildingRouters.Get(building));
    for (uint32_t i = 0; i < routing->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry route = routing->GetRoute(i);
        if (route.GetDest() == block.network && route.GetDestNetworkMask() == block.GetMask())
        {
            routing->RemoveRoute(i);
            return;
        }
    }
}

int64_t
ApartmentTopologyHelper::AssignStreams(int64_t stream)
{
    NS_ABORT_MSG_IF(!m_built, "ApartmentTopologyHelper: call Build() before AssignStreams()");
    // ARP request jitter and CSMA back-off are the topology's random draws.
    NodeContainer stacks;
    NetDeviceContainer csmaDevices;
    for (uint32_t i = 0; i < m_allNodes.GetN(); ++i)
    {
        Ptr<Node> node = m_allNodes.Get(i);
        if (node->GetObject<Ipv4>())
        {
            stacks.Add(node);
        }
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (DynamicCast<CsmaNetDevice>(node->GetDevice(d)))
            {
                csmaDevices.Add(node->GetDevice(d));
            }
        }
    }
    int64_t current = stream;
    InternetStackHelper stack;
    current += stack.AssignStreams(stacks, current);
    CsmaHelper csma;
    current += csma.AssignStreams(csmaDevices, current);
    return current - stream;
}

} // namespace apartment
} // namespace ns3
