/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_PCP_HEADER_H
#define APARTMENT_VOIP_PCP_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A Port Control Protocol message (RFC 6887), request or response, with the MAP
 * opcode and the THIRD_PARTY option; IPv4 addresses travel as IPv4-mapped IPv6.
 *
 * Request:  version 2 | R=0, opcode | reserved | requested lifetime | client IP (16 bytes)
 * Response: version 2 | R=1, opcode | reserved | result | lifetime | epoch | reserved (12)
 * then the MAP payload (nonce 12, protocol, reserved 3, internal port, external port,
 * external IP 16) and options (code, reserved, length, data padded to 4 bytes).
 *
 * Deserialize() never reads past the buffer: a message that is truncated or inconsistent
 * leaves IsValid() false and GetError() saying why (the caller counts the drop or answers
 * MALFORMED_REQUEST). Unknown opcodes and options are kept as raw bytes so that a server
 * can answer UNSUPP_OPCODE or UNSUPP_OPTION (RFC 6887 §7.3, §8.3).
 */
class PcpHeader : public Header
{
  public:
    static constexpr uint16_t PORT = 5351;     //!< server port (RFC 6887 §19.1)
    static constexpr uint8_t VERSION = 2;      //!< the version of RFC 6887
    static constexpr uint32_t MAX_SIZE = 1100; //!< longest PCP message (§7)
    /// Size of the common request/response header (§7.1, §7.2).
    static constexpr uint32_t COMMON_SIZE = 24;
    /// Size of the MAP opcode payload (§11.1).
    static constexpr uint32_t MAP_SIZE = 36;

    /// Opcodes (§19.2).
    enum Opcode : uint8_t
    {
        ANNOUNCE = 0,
        MAP = 1,
        PEER = 2,
    };

    /// Result codes (§7.4).
    enum Result : uint8_t
    {
        SUCCESS = 0,
        UNSUPP_VERSION = 1,
        NOT_AUTHORIZED = 2,
        MALFORMED_REQUEST = 3,
        UNSUPP_OPCODE = 4,
        UNSUPP_OPTION = 5,
        MALFORMED_OPTION = 6,
        NETWORK_FAILURE = 7,
        NO_RESOURCES = 8,
        UNSUPP_PROTOCOL = 9,
        USER_EX_QUOTA = 10,
        CANNOT_PROVIDE_EXTERNAL = 11,
        ADDRESS_MISMATCH = 12,
        EXCESSIVE_REMOTE_PEERS = 13,
    };

    /// Option codes (§19.3).
    enum Option : uint8_t
    {
        THIRD_PARTY = 1,
        PREFER_FAILURE = 2,
        FILTER = 3,
    };

    /// The 96-bit mapping nonce (§11.1).
    using Nonce = std::array<uint8_t, 12>;

    /// \return the object TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    PcpHeader();

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /// Reads the whole rest of the buffer (a PCP message is the whole UDP payload).
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /// \return false if the last Deserialize() met a malformed message
    bool IsValid() const;
    /// \return why the message is malformed, empty if valid
    const std::string& GetError() const;

    /**
     * \brief A MAP request.
     * \param client the client's own address (the packet's source)
     * \param lifetime requested seconds, 0 deletes
     * \param nonce the mapping nonce (the response must echo it)
     * \param protocol IP protocol of the mapping (17 UDP, 6 TCP)
     * \param internalPort the internal port to map
     * \param suggestedPort external port wanted (0: any)
     * \param suggestedAddress external address wanted (0.0.0.0: any)
     * \return the request
     */
    static PcpHeader MakeMapRequest(Ipv4Address client,
                                    uint32_t lifetime,
                                    const Nonce& nonce,
                                    uint8_t protocol,
                                    uint16_t internalPort,
                                    uint16_t suggestedPort,
                                    Ipv4Address suggestedAddress);
    /**
     * \brief The response to \p request: opcode, payload and options copied (§7.2), with
     * \p result, \p lifetime and \p epoch. The caller fills in the assigned endpoint.
     */
    static PcpHeader MakeResponse(const PcpHeader& request,
                                  Result result,
                                  uint32_t lifetime,
                                  uint32_t epoch);

