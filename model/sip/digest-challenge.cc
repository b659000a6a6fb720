/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/digest-challenge.h"

#include "ns3/sip-message.h"

#include <algorithm>
#include <cctype>

namespace ns3
{
namespace apartment
{

namespace
{

std::string
Lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

/// Skips LWS (the message parser unfolds lines, but a value may still carry CRLF WSP).
void
SkipLws(std::string_view s, std::size_t& i)
{
    while (i < s.size())
    {
        if (s[i] == ' ' || s[i] == '\t')
        {
            ++i;
        }
        else if (s[i] == '\r' && i + 2 < s.size() && s[i + 1] == '\n' &&
                 (s[i + 2] == ' ' || s[i + 2] == '\t'))
        {
            i += 2;
        }
        else
        {
            return;
        }
    }
}

/// quoted-string at s[i], read by the SIP message parser's own reader
bool
ReadQuoted(std::string_view s, std::size_t& i, std::string& out)
{
    auto text = ReadQuotedString(s, i);
    if (!text)
    {
        return false;
    }
    out += *text;
    return true;
}

bool
Fail(std::string* error, const std::string& what)
{
    if (error)
    {
        *error = what;
    }
    return false;
}

} // namespace

bool
ParseDigestParams(std::string_view s, std::vector<DigestParam>& params, std::string* error)
{
    params.clear();
    std::size_t i = 0;
    SkipLws(s, i);
    std::size_t start = i;
    while (i < s.size() && IsSipTokenChar(s[i]))
    {
        ++i;
    }
    if (Lower(s.substr(start, i - start)) != "digest")
    {
        return Fail(error, "the scheme is not Digest");
    }
    std::size_t afterScheme = i;
    SkipLws(s, i);
    if (i == afterScheme || i >= s.size())
    {
        return Fail(error, "Digest has no parameters");
    }
    while (true)
    {
        DigestParam p;
        start = i;
        while (i < s.size() && IsSipTokenChar(s[i]))
        {
            ++i;
        }
        p.name = Lower(s.substr(start, i - start));
        if (p.name.empty())
        {
            return Fail(error, "empty parameter name");
        }
        SkipLws(s, i);
        if (i >= s.size() || s[i] != '=')
        {
            return Fail(error, "parameter " + p.name + " has no '='");
        }
        ++i;
        SkipLws(s, i);
        if (i < s.size() && s[i] == '"')
        {
            p.quoted = true;
            if (!ReadQuoted(s, i, p.value))
            {
                return Fail(error, "parameter " + p.name + " has a bad quoted string");
            }
        }
        else
        {
            start = i;
            while (i < s.size() && IsSipTokenChar(s[i]))
            {
                ++i;
            }
            p.value = std::string(s.substr(start, i - start));
            if (p.value.empty())
            {
                return Fail(error, "parameter " + p.name + " has no value");
            }
        }
        for (const auto& q : params)
        {
            if (q.name == p.name)
            {
                return Fail(error, "parameter " + p.name + " appears twice");
            }
        }
        params.push_back(std::move(p));
        SkipLws(s, i);
        if (i >= s.size())
        {
            return true;
        }
        if (s[i] != ',')
        {
            return Fail(error, "unexpected '" + std::string(1, s[i]) + "' where ',' was due");
        }
        ++i;
        SkipLws(s, i);
    }
}

std::optional<DigestChallenge>
DigestChallenge::Parse(std::string_view text, std::string* error)
{
    std::vector<DigestParam> params;
    if (!ParseDigestParams(text, params, error))
    {
        return std::nullopt;
    }
    DigestChallenge c;
    bool hasRealm = false;
    bool hasNonce = false;
    for (const auto& p : params)
    {
        if (p.name == "realm" || p.name == "nonce" || p.name == "opaque")
        {
            if (!p.quoted)
            {
                Fail(error, p.name + " is not a quoted string");
                return std::nullopt;
            }
            (p.name == "realm" ? c.realm : p.name == "nonce" ? c.nonce : c.opaque) = p.value;
            hasRealm |= p.name == "realm";
            hasNonce |= p.name == "nonce";
        }
        else if (p.name == "stale")
        {
            std::string v = Lower(p.value);
            if (p.quoted || (v != "true" && v != "false"))
            {
                Fail(error, "stale is neither TRUE nor FALSE");
                return std::nullopt;
            }
            c.stale = v == "true";
        }
        else if (p.name == "algorithm")
        {
            if (!ParseDigestAlgorithm(p.value, c.algorithm))
            {
                Fail(error, "unsupported algorithm " + p.value);
                return std::nullopt;
            }
            c.algorithmGiven = true;
        }
        else if (p.name == "qop")
        {
            if (!p.quoted)
            {
                Fail(error, "qop options are not a quoted string");
                return std::nullopt;
            }
            std::size_t pos = 0;
            while (pos <= p.value.size())
            {
                std::size_t comma = p.value.find(',', pos);
                std::string option = p.value.substr(pos, comma - pos);
                option.erase(0, option.find_first_not_of(" \t"));
                option.erase(option.find_last_not_of(" \t") + 1);
                if (option.empty() || !std::all_of(option.begin(), option.end(), IsSipTokenChar))
                {
                    Fail(error, "bad qop option list");
                    return std::nullopt;
                }
                c.qop.push_back(Lower(option));
                if (comma == std::string::npos)
                {
                    break;
                }
                pos = comma + 1;
            }
        }
        // domain and unknown auth-params: ignored (RFC 3261 §25.1 auth-param)
    }
    if (!hasRealm || !hasNonce)
    {
        Fail(error, !hasRealm ? "no realm" : "no nonce");
        return std::nullopt;
    }
    return c;
}

std::string
DigestChallenge::ToString() const
{
    std::string out = "Digest realm=" + QuoteString(realm) + ", nonce=" + QuoteString(nonce);
    if (!opaque.empty())
    {
        out += ", opaque=" + QuoteString(opaque);
    }
    if (stale)
    {
        out += ", stale=TRUE";
    }
    out += ", algorithm=" + DigestAlgorithmName(algorithm);
    if (!qop.empty())
    {
        std::string options;
        for (const auto& q : qop)
        {
            options += (options.empty() ? "" : ",") + q;
        }
        out += ", qop=" + QuoteString(options);
    }
    return out;
}

bool
DigestChallenge::OffersAuth() const
{
    return std::find(qop.begin(), qop.end(), "auth") != qop.end();
}

} // namespace apartment
} // namespace ns3
