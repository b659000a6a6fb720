/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Calls with dynamic addresses: a terminal registers when DHCP binds it and again when its
 * address changes, de-registers before it releases its lease, and refuses (404) an INVITE
 * that its address's former owner should have received.
 */

#include "ns3/address-allocation-helper.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/arp-cache.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/schedule-function.h"
#include "ns3/sip-header.h"
#include "ns3/voip-helper.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

/// (time, contact, expires) of each Registered trace.
struct Registration
{
    Time at;
    Ipv4Address contact;
    Time expires;
};

void
RecordRegistration(std::vector<Registration>* out, Ipv4Address contact, Time expires)
{
    out->push_back(Registration{Simulator::Now(), contact, expires});
}

void
RecordRing(std::vector<std::string>* out, const std::string& caller)
{
    out->push_back(caller);
}

class DynamicCallTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        m_topo = CreateObject<ApartmentTopologyHelper>();
        m_topo->SetAttribute("FlatsPerBuilding", UintegerValue(2));
        m_topo->SetAttribute("TerminalsPerFlat", UintegerValue(3));
        m_topo->SetAttribute("RemotePhones", UintegerValue(1));
    }

    void TearDown() override
    {
        Simulator::Destroy();
        Names::Clear();
    }

    /// Static addresses: the topology addresses every terminal.
    void BuildStatic()
    {
        m_topo->Build();
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
    }

    /// Dynamic addresses: DHCP clients start at 0.1 s and the terminals with them.
    void BuildDynamic(Time retry = Seconds(30))
    {
        m_topo->SetAttribute("AddressMode", StringValue("Dynamic"));
        m_topo->Build();
        m_alloc = std::make_unique<AddressAllocationHelper>(m_topo);
        m_alloc->InstallManager();
        m_alloc->InstallGateways();
        // A long retry: only the DHCP hook can make a terminal register soon after binding.
        m_voip.SetTerminalAttribute("RetryInterval", TimeValue(retry));
        m_voip.Install(m_topo);
        m_voip.AssignStreams(100);
        for (uint32_t f = 0; f < 2; ++f)
        {
            for (uint32_t t = 1; t <= 3; ++t)
            {
                Ptr<TerminalDhcpClient> c = m_alloc->InstallClient(0, f, t);
                c->SetStartTime(Seconds(0.1));
                VoipHelper::ConnectDhcpClient(Terminal(t, f), c);
                m_clients[{f, t}] = c;
            }
        }
        m_alloc->AssignStreams(1000);
    }

    Ptr<SipTerminal> Terminal(uint32_t t, uint32_t flat = 0)
    {
        return m_voip.GetTerminal(m_topo->GetTerminal(0, flat, t));
    }

    Ptr<TerminalDhcpClient> Client(uint32_t flat, uint32_t t)
    {
        return m_clients.at({flat, t});
    }

    Ptr<SipTerminal> Remote()
    {
        return m_voip.GetTerminal(m_topo->GetRemotePhones().Get(0));
    }

    void Run(Time stop)
    {
        Simulator::Stop(stop);
        Simulator::Run();
    }

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

    Ptr<ApartmentTopologyHelper> m_topo;
    VoipHelper m_voip;
    std::unique_ptr<AddressAllocationHelper> m_alloc;
    std::map<std::pair<uint32_t, uint32_t>, Ptr<TerminalDhcpClient>> m_clients;
};

/// Moves \p node's first address on interface 1 to \p to (as a new lease would).
void
MoveAddress(Ptr<Node> node, Ipv4Address to)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    Ipv4InterfaceAddress old = ipv4->GetAddress(1, 0);
    ipv4->RemoveAddress(1, 0);
    ipv4->AddAddress(1, Ipv4InterfaceAddress(to, old.GetMask()));
}

TEST_F(DynamicCallTest, TerminalRegistersAsSoonAsDhcpBindsIt)
{
    BuildDynamic();
    std::vector<Time> bound;
    Client(0, 1)->TraceConnectWithoutContext(
        "Bound",
        MakeCallback(+[](std::vector<Time>* out, Ipv4Address, Time) {
            out->push_back(Simulator::Now());
        }).Bind(&bound));
    std::vector<Registration> regs;
    Terminal(1)->TraceConnectWithoutContext("Registered",
                                            MakeBoundCallback(&RecordRegistration, &regs));
    Run(Seconds(5));
    ASSERT_EQ(bound.size(), 1u);
    ASSERT_EQ(regs.size(), 1u);
    EXPECT_EQ(regs[0].contact, Client(0, 1)->GetAddress());
    // Within a few round trips of the lease, not after the 30 s retry.
    EXPECT_LT(regs[0].at - bound[0], MilliSeconds(100));
    for (uint32_t f = 0; f < 2; ++f)
    {
        for (uint32_t t = 1; t <= 3; ++t)
        {
            EXPECT_TRUE(Terminal(t, f)->IsRegistered()) << f << "/" << t;
        }
    }
    EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1202-3"));
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
}

