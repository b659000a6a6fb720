/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_APARTMENT_TOPOLOGY_HELPER_H
#define APARTMENT_VOIP_APARTMENT_TOPOLOGY_HELPER_H

#include "ns3/address-plan.h"
#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/numbering-plan.h"
#include "ns3/object.h"

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class CsmaHelper;
class InternetStackHelper;

namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief What a node built by ApartmentTopologyHelper is.
 */
enum class NodeRole
{
    TERMINAL,           //!< an IP phone in a flat
    HOME_GATEWAY,       //!< one per flat: flat LAN <-> building backbone
    BUILDING_ROUTER,    //!< one per building: backbone <-> complex core
    GATEKEEPER,         //!< the complex's call server at the entrance
    NAT_ROUTER,         //!< the complex's edge router to the WAN
    ADDRESS_MANAGER,    //!< address manager and DHCP server of the complex
    ISP_ROUTER,         //!< the outside network's router
    OUTSIDE_GATEKEEPER, //!< the call server of the outside network
    REMOTE_PHONE,       //!< a phone in the outside network
    SWITCH,             //!< a learning Ethernet switch joining a segment's members
};

/// \return a readable name of \p role, e.g. "home-gateway"
std::string ToString(NodeRole role);

/**
 * \ingroup apartment-voip
 * \brief Builds an apartment complex (or two) and an outside network.
 *
 * Topology (per complex): each flat is a CSMA LAN of its home gateway and terminals; the
 * gateways of one building share a CSMA backbone segment with a building router; the
 * building routers, the gatekeeper, the address manager and the NAT router share the core
 * segment; the NAT router reaches the ISP router over a point-to-point WAN link; the ISP
 * router's outside LAN holds the outside gatekeeper and the remote phones.
 *
 * Addresses follow AddressPlan and routes are static and hierarchical (one route per
 * building at the core, one per flat at a building router), so a complex of thousands of
 * nodes is built in seconds and no router has more than a few interfaces.
 *
 * Configure with attributes, call Build(), then use the accessors.
 */
class ApartmentTopologyHelper : public Object
{
  public:
    /// How flats get their addresses.
    enum AddressMode
    {
        STATIC_ADDRESSES,  //!< the helper assigns every flat its block and routes it
        DYNAMIC_ADDRESSES, //!< flat LANs are left unaddressed for the address manager
    };

    /// How the complex's edge connects the private space to the outside.
    enum EdgeMode
    {
        ROUTED_EDGE, //!< plain router; the ISP routes complex 0's private space (no NAT)
        NAT_EDGE,    //!< private space is not routed outside; a NAT must be installed
    };

    /// \return the object TypeId
    static TypeId GetTypeId();
    ApartmentTopologyHelper();
    ~ApartmentTopologyHelper() override;

    /**
     * \return an empty string if the attributes describe a complex that can be built,
     * otherwise a sentence that says which value is wrong and what would be accepted
     */
    std::string Validate() const;

    /**
     * \brief Creates nodes, links, Internet stacks, addresses and routes.
     *
     * Stops the program with the message of Validate() if the attributes are invalid.
     * Can be called once.
     */
    void Build();

    /// \return true once Build() has run
    bool IsBuilt() const;

    /**
     * \brief Lets another helper install the Internet stack on the NAT routers (e.g. one
     * whose traffic-control layer translates addresses). Must be set before Build().
     */
    void SetNatRouterStackInstaller(Callback<void, Ptr<Node>> installer);

    // --- sizes and plans ---
    /// \return the number of complexes built
    uint32_t GetNComplexes() const;
    /// \return buildings per complex
    uint32_t GetNBuildings() const;
    /// \return flats per building
    uint32_t GetNFlatsPerBuilding() const;
    /// \return terminals per flat
    uint32_t GetNTerminalsPerFlat() const;
    /// \return whether the helper addresses the flats or leaves that to the address manager
    AddressMode GetAddressMode() const;
    /// \return whether the edge routes the private space or needs a NAT
    EdgeMode GetEdgeMode() const;
    /// \return the address plan of complex \p complex
    const AddressPlan& GetAddressPlan(uint32_t complex = 0) const;
    /// \return the numbering plan of complex \p complex
    const NumberingPlan& GetNumberingPlan(uint32_t complex = 0) const;
    /// \return the numbering plan of the remote phones
    const NumberingPlan& GetOutsideNumberingPlan() const;

