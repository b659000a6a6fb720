/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/digest-credentials.h"

#include "ns3/sip-message.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>

namespace ns3
{
namespace apartment
{

namespace
{

bool
IsLowerHex(const std::string& s)
{
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

bool
IsHex(const std::string& s)
{
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

std::nullopt_t
Fail(std::string* error, const std::string& what)
{
    if (error)
    {
        *error = what;
    }
    return std::nullopt;
}

} // namespace

std::string
FormatNonceCount(uint32_t n)
{
    char text[9];
    std::snprintf(text, sizeof(text), "%08x", n);
    return text;
}

std::optional<DigestCredentials>
DigestCredentials::Parse(std::string_view text, std::string* error)
{
    std::vector<DigestParam> params;
    if (!ParseDigestParams(text, params, error))
    {
        return std::nullopt;
    }
    DigestCredentials c;
    std::string response;
    std::string nc;
    bool seen[5] = {false, false, false, false, false}; // username realm nonce uri response
    for (const auto& p : params)
    {
        static const char* quotedNames[] =
            {"username", "realm", "nonce", "uri", "response", "cnonce", "opaque"};
        std::string* field[] =
            {&c.username, &c.realm, &c.nonce, &c.uri, &response, &c.cnonce, &c.opaque};
        bool handled = false;
        for (std::size_t k = 0; k < 7; ++k)
        {
            if (p.name == quotedNames[k])
            {
                if (!p.quoted)
                {
                    return Fail(error, p.name + " is not a quoted string");
                }
                *field[k] = p.value;
                if (k < 5)
                {
                    seen[k] = true;
                }
                handled = true;
            }
        }
        if (handled)
        {
            continue;
        }
        if (p.name == "algorithm")
        {
            if (!ParseDigestAlgorithm(p.value, c.algorithm))
            {
                return Fail(error, "unsupported algorithm " + p.value);
            }
        }
        else if (p.name == "qop")
        {
            // message-qop = "qop" EQUAL qop-value: a token (many phones quote it anyway)
            bool token = !p.value.empty() &&
                         std::all_of(p.value.begin(), p.value.end(), [](unsigned char ch) {
                             return std::isalnum(ch) ||
                                    std::string_view("-.!%*_+`'~").find(static_cast<char>(ch)) !=
                                        std::string_view::npos;
                         });
            if (!token)
            {
                return Fail(error, "qop is not a token");
            }
            c.qop = p.value;
            std::transform(c.qop.begin(), c.qop.end(), c.qop.begin(), [](unsigned char ch) {
                return static_cast<char>(std::tolower(ch));
            });
        }
        else if (p.name == "nc")
        {
            if (p.quoted || p.value.size() != 8 || !IsHex(p.value))
            {
                return Fail(error, "nc is not 8 hex digits");
            }
            nc = p.value;
        }
        // unknown auth-params: ignored
    }
    static const char* required[] = {"username", "realm", "nonce", "uri", "response"};
    for (std::size_t k = 0; k < 5; ++k)
    {
        if (!seen[k])
        {
            return Fail(error, std::string("no ") + required[k]);
        }
    }
    std::size_t digits = c.algorithm == DigestAlgorithm::Md5 ? 32 : 64;
    if (response.size() != digits || !IsLowerHex(response))
    {
        return Fail(error, "response is not " + std::to_string(digits) + " lower-case hex digits");
    }
    c.response = response;
    if (!c.qop.empty() && (c.cnonce.empty() || nc.empty()))
    {
        return Fail(error, "qop without cnonce and nc");
    }
    if (!nc.empty())
    {
        c.nc = static_cast<uint32_t>(std::stoul(nc, nullptr, 16));
    }
    return c;
}

std::string
DigestCredentials::ToString() const
{
    std::string out = "Digest username=" + QuoteString(username) + ", realm=" + QuoteString(realm) +
                      ", nonce=" + QuoteString(nonce) + ", uri=" + QuoteString(uri) +
                      ", response=" + QuoteString(response) +
                      ", algorithm=" + DigestAlgorithmName(algorithm);
    if (!qop.empty())
    {
        out += ", cnonce=" + QuoteString(cnonce) + ", qop=" + qop + ", nc=" + FormatNonceCount(nc);
    }
    if (!opaque.empty())
    {
        out += ", opaque=" + QuoteString(opaque);
    }
    return out;
}

std::string
DigestCredentials::ComputeResponse(const std::string& password, const std::string& method) const
{
    std::string ha1 = HexDigest(algorithm, username + ":" + realm + ":" + password);
    std::string ha2 = HexDigest(algorithm, method + ":" + uri);
    if (qop.empty())
    {
        return HexDigest(algorithm, ha1 + ":" + nonce + ":" + ha2);
    }
    return HexDigest(algorithm,
                     ha1 + ":" + nonce + ":" + FormatNonceCount(nc) + ":" + cnonce + ":" + qop +
                         ":" + ha2);
}

DigestCredentials
DigestCredentials::Answer(const DigestChallenge& challenge,
                          const std::string& username,
                          const std::string& password,
                          const std::string& method,
                          const std::string& uri,
                          const std::string& cnonce,
                          uint32_t nc)
{
    DigestCredentials c;
    c.username = username;
    c.realm = challenge.realm;
    c.nonce = challenge.nonce;
    c.uri = uri;
    c.algorithm = challenge.algorithm;
    c.opaque = challenge.opaque;
    if (challenge.OffersAuth())
    {
        c.qop = "auth";
        c.cnonce = cnonce;
        c.nc = nc;
    }
    c.response = c.ComputeResponse(password, method);
    return c;
}

} // namespace apartment
} // namespace ns3
