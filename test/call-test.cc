/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/digest-credentials.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/schedule-function.h"
#include "ns3/sip-header.h"
#include "ns3/sip-message.h"
#include "ns3/voip-helper.h"

#include <gtest/gtest.h>
#include <random>
#include <set>
#include <sstream>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

class CallTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        m_topo = CreateObject<ApartmentTopologyHelper>();
        m_topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
        m_topo->SetAttribute("TerminalsPerFlat", UintegerValue(3));
        m_topo->SetAttribute("RemotePhones", UintegerValue(2));
    }

    void Build()
    {
        m_topo->Build();
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    Ptr<SipTerminal> Terminal(uint32_t t, uint32_t flat = 0)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, flat, t + 1));
    }

    Ptr<SipTerminal> Remote(uint32_t i)
    {
        return m_voip.GetTerminal(m_topo->GetRemotePhones().Get(i));
    }

    void Dial(Time at, Ptr<SipTerminal> from, const std::string& number, Time holding)
    {
        ScheduleFunction(at,
                         [from, number, holding]() { ASSERT_TRUE(from->Dial(number, holding)); });
    }

    /// Records of call \p index (in originating order) on the terminating side.
    std::vector<CallRecord> CalleeRecords(const std::string& callId) const
    {
        std::vector<CallRecord> out;
        for (const auto& r : m_voip.GetRecords())
        {
            if (!r.originating && r.callId == callId)
            {
                out.push_back(r);
            }
        }
        return out;
    }

    void Run(Time stop)
    {
        Simulator::Stop(stop);
        Simulator::Run();
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    VoipHelper m_voip;
};

TEST_F(CallTest, EveryTerminalRegisters)
{
    Build();
    Run(Seconds(3));
    for (const auto& t : m_voip.GetAllTerminals())
    {
        EXPECT_TRUE(t->IsRegistered()) << t->GetUser();
    }
    auto gw = m_voip.GetGateway(m_topo->GetGateway(0, 0));
    EXPECT_EQ(gw->GetRegisteredUsers().size(), 3u);
    EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1201-2"));
    EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1202-0")); // household
    EXPECT_TRUE(
        m_voip.GetOutsideGatekeeper()->IsRegistered(m_topo->GetRemotePhoneNumber(1).ToDigits()));
}

TEST_F(CallTest, TerminalNumberRingsOnlyThatTerminal)
{
    Build();
    std::vector<std::string> callerIds;
    for (uint32_t t = 0; t < 3; ++t)
    {
        Terminal(t)->TraceConnectWithoutContext(
            "CallerId",
            MakeCallback(+[](std::vector<std::string>* ids, const std::string& n) {
                ids->push_back(n);
            }).Bind(&callerIds));
    }
    Dial(Seconds(2), Remote(0), "100-1101-1201-1", Seconds(5));
    Run(Seconds(20));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    const auto& c = calls[0];
    EXPECT_EQ(c.finalCode, 200);
    ASSERT_EQ(c.srd.size(), 1u);
    EXPECT_GT(c.srd[0], Time(0));
    EXPECT_LT(c.srd[0], MilliSeconds(200));
    EXPECT_GE(c.GetTimeToAnswer(), Seconds(1)); // ring time 1-4 s
    EXPECT_NEAR(c.GetDuration().GetSeconds(), 5.0, 0.01);
    EXPECT_GT(c.sdd, Time(0));
    ASSERT_EQ(callerIds.size(), 1u);
    EXPECT_EQ(callerIds[0], m_topo->GetRemotePhoneNumber(0).ToDigits());
    auto callee = CalleeRecords(c.callId);
    ASSERT_EQ(callee.size(), 1u);
    EXPECT_EQ(callee[0].localNumber, "100-1101-1201-1");
    // 50 packets/s both ways for about 5 s, nothing lost on an idle network.
    EXPECT_NEAR(static_cast<double>(c.media.received), 250, 5);
    EXPECT_NEAR(static_cast<double>(callee[0].media.received), 250, 5);
    EXPECT_EQ(c.media.GetLossPercent(), 0.0);
    EXPECT_GT(c.media.mos, 4.3);
    EXPECT_LT(c.media.meanDelayMs, 50);
    EXPECT_FALSE(Terminal(0)->IsBusy());
}

TEST_F(CallTest, HouseholdNumberRingsAllAndCancelsTheOthers)
{
    Build();
    Dial(Seconds(2), Remote(0), "100-1101-1201-0", Seconds(5));
    Dial(Seconds(12), Remote(1), "100-1101-1201", Seconds(3)); // short household form
    Run(Seconds(30));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200) << c.remoteNumber;
        auto callee = CalleeRecords(c.callId);
        ASSERT_EQ(callee.size(), 3u);
        uint32_t answered = 0;
        uint32_t cancelled = 0;
        for (const auto& r : callee)
        {
            answered += r.finalCode == 200;
            cancelled += r.finalCode == 487;
        }
        EXPECT_EQ(answered, 1u);
        EXPECT_EQ(cancelled, 2u);
        // RFC 6076 §5.4: one SRD per early dialog (three phones rang).
        EXPECT_EQ(c.srd.size(), 3u);
    }
    EXPECT_EQ(m_voip.GetGateway(m_topo->GetGateway(0, 0))->GetForkCount(), 2u);
}

TEST_F(CallTest, BusyTerminalAnswers486AndOthersCallInParallel)
{
    Build();
    Dial(Seconds(2), Remote(0), "100-1101-1201-1", Seconds(20));
    Dial(Seconds(8), Remote(1), "100-1101-1201-1", Seconds(5));
    // A second terminal of the same flat calls out while terminal 1 talks.
    Dial(Seconds(9), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(5));
    Run(Seconds(40));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 3u);
    std::map<std::string, uint16_t> byCaller;
    uint16_t busy = 0;
    uint16_t parallel = 0;
    for (const auto& c : calls)
    {
        if (c.localNumber == "100-1101-1201-2")
        {
            parallel = c.finalCode;
        }
        else if (c.inviteTime == Seconds(8))
        {
            busy = c.finalCode;
        }
    }
    EXPECT_EQ(busy, 486);
    EXPECT_EQ(parallel, 200);
    auto ratios = m_voip.GetRatios();
    EXPECT_EQ(ratios.attempts, 3u);
    EXPECT_NEAR(ratios.seer, 100.0, 1e-9);
    EXPECT_NEAR(ratios.ser, 200.0 / 3, 1e-9);
}

TEST_F(CallTest, FailureResponses)
{
    Build();
    // Terminal 3 of flat 1202 never starts: known number, not registered.
    Terminal(2, 1)->SetStartTime(Seconds(100));
    Dial(Seconds(2), Remote(0), "100-1101-1299-1", Seconds(1));   // no such flat
    Dial(Seconds(3), Remote(0), "999-0000-0000-1", Seconds(1));   // no route
    Dial(Seconds(4), Remote(0), "100-1101-1202-3", Seconds(1));   // not registered
    Dial(Seconds(5), Terminal(0), "100-1101-1299-1", Seconds(1)); // from inside
    Run(Seconds(10));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 4u);
    std::map<std::string, uint16_t> codes;
    for (const auto& c : calls)
    {
        codes[c.localNumber + ">" + c.remoteNumber] = c.finalCode;
    }
    auto remote = m_topo->GetRemotePhoneNumber(0).ToString();
    EXPECT_EQ((codes[remote + ">100-1101-1299-1"]), 404);
    EXPECT_EQ((codes[remote + ">999-0000-0000-1"]), 404);
    EXPECT_EQ((codes[remote + ">100-1101-1202-3"]), 480);
    EXPECT_EQ(codes["100-1101-1201-1>100-1101-1299-1"], 404);
}

TEST_F(CallTest, OptionalVideoStream)
{
    m_voip.SetTerminalAttribute("Video", BooleanValue(true));
    Build();
    Remote(1)->SetAttribute("Video", BooleanValue(false)); // declines video (port 0)
    Dial(Seconds(2), Remote(0), "100-1101-1201-1", Seconds(4));
    Dial(Seconds(12), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(4));
    Run(Seconds(25));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    const auto* withVideo = m_voip.FindCalleeRecord(calls[0].callId);
    ASSERT_NE(withVideo, nullptr);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_NEAR(static_cast<double>(calls[0].media.videoReceived), 100, 3); // 25 frames/s, 4 s
    EXPECT_NEAR(static_cast<double>(withVideo->media.videoReceived), 100, 3);
    EXPECT_NEAR(static_cast<double>(calls[0].media.received), 200, 3); // audio as usual
    const auto* declined = m_voip.FindCalleeRecord(calls[1].callId);
    ASSERT_NE(declined, nullptr);
    EXPECT_EQ(calls[1].finalCode, 200);
    EXPECT_EQ(calls[1].media.videoSent, 0u);
    EXPECT_EQ(declined->media.videoSent, 0u);
    EXPECT_GT(calls[1].media.received, 150u);
}

