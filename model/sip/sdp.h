/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SDP_H
#define APARTMENT_VOIP_SDP_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief One m= section of a session description.
 */
struct SdpMedia
{
    std::string type{"audio"};              //!< audio or video
    uint16_t port{0};                       //!< RTP port (even); 0 rejects the stream
    std::string protocol{"RTP/AVP"};        //!< transport
    std::vector<uint8_t> formats;           //!< RTP payload types, preferred first
    std::map<uint8_t, std::string> rtpmaps; //!< a=rtpmap: payload type -> "PCMU/8000"
    uint32_t ptimeMs{0};                    //!< a=ptime, 0 if absent
    std::string direction{"sendrecv"};      //!< a=sendrecv/sendonly/recvonly/inactive
};

/**
 * \ingroup apartment-voip
 * \brief An SDP session description (RFC 4566) as used in offer/answer (RFC 3264):
 * v=, o=, s=, c=IN IP4, t=, and m= sections with rtpmap, ptime and direction attributes.
 */
struct SessionDescription
{
    /// o= username.
    std::string originUser{"-"};
    /// o= session id.
    uint64_t sessionId{0};
    /// o= session version (raised by each new offer).
    uint64_t sessionVersion{0};
    std::string originAddress; //!< o= unicast address (IPv4 dotted)
    /// s= session name.
    std::string sessionName{"-"};
    std::string connectionAddress; //!< session-level c=IN IP4 address
    /// The m= sections, in order.
    std::vector<SdpMedia> media;

    /**
     * \return the description, or nothing if \p text is not valid SDP (\p error says why);
     * every m= section needs a connection address (session or media level)
     */
    static std::optional<SessionDescription> Parse(std::string_view text,
                                                   std::string* error = nullptr);
    /// \return the SDP text, lines ended by CRLF
    std::string Serialize() const;
    /// \return the first m= section of \p type, or null
    const SdpMedia* FindMedia(const std::string& type) const;
};

/// \return the usual rtpmap value of a static payload type ("PCMU/8000" for 0), or ""
std::string GetStaticRtpMap(uint8_t payloadType);

/**
 * \brief The answer's choice of payload type (RFC 3264 §6.1): the first offered type
 * that \p supported also lists; nothing if none is common.
 */
std::optional<uint8_t> ChoosePayloadType(const SdpMedia& offer,
                                         const std::vector<uint8_t>& supported);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SDP_H */
