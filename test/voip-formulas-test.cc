/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/call-metrics.h"
#include "ns3/e-model.h"
#include "ns3/jitter-estimator.h"
#include "ns3/packet.h"
#include "ns3/rtp-header.h"
#include "ns3/sip-header.h"
#include "ns3/sip-transaction.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

TEST(EModelTest, ReferencePoints)
{
    // d = 0, no loss: R = 93.2, MOS = 1 + 3.262 + 7e-6*93.2*33.2*6.8 = 4.4093.
    EXPECT_NEAR(EModel::RFactor(0, 0), 93.2, 1e-9);
    EXPECT_NEAR(EModel::Mos(93.2), 4.4093, 1e-4);
    // d = 150 ms, 1 % loss: Id = 3.6, Ie,eff = 95 / 26.1 = 3.6398 -> R = 85.9602.
    EXPECT_NEAR(EModel::DelayImpairment(150), 3.6, 1e-9);
    EXPECT_NEAR(EModel::EffectiveEquipmentImpairment(1, 0, 25.1), 95.0 / 26.1, 1e-9);
    EXPECT_NEAR(EModel::RFactor(150, 1), 85.96, 0.01);
    // Beyond 177.3 ms the second term counts: d = 277.3 -> Id = 6.6552 + 11 = 17.6552.
    EXPECT_NEAR(EModel::DelayImpairment(277.3), 17.6552, 1e-4);
    // G.729-like codec: Ie = 10, Bpl = 19, 2 % loss: Ie,eff = 10 + 85*2/21.
    EXPECT_NEAR(EModel::EffectiveEquipmentImpairment(2, 10, 19), 10 + 170.0 / 21, 1e-9);
    EXPECT_DOUBLE_EQ(EModel::Mos(-5), 1.0);
    EXPECT_DOUBLE_EQ(EModel::Mos(120), 4.5);
    EXPECT_DOUBLE_EQ(EModel::Mos(0), 1.0);
    EXPECT_DOUBLE_EQ(EModel::Mos(100), 4.5);
}

TEST(EModelTest, MosMatchesG107ReferenceValues)
{
    // ITU-T G.107 Annex B (R to MOS), as tabulated in G.107/G.109: R 93.2 -> 4.41,
    // 90 -> 4.34, 80 -> 4.03, 70 -> 3.60, 60 -> 3.10, 50 -> 2.58 (two decimals).
    const std::pair<double, double> reference[] =
        {{93.2, 4.41}, {90, 4.34}, {80, 4.03}, {70, 3.60}, {60, 3.10}, {50, 2.58}};
    for (const auto& [r, mos] : reference)
    {
        EXPECT_NEAR(EModel::Mos(r), mos, 0.01) << "R = " << r; // the table is rounded
    }
    EXPECT_GE(EModel::RFactor(2000, 100), 0.0);
}

TEST(JitterTest, Rfc3550Estimator)
{
    JitterEstimator j;
    // Packets every 160 timestamp units; arrivals 160 apart except one 80 units late.
    j.Update(1000, 0);
    j.Update(1160, 160);
    EXPECT_DOUBLE_EQ(j.GetJitter(), 0.0);
    j.Update(1400, 320); // D = 80
    EXPECT_DOUBLE_EQ(j.GetJitter(), 5.0);
    j.Update(1480, 480); // D = 80 again (back on time)
    EXPECT_DOUBLE_EQ(j.GetJitter(), 5.0 + (80.0 - 5.0) / 16.0);
    j.Update(1640, 640); // D = 0
    EXPECT_DOUBLE_EQ(j.GetJitter(), 9.6875 - 9.6875 / 16.0);
}

