/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/pcp-header.h"

namespace ns3
{
namespace apartment
{

NS_OBJECT_ENSURE_REGISTERED(PcpHeader);

TypeId
PcpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::apartment::PcpHeader")
                            .SetParent<Header>()
                            .SetGroupName("ApartmentVoip")
                            .AddConstructor<PcpHeader>();
    return tid;
}

TypeId
PcpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

PcpHeader::PcpHeader() = default;

std::array<uint8_t, 16>
PcpHeader::Map(Ipv4Address a)
{
    std::array<uint8_t, 16> out{};
    out[10] = 0xff;
    out[11] = 0xff;
    a.Serialize(&out[12]);
    return out;
}

bool
PcpHeader::IsIpv4Mapped(const std::array<uint8_t, 16>& a)
{
    for (int i = 0; i < 10; ++i)
    {
        if (a[i] != 0)
        {
            return false;
        }
    }
    return a[10] == 0xff && a[11] == 0xff;
}

std::optional<Ipv4Address>
PcpHeader::Unmap(const std::array<uint8_t, 16>& a)
{
    if (!IsIpv4Mapped(a))
    {
        return std::nullopt;
    }
    return Ipv4Address::Deserialize(&a[12]);
}

uint32_t
PcpHeader::GetSerializedSize() const
{
    uint32_t size = COMMON_SIZE;
    size += m_opcode == MAP ? MAP_SIZE : static_cast<uint32_t>(m_otherPayload.size());
    for (const auto& o : m_options)
    {
        size += 4 + ((static_cast<uint32_t>(o.data.size()) + 3) & ~3u);
    }
    return size;
}

void
PcpHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(m_version);
    i.WriteU8((m_response ? 0x80 : 0x00) | (m_opcode & 0x7f));
    if (m_response)
    {
        i.WriteU8(0);
        i.WriteU8(m_result);
        i.WriteHtonU32(m_lifetime);
        i.WriteHtonU32(m_epoch);
        i.WriteU8(0, 12);
    }
    else
    {
        i.WriteU16(0);
        i.WriteHtonU32(m_lifetime);
        i.Write(m_client.data(), m_client.size());
    }
    if (m_opcode == MAP)
    {
        i.Write(m_nonce.data(), m_nonce.size());
        i.WriteU8(m_protocol);
        i.WriteU8(0, 3);
        i.WriteHtonU16(m_internalPort);
        i.WriteHtonU16(m_externalPort);
        i.Write(m_externalAddress.data(), m_externalAddress.size());
    }
    else if (!m_otherPayload.empty())
    {
        i.Write(m_otherPayload.data(), static_cast<uint32_t>(m_otherPayload.size()));
    }
    for (const auto& o : m_options)
    {
        i.WriteU8(o.code);
        i.WriteU8(0);
        i.WriteHtonU16(static_cast<uint16_t>(o.data.size()));
        if (!o.data.empty())
        {
            i.Write(o.data.data(), static_cast<uint32_t>(o.data.size()));
        }
        uint32_t pad = ((static_cast<uint32_t>(o.data.size()) + 3) & ~3u) - o.data.size();
        if (pad > 0)
        {
            i.WriteU8(0, pad);
        }
    }
}

