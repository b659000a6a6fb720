/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-block-pool.h"
#include "ns3/block-protocol-header.h"
#include "ns3/crc32.h"
#include "ns3/dhcp-message.h"
#include "ns3/packet.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

AddressBlockPool::Config
Small(uint32_t buildings = 2, uint32_t blocks = 3)
{
    AddressBlockPool::Config c;
    c.buildings = buildings;
    c.blocksPerBuilding = blocks;
    return c;
}

const Ipv4Address A("10.0.240.2");
const Ipv4Address B("10.0.240.3");

std::string
TempPath(const std::string& name)
{
    return std::string(::testing::TempDir()) + "apartment-block-pool-" + name;
}

std::string
ReadAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void
WriteAll(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

TEST(BlockPoolTest, DatabaseChecksumIsTheStandardCrc32)
{
    // The CRC-32 check value (IEEE 802.3 / ISO-HDLC): the database checksum is the one
    // Boost's crc_32_type computed, so databases written before the switch still load.
    const std::string check = "123456789";
    EXPECT_EQ(CRC32Calculate(reinterpret_cast<const uint8_t*>(check.data()),
                             static_cast<int>(check.size())),
              0xCBF43926u);
}

TEST(BlockPoolTest, SeedExampleFirstBlock)
{
    // Seed 000 [47]: the first flat gets 10.0.0.0/29; gateway .1, terminals .2-.4.
    AddressBlockPool pool(Small(1, 4));
    auto a = pool.Allot(A, 0, Seconds(0), Seconds(60));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->block.ToString(), "10.0.0.0/29");
    EXPECT_EQ(a->block.GetAddress(1), Ipv4Address("10.0.0.1"));
    EXPECT_EQ(a->block.GetAddress(4), Ipv4Address("10.0.0.4"));
    EXPECT_EQ(a->holder, A);
    EXPECT_EQ(a->expiry, Seconds(60));
}

TEST(BlockPoolTest, AllotsPerBuildingRegionLowestFirst)
{
    AddressBlockPool pool(Small());
    EXPECT_EQ(pool.GetNBlocks(), 6u);
    EXPECT_EQ(pool.Allot(A, 0, Seconds(0), Seconds(1))->block.ToString(), "10.0.0.0/29");
    EXPECT_EQ(pool.Allot(A, 0, Seconds(0), Seconds(1))->block.ToString(), "10.0.0.8/29");
    EXPECT_EQ(pool.Allot(B, 1, Seconds(0), Seconds(1))->block.ToString(), "10.1.0.0/29");
    EXPECT_EQ(pool.GetNAllotted(), 3u);
    EXPECT_EQ(pool.GetNFree(), 3u);
    EXPECT_EQ(pool.GetNFree(0), 1u);
    EXPECT_EQ(pool.GetBlocksOf(A).size(), 2u);
    EXPECT_FALSE(pool.Allot(A, 2, Seconds(0), Seconds(1))); // no building 2
    EXPECT_EQ(pool.CheckInvariant(), "");
}

TEST(BlockPoolTest, ExhaustionIsPerBuilding)
{
    AddressBlockPool pool(Small());
    for (int i = 0; i < 3; ++i)
    {
        ASSERT_TRUE(pool.Allot(A, 0, Seconds(0), Seconds(1)));
    }
    EXPECT_FALSE(pool.Allot(B, 0, Seconds(0), Seconds(1)));
    EXPECT_TRUE(pool.Allot(B, 1, Seconds(0), Seconds(1)));
}

TEST(BlockPoolTest, ReleaseOnlyByHolderAndReuse)
{
    AddressBlockPool pool(Small());
    auto first = pool.Allot(A, 0, Seconds(0), Seconds(1));
    pool.Allot(A, 0, Seconds(0), Seconds(1));
    EXPECT_FALSE(pool.Release(B, first->block.network));
    EXPECT_FALSE(pool.Release(A, Ipv4Address("10.0.0.16"))); // free block
    EXPECT_TRUE(pool.Release(A, first->block.network));
    EXPECT_FALSE(pool.Release(A, first->block.network)); // twice
    EXPECT_EQ(pool.GetNFree(0), 2u);
    // The freed block (lowest) goes to the next gateway that asks.
    EXPECT_EQ(pool.Allot(B, 0, Seconds(2), Seconds(1))->block.network, first->block.network);
    EXPECT_EQ(pool.Find(first->block.network)->holder, B);
}