TEST_F(CallTest, OverloadedGatekeeperAnswers503)
{
    m_voip.SetTerminalAttribute("AutoAnswer", BooleanValue(false));
    Build();
    m_voip.GetGatekeeper()->SetAttribute("MaxPendingCalls", UintegerValue(1));
    Dial(Seconds(2), Remote(0), "100-1101-1201-1", Seconds(1));
    Dial(Seconds(3), Remote(1), "100-1101-1201-2", Seconds(1));
    ScheduleFunction(Seconds(5), [this]() { Remote(0)->Hangup(); });
    Run(Seconds(10));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].finalCode, 503); // ends first, at 3 s
    EXPECT_EQ(calls[0].localNumber, m_topo->GetRemotePhoneNumber(1).ToString());
    EXPECT_EQ(calls[1].finalCode, 487);
    EXPECT_NEAR(m_voip.GetRatios().isa, 100.0, 1e-9); // the 503 is an ineffective attempt
}

TEST_F(CallTest, CallsCrossTheOutsideGatekeeperWithCallerId)
{
    Build();
    std::string seen;
    Remote(1)->TraceConnectWithoutContext(
        "CallerId",
        MakeCallback(+[](std::string* s, const std::string& n) { *s = n; }).Bind(&seen));
    Dial(Seconds(2), Terminal(1), m_topo->GetRemotePhoneNumber(1).ToString(), Seconds(3));
    Run(Seconds(15));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_EQ(seen, "100110112012");
    EXPECT_GT(calls[0].media.received, 100u);
}

TEST_F(CallTest, GatekeeperTranslatesContactAndSdpForOutsidePeers)
{
    Build();
    Ipv4Address inside = ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 1));
    static Ipv4Address s_inside;
    s_inside = inside;
    m_voip.GetGatekeeper()->SetAddressTranslator(MakeCallback(+[](Ipv4Address a) {
        return a == s_inside ? Ipv4Address("203.0.113.77") : Ipv4Address::GetAny();
    }));
    std::string invite;
    Remote(0)->TraceConnectWithoutContext(
        "Rx",
        MakeCallback(+[](std::string* out, const std::string& text) {
            if (text.rfind("INVITE ", 0) == 0)
            {
                *out = text;
            }
        }).Bind(&invite));
    Dial(Seconds(2), Terminal(0), m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(2));
    Run(Seconds(10));
    EXPECT_NE(invite.find("c=IN IP4 203.0.113.77\r\n"), std::string::npos) << invite;
    EXPECT_NE(invite.find("Contact: <sip:100110112011@203.0.113.77:5060>"), std::string::npos);
    std::ostringstream os;
    inside.Print(os);
    EXPECT_EQ(invite.find("c=IN IP4 " + os.str()), std::string::npos);
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200); // signalling follows Record-Route, not Contact
}

TEST_F(CallTest, CallsAreSetUpAtTenPercentWanLoss)
{
    Build();
    Ptr<NetDevice> wan = m_topo->GetNatRouterWanDevice();
    Ptr<Channel> channel = wan->GetChannel();
    int64_t stream = 500;
    for (std::size_t i = 0; i < channel->GetNDevices(); ++i)
    {
        auto em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorRate", DoubleValue(0.10));
        em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        em->AssignStreams(stream++);
        channel->GetDevice(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }
    for (uint32_t k = 0; k < 6; ++k)
    {
        Dial(Seconds(2 + 20 * k),
             Remote(k % 2),
             "100-1101-1201-" + std::to_string(1 + k % 3),
             Seconds(5));
    }
    Run(Seconds(140));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 6u);
    uint64_t retransmissions = 0;
    for (const auto& t : m_voip.GetAllTerminals())
    {
        retransmissions += t->GetRetransmissionCount();
    }
    double lossSum = 0;
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200);
        lossSum += c.media.GetLossPercent();
    }
    EXPECT_GT(retransmissions, 0u);      // timers did the work
    EXPECT_NEAR(lossSum / 6, 10.0, 4.0); // RTP crossing the WAN loses about 10 %
}

TEST_F(CallTest, CallerCancelsWhileEveryTerminalRings)
{
    m_voip.SetTerminalAttribute("AutoAnswer", BooleanValue(false));
    Build();
    auto caller = Remote(0);
    Dial(Seconds(2), caller, "100-1101-1201-0", Seconds(5));
    ScheduleFunction(Seconds(4), [caller]() { caller->Hangup(); });
    Run(Seconds(10));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 487);
    EXPECT_EQ(calls[0].GetOutcome(), "cancelled");
    auto callee = CalleeRecords(calls[0].callId);
    ASSERT_EQ(callee.size(), 3u);
    for (const auto& r : callee)
    {
        EXPECT_EQ(r.finalCode, 487);
        EXPECT_NEAR(r.endTime.GetSeconds(), 4.0, 0.1);
    }
    EXPECT_EQ(m_voip.GetRatios().attempts, 0u); // RFC 6076 leaves cancelled calls out
    for (uint32_t t = 0; t < 3; ++t)
    {
        EXPECT_FALSE(Terminal(t)->IsBusy());
    }
}

TEST_F(CallTest, RegistrationsAreRefreshedAndExpire)
{
    m_voip.SetTerminalAttribute("RegisterExpires", TimeValue(Seconds(10)));
    Build();
    uint32_t registrations = 0;
    Terminal(0)->TraceConnectWithoutContext(
        "RegistrationDelay",
        MakeCallback(+[](uint32_t* n, Time) { ++*n; }).Bind(&registrations));
    // Terminal 3 is switched off at 1 s: its binding lapses after 10 s.
    Terminal(2)->SetStopTime(Seconds(1));
    Dial(Seconds(30), Remote(0), "100-1101-1201-3", Seconds(1));
    Dial(Seconds(35), Remote(0), "100-1101-1201-1", Seconds(1));
    Run(Seconds(42));
    EXPECT_EQ(registrations, 9u); // at 0.1 s, then every 5 s up to 40.1 s
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].finalCode, 480);
    EXPECT_EQ(calls[1].finalCode, 200);
    EXPECT_FALSE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1201-3"));
    EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1201-1"));
}

// Digest authentication with the defaults: every REGISTER path is challenged once; the
// refreshes reuse the nonce (nc 2, 3...) until it lapses, then a stale=TRUE challenge is
// answered without a failure.
TEST_F(CallTest, RegistrationIsChallengedOnceAndRefreshedUntilTheNonceLapses)
{
    if (!CryptoAvailable())
    {
        GTEST_SKIP() << "built without OpenSSL's libcrypto";
    }
    m_voip.SetTerminalAttribute("RegisterExpires", TimeValue(Seconds(10)));
    m_voip.SetGatekeeperAttribute("NonceLifetime", TimeValue(Seconds(12)));
    Build();
    std::vector<std::string> challenges;
    m_voip.GetGatekeeper()->TraceConnectWithoutContext(
        "Tx",
        MakeCallback(+[](std::vector<std::string>* out, const std::string& text) {
            if (text.rfind("SIP/2.0 401", 0) == 0)
            {
                out->push_back(text);
            }
        }).Bind(&challenges));
    Run(Seconds(16));
    // 6 terminals: challenged at 0.1 s; refreshes at 5.1 s and 10.1 s reuse the nonce; the
    // one at 15.1 s finds it lapsed (issued 0.1 s, 12 s lifetime).
    ASSERT_EQ(challenges.size(), 12u);
    EXPECT_EQ(challenges[0].find("stale"), std::string::npos);
    EXPECT_NE(challenges[6].find("stale=TRUE"), std::string::npos) << challenges[6];
    EXPECT_EQ(m_voip.GetGatekeeper()->GetChallengeCount(), 12u);
    EXPECT_EQ(m_voip.GetGatekeeper()->GetAuthFailureCount(), 0u);
    for (const auto& t : m_voip.GetAllTerminals())
    {
        EXPECT_TRUE(t->IsRegistered()) << t->GetUser();
        EXPECT_EQ(t->GetAuthFailureCount(), 0u) << t->GetUser();
    }
    EXPECT_EQ(m_voip.GetOutsideGatekeeper()->GetChallengeCount(), 4u); // 2 remote phones
}