uint32_t
PcpHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    const uint32_t available = i.GetRemainingSize();
    m_options.clear();
    m_otherPayload.clear();
    m_valid = true;
    m_error.clear();
    m_size = available;
    auto invalid = [this, available](const std::string& why) {
        m_valid = false;
        m_error = why;
        return available;
    };
    if (available < 2)
    {
        return invalid("shorter than 2 bytes");
    }
    m_version = i.ReadU8();
    uint8_t second = i.ReadU8();
    m_response = (second & 0x80) != 0;
    m_opcode = second & 0x7f;
    if (available > MAX_SIZE)
    {
        return invalid("longer than 1100 bytes");
    }
    if (available % 4 != 0)
    {
        return invalid("length " + std::to_string(available) + " is not a multiple of 4");
    }
    if (m_version != VERSION)
    {
        return invalid("version " + std::to_string(m_version));
    }
    if (available < COMMON_SIZE)
    {
        return invalid("shorter than the 24-byte common header");
    }
    if (m_response)
    {
        i.ReadU8();
        m_result = i.ReadU8();
        m_lifetime = i.ReadNtohU32();
        m_epoch = i.ReadNtohU32();
        i.Next(12);
    }
    else
    {
        i.ReadU16();
        m_lifetime = i.ReadNtohU32();
        i.Read(m_client.data(), m_client.size());
    }
    uint32_t left = available - COMMON_SIZE;
    if (m_opcode == MAP)
    {
        if (left < MAP_SIZE)
        {
            return invalid("MAP payload shorter than 36 bytes");
        }
        i.Read(m_nonce.data(), m_nonce.size());
        m_protocol = i.ReadU8();
        i.Next(3);
        m_internalPort = i.ReadNtohU16();
        m_externalPort = i.ReadNtohU16();
        i.Read(m_externalAddress.data(), m_externalAddress.size());
        left -= MAP_SIZE;
    }
    else
    {
        // An opcode we do not implement: its payload length is unknown, keep it all.
        m_otherPayload.resize(left);
        if (left > 0)
        {
            i.Read(m_otherPayload.data(), left);
        }
        return available;
    }
    while (left > 0)
    {
        if (left < 4)
        {
            return invalid("option header truncated");
        }
        RawOption o;
        o.code = i.ReadU8();
        i.ReadU8();
        uint16_t length = i.ReadNtohU16();
        uint32_t padded = (length + 3u) & ~3u;
        if (4 + padded > left)
        {
            return invalid("option " + std::to_string(o.code) + " longer than the message");
        }
        o.data.resize(length);
        if (length > 0)
        {
            i.Read(o.data.data(), length);
        }
        i.Next(padded - length);
        left -= 4 + padded;
        m_options.push_back(std::move(o));
    }
    return available;
}

void
PcpHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "PCP INVALID (" << m_error << ")";
        return;
    }
    os << "PCP v" << unsigned(m_version) << (m_response ? " response" : " request") << " opcode "
       << unsigned(m_opcode) << " lifetime " << m_lifetime;
    if (m_response)
    {
        os << " result " << ResultName(m_result) << " epoch " << m_epoch;
    }
    else if (auto c = GetClientAddress())
    {
        os << " client " << *c;
    }
    if (m_opcode == MAP)
    {
        os << " MAP proto " << unsigned(m_protocol) << " internal " << m_internalPort
           << " external ";
        if (auto e = GetExternalAddress())
        {
            os << *e;
        }
        os << ":" << m_externalPort;
    }
    if (auto t = GetThirdParty())
    {
        os << " THIRD_PARTY " << *t;
    }
}

bool
PcpHeader::IsValid() const
{
    return m_valid;
}

const std::string&
PcpHeader::GetError() const
{
    return m_error;
}

PcpHeader
PcpHeader::MakeMapRequest(Ipv4Address client,
                          uint32_t lifetime,
                          const Nonce& nonce,
                          uint8_t protocol,
                          uint16_t internalPort,
                          uint16_t suggestedPort,
                          Ipv4Address suggestedAddress)
{
    PcpHeader h;
    h.m_opcode = MAP;
    h.SetClientAddress(client);
    h.m_lifetime = lifetime;
    h.m_nonce = nonce;
    h.m_protocol = protocol;
    h.m_internalPort = internalPort;
    h.m_externalPort = suggestedPort;
    // All zeros (::) when the client has no preference (§11.1).
    if (suggestedAddress != Ipv4Address::GetAny())
    {
        h.SetExternalAddress(suggestedAddress);
    }
    return h;
}

PcpHeader
PcpHeader::MakeResponse(const PcpHeader& request, Result result, uint32_t lifetime, uint32_t epoch)
{
    PcpHeader h = request;
    h.m_version = VERSION;
    h.m_response = true;
    h.m_result = result;
    h.m_lifetime = lifetime;
    h.m_epoch = epoch;
    h.m_valid = true;
    h.m_error.clear();
    return h;
}

bool
PcpHeader::IsResponse() const
{
    return m_response;
}

void
PcpHeader::SetResponse(bool response)
{
    m_response = response;
}

uint8_t
PcpHeader::GetVersion() const
{
    return m_version;
}

void
PcpHeader::SetVersion(uint8_t version)
{
    m_version = version;
}

uint8_t
PcpHeader::GetOpcode() const
{
    return m_opcode;
}

