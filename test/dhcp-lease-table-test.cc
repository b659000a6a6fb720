/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/dhcp-lease-table.h"
#include "ns3/mac48-address.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

const Ipv4Prefix BLOCK{Ipv4Address("10.0.0.0"), 29}; // gateway .1, terminals .2-.6, bcast .7
const Ipv4Prefix EXTRA{Ipv4Address("10.0.0.8"), 29};

Address
Mac(uint8_t last)
{
    uint8_t bytes[6] = {0, 0, 0, 0, 0, last};
    Mac48Address mac;
    mac.CopyFrom(bytes);
    return mac;
}

DhcpLeaseTable
OneBlock(Time expiry = Seconds(600))
{
    DhcpLeaseTable t;
    t.AddBlock(BLOCK, expiry);
    return t;
}

TEST(DhcpLeaseTableTest, OffersLowestTerminalAddressAndKeepsItPerClient)
{
    DhcpLeaseTable t = OneBlock();
    const DhcpLeaseTable::Binding* a = t.Offer(Mac(1), Seconds(5));
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->address, Ipv4Address("10.0.0.2")); // .1 is the gateway
    EXPECT_FALSE(a->bound);
    EXPECT_EQ(a->expiry, Seconds(5));
    const DhcpLeaseTable::Binding* b = t.Offer(Mac(2), Seconds(5));
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->address, Ipv4Address("10.0.0.3"));
    // A repeated DISCOVER gets the same address and a new hold time.
    const DhcpLeaseTable::Binding* again = t.Offer(Mac(1), Seconds(9));
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->address, Ipv4Address("10.0.0.2"));
    EXPECT_EQ(again->expiry, Seconds(9));
    EXPECT_EQ(t.GetBindings().size(), 2u);
}

TEST(DhcpLeaseTableTest, FullBlockOffersNothingAndNeverTheBroadcastAddress)
{
    DhcpLeaseTable t = OneBlock();
    for (uint8_t i = 2; i <= 6; ++i)
    {
        const DhcpLeaseTable::Binding* b = t.Offer(Mac(i), Seconds(5));
        ASSERT_NE(b, nullptr);
        EXPECT_EQ(b->address, Ipv4Address((10u << 24) | i));
    }
    EXPECT_EQ(t.FindFreeAddress(), Ipv4Address::GetAny());
    EXPECT_EQ(t.Offer(Mac(7), Seconds(5)), nullptr);
    EXPECT_EQ(t.Find(Mac(7)), nullptr);
    // A refill block serves the next client.
    t.AddBlock(EXTRA, Seconds(600));
    const DhcpLeaseTable::Binding* b = t.Offer(Mac(7), Seconds(5));
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->address, Ipv4Address("10.0.0.10"));
}

TEST(DhcpLeaseTableTest, BindOnlyTheOfferedAddress)
{
    DhcpLeaseTable t = OneBlock();
    t.Offer(Mac(1), Seconds(5));
    EXPECT_FALSE(t.Bind(Mac(1), Ipv4Address("10.0.0.3"), Seconds(100)));
    EXPECT_FALSE(t.Find(Mac(1))->bound);
    EXPECT_TRUE(t.Bind(Mac(1), Ipv4Address("10.0.0.2"), Seconds(100)));
    EXPECT_TRUE(t.Find(Mac(1))->bound);
    EXPECT_EQ(t.Find(Mac(1))->expiry, Seconds(100));
    // A bound lease survives a Withdraw (only offers are withdrawn).
    t.Withdraw(Mac(1));
    EXPECT_NE(t.Find(Mac(1)), nullptr);
}

TEST(DhcpLeaseTableTest, UnknownClientKeepsOnlyAnAssignableAddress)
{
    DhcpLeaseTable t = OneBlock();
    t.Offer(Mac(1), Seconds(5));                                         // takes .2
    EXPECT_FALSE(t.Bind(Mac(9), Ipv4Address("10.0.0.1"), Seconds(100))); // gateway
    EXPECT_FALSE(t.Bind(Mac(9), Ipv4Address("10.0.0.7"), Seconds(100))); // broadcast
    EXPECT_FALSE(t.Bind(Mac(9), Ipv4Address("10.0.0.2"), Seconds(100))); // someone's
    EXPECT_FALSE(t.Bind(Mac(9), Ipv4Address("10.0.1.2"), Seconds(100))); // not held
    EXPECT_FALSE(t.Bind(Mac(9), Ipv4Address::GetAny(), Seconds(100)));   // nothing asked
    EXPECT_EQ(t.Find(Mac(9)), nullptr);
    EXPECT_TRUE(t.Bind(Mac(9), Ipv4Address("10.0.0.5"), Seconds(100))); // kept across restart
    EXPECT_TRUE(t.IsInUse(Ipv4Address("10.0.0.5")));
}

TEST(DhcpLeaseTableTest, WithdrawForgetsAnOffer)
{
    DhcpLeaseTable t = OneBlock();
    t.Offer(Mac(1), Seconds(5));
    t.Withdraw(Mac(1));
    EXPECT_EQ(t.Find(Mac(1)), nullptr);
    EXPECT_FALSE(t.IsInUse(Ipv4Address("10.0.0.2")));
}

