/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/nat-table.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

const Ipv4Address kPublic("203.0.113.1");
const Ipv4Address kHostA("10.0.0.2");
const Ipv4Address kHostB("10.0.0.3");
const Ipv4Address kServer("198.51.100.10");
const Ipv4Address kOther("198.51.100.20");

NatTable::Config
Napt(NatBehaviour mapping = NatBehaviour::ENDPOINT_INDEPENDENT,
     NatBehaviour filtering = NatBehaviour::ENDPOINT_INDEPENDENT)
{
    NatTable::Config c;
    c.publicAddresses = {kPublic};
    c.mapping = mapping;
    c.filtering = filtering;
    return c;
}

NatFlow
Udp(Ipv4Address src, uint16_t sport, Ipv4Address dst, uint16_t dport)
{
    NatFlow f;
    f.protocol = 17;
    f.src = src;
    f.srcPort = sport;
    f.dst = dst;
    f.dstPort = dport;
    return f;
}

NatFlow
Tcp(Ipv4Address src, uint16_t sport, Ipv4Address dst, uint16_t dport, uint8_t flags)
{
    NatFlow f = Udp(src, sport, dst, dport);
    f.protocol = 6;
    f.tcpFlags = flags;
    return f;
}

TEST(NatTableTest, ValidateRefusesShortUdpTimeoutUnlessInsisted)
{
    NatTable::Config c = Napt();
    c.udpTimeout = Seconds(60);
    EXPECT_NE(NatTable::Validate(c).find("below the +120"), std::string::npos)
        << NatTable::Validate(c);
    c.allowShortTimeouts = true;
    EXPECT_EQ(NatTable::Validate(c), "");
    c.udpTimeout = Seconds(0);
    EXPECT_NE(NatTable::Validate(c).find("must be positive"), std::string::npos);
    NatTable::Config d = Napt();
    d.tcpEstablishedTimeout = Seconds(3600);
    EXPECT_NE(NatTable::Validate(d).find("RFC 5382"), std::string::npos);
    d = Napt();
    d.portMin = 2000;
    d.portMax = 1000;
    EXPECT_NE(NatTable::Validate(d).find("port range"), std::string::npos);
    d = Napt();
    d.publicAddresses.clear();
    EXPECT_NE(NatTable::Validate(d).find("at least one"), std::string::npos);
    EXPECT_EQ(NatTable::Validate(Napt()), "");
}

TEST(NatTableTest, EndpointIndependentMappingReusesPublicEndpoint)
{
    NatTable t(Napt());
    NatResult a = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3478), Seconds(1));
    NatResult b = t.TranslateOutbound(Udp(kHostA, 5000, kOther, 9999), Seconds(2));
    ASSERT_TRUE(a.translate);
    EXPECT_EQ(a.event, NatResult::CREATED);
    EXPECT_EQ(b.event, NatResult::REFRESHED);
    EXPECT_EQ(a.address, kPublic);
    EXPECT_EQ(a.port, 5000) << "port preserved";
    EXPECT_EQ(b.address, a.address);
    EXPECT_EQ(b.port, a.port);
    EXPECT_EQ(t.GetNMappings(), 1u);
}

TEST(NatTableTest, AddressDependentMappingPerRemoteAddress)
{
    NatTable t(Napt(NatBehaviour::ADDRESS_DEPENDENT));
    NatResult a = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3478), Seconds(1));
    NatResult a2 = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3479), Seconds(1));
    NatResult b = t.TranslateOutbound(Udp(kHostA, 5000, kOther, 3478), Seconds(1));
    EXPECT_EQ(a.port, a2.port) << "same remote address, other port: same mapping";
    EXPECT_NE(a.port, b.port) << "other remote address: new mapping";
    EXPECT_EQ(t.GetNMappings(), 2u);
}

TEST(NatTableTest, AddressAndPortDependentMappingPerRemoteEndpoint)
{
    NatTable t(Napt(NatBehaviour::ADDRESS_AND_PORT_DEPENDENT));
    NatResult a = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3478), Seconds(1));
    NatResult a2 = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3479), Seconds(1));
    NatResult a3 = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3478), Seconds(1));
    EXPECT_NE(a.port, a2.port);
    EXPECT_EQ(a.port, a3.port);
    EXPECT_EQ(t.GetNMappings(), 2u);
}

TEST(NatTableTest, PortPreservationYieldsOnConflict)
{
    NatTable t(Napt());
    NatResult a = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(1));
    NatResult b = t.TranslateOutbound(Udp(kHostB, 5000, kServer, 1), Seconds(1));
    EXPECT_EQ(a.port, 5000);
    EXPECT_NE(b.port, 5000);
    EXPECT_GE(b.port, 1024);
    // A port below the range is never preserved.
    NatResult c = t.TranslateOutbound(Udp(kHostB, 53, kServer, 1), Seconds(1));
    EXPECT_GE(c.port, 1024);
}