// A terminal that claims another flat's number (and sends straight to the gatekeeper, past
// its own gateway's check) has only its own password: its REGISTER and INVITE stay
// challenged, counted once each; the real owner registers and is called.
TEST_F(CallTest, TerminalCannotRegisterOrCallAsAnotherFlatsNumber)
{
    if (!CryptoAvailable())
    {
        GTEST_SKIP() << "built without OpenSSL's libcrypto";
    }
    m_voip.SetGatekeeperAttribute("AuthenticateInvite", BooleanValue(true));
    Build();
    Ptr<SipTerminal> impostor = Terminal(0, 0);
    impostor->SetAttribute("Number", StringValue("100-1101-1202-1"));
    impostor->SetAttribute(
        "Proxy",
        Ipv4AddressValue(ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetGatekeeper())));
    std::vector<uint16_t> failures;
    impostor->TraceConnectWithoutContext(
        "AuthFailure",
        MakeCallback(+[](std::vector<uint16_t>* out, const std::string&, uint16_t code) {
            out->push_back(code);
        }).Bind(&failures));
    Dial(Seconds(5), impostor, m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(1));
    Dial(Seconds(10), Remote(0), "100-1101-1202-1", Seconds(1));
    Run(Seconds(15));
    EXPECT_FALSE(impostor->IsRegistered());
    ASSERT_GE(failures.size(), 2u);
    EXPECT_EQ(failures[0], 401); // REGISTER at 0.1 s (and its retries every RetryInterval)
    EXPECT_NE(std::find(failures.begin(), failures.end(), 407), failures.end());
    EXPECT_GE(m_voip.GetGatekeeper()->GetAuthFailureCount(), 2u);
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].localNumber, "100-1101-1202-1");
    EXPECT_EQ(calls[0].finalCode, 407); // the impostor's call never left the gatekeeper
    EXPECT_EQ(calls[1].finalCode, 200); // the real 100-1101-1202-1 answers
    EXPECT_TRUE(Terminal(0, 1)->IsRegistered());
    EXPECT_TRUE(Remote(0)->GetAuthFailureCount() == 0);
}

// A terminal that claims a flat-mate's number through its own home gateway: the gateway
// binds a number only when the gatekeeper's 2xx to that REGISTER comes back, so the
// impostor (wrong password, challenged again each time) gets no binding there, and calls to
// the number (and to the household) still ring the real owner only.
TEST_F(CallTest, GatewayBindsOnlyWhatTheGatekeeperAuthenticated)
{
    if (!CryptoAvailable())
    {
        GTEST_SKIP() << "built without OpenSSL's libcrypto";
    }
    Build();
    Ptr<SipTerminal> impostor = Terminal(0, 0);
    Ptr<SipTerminal> owner = Terminal(1, 0);
    impostor->SetAttribute("Number", StringValue("100-1101-1201-2"));
    Dial(Seconds(10), Remote(0), "100-1101-1201-2", Seconds(1));
    Dial(Seconds(13), Remote(1), "100-1101-1201-0", Seconds(1));
    Run(Seconds(17));
    auto gw = m_voip.GetGateway(m_topo->GetGateway(0, 0));
    // The owner and terminal 3 only: the impostor's own number was never registered, and
    // its REGISTERs for 1201-2 (every RetryInterval since 0.1 s) bound nothing.
    EXPECT_EQ(gw->GetRegisteredUsers(), (std::vector<std::string>{"100110112012", "100110112013"}));
    EXPECT_FALSE(impostor->IsRegistered());
    EXPECT_TRUE(owner->IsRegistered());
    EXPECT_GE(m_voip.GetGatekeeper()->GetAuthFailureCount(), 5u) << "one per retry";
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    for (const auto& c : calls)
    {
        EXPECT_EQ(c.finalCode, 200) << c.remoteNumber;
        for (const auto& r : CalleeRecords(c.callId))
        {
            EXPECT_NE(r.localNode, impostor->GetNode()->GetId()) << "the impostor rang";
        }
    }
    auto toOwner = CalleeRecords(calls[0].callId);
    ASSERT_EQ(toOwner.size(), 1u);
    EXPECT_EQ(toOwner[0].localNode, owner->GetNode()->GetId());
    EXPECT_EQ(CalleeRecords(calls[1].callId).size(), 2u) << "the household: owner and terminal 3";
}

// INVITE authentication: 407, the INVITE again with CSeq 2 and Proxy-Authorization, and the
// dialog's ACK and BYE numbered after it; MD5 for old phones works the same way.
TEST_F(CallTest, AuthenticatedInviteKeepsTheDialogsCSeqInOrder)
{
    if (!CryptoAvailable())
    {
        GTEST_SKIP() << "built without OpenSSL's libcrypto";
    }
    m_voip.SetGatekeeperAttribute("AuthenticateInvite", BooleanValue(true));
    m_voip.SetGatekeeperAttribute("DigestAlgorithm", StringValue("MD5"));
    Build();
    std::vector<std::string> sent;
    Terminal(0)->TraceConnectWithoutContext(
        "Tx",
        MakeCallback(+[](std::vector<std::string>* out, const std::string& text) {
            out->push_back(text.substr(0, text.find("\r\n")) + " | " +
                           SipMessage::Parse(text)->GetHeader("CSeq") + " | " +
                           SipMessage::Parse(text)->GetHeader("Proxy-Authorization"));
        }).Bind(&sent));
    Dial(Seconds(5), Terminal(0), m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(2));
    Dial(Seconds(10), Terminal(1), "100-1101-1202-2", Seconds(1));
    Run(Seconds(15));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_EQ(calls[1].finalCode, 200);
    std::vector<std::string> cseqs;
    for (const auto& line : sent)
    {
        if (line.rfind("REGISTER", 0) != 0)
        {
            cseqs.push_back(
                line.substr(line.find(" | ") + 3, line.rfind(" | ") - line.find(" | ") - 3));
        }
    }
    EXPECT_EQ(cseqs, (std::vector<std::string>{"1 INVITE", "1 ACK", "2 INVITE", "2 ACK", "3 BYE"}));
    auto second = std::find_if(sent.begin(), sent.end(), [](const std::string& l) {
        return l.find("2 INVITE") != std::string::npos;
    });
    ASSERT_NE(second, sent.end());
    EXPECT_NE(second->find("algorithm=MD5"), std::string::npos) << *second;
    EXPECT_EQ(m_voip.GetGatekeeper()->GetAuthFailureCount(), 0u);
    // Calls from the outside gatekeeper (a routed peer) are not challenged again.
    EXPECT_EQ(Terminal(0)->GetAuthFailureCount(), 0u);
}

TEST_F(CallTest, TrafficModelPlacesPoissonCalls)
{
    // (Same seed and run give the same CSV across processes: see the ctest
    // example.call-deterministic; within one process ns-3's automatic streams move on.)
    m_voip.SetTerminalAttribute("HoldingTime",
                                StringValue("ns3::ExponentialRandomVariable[Mean=20]"));
    m_voip.SetTrafficModel(60);
    Build();
    Run(Seconds(300));
    auto calls = m_voip.GetOriginatingRecords();
    // 12 phones x 60 calls/h x 5 min = 60 expected attempts, minus those skipped while busy.
    EXPECT_GT(calls.size(), 25u);
    EXPECT_LT(calls.size(), 75u);
    uint32_t answered = 0;
    std::set<std::string> callers;
    for (const auto& c : calls)
    {
        answered += c.finalCode == 200;
        callers.insert(c.localNumber);
        EXPECT_NE(c.finalCode, 0);
        EXPECT_NE(c.finalCode, 408);
    }
    EXPECT_GT(answered, calls.size() / 2);
    EXPECT_GT(callers.size(), 6u);
    std::ostringstream os;
    m_voip.WriteCsv(os);
    const std::string text = os.str();
    EXPECT_EQ(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')),
              calls.size() + 1);
}

TEST_F(CallTest, MalformedSipIsCountedAndDropped)
{
    Build();
    auto target = Terminal(0);
    Ptr<Node> sender = m_topo->GetRemotePhones().Get(0);
    Ipv4Address address = ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 1));
    std::vector<std::string> drops;
    target->TraceConnectWithoutContext(
        "Drop",
        MakeCallback(+[](std::vector<std::string>* d, const std::string&, const std::string& why) {
            d->push_back(why);
        }).Bind(&drops));
    ScheduleFunction(Seconds(1), [sender, address]() {
        auto s = Socket::CreateSocket(sender, UdpSocketFactory::GetTypeId());
        for (std::string text : {"garbage", "INVITE sip:x@y SIP/2.0\r\nVia: x\r\n\r\n", ""})
        {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(SipHeader(text));
            s->SendTo(p, 0, InetSocketAddress(address, 5060));
        }
    });
    Dial(Seconds(2), Remote(0), "100-1101-1201-1", Seconds(2));
    Run(Seconds(10));
    EXPECT_EQ(target->GetMalformedCount(), 3u);
    ASSERT_EQ(drops.size(), 3u);
    EXPECT_NE(drops[0].find("empty line"), std::string::npos);
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200); // still works
}

