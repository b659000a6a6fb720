/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/call-router.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

using Kind = CallRouter::Kind;

class CallRouterTest : public ::testing::Test
{
  protected:
    CallRouterTest()
        : m_router(NumberingPlan("100"))
    {
        EXPECT_EQ(m_router.AddRoute("200", Ipv4Address("203.0.113.2"), 5060), "");
        EXPECT_EQ(m_router.AddRoute("2001", Ipv4Address("203.0.113.3"), 5070), "");
        EXPECT_EQ(m_router.AddRoute("1009", Ipv4Address("203.0.113.4"), 5080), "");
    }

    CallRouter m_router;
};

TEST_F(CallRouterTest, TerminalNumberOfTheOwnPrefixIsLocal)
{
    for (const char* dialled : {"100110112012", "100-1101-1201-2"})
    {
        auto d = m_router.Decide(dialled);
        ASSERT_EQ(d.kind, Kind::LOCAL) << dialled;
        EXPECT_EQ(d.number.ToString(), "100-1101-1201-2");
        EXPECT_FALSE(d.number.IsHousehold());
        EXPECT_EQ(d.digits, "100110112012");
    }
}

TEST_F(CallRouterTest, HouseholdShortAndLongFormsAreTheSameNumber)
{
    auto shortForm = m_router.Decide("10011011201");
    auto longForm = m_router.Decide("100110112010");
    auto dashed = m_router.Decide("100-1101-1201");
    ASSERT_EQ(shortForm.kind, Kind::LOCAL);
    ASSERT_EQ(longForm.kind, Kind::LOCAL);
    ASSERT_EQ(dashed.kind, Kind::LOCAL);
    EXPECT_TRUE(shortForm.number.IsHousehold());
    EXPECT_EQ(shortForm.number, longForm.number);
    EXPECT_EQ(dashed.number, longForm.number);
    EXPECT_EQ(shortForm.number.ToString(), "100-1101-1201-0");
}

TEST_F(CallRouterTest, OtherPrefixGoesToTheLongestMatchingRoute)
{
    auto d = m_router.Decide("200210112011");
    ASSERT_EQ(d.kind, Kind::ROUTE);
    EXPECT_EQ(d.gatekeeper, Ipv4Address("203.0.113.2"));
    EXPECT_EQ(d.port, 5060);
    EXPECT_EQ(d.digits, "200210112011");
    d = m_router.Decide("200199992011");
    ASSERT_EQ(d.kind, Kind::ROUTE);
    EXPECT_EQ(d.gatekeeper, Ipv4Address("203.0.113.3"));
    EXPECT_EQ(d.port, 5070);
    // Routed numbers are not checked against the own plan: the other side knows its own.
    d = m_router.Decide("2005");
    ASSERT_EQ(d.kind, Kind::ROUTE);
    EXPECT_EQ(d.gatekeeper, Ipv4Address("203.0.113.2"));
}

TEST_F(CallRouterTest, LongerRouteInsideTheOwnPrefixWins)
{
    auto d = m_router.Decide("100911012011");
    ASSERT_EQ(d.kind, Kind::ROUTE);
    EXPECT_EQ(d.gatekeeper, Ipv4Address("203.0.113.4"));
    EXPECT_EQ(d.port, 5080);
    EXPECT_EQ(m_router.Decide("100811012011").kind, Kind::LOCAL);
}

TEST_F(CallRouterTest, UnknownPrefixIsNotFound)
{
    auto d = m_router.Decide("999000000001");
    EXPECT_EQ(d.kind, Kind::NOT_FOUND);
    EXPECT_NE(d.reason.find("no route"), std::string::npos) << d.reason;
    EXPECT_NE(d.reason.find("999000000001"), std::string::npos) << d.reason;
}

TEST_F(CallRouterTest, MalformedNumbersSayWhy)
{
    auto d = m_router.Decide("");
    EXPECT_EQ(d.kind, Kind::MALFORMED);
    EXPECT_FALSE(d.reason.empty());
    d = m_router.Decide("alice");
    EXPECT_EQ(d.kind, Kind::MALFORMED);
    EXPECT_NE(d.reason.find("alice"), std::string::npos) << d.reason;
    d = m_router.Decide("1001101120"); // own prefix, too short
    EXPECT_EQ(d.kind, Kind::MALFORMED);
    EXPECT_NE(d.reason.find("digits"), std::string::npos) << d.reason;
    d = m_router.Decide("1001101120111"); // own prefix, too long
    EXPECT_EQ(d.kind, Kind::MALFORMED);
}

TEST_F(CallRouterTest, BadRoutesAreRefused)
{
    EXPECT_NE(m_router.AddRoute("", Ipv4Address("1.2.3.4"), 5060), "");
    EXPECT_NE(m_router.AddRoute("12a", Ipv4Address("1.2.3.4"), 5060), "");
    EXPECT_NE(m_router.AddRoute("1234567", Ipv4Address("1.2.3.4"), 5060), "");
    EXPECT_NE(m_router.AddRoute("300", Ipv4Address("1.2.3.4"), 0), "");
    EXPECT_EQ(m_router.Decide("300110112011").kind, Kind::NOT_FOUND);      // nothing was added
    EXPECT_EQ(m_router.AddRoute("3-0", Ipv4Address("1.2.3.4"), 5090), ""); // dashes ignored
    EXPECT_EQ(m_router.Decide("300110112011").port, 5090);
}

TEST_F(CallRouterTest, KnowsItsRouteTargets)
{
    EXPECT_TRUE(m_router.IsRouteTarget(Ipv4Address("203.0.113.3")));
    EXPECT_TRUE(m_router.IsRouteTarget(Ipv4Address("203.0.113.3"), 5070));
    EXPECT_FALSE(m_router.IsRouteTarget(Ipv4Address("203.0.113.3"), 5060));
    EXPECT_FALSE(m_router.IsRouteTarget(Ipv4Address("203.0.113.9")));
}

} // namespace