void
PcpHeader::SetOpcode(uint8_t opcode)
{
    m_opcode = opcode & 0x7f;
}

uint32_t
PcpHeader::GetLifetime() const
{
    return m_lifetime;
}

void
PcpHeader::SetLifetime(uint32_t seconds)
{
    m_lifetime = seconds;
}

std::optional<Ipv4Address>
PcpHeader::GetClientAddress() const
{
    return Unmap(m_client);
}

void
PcpHeader::SetClientAddress(Ipv4Address address)
{
    m_client = Map(address);
}

uint8_t
PcpHeader::GetResult() const
{
    return m_result;
}

void
PcpHeader::SetResult(uint8_t result)
{
    m_result = result;
}

uint32_t
PcpHeader::GetEpoch() const
{
    return m_epoch;
}

void
PcpHeader::SetEpoch(uint32_t seconds)
{
    m_epoch = seconds;
}

const PcpHeader::Nonce&
PcpHeader::GetNonce() const
{
    return m_nonce;
}

void
PcpHeader::SetNonce(const Nonce& nonce)
{
    m_nonce = nonce;
}

uint8_t
PcpHeader::GetProtocol() const
{
    return m_protocol;
}

void
PcpHeader::SetProtocol(uint8_t protocol)
{
    m_protocol = protocol;
}

uint16_t
PcpHeader::GetInternalPort() const
{
    return m_internalPort;
}

void
PcpHeader::SetInternalPort(uint16_t port)
{
    m_internalPort = port;
}

uint16_t
PcpHeader::GetExternalPort() const
{
    return m_externalPort;
}

void
PcpHeader::SetExternalPort(uint16_t port)
{
    m_externalPort = port;
}

std::optional<Ipv4Address>
PcpHeader::GetExternalAddress() const
{
    return Unmap(m_externalAddress);
}

void
PcpHeader::SetExternalAddress(Ipv4Address address)
{
    m_externalAddress = Map(address);
}

std::optional<Ipv4Address>
PcpHeader::GetThirdParty() const
{
    for (const auto& o : m_options)
    {
        if (o.code == THIRD_PARTY && o.data.size() == 16)
        {
            std::array<uint8_t, 16> a{};
            std::copy(o.data.begin(), o.data.end(), a.begin());
            return Unmap(a);
        }
    }
    return std::nullopt;
}

void
PcpHeader::SetThirdParty(Ipv4Address internal)
{
    auto a = Map(internal);
    m_options.push_back(RawOption{THIRD_PARTY, std::vector<uint8_t>(a.begin(), a.end())});
}

bool
PcpHeader::HasForeignThirdParty() const
{
    for (const auto& o : m_options)
    {
        if (o.code == THIRD_PARTY)
        {
            if (o.data.size() != 16)
            {
                return true;
            }
            std::array<uint8_t, 16> a{};
            std::copy(o.data.begin(), o.data.end(), a.begin());
            return !IsIpv4Mapped(a);
        }
    }
    return false;
}

std::optional<uint8_t>
PcpHeader::GetUnknownOption() const
{
    for (const auto& o : m_options)
    {
        if (o.code != THIRD_PARTY && o.code < 128) // 128-255: optional, ignored
        {
            return o.code;
        }
    }
    return std::nullopt;
}

void
PcpHeader::AddRawOption(uint8_t code, const std::vector<uint8_t>& data)
{
    m_options.push_back(RawOption{code, data});
}

std::string
PcpHeader::ResultName(uint8_t result)
{
    static const char* names[] = {"SUCCESS",
                                  "UNSUPP_VERSION",
                                  "NOT_AUTHORIZED",
                                  "MALFORMED_REQUEST",
                                  "UNSUPP_OPCODE",
                                  "UNSUPP_OPTION",
                                  "MALFORMED_OPTION",
                                  "NETWORK_FAILURE",
                                  "NO_RESOURCES",
                                  "UNSUPP_PROTOCOL",
                                  "USER_EX_QUOTA",
                                  "CANNOT_PROVIDE_EXTERNAL",
                                  "ADDRESS_MISMATCH",
                                  "EXCESSIVE_REMOTE_PEERS"};
    if (result < sizeof(names) / sizeof(names[0]))
    {
        return names[result];
    }
    return std::to_string(result);
}

} // namespace apartment
} // namespace ns3
