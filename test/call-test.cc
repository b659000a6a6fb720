/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/schedule-function.h"
#include "ns3/sip-header.h"
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

} // namespace