    // --- nodes ---
    /// \return the gatekeeper (SIP proxy at the entrance) of complex \p complex
    Ptr<Node> GetGatekeeper(uint32_t complex = 0) const;
    /// \return the edge (NAT) router of complex \p complex
    Ptr<Node> GetNatRouter(uint32_t complex = 0) const;
    /// \return the address-manager node of complex \p complex
    Ptr<Node> GetAddressManager(uint32_t complex = 0) const;
    /// \return the router of building \p building
    Ptr<Node> GetBuildingRouter(uint32_t building, uint32_t complex = 0) const;
    /// \return the home gateway of flat \p flat of building \p building
    Ptr<Node> GetGateway(uint32_t building, uint32_t flat, uint32_t complex = 0) const;
    /// \return terminal \p terminal (1-based) of flat \p flat of building \p building
    Ptr<Node> GetTerminal(uint32_t building,
                          uint32_t flat,
                          uint32_t terminal,
                          uint32_t complex = 0) const;
    /// \return the terminals of one flat
    NodeContainer GetTerminals(uint32_t building, uint32_t flat, uint32_t complex = 0) const;
    /// \return every terminal of complex \p complex
    NodeContainer GetAllTerminals(uint32_t complex = 0) const;
    /// \return every home gateway of complex \p complex
    NodeContainer GetAllGateways(uint32_t complex = 0) const;
    /// \return the ISP router joining the complexes and the outside
    Ptr<Node> GetIspRouter() const;
    /// \return the outside operator's gatekeeper (null without remote phones)
    Ptr<Node> GetOutsideGatekeeper() const;
    /// \return the phones outside the complexes
    NodeContainer GetRemotePhones() const;
    /// \return every node the helper created
    NodeContainer GetAllNodes() const;

    /**
     * \return the node answering \p number: a terminal or remote phone for a terminal
     * number, the flat's home gateway for a household number; null if nobody has it
     */
    Ptr<Node> GetNode(const PhoneNumber& number) const;
    /// \return the number of a terminal or remote phone, the household number of a gateway
    std::optional<PhoneNumber> GetNumber(Ptr<Node> node) const;
    /// \return the role of \p node; aborts if the helper did not create it
    NodeRole GetRole(Ptr<Node> node) const;
    /// \return the complex \p node belongs to (0 for outside nodes)
    uint32_t GetComplexIndex(Ptr<Node> node) const;
    /// \return (building, flat) indices of a terminal or gateway
    std::optional<std::pair<uint32_t, uint32_t>> GetFlatIndex(Ptr<Node> node) const;

    // --- numbers ---
    /// \return the household number (T = 0) of a flat
    PhoneNumber GetHouseholdNumber(uint32_t building, uint32_t flat, uint32_t complex = 0) const;
    /// \return the number of terminal \p terminal (1-based) of a flat
    PhoneNumber GetTerminalNumber(uint32_t building,
                                  uint32_t flat,
                                  uint32_t terminal,
                                  uint32_t complex = 0) const;
    /// \return the number of remote phone \p index
    PhoneNumber GetRemotePhoneNumber(uint32_t index) const;

