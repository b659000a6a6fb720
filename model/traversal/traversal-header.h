/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_TRAVERSAL_HEADER_H
#define APARTMENT_VOIP_TRAVERSAL_HEADER_H

#include "ns3/crypto.h"
#include "ns3/header.h"
#include "ns3/ipv4-address.h"
#include "ns3/packet.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A message of the NAT detection and traversal protocol (seed 003, packets P1-P7).
 *
 * Common part (6 bytes, network order): magic 0x4E54 ("NT"), version 1, type, body length.
 * Bodies per type are listed in doc/nat.rst. A message that is too short, has a wrong
 * magic, version, type or length deserializes as invalid (IsValid() false) and consumes
 * the bytes that were there, so a receiver can count and drop it.
 */
class TraversalHeader : public Header
{
  public:
    /// Message types; P1-P7 are the seed's packets.
    enum Type : uint8_t
    {
        INVALID = 0x00,
        P1_USER_INDEX = 0x01,   //!< UDP c->s: user index (opens the client's UDP path)
        P2_ADDRESS_LIST = 0x02, //!< TCP c->s: user index, count, valid addresses
        P3_USED_ADDRESS = 0x03, //!< UDP c->s: private flag, user index
        P4_SERVER_ACK = 0x04,   //!< UDP s->c: server flag, observed address and port
        P5_VERDICT = 0x05,      //!< TCP c->s: user index, public address or 0 (NULL)
        P6_KEEPALIVE = 0x06,    //!< UDP c->s: private flag, user index
        P7_SERVER_DATA = 0x07,  //!< UDP s->c: server flag, NULL address, sequence
        ACCESS = 0x10,          //!< TCP c->s: user index, access address (S2)
        ACCESS_ACK = 0x11,      //!< TCP s->c: private flag, observed address (S3)
        KEEP = 0x20,            //!< UDP s->router: keep a mapping (sequence, HMAC-SHA-256)
        KEEP_ACK = 0x21,        //!< UDP router->s: status of a KEEP
    };

    /// KEEP_ACK status codes.
    enum Status : uint8_t
    {
        KEEP_OK = 0,
        KEEP_NO_MAPPING = 1,
        KEEP_REFUSED = 2,
        KEEP_FOREIGN = 3, //!< the mapping was not opened towards the KEEP's sender
    };

    /// First two bytes of every message ("NT").
    static constexpr uint16_t MAGIC = 0x4E54;
    /// Protocol version this code writes and accepts.
    static constexpr uint8_t VERSION = 1;
    /// Bytes before the body: magic, version, type, user index.
    static constexpr uint32_t COMMON_SIZE = 6;
    /// Most addresses a P2 carries.
    static constexpr uint8_t MAX_ADDRESSES = 32;
    /// Bytes of KEEP's message authentication code (HMAC-SHA-256), the last of the message.
    static constexpr uint32_t MAC_SIZE = 32;

    TraversalHeader();
    /// \param type the message type
    explicit TraversalHeader(Type type);

    /// \return the object TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /// \return the body length of \p type, or -1 if variable (P2) or unknown
    static int32_t GetBodySize(Type type);
    /// \return a short name, e.g. "P4"
    static std::string GetTypeName(Type type);

    /// \return true if the last Deserialize() read a well-formed message
    bool IsValid() const;
    /// \return the message type
    Type GetType() const;
    /// \param type the message type
    void SetType(Type type);

    /// \return the user (client) index the message is about
    uint32_t GetUserIndex() const;
    /// \param index the user (client) index
    void SetUserIndex(uint32_t index);
    /// private-network flag (P3, P6, ACCESS_ACK) or server flag (P4, P7)
    bool GetFlag() const;
    /// \param flag see GetFlag()
    void SetFlag(bool flag);
    /// access (ACCESS), observed (ACCESS_ACK, P4), public or NULL (P5, P7), KEEP's public
    Ipv4Address GetAddress() const;
    /// \param address see GetAddress()
    void SetAddress(Ipv4Address address);
    /// observed port (P4), public port (KEEP, KEEP_ACK)
    uint16_t GetPort() const;
    /// \param port see GetPort()
    void SetPort(uint16_t port);
    /// \return the addresses of a P2 (the server's addresses to probe)
    const std::vector<Ipv4Address>& GetAddresses() const;
    /// P2; at most MAX_ADDRESSES
    void SetAddresses(const std::vector<Ipv4Address>& addresses);
    /// \return the sequence number (P7 stream packets; KEEP: against replay)
    uint32_t GetSequence() const;
    /// \param sequence the sequence number
    void SetSequence(uint32_t sequence);
    /// \return the IP protocol of a KEEP's mapping (17: UDP)
    uint8_t GetProtocol() const;
    /// \param protocol the IP protocol of the mapping
    void SetProtocol(uint8_t protocol);
    /// KEEP: idle time in seconds after which the router may release the mapping
    uint16_t GetIdleSeconds() const;
    /// \param seconds see GetIdleSeconds()
    void SetIdleSeconds(uint16_t seconds);
    /// \return the KEEP_ACK status (Status)
    uint8_t GetStatus() const;
    /// \param status the KEEP_ACK status (Status)
    void SetStatus(uint8_t status);
    /// \return KEEP's message authentication code
    const HmacSha256Code& GetMac() const;
    /// \param mac KEEP's message authentication code
    void SetMac(const HmacSha256Code& mac);
    /**
     * \return the bytes a KEEP's code authenticates: the whole message as serialized, but
     * for the code itself (common part and every field, the sequence number included)
     */
    std::vector<uint8_t> GetAuthenticatedBytes() const;

  private:
    uint32_t GetBodyLength() const;

    bool m_valid{true};
    uint32_t m_consumed{0}; //!< bytes an invalid message took
    Type m_type{INVALID};
    uint32_t m_userIndex{0};
    bool m_flag{false};
    Ipv4Address m_address;
    uint16_t m_port{0};
    std::vector<Ipv4Address> m_addresses;
    uint32_t m_sequence{0};
    uint8_t m_protocol{17};
    uint16_t m_idle{0};
    uint8_t m_status{0};
    HmacSha256Code m_mac{};
};

/**
 * \brief Splits a TCP byte stream into traversal messages.
 *
 * Appends \p data to \p buffer and returns the complete messages in it; a message with a
 * wrong magic makes the rest of the stream unusable: the buffer is cleared and \p malformed
 * incremented.
 */
std::vector<Ptr<Packet>> ExtractMessages(std::vector<uint8_t>& buffer,
                                         Ptr<const Packet> data,
                                         uint32_t& malformed);

/**
 * \brief Serializes \p h into a new packet.
 * \param h the message
 * \param totalSize if above the header size, zero padding makes the packet this long
 * \return the packet
 */
Ptr<Packet> ToPacket(const TraversalHeader& h, uint32_t totalSize = 0);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_TRAVERSAL_HEADER_H */