TEST(BlockPoolTest, RenewAndExpiry)
{
    AddressBlockPool pool(Small());
    auto x = pool.Allot(A, 0, Seconds(0), Seconds(10));
    auto y = pool.Allot(B, 0, Seconds(0), Seconds(10));
    EXPECT_FALSE(pool.Renew(B, x->block.network, Seconds(5), Seconds(10)));
    EXPECT_EQ(pool.Renew(A, x->block.network, Seconds(5), Seconds(10))->expiry, Seconds(15));
    EXPECT_EQ(*pool.GetNextExpiry(), Seconds(10));
    EXPECT_TRUE(pool.ExpireUntil(Seconds(9)).empty());
    auto reclaimed = pool.ExpireUntil(Seconds(10));
    ASSERT_EQ(reclaimed.size(), 1u);
    EXPECT_EQ(reclaimed[0].block.network, y->block.network);
    EXPECT_EQ(reclaimed[0].holder, B);
    EXPECT_FALSE(pool.Find(y->block.network));
    EXPECT_TRUE(pool.Find(x->block.network));
    EXPECT_EQ(pool.ExpireUntil(Seconds(15)).size(), 1u);
    EXPECT_EQ(pool.GetNFree(), 6u);
    EXPECT_FALSE(pool.GetNextExpiry());
}

TEST(BlockPoolTest, InvariantHoldsUnderRandomOperations)
{
    AddressBlockPool pool(Small(3, 5));
    std::mt19937 rng(7);
    std::vector<Ipv4Address> holders;
    for (uint32_t i = 0; i < 6; ++i)
    {
        holders.emplace_back(0x0a00f000u + i);
    }
    for (int step = 0; step < 2000; ++step)
    {
        const Time now = Seconds(step);
        Ipv4Address h = holders[rng() % holders.size()];
        switch (rng() % 4)
        {
        case 0:
            pool.Allot(h, rng() % 3, now, Seconds(1 + rng() % 50));
            break;
        case 1: {
            auto held = pool.GetBlocksOf(h);
            if (!held.empty())
            {
                EXPECT_TRUE(pool.Release(h, held[rng() % held.size()].block.network));
            }
            break;
        }
        case 2: {
            auto held = pool.GetBlocksOf(h);
            if (!held.empty())
            {
                EXPECT_TRUE(pool.Renew(h, held[0].block.network, now, Seconds(20)));
            }
            break;
        }
        default:
            pool.ExpireUntil(now);
            for (const auto& a : pool.GetAllotments())
            {
                ASSERT_GT(a.expiry, now);
            }
        }
        ASSERT_EQ(pool.CheckInvariant(), "") << "step " << step;
        std::set<uint32_t> seen;
        for (const auto& a : pool.GetAllotments())
        {
            ASSERT_TRUE(seen.insert(a.block.network.Get()).second);
        }
    }
}

TEST(BlockPoolTest, PersistenceRoundTrip)
{
    const std::string path = TempPath("roundtrip");
    AddressBlockPool pool(Small());
    pool.Allot(A, 0, Seconds(1), Seconds(100));
    pool.Allot(B, 1, MilliSeconds(1500), Seconds(50));
    pool.Allot(B, 1, Seconds(2), Seconds(50));
    pool.Release(B, Ipv4Address("10.1.0.0"));
    pool.Save(path);
    EXPECT_FALSE(std::ifstream(path + ".tmp").good()); // temporary file renamed away

    AddressBlockPool loaded(Small());
    loaded.Load(path);
    ASSERT_EQ(loaded.GetNAllotted(), 2u);
    auto original = pool.GetAllotments();
    auto copy = loaded.GetAllotments();
    for (size_t i = 0; i < original.size(); ++i)
    {
        EXPECT_EQ(copy[i].block.network, original[i].block.network);
        EXPECT_EQ(copy[i].holder, original[i].holder);
        EXPECT_EQ(copy[i].since, original[i].since);
        EXPECT_EQ(copy[i].expiry, original[i].expiry);
        EXPECT_EQ(copy[i].building, original[i].building);
    }
    EXPECT_EQ(loaded.GetNFree(1), 2u);
    EXPECT_EQ(loaded.CheckInvariant(), "");
    // The loaded pool continues where the saved one stopped: no block handed out twice.
    EXPECT_EQ(loaded.Allot(A, 1, Seconds(3), Seconds(1))->block.ToString(), "10.1.0.0/29");
    std::remove(path.c_str());
}

TEST(BlockPoolTest, CorruptFileIsAnErrorNotAnEmptyPool)
{
    const std::string path = TempPath("corrupt");
    AddressBlockPool pool(Small());
    pool.Allot(A, 0, Seconds(1), Seconds(100));
    pool.Save(path);
    const std::string good = ReadAll(path);

    AddressBlockPool target(Small());
    target.Allot(B, 1, Seconds(0), Seconds(5));

    // One changed character: the checksum no longer matches.
    std::string bad = good;
    bad[bad.find("10.0.240.2")] = '9';
    WriteAll(path, bad);
    try
    {
        target.Load(path);
        FAIL() << "a corrupt file was accepted";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find("checksum mismatch"), std::string::npos) << e.what();
    }
    // Truncated file (no checksum line).
    WriteAll(path, good.substr(0, good.size() / 2));
    EXPECT_THROW(target.Load(path), std::runtime_error);
    // Empty file.
    WriteAll(path, "");
    EXPECT_THROW(target.Load(path), std::runtime_error);
    // Missing file.
    std::remove(path.c_str());
    try
    {
        target.Load(path);
        FAIL() << "a missing file was accepted";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find("cannot read"), std::string::npos) << e.what();
    }
    // A failed load leaves the pool as it was.
    EXPECT_EQ(target.GetNAllotted(), 1u);
    EXPECT_EQ(target.GetBlocksOf(B).size(), 1u);

    // A valid file of another pool shape is refused too.
    WriteAll(path, good);
    AddressBlockPool other(Small(2, 4));
    try
    {
        other.Load(path);
        FAIL() << "a file of another pool was accepted";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find("another pool"), std::string::npos) << e.what();
    }
    std::remove(path.c_str());
}

