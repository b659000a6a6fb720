/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Seed 003 serving calls: a phone behind the complex's NAPT router registers directly with
// the outside gatekeeper, learns its public SIP and RTP endpoints (seed 003 or STUN) and
// calls in and out with media both ways.

#include "ns3/apartment-topology-helper.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/nat-helper.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"
#include "ns3/stun-header.h"
#include "ns3/traversal-demux.h"
#include "ns3/traversal-header.h"
#include "ns3/traversal-helper.h"
#include "ns3/voip-helper.h"

#include <gtest/gtest.h>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

Ptr<Packet>
Bytes(const std::string& text)
{
    return Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

TEST(DatagramKindTest, TellsTraversalFromSipAndRtp)
{
    TraversalHeader p6(TraversalHeader::P6_KEEPALIVE);
    Ptr<Packet> seed = Create<Packet>();
    seed->AddHeader(p6);
    EXPECT_EQ(ClassifyDatagram(seed), DatagramKind::SEED003);

    StunHeader stun;
    stun.SetMessageType(StunHeader::BINDING_REQUEST);
    Ptr<Packet> s = Create<Packet>();
    s->AddHeader(stun);
    EXPECT_EQ(ClassifyDatagram(s), DatagramKind::STUN);

    EXPECT_EQ(ClassifyDatagram(Bytes("NOTIFY sip:a@b SIP/2.0\r\n")), DatagramKind::OTHER);
    EXPECT_EQ(ClassifyDatagram(Bytes("SIP/2.0 200 OK\r\n")), DatagramKind::OTHER);
    EXPECT_EQ(ClassifyDatagram(Bytes("\r\n\r\n")), DatagramKind::OTHER); // CRLF keepalive
    const uint8_t rtp[12] = {0x80, 0, 0, 1, 0, 0, 0, 0, 0x21, 0x12, 0xA4, 0x42};
    EXPECT_EQ(ClassifyDatagram(rtp, sizeof rtp), DatagramKind::OTHER);
    // "NT" with another version, and a STUN-like header without the cookie.
    const uint8_t nt2[6] = {0x4E, 0x54, 2, 6, 0, 0};
    EXPECT_EQ(ClassifyDatagram(nt2, sizeof nt2), DatagramKind::OTHER);
    uint8_t nocookie[20] = {0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x43};
    EXPECT_EQ(ClassifyDatagram(nocookie, sizeof nocookie), DatagramKind::OTHER);
    nocookie[7] = 0x42;
    EXPECT_EQ(ClassifyDatagram(nocookie, sizeof nocookie), DatagramKind::STUN);
    EXPECT_EQ(ClassifyDatagram(nocookie, 19), DatagramKind::OTHER); // too short
}

bool
IsPrivate(Ipv4Address a)
{
    return Ipv4Mask("255.0.0.0").IsMatch(a, "10.0.0.0") ||
           Ipv4Mask("255.240.0.0").IsMatch(a, "172.16.0.0") ||
           Ipv4Mask("255.255.0.0").IsMatch(a, "192.168.0.0");
}

void
Record(std::vector<CallRecord>* records, const CallRecord& r)
{
    records->push_back(r);
}

void
Text(std::vector<std::string>* texts, const std::string& t)
{
    texts->push_back(t);
}

void
Expired(uint32_t* count, const NatMapping&)
{
    ++*count;
}

class DirectCallTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        m_topo = CreateObject<ApartmentTopologyHelper>();
        m_topo->SetAttribute("Buildings", UintegerValue(1));
        m_topo->SetAttribute("FlatsPerBuilding", UintegerValue(1));
        m_topo->SetAttribute("TerminalsPerFlat", UintegerValue(2));
        m_topo->SetAttribute("RemotePhones", UintegerValue(1));
        m_topo->SetAttribute("EdgeMode", StringValue("Nat"));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    }

    /// Builds the complex behind NAPT, the call side, the traversal servers and one direct
    /// phone on terminal 1 (its own SIP and RTP ports, beside the terminal's home phone).
    void Build(SipTerminal::TraversalMode mode, Time keepaliveStop = Time(0))
    {
        m_natHelper.Prepare(m_topo);
        m_topo->Build();
        m_nat = m_natHelper.Install(m_topo);
        m_nat->TraceConnectWithoutContext("MappingExpired",
                                          MakeBoundCallback(&Expired, &m_expired));
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);

        TraversalHelper traversal;
        traversal.SetServerAttribute("KeepIdle", TimeValue(Seconds(20)));
        traversal.InstallAgent(m_topo->GetNatRouter());
        traversal.InstallServer(m_topo->GetOutsideGatekeeper());
        traversal.InstallStunServer(m_topo->GetOutsideGatekeeper());
        traversal.SetPhoneAttribute("Port", UintegerValue(5070));
        traversal.SetPhoneAttribute("FirstRtpPort", UintegerValue(20000));
        traversal.SetPhoneAttribute("KeepaliveInterval", TimeValue(Seconds(5)));
        traversal.SetPhoneAttribute("KeepaliveStop", TimeValue(keepaliveStop));
        traversal.SetPhoneAttribute("RingTime",
                                    StringValue("ns3::ConstantRandomVariable[Constant=1.0]"));
        m_number = m_topo->GetOutsideNumberingPlan().Make(2, 1, 1).ToString();
        ApplicationContainer apps =
            traversal.InstallDirectPhone(m_topo->GetTerminal(0, 0, 1),
                                         m_number,
                                         m_voip.GetOutsideGatekeeper(),
                                         m_topo->GetOutsideGatekeeperAddress(),
                                         mode,
                                         5000);
        TraversalHelper::AssignStreams(apps, 500);
        apps.Start(Seconds(1));
        m_phone = DynamicCast<SipTerminal>(apps.Get(0));
        m_remote = m_voip.GetTerminal(m_topo->GetRemotePhones().Get(0));
        m_phone->TraceConnectWithoutContext("CallEnded", MakeBoundCallback(&Record, &m_phoneCalls));
        m_phone->TraceConnectWithoutContext("Tx", MakeBoundCallback(&Text, &m_phoneTx));
        m_remote->TraceConnectWithoutContext("CallEnded",
                                             MakeBoundCallback(&Record, &m_remoteCalls));
    }

    void Dial(Time at, Ptr<SipTerminal> from, const std::string& number, Time holding)
    {
        ScheduleFunction(at,
                         [from, number, holding]() { ASSERT_TRUE(from->Dial(number, holding)); });
    }

    /// The phone learnt a public endpoint of the NAT and registered it.
    void ExpectRegisteredWithPublicEndpoints()
    {
        ASSERT_TRUE(m_phone->IsTraversalReady());
        EXPECT_TRUE(m_phone->IsRegistered());
        EXPECT_EQ(m_phone->GetPublicAddress(),
                  m_topo->GetAddressPlan().GetNatRouterPublicAddress());
        const Ipv4Address inside =
            ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 1));
        auto sip = m_nat->LookupPublic(17, inside, 5070);
        auto rtp = m_nat->LookupPublic(17, inside, 20000);
        ASSERT_TRUE(sip && rtp);
        EXPECT_EQ(m_phone->GetPublicAddress(), sip->first);
        EXPECT_EQ(m_phone->GetPublicSipPort(), sip->second);
        EXPECT_EQ(m_phone->GetPublicRtpPort(), rtp->second);
        EXPECT_FALSE(IsPrivate(m_phone->GetPublicAddress()));
        EXPECT_TRUE(m_voip.GetOutsideGatekeeper()->IsRegistered(m_number));
        EXPECT_GT(m_phone->GetTraversalDetectionTime(), Time(0));
    }

    /// Every Contact, Via and SDP address the phone sent is its public one.
    void ExpectOnlyPublicAddressesSent()
    {
        ASSERT_FALSE(m_phoneTx.empty());
        const std::string pub = [this]() {
            std::ostringstream os;
            os << m_phone->GetPublicAddress();
            return os.str();
        }();
        std::ostringstream priv;
        priv << ApartmentTopologyHelper::GetPrimaryAddress(m_topo->GetTerminal(0, 0, 1));
        uint32_t sdp = 0;
        for (const auto& t : m_phoneTx)
        {
            EXPECT_EQ(t.find(priv.str()), std::string::npos) << t;
            if (t.find("\r\nc=IN IP4 ") != std::string::npos)
            {
                ++sdp;
                EXPECT_NE(t.find("c=IN IP4 " + pub), std::string::npos) << t;
                EXPECT_NE(t.find("m=audio " + std::to_string(m_phone->GetPublicRtpPort()) + " "),
                          std::string::npos)
                    << t;
            }
        }
        EXPECT_GE(sdp, 2u); // the answer to the incoming call and the outgoing offer
    }

    /// Both sides of the call \p index of the remote phone's records got RTP.
    void ExpectMediaBothWays(const CallRecord& remote)
    {
        EXPECT_EQ(remote.finalCode, 200) << remote.GetOutcome();
        EXPECT_GT(remote.media.received, 50u);
        const CallRecord* phone = nullptr;
        for (const auto& r : m_phoneCalls)
        {
            if (r.callId == remote.callId)
            {
                phone = &r;
            }
        }
        ASSERT_NE(phone, nullptr);
        EXPECT_GT(phone->media.received, 50u);
        EXPECT_GT(phone->media.sent, 50u);
    }

    /// Calls in and out, media both ways; \return the detection time
    Time RunCallsBothWays()
    {
        const std::string remoteNumber = m_topo->GetRemotePhoneNumber(0).ToString();
        Dial(Seconds(3), m_remote, m_number, Seconds(4));
        Dial(Seconds(12), m_phone, remoteNumber, Seconds(4));
        Simulator::Stop(Seconds(25));
        Simulator::Run();
        ExpectRegisteredWithPublicEndpoints();
        EXPECT_EQ(m_remoteCalls.size(), 2u);
        for (const auto& r : m_remoteCalls)
        {
            ExpectMediaBothWays(r);
        }
        ExpectOnlyPublicAddressesSent();
        return m_phone->GetTraversalDetectionTime();
    }

    Ptr<ApartmentTopologyHelper> m_topo;
    NatHelper m_natHelper;
    Ptr<NatTrafficControlLayer> m_nat;
    VoipHelper m_voip;
    std::string m_number;
    Ptr<SipTerminal> m_phone;
    Ptr<SipTerminal> m_remote;
    std::vector<CallRecord> m_phoneCalls;
    std::vector<CallRecord> m_remoteCalls;
    std::vector<std::string> m_phoneTx;
    uint32_t m_expired{0};
};

