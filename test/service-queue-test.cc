/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/service-queue.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

TEST(ServiceQueueTest, IdleServerServesAtOnce)
{
    ServiceQueue q(3);
    auto end = q.Arrive(Seconds(1), MilliSeconds(2));
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, Seconds(1) + MilliSeconds(2));
    EXPECT_EQ(q.GetLength(Seconds(1)), 1U);
    EXPECT_EQ(q.GetLength(Seconds(1) + MilliSeconds(2)), 0U); // left when its service ended
}

TEST(ServiceQueueTest, FirstComeFirstServedBehindTheBacklog)
{
    ServiceQueue q;
    EXPECT_EQ(*q.Arrive(Seconds(0), MilliSeconds(10)), MilliSeconds(10));
    EXPECT_EQ(*q.Arrive(MilliSeconds(1), MilliSeconds(10)), MilliSeconds(20));
    EXPECT_EQ(*q.Arrive(MilliSeconds(2), MilliSeconds(5)), MilliSeconds(25));
    EXPECT_EQ(q.GetLength(MilliSeconds(15)), 2U);
    // After an idle gap the server starts at the arrival, not at the last end.
    EXPECT_EQ(*q.Arrive(MilliSeconds(100), MilliSeconds(5)), MilliSeconds(105));
    EXPECT_EQ(q.GetBusyTime(MilliSeconds(102)), MilliSeconds(27));
    EXPECT_EQ(q.GetBusyTime(Seconds(1)), MilliSeconds(30));
}

TEST(ServiceQueueTest, FullQueueRefusesRequestsButTakesResponses)
{
    ServiceQueue q(2);
    ASSERT_TRUE(q.Arrive(Seconds(0), Seconds(1)));
    ASSERT_TRUE(q.Arrive(Seconds(0), Seconds(1)));
    EXPECT_TRUE(q.IsFull(Seconds(0)));
    EXPECT_FALSE(q.Arrive(Seconds(0), Seconds(1)));
    EXPECT_EQ(q.GetLength(Seconds(0)), 2U); // the refused one takes no place
    // A response or ACK is not refused: it goes behind the others, beyond the limit.
    auto end = q.Arrive(Seconds(0), Seconds(1), false);
    ASSERT_TRUE(end);
    EXPECT_EQ(*end, Seconds(3));
    EXPECT_EQ(q.GetLength(Seconds(0)), 3U);
    // One place frees when the first service ends.
    EXPECT_TRUE(q.IsFull(MilliSeconds(1999)));
    EXPECT_FALSE(q.IsFull(Seconds(2)));
    EXPECT_EQ(*q.Arrive(Seconds(2), Seconds(1)), Seconds(4));
}

TEST(ServiceQueueTest, NoLimitNeverRefuses)
{
    ServiceQueue q(0);
    for (int i = 0; i < 1000; ++i)
    {
        ASSERT_TRUE(q.Arrive(Seconds(0), MilliSeconds(1)));
    }
    EXPECT_FALSE(q.IsFull(Seconds(0)));
    EXPECT_EQ(q.GetLength(MilliSeconds(500)), 500U);
}

TEST(ServiceQueueTest, ZeroServiceLeavesNothingBehind)
{
    ServiceQueue q(1);
    EXPECT_EQ(*q.Arrive(Seconds(5), Time(0)), Seconds(5));
    EXPECT_EQ(q.GetLength(Seconds(5)), 0U);
    EXPECT_FALSE(q.IsFull(Seconds(5)));
}

/// Lindley's recursion on a deterministic pattern: the waits the queue gives are the
/// textbook ones (W_{n+1} = max(0, W_n + S_n - A_{n+1})).
TEST(ServiceQueueTest, WaitsFollowLindley)
{
    ServiceQueue q;
    const int64_t gaps[] = {0, 3, 1, 7, 2, 2, 9, 1, 1, 1};
    const int64_t services[] = {4, 2, 5, 1, 3, 6, 2, 2, 4, 1};
    int64_t t = 0;
    int64_t wait = 0;
    int64_t prevService = 0;
    for (std::size_t n = 0; n < 10; ++n)
    {
        t += gaps[n];
        wait = n == 0 ? 0 : std::max<int64_t>(0, wait + prevService - gaps[n]);
        auto end = q.Arrive(MilliSeconds(t), MilliSeconds(services[n]));
        ASSERT_TRUE(end);
        EXPECT_EQ(*end, MilliSeconds(t + wait + services[n])) << "message " << n;
        prevService = services[n];
    }
}

} // namespace
