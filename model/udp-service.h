/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_UDP_SERVICE_H
#define APARTMENT_VOIP_UDP_SERVICE_H

#include "ns3/address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The UDP side the module's applications share: bind, receive loop, malformed count.
 *
 * Open() binds a UDP socket to a port (or an ephemeral one) and refuses a taken port with a
 * fatal error that names the owner and the port. Every datagram goes to the handler; a
 * handler that returns false declares it malformed: the service counts it and passes a copy
 * of the datagram as received to the malformed callback (the owner's Malformed trace).
 */
class UdpService
{
  public:
    /// \return false if the datagram is malformed (it is then counted and reported)
    using Handler = std::function<bool(Ptr<Packet> packet, const Address& from)>;
    /// Called with each malformed datagram as it arrived.
    using MalformedCallback = std::function<void(Ptr<const Packet> packet)>;

    /// Where and how to bind.
    struct Options
    {
        /// \param port the UDP port; 0: an ephemeral port
        explicit Options(uint16_t port = 0)
            : port(port)
        {
        }

        uint16_t port;              //!< 0: an ephemeral port
        Ptr<NetDevice> device;      //!< if set, receive only on this device
        bool allowBroadcast{false}; //!< send to 255.255.255.255
    };

    UdpService() = default;
    ~UdpService();
    UdpService(const UdpService&) = delete;
    UdpService& operator=(const UdpService&) = delete;

    /**
     * \brief Creates the socket on \p node and binds it; aborts if the port is taken.
     * \param node the node to open the socket on
     * \param options port, device and broadcast
     * \param owner names the application in the error, e.g. "StunServer"
     * \param handler called with each datagram received
     * \param malformed called when the owner reports a datagram as malformed (optional)
     */
    void Open(Ptr<Node> node,
              const Options& options,
              const std::string& owner,
              Handler handler,
              MalformedCallback malformed = nullptr);
    /// \brief Stops receiving and closes the socket (no-op if not open).
    void Close();
    /// \return true between Open() and Close()
    bool IsOpen() const;
    /// \return the socket (null when closed)
    Ptr<Socket> GetSocket() const;
    /// \brief Sends \p packet to \p to. \return the bytes sent, or -1
    int SendTo(Ptr<Packet> packet, const Address& to);
    /// \return the malformed datagrams counted since construction (across reopenings)
    uint64_t GetMalformedCount() const;

  private:
    void Receive(Ptr<Socket> socket);

    Ptr<Socket> m_socket;
    Handler m_handler;
    MalformedCallback m_malformedCallback;
    uint64_t m_malformed{0};
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_UDP_SERVICE_H */
