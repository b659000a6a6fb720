/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/core-module.h"
#include "ns3/network-module.h"
#include "ns3/pcp-client.h"
#include "ns3/pcp-server.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

const Ipv4Address kGatekeeper("10.0.0.5");
const Ipv4Address kTerminal("10.1.2.3");
const Ipv4Address kOther("10.1.2.4");
const Ipv4Address kPublic("203.0.113.1");

/// Sends \p h through the wire format, as the server application does.
PcpHeader
OverTheWire(const PcpHeader& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    PcpHeader back;
    p->RemoveHeader(back);
    return back;
}

PcpClient::Mapping
MappingOf(Ipv4Address inside, uint16_t port, uint8_t seed = 1)
{
    PcpClient::Mapping m;
    for (uint8_t i = 0; i < 12; ++i)
    {
        m.nonce[i] = seed + i;
    }
    m.protocol = 17;
    m.internalAddress = inside;
    m.internalPort = port;
    return m;
}

class PcpServerTest : public ::testing::Test
{
  protected:
    PcpServerTest()
        : m_table(MakeConfig(NatMode::NAPT, {kPublic})),
          m_server(m_table, MakeServerConfig(), Seconds(0))
    {
    }

    static NatTable::Config MakeConfig(NatMode mode, std::vector<Ipv4Address> publics)
    {
        NatTable::Config c;
        c.mode = mode;
        c.publicAddresses = publics;
        c.mapping = NatBehaviour::ADDRESS_AND_PORT_DEPENDENT;
        c.filtering = NatBehaviour::ADDRESS_AND_PORT_DEPENDENT;
        return c;
    }

    static PcpServer::Config MakeServerConfig()
    {
        PcpServer::Config c;
        c.minLifetime = 60;
        c.maxLifetime = 3600;
        c.thirdPartyClients = {kGatekeeper};
        return c;
    }

    /// The gatekeeper asks, through the wire format, for a mapping of \p m.
    PcpServer::Outcome Ask(Ipv4Address source,
                           const PcpClient::Mapping& m,
                           uint32_t lifetime,
                           Time now = Seconds(1))
    {
        PcpClient client(source);
        return m_server.Handle(OverTheWire(client.MakeRequest(m, lifetime, m.internalPort)),
                               source,
                               now);
    }

    NatTable m_table;
    PcpServer m_server;
};

TEST_F(PcpServerTest, GatekeeperMapsATerminalAsThirdParty)
{
    auto m = MappingOf(kTerminal, 8000);
    auto o = Ask(kGatekeeper, m, 600);
    ASSERT_TRUE(o.response);
    EXPECT_EQ(o.result, PcpHeader::SUCCESS) << o.reason;
    auto answer = PcpClient::Match(m, OverTheWire(*o.response));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->result, PcpHeader::SUCCESS);
    EXPECT_EQ(answer->externalAddress, kPublic);
    EXPECT_EQ(answer->externalPort, 8000); // the suggestion was free
    EXPECT_EQ(answer->lifetime, 600u);
    auto mapping = m_table.FindMapping(17, kTerminal, 8000);
    ASSERT_TRUE(mapping);
    EXPECT_TRUE(mapping->isExplicit);
    // Open to any remote although the NAT filters address and port dependently, and the
    // terminal's own traffic to any remote uses it.
    NatFlow in{17, "198.51.100.7", 4000, kPublic, 8000};
    auto r = m_table.TranslateInbound(in, Seconds(2));
    EXPECT_TRUE(r.translate);
    EXPECT_EQ(r.address, kTerminal);
    EXPECT_EQ(r.port, 8000);
    NatFlow out{17, kTerminal, 8000, "198.51.100.9", 5000};
    auto o2 = m_table.TranslateOutbound(out, Seconds(2));
    EXPECT_EQ(o2.port, 8000);
    EXPECT_EQ(m_table.GetNMappings(), 1u);
    // A match needs the same nonce.
    EXPECT_FALSE(PcpClient::Match(MappingOf(kTerminal, 8000, 50), *o.response));
}

TEST_F(PcpServerTest, AClientMapsOnlyItsOwnAddress)
{
    // A terminal for itself: allowed.
    auto own = Ask(kTerminal, MappingOf(kTerminal, 9000), 600);
    EXPECT_EQ(own.result, PcpHeader::SUCCESS) << own.reason;
    // A terminal for another terminal (THIRD_PARTY): not authorised.
    auto foreign = Ask(kTerminal, MappingOf(kOther, 9000), 600);
    ASSERT_TRUE(foreign.response);
    EXPECT_EQ(foreign.result, PcpHeader::NOT_AUTHORIZED);
    EXPECT_EQ(OverTheWire(*foreign.response).GetResult(), PcpHeader::NOT_AUTHORIZED);
    EXPECT_FALSE(m_table.FindMapping(17, kOther, 9000));
    // A client address field that is not the packet's source: ADDRESS_MISMATCH.
    PcpClient liar(kOther);
    auto spoofed = m_server.Handle(OverTheWire(liar.MakeRequest(MappingOf(kOther, 9002), 600, 0)),
                                   kTerminal,
                                   Seconds(1));
    EXPECT_EQ(spoofed.result, PcpHeader::ADDRESS_MISMATCH);
    EXPECT_FALSE(m_table.FindMapping(17, kOther, 9002));
    EXPECT_EQ(m_server.GetRefusedCount(), 2u);
    EXPECT_EQ(m_server.GetRefusedCount(PcpHeader::NOT_AUTHORIZED), 1u);
    EXPECT_EQ(m_server.GetRefusedCount(PcpHeader::ADDRESS_MISMATCH), 1u);
    EXPECT_EQ(m_server.GetSuccessCount(), 1u);
}