TEST_F(DynamicCallTest, AddressChangeMidRegistrationReRegistersAtOnce)
{
    BuildStatic();
    Ptr<Node> node = m_topo->GetTerminal(0, 0, 1);
    const Ipv4Address old = ApartmentTopologyHelper::GetPrimaryAddress(node);
    // A free host of the flat's block (the gateway and three terminals use the first four).
    const Ipv4Address fresh(old.Get() + 4);
    std::vector<Registration> regs;
    Terminal(1)->TraceConnectWithoutContext("Registered",
                                            MakeBoundCallback(&RecordRegistration, &regs));
    std::vector<std::string> rang;
    Terminal(1)->TraceConnectWithoutContext("CallerId", MakeBoundCallback(&RecordRing, &rang));
    // Terminal 1 starts at 0.1 s and sends its REGISTER at once; its answer needs a round
    // trip to the gatekeeper. The address changes while that REGISTER is in flight.
    ScheduleFunction(Seconds(0.1) + MicroSeconds(1), [this, node, fresh]() {
        EXPECT_FALSE(Terminal(1)->IsRegistered());
        MoveAddress(node, fresh);
        Terminal(1)->NotifyAddressChanged();
    });
    ScheduleFunction(Seconds(2),
                     [this]() { EXPECT_TRUE(Remote()->Dial("100-1101-1201-1", Seconds(3))); });
    Run(Seconds(12));
    // Only the REGISTER from the new address counts: the answer to the old one went to an
    // address the terminal no longer has.
    ASSERT_EQ(regs.size(), 1u);
    EXPECT_EQ(regs[0].contact, fresh);
    EXPECT_LT(regs[0].at, Seconds(0.2));
    EXPECT_TRUE(Terminal(1)->IsRegistered());
    // The binding follows: a call to the number reaches the terminal at its new address.
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_EQ(rang.size(), 1u);
    EXPECT_GT(calls[0].media.received, 100u);
}

TEST_F(DynamicCallTest, ReusedAddressRefusesCallForFormerOwnerWithoutRinging)
{
    BuildStatic();
    Ptr<Node> first = m_topo->GetTerminal(0, 0, 1);
    Ptr<Node> second = m_topo->GetTerminal(0, 0, 2);
    const Ipv4Address reused = ApartmentTopologyHelper::GetPrimaryAddress(first);
    std::vector<std::string> rang;
    Terminal(2)->TraceConnectWithoutContext("CallerId", MakeBoundCallback(&RecordRing, &rang));
    std::vector<std::string> wrong;
    Terminal(2)->TraceConnectWithoutContext(
        "WrongNumber",
        MakeCallback(+[](std::vector<std::string>* out, const std::string& user) {
            out->push_back(user);
        }).Bind(&wrong));
    // Terminal 1 vanishes without de-registering (power cut): its binding stays. Terminal 2
    // then gets terminal 1's old address and registers from it.
    ScheduleFunction(Seconds(2), [first]() {
        Ptr<Ipv4> ipv4 = first->GetObject<Ipv4>();
        ipv4->RemoveAddress(1, 0);
        ipv4->SetDown(1);
    });
    ScheduleFunction(Seconds(3), [this, second, reused]() {
        // The gateway forgets the old owner's MAC, as its DHCP server does when it frees
        // a lease (GatewayDhcpServer::FreeBinding).
        Ptr<Node> gw = m_topo->GetGateway(0, 0);
        Ptr<Ipv4L3Protocol> ip = gw->GetObject<Ipv4L3Protocol>();
        int32_t lan = ip->GetInterfaceForDevice(m_topo->GetGatewayLanDevice(0, 0));
        Ptr<ArpCache> arp = ip->GetInterface(lan)->GetArpCache();
        ASSERT_NE(arp->Lookup(reused), nullptr);
        arp->Remove(arp->Lookup(reused));
        MoveAddress(second, reused);
        Terminal(2)->NotifyAddressChanged();
    });
    ScheduleFunction(Seconds(10), [this]() { Remote()->Dial("100-1101-1201-1", Seconds(3)); });
    Run(Seconds(20));
    EXPECT_TRUE(Terminal(2)->IsRegistered());
    ASSERT_EQ(wrong.size(), 1u);
    EXPECT_EQ(wrong[0], "100110112011");
    EXPECT_EQ(Terminal(2)->GetWrongNumberCount(), 1u);
    EXPECT_TRUE(rang.empty()) << "the wrong phone rang";
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 404);
    EXPECT_LT(calls[0].endTime - calls[0].inviteTime, Seconds(1)); // no 32 s timeout
    EXPECT_TRUE(CalleeRecords(calls[0].callId).empty());
    EXPECT_FALSE(Terminal(2)->IsBusy());
}

