/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The module's core cases as ns-3 test cases, so that ns-3's test.py runs them in a tree
// (test.py runs TestSuites only). A representative set re-expressed from the GoogleTest
// cases of the pure classes; the GoogleTest binary remains the full suite.

#include "ns3/address-block-pool.h"
#include "ns3/address-plan.h"
#include "ns3/dhcp-lease-table.h"
#include "ns3/mac48-address.h"
#include "ns3/nat-table.h"
#include "ns3/numbering-plan.h"
#include "ns3/sdp.h"
#include "ns3/sip-message.h"
#include "ns3/test.h"

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// Numbering plan: parse, canonical form, household numbers, refusals.
class NumberingPlanTestCase : public TestCase
{
  public:
    NumberingPlanTestCase()
        : TestCase("numbering plan: PREFIX-BBBB-RRRR-T")
    {
    }

  private:
    void DoRun() override
    {
        NumberingPlan plan("100");
        auto n = plan.Parse("100-1101-1201-2");
        NS_TEST_ASSERT_MSG_EQ(n.has_value(), true, "a valid number");
        NS_TEST_EXPECT_MSG_EQ(n->GetBuilding(), 1101, "building");
        NS_TEST_EXPECT_MSG_EQ(n->GetFlat(), 1201, "flat");
        NS_TEST_EXPECT_MSG_EQ(unsigned{n->GetTerminal()}, 2u, "terminal");
        NS_TEST_EXPECT_MSG_EQ(n->ToString(), "100-1101-1201-2", "canonical form");
        NS_TEST_EXPECT_MSG_EQ(n->ToDigits(), "100110112012", "SIP user part");
        auto household = plan.Parse("100110112010");
        NS_TEST_ASSERT_MSG_EQ(household.has_value(), true, "digits only");
        NS_TEST_EXPECT_MSG_EQ(household->IsHousehold(), true, "T = 0 is the household");
        NS_TEST_EXPECT_MSG_EQ((*household == n->GetHousehold()), true, "same flat");
        std::string error;
        NS_TEST_EXPECT_MSG_EQ(plan.Parse("200-1101-1201-2", &error).has_value(),
                              false,
                              "another plan's prefix");
        NS_TEST_EXPECT_MSG_NE(error, "", "the refusal says why");
        NS_TEST_EXPECT_MSG_EQ(plan.Parse("100-11a1-1201-2").has_value(), false, "non-digit");
    }
};

/// Address plan: the seed's first flat and the building hierarchy.
class AddressPlanTestCase : public TestCase
{
  public:
    AddressPlanTestCase()
        : TestCase("address plan: seed example and hierarchy")
    {
    }

  private:
    void DoRun() override
    {
        AddressPlan::Config c;
        c.buildings = 3;
        c.flatsPerBuilding = 100;
        c.terminalsPerFlat = 3;
        AddressPlan plan(c);
        NS_TEST_EXPECT_MSG_EQ(plan.GetFlatBlock(0, 0).ToString(), "10.0.0.0/29", "first block");
        NS_TEST_EXPECT_MSG_EQ(plan.GetGatewayLanAddress(0, 0), Ipv4Address("10.0.0.1"), "gw");
        NS_TEST_EXPECT_MSG_EQ(plan.GetTerminalAddress(0, 0, 3), Ipv4Address("10.0.0.4"), "T3");
        NS_TEST_EXPECT_MSG_EQ(plan.GetBuildingAggregate(2).ToString(), "10.2.0.0/16", "agg");
        NS_TEST_EXPECT_MSG_EQ(plan.GetFlatBlock(2, 99).ToString(), "10.2.3.24/29", "last flat");
        NS_TEST_EXPECT_MSG_EQ(plan.GetBackbone(1).ToString(), "10.1.240.0/20", "backbone");
        NS_TEST_EXPECT_MSG_EQ(plan.GetNatRouterPublicAddress(),
                              Ipv4Address("203.0.113.1"),
                              "public address");
    }
};

/// Block pool: lowest block first per building region, exhaustion, free and reuse.
class BlockPoolTestCase : public TestCase
{
  public:
    BlockPoolTestCase()
        : TestCase("address block pool: allot per region, exhaust")
    {
    }