TEST_F(PcpServerTest, AMappingBelongsToItsNonce)
{
    ASSERT_EQ(Ask(kGatekeeper, MappingOf(kTerminal, 8000, 1), 600).result, PcpHeader::SUCCESS);
    auto other = Ask(kGatekeeper, MappingOf(kTerminal, 8000, 77), 0);
    EXPECT_EQ(other.result, PcpHeader::NOT_AUTHORIZED);
    EXPECT_TRUE(m_table.FindMapping(17, kTerminal, 8000));
}

TEST_F(PcpServerTest, LifetimesAreClampedRefreshedAndZeroDeletes)
{
    auto m = MappingOf(kTerminal, 8000);
    EXPECT_EQ(Ask(kGatekeeper, m, 5).response->GetLifetime(), 60u);        // below min
    EXPECT_EQ(Ask(kGatekeeper, m, 100000).response->GetLifetime(), 3600u); // above max
    auto refresh = Ask(kGatekeeper, m, 600, Seconds(100));                 // refresh at 100 s
    EXPECT_EQ(refresh.response->GetExternalPort(), 8000);
    EXPECT_EQ(refresh.response->GetEpoch(), 100u);
    EXPECT_EQ(m_table.FindMapping(17, kTerminal, 8000)->expiry, Seconds(700));
    EXPECT_EQ(m_table.GetNMappings(), 1u);
    auto del = Ask(kGatekeeper, m, 0, Seconds(200));
    EXPECT_EQ(del.result, PcpHeader::SUCCESS);
    EXPECT_EQ(del.response->GetLifetime(), 0u);
    EXPECT_TRUE(del.changed);
    EXPECT_EQ(m_table.GetNMappings(), 0u);
    // Deleting what is not there succeeds (RFC 6887 §15) and changes nothing.
    auto again = Ask(kGatekeeper, m, 0, Seconds(201));
    EXPECT_EQ(again.result, PcpHeader::SUCCESS);
    EXPECT_FALSE(again.changed);
}

TEST_F(PcpServerTest, MappingExpiresAfterItsLifetimeWhateverTheTraffic)
{
    auto m = MappingOf(kTerminal, 8000);
    ASSERT_EQ(Ask(kGatekeeper, m, 120, Seconds(10)).result, PcpHeader::SUCCESS);
    // Traffic does not stretch a PCP lifetime.
    NatFlow out{17, kTerminal, 8000, "198.51.100.9", 5000};
    m_table.TranslateOutbound(out, Seconds(100));
    EXPECT_EQ(m_table.GetNextExpiry(), std::optional<Time>(Seconds(130)));
    EXPECT_TRUE(m_table.Expire(Seconds(129.9)).empty());
    auto gone = m_table.Expire(Seconds(130));
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_TRUE(gone[0].isExplicit);
    NatFlow in{17, "198.51.100.7", 4000, kPublic, 8000};
    EXPECT_EQ(m_table.TranslateInbound(in, Seconds(131)).reason, NatDropReason::UNSOLICITED);
    // Another nonce may map the endpoint once the old mapping has gone.
    EXPECT_EQ(Ask(kGatekeeper, MappingOf(kTerminal, 8000, 9), 120, Seconds(140)).result,
              PcpHeader::SUCCESS);
}

TEST_F(PcpServerTest, SuggestedPortTakenGetsAnotherPort)
{
    ASSERT_EQ(Ask(kGatekeeper, MappingOf(kTerminal, 8000), 600).result, PcpHeader::SUCCESS);
    auto second = Ask(kGatekeeper, MappingOf(kOther, 8000), 600);
    ASSERT_EQ(second.result, PcpHeader::SUCCESS);
    EXPECT_NE(second.response->GetExternalPort(), 8000);
    EXPECT_EQ(second.response->GetExternalAddress(), std::optional<Ipv4Address>(kPublic));
}