TEST_F(DynamicCallTest, WithdrawnTerminalDeregistersBeforeReleasingItsLease)
{
    BuildDynamic();
    Ptr<TerminalDhcpClient> client = Client(0, 1);
    std::vector<Registration> regs;
    Terminal(1)->TraceConnectWithoutContext("Registered",
                                            MakeBoundCallback(&RecordRegistration, &regs));
    std::vector<Time> released;
    client->TraceConnectWithoutContext("Released",
                                       MakeCallback(+[](std::vector<Time>* out, Ipv4Address) {
                                           out->push_back(Simulator::Now());
                                       }).Bind(&released));
    std::vector<std::string> sent;
    Terminal(1)->TraceConnectWithoutContext(
        "Tx",
        MakeCallback(+[](std::vector<std::string>* out, const std::string& text) {
            out->push_back(text);
        }).Bind(&sent));
    Ipv4Address leased;
    ScheduleFunction(Seconds(5), [this, client, &leased]() {
        ASSERT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1201-1"));
        leased = client->GetAddress();
        VoipHelper::Withdraw(Terminal(1), client);
    });
    Run(Seconds(10));
    ASSERT_EQ(regs.size(), 2u);
    EXPECT_GT(regs[0].expires, Time(0));
    EXPECT_EQ(regs[1].expires, Time(0)); // the de-registration was accepted
    EXPECT_EQ(regs[1].contact, leased);
    ASSERT_EQ(released.size(), 1u);
    EXPECT_LE(regs[1].at, released[0]); // de-registered first, then released
    EXPECT_LT(released[0], Seconds(6));
    ASSERT_FALSE(sent.empty());
    EXPECT_NE(sent.back().find("Expires: 0"), std::string::npos) << sent.back();
    EXPECT_NE(sent.back().find("REGISTER"), std::string::npos);
    EXPECT_EQ(client->GetState(), TerminalDhcpClient::STOPPED);
    EXPECT_FALSE(Terminal(1)->IsRegistered());
    EXPECT_TRUE(Terminal(1)->IsWithdrawn());
    EXPECT_FALSE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1201-1"));
    auto users = m_voip.GetGateway(m_topo->GetGateway(0, 0))->GetRegisteredUsers();
    EXPECT_EQ(std::count(users.begin(), users.end(), "100110112011"), 0);
    EXPECT_EQ(users.size(), 2u);
    EXPECT_EQ(m_alloc->GetCounters().releases, 1u);
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
}

TEST_F(DynamicCallTest, HouseholdNumberStillRingsAfterATerminalLeaves)
{
    BuildDynamic();
    std::vector<std::vector<std::string>> rang(4);
    for (uint32_t t = 1; t <= 3; ++t)
    {
        Terminal(t)->TraceConnectWithoutContext("CallerId",
                                                MakeBoundCallback(&RecordRing, &rang[t]));
    }
    ScheduleFunction(Seconds(5), [this]() { VoipHelper::Withdraw(Terminal(1), Client(0, 1)); });
    ScheduleFunction(Seconds(10), [this]() { Remote()->Dial("100-1101-1201-0", Seconds(3)); });
    // Then the second leaves too: the household still reaches the third.
    ScheduleFunction(Seconds(20), [this]() { VoipHelper::Withdraw(Terminal(2), Client(0, 2)); });
    ScheduleFunction(Seconds(25), [this]() { Remote()->Dial("100-1101-1201", Seconds(3)); });
    Run(Seconds(40));
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].finalCode, 200);
    EXPECT_EQ(calls[1].finalCode, 200);
    EXPECT_TRUE(rang[1].empty());
    EXPECT_EQ(rang[2].size(), 1u);
    EXPECT_EQ(rang[3].size(), 2u);
    auto answered = CalleeRecords(calls[1].callId);
    ASSERT_EQ(answered.size(), 1u);
    EXPECT_EQ(answered[0].localNumber, "100-1101-1201-3");
}

