/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sdp.h"

#include <algorithm>
#include <sstream>

namespace ns3
{
namespace apartment
{

namespace
{

std::vector<std::string>
Words(std::string_view s)
{
    std::vector<std::string> out;
    std::istringstream is{std::string(s)};
    std::string w;
    while (is >> w)
    {
        out.push_back(w);
    }
    return out;
}

std::optional<uint64_t>
ToNumber(const std::string& s, uint64_t max)
{
    if (s.empty() || s.size() > 20 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        return std::nullopt;
    }
    try
    {
        auto v = std::stoull(s);
        return v <= max ? std::optional<uint64_t>(v) : std::nullopt;
    }
    catch (...)
    {
        return std::nullopt;
    }
}

bool
IsIpv4(const std::string& s)
{
    int parts = 0;
    std::size_t start = 0;
    while (true)
    {
        auto dot = s.find('.', start);
        auto n =
            ToNumber(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start),
                     255);
        if (!n)
        {
            return false;
        }
        ++parts;
        if (dot == std::string::npos)
        {
            break;
        }
        start = dot + 1;
    }
    return parts == 4;
}

} // namespace

std::string
GetStaticRtpMap(uint8_t payloadType)
{
    switch (payloadType)
    {
    case 0:
        return "PCMU/8000";
    case 8:
        return "PCMA/8000";
    case 9:
        return "G722/8000";
    case 18:
        return "G729/8000";
    case 34:
        return "H263/90000";
    default:
        return "";
    }
}

std::optional<uint8_t>
ChoosePayloadType(const SdpMedia& offer, const std::vector<uint8_t>& supported)
{
    for (auto pt : offer.formats)
    {
        if (std::find(supported.begin(), supported.end(), pt) != supported.end())
        {
            return pt;
        }
    }
    return std::nullopt;
}

std::optional<SessionDescription>
SessionDescription::Parse(std::string_view text, std::string* error)
{
    auto fail = [error](const std::string& why) -> std::optional<SessionDescription> {
        if (error)
        {
            *error = "SDP: " + why;
        }
        return std::nullopt;
    };
    SessionDescription sd;
    bool seenV = false;
    bool seenO = false;
    bool seenS = false;
    bool seenT = false;
    std::vector<std::string> mediaConnection;
    std::size_t lineNo = 0;
    while (!text.empty())
    {
        auto nl = text.find('\n');
        std::string line(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (line.empty())
        {
            continue;
        }
        ++lineNo;
        if (line.find_first_of(std::string("\0\r", 2)) != std::string::npos)
        {
            return fail("NUL or CR inside a line (RFC 4566 byte-string)");
        }
        if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z')
        {
            return fail("line '" + line + "' is not <letter>=<value>");
        }
        char type = line[0];
        std::string value = line.substr(2);
        if (lineNo == 1 && type != 'v')
        {
            return fail("the first line must be v=");
        }
        auto w = Words(value);
        switch (type)
        {
        case 'v':
            if (value != "0")
            {
                return fail("version '" + value + "' is not 0");
            }
            seenV = true;
            break;
        case 'o': {
            if (w.size() != 6 || w[3] != "IN" || w[4] != "IP4" || !IsIpv4(w[5]))
            {
                return fail("o= '" + value + "' is not '<user> <id> <version> IN IP4 <addr>'");
            }
            auto id = ToNumber(w[1], UINT64_MAX);
            auto ver = ToNumber(w[2], UINT64_MAX);
            if (!id || !ver)
            {
                return fail("o= session id or version is not a number");
            }
            sd.originUser = w[0];
            sd.sessionId = *id;
            sd.sessionVersion = *ver;
            sd.originAddress = w[5];
            seenO = true;
            break;
        }
        case 's':
            sd.sessionName = value;
            seenS = true;
            break;
        case 'c':
            if (w.size() != 3 || w[0] != "IN" || w[1] != "IP4" || !IsIpv4(w[2]))
            {
                return fail("c= '" + value + "' is not 'IN IP4 <address>'");
            }
            if (sd.media.empty())
            {
                sd.connectionAddress = w[2];
            }
            else
            {
                mediaConnection.back() = w[2];
            }
            break;
        case 't':
            if (w.size() != 2 || !ToNumber(w[0], UINT64_MAX) || !ToNumber(w[1], UINT64_MAX))
            {
                return fail("t= '" + value + "' is not '<start> <stop>'");
            }
            seenT = true;
            break;
        case 'm': {
            if (!seenV || !seenO || !seenS || !seenT)
            {
                return fail("m= before the v=, o=, s= and t= lines");
            }
            if (w.size() < 4)
            {
                return fail("m= '" + value + "' is not '<media> <port> <proto> <fmt>...'");
            }
            auto port = ToNumber(w[1], 65535);
            if (!port)
            {
                return fail("m= port '" + w[1] + "' is invalid");
            }
            SdpMedia m;
            m.type = w[0];
            m.port = static_cast<uint16_t>(*port);
            m.protocol = w[2];
            for (std::size_t i = 3; i < w.size(); ++i)
            {
                auto pt = ToNumber(w[i], 127);
                if (!pt)
                {
                    return fail("m= format '" + w[i] + "' is not an RTP payload type");
                }
                m.formats.push_back(static_cast<uint8_t>(*pt));
            }
            sd.media.push_back(m);
            mediaConnection.emplace_back();
            break;
        }
        case 'a': {
            if (sd.media.empty())
            {
                break; // session-level attributes are not used
            }
            auto& m = sd.media.back();
            auto colon = value.find(':');
            std::string name = value.substr(0, colon);
            std::string arg = colon == std::string::npos ? "" : value.substr(colon + 1);
            if (name == "rtpmap")
            {
                auto aw = Words(arg);
                auto pt = aw.size() == 2 ? ToNumber(aw[0], 127) : std::nullopt;
                if (!pt)
                {
                    return fail("a=rtpmap '" + arg + "' is not '<pt> <encoding>/<clock>'");
                }
                m.rtpmaps[static_cast<uint8_t>(*pt)] = aw[1];
            }
            else if (name == "ptime")
            {
                auto p = ToNumber(arg, 1000);
                if (!p || *p == 0)
                {
                    return fail("a=ptime '" + arg + "' is not 1-1000");
                }
                m.ptimeMs = static_cast<uint32_t>(*p);
            }
            else if (name == "sendrecv" || name == "sendonly" || name == "recvonly" ||
                     name == "inactive")
            {
                m.direction = name;
            }
            break;
        }
        default:
            break; // b=, i=, u=, e=, p=, z=, k=, r= carry nothing we use
        }
    }
    if (!seenV || !seenO || !seenS || !seenT)
    {
        return fail("missing one of the mandatory v=, o=, s=, t= lines");
    }
    for (std::size_t i = 0; i < sd.media.size(); ++i)
    {
        if (mediaConnection[i].empty() && sd.connectionAddress.empty())
        {
            return fail("m=" + sd.media[i].type + " has no connection address");
        }
        if (sd.connectionAddress.empty())
        {
            sd.connectionAddress = mediaConnection[i];
        }
    }
    return sd;
}

std::string
SessionDescription::Serialize() const
{
    std::ostringstream os;
    os << "v=0\r\n"
       << "o=" << originUser << " " << sessionId << " " << sessionVersion << " IN IP4 "
       << originAddress << "\r\n"
       << "s=" << sessionName << "\r\n";
    if (!connectionAddress.empty())
    {
        // Optional at session level (RFC 4566 §5.7); Parse requires it once m= lines exist.
        os << "c=IN IP4 " << connectionAddress << "\r\n";
    }
    os << "t=0 0\r\n";
    for (const auto& m : media)
    {
        os << "m=" << m.type << " " << m.port << " " << m.protocol;
        for (auto pt : m.formats)
        {
            os << " " << static_cast<uint32_t>(pt);
        }
        os << "\r\n";
        for (auto pt : m.formats)
        {
            auto it = m.rtpmaps.find(pt);
            std::string map = it != m.rtpmaps.end() ? it->second : GetStaticRtpMap(pt);
            if (!map.empty())
            {
                os << "a=rtpmap:" << static_cast<uint32_t>(pt) << " " << map << "\r\n";
            }
        }
        if (m.ptimeMs != 0)
        {
            os << "a=ptime:" << m.ptimeMs << "\r\n";
        }
        os << "a=" << m.direction << "\r\n";
    }
    return os.str();
}

const SdpMedia*
SessionDescription::FindMedia(const std::string& type) const
{
    for (const auto& m : media)
    {
        if (m.type == type)
        {
            return &m;
        }
    }
    return nullptr;
}

} // namespace apartment
} // namespace ns3
