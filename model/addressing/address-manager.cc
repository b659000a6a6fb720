/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-manager.h"

#include "ns3/apartment-voip-compat.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <iostream>
#include <stdexcept>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipAddressManager");
NS_OBJECT_ENSURE_REGISTERED(AddressManager);

TypeId
AddressManager::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::AddressManager")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<AddressManager>()
            .AddAttribute("Port",
                          "UDP port of the block protocol.",
                          UintegerValue(BlockProtocolHeader::DEFAULT_PORT),
                          MakeUintegerAccessor(&AddressManager::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("BlockPrefixLength",
                          "Prefix length of the blocks handed to gateways (/29: gateway + 5 "
                          "terminals).",
                          UintegerValue(29),
                          MakeUintegerAccessor(&AddressManager::m_blockLength),
                          MakeUintegerChecker<uint8_t>(17, 30))
            .AddAttribute("LeaseTime",
                          "Lease of a block; a gateway that does not renew loses it.",
                          TimeValue(Seconds(600)),
                          MakeTimeAccessor(&AddressManager::m_leaseTime),
                          MakeTimeChecker(Seconds(1), Seconds(0xffff0000u)))
            .AddAttribute("DatabasePath",
                          "File the pool is kept in (empty: memory only). Read at start, "
                          "rewritten atomically after every change.",
                          StringValue(""),
                          MakeStringAccessor(&AddressManager::m_databasePath),
                          MakeStringChecker())
            .AddAttribute("PrivateNetwork",
                          "The complex's private /8; building b owns P.b.0.0/16.",
                          Ipv4AddressValue("10.0.0.0"),
                          MakeIpv4AddressAccessor(&AddressManager::m_privateNetwork),
                          MakeIpv4AddressChecker())
            .AddAttribute("Buildings",
                          "Number of buildings (block regions).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&AddressManager::m_buildings),
                          MakeUintegerChecker<uint32_t>(1, AddressPlan::MAX_BUILDINGS))
            .AddAttribute("BlocksPerBuilding",
                          "Blocks in every building's region: the pool size per building.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&AddressManager::m_blocksPerBuilding),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Allocation",
                            "A gateway got its first block: holder, block, prefix length.",
                            MakeTraceSourceAccessor(&AddressManager::m_allocationTrace),
                            "ns3::apartment::AddressManager::BlockTracedCallback")
            .AddTraceSource("Refill",
                            "A gateway that already held a block got another one.",
                            MakeTraceSourceAccessor(&AddressManager::m_refillTrace),
                            "ns3::apartment::AddressManager::BlockTracedCallback")
            .AddTraceSource("Renewal",
                            "A gateway extended the lease of a block.",
                            MakeTraceSourceAccessor(&AddressManager::m_renewalTrace),
                            "ns3::apartment::AddressManager::BlockTracedCallback")
            .AddTraceSource("Release",
                            "A gateway returned a block.",
                            MakeTraceSourceAccessor(&AddressManager::m_releaseTrace),
                            "ns3::apartment::AddressManager::BlockTracedCallback")
            .AddTraceSource("Reclaim",
                            "A block's lease expired; the block is free again.",
                            MakeTraceSourceAccessor(&AddressManager::m_reclaimTrace),
                            "ns3::apartment::AddressManager::BlockTracedCallback")
            .AddTraceSource("Report",
                            "A gateway reported a freed terminal address: holder, address.",
                            MakeTraceSourceAccessor(&AddressManager::m_reportTrace),
                            "ns3::apartment::AddressManager::AddressTracedCallback")
            .AddTraceSource("Failure",
                            "A request was refused or the database failed: holder, what.",
                            MakeTraceSourceAccessor(&AddressManager::m_failureTrace),
                            "ns3::apartment::AddressManager::FailureTracedCallback")
            .AddTraceSource("Malformed",
                            "A datagram that is no valid block-protocol message was dropped.",
                            MakeTraceSourceAccessor(&AddressManager::m_malformedTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

AddressManager::AddressManager()
{
    NS_LOG_FUNCTION(this);
}

AddressManager::~AddressManager() = default;

void
AddressManager::DoDispose()
{
    m_socket = nullptr;
    m_expiryEvent.Cancel();
    Application::DoDispose();
}

const AddressBlockPool*
AddressManager::GetPool() const
{
    return m_pool.get();
}

bool
AddressManager::IsOperational() const
{
    return m_pool && m_error.empty();
}

std::string
AddressManager::GetError() const
{
    return m_error;
}

uint64_t
AddressManager::GetNFailedRequests() const
{
    return m_failedRequests;
}

uint64_t
AddressManager::GetNMalformed() const
{
    return m_malformed;
}

uint64_t
AddressManager::GetNAllocations() const
{
    return m_allocations;
}

uint64_t
AddressManager::GetNReclaimed() const
{
    return m_reclaimed;
}

void
AddressManager::OpenPool()
{
    m_error.clear();
    AddressBlockPool::Config config;
    config.privateNetwork = m_privateNetwork;
    config.blockLength = m_blockLength;
    config.buildings = m_buildings;
    config.blocksPerBuilding = m_blocksPerBuilding;
    std::string err = AddressBlockPool::Validate(config);
    if (!err.empty())
    {
        m_error = "address manager: " + err;
        return;
    }
    auto pool = std::make_unique<AddressBlockPool>(config);
    if (!m_databasePath.empty())
    {
        if (std::ifstream(m_databasePath).good())
        {
            try
            {
                pool->Load(m_databasePath);
            }
            catch (const std::exception& e)
            {
                m_error = e.what();
                return;
            }
        }
        else
        {
            // No file yet: the first start. Create it now so a bad path shows at once.
            try
            {
                pool->Save(m_databasePath);
            }
            catch (const std::exception& e)
            {
                m_error = e.what();
                return;
            }
        }
    }
    m_pool = std::move(pool);
}

void
AddressManager::StartApplication()
{
    NS_LOG_FUNCTION(this);
    // A restart reads the file again: it is the authoritative copy.
    if (!m_pool || !m_databasePath.empty())
    {
        m_pool.reset();
        OpenPool();
    }
    if (!m_error.empty())
    {
        std::cerr << "error: " << m_error << " (address manager refuses every request)"
                  << std::endl;
        m_failureTrace(Ipv4Address::GetAny(), m_error);
    }
    if (!m_socket)
    {
        m_socket = Socket::CreateSocket(GetNode(), TypeId::LookupByName("ns3::UdpSocketFactory"));
        if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
        {
            NS_FATAL_ERROR("address manager: cannot bind UDP port " << m_port);
        }
    }
    m_socket->SetRecvCallback(MakeCallback(&AddressManager::Receive, this));
    CheckExpiry();
}

void
AddressManager::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_expiryEvent.Cancel();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

void
AddressManager::Receive(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> packet;
    while ((packet = socket->RecvFrom(from)))
    {
        BlockProtocolHeader in;
        if (packet->GetSize() != BlockProtocolHeader::SIZE)
        {
            ++m_malformed;
            m_malformedTrace(packet);
            continue;
        }
        packet->PeekHeader(in);
        if (!in.IsValid() || in.type == BlockProtocolHeader::GRANT ||
            in.type == BlockProtocolHeader::ACK || in.type == BlockProtocolHeader::NAK)
        {
            ++m_malformed;
            m_malformedTrace(packet);
            continue;
        }
        BlockProtocolHeader out;
        auto last = m_lastTransaction.find(in.holder.Get());
        if (last != m_lastTransaction.end() && last->second == in.transaction)
        {
            out = m_lastAnswer[in.holder.Get()]; // a retransmission: same answer, no change
        }
        else
        {
            out = Handle(in);
            m_lastTransaction[in.holder.Get()] = in.transaction;
            m_lastAnswer[in.holder.Get()] = out;
        }
        Ptr<Packet> reply = Create<Packet>();
        reply->AddHeader(out);
        socket->SendTo(reply, 0, from);
    }
}

BlockProtocolHeader
AddressManager::Handle(const BlockProtocolHeader& in)
{
    BlockProtocolHeader out;
    out.transaction = in.transaction;
    out.holder = in.holder;
    out.building = in.building;
    out.type = BlockProtocolHeader::NAK;
    out.address = in.address;
    if (!IsOperational())
    {
        out.reason = BlockProtocolHeader::UNAVAILABLE;
        ++m_failedRequests;
        m_failureTrace(in.holder, "database unavailable: " + m_error);
        return out;
    }
    const Time now = Simulator::Now();
    const uint32_t leaseSeconds = static_cast<uint32_t>(m_leaseTime.GetSeconds());
    switch (in.type)
    {
    case BlockProtocolHeader::REQUEST: {
        if (in.building >= m_buildings)
        {
            out.reason = BlockProtocolHeader::BAD_REQUEST;
            ++m_failedRequests;
            m_failureTrace(in.holder, "request for unknown building");
            return out;
        }
        const bool refill = !m_pool->GetBlocksOf(in.holder).empty();
        auto a = m_pool->Allot(in.holder, in.building, now, m_leaseTime);
        if (!a)
        {
            out.reason = BlockProtocolHeader::EXHAUSTED;
            ++m_failedRequests;
            m_failureTrace(in.holder, "no free block in building " + std::to_string(in.building));
            return out;
        }
        ++m_allocations;
        out.type = BlockProtocolHeader::GRANT;
        out.address = a->block.network;
        out.prefixLength = a->block.length;
        out.leaseSeconds = leaseSeconds;
        Changed();
        NS_LOG_INFO("allot " << a->block.ToString() << " to " << in.holder);
        (refill ? m_refillTrace : m_allocationTrace)(in.holder, a->block.network, a->block.length);
        return out;
    }
    case BlockProtocolHeader::RENEW: {
        auto a = m_pool->Renew(in.holder, in.address, now, m_leaseTime);
        if (!a)
        {
            out.reason = BlockProtocolHeader::UNKNOWN_BLOCK;
            m_failureTrace(in.holder, "renewal of a block it does not hold");
            return out;
        }
        out.type = BlockProtocolHeader::GRANT;
        out.prefixLength = a->block.length;
        out.leaseSeconds = leaseSeconds;
        Changed();
        m_renewalTrace(in.holder, a->block.network, a->block.length);
        return out;
    }
    case BlockProtocolHeader::RELEASE: {
        if (!m_pool->Release(in.holder, in.address))
        {
            out.reason = BlockProtocolHeader::UNKNOWN_BLOCK;
            m_failureTrace(in.holder, "release of a block it does not hold");
            return out;
        }
        out.type = BlockProtocolHeader::ACK;
        out.prefixLength = m_blockLength;
        Changed();
        m_releaseTrace(in.holder, in.address, m_blockLength);
        return out;
    }
    case BlockProtocolHeader::REPORT: {
        auto a = m_pool->FindContaining(in.address);
        if (!a || a->holder != in.holder)
        {
            out.reason = BlockProtocolHeader::UNKNOWN_BLOCK;
            m_failureTrace(in.holder, "report of an address outside its blocks");
            return out;
        }
        out.type = BlockProtocolHeader::ACK;
        m_reportTrace(in.holder, in.address);
        return out;
    }
    default:
        out.reason = BlockProtocolHeader::BAD_REQUEST;
        return out;
    }
}

void
AddressManager::Changed()
{
    if (!m_databasePath.empty())
    {
        try
        {
            m_pool->Save(m_databasePath);
        }
        catch (const std::exception& e)
        {
            // The allotment stands in memory; the file is stale. Say so loudly.
            std::cerr << "error: " << e.what() << std::endl;
            m_failureTrace(Ipv4Address::GetAny(), e.what());
        }
    }
    m_expiryEvent.Cancel();
    auto next = m_pool->GetNextExpiry();
    if (next)
    {
        m_expiryEvent = Simulator::Schedule(Max(*next - Simulator::Now(), Time(0)),
                                            &AddressManager::CheckExpiry,
                                            this);
    }
}

void
AddressManager::CheckExpiry()
{
    if (!m_pool)
    {
        return;
    }
    auto reclaimed = m_pool->ExpireUntil(Simulator::Now());
    for (const auto& a : reclaimed)
    {
        ++m_reclaimed;
        NS_LOG_INFO("reclaim " << a.block.ToString() << " from " << a.holder);
        m_reclaimTrace(a.holder, a.block.network, a.block.length);
    }
    if (!reclaimed.empty() || !IsPending(m_expiryEvent))
    {
        Changed();
    }
}

} // namespace apartment
} // namespace ns3
