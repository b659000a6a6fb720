/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The processing model of the SIP proxies (service time, bounded queue, 503 on overload)
// and the gatekeeper's outside-line limit, on the wire of a small complex.

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

class ProxyLoadTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        m_topo = CreateObject<ApartmentTopologyHelper>();
        m_topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
        m_topo->SetAttribute("TerminalsPerFlat", UintegerValue(2));
        m_topo->SetAttribute("RemotePhones", UintegerValue(2));
        m_voip.SetTerminalAttribute("RingTime",
                                    StringValue("ns3::ConstantRandomVariable[Constant=1]"));
    }

    /// Builds; the complex's gatekeeper gets service time \p service (seconds).
    void Build(double service)
    {
        m_topo->Build();
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        std::string rv = "ns3::ConstantRandomVariable[Constant=" + std::to_string(service) + "]";
        m_voip.GetGatekeeper()->SetAttribute("ServiceTime", StringValue(rv));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    Ptr<SipTerminal> Terminal(uint32_t flat, uint32_t t)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, flat, t + 1));
    }

    Ptr<SipTerminal> Remote(uint32_t i)
    {
        return m_voip.GetTerminal(m_topo->GetRemotePhones().Get(i));
    }

    std::string Number(Ptr<SipTerminal> t)
    {
        StringValue v;
        t->GetAttribute("Number", v);
        return v.Get();
    }

    void Dial(Time at, Ptr<SipTerminal> from, Ptr<SipTerminal> to, Time holding)
    {
        std::string number = Number(to);
        ScheduleFunction(at,
                         [from, number, holding]() { ASSERT_TRUE(from->Dial(number, holding)); });
    }

    /// The SRD of the one call \p from places to \p to at 10 s.
    double SrdOfOneCall(Ptr<SipTerminal> from, Ptr<SipTerminal> to)
    {
        Dial(Seconds(10), from, to, Seconds(2));
        Simulator::Stop(Seconds(30));
        Simulator::Run();
        auto calls = m_voip.GetOriginatingRecords();
        EXPECT_EQ(calls.size(), 1u);
        if (calls.empty() || calls[0].srd.empty())
        {
            return -1;
        }
        EXPECT_EQ(calls[0].finalCode, 200);
        return calls[0].srd.front().GetSeconds();
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    VoipHelper m_voip;
};

TEST_F(ProxyLoadTest, ZeroServiceTimeHasNoQueue)
{
    Build(0);
    double srd = SrdOfOneCall(Terminal(0, 0), Terminal(1, 0));
    EXPECT_GT(srd, 0);
    EXPECT_LT(srd, 0.05);
    EXPECT_EQ(m_voip.GetGatekeeper()->GetProcessedCount(), 0u);
    EXPECT_EQ(m_voip.GetGatekeeper()->GetBusyTime(), Time(0));
}

TEST_F(ProxyLoadTest, ServiceTimeDelaysTheSessionRequest)
{
    Build(0.1);
    uint32_t longest = 0;
    m_voip.GetGatekeeper()->TraceConnectWithoutContext(
        "QueueLength",
        MakeCallback(+[](uint32_t* max, uint32_t n) { *max = std::max(*max, n); }).Bind(&longest));
    double srd = SrdOfOneCall(Terminal(0, 0), Terminal(1, 0));
    // The INVITE, then the callee gateway's 100 and the 180 behind it: three services.
    EXPECT_GT(srd, 0.3);
    EXPECT_LT(srd, 0.35);
    auto gk = m_voip.GetGatekeeper();
    EXPECT_GT(gk->GetProcessedCount(), 10u); // registrations and the call
    EXPECT_EQ(gk->GetBusyTime(), MilliSeconds(100) * static_cast<int64_t>(gk->GetProcessedCount()));
    EXPECT_GE(longest, 2u);
    EXPECT_EQ(gk->GetOverloadCount(), 0u);
}

TEST_F(ProxyLoadTest, SlowProxyMakesTheCallerRetransmit)
{
    // A 0.7 s server with T1 = 0.5 s serves every retransmission too: the start-up
    // registrations with their 401 round trip (twice the transactions) pile up past the
    // call at 10 s. What this test measures is the call's retransmissions, so registration
    // is not challenged here (DigestAuthCostsOneRoundTripPerRegistration covers the cost).
    m_voip.SetGatekeeperAttribute("AuthenticateRegister", BooleanValue(false));
    Build(0.7); // beyond T1 = 500 ms: the 100 Trying comes too late
    double srd = SrdOfOneCall(Remote(0), Terminal(0, 0));
    EXPECT_GT(srd, 2.1);
    EXPECT_GT(Remote(0)->GetRetransmissionCount() +
                  m_voip.GetOutsideGatekeeper()->GetRetransmissionCount(),
              0u);
    EXPECT_EQ(m_voip.GetGatekeeper()->GetOverloadCount(), 0u);
}

