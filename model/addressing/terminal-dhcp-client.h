/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_TERMINAL_DHCP_CLIENT_H
#define APARTMENT_VOIP_TERMINAL_DHCP_CLIENT_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/dhcp-message.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief DHCPv4 client of a terminal (RFC 2131 state machine).
 *
 * INIT -> SELECTING (DISCOVER, retransmitted after 4 s, 8 s, ... 64 s, each +-1 s) ->
 * REQUESTING -> BOUND; at T1 RENEWING (REQUEST unicast to the server), at T2 REBINDING
 * (broadcast), at the end of the lease back to INIT. A NAK sends it back to INIT.
 * Stopping the application releases the address (DHCPRELEASE). With MaxDiscovers set, a
 * client that got no OFFER to that many DISCOVERs gives up (state INIT, trace GaveUp) and
 * stays without an address until restarted.
 *
 * Unlike ns-3.37's DhcpClient it backs off exponentially, rebinds at T2 and releases.
 */
class TerminalDhcpClient : public Application
{
  public:
    /// RFC 2131 client states.
    enum State
    {
        INIT,
        SELECTING,
        REQUESTING,
        BOUND,
        RENEWING,
        REBINDING,
        STOPPED,
    };

    /// \return the object TypeId
    static TypeId GetTypeId();
    TerminalDhcpClient();
    ~TerminalDhcpClient() override;

    /// \brief Sets the device to configure (required).
    void SetDevice(Ptr<NetDevice> device);
    /// \return the device being configured
    Ptr<NetDevice> GetDevice() const;

    /// \return the client's DHCP state
    State GetState() const;
    /// \return the leased address, 0.0.0.0 if none
    Ipv4Address GetAddress() const;
    /// \return the server (gateway) that granted the lease
    Ipv4Address GetServer() const;
    uint64_t GetNDiscovers() const; //!< \return DISCOVERs sent
    uint64_t GetNNaks() const;      //!< \return NAKs received
    uint64_t GetNGiveUps() const;   //!< \return times it gave up (see MaxDiscovers)

    /**
     * \brief Withdraws the terminal now: releases the lease (DHCPRELEASE), removes the
     * address and stops the client, as stopping the application does. Later calls do nothing.
     */
    void Release();

    /**
     * \brief Fixes the random streams (xid, back-off jitter).
     * \return the number of streams used (2)
     */
    int64_t AssignStreams(int64_t stream);

    /// Signature of the Bound trace: address, time from the first DISCOVER to the ACK.
    typedef void (*BoundTracedCallback)(Ipv4Address address, Time setup);
    /// Signature of address traces.
    typedef void (*AddressTracedCallback)(Ipv4Address address);
    /// Signature of AddressChanged: the address before and after (0.0.0.0: none).
    typedef void (*AddressChangedTracedCallback)(Ipv4Address oldAddress, Ipv4Address newAddress);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    void Receive(Ptr<Socket> socket);
    void SendDiscover();
    void GiveUp();
    void SendRequest();
    void Send(DhcpMessage& m, Ipv4Address to);
    void ScheduleRetransmission(void (TerminalDhcpClient::*what)());
    void OnAck(DhcpMessage& in);
    void OnT1();
    void OnT2();
    void OnRenewRetransmit();
    void OnExpiry();
    void Configure(Ipv4Address address, Ipv4Mask mask, Ipv4Address router);
    void Unconfigure();
    void Restart();
    uint32_t GetInterface() const;

    // attributes
    Time m_initialRto;
    Time m_maxRto;
    uint32_t m_maxDiscovers;
    Ptr<RandomVariableStream> m_jitter;
    Ptr<UniformRandomVariable> m_xidRng;

    Ptr<NetDevice> m_device;
    Ptr<Socket> m_socket;
    Address m_chaddr;
    State m_state{STOPPED};
    uint32_t m_xid{0};
    Time m_rto;
    uint32_t m_requestTries{0};
    uint32_t m_attemptDiscovers{0}; //!< DISCOVERs since the last Restart
    Time m_firstDiscover;
    bool m_counting{false}; //!< true from the first DISCOVER to the ACK
    Ipv4Address m_offered{Ipv4Address::GetAny()};
    Ipv4Address m_address{Ipv4Address::GetAny()};
    Ipv4Mask m_mask{Ipv4Mask::GetZero()};
    Ipv4Address m_router{Ipv4Address::GetAny()};
    Ipv4Address m_server{Ipv4Address::GetAny()};
    Time m_leaseStart;
    Time m_lease;
    Time m_t1;
    Time m_t2;
    EventId m_retransmit;
    EventId m_t1Event;
    EventId m_t2Event;
    EventId m_expiryEvent;
    uint64_t m_discovers{0};
    uint64_t m_naks{0};
    uint64_t m_giveUps{0};

    TracedCallback<Ipv4Address, Time> m_boundTrace;
    TracedCallback<Time> m_gaveUpTrace;
    TracedCallback<Ipv4Address> m_renewedTrace;
    TracedCallback<Ipv4Address> m_expiredTrace;
    TracedCallback<Ipv4Address> m_releasedTrace;
    TracedCallback<Ipv4Address, Ipv4Address> m_addressChangedTrace;
    TracedCallback<Ptr<const Packet>> m_malformedTrace;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_TERMINAL_DHCP_CLIENT_H */