class FilteringTest : public ::testing::TestWithParam<std::tuple<NatBehaviour, bool, bool, bool>>
{
};

TEST_P(FilteringTest, InboundAllowedPerBehaviour)
{
    auto [filtering, samePortOk, otherPortOk, otherAddressOk] = GetParam();
    NatTable t(Napt(NatBehaviour::ENDPOINT_INDEPENDENT, filtering));
    NatResult out = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 3478), Seconds(1));
    auto in = [&](Ipv4Address from, uint16_t port) {
        return t.TranslateInbound(Udp(from, port, out.address, out.port), Seconds(2));
    };
    NatResult same = in(kServer, 3478);
    EXPECT_EQ(same.translate, samePortOk);
    if (same.translate)
    {
        EXPECT_EQ(same.address, kHostA);
        EXPECT_EQ(same.port, 5000);
    }
    NatResult otherPort = in(kServer, 4000);
    EXPECT_EQ(otherPort.translate, otherPortOk);
    if (!otherPortOk)
    {
        EXPECT_EQ(otherPort.reason, NatDropReason::FILTERED);
    }
    NatResult otherAddress = in(kOther, 3478);
    EXPECT_EQ(otherAddress.translate, otherAddressOk);
}

INSTANTIATE_TEST_SUITE_P(
    NatTable,
    FilteringTest,
    ::testing::Values(
        std::make_tuple(NatBehaviour::ENDPOINT_INDEPENDENT, true, true, true),
        std::make_tuple(NatBehaviour::ADDRESS_DEPENDENT, true, true, false),
        std::make_tuple(NatBehaviour::ADDRESS_AND_PORT_DEPENDENT, true, false, false)));

TEST(NatTableTest, UnsolicitedInboundDropped)
{
    NatTable t(Napt());
    NatResult r = t.TranslateInbound(Udp(kServer, 3478, kPublic, 5000), Seconds(1));
    EXPECT_TRUE(r.IsDrop());
    EXPECT_EQ(r.reason, NatDropReason::UNSOLICITED);
    // Not one of our addresses: not our business.
    NatResult p = t.TranslateInbound(Udp(kServer, 1, kOther, 2), Seconds(1));
    EXPECT_TRUE(p.pass);
}

TEST(NatTableTest, UdpTimeoutRefreshedByOutboundOnly)
{
    NatTable t(Napt());
    NatResult out = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(0));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(300));
    // Inbound does not refresh (RFC 4787 REQ-6 default).
    t.TranslateInbound(Udp(kServer, 1, out.address, out.port), Seconds(200));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(300));
    // Outbound does.
    t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(250));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(550));
    EXPECT_TRUE(t.Expire(Seconds(549)).empty());
    auto expired = t.Expire(Seconds(550));
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].insidePort, 5000);
    EXPECT_EQ(t.GetNMappings(), 0u);
    EXPECT_EQ(t.TranslateInbound(Udp(kServer, 1, out.address, out.port), Seconds(551)).reason,
              NatDropReason::UNSOLICITED);
}

TEST(NatTableTest, InboundRefreshWhenConfigured)
{
    NatTable::Config c = Napt();
    c.inboundRefresh = true;
    NatTable t(c);
    NatResult out = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(0));
    t.TranslateInbound(Udp(kServer, 1, out.address, out.port), Seconds(200));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(500));
}

TEST(NatTableTest, TcpTimeoutsFollowHandshake)
{
    using namespace NatTcpFlags;
    NatTable t(Napt());
    NatResult syn = t.TranslateOutbound(Tcp(kHostA, 40000, kServer, 80, SYN), Seconds(0));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(240)) << "transitory after SYN";
    t.TranslateInbound(Tcp(kServer, 80, syn.address, syn.port, SYN | ACK), Seconds(1));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(241));
    t.TranslateOutbound(Tcp(kHostA, 40000, kServer, 80, ACK), Seconds(2));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(2 + 7440)) << "established";
    t.TranslateOutbound(Tcp(kHostA, 40000, kServer, 80, FIN | ACK), Seconds(10));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(10 + 240)) << "closing is transitory";
    EXPECT_EQ(t.Expire(Seconds(250)).size(), 1u);
}