TEST_F(DynamicCallTest, HouseholdGoesWithTheLastTerminalAndComesBackWithANewOne)
{
    BuildDynamic();
    // Terminal 3 of the flat is switched on late, after the other two have left.
    Terminal(3)->SetStartTime(Seconds(15));
    Client(0, 3)->SetStartTime(Seconds(15));
    std::vector<std::vector<std::string>> rang(4);
    for (uint32_t t = 1; t <= 3; ++t)
    {
        Terminal(t)->TraceConnectWithoutContext("CallerId",
                                                MakeBoundCallback(&RecordRing, &rang[t]));
    }
    const std::string household = "100-1101-1201-0";
    Ptr<Gatekeeper> gk = m_voip.GetGatekeeper();
    Ptr<HomeGateway> gw = m_voip.GetGateway(m_topo->GetGateway(0, 0));
    bool reachableBefore = false;
    ScheduleFunction(Seconds(4), [&]() { reachableBefore = gk->IsRegistered(household); });
    ScheduleFunction(Seconds(5), [this]() {
        VoipHelper::Withdraw(Terminal(1), Client(0, 1));
        VoipHelper::Withdraw(Terminal(2), Client(0, 2));
    });
    // The flat is empty: the household is known but unavailable, at both registrars.
    bool reachableEmpty = true;
    std::size_t usersEmpty = 99;
    ScheduleFunction(Seconds(9), [&]() {
        reachableEmpty = gk->IsRegistered(household);
        usersEmpty = gw->GetRegisteredUsers().size();
    });
    ScheduleFunction(Seconds(10), [this, household]() { Remote()->Dial(household, Seconds(3)); });
    // A new terminal registers: the household reaches it, and only it.
    bool reachableAgain = false;
    ScheduleFunction(Seconds(19), [&]() { reachableAgain = gk->IsRegistered(household); });
    ScheduleFunction(Seconds(20), [this, household]() { Remote()->Dial(household, Seconds(3)); });
    Run(Seconds(40));
    EXPECT_TRUE(reachableBefore);
    EXPECT_FALSE(reachableEmpty);
    EXPECT_EQ(usersEmpty, 0u);
    EXPECT_TRUE(reachableAgain);
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].finalCode, 480) << "an empty flat is temporarily unavailable";
    EXPECT_EQ(calls[1].finalCode, 200);
    EXPECT_TRUE(rang[1].empty());
    EXPECT_TRUE(rang[2].empty());
    EXPECT_EQ(rang[3].size(), 1u);
    auto answered = CalleeRecords(calls[1].callId);
    ASSERT_EQ(answered.size(), 1u);
    EXPECT_EQ(answered[0].localNumber, "100-1101-1201-3");
    EXPECT_GT(answered[0].media.received, 100u);
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
}

TEST_F(DynamicCallTest, WithdrawnGatewayReturnsItsBlockAndItsBindingsGo)
{
    BuildDynamic();
    Ptr<GatewayDhcpServer> gw = m_alloc->GetGateway(0, 1);
    uint32_t freeBefore = 0;
    ScheduleFunction(Seconds(5), [this, &freeBefore]() {
        freeBefore = m_alloc->GetCounters().blocksFree;
        for (uint32_t t = 1; t <= 3; ++t)
        {
            EXPECT_TRUE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1202-" + std::to_string(t)));
            VoipHelper::Withdraw(Terminal(t, 1), Client(1, t));
        }
    });
    ScheduleFunction(Seconds(8), [gw]() { gw->Withdraw(); });
    ScheduleFunction(Seconds(10), [this]() { Remote()->Dial("100-1101-1202-2", Seconds(3)); });
    Run(Seconds(20));
    EXPECT_TRUE(gw->GetBlocks().empty());
    EXPECT_EQ(m_alloc->GetCounters().blocksFree, freeBefore + 1);
    EXPECT_EQ(m_alloc->CheckInvariant(), "");
    for (uint32_t t = 1; t <= 3; ++t)
    {
        EXPECT_FALSE(m_voip.GetGatekeeper()->IsRegistered("100-1101-1202-" + std::to_string(t)));
    }
    // TODO(registrar refactor): the household alias stays at the gatekeeper until it
    // expires; the number is then answered 480 by the gateway instead of the gatekeeper.
    auto calls = m_voip.GetOriginatingRecords();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].finalCode, 480); // known number, nobody registered: at once
    EXPECT_LT(calls[0].endTime - calls[0].inviteTime, Seconds(1));
}

} // namespace