TEST_F(CallTest, MutatedSignallingNeverCrashesAnyRole)
{
    Build();
    // Record the signalling of one call, then replay mutated copies of every message to
    // every SIP element while a second call is set up.
    static std::vector<std::string> s_texts;
    s_texts.clear();
    auto record = MakeCallback(+[](const std::string& text) { s_texts.push_back(text); });
    for (Ptr<Object> element :
         std::vector<Ptr<Object>>{Remote(0),
                                  Terminal(0),
                                  m_voip.GetGatekeeper(),
                                  m_voip.GetOutsideGatekeeper(),
                                  m_voip.GetGateway(m_topo->GetGateway(0, 0))})
    {
        element->TraceConnectWithoutContext("Tx", record);
    }
    Dial(Seconds(2), Remote(0), "100-1101-1201-0", Seconds(2));
    std::vector<Ipv4Address> targets{
        ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetGatekeeper()),
        m_topo->GetOutsideGatekeeperAddress(),
        ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetGateway(0, 0)),
        ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 1)),
        ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 2)),
    };
    Ptr<Node> attacker = m_topo->GetRemotePhones().Get(1);
    ScheduleFunction(Seconds(15), [attacker, targets]() {
        auto socket = Socket::CreateSocket(attacker, UdpSocketFactory::GetTypeId());
        socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5070));
        std::mt19937 rng(11);
        uint32_t sent = 0;
        for (const auto& text : s_texts)
        {
            for (int variant = 0; variant < 6; ++variant)
            {
                std::string m = text;
                if (variant == 0)
                {
                    // Delete one header line.
                    auto pos = m.find("\r\n", rng() % m.size());
                    auto end = pos == std::string::npos ? pos : m.find("\r\n", pos + 2);
                    if (end != std::string::npos)
                    {
                        m.erase(pos, end - pos);
                    }
                }
                else if (variant == 1)
                {
                    m = m.substr(0, rng() % m.size()); // truncate
                }
                else
                {
                    for (int k = 0; k < variant; ++k)
                    {
                        m[rng() % m.size()] = "0:;@<>, \r\n=9aZ"[rng() % 15];
                    }
                }
                for (const auto& target : targets)
                {
                    Ptr<Packet> p = Create<Packet>();
                    p->AddHeader(SipHeader(m));
                    socket->SendTo(p, 0, InetSocketAddress(target, 5060));
                    ++sent;
                }
            }
        }
        EXPECT_GT(sent, 1000u);
    });
    Run(Seconds(60));
    EXPECT_GT(s_texts.size(), 30u);
    uint64_t malformed = m_voip.GetGatekeeper()->GetMalformedCount() +
                         m_voip.GetGateway(m_topo->GetGateway(0, 0))->GetMalformedCount() +
                         Terminal(0)->GetMalformedCount();
    EXPECT_GT(malformed, 50u);
    EXPECT_EQ(m_voip.GetOriginatingRecords().front().finalCode, 200);
}

TEST_F(CallTest, TerminalWithoutProxyUsesItsDefaultRouter)
{
    Build();
    // As with DHCP: no configured proxy, the default router (the home gateway) is used.
    Terminal(0)->SetAttribute("Proxy", Ipv4AddressValue(Ipv4Address::GetAny()));
    Dial(Seconds(2), Terminal(0), m_topo->GetRemotePhoneNumber(0).ToString(), Seconds(2));
    Run(Seconds(8));
    EXPECT_TRUE(Terminal(0)->IsRegistered());
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
}

TEST_F(CallTest, TerminalWithoutAddressWaitsToRegister)
{
    Build();
    // Remove terminal 1's address for 3 s, as if it waited for DHCP.
    Ptr<Node> node = m_topo->GetTerminal(0, 0, 1);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4InterfaceAddress saved = ipv4->GetAddress(1, 0);
    ipv4->RemoveAddress(1, 0);
    ScheduleFunction(Seconds(3), [ipv4, saved]() { ipv4->AddAddress(1, saved); });
    ScheduleFunction(Seconds(2), [this]() { EXPECT_FALSE(Terminal(0)->IsRegistered()); });
    EXPECT_FALSE(Terminal(0)->Dial("100-1101-1201-2", Seconds(1)));
    Run(Seconds(6));
    EXPECT_TRUE(Terminal(0)->IsRegistered());
}

// ------------------------------------------------------------------ SIP on the wire
// One proxy (gatekeeper or home gateway) on a LAN with raw SIP endpoints that send
// hand-written requests and record what arrives, to reach the answers the terminals
// never provoke.

/// A UDP socket that sends SIP text and keeps every SIP message it receives.
class SipEndpoint
{
  public:
    SipEndpoint(Ptr<Node> node, Ipv4Address address, uint16_t port)
        : m_address(address),
          m_port(port)
    {
        m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        m_socket->SetRecvCallback(MakeCallback(&SipEndpoint::Receive, this));
    }

    ~SipEndpoint()
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    }

    /// \brief Sends \p text to \p to : \p port at time \p at.
    void SendAt(Time at, const std::string& text, Ipv4Address to, uint16_t port)
    {
        ScheduleFunction(at, [this, text, to, port]() {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(SipHeader(text));
            m_socket->SendTo(p, 0, InetSocketAddress(to, port));
        });
    }

    /// \return a request with the mandatory headers, our Via and Contact, CSeq 1
    std::string Request(const std::string& method,
                        const std::string& uri,
                        const std::string& id,
                        const std::string& extra = "",
                        const std::string& to = "") const
    {
        std::string self = Text() + ":" + std::to_string(m_port);
        return method + " " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP " + self + ";branch=z9hG4bK" +
               id + "\r\nMax-Forwards: 70\r\nFrom: <sip:caller@" + self + ">;tag=f" + id +
               "\r\nTo: <" + (to.empty() ? uri : to) + ">\r\nCall-ID: " + id + "@test\r\nCSeq: 1 " +
               method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    std::string Register(const std::string& number,
                         const std::string& id,
                         const std::string& expires,
                         const std::string& contactHost = "") const
    {
        std::string host = contactHost.empty() ? Text() : contactHost;
        std::string aor = "sip:" + number + "@apartment";
        return Request("REGISTER",
                       "sip:apartment",
                       id,
                       "Contact: <sip:" + number + "@" + host + ":" + std::to_string(m_port) +
                           ">\r\nExpires: " + expires + "\r\n",
                       aor);
    }

    /// \return the requests received with \p method, in order
    std::vector<SipMessage> Requests(const std::string& method) const
    {
        std::vector<SipMessage> out;
        for (const auto& [t, m] : m_received)
        {
            if (m.IsRequest() && m.GetMethod() == method)
            {
                out.push_back(m);
            }
        }
        return out;
    }

    /// \return the final or provisional responses received for Call-ID \p id and \p method
    std::vector<SipMessage> Responses(const std::string& id, const std::string& method) const
    {
        std::vector<SipMessage> out;
        for (const auto& [t, m] : m_received)
        {
            if (!m.IsRequest() && m.GetCallId() == id + "@test" && m.GetCSeqMethod() == method)
            {
                out.push_back(m);
            }
        }
        return out;
    }

    /// \return the time the first request with \p method arrived, or -1 s
    Time FirstArrival(const std::string& method) const
    {
        for (const auto& [t, m] : m_received)
        {
            if (m.IsRequest() && m.GetMethod() == method)
            {
                return t;
            }
        }
        return Seconds(-1);
    }

    /// \brief Answers the first received \p method request with \p code at \p at.
    void AnswerAt(Time at, const std::string& method, uint16_t code)
    {
        ScheduleFunction(at, [this, method, code]() {
            auto requests = Requests(method);
            ASSERT_FALSE(requests.empty()) << "no " << method << " to answer";
            Reply(requests.front(), code);
        });
    }

    /// \brief Sends \p request's response \p code to its top Via.
    void Reply(const SipMessage& request, uint16_t code)
    {
        auto r = SipMessage::MakeResponse(request, code, "", "callee");
        auto via = request.GetTopVia();
        ASSERT_TRUE(via.has_value());
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(SipHeader(r.Serialize()));
        m_socket->SendTo(
            p,
            0,
            InetSocketAddress(Ipv4Address(via->host.c_str()), via->port == 0 ? 5060 : via->port));
    }

    /// \brief Answers every \p method request received by \p at with \p code, at \p at.
    void AnswerEachAt(Time at, const std::string& method, uint16_t code)
    {
        ScheduleFunction(at, [this, method, code]() {
            for (const auto& request : Requests(method))
            {
                Reply(request, code);
            }
        });
    }

    /**
     * \brief Sends the first received \p method request on to \p to : \p port at \p at, as
     * a proxy would (its own Via on top), with Request-URI \p uri.
     */
    void ForwardAt(Time at,
                   const std::string& method,
                   const std::string& uri,
                   Ipv4Address to,
                   uint16_t port)
    {
        ScheduleFunction(at, [this, method, uri, to, port]() {
            auto requests = Requests(method);
            ASSERT_FALSE(requests.empty()) << "no " << method << " to forward";
            SipMessage out = requests.front();
            out.SetRequestUri(uri);
            out.PrependHeader("Via",
                              "SIP/2.0/UDP " + Text() + ":" + std::to_string(m_port) +
                                  ";branch=z9hG4bKfwd" + std::to_string(m_received.size()));
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(SipHeader(out.Serialize()));
            m_socket->SendTo(p, 0, InetSocketAddress(to, port));
        });
    }

    /// \return every response received for \p method (any Call-ID)
    std::vector<SipMessage> AllResponses(const std::string& method) const
    {
        std::vector<SipMessage> out;
        for (const auto& [t, m] : m_received)
        {
            if (!m.IsRequest() && m.GetCSeqMethod() == method)
            {
                out.push_back(m);
            }
        }
        return out;
    }

    std::string Text() const
    {
        std::ostringstream os;
        m_address.Print(os);
        return os.str();
    }

  private:
    void Receive(Ptr<Socket> socket)
    {
        Address from;
        while (Ptr<Packet> p = socket->RecvFrom(from))
        {
            SipHeader h;
            p->RemoveHeader(h);
            auto m = SipMessage::Parse(h.GetText());
            ASSERT_TRUE(m.has_value()) << h.GetText();
            m_received.emplace_back(Simulator::Now(), *m);
        }
    }

    Ipv4Address m_address;
    uint16_t m_port;
    Ptr<Socket> m_socket;
    std::vector<std::pair<Time, SipMessage>> m_received;
};

class SipWireTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_nodes.Create(4);
        CsmaHelper csma;
        NetDeviceContainer devices = csma.Install(m_nodes);
        InternetStackHelper internet;
        internet.Install(m_nodes);
        Ipv4AddressHelper addresses("10.9.0.0", "255.255.255.0");
        addresses.Assign(devices);
    }

    void TearDown() override
    {
        m_endpoints.clear();
        Simulator::Destroy();
    }

    static Ipv4Address Address(uint32_t node)
    {
        return Ipv4Address(0x0a090001 + node); // 10.9.0.1 + node
    }

    /// Raw endpoint on node 1, 2 or 3 (node 0 runs the proxy).
    SipEndpoint& Endpoint(uint32_t node, uint16_t port = 5060)
    {
        m_endpoints.push_back(
            std::make_unique<SipEndpoint>(m_nodes.Get(node), Address(node), port));
        return *m_endpoints.back();
    }

    /**
     * Gatekeeper of prefix 100 on node 0; prefix 200 routed to node 3, port 5070. The raw
     * endpoints of these tests hold no credentials: REGISTER is challenged only when
     * \p authenticate (the tests of digest authentication).
     */
    Ptr<Gatekeeper> InstallGatekeeper(bool authenticate = false)
    {
        auto gk = CreateObject<Gatekeeper>();
        gk->SetAttribute("AuthenticateRegister", BooleanValue(authenticate));
        gk->SetAttribute("NumberPrefix", StringValue("100"));
        gk->AddRoute("200", Address(3), 5070);
        gk->AddSubscriber("100-1101-1201-1");
        m_nodes.Get(0)->AddApplication(gk);
        gk->SetStartTime(Seconds(0));
        return gk;
    }

    /// Home gateway of flat 100-1101-1201 on node 0, SIP port 5062; upstream node 3:5070.
    Ptr<HomeGateway> InstallGateway()
    {
        auto gw = CreateObject<HomeGateway>();
        gw->SetAttribute("Port", UintegerValue(5062));
        gw->SetAttribute("Upstream", Ipv4AddressValue(Address(3)));
        gw->SetAttribute("UpstreamPort", UintegerValue(5070));
        gw->SetAttribute("HouseholdNumber", StringValue("100-1101-1201-0"));
        m_nodes.Get(0)->AddApplication(gw);
        gw->SetStartTime(Seconds(0));
        return gw;
    }

    static void Run(Time stop)
    {
        Simulator::Stop(stop);
        Simulator::Run();
    }

    /// \return the code of the final responses (retransmissions of one), 0 if none or if
    /// they differ
    static uint16_t FinalCode(const std::vector<SipMessage>& responses, std::string* reason)
    {
        uint16_t code = 0;
        for (const auto& r : responses)
        {
            if (r.GetStatusCode() >= 200)
            {
                if (code != 0 && r.GetStatusCode() != code)
                {
                    return 0;
                }
                code = r.GetStatusCode();
                *reason = r.GetReason();
            }
        }
        return code;
    }

    /// \return the requests of \p all without retransmissions (one per top Via branch)
    static std::vector<SipMessage> Distinct(const std::vector<SipMessage>& all)
    {
        std::vector<SipMessage> out;
        std::set<std::string> branches;
        for (const auto& m : all)
        {
            if (branches.insert(m.GetTopBranch()).second)
            {
                out.push_back(m);
            }
        }
        return out;
    }

    /// \return every value of header \p name, joined with ", "
    static std::string Joined(const SipMessage& m, const std::string& name)
    {
        std::string out;
        for (const auto& v : m.GetHeaders(name))
        {
            out += (out.empty() ? "" : ", ") + v;
        }
        return out;
    }

    NodeContainer m_nodes;
    std::vector<std::unique_ptr<SipEndpoint>> m_endpoints;
};

const std::string GK = "10.9.0.1";

TEST_F(SipWireTest, CancelForAnUnknownTransactionGets481)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    a.SendAt(Seconds(1), a.Request("CANCEL", "sip:100110112011@" + GK, "c1"), Address(0), 5060);
    Run(Seconds(3));
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("c1", "CANCEL"), &reason), 481);
    EXPECT_NE(reason.find("no INVITE transaction"), std::string::npos) << reason;
}

TEST_F(SipWireTest, MaxForwardsZeroGets483AndIsNotForwarded)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    auto zero = [&a](const std::string& method, const std::string& id) {
        std::string text = a.Request(method, "sip:200110112011@" + GK, id);
        auto at = text.find("Max-Forwards: 70");
        return text.replace(at, 16, "Max-Forwards: 0");
    };
    a.SendAt(Seconds(1), zero("INVITE", "m1"), Address(0), 5060);
    a.SendAt(Seconds(1.1), zero("MESSAGE", "m2"), Address(0), 5060);
    Run(Seconds(3));
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("m1", "INVITE"), &reason), 483);
    EXPECT_NE(reason.find("Max-Forwards is 0"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(a.Responses("m2", "MESSAGE"), &reason), 483);
    EXPECT_NE(reason.find("Max-Forwards is 0"), std::string::npos) << reason;
    EXPECT_TRUE(c.Requests("INVITE").empty());
    EXPECT_TRUE(c.Requests("MESSAGE").empty());
}

// RFC 3261 §16.3 item 4: a request that comes back unchanged looped (482); one that
// comes back with another Request-URI spiralled and is routed again.
TEST_F(SipWireTest, RequestThatLoopsBackGets482AndASpiralIsRoutedAgain)
{
    auto gk = InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    const std::string uri = "sip:200110112011@" + GK;
    a.SendAt(Seconds(1), a.Request("INVITE", uri, "l1"), Address(0), 5060);
    a.SendAt(Seconds(1.1), a.Request("MESSAGE", uri, "l2"), Address(0), 5060);
    // c (the route of prefix 200) sends both straight back as the gatekeeper got them.
    c.ForwardAt(Seconds(1.5), "INVITE", uri, Address(0), 5060);
    c.ForwardAt(Seconds(1.5), "MESSAGE", uri, Address(0), 5060);
    Run(Seconds(3));
    std::string reason;
    auto invite = c.AllResponses("INVITE");
    EXPECT_EQ(FinalCode(invite, &reason), 482);
    EXPECT_NE(reason.find("Loop Detected"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(c.AllResponses("MESSAGE"), &reason), 482);
    EXPECT_EQ(Distinct(c.Requests("INVITE")).size(), 1u); // not forwarded a second time
    EXPECT_EQ(Distinct(c.Requests("MESSAGE")).size(), 1u);
    EXPECT_EQ(gk->GetLoopCount(), 2u);
}

TEST_F(SipWireTest, SpiralWithANewRequestUriIsNotALoop)
{
    auto gk = InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    a.SendAt(Seconds(1), a.Request("MESSAGE", "sip:200110112011@" + GK, "s1"), Address(0), 5060);
    // c retargets it to another number of the same prefix: the gatekeeper routes it again.
    c.ForwardAt(Seconds(1.5), "MESSAGE", "sip:200110112012@" + GK, Address(0), 5060);
    Run(Seconds(3));
    auto got = Distinct(c.Requests("MESSAGE"));
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].GetRequestUri(), "sip:200110112012@10.9.0.4:5070");
    EXPECT_EQ(got[1].GetHeaders("Via").size(), 4u); // gk, c, gk, a
    EXPECT_EQ(gk->GetLoopCount(), 0u);
    std::string reason;
    EXPECT_NE(FinalCode(c.AllResponses("MESSAGE"), &reason), 482);
}

TEST_F(SipWireTest, UnknownMethodToANumberIsForwardedNot501)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    a.SendAt(Seconds(1), a.Request("FROBNICATE", "sip:200110112011@" + GK, "u1"), Address(0), 5060);
    c.AnswerAt(Seconds(1.5), "FROBNICATE", 202);
    Run(Seconds(3));
    auto got = c.Requests("FROBNICATE");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].GetRequestUri(), "sip:200110112011@10.9.0.4:5070"); // the route's port
    EXPECT_EQ(got[0].GetHeader("Max-Forwards"), "69");
    EXPECT_EQ(got[0].GetHeaders("Via").size(), 2u);
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("u1", "FROBNICATE"), &reason), 202); // relayed back
}