TEST(JitterTest, TimestampWrapIsNotJitter)
{
    // A random initial timestamp (RFC 3550 §5.1) may wrap during a call: the same evenly
    // spaced stream must give the same jitter on both sides of the wrap.
    JitterEstimator wrapping;
    JitterEstimator plain;
    const uint32_t start = 0xFFFFFFFFu - 2 * 160 + 1; // wraps after the second packet
    const double arrivals[] = {1000, 1160, 1400, 1480, 1640};
    for (uint32_t i = 0; i < 5; ++i)
    {
        wrapping.Update(arrivals[i], start + i * 160); // unsigned: wraps modulo 2^32
        plain.Update(arrivals[i], i * 160);
    }
    EXPECT_DOUBLE_EQ(wrapping.GetJitter(), plain.GetJitter());
    EXPECT_DOUBLE_EQ(plain.GetJitter(), 9.6875 - 9.6875 / 16.0);
}

TEST(CallMetricsTest, RatiosFollowRfc6076)
{
    std::vector<CallRecord> records;
    for (uint16_t code : {200, 200, 486, 404, 408, 503, 487})
    {
        CallRecord r;
        r.originating = true;
        r.finalCode = code;
        records.push_back(r);
    }
    CallRecord callee; // terminating records are not attempts
    callee.finalCode = 200;
    records.push_back(callee);
    auto ratios = SessionRatios::Compute(records);
    EXPECT_EQ(ratios.attempts, 6u); // the cancelled call is left out
    EXPECT_NEAR(ratios.ser, 100.0 * 2 / 6, 1e-9);
    EXPECT_NEAR(ratios.seer, 100.0 * 3 / 6, 1e-9);
    EXPECT_NEAR(ratios.isa, 100.0 * 2 / 6, 1e-9);
}

TEST(CallMetricsTest, RecordTimes)
{
    CallRecord r;
    r.originating = true;
    r.inviteTime = Seconds(1);
    r.srd = {MilliSeconds(40), MilliSeconds(42)};
    r.answerTime = Seconds(4);
    r.byeTime = Seconds(14);
    r.endTime = Seconds(14.1);
    r.finalCode = 200;
    r.media.expected = 500;
    r.media.received = 495;
    EXPECT_EQ(r.GetTimeToAnswer(), Seconds(3));
    EXPECT_EQ(r.GetDuration(), Seconds(10));
    EXPECT_EQ(r.GetFirstSrd(), MilliSeconds(40));
    EXPECT_DOUBLE_EQ(r.media.GetLossPercent(), 1.0);
    EXPECT_EQ(r.GetOutcome(), "answered");
    std::ostringstream os;
    WriteCsvHeader(os);
    WriteCsvRow(os, r, nullptr);
    auto text = os.str();
    EXPECT_NE(text.find(",answered,200,40.000,2,3000.000,"), std::string::npos) << text;
    CallRecord busy;
    busy.finalCode = 486;
    EXPECT_EQ(busy.GetOutcome(), "busy");
    EXPECT_LT(busy.GetTimeToAnswer(), Time(0));
}

TEST(SipTransactionTest, InviteClientTimers)
{
    ClientTransaction t(ClientTransaction::Kind::INVITE);
    EXPECT_EQ(t.Start(), MilliSeconds(500));
    EXPECT_EQ(t.GetTimeout(), Seconds(32));
    // Timer A doubles without the T2 cap: 1, 2, 4, 8, 16 s.
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(1));
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(2));
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(4));
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(8));
    auto a = t.OnResponse(180);
    EXPECT_TRUE(a.passUp);
    EXPECT_TRUE(a.stopRetransmit);
    EXPECT_EQ(t.GetState(), ClientTransaction::State::PROCEEDING);
    EXPECT_FALSE(t.OnRetransmitTimer());
    EXPECT_FALSE(t.OnTimeout()); // ringing: Timer B no longer ends it
    a = t.OnResponse(486);
    EXPECT_TRUE(a.passUp);
    EXPECT_TRUE(a.sendAck);
    EXPECT_EQ(a.linger, Seconds(32)); // Timer D
    a = t.OnResponse(486);            // retransmitted final: ACK again, absorb
    EXPECT_FALSE(a.passUp);
    EXPECT_TRUE(a.sendAck);
    EXPECT_FALSE(t.OnTimeout());
    EXPECT_EQ(t.GetRetransmissions(), 4u);
}