TEST(NatTableTest, TcpRstMakesTransitory)
{
    using namespace NatTcpFlags;
    NatTable t(Napt());
    NatResult syn = t.TranslateOutbound(Tcp(kHostA, 40000, kServer, 80, SYN), Seconds(0));
    t.TranslateInbound(Tcp(kServer, 80, syn.address, syn.port, SYN | ACK), Seconds(0));
    t.TranslateOutbound(Tcp(kHostA, 40000, kServer, 80, ACK), Seconds(0));
    t.TranslateInbound(Tcp(kServer, 80, syn.address, syn.port, RST), Seconds(100));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(340));
}

TEST(NatTableTest, IcmpEchoIdentifierMapped)
{
    NatTable t(Napt());
    NatFlow echo;
    echo.protocol = 1;
    echo.src = kHostA;
    echo.srcPort = 7;
    echo.dst = kServer;
    echo.dstPort = 7;
    NatFlow echo2 = echo;
    echo2.src = kHostB;
    NatResult a = t.TranslateOutbound(echo, Seconds(0));
    NatResult b = t.TranslateOutbound(echo2, Seconds(0));
    ASSERT_TRUE(a.translate && b.translate);
    EXPECT_NE(a.port, b.port) << "two hosts with identifier 7 get distinct identifiers";
    NatFlow reply;
    reply.protocol = 1;
    reply.src = kServer;
    reply.srcPort = b.port;
    reply.dst = kPublic;
    reply.dstPort = b.port;
    NatResult r = t.TranslateInbound(reply, Seconds(1));
    EXPECT_EQ(r.address, kHostB);
    EXPECT_EQ(r.port, 7);
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(60));
}

TEST(NatTableTest, PortExhaustionDropsNewFlows)
{
    NatTable::Config c = Napt();
    c.portMin = 2000;
    c.portMax = 2003;
    NatTable t(c);
    for (uint16_t i = 0; i < 4; ++i)
    {
        NatResult r = t.TranslateOutbound(Udp(kHostA, 6000 + i, kServer, 1), Seconds(0));
        ASSERT_TRUE(r.translate) << i;
        EXPECT_GE(r.port, 2000);
        EXPECT_LE(r.port, 2003);
    }
    NatResult full = t.TranslateOutbound(Udp(kHostA, 7000, kServer, 1), Seconds(0));
    EXPECT_TRUE(full.IsDrop());
    EXPECT_EQ(full.reason, NatDropReason::EXHAUSTED);
    // Existing flows still work; after expiry the port is free again.
    EXPECT_TRUE(t.TranslateOutbound(Udp(kHostA, 6000, kServer, 1), Seconds(1)).translate);
    t.Expire(Seconds(300));
    EXPECT_TRUE(t.TranslateOutbound(Udp(kHostA, 7000, kServer, 1), Seconds(300)).translate);
    // TCP has its own port space.
    EXPECT_TRUE(t.TranslateOutbound(Tcp(kHostA, 7000, kServer, 1, NatTcpFlags::SYN), Seconds(300))
                    .translate);
}

TEST(NatTableTest, PoolModeOneAddressPerHostUntilExhausted)
{
    NatTable::Config c;
    c.mode = NatMode::POOL;
    c.publicAddresses = {Ipv4Address("203.0.113.10"), Ipv4Address("203.0.113.11")};
    NatTable t(c);
    NatResult a = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(0));
    NatResult a2 = t.TranslateOutbound(Udp(kHostA, 5001, kServer, 1), Seconds(0));
    NatResult b = t.TranslateOutbound(Udp(kHostB, 5000, kServer, 1), Seconds(0));
    EXPECT_EQ(a.address, a2.address);
    EXPECT_NE(a.address, b.address);
    EXPECT_EQ(b.port, 5000);
    NatResult c3 = t.TranslateOutbound(Udp(Ipv4Address("10.0.0.4"), 1, kServer, 1), Seconds(0));
    EXPECT_EQ(c3.reason, NatDropReason::EXHAUSTED);
    t.Expire(Seconds(300));
    EXPECT_TRUE(
        t.TranslateOutbound(Udp(Ipv4Address("10.0.0.4"), 1, kServer, 1), Seconds(300)).translate);
}

TEST(NatTableTest, StaticRuleTranslatesBothWaysAndAllowsInbound)
{
    NatTable t(Napt());
    const Ipv4Address pub("203.0.113.50");
    EXPECT_TRUE(t.AddStaticRule(kHostA, pub));
    EXPECT_FALSE(t.AddStaticRule(kHostB, pub)) << "public address taken";
    EXPECT_FALSE(t.AddStaticRule(kHostB, kPublic)) << "dynamic address";
    NatResult in = t.TranslateInbound(Udp(kServer, 1, pub, 5060), Seconds(0));
    EXPECT_TRUE(in.translate && in.isStatic);
    EXPECT_EQ(in.address, kHostA);
    EXPECT_EQ(in.port, 5060);
    NatResult out = t.TranslateOutbound(Udp(kHostA, 5060, kServer, 1), Seconds(0));
    EXPECT_EQ(out.address, pub);
    EXPECT_EQ(out.port, 5060);
    ASSERT_EQ(t.GetStaticRules().size(), 1u);
    EXPECT_EQ(t.GetStaticRules()[0].second, pub);
    auto seen = t.LookupPublic(17, kHostA, 5060);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->first, pub);
}