    /// \return the R bit: true for a response
    bool IsResponse() const;
    /// \param response the R bit
    void SetResponse(bool response);
    /// \return the version field
    uint8_t GetVersion() const;
    /// \param version the version field (VERSION)
    void SetVersion(uint8_t version);
    /// \return the opcode (Opcode)
    uint8_t GetOpcode() const;
    /// \param opcode the opcode (Opcode)
    void SetOpcode(uint8_t opcode);
    /// Requested (request) or assigned (response) lifetime, seconds.
    uint32_t GetLifetime() const;
    /// \param seconds see GetLifetime()
    void SetLifetime(uint32_t seconds);
    /// Request only: the client's IP address; empty if it is not IPv4-mapped.
    std::optional<Ipv4Address> GetClientAddress() const;
    /// \param address the client's address (written IPv4-mapped)
    void SetClientAddress(Ipv4Address address);
    /// Response only.
    uint8_t GetResult() const;
    /// \param result the result code (Result)
    void SetResult(uint8_t result);
    /// \return the server's epoch time, seconds (response only)
    uint32_t GetEpoch() const;
    /// \param seconds the server's epoch time
    void SetEpoch(uint32_t seconds);

    // MAP payload (valid when GetOpcode() == MAP)
    /// \return the mapping nonce
    const Nonce& GetNonce() const;
    /// \param nonce the mapping nonce
    void SetNonce(const Nonce& nonce);
    /// \return the IP protocol of the mapping (0: all)
    uint8_t GetProtocol() const;
    /// \param protocol the IP protocol of the mapping
    void SetProtocol(uint8_t protocol);
    /// \return the internal port of the mapping
    uint16_t GetInternalPort() const;
    /// \param port the internal port of the mapping
    void SetInternalPort(uint16_t port);
    /// Suggested (request) or assigned (response) external port.
    uint16_t GetExternalPort() const;
    /// \param port see GetExternalPort()
    void SetExternalPort(uint16_t port);
    /// Suggested or assigned external address; empty if not IPv4-mapped (e.g. ::).
    std::optional<Ipv4Address> GetExternalAddress() const;
    /// \param address see GetExternalAddress()
    void SetExternalAddress(Ipv4Address address);

    /// THIRD_PARTY option: the internal address the mapping is for; empty if absent.
    std::optional<Ipv4Address> GetThirdParty() const;
    /// \param internal see GetThirdParty()
    void SetThirdParty(Ipv4Address internal);
    /// \return true if the THIRD_PARTY option was present but not an IPv4-mapped address
    bool HasForeignThirdParty() const;
    /// \return the first mandatory option (code < 128) other than THIRD_PARTY, if any
    std::optional<uint8_t> GetUnknownOption() const;
    /// Adds an option with raw data (e.g. to test the server's handling of unknown ones).
    void AddRawOption(uint8_t code, const std::vector<uint8_t>& data);

    /// \return "SUCCESS", "NOT_AUTHORIZED", ... or the number
    static std::string ResultName(uint8_t result);

    /// \return true if \p a (16 bytes) is an IPv4-mapped IPv6 address
    static bool IsIpv4Mapped(const std::array<uint8_t, 16>& a);

  private:
    struct RawOption
    {
        uint8_t code;
        std::vector<uint8_t> data;
    };

    static std::array<uint8_t, 16> Map(Ipv4Address a);
    static std::optional<Ipv4Address> Unmap(const std::array<uint8_t, 16>& a);

    bool m_response{false};
    uint8_t m_version{VERSION};
    uint8_t m_opcode{MAP};
    uint8_t m_result{SUCCESS};
    uint32_t m_lifetime{0};
    uint32_t m_epoch{0};
    std::array<uint8_t, 16> m_client{};
    // MAP
    Nonce m_nonce{};
    uint8_t m_protocol{0};
    uint16_t m_internalPort{0};
    uint16_t m_externalPort{0};
    std::array<uint8_t, 16> m_externalAddress{};
    /// payload of an opcode other than MAP, kept so that a response can copy it
    std::vector<uint8_t> m_otherPayload;
    std::vector<RawOption> m_options;
    bool m_valid{true};
    std::string m_error;
    uint32_t m_size{0}; //!< bytes consumed by the last Deserialize()
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_PCP_HEADER_H */
