/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/udp-service.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/udp-socket-factory.h"

namespace ns3
{
namespace apartment
{

UdpService::~UdpService()
{
    Close();
}

void
UdpService::Open(Ptr<Node> node,
                 const Options& options,
                 const std::string& owner,
                 Handler handler,
                 MalformedCallback malformed)
{
    NS_ABORT_MSG_IF(m_socket, owner << ": UDP service opened twice");
    m_handler = std::move(handler);
    m_malformedCallback = std::move(malformed);
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (options.allowBroadcast)
    {
        m_socket->SetAllowBroadcast(true);
    }
    if (options.device)
    {
        m_socket->BindToNetDevice(options.device);
    }
    const int bound = options.port == 0
                          ? m_socket->Bind()
                          : m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), options.port));
    NS_ABORT_MSG_IF(bound != 0,
                    owner << ": UDP port " << options.port << " is taken on node "
                          << node->GetId());
    m_socket->SetRecvCallback(MakeCallback(&UdpService::Receive, this));
}

void
UdpService::Close()
{
    if (!m_socket)
    {
        return;
    }
    m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    m_socket->Close();
    m_socket = nullptr;
}

bool
UdpService::IsOpen() const
{
    return m_socket != nullptr;
}

Ptr<Socket>
UdpService::GetSocket() const
{
    return m_socket;
}

int
UdpService::SendTo(Ptr<Packet> packet, const Address& to)
{
    return m_socket ? m_socket->SendTo(packet, 0, to) : -1;
}

uint64_t
UdpService::GetMalformedCount() const
{
    return m_malformed;
}

void
UdpService::Receive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        // The handler may strip headers; the trace gets the datagram as it arrived.
        Ptr<const Packet> copy = p->Copy();
        if (!m_handler(p, from))
        {
            ++m_malformed;
            if (m_malformedCallback)
            {
                m_malformedCallback(copy);
            }
        }
        if (socket != m_socket)
        {
            return; // the handler closed the service
        }
    }
}

} // namespace apartment
} // namespace ns3
