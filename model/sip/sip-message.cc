/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-message.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

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

std::string
Upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    return out;
}

bool
IsWsp(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view
Trim(std::string_view s)
{
    while (!s.empty() && IsWsp(s.front()))
    {
        s.remove_prefix(1);
    }
    while (!s.empty() && (IsWsp(s.back()) || s.back() == '\r'))
    {
        s.remove_suffix(1);
    }
    return s;
}

bool
IsAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool
IsAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool
IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool
IsHex(char c)
{
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
In(char c, std::string_view set)
{
    return set.find(c) != std::string_view::npos;
}

/// token character (RFC 3261 §25.1)
bool
IsTokenChar(char c)
{
    return IsAlnum(c) || In(c, "-.!%*_+`'~");
}

bool
IsToken(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

/// unreserved = alphanum / mark
bool
IsUnreserved(char c)
{
    return IsAlnum(c) || In(c, "-_.!~*'()");
}

/**
 * \return true if every character of \p s is unreserved, one of \p extra, or part of an
 * escape "%" HEX HEX; \p allowEmpty says whether "" passes
 */
bool
IsEscapedText(std::string_view s, std::string_view extra, bool allowEmpty)
{
    if (s.empty())
    {
        return allowEmpty;
    }
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        char c = s[i];
        if (c == '%')
        {
            if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2]))
            {
                return false;
            }
            i += 2;
        }
        else if (!IsUnreserved(c) && !In(c, extra))
        {
            return false;
        }
    }
    return true;
}

/// Reads 1*DIGIT (leading zeros allowed, RFC 3261 §25.1) no greater than \p max.
std::optional<uint64_t>
ParseNumber(std::string_view s, uint64_t max)
{
    if (s.empty())
    {
        return std::nullopt;
    }
    uint64_t v = 0;
    for (char c : s)
    {
        if (!IsDigit(c))
        {
            return std::nullopt;
        }
        v = v * 10 + static_cast<uint64_t>(c - '0');
        if (v > max)
        {
            return std::nullopt;
        }
    }
    return v;
}

bool
IsIpv4(std::string_view s)
{
    int parts = 0;
    while (true)
    {
        auto dot = s.find('.');
        auto part = s.substr(0, dot);
        if (part.size() > 3 || !ParseNumber(part, 255))
        {
            return false;
        }
        ++parts;
        if (dot == std::string_view::npos)
        {
            break;
        }
        s.remove_prefix(dot + 1);
    }
    return parts == 4;
}

bool
IsIpv6(std::string_view s)
{
    if (s.empty() || s.size() > 45 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return IsHex(c) || c == ':' || c == '.'; }))
    {
        return false;
    }
    unsigned char buf[16];
    return inet_pton(AF_INET6, std::string(s).c_str(), buf) == 1;
}

/// host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1)
bool
IsHost(std::string_view s)
{
    if (s.empty())
    {
        return false;
    }
    if (s.front() == '[')
    {
        return s.size() > 2 && s.back() == ']' && IsIpv6(s.substr(1, s.size() - 2));
    }
    if (std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || c == '.'; }))
    {
        return IsIpv4(s);
    }
    // hostname = *( domainlabel "." ) toplabel [ "." ]
    if (s.back() == '.')
    {
        s.remove_suffix(1);
    }
    std::string_view label;
    while (true)
    {
        auto dot = s.find('.');
        label = s.substr(0, dot);
        if (label.empty() || !IsAlnum(label.front()) || !IsAlnum(label.back()) ||
            !std::all_of(label.begin(), label.end(), [](char c) { return IsAlnum(c) || c == '-'; }))
        {
            return false;
        }
        if (dot == std::string_view::npos)
        {
            break;
        }
        s.remove_prefix(dot + 1);
    }
    return IsAlpha(label.front()); // toplabel starts with ALPHA
}

std::optional<uint16_t>
ParsePort(std::string_view s)
{
    auto v = ParseNumber(s, 65535);
    if (!v || *v == 0)
    {
        return std::nullopt;
    }
    return static_cast<uint16_t>(*v);
}

/**
 * Reads a quoted-string starting at s[i] == '"' (RFC 3261 §25.1); \p i ends after the
 * closing quote. \return the decoded text, or nothing if it is not a quoted-string
 */
std::optional<std::string>
ReadQuoted(std::string_view s, std::size_t& i)
{
    if (i >= s.size() || s[i] != '"')
    {
        return std::nullopt;
    }
    std::string out;
    for (++i; i < s.size(); ++i)
    {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == '"')
        {
            ++i;
            return out;
        }
        if (c == '\\')
        {
            // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
            if (i + 1 >= s.size())
            {
                return std::nullopt;
            }
            auto q = static_cast<unsigned char>(s[++i]);
            if (q == 0x0a || q == 0x0d || q > 0x7f)
            {
                return std::nullopt;
            }
            out += static_cast<char>(q);
        }
        else if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
            return std::nullopt; // qdtext excludes controls
        }
        else
        {
            out += static_cast<char>(c);
        }
    }
    return std::nullopt;
}

void
SkipWsp(std::string_view s, std::size_t& i)
{
    while (i < s.size() && IsWsp(s[i]))
    {
        ++i;
    }
}

/**
 * Reads *( SEMI generic-param ) from s[i] (RFC 3261 §25.1: LWS allowed around ';' and
 * '='; gen-value = token / host / quoted-string, the latter kept with its quotes).
 * \return an error sentence, empty if the rest of \p s is a parameter list
 */