  private:
    void DoRun() override
    {
        AddressBlockPool::Config c;
        c.buildings = 2;
        c.blocksPerBuilding = 2;
        AddressBlockPool pool(c);
        const Ipv4Address a("10.0.240.2");
        const Ipv4Address b("10.1.240.2");
        NS_TEST_EXPECT_MSG_EQ(pool.GetNBlocks(), 4u, "2 buildings x 2 blocks");
        auto first = pool.Allot(a, 0, Seconds(0), Seconds(60));
        NS_TEST_ASSERT_MSG_EQ(first.has_value(), true, "a block");
        NS_TEST_EXPECT_MSG_EQ(first->block.ToString(), "10.0.0.0/29", "seed 000 block");
        NS_TEST_EXPECT_MSG_EQ(first->expiry, Seconds(60), "lease");
        NS_TEST_EXPECT_MSG_EQ(pool.Allot(a, 0, Seconds(0), Seconds(60))->block.ToString(),
                              "10.0.0.8/29",
                              "next block of the region");
        NS_TEST_EXPECT_MSG_EQ(pool.Allot(a, 0, Seconds(0), Seconds(60)).has_value(),
                              false,
                              "building 0 is exhausted");
        NS_TEST_EXPECT_MSG_EQ(pool.Allot(b, 1, Seconds(0), Seconds(60))->block.ToString(),
                              "10.1.0.0/29",
                              "building 1 has its own region");
    }
};

/// NAT table: endpoint-independent mapping, inbound through it, unsolicited dropped.
class NatTableTestCase : public TestCase
{
  public:
    NatTableTestCase()
        : TestCase("NAT table: mapping, inbound, unsolicited")
    {
    }

  private:
    static NatFlow Udp(Ipv4Address src, uint16_t sport, Ipv4Address dst, uint16_t dport)
    {
        NatFlow f;
        f.protocol = 17;
        f.src = src;
        f.srcPort = sport;
        f.dst = dst;
        f.dstPort = dport;
        return f;
    }

    void DoRun() override
    {
        const Ipv4Address pub("203.0.113.1");
        const Ipv4Address host("10.0.0.2");
        const Ipv4Address server("198.51.100.10");
        NatTable::Config c;
        c.publicAddresses = {pub};
        NatTable t(c);
        NatResult out = t.TranslateOutbound(Udp(host, 5000, server, 3478), Seconds(1));
        NS_TEST_ASSERT_MSG_EQ(out.translate, true, "outbound translated");
        NS_TEST_EXPECT_MSG_EQ(out.address, pub, "public address");
        NS_TEST_EXPECT_MSG_EQ(out.port, 5000, "port preserved");
        NatResult in = t.TranslateInbound(Udp(server, 3478, pub, out.port), Seconds(2));
        NS_TEST_EXPECT_MSG_EQ(in.translate, true, "answer translated back");
        NS_TEST_EXPECT_MSG_EQ(in.address, host, "to the inside host");
        NatResult unsolicited = t.TranslateInbound(Udp(server, 3478, pub, 6000), Seconds(2));
        NS_TEST_EXPECT_MSG_EQ(unsolicited.IsDrop(), true, "no mapping, no entry");
        NS_TEST_EXPECT_MSG_EQ((unsolicited.reason == NatDropReason::UNSOLICITED),
                              true,
                              "counted as unsolicited");
    }
};

/// SIP message: parse a request, and a stable round trip.
class SipMessageTestCase : public TestCase
{
  public:
    SipMessageTestCase()
        : TestCase("SIP message: parse and round trip")
    {
    }

  private:
    void DoRun() override
    {
        const std::string invite =
            "INVITE sip:100110112010@10.1.0.1 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK776asdhds\r\n"
            "Max-Forwards: 70\r\n"
            "To: <sip:100110112010@10.1.0.1>\r\n"
            "From: \"Alice\" <sip:200000100011@198.51.100.10>;tag=1928301774\r\n"
            "Call-ID: a84b4c76e66710@198.51.100.10\r\n"
            "CSeq: 314159 INVITE\r\n"
            "Contact: <sip:200000100011@198.51.100.10:5060>\r\n"
            "Content-Type: application/sdp\r\n"
            "Content-Length: 4\r\n"
            "\r\n"
            "v=0\n";
        std::string error;
        auto m = SipMessage::Parse(invite, &error);
        NS_TEST_ASSERT_MSG_EQ(m.has_value(), true, error);
        NS_TEST_EXPECT_MSG_EQ(m->IsRequest(), true, "a request");
        NS_TEST_EXPECT_MSG_EQ(m->GetMethod(), "INVITE", "method");
        NS_TEST_EXPECT_MSG_EQ(m->GetTopBranch(), "z9hG4bK776asdhds", "branch");
        NS_TEST_EXPECT_MSG_EQ(m->GetCSeqNumber(), 314159u, "CSeq");
        NS_TEST_EXPECT_MSG_EQ(m->GetFromTag(), "1928301774", "From tag");
        NS_TEST_EXPECT_MSG_EQ(m->GetBody(), "v=0\n", "body");
        const std::string once = m->Serialize();
        auto again = SipMessage::Parse(once);
        NS_TEST_ASSERT_MSG_EQ(again.has_value(), true, "its own output parses");
        NS_TEST_EXPECT_MSG_EQ(again->Serialize(), once, "stable round trip");
        NS_TEST_EXPECT_MSG_EQ(SipMessage::Parse("INVITE\r\n\r\n").has_value(),
                              false,
                              "a malformed start line is refused");
    }
};