TEST_F(SipWireTest, ProxyAnswersRequestsAddressedToItself)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    a.SendAt(Seconds(1), a.Request("OPTIONS", "sip:" + GK, "o1"), Address(0), 5060);
    a.SendAt(Seconds(1.1), a.Request("SUBSCRIBE", "sip:" + GK, "o2"), Address(0), 5060);
    a.SendAt(Seconds(1.2), a.Request("FROBNICATE", "sip:" + GK, "o3"), Address(0), 5060);
    Run(Seconds(3));
    std::string reason;
    auto options = a.Responses("o1", "OPTIONS");
    ASSERT_EQ(FinalCode(options, &reason), 200);
    EXPECT_NE(Joined(options.back(), "Allow").find("REGISTER"), std::string::npos);
    auto subscribe = a.Responses("o2", "SUBSCRIBE");
    ASSERT_EQ(FinalCode(subscribe, &reason), 405);
    EXPECT_NE(reason.find("SUBSCRIBE"), std::string::npos) << reason;
    EXPECT_NE(Joined(subscribe.back(), "Allow").find("OPTIONS"), std::string::npos);
    auto unknown = a.Responses("o3", "FROBNICATE");
    EXPECT_EQ(FinalCode(unknown, &reason), 501);
    EXPECT_FALSE(unknown.back().HasHeader("Allow"));
}

TEST_F(SipWireTest, CancelBeforeAProvisionalWaitsForIt)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    a.SendAt(Seconds(1), a.Request("INVITE", "sip:200110112011@" + GK, "w1"), Address(0), 5060);
    a.SendAt(Seconds(1.1), a.Request("CANCEL", "sip:200110112011@" + GK, "w1"), Address(0), 5060);
    c.AnswerAt(Seconds(2.5), "INVITE", 180); // the first provisional, 1.4 s after the CANCEL
    Run(Seconds(4));
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("w1", "CANCEL"), &reason), 200);
    EXPECT_GE(c.Requests("INVITE").size(), 2u);           // retransmitted while no provisional came
    ASSERT_EQ(Distinct(c.Requests("CANCEL")).size(), 1u); // (retransmitted: C never answers it)
    EXPECT_GE(c.FirstArrival("CANCEL"), Seconds(2.5));
    EXPECT_LT(c.FirstArrival("CANCEL"), Seconds(2.6));
    EXPECT_EQ(c.Requests("CANCEL")[0].GetTopBranch(), c.Requests("INVITE")[0].GetTopBranch());
}

TEST_F(SipWireTest, SilentNextHopGives408WithAReason)
{
    auto gk = InstallGatekeeper();
    gk->SetAttribute("T1", TimeValue(MilliSeconds(10))); // Timer B = 64 T1 = 0.64 s
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    a.SendAt(Seconds(1), a.Request("INVITE", "sip:200110112011@" + GK, "t1"), Address(0), 5060);
    Run(Seconds(3));
    EXPECT_FALSE(c.Requests("INVITE").empty());
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("t1", "INVITE"), &reason), 408);
    EXPECT_NE(reason.find("no answer from sip:200110112011@10.9.0.4:5070"), std::string::npos)
        << reason;
}

TEST_F(SipWireTest, DeRegistrationThenTheNumberAnswers480Or404)
{
    auto gk = InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& b = Endpoint(2);
    // 100-1101-1201-1 is a subscriber (480 when unbound); 100-1101-1202-1 is not (404).
    b.SendAt(Seconds(1), b.Register("100110112011", "r1", "600"), Address(0), 5060);
    b.SendAt(Seconds(1), b.Register("100110112021", "r2", "600"), Address(0), 5060);
    ScheduleFunction(Seconds(1.5), [gk]() {
        EXPECT_TRUE(gk->IsRegistered("100-1101-1201-1"));
        EXPECT_TRUE(gk->IsRegistered("100-1101-1202")); // household alias
        EXPECT_EQ(gk->GetBindingCount(), 2u);
    });
    a.SendAt(Seconds(2), a.Request("INVITE", "sip:10011011202@" + GK, "i1"), Address(0), 5060);
    b.SendAt(Seconds(3), b.Register("100110112011", "r3", "0"), Address(0), 5060);
    b.SendAt(Seconds(3), b.Register("100110112021", "r4", "0"), Address(0), 5060);
    a.SendAt(Seconds(4), a.Request("INVITE", "sip:100110112011@" + GK, "i2"), Address(0), 5060);
    a.SendAt(Seconds(4), a.Request("INVITE", "sip:100110112021@" + GK, "i3"), Address(0), 5060);
    a.SendAt(Seconds(4), a.Request("INVITE", "sip:10011011202@" + GK, "i4"), Address(0), 5060);
    Run(Seconds(6));
    // Before: the household short form reached the terminal's contact.
    auto invites = Distinct(b.Requests("INVITE"));
    ASSERT_EQ(invites.size(), 1u);
    EXPECT_EQ(invites[0].GetRequestUri(), "sip:100110112020@10.9.0.3:5060");
    std::string reason;
    EXPECT_EQ(FinalCode(b.Responses("r3", "REGISTER"), &reason), 200);
    EXPECT_EQ(b.Responses("r3", "REGISTER").back().GetHeader("Expires"), "0");
    EXPECT_EQ(FinalCode(a.Responses("i2", "INVITE"), &reason), 480);
    EXPECT_NE(reason.find("not registered"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(a.Responses("i3", "INVITE"), &reason), 404);
    EXPECT_EQ(FinalCode(a.Responses("i4", "INVITE"), &reason), 404); // household went too
    EXPECT_FALSE(gk->IsRegistered("100-1101-1201-1"));
    EXPECT_FALSE(gk->IsRegistered("100-1101-1202-0"));
    EXPECT_EQ(gk->GetBindingCount(), 0u);
}

TEST_F(SipWireTest, BindingIsReplacedWhenTheTerminalAddressChanges)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& b = Endpoint(2);
    auto& d = Endpoint(3); // the terminal's new address (node 3, port 5060)
    b.SendAt(Seconds(1), b.Register("100110112011", "r1", "7200"), Address(0), 5060);
    d.SendAt(Seconds(2), d.Register("100110112011", "r2", "60"), Address(0), 5060);
    a.SendAt(Seconds(3), a.Request("INVITE", "sip:100110112011@" + GK, "i1"), Address(0), 5060);
    Run(Seconds(5));
    std::string reason;
    EXPECT_EQ(FinalCode(b.Responses("r1", "REGISTER"), &reason), 200);
    EXPECT_EQ(b.Responses("r1", "REGISTER").back().GetHeader("Expires"), "3600"); // clamped
    EXPECT_EQ(d.Responses("r2", "REGISTER").back().GetHeader("Expires"), "60");
    EXPECT_TRUE(b.Requests("INVITE").empty());
    ASSERT_FALSE(d.Requests("INVITE").empty());
    EXPECT_EQ(d.Requests("INVITE")[0].GetRequestUri(), "sip:100110112011@10.9.0.4:5060");
}