std::string
ReadGenericParams(std::string_view s,
                  std::size_t i,
                  std::vector<std::pair<std::string, std::string>>& out)
{
    while (true)
    {
        SkipWsp(s, i);
        if (i >= s.size())
        {
            return "";
        }
        if (s[i] != ';')
        {
            return "unexpected '" + std::string(1, s[i]) + "' where ';' or the end was due";
        }
        ++i;
        SkipWsp(s, i);
        std::size_t start = i;
        while (i < s.size() && IsTokenChar(s[i]))
        {
            ++i;
        }
        std::string name(s.substr(start, i - start));
        if (name.empty())
        {
            return "empty parameter name";
        }
        std::size_t afterName = i;
        SkipWsp(s, i);
        if (i < s.size() && s[i] == '=')
        {
            ++i;
            SkipWsp(s, i);
            std::size_t vstart = i;
            if (i < s.size() && s[i] == '"')
            {
                if (!ReadQuoted(s, i))
                {
                    return "parameter " + name + " has a bad quoted string";
                }
            }
            else if (i < s.size() && s[i] == '[')
            {
                auto close = s.find(']', i);
                if (close == std::string_view::npos || !IsHost(s.substr(i, close - i + 1)))
                {
                    return "parameter " + name + " has a bad IPv6 reference";
                }
                i = close + 1;
            }
            else
            {
                while (i < s.size() && IsTokenChar(s[i]))
                {
                    ++i;
                }
            }
            if (i == vstart)
            {
                return "parameter " + name + " has '=' but no value";
            }
            out.emplace_back(name, std::string(s.substr(vstart, i - vstart)));
        }
        else
        {
            i = afterName;
            out.emplace_back(name, "");
        }
    }
}

std::string
WriteParams(const std::vector<std::pair<std::string, std::string>>& params)
{
    std::string out;
    for (const auto& [k, v] : params)
    {
        out += ";" + k;
        if (!v.empty())
        {
            out += "=" + v;
        }
    }
    return out;
}

/// Headers whose values may be comma lists (RFC 3261 §7.3.1); they are stored one per entry.
bool
IsListHeader(const std::string& name)
{
    static const std::set<std::string> lists{"Via",
                                             "Route",
                                             "Record-Route",
                                             "Contact",
                                             "Path",
                                             "Allow",
                                             "Supported",
                                             "Require",
                                             "Proxy-Require",
                                             "Unsupported"};
    return lists.count(name) != 0;
}

/// Headers that must not appear more than once (RFC 3261 §7.3.1, §20).
bool
IsSingleHeader(const std::string& name)
{
    static const std::set<std::string> single{"To",
                                              "From",
                                              "Call-ID",
                                              "CSeq",
                                              "Max-Forwards",
                                              "Content-Length",
                                              "Content-Type",
                                              "Expires"};
    return single.count(name) != 0;
}

/// Splits at commas outside <...> and quoted strings (quoted-pairs honoured).
std::vector<std::string>
SplitList(std::string_view s)
{
    std::vector<std::string> out;
    bool quoted = false;
    bool angle = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        char c = s[i];
        if (quoted)
        {
            if (c == '\\')
            {
                ++i;
            }
            else if (c == '"')
            {
                quoted = false;
            }
        }
        else if (c == '"')
        {
            quoted = true;
        }
        else if (c == '<')
        {
            angle = true;
        }
        else if (c == '>')
        {
            angle = false;
        }
        else if (!angle && c == ',')
        {
            out.emplace_back(Trim(s.substr(start, i - start)));
            start = i + 1;
        }
    }
    out.emplace_back(Trim(s.substr(start)));
    return out;
}

const std::map<std::string, std::string>&
CompactForms()
{
    // RFC 3261 §7.3.3 and the registry's other compact forms.
    static const std::map<std::string, std::string> forms{
        {"i", "Call-ID"},
        {"m", "Contact"},
        {"e", "Content-Encoding"},
        {"l", "Content-Length"},
        {"c", "Content-Type"},
        {"f", "From"},
        {"s", "Subject"},
        {"k", "Supported"},
        {"t", "To"},
        {"v", "Via"},
        {"o", "Event"},
        {"r", "Refer-To"},
        {"b", "Referred-By"},
        {"u", "Allow-Events"},
    };
    return forms;
}

/// Call-ID = word [ "@" word ] (RFC 3261 §25.1)
bool
IsCallId(std::string_view s)
{
    auto isWord = [](std::string_view w) {
        return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
            return IsTokenChar(c) || In(c, "()<>:\\\"/[]?{}");
        });
    };
    auto at = s.find('@');
    if (at == std::string_view::npos)
    {
        return isWord(s);
    }
    return isWord(s.substr(0, at)) && isWord(s.substr(at + 1));
}

/// Makes an error sentence safe for a Reason-Phrase: no controls, bounded length.
std::string
ReasonText(const std::string& text)
{
    std::string out;
    for (char c : text.substr(0, 120))
    {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out;
}

} // namespace

bool
IsAbsoluteUri(std::string_view text)
{
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || !IsAlpha(text.front()))
    {
        return false;
    }
    auto scheme = text.substr(0, colon);
    if (!std::all_of(scheme.begin(), scheme.end(), [](char c) {
            return IsAlnum(c) || In(c, "+-.");
        }))
    {
        return false;
    }
    // hier-part / opaque-part: uric characters (reserved / unreserved / escaped)
    return IsEscapedText(text.substr(colon + 1), ";/?:@&=+$,", false);
}

