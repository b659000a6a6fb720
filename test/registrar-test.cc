/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/registrar.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

class RegistrarTest : public ::testing::Test
{
  protected:
    RegistrarTest()
        : m_plan("100"),
          m_registrar(m_plan, Seconds(600), Seconds(3600))
    {
    }

    PhoneNumber Number(const std::string& text) const
    {
        return m_plan.ParseOrThrow(text);
    }

    static SipContact Contact(const char* address, uint16_t port = 5060)
    {
        return SipContact{Ipv4Address(address), port};
    }

    NumberingPlan m_plan;
    Registrar m_registrar;
};

TEST_F(RegistrarTest, ExpiresComesFromContactThenHeaderThenDefault)
{
    auto e = m_registrar.ReadExpires("120", "300");
    EXPECT_TRUE(e.error.empty());
    EXPECT_EQ(e.seconds, 120u); // Contact parameter wins
    e = m_registrar.ReadExpires("", "300");
    EXPECT_TRUE(e.error.empty());
    EXPECT_EQ(e.seconds, 300u);
    e = m_registrar.ReadExpires("", "");
    EXPECT_TRUE(e.error.empty());
    EXPECT_EQ(e.seconds, 600u); // the default, not the maximum
    e = m_registrar.ReadExpires("0", "300");
    EXPECT_TRUE(e.error.empty());
    EXPECT_EQ(e.seconds, 0u); // de-registration
}

TEST_F(RegistrarTest, ExpiresIsClampedToTheMaximum)
{
    auto e = m_registrar.ReadExpires("7200", "");
    EXPECT_TRUE(e.error.empty());
    EXPECT_EQ(e.seconds, 3600u);
    e = m_registrar.ReadExpires("4294967295", ""); // largest 32-bit value
    EXPECT_TRUE(e.error.empty());
    EXPECT_EQ(e.seconds, 3600u);
    m_registrar.SetMaxExpires(Seconds(60));
    m_registrar.SetDefaultExpires(Seconds(90)); // a default above the maximum is clamped too
    EXPECT_EQ(m_registrar.ReadExpires("", "").seconds, 60u);
}

TEST_F(RegistrarTest, MalformedExpiresIsAnErrorNotADefault)
{
    for (const char* bad : {"abc", "-1", "12a", " 5", "4294967296", "99999999999"})
    {
        auto e = m_registrar.ReadExpires(bad, "");
        EXPECT_FALSE(e.error.empty()) << bad;
        EXPECT_NE(e.error.find("Contact expires parameter"), std::string::npos) << e.error;
        EXPECT_NE(e.error.find(bad), std::string::npos) << e.error;
        e = m_registrar.ReadExpires("", bad);
        EXPECT_NE(e.error.find("Expires header"), std::string::npos) << bad;
    }
    // A good Contact parameter is used even when the header is bad (it is not read).
    EXPECT_TRUE(m_registrar.ReadExpires("30", "junk").error.empty());
}

TEST_F(RegistrarTest, AddRefreshReplaceRemove)
{
    auto n = Number("100-1101-1201-1");
    Time t0 = Seconds(10);
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.2"), 60, t0), Registrar::Outcome::ADDED);
    auto b = m_registrar.Find(n, t0);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->contact, Contact("10.0.0.2"));
    EXPECT_EQ(b->expires, Seconds(70));
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.2"), 100, Seconds(20)),
              Registrar::Outcome::REFRESHED);
    EXPECT_EQ(m_registrar.Find(n, Seconds(20))->expires, Seconds(120));
    // The terminal's address changed: the new contact replaces the old one.
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.9", 5070), 100, Seconds(30)),
              Registrar::Outcome::REPLACED);
    EXPECT_EQ(m_registrar.Find(n, Seconds(30))->contact, Contact("10.0.0.9", 5070));
    EXPECT_EQ(m_registrar.GetBindings(Seconds(30)).size(), 1u);
    // Same address, another port is another contact too.
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.9", 5060), 100, Seconds(31)),
              Registrar::Outcome::REPLACED);
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.9"), 0, Seconds(40)),
              Registrar::Outcome::REMOVED);
    EXPECT_FALSE(m_registrar.Find(n, Seconds(40)).has_value());
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.9"), 0, Seconds(41)),
              Registrar::Outcome::NOT_BOUND);
}

TEST_F(RegistrarTest, BindingsLapse)
{
    auto n = Number("100-1101-1201-1");
    m_registrar.Update(n, Contact("10.0.0.2"), 60, Seconds(0));
    EXPECT_TRUE(m_registrar.IsReachable(n, Seconds(59)));
    EXPECT_FALSE(m_registrar.IsReachable(n, Seconds(60)));
    // A lapsed binding is added again, not refreshed; removing it finds nothing live.
    EXPECT_EQ(m_registrar.Update(n, Contact("10.0.0.2"), 60, Seconds(61)),
              Registrar::Outcome::ADDED);
    m_registrar.Update(Number("100-1101-1201-2"), Contact("10.0.0.3"), 10, Seconds(61));
    EXPECT_EQ(m_registrar.Update(Number("100-1101-1201-2"), Contact("10.0.0.3"), 0, Seconds(80)),
              Registrar::Outcome::NOT_BOUND);
    m_registrar.Update(Number("100-1101-1201-3"), Contact("10.0.0.4"), 10, Seconds(61));
    EXPECT_EQ(m_registrar.RemoveExpired(Seconds(80)), 1u);
    EXPECT_EQ(m_registrar.GetBindings(Seconds(80)).size(), 1u);
}

