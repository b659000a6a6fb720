/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/command-line-values.h"
#include "ns3/type-id.h"

#include <gtest/gtest.h>

using namespace ns3;
using ns3::apartment::CheckRange;
using ns3::apartment::ParseTime;
using ns3::apartment::ReadTime;
using ns3::apartment::SchedulerTypeName;

#include <cmath>
#include <limits>

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

TEST(ReadTimeTest, AcceptsTheBoundsAndNamesTheOptionInErrors)
{
    std::string error;
    EXPECT_EQ(ReadTime("duration", "5s", Seconds(5), Seconds(10), "must be 5s to 10s", &error),
              Seconds(5));
    EXPECT_EQ(ReadTime("duration", "10000ms", Seconds(5), Seconds(10), "must be 5s to 10s", &error),
              Seconds(10));
    EXPECT_FALSE(
        ReadTime("duration", "4999ms", Seconds(5), Seconds(10), "must be 5s to 10s", &error));
    EXPECT_EQ(error, "--duration must be 5s to 10s");
    EXPECT_FALSE(ReadTime("keepIdle", "abc", Seconds(5), Seconds(10), "must be 5s to 10s", &error));
    EXPECT_EQ(error.rfind("--keepIdle: 'abc' is not a time", 0), 0U) << error;
}

TEST(CheckRangeTest, SaysValueAndRangeAsTheExamplesDid)
{
    EXPECT_EQ(CheckRange("wanLoss", 0.5, 0.0, 0.5), "");
    EXPECT_EQ(CheckRange("wanLoss", 0.7, 0.0, 0.5), "--wanLoss 0.7 must be 0 to 0.5");
    EXPECT_EQ(CheckRange("callRate", 4000.0, 0.0, 3600.0, "per hour"),
              "--callRate 4000 must be 0 to 3600 per hour");
    EXPECT_NE(CheckRange("wanLoss", std::nan(""), 0.0, 0.5), "");
    // Counts print as integers, however large.
    EXPECT_EQ(CheckRange<uint32_t>("poolSize", 4294967295U, 1, 150),
              "--poolSize 4294967295 must be 1 to 150");
    EXPECT_EQ(CheckRange<uint8_t>("terminals", 12, 1, 5), "--terminals 12 must be 1 to 5");
}

} // namespace

namespace
{

TEST(SchedulerTypeNameTest, NamesNs3Schedulers)
{
    EXPECT_EQ(*SchedulerTypeName("map"), "ns3::MapScheduler");
    EXPECT_EQ(*SchedulerTypeName("heap"), "ns3::HeapScheduler");
    EXPECT_EQ(*SchedulerTypeName("calendar"), "ns3::CalendarScheduler");
    EXPECT_EQ(*SchedulerTypeName("list"), "ns3::ListScheduler");
    EXPECT_EQ(*SchedulerTypeName("priority"), "ns3::PriorityQueueScheduler");
    // Every name is a TypeId ns-3 knows, so SchedulerType accepts it.
    for (const char* name : {"map", "heap", "calendar", "list", "priority"})
    {
        ns3::TypeId tid;
        EXPECT_TRUE(ns3::TypeId::LookupByNameFailSafe(*SchedulerTypeName(name), &tid)) << name;
    }
}

TEST(SchedulerTypeNameTest, RefusesOtherNames)
{
    std::string error;
    EXPECT_FALSE(SchedulerTypeName("Map", &error).has_value());
    EXPECT_NE(error.find("map, heap, calendar, list or priority"), std::string::npos);
    EXPECT_FALSE(SchedulerTypeName("", &error).has_value());
    EXPECT_FALSE(SchedulerTypeName("ns3::MapScheduler").has_value());
}

} // namespace
