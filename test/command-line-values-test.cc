/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/command-line-values.h"
#include "ns3/type-id.h"

#include <gtest/gtest.h>

using namespace ns3;
using ns3::apartment::ParseTime;
using ns3::apartment::SchedulerTypeName;

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
