/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

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

struct Outcome
{
    CallRecord caller;
    CallRecord callee;
    uint64_t rtpAtRemote{0}; //!< RTP datagrams the remote phone's node received
};

void
CountRtp(uint64_t* n, Ptr<const Packet> p, Ptr<Ipv4>, uint32_t)
{
    // G.711 20 ms: 160 bytes of audio + RTP 12 + UDP 8 + IP 20.
    *n += p->GetSize() == 200;
}

/// One 10 s call from the outside phone to terminal 1 of flat 1201, in \p mode.
Outcome
OneCall(const std::string& mode, double wanLoss = 0)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    auto topo = CreateObject<ApartmentTopologyHelper>();
    topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
    topo->SetAttribute("TerminalsPerFlat", UintegerValue(2));
    topo->Build();
    if (wanLoss > 0)
    {
        Ptr<Channel> wan = topo->GetNatRouterWanDevice()->GetChannel();
        for (std::size_t i = 0; i < wan->GetNDevices(); ++i)
        {
            auto em = CreateObject<RateErrorModel>();
            em->SetAttribute("ErrorRate", DoubleValue(wanLoss));
            em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
            em->AssignStreams(1000 + static_cast<int64_t>(i));
            wan->GetDevice(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }
    VoipHelper voip;
    voip.SetTerminalAttribute("MediaMode", StringValue(mode));
    voip.Install(topo);
    topo->AssignStreams(1 + voip.AssignStreams(1));
    Outcome out;
    Ptr<Node> remote = topo->GetRemotePhones().Get(0);
    remote->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx",
        MakeBoundCallback(&CountRtp, &out.rtpAtRemote));
    Ptr<SipTerminal> caller = voip.GetTerminal(remote);
    ScheduleFunction(Seconds(2), [caller]() { caller->Dial("100-1101-1201-1", Seconds(300)); });
    Simulator::Stop(Seconds(320));
    Simulator::Run();
    auto calls = voip.GetOriginatingRecords();
    EXPECT_EQ(calls.size(), 1u);
    if (!calls.empty())
    {
        out.caller = calls[0];
        const CallRecord* callee = voip.FindCalleeRecord(calls[0].callId);
        EXPECT_NE(callee, nullptr);
        if (callee)
        {
            out.callee = *callee;
        }
    }
    Simulator::Destroy();
    Names::Clear();
    return out;
}

// The flow-level mode changes the media, not the call: same signalling times, MOS and
// delay from the sampled packets, counts scaled to the stream, 1/50 of the RTP packets.
TEST(MediaModeTest, FlowLevelKeepsTheCallAndScoresTheSameOnAnIdlePath)
{
    Outcome p = OneCall("Packets");
    Outcome f = OneCall("FlowLevel");
    ASSERT_EQ(p.caller.finalCode, 200);
    ASSERT_EQ(f.caller.finalCode, 200);
    EXPECT_EQ(p.caller.GetFirstSrd(), f.caller.GetFirstSrd());
    EXPECT_EQ(p.caller.answerTime, f.caller.answerTime);
    EXPECT_EQ(p.caller.endTime, f.caller.endTime);
    for (auto [pr, fr] : {std::pair{p.caller, f.caller}, std::pair{p.callee, f.callee}})
    {
        // 300 s at 50 packets/s; the flow count is the number of samples times 50.
        EXPECT_NEAR(static_cast<double>(pr.media.received), 15000, 5);
        EXPECT_NEAR(static_cast<double>(fr.media.received), 15000, 50);
        EXPECT_EQ(fr.media.received % 50, 0u);
        EXPECT_EQ(fr.media.GetLossPercent(), 0.0);
        // The first packet waits for ARP; it weighs 50 times more among the samples.
        EXPECT_NEAR(fr.media.meanDelayMs, pr.media.meanDelayMs, 0.5);
        EXPECT_NEAR(fr.media.mos, pr.media.mos, 0.005);
        EXPECT_GT(fr.media.mos, 4.3);
    }
    EXPECT_NEAR(static_cast<double>(p.rtpAtRemote), 15000, 5);
    EXPECT_NEAR(static_cast<double>(f.rtpAtRemote), 300, 2);
}

// With 10 % loss on the WAN both modes see about 10 % media loss (the samples estimate it:
// 300 samples, binomial standard deviation 1.7 %), and MOS drops accordingly.
TEST(MediaModeTest, FlowLevelSeesThePathLoss)
{
    Outcome p = OneCall("Packets", 0.1);
    Outcome f = OneCall("FlowLevel", 0.1);
    ASSERT_EQ(p.caller.finalCode, 200);
    ASSERT_EQ(f.caller.finalCode, 200);
    for (const auto& r : {p.caller, p.callee, f.caller, f.callee})
    {
        EXPECT_NEAR(r.media.GetLossPercent(), 10.0, 5.0);
        EXPECT_LT(r.media.mos, 4.0);
    }
    EXPECT_NEAR(f.caller.media.mos, p.caller.media.mos, 0.3);
}

} // namespace
