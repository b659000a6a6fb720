/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-plan.h"

#include <gtest/gtest.h>
#include <set>

using ns3::Ipv4Address;
using ns3::apartment::AddressPlan;
using ns3::apartment::Ipv4Prefix;

namespace
{

AddressPlan::Config
Config(uint32_t buildings, uint32_t flats, uint32_t terminals)
{
    AddressPlan::Config c;
    c.buildings = buildings;
    c.flatsPerBuilding = flats;
    c.terminalsPerFlat = terminals;
    return c;
}

TEST(AddressPlanTest, SeedExampleFirstFlat)
{
    // Seed 000 [47], [57]: the flat gets 10.0.0.1-4, gateway .1, terminals .2-.4.
    AddressPlan plan(Config(1, 1, 3));
    EXPECT_EQ(plan.GetFlatBlock(0, 0).ToString(), "10.0.0.0/29");
    EXPECT_EQ(plan.GetGatewayLanAddress(0, 0), Ipv4Address("10.0.0.1"));
    EXPECT_EQ(plan.GetTerminalAddress(0, 0, 1), Ipv4Address("10.0.0.2"));
    EXPECT_EQ(plan.GetTerminalAddress(0, 0, 2), Ipv4Address("10.0.0.3"));
    EXPECT_EQ(plan.GetTerminalAddress(0, 0, 3), Ipv4Address("10.0.0.4"));
}

TEST(AddressPlanTest, HierarchyAndAggregates)
{
    AddressPlan plan(Config(3, 100, 3));
    EXPECT_EQ(plan.GetBuildingAggregate(2).ToString(), "10.2.0.0/16");
    EXPECT_EQ(plan.GetFlatBlock(2, 99).ToString(), "10.2.3.24/29");
    EXPECT_EQ(plan.GetBackbone(1).ToString(), "10.1.240.0/20");
    EXPECT_EQ(plan.GetBuildingRouterBackboneAddress(1), Ipv4Address("10.1.240.1"));
    EXPECT_EQ(plan.GetGatewayBackboneAddress(1, 0), Ipv4Address("10.1.240.2"));
    EXPECT_EQ(plan.GetBuildingRouterCoreAddress(0), Ipv4Address("192.168.1.1"));
    EXPECT_EQ(plan.GetNatRouterPublicAddress(), Ipv4Address("203.0.113.1"));
    EXPECT_EQ(plan.GetIspRouterAddress(), Ipv4Address("203.0.113.254"));
    for (uint32_t b = 0; b < 3; ++b)
    {
        EXPECT_TRUE(plan.GetBuildingAggregate(b).Contains(plan.GetBackbone(b).network));
        for (uint32_t f = 0; f < 100; ++f)
        {
            EXPECT_TRUE(plan.GetBuildingAggregate(b).Contains(plan.GetGatewayLanAddress(b, f)));
            EXPECT_FALSE(plan.GetBackbone(b).Contains(plan.GetTerminalAddress(b, f, 3)));
        }
    }
}

TEST(AddressPlanTest, BlocksNeverOverlapAndFindFlatInverts)
{
    AddressPlan plan(Config(4, 300, 5));
    std::set<uint32_t> used;
    for (uint32_t b = 0; b < 4; ++b)
    {
        for (uint32_t f = 0; f < 300; ++f)
        {
            Ipv4Prefix block = plan.GetFlatBlock(b, f);
            for (uint32_t i = 0; i < block.GetSize(); ++i)
            {
                EXPECT_TRUE(used.insert(block.GetAddress(i).Get()).second);
            }
            for (uint32_t t = 1; t <= 5; ++t)
            {
                auto where = plan.FindFlat(plan.GetTerminalAddress(b, f, t));
                ASSERT_TRUE(where.has_value());
                EXPECT_EQ(where->first, b);
                EXPECT_EQ(where->second, f);
                EXPECT_TRUE(block.Contains(plan.GetTerminalAddress(b, f, t)));
            }
        }
    }
    EXPECT_FALSE(plan.FindFlat(Ipv4Address("192.168.0.1")).has_value());
    EXPECT_FALSE(plan.FindFlat(Ipv4Address("10.0.240.5")).has_value()); // backbone
    EXPECT_FALSE(plan.FindFlat(Ipv4Address("10.4.0.1")).has_value());   // no such building
}

TEST(AddressPlanTest, LimitsFollowBlockSize)
{
    AddressPlan::Config c = Config(1, 1, 1);
    c.blockLength = 30;
    EXPECT_EQ(AddressPlan(c).GetMaxTerminalsPerFlat(), 1u);
    c.blockLength = 28;
    EXPECT_EQ(AddressPlan(c).GetMaxTerminalsPerFlat(), 9u);
    EXPECT_EQ(AddressPlan(c).GetMaxFlatsPerBuilding(), 3840u);
    c.blockLength = 29;
    EXPECT_EQ(AddressPlan(c).GetMaxTerminalsPerFlat(), 5u);
    EXPECT_EQ(AddressPlan(c).GetMaxFlatsPerBuilding(), 4093u); // backbone bound
}

TEST(AddressPlanTest, DoubleNatBlockHoldsOnlyTheGatewayAddress)
{
    // The terminals live in the home /24 behind the gateway: a /30 block serves any flat.
    AddressPlan::Config c = Config(1, 4, 3);
    c.blockLength = 30;
    EXPECT_NE(AddressPlan::Validate(c).find("terminals per flat 3 must be 1 to 1"),
              std::string::npos);
    c.terminalsBehindHomeNat = true;
    EXPECT_EQ(AddressPlan::Validate(c), "");
    EXPECT_EQ(AddressPlan(c).GetMaxTerminalsPerFlat(), 9u);
    EXPECT_EQ(AddressPlan(c).GetFlatBlock(0, 1).length, 30);
    c.terminalsPerFlat = 10;
    EXPECT_NE(AddressPlan::Validate(c).find("terminals per flat 10 must be 1 to 9"),
              std::string::npos);
}

TEST(AddressPlanTest, RejectsWhatDoesNotFit)
{
    auto expectError = [](AddressPlan::Config c, const std::string& words) {
        std::string err = AddressPlan::Validate(c);
        EXPECT_NE(err.find(words), std::string::npos) << "got: '" << err << "'";
        EXPECT_THROW(AddressPlan{c}, std::invalid_argument);
    };
    expectError(Config(0, 1, 1), "number of buildings 0 must be 1 to 256");
    expectError(Config(257, 1, 1), "number of buildings 257");
    expectError(Config(1, 0, 1), "flats per building 0 must be 1 to 4093");
    expectError(Config(1, 1, 6), "terminals per flat 6 must be 1 to 5");
    expectError(Config(1, 1, 0), "terminals per flat 0");
    AddressPlan::Config c = Config(1, 1, 1);
    c.blockLength = 31;
    expectError(c, "between /17 and /30");
    c = Config(1, 1, 1);
    c.privateNetwork = Ipv4Address("10.1.0.0");
    expectError(c, "must be a /8");
    c = Config(1, 1, 1);
    c.publicNetwork = Ipv4Address("203.0.113.7");
    expectError(c, "must be a /24");
    c = Config(1, 1, 1);
    c.coreNetwork = Ipv4Address("192.168.3.0");
    expectError(c, "must be a /16");
    c = Config(1, 16, 1);
    c.blockLength = 20;
    expectError(c, "flats per building 16 must be 1 to 15 with /20 blocks");
    EXPECT_EQ(AddressPlan::Validate(Config(256, 4093, 5)), "");
}

} // namespace
