/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_ADDRESS_ALLOCATION_HELPER_H
#define APARTMENT_VOIP_ADDRESS_ALLOCATION_HELPER_H

#include "ns3/address-manager.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/application-container.h"
#include "ns3/gateway-dhcp-server.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/terminal-dhcp-client.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Installs address management on a complex built with AddressMode=Dynamic: the
 * AddressManager on the address-manager node, a GatewayDhcpServer on every home gateway
 * and TerminalDhcpClients on terminals; keeps the building routers' routes to the blocks
 * in step with the gateways; checks the address invariant. With the topology's HomeNat the
 * gateways serve the home /24 and each block gives its gateway the outside address of its
 * NAT (ApartmentTopologyHelper::SetGatewayOutsideAddress, on BlockAllotted).
 *
 * Like ns-3's DhcpHelper it also installs each application on given nodes or devices
 * (InstallManager(NodeContainer), InstallGateway(NetDeviceContainer),
 * InstallClient(NetDeviceContainer)), with the attributes set through Set*Attribute; a
 * helper made with the default constructor can only do that.
 */
class AddressAllocationHelper
{
  public:
    /**
     * \param topology a built topology in dynamic address mode
     * \param complex which complex to manage
     *
     * Defaults taken from the topology: the manager's PrivateNetwork, Buildings,
     * BlockPrefixLength and BlocksPerBuilding (= flats per building); the gateways'
     * ManagerAddress, Building, Flat and ExpectedTerminals.
     */
    explicit AddressAllocationHelper(Ptr<ApartmentTopologyHelper> topology, uint32_t complex = 0);
    /// \brief A helper for node-level installs only (no complex; no attribute defaults).
    AddressAllocationHelper();

    /// \brief Sets an attribute of the AddressManagers installed from now on.
    /// \param name attribute name
    /// \param value attribute value
    void SetManagerAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of the GatewayDhcpServers installed from now on.
    /// \param name attribute name
    /// \param value attribute value
    void SetGatewayAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of the TerminalDhcpClients installed from now on.
    /// \param name attribute name
    /// \param value attribute value
    void SetClientAttribute(const std::string& name, const AttributeValue& value);

    /// \brief Installs the manager, every gateway server and a client on every terminal.
    void Install();
    /**
     * \brief Installs an AddressManager on the address-manager node. Calling it again adds
     * another instance (e.g. one that starts when the first stops, on the same DatabasePath);
     * GetManager() and the checks then use the newest one.
     */
    Ptr<AddressManager> InstallManager();
    /// \return a GatewayDhcpServer on every home gateway of the complex
    ApplicationContainer InstallGateways();
    /// \return a new client on terminal \p t (1-based, as in the topology) of flat (\p b, \p f);
    /// may be called while the simulation runs (the application starts at once)
    Ptr<TerminalDhcpClient> InstallClient(uint32_t b, uint32_t f, uint32_t t);
    /// \return a TerminalDhcpClient on every terminal of the complex
    ApplicationContainer InstallClients();

    /// \return one AddressManager on each of \p nodes
    ApplicationContainer InstallManager(NodeContainer nodes) const;
    /// \return one GatewayDhcpServer per device, on its node, serving the LAN of the device
    ApplicationContainer InstallGateway(NetDeviceContainer lanDevices) const;
    /// \return one TerminalDhcpClient per device, on its node, configuring the device
    ApplicationContainer InstallClient(NetDeviceContainer devices) const;
    /**
     * \brief Fixes the random streams of the TerminalDhcpClients among \p apps (installed
     * with InstallClient(NetDeviceContainer)).
     * \return the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

    /**
     * \brief Fixes the random streams of the clients installed so far and, if
     * \p laterClients, of those installed later (each takes the next streams from \p stream
     * on, so the range has no end: nothing else may use a stream above it).
     * \param stream the first stream
     * \param laterClients false: clients installed later keep ns-3's automatic streams
     * \return the number of streams used so far
     */
    int64_t AssignStreams(int64_t stream, bool laterClients = true);

    /// \return the newest AddressManager installed (null before InstallManager())
    Ptr<AddressManager> GetManager() const;
    /// \return the DHCP server of flat \p f of building \p b (null if not installed)
    Ptr<GatewayDhcpServer> GetGateway(uint32_t b, uint32_t f) const;
    /// \return every client ever installed (stopped ones too)
    const std::vector<Ptr<TerminalDhcpClient>>& GetClients() const;

    /**
     * \return an empty string if: the manager's pool holds allotted + free = configured
     * blocks; every block a gateway uses is allotted to that gateway (so no address belongs
     * to two holders); no address is leased twice; every running client's address lies in a
     * block of its own flat's gateway. With the topology's HomeNat (double NAT) the
     * conserved addresses are the gateways' outside addresses: each gateway shows the first
     * host of the block it holds (none without a block) and no two show the same; terminal
     * addresses lie in the home network and are unique within their flat. Otherwise the
     * first violation found.
     */
    std::string CheckInvariant() const;

    /// Counters summed over the complex.
    struct Counters
    {
        /// Blocks the manager has not allotted.
        uint32_t blocksFree{0};
        /// Blocks allotted to gateways.
        uint32_t blocksAllotted{0};
        uint32_t addressesInUse{0}; //!< bound terminal leases
        uint64_t failedRequests{0}; //!< REQUESTs the manager refused
        uint64_t noOffers{0};       //!< DISCOVERs the gateways left unanswered
        /// Extra blocks the gateways obtained.
        uint64_t refills{0};
        /// DHCP RELEASEs the gateways honoured.
        uint64_t releases{0};
        /// Terminal leases that ran out.
        uint64_t expired{0};
        /// Datagrams the manager and gateways dropped as malformed.
        uint64_t malformed{0};
    };

    /// \return the counters, summed now
    Counters GetCounters() const;

  private:
    Ptr<ApartmentTopologyHelper> m_topology;
    uint32_t m_complex;
    ObjectFactory m_managerFactory;
    ObjectFactory m_gatewayFactory;
    ObjectFactory m_clientFactory;
    Ptr<AddressManager> m_manager; //!< the newest
    std::vector<Ptr<AddressManager>> m_managers;
    std::map<std::pair<uint32_t, uint32_t>, Ptr<GatewayDhcpServer>> m_gateways;
    std::vector<Ptr<TerminalDhcpClient>> m_clients;
    std::vector<std::pair<uint32_t, uint32_t>> m_clientFlats;
    bool m_streamsAssigned{false};
    int64_t m_nextStream{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_ADDRESS_ALLOCATION_HELPER_H */