    // --- double NAT (HomeNat) ---
    /// \return true if every home gateway has a NAPT (attribute HomeNat)
    bool IsHomeNat() const;
    /// \return the /24 every flat reuses behind its gateway's NAT (attribute HomeNetwork)
    Ipv4Prefix GetHomeNetwork() const;
    /**
     * \return the address the complex knows the gateway of a flat by: with HomeNat the first
     * address of the flat's block (its NAT's public address, the source of everything it
     * sends upstream; with dynamic addresses the block it holds now, 0.0.0.0 while it holds
     * none), else its backbone address
     */
    Ipv4Address GetGatewayOutsideAddress(uint32_t building,
                                         uint32_t flat,
                                         uint32_t complex = 0) const;
    /**
     * \brief HomeNat with dynamic addresses: the gateway of a flat got \p outside (its block's
     * first host) for its NAT. Puts it first on the backbone interface (the source of what
     * the gateway sends upstream) and enables the NAT with it as public address, replacing
     * an earlier one. AddressAllocationHelper calls it on the gateway's BlockAllotted.
     */
    void SetGatewayOutsideAddress(uint32_t building,
                                  uint32_t flat,
                                  Ipv4Address outside,
                                  uint32_t complex = 0);
    /// \brief Undoes SetGatewayOutsideAddress (the block went back): NAT off, address gone.
    void ClearGatewayOutsideAddress(uint32_t building, uint32_t flat, uint32_t complex = 0);
    /// \return the gateway's address on its flat's LAN (HomeNat: HomeNetwork .1)
    Ipv4Address GetGatewayInsideAddress(uint32_t building,
                                        uint32_t flat,
                                        uint32_t complex = 0) const;
    /// Home NATs translate to ports in [HOME_NAT_PORT_MIN, HOME_NAT_PORT_MAX], clear of the
    /// gateway's own services (SIP 5060, PCP 5351, DHCP) and of ns-3's ephemeral ports.
    static constexpr uint16_t HOME_NAT_PORT_MIN = 10000;
    /// The last port a home NAT uses (ns-3's ephemeral ports start at 49152).
    static constexpr uint16_t HOME_NAT_PORT_MAX = 49151;

    // --- devices and addresses ---
    /// \return a home gateway's device on its flat LAN
    Ptr<NetDevice> GetGatewayLanDevice(uint32_t building,
                                       uint32_t flat,
                                       uint32_t complex = 0) const;
    /// \return a home gateway's device on its building's backbone
    Ptr<NetDevice> GetGatewayBackboneDevice(uint32_t building,
                                            uint32_t flat,
                                            uint32_t complex = 0) const;
    /// \return a terminal's device on its flat LAN
    Ptr<NetDevice> GetTerminalDevice(uint32_t building,
                                     uint32_t flat,
                                     uint32_t terminal,
                                     uint32_t complex = 0) const;
    /// \return the edge router's device on the core
    Ptr<NetDevice> GetNatRouterCoreDevice(uint32_t complex = 0) const;
    /// \return the edge router's device on the WAN link to the ISP
    Ptr<NetDevice> GetNatRouterWanDevice(uint32_t complex = 0) const;
    /// \return a building router's device on its backbone
    Ptr<NetDevice> GetBuildingRouterBackboneDevice(uint32_t building, uint32_t complex = 0) const;
    /// \return the outside gatekeeper's address
    Ipv4Address GetOutsideGatekeeperAddress() const;
    /// \return the address of remote phone \p index
    Ipv4Address GetRemotePhoneAddress(uint32_t index) const;
    /// \return the ISP router's address on the outside network
    Ipv4Address GetIspRouterOutsideAddress() const;
    /// \return the first IPv4 address of \p node (interface 1), or 0.0.0.0 if none yet
    static Ipv4Address GetPrimaryAddress(Ptr<Node> node);

    /**
     * \brief Adds, at the building router, the route to a flat block through its gateway.
     *
     * Used in dynamic mode when the address manager allots a block; static mode calls it
     * for every flat.
     */
    void AddFlatRoute(uint32_t building, uint32_t flat, const Ipv4Prefix& block, uint32_t complex);
    /// \brief Removes a route added by AddFlatRoute (block returned to the manager).
    void RemoveFlatRoute(uint32_t building, const Ipv4Prefix& block, uint32_t complex);

    // --- output ---
    /**
     * \brief Enables pcap on every CSMA and point-to-point device of \p nodes, with the usual
     * ns-3 file names (prefix-node-device.pcap).
     */
    void EnablePcap(const std::string& prefix, NodeContainer nodes, bool promiscuous = false) const;
    /**
     * \brief Gives every node a fixed position for NetAnim: buildings as columns, flats
     * stacked, core and outside above.
     */
    void InstallAnimationLayout() const;
    /// \brief Writes one line per node: name, role, number, addresses.
    void Print(std::ostream& os) const;
    /// \brief Writes counts and address plan, a few lines.
    void PrintSummary(std::ostream& os) const;