TEST(PcpServerPoolTest, NoResourcesWhenThePoolIsEmptyAndBackAfterRelease)
{
    NatTable::Config c;
    c.mode = NatMode::POOL;
    c.publicAddresses = {Ipv4Address("203.0.113.10")};
    NatTable table(c);
    PcpServer::Config sc;
    sc.thirdPartyClients = {kGatekeeper};
    PcpServer server(table, sc, Seconds(0));
    PcpClient gk(kGatekeeper);
    auto first = MappingOf(kTerminal, 8000);
    auto r1 = server.Handle(OverTheWire(gk.MakeRequest(first, 600, 0)), kGatekeeper, Seconds(1));
    ASSERT_EQ(r1.result, PcpHeader::SUCCESS);
    EXPECT_EQ(r1.response->GetExternalAddress(), std::optional<Ipv4Address>("203.0.113.10"));
    EXPECT_EQ(r1.response->GetExternalPort(), 8000); // basic NAT keeps the port
    // The same host's second port shares its pool address.
    auto r2 = server.Handle(OverTheWire(gk.MakeRequest(MappingOf(kTerminal, 5060), 600, 0)),
                            kGatekeeper,
                            Seconds(1));
    EXPECT_EQ(r2.result, PcpHeader::SUCCESS);
    auto r3 = server.Handle(OverTheWire(gk.MakeRequest(MappingOf(kOther, 8000), 600, 0)),
                            kGatekeeper,
                            Seconds(1));
    EXPECT_EQ(r3.result, PcpHeader::NO_RESOURCES);
    EXPECT_EQ(server.GetRefusedCount(PcpHeader::NO_RESOURCES), 1u);
    server.Handle(OverTheWire(gk.MakeRequest(first, 0, 0)), kGatekeeper, Seconds(2));
    server.Handle(OverTheWire(gk.MakeRequest(MappingOf(kTerminal, 5060), 0, 0)),
                  kGatekeeper,
                  Seconds(2));
    auto r4 = server.Handle(OverTheWire(gk.MakeRequest(MappingOf(kOther, 8000), 600, 0)),
                            kGatekeeper,
                            Seconds(3));
    EXPECT_EQ(r4.result, PcpHeader::SUCCESS);
}

TEST_F(PcpServerTest, MalformedAndUnsupportedRequestsAreAnsweredOrDropped)
{
    PcpClient gk(kGatekeeper);
    auto request = gk.MakeRequest(MappingOf(kTerminal, 8000), 600, 0);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(request);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    auto handle = [this](std::vector<uint8_t> b) {
        Ptr<Packet> q = Create<Packet>(b.data(), b.size());
        PcpHeader h;
        q->RemoveHeader(h);
        return m_server.Handle(h, kGatekeeper, Seconds(1));
    };
    // Silently dropped: 1 byte, not whole words, a response.
    EXPECT_FALSE(handle({2}).response);
    EXPECT_FALSE(handle(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 30)).response);
    auto response = bytes;
    response[1] |= 0x80;
    EXPECT_FALSE(handle(response).response);
    EXPECT_EQ(m_server.GetDroppedCount(), 3u);
    // Answered with an error code.
    auto v1 = bytes;
    v1[0] = 1;
    EXPECT_EQ(handle(v1).result, PcpHeader::UNSUPP_VERSION);
    auto peer = bytes;
    peer[1] = PcpHeader::PEER;
    EXPECT_EQ(handle(peer).result, PcpHeader::UNSUPP_OPCODE);
    auto truncated = std::vector<uint8_t>(bytes.begin(), bytes.begin() + 40);
    EXPECT_EQ(handle(truncated).result, PcpHeader::MALFORMED_REQUEST);
    auto badOption = bytes;
    badOption[63] = 8; // THIRD_PARTY of 8 bytes (an IPv4 address is 16 as IPv4-mapped)
    badOption.resize(bytes.size() - 8);
    EXPECT_EQ(handle(badOption).result, PcpHeader::MALFORMED_OPTION);
    PcpHeader withFilter = request;
    withFilter.AddRawOption(PcpHeader::FILTER, std::vector<uint8_t>(20, 0));
    EXPECT_EQ(m_server.Handle(OverTheWire(withFilter), kGatekeeper, Seconds(1)).result,
              PcpHeader::UNSUPP_OPTION);
    auto icmp = MappingOf(kTerminal, 8000);
    icmp.protocol = 1;
    EXPECT_EQ(Ask(kGatekeeper, icmp, 600).result, PcpHeader::UNSUPP_PROTOCOL);
    EXPECT_EQ(Ask(kGatekeeper, MappingOf(kTerminal, 0), 600).result, PcpHeader::MALFORMED_REQUEST);
    EXPECT_EQ(m_server.GetRefusedCount(), 7u);
    EXPECT_EQ(m_table.GetNMappings(), 0u);
    EXPECT_EQ(m_server.GetSuccessCount(), 0u);
}

TEST(PcpClientTest, RetransmitsAsRfc6887Says)
{
    EXPECT_EQ(PcpClient::RetransmissionTimeout(0), Seconds(3));
    EXPECT_EQ(PcpClient::RetransmissionTimeout(1), Seconds(6));
    EXPECT_EQ(PcpClient::RetransmissionTimeout(20), Seconds(1024));
    EXPECT_FALSE(PcpServer::Validate(PcpServer::Config{}).size());
    PcpServer::Config bad;
    bad.minLifetime = 10;
    bad.maxLifetime = 5;
    EXPECT_NE(PcpServer::Validate(bad).find("min <= max"), std::string::npos);
}

} // namespace