TEST(BlockPoolTest, UnwritablePathIsAnError)
{
    AddressBlockPool pool(Small());
    EXPECT_THROW(pool.Save("/nonexistent-dir/sub/db.txt"), std::runtime_error);
}

TEST(BlockPoolTest, BadConfigurationsAreRefused)
{
    auto c = Small();
    c.blockLength = 31;
    EXPECT_NE(AddressBlockPool::Validate(c), "");
    EXPECT_THROW(AddressBlockPool{c}, std::invalid_argument);
    c = Small();
    c.blocksPerBuilding = 0;
    EXPECT_NE(AddressBlockPool::Validate(c), "");
    c.blocksPerBuilding = 240 * 256 / 8 + 1; // more /29s than below P.b.240.0
    EXPECT_NE(AddressBlockPool::Validate(c), "");
    c.blocksPerBuilding = 240 * 256 / 8;
    EXPECT_EQ(AddressBlockPool::Validate(c), "");
    c = Small();
    c.buildings = 0;
    EXPECT_NE(AddressBlockPool::Validate(c), "");
    c = Small();
    c.privateNetwork = Ipv4Address("10.1.0.0");
    EXPECT_NE(AddressBlockPool::Validate(c), "");
}

TEST(BlockProtocolHeaderTest, RoundTripAndLayout)
{
    BlockProtocolHeader h;
    h.type = BlockProtocolHeader::GRANT;
    h.transaction = 0x01020304;
    h.holder = Ipv4Address("10.0.240.2");
    h.building = 7;
    h.count = 3;
    h.address = Ipv4Address("10.7.0.8");
    h.prefixLength = 29;
    h.leaseSeconds = 600;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    ASSERT_EQ(p->GetSize(), 24u);
    uint8_t bytes[24];
    p->CopyData(bytes, 24);
    EXPECT_EQ(bytes[0], 1);  // version
    EXPECT_EQ(bytes[1], 2);  // GRANT
    EXPECT_EQ(bytes[3], 29); // prefix length
    EXPECT_EQ(bytes[4], 1);  // transaction, network order
    EXPECT_EQ(bytes[7], 4);
    EXPECT_EQ(bytes[8], 10); // holder
    EXPECT_EQ(bytes[13], 7); // building
    EXPECT_EQ(bytes[18], 0); // address 10.7.0.8
    EXPECT_EQ(bytes[19], 8);
    EXPECT_EQ(bytes[22], 600 >> 8);
    BlockProtocolHeader r;
    p->RemoveHeader(r);
    EXPECT_TRUE(r.IsValid());
    EXPECT_EQ(r.type, h.type);
    EXPECT_EQ(r.transaction, h.transaction);
    EXPECT_EQ(r.holder, h.holder);
    EXPECT_EQ(r.building, 7);
    EXPECT_EQ(r.count, 3);
    EXPECT_EQ(r.address, h.address);
    EXPECT_EQ(r.leaseSeconds, 600u);

    r.version = 2;
    EXPECT_FALSE(r.IsValid());
    r.version = 1;
    r.type = 9;
    EXPECT_FALSE(r.IsValid());
}

TEST(DhcpMessageTest, ReleaseIsABootRequestWithClientAddress)
{
    DhcpMessage m;
    m.ResetOpt();
    m.SetType(DhcpMessage::DHCPRELEASE);
    m.SetTran(42);
    m.SetCiaddr(Ipv4Address("10.0.0.2"));
    m.SetDhcps(Ipv4Address("10.0.0.1"));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(m);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    EXPECT_EQ(bytes[0], 1); // BOOTREQUEST (plain DhcpHeader writes 2 here)
    EXPECT_EQ(bytes[12], 10);
    EXPECT_EQ(bytes[15], 2); // ciaddr 10.0.0.2
    // Option 53 (message type) carries 7 = DHCPRELEASE.
    bool found = false;
    for (size_t i = 240; i + 2 < bytes.size(); ++i)
    {
        found = found || (bytes[i] == 53 && bytes[i + 1] == 1 && bytes[i + 2] == 7);
    }
    EXPECT_TRUE(found);
    DhcpMessage r;
    ASSERT_NE(p->RemoveHeader(r), 0u);
    EXPECT_EQ(r.GetType(), DhcpMessage::DHCPRELEASE);
    EXPECT_EQ(r.GetCiaddr(), Ipv4Address("10.0.0.2"));
    EXPECT_EQ(r.GetDhcps(), Ipv4Address("10.0.0.1"));
    EXPECT_EQ(r.GetTran(), 42u);
}

} // namespace