TEST_F(ProxyLoadTest, FullQueueAnswers503WithRetryAfter)
{
    Build(0.2);
    auto gk = m_voip.GetGatekeeper();
    std::vector<std::string> refused;
    gk->TraceConnectWithoutContext("Overload",
                                   MakeCallback(+[](std::vector<std::string>* out,
                                                    const std::string& method,
                                                    const std::string&) {
                                       out->push_back(method);
                                   }).Bind(&refused));
    std::string rx;
    Remote(1)->TraceConnectWithoutContext(
        "Rx",
        MakeCallback(+[](std::string* out, const std::string& text) {
            if (text.rfind("SIP/2.0 503", 0) == 0)
            {
                *out = text;
            }
        }).Bind(&rx));
    ScheduleFunction(Seconds(9), [gk]() { gk->SetAttribute("QueueLimit", UintegerValue(1)); });
    Dial(Seconds(10), Remote(0), Terminal(0, 0), Seconds(2));
    Dial(Seconds(10.001), Remote(1), Terminal(1, 0), Seconds(2));
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].finalCode, 503);
    EXPECT_EQ(calls[0].localNumber, Number(Remote(1)));
    EXPECT_EQ(calls[1].finalCode, 200);
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0], "INVITE");
    EXPECT_EQ(gk->GetOverloadCount(), 1u);
    EXPECT_NE(rx.find("Retry-After: 5"), std::string::npos) << rx;
}

TEST_F(ProxyLoadTest, OutsideLinesAreLimitedAndReleased)
{
    Build(0);
    auto gk = m_voip.GetGatekeeper();
    gk->SetAttribute("MaxOutsideCalls", UintegerValue(1));
    Dial(Seconds(5), Terminal(0, 0), Remote(0), Seconds(5));      // takes the line until ~11 s
    Dial(Seconds(7), Remote(1), Terminal(1, 0), Seconds(1));      // incoming: no line, 503
    Dial(Seconds(8), Terminal(0, 1), Terminal(1, 1), Seconds(1)); // inside: not limited
    Dial(Seconds(15), Remote(1), Terminal(1, 0), Seconds(1));     // the line is free again
    std::vector<uint32_t> taken;
    for (double s : {6.0, 9.0, 14.0, 16.5, 25.0})
    {
        ScheduleFunction(Seconds(s),
                         [gk, &taken]() { taken.push_back(gk->GetOutsideCallCount()); });
    }
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    std::map<std::string, std::vector<uint16_t>> codes;
    for (const auto& r : m_voip.GetOriginatingRecords())
    {
        codes[r.localNumber].push_back(r.finalCode);
    }
    EXPECT_EQ(codes[Number(Terminal(0, 0))], std::vector<uint16_t>{200});
    EXPECT_EQ(codes[Number(Remote(1))], (std::vector<uint16_t>{503, 200}));
    EXPECT_EQ(codes[Number(Terminal(0, 1))], std::vector<uint16_t>{200});
    EXPECT_EQ(taken, (std::vector<uint32_t>{1, 1, 0, 1, 0}));
}

TEST_F(ProxyLoadTest, UnansweredOutsideCallReleasesItsLine)
{
    m_voip.SetTerminalAttribute("AutoAnswer", BooleanValue(false));
    Build(0);
    auto gk = m_voip.GetGatekeeper();
    gk->SetAttribute("MaxOutsideCalls", UintegerValue(1));
    Dial(Seconds(5), Terminal(0, 0), Remote(0), Seconds(1));
    ScheduleFunction(Seconds(7), [this]() { Terminal(0, 0)->Hangup(); }); // CANCEL
    uint32_t during = 0;
    ScheduleFunction(Seconds(6), [gk, &during]() { during = gk->GetOutsideCallCount(); });
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    EXPECT_EQ(during, 1u);
    EXPECT_EQ(gk->GetOutsideCallCount(), 0u); // the 487 released it
}

} // namespace