TEST(DhcpLeaseTableTest, ReleaseChecksTheAddress)
{
    DhcpLeaseTable t = OneBlock();
    t.Offer(Mac(1), Seconds(5));
    ASSERT_TRUE(t.Bind(Mac(1), Ipv4Address("10.0.0.2"), Seconds(100)));
    EXPECT_FALSE(t.Release(Mac(1), Ipv4Address("10.0.0.3")).has_value());
    EXPECT_FALSE(t.Release(Mac(2), Ipv4Address::GetAny()).has_value());
    auto freed = t.Release(Mac(1), Ipv4Address("10.0.0.2"));
    ASSERT_TRUE(freed.has_value());
    EXPECT_EQ(freed->address, Ipv4Address("10.0.0.2"));
    EXPECT_TRUE(freed->bound);
    EXPECT_TRUE(t.GetBindings().empty());
    EXPECT_EQ(t.FindFreeAddress(), Ipv4Address("10.0.0.2"));
}

TEST(DhcpLeaseTableTest, ExpireRemovesDueBindingsOnly)
{
    DhcpLeaseTable t = OneBlock();
    t.Offer(Mac(1), Seconds(5));
    t.Offer(Mac(2), Seconds(5));
    ASSERT_TRUE(t.Bind(Mac(2), Ipv4Address("10.0.0.3"), Seconds(100)));
    EXPECT_EQ(t.GetNextExpiry(), Seconds(5));
    EXPECT_TRUE(t.Expire(Seconds(4)).empty());
    auto gone = t.Expire(Seconds(5));
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0].chaddr, Mac(1));
    EXPECT_FALSE(gone[0].binding.bound);
    EXPECT_EQ(t.GetNextExpiry(), Seconds(100));
    gone = t.Expire(Seconds(100));
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_TRUE(gone[0].binding.bound);
    EXPECT_EQ(t.GetNextExpiry(), Time::Max());
}

TEST(DhcpLeaseTableTest, LeaseNeverOutlivesTheBlock)
{
    DhcpLeaseTable t = OneBlock(Seconds(250.7));
    const Ipv4Address a("10.0.0.2");
    EXPECT_EQ(t.GetLeaseFor(a, Seconds(100), Seconds(0)), Seconds(100));
    EXPECT_EQ(t.GetLeaseFor(a, Seconds(100), Seconds(200)), Seconds(50));  // 50.7 -> 50
    EXPECT_EQ(t.GetLeaseFor(a, Seconds(100), Seconds(250.5)), Seconds(1)); // at least 1 s
    EXPECT_EQ(t.GetLeaseFor(Ipv4Address("10.9.9.9"), Seconds(100), Seconds(200)), Seconds(100));
    ASSERT_TRUE(t.SetBlockExpiry(BLOCK.network, Seconds(1000)));
    EXPECT_EQ(t.GetLeaseFor(a, Seconds(100), Seconds(200)), Seconds(100));
    EXPECT_FALSE(t.SetBlockExpiry(EXTRA.network, Seconds(1000)));
}

TEST(DhcpLeaseTableTest, RemovingABlockDropsItsBindings)
{
    DhcpLeaseTable t = OneBlock();
    t.AddBlock(EXTRA, Seconds(600));
    for (uint8_t i = 1; i <= 6; ++i)
    {
        ASSERT_NE(t.Offer(Mac(i), Seconds(5)), nullptr); // the sixth lands in EXTRA
    }
    EXPECT_EQ(t.Find(Mac(6))->address, Ipv4Address("10.0.0.10"));
    EXPECT_TRUE(t.GetIdleExtraBlocks().empty());
    auto removed = t.RemoveBlock(EXTRA.network);
    ASSERT_TRUE(removed.has_value());
    EXPECT_EQ(removed->prefix.network, EXTRA.network);
    EXPECT_EQ(t.Find(Mac(6)), nullptr);
    EXPECT_EQ(t.GetBindings().size(), 5u);
    EXPECT_FALSE(t.RemoveBlock(EXTRA.network).has_value());
    EXPECT_EQ(t.FindBlock(Ipv4Address("10.0.0.10")), nullptr);
    ASSERT_NE(t.FindBlock(Ipv4Address("10.0.0.6")), nullptr);
}

TEST(DhcpLeaseTableTest, IdleExtraBlocksButNeverTheFirst)
{
    DhcpLeaseTable t = OneBlock();
    const Ipv4Prefix third{Ipv4Address("10.0.0.16"), 29};
    t.AddBlock(EXTRA, Seconds(600));
    t.AddBlock(third, Seconds(600));
    // Nothing bound: both extra blocks are idle, last first; the first block never is.
    EXPECT_EQ(t.GetIdleExtraBlocks(), (std::vector<Ipv4Address>{third.network, EXTRA.network}));
    ASSERT_TRUE(t.Bind(Mac(1), Ipv4Address("10.0.0.12"), Seconds(100)));
    EXPECT_EQ(t.GetIdleExtraBlocks(), (std::vector<Ipv4Address>{third.network}));
}

} // namespace