TEST(NatTableTest, LookupPublicFindsDynamicMapping)
{
    NatTable t(Napt());
    EXPECT_FALSE(t.LookupPublic(17, kHostA, 5000));
    t.TranslateOutbound(Udp(kHostB, 5000, kServer, 1), Seconds(0));
    NatResult r = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(0));
    auto seen = t.LookupPublic(17, kHostA, 5000);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->first, r.address);
    EXPECT_EQ(seen->second, r.port);
}

TEST(NatTableTest, HairpinningRewritesBothEnds)
{
    NatTable t(Napt());
    NatResult b = t.TranslateOutbound(Udp(kHostB, 6000, kServer, 1), Seconds(0));
    auto h = t.TranslateHairpin(Udp(kHostA, 5000, b.address, b.port), Seconds(1));
    ASSERT_TRUE(h.source.translate);
    ASSERT_TRUE(h.destination.translate);
    EXPECT_EQ(h.source.address, kPublic) << "B sees A's public endpoint (REQ-9)";
    EXPECT_EQ(h.destination.address, kHostB);
    EXPECT_EQ(h.destination.port, 6000);

    NatTable::Config c = Napt();
    c.hairpinning = false;
    NatTable off(c);
    auto d = off.TranslateHairpin(Udp(kHostA, 5000, kPublic, 1), Seconds(1));
    EXPECT_EQ(d.destination.reason, NatDropReason::HAIRPIN_OFF);
}

TEST(NatTableTest, HairpinFilteredByAddressDependentFiltering)
{
    NatTable t(Napt(NatBehaviour::ENDPOINT_INDEPENDENT, NatBehaviour::ADDRESS_DEPENDENT));
    NatResult b = t.TranslateOutbound(Udp(kHostB, 6000, kServer, 1), Seconds(0));
    auto h = t.TranslateHairpin(Udp(kHostA, 5000, b.address, b.port), Seconds(1));
    EXPECT_EQ(h.destination.reason, NatDropReason::FILTERED);
}

TEST(NatTableTest, PinOpensFilteringAndSetsIdleTimeout)
{
    NatTable t(Napt(NatBehaviour::ENDPOINT_INDEPENDENT, NatBehaviour::ADDRESS_AND_PORT_DEPENDENT));
    NatResult out = t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(0));
    EXPECT_FALSE(t.Pin(17, out.address, out.port + 1, Seconds(30), Seconds(1)));
    EXPECT_TRUE(t.Pin(17, out.address, out.port, Seconds(30), Seconds(1)));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(31));
    NatResult in = t.TranslateInbound(Udp(kOther, 9, out.address, out.port), Seconds(10));
    EXPECT_TRUE(in.translate);
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(31)) << "inbound does not refresh";
    t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(20));
    EXPECT_EQ(*t.GetNextExpiry(), Seconds(50)) << "keepalive refreshes with the kept idle time";
    EXPECT_EQ(t.Expire(Seconds(50)).size(), 1u);
}

TEST(NatTableTest, PrintListsRulesAndMappings)
{
    NatTable t(Napt());
    t.AddStaticRule(kHostB, Ipv4Address("203.0.113.9"));
    t.TranslateOutbound(Udp(kHostA, 5000, kServer, 1), Seconds(0));
    std::ostringstream os;
    t.Print(os, Seconds(100));
    EXPECT_NE(os.str().find("static 10.0.0.3 <-> 203.0.113.9"), std::string::npos) << os.str();
    EXPECT_NE(os.str().find("udp 10.0.0.2:5000 -> 203.0.113.1:5000 expires in +200"),
              std::string::npos)
        << os.str();
}

TEST(NatTableTest, UnsupportedProtocolDroppedUnlessStatic)
{
    NatTable t(Napt());
    NatFlow gre = Udp(kHostA, 0, kServer, 0);
    gre.protocol = 47;
    EXPECT_EQ(t.TranslateOutbound(gre, Seconds(0)).reason, NatDropReason::UNSUPPORTED);
    t.AddStaticRule(kHostA, Ipv4Address("203.0.113.9"));
    EXPECT_TRUE(t.TranslateOutbound(gre, Seconds(0)).translate);
}

} // namespace