TEST_F(RegistrarTest, HouseholdIsReachableWhileAnyTerminalIs)
{
    auto household = Number("100-1101-1201");
    auto t1 = Number("100-1101-1201-1");
    auto t2 = Number("100-1101-1201-2");
    EXPECT_FALSE(m_registrar.Find(household, Seconds(0)).has_value());
    m_registrar.Update(t1, Contact("10.1.0.1"), 100, Seconds(0));
    m_registrar.Update(t2, Contact("10.1.0.1"), 200, Seconds(0));
    auto h = m_registrar.Find(household, Seconds(1));
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->contact, Contact("10.1.0.1"));
    EXPECT_EQ(h->number, t2);            // the one that lapses last
    EXPECT_EQ(h->expires, Seconds(200)); // so the household lives as long as any terminal
    EXPECT_TRUE(m_registrar.IsReachable(household, Seconds(150)));
    // De-registration of the last terminal takes the household with it.
    m_registrar.Update(t1, Contact("10.1.0.1"), 0, Seconds(2));
    EXPECT_TRUE(m_registrar.IsReachable(household, Seconds(2)));
    m_registrar.Update(t2, Contact("10.1.0.1"), 0, Seconds(3));
    EXPECT_FALSE(m_registrar.IsReachable(household, Seconds(3)));
    // Another flat's terminal does not make this household reachable.
    m_registrar.Update(Number("100-1101-1202-1"), Contact("10.1.0.2"), 100, Seconds(4));
    EXPECT_FALSE(m_registrar.IsReachable(household, Seconds(4)));
    EXPECT_TRUE(m_registrar.IsReachable(Number("100-1101-1202-0"), Seconds(4)));
    // Nor does a terminal of another plan's same building and flat.
    EXPECT_FALSE(
        m_registrar.IsReachable(NumberingPlan("200").ParseOrThrow("200-1101-1202"), Seconds(4)));
}

TEST_F(RegistrarTest, HouseholdComesBackWithANewTerminalAtItsContact)
{
    auto household = Number("100-1101-1201-0");
    m_registrar.Update(Number("100-1101-1201-1"), Contact("10.1.0.1"), 100, Seconds(0));
    m_registrar.Update(Number("100-1101-1201-1"), Contact("10.1.0.1"), 0, Seconds(5));
    EXPECT_FALSE(m_registrar.Find(household, Seconds(5)).has_value());
    EXPECT_TRUE(m_registrar.FindFlat(household.GetFlatId(), Seconds(5)).empty());
    // A terminal never seen before registers from another contact (the flat's gateway got a
    // new address): the household follows it, not the old contact.
    m_registrar.Update(Number("100-1101-1201-3"), Contact("10.1.4.1", 5062), 100, Seconds(10));
    auto h = m_registrar.Find(household, Seconds(11));
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->number.ToString(), "100-1101-1201-3");
    EXPECT_EQ(h->contact, Contact("10.1.4.1", 5062));
    // Once it lapses without de-registering, the household goes too.
    EXPECT_FALSE(m_registrar.IsReachable(household, Seconds(110)));
    EXPECT_EQ(m_registrar.RemoveExpired(Seconds(110)), 1u);
    EXPECT_TRUE(m_registrar.GetBindings(Seconds(110)).empty());
}

TEST_F(RegistrarTest, HouseholdOwnBindingWins)
{
    auto household = Number("100-1101-1201-0");
    m_registrar.Update(Number("100-1101-1201-1"), Contact("10.1.0.1"), 100, Seconds(0));
    m_registrar.Update(household, Contact("10.9.9.9"), 50, Seconds(0));
    EXPECT_EQ(m_registrar.Find(household, Seconds(1))->contact, Contact("10.9.9.9"));
    EXPECT_EQ(m_registrar.Find(household, Seconds(60))->contact, Contact("10.1.0.1"));
    // A household binding is not a terminal of the flat.
    EXPECT_EQ(m_registrar.FindFlat(household.GetFlatId(), Seconds(1)).size(), 1u);
}

TEST_F(RegistrarTest, FindFlatGivesEveryLiveTerminalOfTheFlatOnly)
{
    m_registrar.Update(Number("100-1101-1201-1"), Contact("192.168.1.11"), 100, Seconds(0));
    m_registrar.Update(Number("100-1101-1201-3"), Contact("192.168.1.13"), 100, Seconds(0));
    m_registrar.Update(Number("100-1101-1201-9"), Contact("192.168.1.19"), 10, Seconds(0));
    m_registrar.Update(Number("100-1101-1202-1"), Contact("192.168.2.11"), 100, Seconds(0));
    m_registrar.Update(Number("100-1102-1201-1"), Contact("192.168.3.11"), 100, Seconds(0));
    auto flat = m_registrar.FindFlat(FlatId{1101, 1201}, Seconds(5));
    ASSERT_EQ(flat.size(), 3u);
    EXPECT_EQ(flat[0].number.ToString(), "100-1101-1201-1");
    EXPECT_EQ(flat[1].number.ToString(), "100-1101-1201-3");
    EXPECT_EQ(flat[2].number.ToString(), "100-1101-1201-9");
    EXPECT_EQ(flat[2].contact, Contact("192.168.1.19"));
    flat = m_registrar.FindFlat(FlatId{1101, 1201}, Seconds(20)); // terminal 9 lapsed
    ASSERT_EQ(flat.size(), 2u);
    EXPECT_EQ(flat[1].number.ToString(), "100-1101-1201-3");
    EXPECT_TRUE(m_registrar.FindFlat(FlatId{1101, 1203}, Seconds(5)).empty());
}

} // namespace