TEST(SipTransactionTest, InviteClientTimeoutAnd2xx)
{
    ClientTransaction t(ClientTransaction::Kind::INVITE);
    t.Start();
    EXPECT_TRUE(t.OnTimeout()); // Timer B with no answer: 408
    ClientTransaction u(ClientTransaction::Kind::INVITE);
    u.Start();
    auto a = u.OnResponse(200);
    EXPECT_TRUE(a.passUp);
    EXPECT_FALSE(a.sendAck); // the UA core ACKs a 2xx
    EXPECT_EQ(u.GetState(), ClientTransaction::State::TERMINATED);
    EXPECT_TRUE(u.OnResponse(200).passUp); // retransmitted 2xx still reaches the core
}

TEST(SipTransactionTest, NonInviteClientTimers)
{
    ClientTransaction t(ClientTransaction::Kind::NON_INVITE);
    t.Start();
    // Timer E: 1, 2, 4, 4, 4 s (capped at T2).
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(1));
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(2));
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(4));
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(4));
    auto a = t.OnResponse(100);
    EXPECT_FALSE(a.stopRetransmit);
    EXPECT_EQ(t.OnRetransmitTimer(), Seconds(4));
    a = t.OnResponse(200);
    EXPECT_TRUE(a.passUp);
    EXPECT_FALSE(a.sendAck);
    EXPECT_EQ(a.linger, Seconds(5)); // Timer K = T4
    EXPECT_FALSE(t.OnRetransmitTimer());
}

TEST(SipTransactionTest, ServerInviteRetransmitsUntilAck)
{
    ServerInviteTransaction s;
    EXPECT_EQ(s.OnFinalResponseSent(), MilliSeconds(500));
    EXPECT_EQ(s.OnRetransmitTimer(), Seconds(1));
    EXPECT_EQ(s.OnRetransmitTimer(), Seconds(2));
    EXPECT_EQ(s.OnRetransmitTimer(), Seconds(4));
    EXPECT_EQ(s.OnRetransmitTimer(), Seconds(4));
    EXPECT_EQ(s.GetTimeout(), Seconds(32));
    s.OnAck();
    EXPECT_FALSE(s.OnRetransmitTimer());
    EXPECT_FALSE(s.OnTimeout());
    ServerInviteTransaction lost;
    lost.OnFinalResponseSent();
    EXPECT_TRUE(lost.OnTimeout());
}

TEST(WireHeaderTest, RtpHeaderBytes)
{
    RtpHeader h;
    h.SetPayloadType(8);
    h.SetSequence(0x1234);
    h.SetTimestamp(0xdeadbeef);
    h.SetSsrc(0x01020304);
    h.SetMarker(true);
    Ptr<Packet> p = Create<Packet>(160);
    p->AddHeader(h);
    ASSERT_EQ(p->GetSize(), 172u);
    uint8_t bytes[12];
    p->CopyData(bytes, 12);
    const uint8_t expected[12] = {0x80, 0x88, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4};
    for (int i = 0; i < 12; ++i)
    {
        EXPECT_EQ(bytes[i], expected[i]) << i;
    }
    RtpHeader r;
    p->RemoveHeader(r);
    EXPECT_TRUE(r.IsValid());
    EXPECT_EQ(r.GetPayloadType(), 8);
    EXPECT_TRUE(r.GetMarker());
    EXPECT_EQ(r.GetSequence(), 0x1234);
    EXPECT_EQ(r.GetTimestamp(), 0xdeadbeefu);
    EXPECT_EQ(r.GetSsrc(), 0x01020304u);
    uint8_t notRtp[12] = {0x40};
    Ptr<Packet> q = Create<Packet>(notRtp, 12);
    RtpHeader bad;
    q->RemoveHeader(bad);
    EXPECT_FALSE(bad.IsValid());
}

TEST(WireHeaderTest, SipHeaderCarriesExactText)
{
    std::string text = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n";
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(SipHeader(text));
    EXPECT_EQ(p->GetSize(), text.size());
    SipHeader h;
    p->RemoveHeader(h);
    EXPECT_EQ(h.GetText(), text);
    EXPECT_EQ(p->GetSize(), 0u);
}

} // namespace
