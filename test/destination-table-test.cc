/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/core-module.h"
#include "ns3/destination-table.h"
#include "ns3/sip-terminal.h"

#include <gtest/gtest.h>
#include <iomanip>
#include <sstream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// A table of \p n numbers 200-0001-0000 ... ; entry i has the digits "2000001" + 4 digits.
Ptr<DestinationTable>
MakeTable(uint32_t n)
{
    auto table = Create<DestinationTable>();
    for (uint32_t i = 0; i < n; ++i)
    {
        std::ostringstream os;
        os << "200-0001-" << std::setw(4) << std::setfill('0') << i;
        table->Add(os.str());
    }
    return table;
}

class DestinationTableTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
    }
};

// Uniform over the other entries: Pearson's chi-square over the 49 others of a 50-entry
// table, 196,000 draws with a fixed seed and stream (so the statistic is one fixed number,
// it cannot flake). 84.04 is the 0.999 quantile of chi-square with 48 degrees of freedom:
// a wrong distribution (e.g. the self draw moved to a neighbour, which doubles one cell)
// gives thousands.
TEST_F(DestinationTableTest, UniformOverTheOthersAndNeverSelf)
{
    const uint32_t n = 50;
    const uint32_t self = 17;
    auto table = MakeTable(n);
    const std::string selfDigits = SipDigits(table->Get(self));
    auto rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(4242);
    std::vector<uint64_t> count(n, 0);
    uint64_t dropped = 0;
    const uint64_t draws = 196000;
    for (uint64_t k = 0; k < draws; ++k)
    {
        auto i = table->Choose(*rng, selfDigits);
        if (!i)
        {
            ++dropped;
            continue;
        }
        ASSERT_LT(*i, n);
        ++count[*i];
    }
    EXPECT_EQ(count[self], 0u);
    uint64_t chosen = draws - dropped;
    double expected = static_cast<double>(chosen) / (n - 1);
    double chi2 = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (i != self)
        {
            double d = static_cast<double>(count[i]) - expected;
            chi2 += d * d / expected;
        }
    }
    EXPECT_LT(chi2, 84.04) << "chi-square over " << n - 1 << " others";
    // The self draw is dropped, not redrawn: about one attempt in n (binomial, 6 sigma).
    double p = 1.0 / n;
    double sigma = std::sqrt(draws * p * (1 - p));
    EXPECT_NEAR(static_cast<double>(dropped), draws * p, 6 * sigma);
}

// One draw of the caller's stream per attempt, over the whole table: the same callees for
// the same seed as when every phone held its own copy of the list and drew an index.
TEST_F(DestinationTableTest, SameDrawsAsAPerPhoneList)
{
    auto table = MakeTable(37);
    const std::string selfDigits = SipDigits(table->Get(5));
    auto rng = CreateObject<UniformRandomVariable>();
    auto reference = CreateObject<UniformRandomVariable>();
    rng->SetStream(99);
    reference->SetStream(99);
    for (int k = 0; k < 2000; ++k)
    {
        uint32_t index = reference->GetInteger(0, 36);
        auto chosen = table->Choose(*rng, selfDigits);
        if (index == 5)
        {
            EXPECT_FALSE(chosen.has_value());
        }
        else
        {
            ASSERT_TRUE(chosen.has_value());
            EXPECT_EQ(*chosen, index);
        }
    }
}

TEST_F(DestinationTableTest, EmptyTableAndOneEntry)
{
    auto rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(1);
    DestinationTable empty;
    EXPECT_FALSE(empty.Choose(*rng, "1").has_value());
    auto one = MakeTable(1);
    EXPECT_FALSE(one->Choose(*rng, SipDigits(one->Get(0))).has_value());
    EXPECT_EQ(one->Choose(*rng, "999").value(), 0u);
}

// AddDestination still works, and never changes a table other terminals share.
TEST_F(DestinationTableTest, AddDestinationCopiesASharedTable)
{
    auto shared = MakeTable(3);
    auto a = CreateObject<SipTerminal>();
    auto b = CreateObject<SipTerminal>();
    a->SetDestinationTable(shared);
    b->SetDestinationTable(shared);
    EXPECT_EQ(PeekPointer(a->GetDestinationTable()), PeekPointer(b->GetDestinationTable()));
    b->AddDestination("100-1101-1201-1");
    EXPECT_EQ(shared->GetN(), 3u);
    EXPECT_EQ(a->GetDestinationTable()->GetN(), 3u);
    ASSERT_EQ(b->GetDestinationTable()->GetN(), 4u);
    EXPECT_EQ(b->GetDestinationTable()->Get(3), "100-1101-1201-1");
    auto c = CreateObject<SipTerminal>();
    c->AddDestination("100-1101-1201-2");
    c->AddDestination("100-1101-1201-3");
    ASSERT_EQ(c->GetDestinationTable()->GetN(), 2u);
    EXPECT_EQ(c->GetDestinationTable()->Get(1), "100-1101-1201-3");
}

} // namespace
