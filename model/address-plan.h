/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_ADDRESS_PLAN_H
#define APARTMENT_VOIP_ADDRESS_PLAN_H

#include "ns3/ipv4-prefix.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The hierarchical address plan of one apartment complex.
 *
 * Building b (0-based) owns the aggregate P.b.0.0/16 of the private /8 P, so the core
 * needs one route per building. Inside it, flat f gets block f of size 2^(32 - BlockLength)
 * in P.b.0.0 - P.b.239.255: the home gateway takes the first host address, its terminals
 * the next ones (seed 000 [47]: 10.0.0.1 gateway, 10.0.0.2-4 terminals). The building's
 * backbone segment, which joins the gateways to the building router, is P.b.240.0/20.
 * The core segment (NAT router, gatekeeper, address manager, building routers) is a /16
 * of its own; the complex's public /24 holds the WAN link and the NAT's public addresses.
 */
class AddressPlan
{
  public:
    /// Parameters of a plan.
    struct Config
    {
        Ipv4Address privateNetwork{"10.0.0.0"};   //!< a /8: building b gets P.b.0.0/16
        uint8_t blockLength{29};                  //!< prefix length of a flat's block
        Ipv4Address coreNetwork{"192.168.0.0"};   //!< a /16 for the complex core segment
        Ipv4Address publicNetwork{"203.0.113.0"}; //!< a /24: WAN link and NAT addresses
        uint32_t buildings{1};                    //!< number of buildings
        uint32_t flatsPerBuilding{1};             //!< flats in every building
        uint32_t terminalsPerFlat{3};             //!< terminals in every flat
        /// Double NAT: terminals live in a home network behind the gateway, not in the
        /// block, which only needs the gateway's (outside) address: a /30 will do.
        bool terminalsBehindHomeNat{false};
    };

    /// Largest number of buildings (one /16 each in the private /8).
    static constexpr uint32_t MAX_BUILDINGS = 256;
    /// Blocks of a building live below P.b.240.0.
    static constexpr uint32_t FLAT_SPACE_SIZE = 240 * 256;

    /**
     * \throws std::invalid_argument with the message of Validate() if \p config is invalid
     */
    explicit AddressPlan(const Config& config);

    /**
     * \return an empty string if \p config describes a plan that fits, otherwise a sentence
     * saying what does not fit and the largest value that would
     */
    static std::string Validate(const Config& config);

    /// \return the configuration the plan was built from
    const Config& GetConfig() const;

    /// \return most flats a building can hold with the block length of the plan
    uint32_t GetMaxFlatsPerBuilding() const;
    /// \return most terminals a flat can hold (block hosts minus the gateway, at most 9)
    uint32_t GetMaxTerminalsPerFlat() const;

    /// \return P.b.0.0/16: everything of building \p b
    Ipv4Prefix GetBuildingAggregate(uint32_t b) const;
    /// \return the block of flat \p f of building \p b
    Ipv4Prefix GetFlatBlock(uint32_t b, uint32_t f) const;
    /// \return the home gateway's address in its flat (first host of the block)
    Ipv4Address GetGatewayLanAddress(uint32_t b, uint32_t f) const;
    /// \return the address of terminal \p t (1-based) of flat \p f of building \p b
    Ipv4Address GetTerminalAddress(uint32_t b, uint32_t f, uint32_t t) const;

    /// \return the backbone segment of building \p b
    Ipv4Prefix GetBackbone(uint32_t b) const;
    /// \return building \p b's router on its backbone
    Ipv4Address GetBuildingRouterBackboneAddress(uint32_t b) const;
    /// \return the WAN address of flat \p f's gateway on building \p b's backbone
    Ipv4Address GetGatewayBackboneAddress(uint32_t b, uint32_t f) const;

    /// \return the core segment
    Ipv4Prefix GetCore() const;
    /// \return the NAT router's address on the core
    Ipv4Address GetNatRouterCoreAddress() const;
    /// \return the gatekeeper's address on the core
    Ipv4Address GetGatekeeperAddress() const;
    /// \return the address manager's address on the core
    Ipv4Address GetAddressManagerAddress() const;
    /// \return building \p b's router on the core
    Ipv4Address GetBuildingRouterCoreAddress(uint32_t b) const;

    /// \return the complex's public /24
    Ipv4Prefix GetPublic() const;
    /// \return the NAT router's own address on the WAN link (public .1)
    Ipv4Address GetNatRouterPublicAddress() const;
    /// \return the ISP router's address on the WAN link (public .254)
    Ipv4Address GetIspRouterAddress() const;

    /// \return (building, flat) indices of the flat whose block holds \p a, if any
    std::optional<std::pair<uint32_t, uint32_t>> FindFlat(Ipv4Address a) const;

  private:
    Config m_config;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_ADDRESS_PLAN_H */
