/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// SIP and SDP exactly as real software sent them to the simulated complex in emulation
// (tools/emulation/sipp-calls.sh --proxy=kamailio --nat=napt; sipp 3.6.1 and Kamailio
// 5.6.3 from Debian bookworm). The module's parsers must read them as those programs meant.

#include "ns3/sdp.h"
#include "ns3/sip-message.h"

#include <gtest/gtest.h>

using namespace ns3::apartment;

namespace
{

/// sipp (tools/emulation/uac.xml) calls a household number through Kamailio. Note the
/// padded Content-Length and the two payload types.
const char* kSippInvite =
    "INVITE sip:100110112010@198.18.0.2:5070 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 198.18.0.2:5060;branch=z9hG4bK-12028-1-0\r\n"
    "From: \"300000000009\" <sip:300000000009@198.18.0.2:5060>;tag=12028SIPpTag001\r\n"
    "To: <sip:100110112010@198.18.0.2:5070>\r\n"
    "Call-ID: 1-12028@198.18.0.2\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:300000000009@198.18.0.2:5060>\r\n"
    "Max-Forwards: 70\r\n"
    "User-Agent: sipp apartment-voip emulation\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length:   163\r\n"
    "\r\n"
    "v=0\r\n"
    "o=- 53655765 2353687637 IN IP4 198.18.0.2\r\n"
    "s=-\r\n"
    "c=IN IP4 198.18.0.2\r\n"
    "t=0 0\r\n"
    "m=audio 6000 RTP/AVP 0 8\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=ptime:20\r\n";

/// Kamailio's 100 Trying: a reason phrase with spaces and punctuation, a Server header.
const char* kKamailioTrying =
    "SIP/2.0 100 trying -- your call is important to us\r\n"
    "Via: SIP/2.0/UDP 198.18.0.2:5060;branch=z9hG4bK-12028-1-0\r\n"
    "From: \"300000000009\" <sip:300000000009@198.18.0.2:5060>;tag=12028SIPpTag001\r\n"
    "To: <sip:100110112010@198.18.0.2:5070>\r\n"
    "Call-ID: 1-12028@198.18.0.2\r\n"
    "CSeq: 1 INVITE\r\n"
    "Server: kamailio (5.6.3 (x86_64/linux))\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/// A terminal's INVITE as Kamailio forwarded it to the far phone: Kamailio's Record-Route
/// (lr=on, ftag) above the Vias, the complex's Record-Routes below, a branch with dots.
const char* kKamailioForwardedInvite =
    "INVITE sip:300000000001@198.18.0.2:5070 SIP/2.0\r\n"
    "Record-Route: <sip:198.18.0.2:5070;lr=on;ftag=16x4>\r\n"
    "Via: SIP/2.0/UDP 198.18.0.2:5070;branch=z9hG4bKd565.8a784156a69299129f27a0c2e1bffcb3.0\r\n"
    "Via: SIP/2.0/UDP 203.0.113.2:5060;branch=z9hG4bK6x8\r\n"
    "Via: SIP/2.0/UDP 10.0.240.3:5060;branch=z9hG4bK13x1\r\n"
    "Via: SIP/2.0/UDP 10.0.0.12:5060;branch=z9hG4bK16x3\r\n"
    "Max-Forwards: 67\r\n"
    "From: \"100-1101-1202-3\" <sip:100110112023@10.0.0.12>;tag=16x4\r\n"
    "To: <sip:300000000001@10.0.0.9>\r\n"
    "Call-ID: 16x2@10.0.0.12\r\n"
    "CSeq: 1 INVITE\r\n"
    "Allow: INVITE\r\n"
    "Allow: ACK\r\n"
    "Allow: CANCEL\r\n"
    "Allow: BYE\r\n"
    "Allow: OPTIONS\r\n"
    "User-Agent: ns-3 apartment-voip terminal\r\n"
    "Content-Type: application/sdp\r\n"
    "Record-Route: <sip:203.0.113.2:5060;lr>\r\n"
    "Record-Route: <sip:192.168.0.2:5060;lr>\r\n"
    "Record-Route: <sip:10.0.240.3:5060;lr>\r\n"
    "Record-Route: <sip:10.0.0.9:5060;lr>\r\n"
    "P-Asserted-Identity: <sip:100110112023@10.0.0.12>\r\n"
    "Contact: <sip:100110112023@203.0.113.1:1024>\r\n"
    "Content-Length: 155\r\n"
    "\r\n"
    "v=0\r\n"
    "o=100110112023 32384 1 IN IP4 203.0.113.1\r\n"
    "s=call\r\n"
    "c=IN IP4 203.0.113.1\r\n"
    "t=0 0\r\n"
    "m=audio 1025 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

TEST(RealSipTextTest, SippInviteAndItsOffer)
{
    std::string error;
    auto m = SipMessage::Parse(kSippInvite, &error);
    ASSERT_TRUE(m.has_value()) << error;
    EXPECT_EQ(m->GetMethod(), "INVITE");
    auto uri = SipUri::Parse(m->GetRequestUri());
    ASSERT_TRUE(uri.has_value());
    EXPECT_EQ(uri->user, "100110112010");
    EXPECT_EQ(m->GetFromTag(), "12028SIPpTag001");
    EXPECT_EQ(m->GetTopBranch(), "z9hG4bK-12028-1-0");
    EXPECT_EQ(m->GetCSeqNumber(), 1u);
    auto sdp = SessionDescription::Parse(m->GetBody(), &error);
    ASSERT_TRUE(sdp.has_value()) << error;
    EXPECT_EQ(sdp->connectionAddress, "198.18.0.2");
    const SdpMedia* audio = sdp->FindMedia("audio");
    ASSERT_NE(audio, nullptr);
    EXPECT_EQ(audio->port, 6000);
    EXPECT_EQ(audio->formats, (std::vector<uint8_t>{0, 8}));
    EXPECT_EQ(audio->ptimeMs, 20u);
    // The phones send PCMU (0) only: the answer picks sipp's first.
    EXPECT_EQ(ChoosePayloadType(*audio, {0}), std::optional<uint8_t>(0));
    EXPECT_EQ(ChoosePayloadType(*audio, {8}), std::optional<uint8_t>(8));
}

TEST(RealSipTextTest, KamailioTrying)
{
    std::string error;
    auto m = SipMessage::Parse(kKamailioTrying, &error);
    ASSERT_TRUE(m.has_value()) << error;
    EXPECT_TRUE(m->IsResponse());
    EXPECT_EQ(m->GetStatusCode(), 100);
    EXPECT_EQ(m->GetReason(), "trying -- your call is important to us");
    EXPECT_EQ(m->GetCSeqMethod(), "INVITE");
}

TEST(RealSipTextTest, KamailioForwardedInvite)
{
    std::string error;
    auto m = SipMessage::Parse(kKamailioForwardedInvite, &error);
    ASSERT_TRUE(m.has_value()) << error;
    EXPECT_EQ(m->GetTopBranch(), "z9hG4bKd565.8a784156a69299129f27a0c2e1bffcb3.0");
    auto via = m->GetTopVia();
    ASSERT_TRUE(via.has_value());
    EXPECT_EQ(via->host, "198.18.0.2");
    EXPECT_EQ(via->port, 5070);
    EXPECT_EQ(m->GetHeaders("Via").size(), 4u);
    // Record-Route in two groups, Kamailio's first: the route set keeps the order.
    auto rr = m->GetHeaders("Record-Route");
    ASSERT_EQ(rr.size(), 5u);
    EXPECT_EQ(rr.front(), "<sip:198.18.0.2:5070;lr=on;ftag=16x4>");
    EXPECT_EQ(rr.back(), "<sip:10.0.0.9:5060;lr>");
    auto first = SipNameAddr::Parse(rr.front());
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->uri.host, "198.18.0.2");
    EXPECT_EQ(first->uri.port, 5070);
    EXPECT_EQ(m->GetHeaders("Allow").size(), 5u);
}

} // namespace
