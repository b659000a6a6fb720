/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-loop-detector.h"
#include "ns3/sip-message.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

// A request as the proxy 10.0.0.1:5060 received it from a phone.
const std::string kReceived = "INVITE sip:200@10.0.0.1 SIP/2.0\r\n"
                              "Via: SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bKphone1\r\n"
                              "Max-Forwards: 70\r\n"
                              "From: <sip:100@10.0.0.7>;tag=f1\r\n"
                              "To: <sip:200@10.0.0.1>\r\n"
                              "Call-ID: c1@10.0.0.7\r\n"
                              "CSeq: 1 INVITE\r\n"
                              "Content-Length: 0\r\n\r\n";

bool
IsProxy(const SipVia& via)
{
    return via.host == "10.0.0.1" && (via.port == 5060 || via.port == 0);
}

/// \p received as the proxy forwards it, then back to the proxy through an
/// element at 10.0.0.9 that sets the Request-URI to \p backUri.
SipMessage
ComesBack(const SipMessage& received, const std::string& backUri, const std::string& suffix)
{
    SipMessage out = received;
    out.PrependHeader("Via",
                      "SIP/2.0/UDP 10.0.0.1:5060;branch=" +
                          SipLoopDetector::MakeBranch(received, suffix));
    out.SetRequestUri(backUri);
    out.PrependHeader("Via", "SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKother");
    return out;
}

TEST(SipLoopDetectorTest, BranchIsStableAndCarriesTheMagicCookie)
{
    auto m = SipMessage::Parse(kReceived);
    ASSERT_TRUE(m);
    std::string b = SipLoopDetector::MakeBranch(*m, "0");
    EXPECT_EQ(b.rfind("z9hG4bK", 0), 0u);
    EXPECT_EQ(b, SipLoopDetector::MakeBranch(*m, "0")); // a retransmission: the same
    EXPECT_NE(b, SipLoopDetector::MakeBranch(*m, "1")); // another fork: another branch
}

TEST(SipLoopDetectorTest, ARequestThatComesBackUnchangedLooped)
{
    auto m = SipMessage::Parse(kReceived);
    ASSERT_TRUE(m);
    EXPECT_FALSE(SipLoopDetector::IsLooped(*m, IsProxy)); // first time here
    EXPECT_TRUE(SipLoopDetector::IsLooped(ComesBack(*m, "sip:200@10.0.0.1", "0"), IsProxy));
    EXPECT_TRUE(SipLoopDetector::IsLooped(ComesBack(*m, "sip:200@10.0.0.1", "s"), IsProxy));
}

TEST(SipLoopDetectorTest, ANewRequestUriIsASpiralNotALoop)
{
    auto m = SipMessage::Parse(kReceived);
    ASSERT_TRUE(m);
    EXPECT_FALSE(SipLoopDetector::IsLooped(ComesBack(*m, "sip:201@10.0.0.1", "0"), IsProxy));
}

TEST(SipLoopDetectorTest, AnotherCSeqCallIdOrSenderIsNotTheSameRequest)
{
    auto m = SipMessage::Parse(kReceived);
    ASSERT_TRUE(m);
    auto back = ComesBack(*m, "sip:200@10.0.0.1", "0");
    auto cseq = back;
    cseq.SetHeader("CSeq", "2 INVITE");
    EXPECT_FALSE(SipLoopDetector::IsLooped(cseq, IsProxy));
    auto callId = back;
    callId.SetHeader("Call-ID", "c2@10.0.0.7");
    EXPECT_FALSE(SipLoopDetector::IsLooped(callId, IsProxy));
    // Proxy-Require is part of the request as the proxy saw it (§16.6 item 8).
    auto required = back;
    required.AddHeader("Proxy-Require", "foo");
    EXPECT_FALSE(SipLoopDetector::IsLooped(required, IsProxy));
    // Max-Forwards changes on every hop and is not.
    auto hops = back;
    hops.SetHeader("Max-Forwards", "12");
    EXPECT_TRUE(SipLoopDetector::IsLooped(hops, IsProxy));
}

TEST(SipLoopDetectorTest, OnlyOwnViasWithAHashCount)
{
    auto m = SipMessage::Parse(kReceived);
    ASSERT_TRUE(m);
    auto back = ComesBack(*m, "sip:200@10.0.0.1", "0");
    // Another proxy at the same address but another port is another element.
    EXPECT_FALSE(SipLoopDetector::IsLooped(back, [](const SipVia& via) {
        return via.host == "10.0.0.1" && via.port == 5070;
    }));
    // Our Via with a branch that has no hash (e.g. made by an older version): no loop.
    SipMessage plain = *m;
    plain.PrependHeader("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKrandom");
    plain.PrependHeader("Via", "SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKother");
    EXPECT_FALSE(SipLoopDetector::IsLooped(plain, IsProxy));
    // LWS around the separators of the Via below ours does not hide the loop.
    auto vias = back.GetHeaders("Via");
    ASSERT_EQ(vias.size(), 3u);
    SipMessage spaced = back;
    spaced.RemoveHeaders("Via");
    spaced.AddHeader("Via", vias[0]);
    spaced.AddHeader("Via", vias[1]);
    spaced.AddHeader("Via", "SIP / 2.0 / UDP 10.0.0.7:5060 ; branch = z9hG4bKphone1");
    EXPECT_TRUE(SipLoopDetector::IsLooped(spaced, IsProxy));
}

} // namespace
