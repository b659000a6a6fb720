/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/packet.h"
#include "ns3/rtp-session.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// Feeds \p seqs to a receiver as G.711 packets 20 ms apart with matching timestamps.
RtpSession
ReceiveAll(const std::vector<uint16_t>& seqs)
{
    RtpSession s;
    for (std::size_t i = 0; i < seqs.size(); ++i)
    {
        s.Receive(seqs[i], seqs[i] * 160u, MilliSeconds(20 * i), 8000, MilliSeconds(5));
    }
    return s;
}

TEST(RtpSessionTest, SenderNumbersStampsAndWraps)
{
    RtpSession s;
    s.StartSending(0x1234, 65534, 1000);
    auto a = s.NextHeader(0, 160, true);
    auto b = s.NextHeader(0, 160, false);
    auto c = s.NextHeader(8, 160, false);
    EXPECT_EQ(a.GetSequence(), 65534);
    EXPECT_EQ(b.GetSequence(), 65535);
    EXPECT_EQ(c.GetSequence(), 0); // 16-bit wrap-around
    EXPECT_EQ(a.GetTimestamp(), 1000u);
    EXPECT_EQ(c.GetTimestamp(), 1320u);
    EXPECT_TRUE(a.GetMarker());
    EXPECT_FALSE(b.GetMarker());
    EXPECT_EQ(c.GetPayloadType(), 8);
    EXPECT_EQ(c.GetSsrc(), 0x1234u);
    EXPECT_EQ(s.GetSent(), 3u);
}

TEST(RtpSessionTest, NothingReceived)
{
    RtpSession s;
    EXPECT_EQ(s.GetExpected(), 0u);
    EXPECT_EQ(s.GetLost(), 0);
    EXPECT_EQ(s.GetJitterMs(), 0.0);
    EXPECT_EQ(s.GetMeanDelayMs(), 0.0);
}

// 65533 .. 65535, 0 .. 2 with 65535 and 1 lost: the extended highest sequence passes
// 65535 -> 0 (one cycle), expected 6, lost 2 (RFC 3550 A.1, A.3).
TEST(RtpSessionTest, WrapAroundExtendsTheHighestSequence)
{
    auto s = ReceiveAll({65533, 65534, 0, 2});
    EXPECT_EQ(s.GetExtendedHighest(), 65536u + 2u);
    EXPECT_EQ(s.GetExpected(), 6u);
    EXPECT_EQ(s.GetReceived(), 4u);
    EXPECT_EQ(s.GetLost(), 2);
}

// A packet from before the wrap arriving after it (reordered) counts as received and moves
// nothing back; a late packet fills its gap.
TEST(RtpSessionTest, ReorderingAcrossTheWrap)
{
    auto s = ReceiveAll({65534, 0, 65535, 1});
    EXPECT_EQ(s.GetExtendedHighest(), 65537u);
    EXPECT_EQ(s.GetExpected(), 4u);
    EXPECT_EQ(s.GetLost(), 0);
    auto t = ReceiveAll({10, 12, 11, 13});
    EXPECT_EQ(t.GetExpected(), 4u);
    EXPECT_EQ(t.GetLost(), 0);
}

// Duplicates count as received (RFC 3550 A.3): lost can go negative.
TEST(RtpSessionTest, DuplicatesMakeLossNegative)
{
    auto s = ReceiveAll({100, 101, 101, 102});
    EXPECT_EQ(s.GetExpected(), 3u);
    EXPECT_EQ(s.GetLost(), -1);
}

// Several cycles: 3 x 65536 packets in order, 1 in 1000 dropped.
TEST(RtpSessionTest, ManyCycles)
{
    RtpSession s;
    uint16_t seq = 40000;
    uint64_t kept = 0;
    for (uint32_t i = 0; i < 3 * 65536u; ++i, ++seq)
    {
        if (i % 1000 != 999)
        {
            s.Receive(seq, i * 160u, MicroSeconds(20000ULL * i), 8000);
            ++kept;
        }
    }
    EXPECT_EQ(s.GetExtendedHighest(), 3 * 65536u + 40000u - 1); // the last one was kept
    EXPECT_EQ(s.GetExpected(), 3 * 65536u);
    EXPECT_EQ(s.GetReceived(), kept);
    EXPECT_EQ(s.GetLost(), static_cast<int64_t>(3 * 65536u - kept));
}