/// SDP: write an offer, read it back.
class SdpTestCase : public TestCase
{
  public:
    SdpTestCase()
        : TestCase("SDP: offer round trip")
    {
    }

  private:
    void DoRun() override
    {
        SessionDescription sd;
        sd.originUser = "100110112011";
        sd.sessionId = 42;
        sd.sessionVersion = 1;
        sd.originAddress = "10.1.0.2";
        sd.connectionAddress = "10.1.0.2";
        SdpMedia audio;
        audio.port = 16384;
        audio.formats = {0, 8};
        audio.ptimeMs = 20;
        sd.media.push_back(audio);
        const std::string text = sd.Serialize();
        NS_TEST_EXPECT_MSG_NE(text.find("m=audio 16384 RTP/AVP 0 8\r\n"),
                              std::string::npos,
                              "m= line");
        std::string error;
        auto parsed = SessionDescription::Parse(text, &error);
        NS_TEST_ASSERT_MSG_EQ(parsed.has_value(), true, error);
        NS_TEST_EXPECT_MSG_EQ(parsed->connectionAddress, "10.1.0.2", "c= address");
        NS_TEST_ASSERT_MSG_NE(parsed->FindMedia("audio"), nullptr, "audio section");
        NS_TEST_EXPECT_MSG_EQ(parsed->FindMedia("audio")->port, 16384, "audio port");
        NS_TEST_EXPECT_MSG_EQ(parsed->FindMedia("audio")->rtpmaps.at(8), "PCMA/8000", "rtpmap");
        NS_TEST_EXPECT_MSG_EQ(parsed->Serialize(), text, "stable round trip");
    }
};

/// DHCP lease table: one address, offered, bound, expired, offered again.
class DhcpLeaseTableTestCase : public TestCase
{
  public:
    DhcpLeaseTableTestCase()
        : TestCase("DHCP lease table: offer, bind, expire")
    {
    }

  private:
    void DoRun() override
    {
        DhcpLeaseTable t;
        t.AddBlock(Ipv4Prefix{Ipv4Address("10.0.0.0"), 30}, Seconds(600)); // one address: .2
        const Address a = Mac48Address("00:00:00:00:00:01");
        const Address b = Mac48Address("00:00:00:00:00:02");
        const DhcpLeaseTable::Binding* offer = t.Offer(a, Seconds(5));
        NS_TEST_ASSERT_MSG_NE(offer, nullptr, "an offer");
        NS_TEST_EXPECT_MSG_EQ(offer->address, Ipv4Address("10.0.0.2"), "the only address");
        NS_TEST_EXPECT_MSG_EQ(t.Bind(a, Ipv4Address("10.0.0.2"), Seconds(20)), true, "ACK");
        NS_TEST_EXPECT_MSG_EQ(t.Offer(b, Seconds(10)), nullptr, "nothing left for b");
        NS_TEST_EXPECT_MSG_EQ(t.Expire(Seconds(20)).size(), 1u, "a's lease runs out");
        offer = t.Offer(b, Seconds(25));
        NS_TEST_ASSERT_MSG_NE(offer, nullptr, "b gets the address now");
        NS_TEST_EXPECT_MSG_EQ(offer->address, Ipv4Address("10.0.0.2"), "the same address");
    }
};

class ApartmentVoipTestSuite : public TestSuite
{
  public:
    ApartmentVoipTestSuite()
        : TestSuite("apartment-voip")
    {
        // UNIT and QUICK are the defaults: their names moved (TestSuite::Type::UNIT,
        // TestCase::Duration::QUICK) in ns-3.42, so the module does not spell them.
        AddTestCase(new NumberingPlanTestCase);
        AddTestCase(new AddressPlanTestCase);
        AddTestCase(new BlockPoolTestCase);
        AddTestCase(new NatTableTestCase);
        AddTestCase(new SipMessageTestCase);
        AddTestCase(new SdpTestCase);
        AddTestCase(new DhcpLeaseTableTestCase);
    }
};

ApartmentVoipTestSuite g_apartmentVoipTestSuite; //!< registers the suite with ns-3

} // namespace