TEST_F(SipWireTest, GatekeeperRefusesBadRegistrations)
{
    InstallGatekeeper();
    auto& b = Endpoint(2);
    b.SendAt(Seconds(1), b.Register("100110112011", "r1", "soon"), Address(0), 5060);
    b.SendAt(Seconds(1), b.Register("200110112011", "r2", "60"), Address(0), 5060);
    b.SendAt(Seconds(1), b.Register("1001101", "r3", "60"), Address(0), 5060);
    Run(Seconds(3));
    std::string reason;
    EXPECT_EQ(FinalCode(b.Responses("r1", "REGISTER"), &reason), 400);
    EXPECT_NE(reason.find("'soon'"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(b.Responses("r2", "REGISTER"), &reason), 403);
    EXPECT_NE(reason.find("prefix 100"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(b.Responses("r3", "REGISTER"), &reason), 400);
    EXPECT_NE(reason.find("digits"), std::string::npos) << reason;
}

TEST_F(SipWireTest, GatewayRefusesRegisterFromUpstream403AndWithoutContact400)
{
    auto gw = InstallGateway();
    auto& b = Endpoint(2);
    auto& u = Endpoint(3, 5070); // the gatekeeper side
    u.SendAt(Seconds(1), u.Register("100110112011", "g1", "60"), Address(0), 5062);
    std::string noContact = b.Request("REGISTER",
                                      "sip:apartment",
                                      "g2",
                                      "Expires: 60\r\n",
                                      "sip:100110112011@apartment");
    b.SendAt(Seconds(1), noContact, Address(0), 5062);
    b.SendAt(Seconds(1.1),
             b.Request("REGISTER",
                       "sip:apartment",
                       "g3",
                       "Contact: <sip:alice@10.9.0.3>\r\n",
                       "sip:alice@apartment"),
             Address(0),
             5062);
    b.SendAt(Seconds(1.2), b.Register("100110112021", "g4", "60"), Address(0), 5062);
    Run(Seconds(3));
    std::string reason;
    EXPECT_EQ(FinalCode(u.Responses("g1", "REGISTER"), &reason), 403);
    EXPECT_NE(reason.find("from its flat only"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(b.Responses("g2", "REGISTER"), &reason), 400);
    EXPECT_NE(reason.find("Contact"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(b.Responses("g3", "REGISTER"), &reason), 400); // To has no number
    EXPECT_EQ(FinalCode(b.Responses("g4", "REGISTER"), &reason), 403); // another flat
    EXPECT_NE(reason.find("100-1101-1202-1"), std::string::npos) << reason;
    EXPECT_TRUE(u.Requests("REGISTER").empty()); // nothing went upstream
    EXPECT_TRUE(gw->GetRegisteredUsers().empty());
}

TEST_F(SipWireTest, GatewayUsesItsConfiguredPortsAndRingsTheHousehold)
{
    auto gw = InstallGateway();
    auto& b = Endpoint(1);
    auto& d = Endpoint(2, 5090);
    auto& u = Endpoint(3, 5070);
    b.SendAt(Seconds(1), b.Register("100110112011", "r1", "120"), Address(0), 5062);
    d.SendAt(Seconds(1), d.Register("100-1101-1201-2", "r2", "120"), Address(0), 5062);
    // The gateway binds a terminal when the upstream registrar's 2xx comes back, not before.
    std::size_t boundBeforeAnswer = 99;
    ScheduleFunction(Seconds(1.4), [&]() { boundBeforeAnswer = gw->GetRegisteredUsers().size(); });
    u.AnswerEachAt(Seconds(1.5), "REGISTER", 200);
    u.SendAt(Seconds(2),
             u.Request("INVITE", "sip:10011011201@10.9.0.1:5062", "h1"),
             Address(0),
             5062);
    Run(Seconds(3));
    auto up = u.Requests("REGISTER");
    ASSERT_EQ(up.size(), 2u); // relayed to UpstreamPort 5070
    std::set<std::string> contacts{up[0].GetHeader("Contact"), up[1].GetHeader("Contact")};
    EXPECT_EQ(contacts.count("<sip:100110112011@10.9.0.1:5062>;expires=120"), 1u);
    EXPECT_EQ(contacts.count("<sip:100110112012@10.9.0.1:5062>;expires=120"), 1u);
    ASSERT_EQ(Distinct(b.Requests("INVITE")).size(), 1u);
    EXPECT_EQ(b.Requests("INVITE")[0].GetRequestUri(), "sip:100110112011@10.9.0.2:5060");
    ASSERT_EQ(Distinct(d.Requests("INVITE")).size(), 1u);
    EXPECT_EQ(d.Requests("INVITE")[0].GetRequestUri(), "sip:100110112012@10.9.0.3:5090");
    EXPECT_EQ(boundBeforeAnswer, 0u);
    EXPECT_EQ(gw->GetRegisteredUsers(), (std::vector<std::string>{"100110112011", "100110112012"}));
    EXPECT_EQ(b.AllResponses("REGISTER").size(), 1u) << "the 200 relayed to the terminal";
}

// The upstream registrar refuses (403) one of two REGISTERs for the same number: only the
// accepted one is bound, and a refused refresh from another contact leaves the binding.
TEST_F(SipWireTest, GatewayBindsOnlyWhatUpstreamAccepted)
{
    auto gw = InstallGateway();
    auto& b = Endpoint(1);
    auto& d = Endpoint(2, 5090);
    auto& u = Endpoint(3, 5070);
    b.SendAt(Seconds(1), b.Register("100110112011", "r1", "120"), Address(0), 5062);
    u.AnswerAt(Seconds(1.5), "REGISTER", 200);
    d.SendAt(Seconds(2), d.Register("100110112011", "r2", "120"), Address(0), 5062);
    u.AnswerEachAt(Seconds(2.5), "REGISTER", 403); // both: the first again (no binding change)
    u.SendAt(Seconds(3),
             u.Request("INVITE", "sip:100110112011@10.9.0.1:5062", "h1"),
             Address(0),
             5062);
    Run(Seconds(4));
    EXPECT_EQ(d.AllResponses("REGISTER").size(), 1u);
    EXPECT_EQ(d.AllResponses("REGISTER")[0].GetStatusCode(), 403);
    EXPECT_EQ(gw->GetRegisteredUsers(), (std::vector<std::string>{"100110112011"}));
    ASSERT_EQ(Distinct(b.Requests("INVITE")).size(), 1u) << "the accepted contact rings";
    EXPECT_TRUE(d.Requests("INVITE").empty());
}

} // namespace

// ------------------------------------------------ RFC 3261 conformance on the wire
// Malformed-but-answerable requests, unsupported schemes and extensions, RFC 2543 peers.

/// \return \p text with the first \p from replaced by \p to
std::string
Replaced(std::string text, const std::string& from, const std::string& to)
{
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST_F(SipWireTest, MalformedRequestsGet400WithTheReasonOr505)
{
    auto gk = InstallGatekeeper();
    auto& a = Endpoint(1);
    std::string uri = "sip:200110112011@" + GK;
    a.SendAt(Seconds(1),
             Replaced(a.Request("OPTIONS", uri, "d1"), "Call-ID:", "To: <sip:x@h>\r\nCall-ID:"),
             Address(0),
             5060);
    a.SendAt(Seconds(1.1),
             Replaced(a.Request("INVITE", uri, "d2"), "Content-Length: 0", "Content-Length: 9"),
             Address(0),
             5060);
    a.SendAt(Seconds(1.2),
             Replaced(a.Request("MESSAGE", uri, "d3"), " SIP/2.0\r\n", " SIP/3.0\r\n"),
             Address(0),
             5060);
    a.SendAt(Seconds(1.3),
             Replaced(a.Request("INVITE", uri, "d4"), "Max-Forwards: 70", "Max-Forwards: lots"),
             Address(0),
             5060);
    // Not answerable (no Via): counted and dropped.
    a.SendAt(Seconds(1.4),
             Replaced(a.Request("OPTIONS", uri, "d5"), "Via:", "Xia:"),
             Address(0),
             5060);
    Run(Seconds(3));
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("d1", "OPTIONS"), &reason), 400);
    EXPECT_NE(reason.find("To appears more than once"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(a.Responses("d2", "INVITE"), &reason), 400);
    EXPECT_NE(reason.find("Content-Length 9 is longer than the body"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(a.Responses("d3", "MESSAGE"), &reason), 505);
    EXPECT_NE(reason.find("SIP/3.0"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(a.Responses("d4", "INVITE"), &reason), 400);
    EXPECT_NE(reason.find("Max-Forwards 'lots'"), std::string::npos) << reason;
    EXPECT_TRUE(a.Responses("d5", "OPTIONS").empty());
    EXPECT_EQ(gk->GetMalformedCount(), 5u);
}

TEST_F(SipWireTest, UnsupportedSchemeGets416AndProxyRequireGets420)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    std::string uri = "sip:200110112011@" + GK;
    a.SendAt(Seconds(1), a.Request("INVITE", "tel:+1-201-555-0123", "s1"), Address(0), 5060);
    a.SendAt(Seconds(1.1), a.Request("OPTIONS", "sips:" + GK, "s2"), Address(0), 5060);
    a.SendAt(Seconds(1.2),
             a.Request("INVITE", uri, "s3", "Proxy-Require: foo\r\n"),
             Address(0),
             5060);
    // Require is for the UAS: a proxy forwards it untouched.
    a.SendAt(Seconds(1.3), a.Request("MESSAGE", uri, "s4", "Require: foo\r\n"), Address(0), 5060);
    Run(Seconds(3));
    std::string reason;
    EXPECT_EQ(FinalCode(a.Responses("s1", "INVITE"), &reason), 416);
    EXPECT_NE(reason.find("tel"), std::string::npos) << reason;
    EXPECT_EQ(FinalCode(a.Responses("s2", "OPTIONS"), &reason), 416);
    auto bad = a.Responses("s3", "INVITE");
    EXPECT_EQ(FinalCode(bad, &reason), 420);
    ASSERT_FALSE(bad.empty());
    EXPECT_EQ(bad.back().GetHeader("Unsupported"), "foo");
    EXPECT_TRUE(c.Requests("INVITE").empty());
    auto forwarded = c.Requests("MESSAGE");
    ASSERT_EQ(forwarded.size(), 1u);
    EXPECT_EQ(forwarded[0].GetHeader("Require"), "foo");
}

TEST_F(SipWireTest, TerminalAnswers405420And501AndServesMaxForwardsZero)
{
    auto t = CreateObject<SipTerminal>();
    t->SetAttribute("Number", StringValue("100-1101-1201-1"));
    t->SetAttribute("Proxy", Ipv4AddressValue(Address(3)));
    m_nodes.Get(2)->AddApplication(t);
    t->SetStartTime(Seconds(0));
    auto& a = Endpoint(1);
    std::string uri = "sip:100110112011@10.9.0.3";
    a.SendAt(Seconds(1), a.Request("SUBSCRIBE", uri, "t1"), Address(2), 5060);
    a.SendAt(Seconds(1.1), a.Request("FROBNICATE", uri, "t2"), Address(2), 5060);
    a.SendAt(Seconds(1.2),
             a.Request("OPTIONS", uri, "t3", "Require: 100rel\r\n"),
             Address(2),
             5060);
    a.SendAt(Seconds(1.3),
             Replaced(a.Request("OPTIONS", uri, "t4"), "Max-Forwards: 70", "Max-Forwards: 0"),
             Address(2),
             5060);
    Run(Seconds(3));
    std::string reason;
    auto subscribe = a.Responses("t1", "SUBSCRIBE");
    EXPECT_EQ(FinalCode(subscribe, &reason), 405);
    EXPECT_NE(reason.find("SUBSCRIBE"), std::string::npos) << reason;
    ASSERT_FALSE(subscribe.empty());
    EXPECT_NE(Joined(subscribe.back(), "Allow").find("INVITE"), std::string::npos);
    auto unknown = a.Responses("t2", "FROBNICATE");
    EXPECT_EQ(FinalCode(unknown, &reason), 501);
    ASSERT_FALSE(unknown.empty());
    EXPECT_FALSE(unknown.back().HasHeader("Allow"));
    auto require = a.Responses("t3", "OPTIONS");
    EXPECT_EQ(FinalCode(require, &reason), 420);
    ASSERT_FALSE(require.empty());
    EXPECT_EQ(require.back().GetHeader("Unsupported"), "100rel");
    // Max-Forwards 0 stops a proxy, not the UAS the request is for (§8.2, §16.3).
    EXPECT_EQ(FinalCode(a.Responses("t4", "OPTIONS"), &reason), 200);
}

TEST_F(SipWireTest, Rfc2543InviteIsMatchedByItsFields)
{
    InstallGatekeeper();
    auto& a = Endpoint(1);
    auto& c = Endpoint(3, 5070);
    // An RFC 2543 element: no branch at all; sent twice (a retransmission).
    std::string invite =
        Replaced(a.Request("INVITE", "sip:200110112011@" + GK, "r1"), ";branch=z9hG4bKr1", "");
    a.SendAt(Seconds(1), invite, Address(0), 5060);
    a.SendAt(Seconds(1.4), invite, Address(0), 5060);
    c.AnswerAt(Seconds(1.2), "INVITE", 486);
    Run(Seconds(4));
    // Forwarded once; the retransmission was absorbed by the server transaction.
    EXPECT_EQ(Distinct(c.Requests("INVITE")).size(), 1u);
    std::string reason;
    auto responses = a.Responses("r1", "INVITE");
    EXPECT_EQ(FinalCode(responses, &reason), 486);
    ASSERT_FALSE(responses.empty());
    EXPECT_EQ(responses.back().GetTopVia()->GetBranch(), "");
}

// Digest authentication on the wire: REGISTER gets 401 with a challenge of the grammar; the
// answer with the number's password registers; the same answer again is a replay; another
// number's credentials, or a number whose password the endpoint does not have, are refused.
TEST_F(SipWireTest, GatekeeperChallengesRegisterAndInviteAndChecksTheNumber)
{
    if (!CryptoAvailable())
    {
        GTEST_SKIP() << "built without OpenSSL's libcrypto";
    }
    auto gk = InstallGatekeeper(true);
    gk->SetAttribute("AuthenticateInvite", BooleanValue(true));
    gk->AddSubscriber("100-1101-1202-1");
    auto& a = Endpoint(1);
    auto& b = Endpoint(2);
    const std::string own = "100110112011";
    const std::string other = "100110112021";
    b.SendAt(Seconds(1), b.Register(own, "r1", "600"), Address(0), 5060);
    a.SendAt(Seconds(1),
             Replaced(a.Request("INVITE", "sip:" + own + "@" + GK, "i1"),
                      "<sip:caller@",
                      "<sip:" + other + "@"),
             Address(0),
             5060);
    // Sends \p base again as CSeq 2 on a new branch, with \p header: \p credentials.
    auto again = [](const std::string& base,
                    const std::string& id,
                    const std::string& method,
                    const std::string& header,
                    const std::string& credentials) {
        std::string text = Replaced(base, "branch=z9hG4bK" + id, "branch=z9hG4bK" + id + "b");
        text = Replaced(text, "CSeq: 1 " + method, "CSeq: 2 " + method);
        return Replaced(text,
                        "Content-Length: 0",
                        header + ": " + credentials + "\r\nContent-Length: 0");
    };
    std::string wwwAuthenticate;
    ScheduleFunction(Seconds(1.5), [&]() {
        auto r = b.Responses("r1", "REGISTER");
        ASSERT_FALSE(r.empty());
        ASSERT_EQ(r.back().GetStatusCode(), 401);
        wwwAuthenticate = r.back().GetHeader("WWW-Authenticate");
        auto ch = DigestChallenge::Parse(wwwAuthenticate);
        ASSERT_TRUE(ch) << wwwAuthenticate;
        auto answer = [&](const std::string& user, const std::string& password, uint32_t nc) {
            return DigestCredentials::Answer(*ch,
                                             user,
                                             password,
                                             "REGISTER",
                                             "sip:apartment",
                                             "cn" + std::to_string(nc),
                                             nc)
                .ToString();
        };
        std::string base = b.Register(own, "r1", "600");
        std::string right = answer(own, gk->GetPassword(own), 1);
        b.SendAt(Seconds(0.1),
                 again(base, "r1", "REGISTER", "Authorization", right),
                 Address(0),
                 5060);
        // The same credentials in a new transaction: nc 1 again is a replay.
        std::string replay =
            Replaced(again(base, "r1", "REGISTER", "Authorization", right), "CSeq: 2", "CSeq: 3");
        b.SendAt(Seconds(0.2), Replaced(replay, "z9hG4bKr1b", "z9hG4bKr1c"), Address(0), 5060);
        // Registering another flat's number with this number's credentials: 403.
        std::string foreign = b.Register(other, "r2", "600");
        b.SendAt(Seconds(0.3),
                 again(foreign, "r2", "REGISTER", "Authorization", right),
                 Address(0),
                 5060);
        // ... or with a password guessed for it: challenged again.
        std::string guess =
            again(foreign, "r2", "REGISTER", "Authorization", answer(other, "guess", 2));
        b.SendAt(Seconds(0.4),
                 Replaced(Replaced(guess, "z9hG4bKr2b", "z9hG4bKr2c"), "CSeq: 2", "CSeq: 3"),
                 Address(0),
                 5060);
        // INVITE claiming the other number: 407, then its answer with own credentials 403.
        auto i = a.Responses("i1", "INVITE");
        ASSERT_FALSE(i.empty());
        ASSERT_EQ(i.back().GetStatusCode(), 407);
        auto pch = DigestChallenge::Parse(i.back().GetHeader("Proxy-Authenticate"));
        ASSERT_TRUE(pch);
        std::string invite = Replaced(a.Request("INVITE", "sip:" + own + "@" + GK, "i1"),
                                      "<sip:caller@",
                                      "<sip:" + other + "@");
        auto creds = DigestCredentials::Answer(*pch,
                                               own,
                                               gk->GetPassword(own),
                                               "INVITE",
                                               "sip:" + own + "@" + GK,
                                               "x",
                                               1);
        a.SendAt(Seconds(0.1),
                 again(invite, "i1", "INVITE", "Proxy-Authorization", creds.ToString()),
                 Address(0),
                 5060);
    });
    Run(Seconds(3));
    EXPECT_NE(wwwAuthenticate.find("algorithm=SHA-256"), std::string::npos) << wwwAuthenticate;
    EXPECT_NE(wwwAuthenticate.find("qop=\"auth\""), std::string::npos) << wwwAuthenticate;
    std::vector<uint16_t> codes;
    for (const auto& r : b.Responses("r1", "REGISTER"))
    {
        if (codes.empty() || codes.back() != r.GetStatusCode())
        {
            codes.push_back(r.GetStatusCode());
        }
    }
    EXPECT_EQ(codes, (std::vector<uint16_t>{401, 200, 401})); // challenge, ok, replay
    std::string reason;
    auto foreign = b.Responses("r2", "REGISTER");
    ASSERT_GE(foreign.size(), 2u);
    EXPECT_EQ(foreign.front().GetStatusCode(), 403);
    EXPECT_NE(foreign.front().GetReason().find("do not match"), std::string::npos)
        << foreign.front().GetReason();
    EXPECT_EQ(foreign.back().GetStatusCode(), 401);
    EXPECT_TRUE(gk->IsRegistered("100-1101-1201-1"));
    EXPECT_FALSE(gk->IsRegistered("100-1101-1202-1"));
    std::set<uint16_t> first;
    std::set<uint16_t> second;
    for (const auto& r : a.Responses("i1", "INVITE"))
    {
        (r.GetCSeqNumber() == 1 ? first : second).insert(r.GetStatusCode());
    }
    EXPECT_EQ(first, (std::set<uint16_t>{100, 407}));
    EXPECT_EQ(second, (std::set<uint16_t>{100, 403}));
    EXPECT_TRUE(b.Requests("INVITE").empty()); // nothing reached the callee
    EXPECT_EQ(gk->GetChallengeCount(), 4u);    // r1, the replay, the guess, i1
    EXPECT_EQ(gk->GetAuthFailureCount(), 4u);  // replay, foreign, guess, foreign INVITE
}