// Jitter (A.8): constant transit gives 0; transit alternating by 1 ms (8 timestamp units)
// makes J approach 8 units = 1 ms: after n packets J = 8 (1 - (15/16)^(n-1)).
TEST(RtpSessionTest, InterarrivalJitter)
{
    RtpSession flat;
    RtpSession alternating;
    for (uint32_t i = 0; i < 200; ++i)
    {
        flat.Receive(i, i * 160, MilliSeconds(20 * i + 7), 8000);
        alternating.Receive(i, i * 160, MilliSeconds(20 * i + (i % 2)), 8000);
    }
    EXPECT_NEAR(flat.GetJitterMs(), 0.0, 1e-12);
    EXPECT_NEAR(alternating.GetJitterMs(), 1.0 * (1 - std::pow(15.0 / 16.0, 199)), 1e-9);
    // Video clock: 90 kHz, 3600 units per 40 ms frame, one frame 2 ms late once.
    RtpSession video;
    video.Receive(0, 0, MilliSeconds(0), 90000);
    video.Receive(1, 3600, MilliSeconds(42), 90000);
    EXPECT_NEAR(video.GetJitterMs(), 2.0 / 16, 1e-9);
}

TEST(RtpSessionTest, MeanDelayOverReceived)
{
    RtpSession s;
    s.Receive(1, 160, MilliSeconds(20), 8000, MilliSeconds(10));
    s.Receive(2, 320, MilliSeconds(40), 8000, MilliSeconds(30));
    EXPECT_DOUBLE_EQ(s.GetMeanDelayMs(), 20.0);
}

} // namespace

namespace
{

/// The RTP headers of the first three packets of sipp's g711a.pcap (Debian sip-tester,
/// /usr/share/sip-tester/g711a.pcap): PCMA, marker on the first, sequence 0xe6fd..,
/// timestamps 240 apart (30 ms), SSRC 0xdee0ee8f.
const std::vector<std::vector<uint8_t>> kSippPcapHeaders{
    {0x80, 0x88, 0xe6, 0xfd, 0x00, 0x00, 0x00, 0xf0, 0xde, 0xe0, 0xee, 0x8f},
    {0x80, 0x08, 0xe6, 0xfe, 0x00, 0x00, 0x01, 0xe0, 0xde, 0xe0, 0xee, 0x8f},
    {0x80, 0x08, 0xe6, 0xff, 0x00, 0x00, 0x02, 0xd0, 0xde, 0xe0, 0xee, 0x8f},
};

RtpHeader
Parse(const std::vector<uint8_t>& bytes)
{
    Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
    RtpHeader h;
    p->RemoveHeader(h);
    return h;
}

} // namespace

// Found with sipp against apartment-emulation: sipp played g711a.pcap and at the same time
// echoed the phone's own stream back (-rtp_echo). The phone measured both sources as one
// stream: 335 packets "received" of 202 sent, sequence-number loss and jitter mixed from two
// unrelated sequences. Now the first source is measured and the other is counted apart.
TEST(RtpSessionTest, SecondSourceIsCountedApart)
{
    RtpSession echo; // the phone's own stream, as sipp -rtp_echo returns it
    echo.StartSending(0x1234, 100, 0);
    RtpSession rx;
    for (std::size_t i = 0; i < kSippPcapHeaders.size(); ++i)
    {
        RtpHeader played = Parse(kSippPcapHeaders[i]);
        ASSERT_TRUE(played.IsValid());
        EXPECT_EQ(played.GetSsrc(), 0xdee0ee8fu);
        EXPECT_EQ(played.GetPayloadType(), 8);
        if (rx.AcceptSource(played.GetSsrc()))
        {
            rx.Receive(played.GetSequence(), played.GetTimestamp(), MilliSeconds(30 * i), 8000);
        }
        RtpHeader echoed = echo.NextHeader(0, 160, i == 0);
        if (rx.AcceptSource(echoed.GetSsrc()))
        {
            rx.Receive(echoed.GetSequence(), echoed.GetTimestamp(), MilliSeconds(30 * i), 8000);
        }
    }
    EXPECT_EQ(rx.GetReceived(), 3u);
    EXPECT_EQ(rx.GetExpected(), 3u);
    EXPECT_EQ(rx.GetLost(), 0);
    EXPECT_EQ(rx.GetOtherSourceCount(), 3u);
    EXPECT_DOUBLE_EQ(rx.GetJitterMs(), 0.0); // 30 ms apart, 240 samples apart
}

TEST(RtpSessionTest, FirstSourceIsKept)
{
    RtpSession rx;
    EXPECT_EQ(rx.GetOtherSourceCount(), 0u);
    EXPECT_TRUE(rx.AcceptSource(7));
    EXPECT_FALSE(rx.AcceptSource(8));
    EXPECT_TRUE(rx.AcceptSource(7));
    EXPECT_FALSE(rx.AcceptSource(0));
    EXPECT_EQ(rx.GetOtherSourceCount(), 2u);
}
