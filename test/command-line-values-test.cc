/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/command-line-values.h"

#include <gtest/gtest.h>

using namespace ns3;
using ns3::apartment::ParseTime;

namespace
{

TEST(ParseTimeTest, ReadsUnits)
{
    EXPECT_EQ(*ParseTime("20ms"), MilliSeconds(20));
    EXPECT_EQ(*ParseTime("0ms"), Seconds(0));
    EXPECT_EQ(*ParseTime("3"), Seconds(3));
    EXPECT_EQ(*ParseTime("1.5s"), MilliSeconds(1500));
    EXPECT_EQ(*ParseTime("7us"), MicroSeconds(7));
    EXPECT_EQ(*ParseTime("2min"), Seconds(120));
    EXPECT_EQ(*ParseTime("1h"), Seconds(3600));
    EXPECT_EQ(*ParseTime("250ns"), NanoSeconds(250));
}

TEST(ParseTimeTest, RejectsGarbageWithAMessage)
{
    for (const char* bad : {"", "abc", "-1s", "1 s", "1sec", "ms", "1e400", "1.2.3s"})
    {
        std::string error;
        EXPECT_FALSE(ParseTime(bad, &error).has_value()) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

} // namespace