    /**
     * \brief Fixes the random streams of every node's stack (ARP request jitter) and every
     * CSMA device (back-off), so that a run repeats exactly even inside one process.
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

  private:
    struct Flat
    {
        Ptr<Node> gateway;
        NodeContainer terminals;
        Ptr<NetDevice> gatewayLanDevice;
        Ptr<NetDevice> gatewayBackboneDevice;
        NetDeviceContainer terminalDevices;
    };

    struct Complex
    {
        std::unique_ptr<AddressPlan> plan;
        std::unique_ptr<NumberingPlan> numbering;
        Ptr<Node> gatekeeper;
        Ptr<Node> natRouter;
        Ptr<Node> addressManager;
        NodeContainer buildingRouters;
        NodeContainer buildingSwitches; //!< empty with shared-bus segments
        Ptr<Node> coreSwitch;
        std::vector<Ptr<NetDevice>> buildingRouterBackboneDevices;
        std::vector<Flat> flats; //!< index building * flatsPerBuilding + flat
        Ptr<NetDevice> natCoreDevice;
        Ptr<NetDevice> natWanDevice;
    };

    struct NodeInfo
    {
        NodeRole role;
        uint32_t complex{0};
        std::optional<std::pair<uint32_t, uint32_t>> flat;
        std::optional<PhoneNumber> number;
    };

    AddressPlan::Config MakePlanConfig(uint32_t complex) const;
    std::string GetPrefixOf(uint32_t complex) const;
    void BuildComplex(uint32_t index, InternetStackHelper& stack);
    void BuildOutside(InternetStackHelper& stack);
    void ConnectWan(uint32_t index);
    /// Joins \p members through a switch (or a shared bus); returns their devices in order.
    NetDeviceContainer InstallSegment(NodeContainer members,
                                      CsmaHelper& csma,
                                      const std::string& switchName,
                                      uint32_t complex,
                                      Ptr<Node>& switchNode);
    Ptr<Node> CreateNode(NodeRole role,
                         const std::string& name,
                         uint32_t complex,
                         std::optional<std::pair<uint32_t, uint32_t>> flat = std::nullopt,
                         std::optional<PhoneNumber> number = std::nullopt);
    const Complex& GetComplex(uint32_t complex) const;
    const Flat& GetFlat(uint32_t building, uint32_t flat, uint32_t complex) const;
    const NodeInfo& GetInfo(Ptr<Node> node) const;

    // attributes
    uint32_t m_buildings;
    uint32_t m_flatsPerBuilding;
    uint32_t m_terminalsPerFlat;
    uint32_t m_nRemotePhones;
    bool m_secondComplex;
    AddressMode m_addressMode;
    EdgeMode m_edgeMode;
    std::string m_numberPrefix;
    std::string m_secondComplexPrefix;
    std::string m_outsidePrefix;
    uint32_t m_firstBuildingSerial;
    uint32_t m_firstFlatSerial;
    uint32_t m_blockLength;
    Ipv4Address m_privateNetwork;
    Ipv4Address m_coreNetwork;
    Ipv4Address m_publicNetwork;
    Ipv4Address m_secondPublicNetwork;
    Ipv4Address m_outsideNetwork;
    DataRate m_flatLanRate;
    Time m_flatLanDelay;
    DataRate m_backboneRate;
    Time m_backboneDelay;
    DataRate m_coreRate;
    Time m_coreDelay;
    DataRate m_wanRate;
    Time m_wanDelay;
    DataRate m_outsideRate;
    Time m_outsideDelay;
    uint32_t m_arpPendingQueueSize;
    bool m_switched;
    bool m_homeNat;
    Ipv4Address m_homeNetwork;

    // built state
    bool m_built{false};
    Callback<void, Ptr<Node>> m_natStackInstaller;
    std::unique_ptr<NumberingPlan> m_outsideNumbering;
    std::vector<Complex> m_complexes;
    Ptr<Node> m_ispRouter;
    Ptr<Node> m_outsideSwitch;
    Ptr<Node> m_outsideGatekeeper;
    NodeContainer m_remotePhones;
    NodeContainer m_allNodes;
    std::unordered_map<uint32_t, NodeInfo> m_info;   //!< by node id
    std::map<PhoneNumber, Ptr<Node>> m_nodeByNumber; //!< terminals, gateways, phones
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_APARTMENT_TOPOLOGY_HELPER_H */
