/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/numbering-plan.h"

#include <gtest/gtest.h>
#include <unordered_set>

using ns3::apartment::FlatId;
using ns3::apartment::NumberingPlan;
using ns3::apartment::PhoneNumber;

namespace
{

TEST(NumberingPlanTest, ParsesTerminalNumberWithDashes)
{
    NumberingPlan plan("100");
    auto n = plan.Parse("100-1101-1201-2");
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->GetPrefix(), "100");
    EXPECT_EQ(n->GetBuilding(), 1101);
    EXPECT_EQ(n->GetFlat(), 1201);
    EXPECT_EQ(n->GetTerminal(), 2);
    EXPECT_FALSE(n->IsHousehold());
    EXPECT_EQ(n->ToString(), "100-1101-1201-2");
    EXPECT_EQ(n->ToDigits(), "100110112012");
}

TEST(NumberingPlanTest, HouseholdWithAndWithoutTerminalDigitAreEqual)
{
    NumberingPlan plan;
    auto a = plan.ParseOrThrow("100-1101-1201");
    auto b = plan.ParseOrThrow("100-1101-1201-0");
    auto c = plan.ParseOrThrow("10011011201");
    auto d = plan.ParseOrThrow("100110112010");
    EXPECT_EQ(a, b);
    EXPECT_EQ(a, c);
    EXPECT_EQ(a, d);
    EXPECT_TRUE(a.IsHousehold());
    EXPECT_EQ(a.ToString(), "100-1101-1201-0");
}

TEST(NumberingPlanTest, ParsesWithoutDashes)
{
    NumberingPlan plan("100");
    auto n = plan.ParseOrThrow("100110112013");
    EXPECT_EQ(n, plan.Make(1101, 1201, 3));
}

TEST(NumberingPlanTest, FlatAndHouseholdRelations)
{
    NumberingPlan plan;
    auto t1 = plan.Make(1101, 1201, 1);
    auto t3 = plan.Make(1101, 1201, 3);
    auto other = plan.Make(1101, 1202, 1);
    EXPECT_TRUE(t1.IsSameFlat(t3));
    EXPECT_FALSE(t1.IsSameFlat(other));
    EXPECT_EQ(t1.GetHousehold(), plan.Make(1101, 1201, 0));
    EXPECT_EQ(t1.GetHousehold().GetTerminalNumber(3), t3);
    EXPECT_EQ(t1.GetFlatId(), (FlatId{1101, 1201}));
    EXPECT_NE(t1.GetFlatId(), other.GetFlatId());
    EXPECT_LT(t1, t3);
    EXPECT_LT(t3, other);
}

TEST(NumberingPlanTest, ConfigurablePrefix)
{
    NumberingPlan plan("82031");
    auto n = plan.ParseOrThrow("82031-0001-0002-4");
    EXPECT_EQ(n.GetPrefix(), "82031");
    EXPECT_EQ(n.ToDigits(), "82031000100024");
    EXPECT_EQ(plan.ParseOrThrow("82031000100024"), n);
    // The same digits read with a 3-digit prefix are a different (invalid) split.
    EXPECT_FALSE(NumberingPlan("100").Parse("82031000100024").has_value());
}

TEST(NumberingPlanTest, LeadingZerosArePreserved)
{
    NumberingPlan plan;
    auto n = plan.Make(7, 42, 9);
    EXPECT_EQ(n.ToString(), "100-0007-0042-9");
    EXPECT_EQ(plan.ParseOrThrow(n.ToString()), n);
    EXPECT_EQ(plan.ParseOrThrow(n.ToDigits()), n);
}

TEST(NumberingPlanTest, RoundTripOverManyNumbers)
{
    NumberingPlan plan("100");
    std::unordered_set<PhoneNumber> seen;
    for (uint16_t b : {0, 1, 1101, 9999})
    {
        for (uint16_t f : {0, 1201, 9999})
        {
            for (uint8_t t = 0; t <= PhoneNumber::MAX_TERMINAL; ++t)
            {
                auto n = plan.Make(b, f, t);
                EXPECT_EQ(plan.ParseOrThrow(n.ToString()), n);
                EXPECT_EQ(plan.ParseOrThrow(n.ToDigits()), n);
                EXPECT_TRUE(seen.insert(n).second) << n;
            }
        }
    }
    EXPECT_EQ(seen.size(), 4u * 3u * 10u);
}

struct BadNumber
{
    const char* text;
    const char* expectedWords;
};

void
PrintTo(const BadNumber& b, std::ostream* os)
{
    *os << "'" << b.text << "'";
}

class NumberingPlanBadInputTest : public ::testing::TestWithParam<BadNumber>
{
};

TEST_P(NumberingPlanBadInputTest, RejectsWithClearMessage)
{
    NumberingPlan plan("100");
    std::string error;
    auto n = plan.Parse(GetParam().text, &error);
    EXPECT_FALSE(n.has_value());
    EXPECT_NE(error.find(GetParam().expectedWords), std::string::npos) << "message was: " << error;
    EXPECT_NE(error.find("bad phone number"), std::string::npos) << error;
    EXPECT_THROW(plan.ParseOrThrow(GetParam().text), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed,
    NumberingPlanBadInputTest,
    ::testing::Values(BadNumber{"", "empty"},
                      BadNumber{"100-1101-12a1-1", "position 12 is not a digit"},
                      BadNumber{" 100-1101-1201-1", "position 1"},
                      BadNumber{"100-1101", "2 dash-separated groups"},
                      BadNumber{"100-1101-1201-1-1", "5 dash-separated groups"},
                      BadNumber{"100--1201-1", "group 2 is empty"},
                      BadNumber{"100-1101-1201-", "group 4 is empty"},
                      BadNumber{"100-101-1201-1", "building serial '101' must have 4 digits"},
                      BadNumber{"100-1101-12011-1", "flat serial '12011' must have 4 digits"},
                      BadNumber{"100-1101-1201-12", "terminal part '12' must be one digit"},
                      BadNumber{"200-1101-1201-1", "prefix '200' is not this plan's prefix"},
                      BadNumber{"1001101120", "10 digits; expected 11"},
                      BadNumber{"1001101120111", "13 digits"},
                      BadNumber{"200110112011", "prefix '200'"},
                      BadNumber{"+100-1101-1201-1", "'+'"}));

TEST(NumberingPlanTest, RejectsBadPrefixes)
{
    EXPECT_THROW(NumberingPlan(""), std::invalid_argument);
    EXPECT_THROW(NumberingPlan("10a"), std::invalid_argument);
    EXPECT_THROW(NumberingPlan("1234567"), std::invalid_argument);
    EXPECT_NO_THROW(NumberingPlan("1"));
    EXPECT_NO_THROW(NumberingPlan("123456"));
    try
    {
        NumberingPlan plan("10a");
        FAIL() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("only digits"), std::string::npos) << e.what();
    }
}

TEST(NumberingPlanTest, RejectsOutOfRangeParts)
{
    NumberingPlan plan;
    EXPECT_THROW(plan.Make(10000, 1, 1), std::invalid_argument);
    EXPECT_THROW(plan.Make(1, 10000, 1), std::invalid_argument);
    EXPECT_THROW(plan.Make(1, 1, 10), std::invalid_argument);
    EXPECT_FALSE(PhoneNumber().IsValid());
    EXPECT_TRUE(plan.Make(1, 1, 1).IsValid());
}

} // namespace