bool
IsSipTokenChar(char c)
{
    return IsTokenChar(c);
}

std::optional<std::string>
ReadQuotedString(std::string_view s, std::size_t& i)
{
    return ReadQuoted(s, i);
}

std::string
QuoteString(std::string_view text)
{
    std::string out = "\"";
    for (char c : text)
    {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\' || (u < 0x20 && c != '\t') || u == 0x7f)
        {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

std::string
CanonicalHeaderName(std::string_view name)
{
    std::string low = Lower(name);
    auto compact = CompactForms().find(low);
    if (compact != CompactForms().end())
    {
        return compact->second;
    }
    static const std::map<std::string, std::string> special{
        {"call-id", "Call-ID"},
        {"cseq", "CSeq"},
        {"www-authenticate", "WWW-Authenticate"},
        {"p-asserted-identity", "P-Asserted-Identity"},
    };
    auto sp = special.find(low);
    if (sp != special.end())
    {
        return sp->second;
    }
    // Capitalise each dash-separated word: "max-forwards" -> "Max-Forwards".
    bool up = true;
    for (auto& c : low)
    {
        if (up)
        {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        up = c == '-';
    }
    return low;
}

// ----- SipUri -----

std::optional<SipUri>
SipUri::Parse(std::string_view text, std::string* error)
{
    auto fail = [error, text](const std::string& why) -> std::optional<SipUri> {
        if (error)
        {
            *error = "URI '" + ReasonText(std::string(text.substr(0, 80))) + "': " + why;
        }
        return std::nullopt;
    };
    SipUri uri;
    auto colon = text.find(':');
    uri.scheme = Lower(text.substr(0, colon == std::string_view::npos ? 0 : colon));
    std::string_view rest = text.substr(std::min(colon + 1, text.size()));
    if (!uri.IsSip())
    {
        // absoluteURI; SIP-URI has its own grammar below (it allows '[' and ']').
        if (!IsAbsoluteUri(text))
        {
            return fail("not an absolute URI (scheme ':' then URI characters)");
        }
        uri.opaque = std::string(rest);
        return uri;
    }
    // userinfo ends at the only '@' (no other part of a SIP URI may hold one unescaped).
    auto at = rest.find('@');
    if (at != std::string_view::npos)
    {
        auto userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto pw = userinfo.find(':');
        uri.user = std::string(userinfo.substr(0, pw));
        if (!IsEscapedText(uri.user, "&=+$,;?/", false))
        {
            return fail("user part is empty or holds a character the grammar does not allow");
        }
        if (pw != std::string_view::npos)
        {
            uri.password = std::string(userinfo.substr(pw + 1));
            if (!IsEscapedText(*uri.password, "&=+$,", true))
            {
                return fail("password holds a character the grammar does not allow");
            }
        }
    }
    auto q = rest.find('?');
    if (q != std::string_view::npos)
    {
        uri.headers = std::string(rest.substr(q + 1));
        rest = rest.substr(0, q);
        // headers = "?" header *( "&" header ); header = hname "=" hvalue
        std::string_view h = uri.headers;
        while (true)
        {
            auto amp = h.find('&');
            auto one = h.substr(0, amp);
            auto eq = one.find('=');
            if (eq == std::string_view::npos ||
                !IsEscapedText(one.substr(0, eq), "[]/?:+$", false) ||
                !IsEscapedText(one.substr(eq + 1), "[]/?:+$", true))
            {
                return fail("URI header '" + std::string(one) + "' is not hname=hvalue");
            }
            if (amp == std::string_view::npos)
            {
                break;
            }
            h.remove_prefix(amp + 1);
        }
    }
    auto semi = rest.find(';');
    std::string_view hostport = rest.substr(0, semi);
    if (semi != std::string_view::npos)
    {
        // uri-parameters: ";" pname [ "=" pvalue ], paramchar only, no LWS.
        std::string_view p = rest.substr(semi + 1);
        while (true)
        {
            auto next = p.find(';');
            auto one = p.substr(0, next);
            auto eq = one.find('=');
            auto name = one.substr(0, eq);
            if (!IsEscapedText(name, "[]/:&+$", false))
            {
                return fail("URI parameter '" + std::string(one) + "' has a bad or empty name");
            }
            std::string value;
            if (eq != std::string_view::npos)
            {
                value = std::string(one.substr(eq + 1));
                if (!IsEscapedText(value, "[]/:&+$", false))
                {
                    return fail("URI parameter " + std::string(name) + " has a bad value");
                }
            }
            uri.params.emplace_back(std::string(name), value);
            if (next == std::string_view::npos)
            {
                break;
            }
            p.remove_prefix(next + 1);
        }
    }
    // hostport = host [ ":" port ]; an IPv6 reference holds colons itself.
    std::size_t portColon = std::string_view::npos;
    if (!hostport.empty() && hostport.front() == '[')
    {
        auto close = hostport.find(']');
        if (close != std::string_view::npos && close + 1 < hostport.size())
        {
            portColon = hostport[close + 1] == ':' ? close + 1 : std::string_view::npos;
            if (portColon == std::string_view::npos)
            {
                return fail("text after the IPv6 reference");
            }
        }
    }
    else
    {
        portColon = hostport.find(':');
    }
    uri.host = std::string(hostport.substr(0, portColon));
    if (!IsHost(uri.host))
    {
        return fail("host '" + ReasonText(uri.host) +
                    "' is not a hostname, IPv4 address or IPv6 reference");
    }
    if (portColon != std::string_view::npos)
    {
        auto port = ParsePort(hostport.substr(portColon + 1));
        if (!port)
        {
            return fail("port is not 1-65535");
        }
        uri.port = *port;
    }
    return uri;
}

std::string
SipUri::ToString() const
{
    std::string out = scheme + ":";
    if (!IsSip())
    {
        return out + opaque;
    }
    if (!user.empty())
    {
        out += user;
        if (password)
        {
            out += ":" + *password;
        }
        out += "@";
    }
    out += host;
    if (port != 0)
    {
        out += ":" + std::to_string(port);
    }
    out += WriteParams(params);
    if (!headers.empty())
    {
        out += "?" + headers;
    }
    return out;
}

bool
SipUri::HasParam(const std::string& name) const
{
    return std::any_of(params.begin(), params.end(), [&name](const auto& p) {
        return Lower(p.first) == Lower(name);
    });
}

bool
SipUri::IsSip() const
{
    return scheme == "sip" || scheme == "sips";
}

std::string
SipUri::GetUnescapedUser() const
{
    std::string out;
    for (std::size_t i = 0; i < user.size(); ++i)
    {
        if (user[i] == '%' && i + 2 < user.size())
        {
            out += static_cast<char>(std::stoi(user.substr(i + 1, 2), nullptr, 16));
            i += 2;
        }
        else
        {
            out += user[i];
        }
    }
    return out;
}

// ----- SipNameAddr -----

std::optional<SipNameAddr>
SipNameAddr::Parse(std::string_view text, std::string* error)
{
    auto fail = [error](const std::string& why) -> std::optional<SipNameAddr> {
        if (error)
        {
            *error = why;
        }
        return std::nullopt;
    };
    text = Trim(text);
    SipNameAddr na;
    std::size_t i = 0;
    std::string_view uriText;
    if (!text.empty() && text.front() == '"')
    {
        auto name = ReadQuoted(text, i);
        if (!name)
        {
            return fail("display name is not a quoted string");
        }
        na.displayName = *name;
        SkipWsp(text, i);
        if (i >= text.size() || text[i] != '<')
        {
            return fail("no <URI> after the quoted display name");
        }
    }
    else
    {
        auto lt = text.find('<');
        if (lt != std::string_view::npos)
        {
            // display-name = *(token LWS)
            auto name = Trim(text.substr(0, lt));
            std::size_t k = 0;
            while (k < name.size())
            {
                std::size_t start = k;
                while (k < name.size() && IsTokenChar(name[k]))
                {
                    ++k;
                }
                if (k == start)
                {
                    return fail("display name is neither tokens nor a quoted string");
                }
                SkipWsp(name, k);
            }
            na.displayName = std::string(name);
            i = lt;
        }
    }
    if (i < text.size() && text[i] == '<')
    {
        auto gt = text.find('>', i);
        if (gt == std::string_view::npos)
        {
            return fail("'<' without '>'");
        }
        uriText = text.substr(i + 1, gt - i - 1);
        i = gt + 1;
    }
    else
    {
        // addr-spec form: what follows ';' are header parameters (RFC 3261 §20).
        auto semi = text.find(';');
        uriText = Trim(text.substr(0, semi));
        i = semi == std::string_view::npos ? text.size() : semi;
        if (uriText.find_first_of(",?") != std::string_view::npos)
        {
            return fail("a URI with ',' or '?' must be written in <...>");
        }
    }
    std::string why;
    auto uri = SipUri::Parse(uriText, &why);
    if (!uri)
    {
        return fail(why);
    }
    na.uri = *uri;
    why = ReadGenericParams(text, i, na.params);
    if (!why.empty())
    {
        return fail(why);
    }
    return na;
}

std::string
SipNameAddr::ToString() const
{
    std::string out;
    if (!displayName.empty())
    {
        out += QuoteString(displayName) + " ";
    }
    return out + "<" + uri.ToString() + ">" + WriteParams(params);
}

std::string
SipNameAddr::GetParam(const std::string& name) const
{
    for (const auto& [k, v] : params)
    {
        if (Lower(k) == Lower(name))
        {
            return v;
        }
    }
    return "";
}

void
SipNameAddr::SetParam(const std::string& name, const std::string& value)
{
    for (auto& [k, v] : params)
    {
        if (Lower(k) == Lower(name))
        {
            v = value;
            return;
        }
    }
    params.emplace_back(name, value);
}

// ----- SipVia -----

std::optional<SipVia>
SipVia::Parse(std::string_view text, std::string* error)
{
    auto fail = [error](const std::string& why) -> std::optional<SipVia> {
        if (error)
        {
            *error = "Via: " + why;
        }
        return std::nullopt;
    };
    text = Trim(text);
    SipVia via;
    std::size_t i = 0;
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS)
    std::string parts[3];
    for (int k = 0; k < 3; ++k)
    {
        if (k > 0)
        {
            SkipWsp(text, i);
            if (i >= text.size() || text[i] != '/')
            {
                return fail("sent-protocol is not <name>/<version>/<transport>");
            }
            ++i;
            SkipWsp(text, i);
        }
        std::size_t start = i;
        while (i < text.size() && IsTokenChar(text[i]))
        {
            ++i;
        }
        parts[k] = std::string(text.substr(start, i - start));
        if (parts[k].empty())
        {
            return fail("sent-protocol is not <name>/<version>/<transport>");
        }
    }
    via.protocolName = Upper(parts[0]);
    via.protocolVersion = parts[1];
    via.transport = Upper(parts[2]);
    if (i >= text.size() || !IsWsp(text[i]))
    {
        return fail("no space between the protocol and sent-by");
    }
    SkipWsp(text, i);
    // sent-by = host [ COLON port ]
    std::size_t start = i;
    if (i < text.size() && text[i] == '[')
    {
        auto close = text.find(']', i);
        i = close == std::string_view::npos ? text.size() : close + 1;
    }
    else
    {
        while (i < text.size() && (IsAlnum(text[i]) || text[i] == '.' || text[i] == '-'))
        {
            ++i;
        }
    }
    via.host = std::string(text.substr(start, i - start));
    if (!IsHost(via.host))
    {
        return fail("sent-by host '" + ReasonText(via.host) + "' is invalid");
    }
    std::size_t afterHost = i;
    SkipWsp(text, i);
    if (i < text.size() && text[i] == ':')
    {
        ++i;
        SkipWsp(text, i);
        std::size_t p = i;
        while (i < text.size() && IsDigit(text[i]))
        {
            ++i;
        }
        auto port = ParsePort(text.substr(p, i - p));
        if (!port)
        {
            return fail("sent-by port is not 1-65535");
        }
        via.port = *port;
    }
    else
    {
        i = afterHost;
    }
    std::string why = ReadGenericParams(text, i, via.params);
    if (!why.empty())
    {
        return fail(why);
    }
    for (const auto& [k, v] : via.params)
    {
        auto name = Lower(k);
        bool ok = true;
        if (name == "branch")
        {
            ok = IsToken(v);
        }
        else if (name == "ttl")
        {
            ok = v.size() <= 3 && ParseNumber(v, 255).has_value();
        }
        else if (name == "received")
        {
            ok = IsIpv4(v) || IsIpv6(v);
        }
        else if (name == "maddr")
        {
            ok = IsHost(v);
        }
        if (!ok)
        {
            return fail("parameter " + k + " has an invalid value");
        }
    }
    return via;
}

std::string
SipVia::ToString() const
{
    std::string out = protocolName + "/" + protocolVersion + "/" + transport + " " + host;
    if (port != 0)
    {
        out += ":" + std::to_string(port);
    }
    return out + WriteParams(params);
}

std::string
SipVia::GetBranch() const
{
    for (const auto& [k, v] : params)
    {
        if (Lower(k) == "branch")
        {
            return v;
        }
    }
    return "";
}

// ----- SipMessage -----

SipMessage
SipMessage::MakeRequest(const std::string& method, const std::string& requestUri)
{
    SipMessage m;
    m.m_request = true;
    m.m_method = method;
    m.m_requestUri = requestUri;
    return m;
}

SipMessage
SipMessage::MakeResponse(const SipMessage& request,
                         uint16_t code,
                         const std::string& reason,
                         const std::string& toTag)
{
    SipMessage m;
    m.m_request = false;
    m.m_code = code;
    m.m_reason = reason.empty() ? GetReasonPhrase(code) : reason;
    std::set<std::string> copied;
    for (const auto& [name, value] : request.m_headers)
    {
        if (name != "Via" && !copied.insert(name).second)
        {
            continue; // one From, To, Call-ID, CSeq even if the request had two
        }
        if (name == "Via" || name == "From" || name == "Call-ID" || name == "CSeq")
        {
            m.m_headers.emplace_back(name, value);
        }
        else if (name == "To")
        {
            auto to = SipNameAddr::Parse(value);
            if (to && !toTag.empty() && to->GetParam("tag").empty())
            {
                to->SetParam("tag", toTag);
                m.m_headers.emplace_back(name, to->ToString());
            }
            else
            {
                m.m_headers.emplace_back(name, value);
            }
        }
    }
    return m;
}

std::string
SipMessage::GetReasonPhrase(uint16_t code)
{
    static const std::map<uint16_t, std::string> phrases{
        {100, "Trying"},
        {180, "Ringing"},
        {183, "Session Progress"},
        {200, "OK"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {407, "Proxy Authentication Required"},
        {415, "Unsupported Media Type"},
        {416, "Unsupported URI Scheme"},
        {420, "Bad Extension"},
        {408, "Request Timeout"},
        {480, "Temporarily Unavailable"},
        {481, "Call/Transaction Does Not Exist"},
        {482, "Loop Detected"},
        {483, "Too Many Hops"},
        {486, "Busy Here"},
        {487, "Request Terminated"},
        {488, "Not Acceptable Here"},
        {500, "Server Internal Error"},
        {501, "Not Implemented"},
        {503, "Service Unavailable"},
        {505, "Version Not Supported"},
        {600, "Busy Everywhere"},
        {603, "Decline"},
    };
    auto it = phrases.find(code);
    return it == phrases.end() ? "Unknown" : it->second;
}

std::optional<SipMessage>
SipMessage::Parse(std::string_view text, std::string* error)
{
    return Parse(text, error, nullptr, nullptr);
}

std::optional<SipMessage>
SipMessage::Parse(std::string_view text,
                  std::string* error,
                  std::optional<SipMessage>* answerable,
                  uint16_t* code)
{
    uint16_t answerCode = 400;
    std::optional<SipMessage> raw;
    auto fail = [&](const std::string& why) -> std::optional<SipMessage> {
        if (error)
        {
            *error = why;
        }
        if (answerable && code && raw && raw->m_request && raw->m_method != "ACK" &&
            raw->CanBeAnswered())
        {
            *answerable = raw;
            *code = answerCode;
        }
        return std::nullopt;
    };
    if (text.empty())
    {
        return fail("empty message");
    }
    // Header block ends at the first empty line (CRLF CRLF; bare LF tolerated).
    std::size_t headerEnd = text.find("\r\n\r\n");
    std::size_t bodyStart;
    if (headerEnd != std::string_view::npos)
    {
        bodyStart = headerEnd + 4;
    }
    else
    {
        headerEnd = text.find("\n\n");
        if (headerEnd == std::string_view::npos)
        {
            return fail("no empty line after the headers (truncated message)");
        }
        bodyStart = headerEnd + 2;
    }
    std::string_view head = text.substr(0, headerEnd);
    std::vector<std::string> lines;
    while (!head.empty())
    {
        auto nl = head.find('\n');
        auto line = head.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
        {
            line.remove_suffix(1);
        }
        if (!line.empty() && IsWsp(line.front()) && lines.size() > 1)
        {
            // LWS = [*WSP CRLF] 1*WSP: a folded line continues the header (§7.3.1).
            lines.back() += " " + std::string(Trim(line));
        }
        else
        {
            lines.emplace_back(line);
        }
        head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    }
    if (lines.empty() || lines[0].empty())
    {
        return fail("empty start line");
    }
    for (const auto& l : lines)
    {
        for (unsigned char c : l)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7f)
            {
                return fail("control character in the header block");
            }
        }
    }
    SipMessage m;
    const std::string& start = lines[0];
    std::string versionError;
    auto sp1 = start.find(' ');
    auto isVersion = [](std::string_view v) {
        // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT ("SIP" case-insensitive)
        if (v.size() < 7 || Upper(v.substr(0, 4)) != "SIP/")
        {
            return false;
        }
        auto dot = v.find('.', 4);
        return dot != std::string_view::npos && ParseNumber(v.substr(4, dot - 4), UINT32_MAX) &&
               ParseNumber(v.substr(dot + 1), UINT32_MAX);
    };
    std::string_view first = std::string_view(start).substr(0, sp1);
    if (isVersion(first))
    {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
        m.m_request = false;
        if (Upper(first) != "SIP/2.0")
        {
            return fail("SIP version '" + std::string(first) + "' is not SIP/2.0");
        }
        auto code3 =
            sp1 == std::string::npos ? std::nullopt : ParseNumber(start.substr(sp1 + 1, 3), 999);
        if (!code3 || *code3 < 100 || *code3 > 699 || start.size() < sp1 + 5 ||
            start[sp1 + 4] != ' ')
        {
            return fail("status line '" + start + "' has no valid 3-digit code");
        }
        m.m_code = static_cast<uint16_t>(*code3);
        m.m_reason = start.substr(sp1 + 5);
    }
    else
    {
        // Request-Line = Method SP Request-URI SP SIP-Version
        auto sp2 = sp1 == std::string::npos ? std::string::npos : start.find(' ', sp1 + 1);
        if (sp2 == std::string::npos || start.find(' ', sp2 + 1) != std::string::npos ||
            !isVersion(std::string_view(start).substr(sp2 + 1)))
        {
            return fail("start line '" + start + "' is neither a request nor a status line");
        }
        m.m_request = true;
        m.m_method = start.substr(0, sp1);
        m.m_requestUri = start.substr(sp1 + 1, sp2 - sp1 - 1);
        if (!IsToken(m.m_method))
        {
            return fail("method '" + m.m_method + "' is not a token");
        }
        auto version = start.substr(sp2 + 1);
        if (Upper(version) != "SIP/2.0")
        {
            versionError = "SIP version '" + version + "' is not supported";
        }
    }
    std::string headerError;
    for (std::size_t i = 1; i < lines.size(); ++i)
    {
        const auto& l = lines[i];
        auto colon = l.find(':');
        // header = field-name HCOLON value; HCOLON = *( SP / HTAB ) ":" SWS
        auto name = colon == std::string::npos ? std::string_view()
                                               : Trim(std::string_view(l).substr(0, colon));
        if (colon == std::string::npos || !IsToken(name) || IsWsp(l.front()))
        {
            if (headerError.empty())
            {
                headerError = colon == std::string::npos
                                  ? "header line '" + l + "' has no colon"
                                  : "header name '" + std::string(name) + "' is not a token";
            }
            continue;
        }
        std::string full = CanonicalHeaderName(name);
        auto value = Trim(std::string_view(l).substr(colon + 1));
        if (IsListHeader(full))
        {
            for (auto& v : SplitList(value))
            {
                if (v.empty() && headerError.empty())
                {
                    headerError = "empty element in the " + full + " list";
                }
                m.m_headers.emplace_back(full, v);
            }
        }
        else
        {
            m.m_headers.emplace_back(full, std::string(value));
        }
    }
    raw = m;
    if (!versionError.empty())
    {
        answerCode = 505;
        return fail(versionError);
    }
    if (!headerError.empty())
    {
        return fail(headerError);
    }
    std::string why = m.Validate();
    if (!why.empty())
    {
        return fail(why);
    }
    std::string_view body = text.substr(bodyStart);
    if (m.HasHeader("Content-Length"))
    {
        auto len = ParseNumber(m.GetHeader("Content-Length"), 999999999);
        if (!len)
        {
            return fail("Content-Length '" + m.GetHeader("Content-Length") + "' is not a number");
        }
        if (*len > body.size())
        {
            // UDP: a body shorter than Content-Length is an error (RFC 3261 §18.3).
            return fail("Content-Length " + std::to_string(*len) + " is longer than the body (" +
                        std::to_string(body.size()) + " bytes): truncated message");
        }
        body = body.substr(0, *len); // extra bytes after the body are ignored (§18.3)
    }
    m.m_body = std::string(body);
    return m;
}

std::string
SipMessage::Validate() const
{
    for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq"})
    {
        if (!HasHeader(name))
        {
            return std::string("missing mandatory header ") + name;
        }
    }
    std::map<std::string, int> seen;
    for (const auto& [name, value] : m_headers)
    {
        if (IsSingleHeader(name) && ++seen[name] == 2)
        {
            return name + " appears more than once";
        }
    }
    std::string why;
    for (const auto& v : GetHeaders("Via"))
    {
        if (!SipVia::Parse(v, &why))
        {
            return why;
        }
    }
    for (const char* name : {"From", "To"})
    {
        if (!SipNameAddr::Parse(GetHeader(name), &why))
        {
            return std::string(name) + ": " + why;
        }
    }
    for (const char* name : {"Route", "Record-Route", "Contact"})
    {
        for (const auto& v : GetHeaders(name))
        {
            if (!(std::string(name) == "Contact" && v == "*") && !SipNameAddr::Parse(v, &why))
            {
                return std::string(name) + ": " + why;
            }
        }
    }
    for (const char* name : {"Require", "Proxy-Require", "Supported", "Unsupported"})
    {
        for (const auto& v : GetHeaders(name))
        {
            if (!IsToken(v))
            {
                return std::string(name) + " option '" + v + "' is not a token";
            }
        }
    }
    // CSeq = 1*DIGIT LWS Method; the number is below 2^31 (§8.1.1.5)
    auto cseq = GetHeader("CSeq");
    auto sp = cseq.find_first_of(" \t");
    if (sp == std::string::npos || !ParseNumber(std::string_view(cseq).substr(0, sp), 0x7fffffff) ||
        !IsToken(Trim(std::string_view(cseq).substr(sp))))
    {
        return "CSeq '" + cseq + "' is not '<number below 2^31> <method>'";
    }
    if (m_request && GetCSeqMethod() != m_method)
    {
        return "CSeq method " + GetCSeqMethod() + " does not match request method " + m_method;
    }
    if (HasHeader("Max-Forwards") && !ParseNumber(GetHeader("Max-Forwards"), 255))
    {
        return "Max-Forwards '" + GetHeader("Max-Forwards") + "' is not a number 0-255";
    }
    if (!IsCallId(GetCallId()))
    {
        return "Call-ID '" + GetCallId() + "' is not word[@word]";
    }
    if (m_request && !SipUri::Parse(m_requestUri, &why))
    {
        return "Request-URI: " + why;
    }
    return "";
}

bool
SipMessage::CanBeAnswered() const
{
    // A response copies Via, From, To, Call-ID and CSeq (§8.2.6.2) and goes to the top Via.
    auto cseq = GetHeader("CSeq");
    auto sp = cseq.find_first_of(" \t");
    return GetTopVia().has_value() && HasHeader("From") && HasHeader("To") &&
           HasHeader("Call-ID") && sp != std::string::npos &&
           ParseNumber(std::string_view(cseq).substr(0, sp), 0x7fffffff) &&
           Trim(std::string_view(cseq).substr(sp)) == m_method;
}

std::string
SipMessage::Serialize() const
{
    std::ostringstream os;
    if (m_request)
    {
        os << m_method << " " << m_requestUri << " SIP/2.0\r\n";
    }
    else
    {
        os << "SIP/2.0 " << m_code << " " << m_reason << "\r\n";
    }
    for (const auto& [name, value] : m_headers)
    {
        if (name != "Content-Length")
        {
            os << name << ": " << value << "\r\n";
        }
    }
    os << "Content-Length: " << m_body.size() << "\r\n\r\n" << m_body;
    return os.str();
}

bool
SipMessage::IsRequest() const
{
    return m_request;
}

bool
SipMessage::IsResponse() const
{
    return !m_request;
}

const std::string&
SipMessage::GetMethod() const
{
    return m_method;
}

const std::string&
SipMessage::GetRequestUri() const
{
    return m_requestUri;
}

void
SipMessage::SetRequestUri(const std::string& uri)
{
    m_requestUri = uri;
}

uint16_t
SipMessage::GetStatusCode() const
{
    return m_code;
}

const std::string&
SipMessage::GetReason() const
{
    return m_reason;
}

std::string
SipMessage::GetHeader(const std::string& name) const
{
    auto full = CanonicalHeaderName(name);
    for (const auto& [k, v] : m_headers)
    {
        if (k == full)
        {
            return v;
        }
    }
    return "";
}

std::vector<std::string>
SipMessage::GetHeaders(const std::string& name) const
{
    auto full = CanonicalHeaderName(name);
    std::vector<std::string> out;
    for (const auto& [k, v] : m_headers)
    {
        if (k == full)
        {
            out.push_back(v);
        }
    }
    return out;
}

bool
SipMessage::HasHeader(const std::string& name) const
{
    auto full = CanonicalHeaderName(name);
    return std::any_of(m_headers.begin(), m_headers.end(), [&full](const auto& h) {
        return h.first == full;
    });
}

void
SipMessage::SetHeader(const std::string& name, const std::string& value)
{
    auto full = CanonicalHeaderName(name);
    auto it = std::find_if(m_headers.begin(), m_headers.end(), [&full](const auto& h) {
        return h.first == full;
    });
    if (it == m_headers.end())
    {
        m_headers.emplace_back(full, value);
        return;
    }
    it->second = value;
    m_headers.erase(std::remove_if(std::next(it),
                                   m_headers.end(),
                                   [&full](const auto& h) { return h.first == full; }),
                    m_headers.end());
}

void
SipMessage::AddHeader(const std::string& name, const std::string& value)
{
    auto full = CanonicalHeaderName(name);
    // Keep values of one name together so a list reads in order.
    auto last = m_headers.end();
    for (auto it = m_headers.begin(); it != m_headers.end(); ++it)
    {
        if (it->first == full)
        {
            last = it;
        }
    }
    if (last == m_headers.end())
    {
        m_headers.emplace_back(full, value);
    }
    else
    {
        m_headers.insert(std::next(last), {full, value});
    }
}

void
SipMessage::PrependHeader(const std::string& name, const std::string& value)
{
    auto full = CanonicalHeaderName(name);
    auto it = std::find_if(m_headers.begin(), m_headers.end(), [&full](const auto& h) {
        return h.first == full;
    });
    if (it == m_headers.end())
    {
        // New Via goes first so that the top Via is the first line after the start line.
        m_headers.insert(full == "Via" ? m_headers.begin() : m_headers.end(), {full, value});
    }
    else
    {
        m_headers.insert(it, {full, value});
    }
}

bool
SipMessage::RemoveFirstHeader(const std::string& name)
{
    auto full = CanonicalHeaderName(name);
    auto it = std::find_if(m_headers.begin(), m_headers.end(), [&full](const auto& h) {
        return h.first == full;
    });
    if (it == m_headers.end())
    {
        return false;
    }
    m_headers.erase(it);
    return true;
}

void
SipMessage::RemoveHeaders(const std::string& name)
{
    auto full = CanonicalHeaderName(name);
    m_headers.erase(std::remove_if(m_headers.begin(),
                                   m_headers.end(),
                                   [&full](const auto& h) { return h.first == full; }),
                    m_headers.end());
}

const std::string&
SipMessage::GetBody() const
{
    return m_body;
}

void
SipMessage::SetBody(const std::string& body, const std::string& contentType)
{
    m_body = body;
    if (body.empty())
    {
        RemoveHeaders("Content-Type");
    }
    else
    {
        SetHeader("Content-Type", contentType);
    }
}

std::string
SipMessage::GetCallId() const
{
    return GetHeader("Call-ID");
}

uint32_t
SipMessage::GetCSeqNumber() const
{
    auto cseq = GetHeader("CSeq");
    auto v = ParseNumber(std::string_view(cseq).substr(0, cseq.find_first_of(" \t")), 0x7fffffff);
    return v ? static_cast<uint32_t>(*v) : 0;
}

std::string
SipMessage::GetCSeqMethod() const
{
    auto cseq = GetHeader("CSeq");
    auto sp = cseq.find_first_of(" \t");
    return sp == std::string::npos ? "" : std::string(Trim(std::string_view(cseq).substr(sp)));
}

std::optional<SipVia>
SipMessage::GetTopVia() const
{
    return SipVia::Parse(GetHeader("Via"));
}

std::string
SipMessage::GetTopBranch() const
{
    auto via = GetTopVia();
    if (!via)
    {
        return "";
    }
    std::string branch = via->GetBranch();
    if (branch.rfind("z9hG4bK", 0) == 0 || !m_request)
    {
        return branch;
    }
    // RFC 2543 element: match by the request's own fields (RFC 3261 §17.2.3); the To tag
    // is left out so that the ACK of a non-2xx matches its INVITE.
    return "rfc2543 " + m_requestUri + " " + GetFromTag() + " " + GetCallId() + " " +
           std::to_string(GetCSeqNumber()) + " " + via->ToString();
}

std::optional<SipNameAddr>
SipMessage::GetFrom() const
{
    return SipNameAddr::Parse(GetHeader("From"));
}

std::optional<SipNameAddr>
SipMessage::GetTo() const
{
    return SipNameAddr::Parse(GetHeader("To"));
}

std::string
SipMessage::GetFromTag() const
{
    auto f = GetFrom();
    return f ? f->GetParam("tag") : "";
}

std::string
SipMessage::GetToTag() const
{
    auto t = GetTo();
    return t ? t->GetParam("tag") : "";
}

std::string
SipDigits(const std::string& number)
{
    std::string out;
    for (char c : number)
    {
        if (c >= '0' && c <= '9')
        {
            out += c;
        }
        else if (c != '-' && c != ' ')
        {
            return "";
        }
    }
    return out;
}

} // namespace apartment
} // namespace ns3