TEST_F(DirectCallTest, Seed003PhoneBehindNaptCallsInAndOut)
{
    Build(SipTerminal::TraversalMode::SEED003);
    Time detection = RunCallsBothWays();
    ASSERT_NE(m_phone->GetSipDetectionClient(), nullptr);
    EXPECT_EQ(m_phone->GetSipDetectionClient()->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(m_phone->GetRtpDetectionClient()->GetVerdict(), NatVerdict::NAT);
    EXPECT_GT(m_phone->GetSipDetectionClient()->GetKeepalivesSent(), 2u);
    EXPECT_GT(m_phone->GetRtpDetectionClient()->GetKeepalivesSent(), 2u);
    EXPECT_EQ(m_phone->GetMalformedCount(), 0u);
    std::cout << "seed-003 detection (SIP and RTP ports): " << detection.As(Time::MS) << "\n";
}

TEST_F(DirectCallTest, StunPhoneBehindNaptCallsInAndOut)
{
    Build(SipTerminal::TraversalMode::STUN);
    Time detection = RunCallsBothWays();
    ASSERT_NE(m_phone->GetSipStunClient(), nullptr);
    EXPECT_EQ(m_phone->GetSipStunClient()->GetVerdict(), NatVerdict::NAT);
    EXPECT_EQ(m_phone->GetRtpStunClient()->GetVerdict(), NatVerdict::NAT);
    EXPECT_GT(m_phone->GetSipStunClient()->GetKeepalivesSent(), 2u);
    EXPECT_EQ(m_phone->GetMalformedCount(), 0u);
    std::cout << "STUN detection (SIP and RTP ports): " << detection.As(Time::MS) << "\n";
}

/// With keepalives the kept mapping carries a call long after the last REGISTER.
TEST_F(DirectCallTest, KeptMappingCarriesALateCall)
{
    Build(SipTerminal::TraversalMode::SEED003);
    Dial(Seconds(60), m_remote, m_number, Seconds(3));
    Simulator::Stop(Seconds(70));
    Simulator::Run();
    ASSERT_EQ(m_remoteCalls.size(), 1u);
    ExpectMediaBothWays(m_remoteCalls[0]);
}

/// When the keepalives stop, the router releases the kept mapping after its idle time
/// (S14): the registrar's binding still names it, and the incoming call fails.
TEST_F(DirectCallTest, ReleasedMappingFailsTheIncomingCall)
{
    Build(SipTerminal::TraversalMode::SEED003, Seconds(5));
    Dial(Seconds(60), m_remote, m_number, Seconds(3));
    Simulator::Stop(Seconds(110));
    Simulator::Run();
    EXPECT_GE(m_expired, 2u); // the SIP and the RTP mapping
    EXPECT_TRUE(m_voip.GetOutsideGatekeeper()->IsRegistered(m_number));
    ASSERT_EQ(m_remoteCalls.size(), 1u);
    EXPECT_NE(m_remoteCalls[0].finalCode, 200) << m_remoteCalls[0].GetOutcome();
    EXPECT_TRUE(m_phoneCalls.empty()); // the phone never rang
    std::cout << "incoming call after the release: " << m_remoteCalls[0].GetOutcome() << " ("
              << m_remoteCalls[0].finalCode << ")\n";
}

} // namespace
