/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-message.h"

#include <algorithm>
#include <cctype>
#include <map>
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

std::string_view
Trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    {
        s.remove_suffix(1);
    }
    return s;
}

bool
IsToken(std::string_view s)
{
    if (s.empty())
    {
        return false;
    }
    for (unsigned char c : s)
    {
        if (!std::isalnum(c) && std::string_view("-.!%*_+`'~").find(c) == std::string_view::npos)
        {
            return false;
        }
    }
    return true;
}

/// Reads a decimal number of at most \p maxDigits digits.
std::optional<uint32_t>
ParseNumber(std::string_view s, std::size_t maxDigits)
{
    if (s.empty() || s.size() > maxDigits)
    {
        return std::nullopt;
    }
    uint32_t v = 0;
    for (char c : s)
    {
        if (c < '0' || c > '9')
        {
            return std::nullopt;
        }
        v = v * 10 + static_cast<uint32_t>(c - '0');
    }
    return v;
}

/// Splits "a;b=c;d" into parameters (the part before the first ';' is not included).
std::vector<std::pair<std::string, std::string>>
ParseParams(std::string_view s)
{
    std::vector<std::pair<std::string, std::string>> out;
    while (!s.empty())
    {
        auto semi = s.find(';');
        auto item = Trim(s.substr(0, semi));
        s = semi == std::string_view::npos ? std::string_view() : s.substr(semi + 1);
        if (item.empty())
        {
            continue;
        }
        auto eq = item.find('=');
        if (eq == std::string_view::npos)
        {
            out.emplace_back(std::string(item), "");
        }
        else
        {
            out.emplace_back(std::string(Trim(item.substr(0, eq))),
                             std::string(Trim(item.substr(eq + 1))));
        }
    }
    return out;
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

std::optional<uint16_t>
ParsePort(std::string_view s)
{
    auto v = ParseNumber(s, 5);
    if (!v || *v == 0 || *v > 65535)
    {
        return std::nullopt;
    }
    return static_cast<uint16_t>(*v);
}

/// Splits "host[:port]"; false if the host is empty or the port is not 1-65535.
bool
SplitHostPort(std::string_view s, std::string& host, uint16_t& port)
{
    auto colon = s.find(':');
    host = std::string(s.substr(0, colon));
    port = 0;
    if (host.empty())
    {
        return false;
    }
    for (unsigned char c : host)
    {
        if (!std::isalnum(c) && c != '.' && c != '-')
        {
            return false;
        }
    }
    if (colon != std::string_view::npos)
    {
        auto p = ParsePort(s.substr(colon + 1));
        if (!p)
        {
            return false;
        }
        port = *p;
    }
    return true;
}

/// Headers whose values may be comma lists (RFC 3261 §7.3.1); they are stored one per entry.
bool
IsListHeader(const std::string& name)
{
    return name == "Via" || name == "Route" || name == "Record-Route" || name == "Contact" ||
           name == "Path" || name == "Allow" || name == "Supported";
}

/// Splits at commas outside <...> and quotes.
std::vector<std::string>
SplitList(std::string_view s)
{
    std::vector<std::string> out;
    bool quoted = false;
    int angle = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        char c = s[i];
        if (c == '"')
        {
            quoted = !quoted;
        }
        else if (!quoted && c == '<')
        {
            ++angle;
        }
        else if (!quoted && c == '>')
        {
            --angle;
        }
        else if (!quoted && angle == 0 && c == ',')
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
    };
    return forms;
}

} // namespace

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
    auto fail = [error](const std::string& why) -> std::optional<SipUri> {
        if (error)
        {
            *error = why;
        }
        return std::nullopt;
    };
    text = Trim(text);
    if (text.size() < 5 || Lower(text.substr(0, 4)) != "sip:")
    {
        return fail("URI '" + std::string(text) + "' is not a sip: URI");
    }
    text.remove_prefix(4);
    SipUri uri;
    auto semi = text.find(';');
    std::string_view main = text.substr(0, semi);
    if (semi != std::string_view::npos)
    {
        uri.params = ParseParams(text.substr(semi + 1));
    }
    auto at = main.find('@');
    if (at != std::string_view::npos)
    {
        uri.user = std::string(main.substr(0, at));
        main = main.substr(at + 1);
        if (uri.user.empty())
        {
            return fail("URI has an empty user part");
        }
    }
    if (!SplitHostPort(main, uri.host, uri.port))
    {
        return fail("URI host/port '" + std::string(main) + "' is invalid");
    }
    return uri;
}

std::string
SipUri::ToString() const
{
    std::string out = "sip:";
    if (!user.empty())
    {
        out += user + "@";
    }
    out += host;
    if (port != 0)
    {
        out += ":" + std::to_string(port);
    }
    return out + WriteParams(params);
}

bool
SipUri::HasParam(const std::string& name) const
{
    return std::any_of(params.begin(), params.end(), [&name](const auto& p) {
        return Lower(p.first) == Lower(name);
    });
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
    auto lt = text.find('<');
    std::string_view uriText;
    std::string_view rest;
    if (lt != std::string_view::npos)
    {
        auto gt = text.find('>', lt);
        if (gt == std::string_view::npos)
        {
            return fail("'<' without '>' in '" + std::string(text) + "'");
        }
        auto name = Trim(text.substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        {
            name = name.substr(1, name.size() - 2);
        }
        na.displayName = std::string(name);
        uriText = text.substr(lt + 1, gt - lt - 1);
        rest = text.substr(gt + 1);
        rest = Trim(rest);
        if (!rest.empty() && rest.front() != ';')
        {
            return fail("unexpected text after '>' in '" + std::string(text) + "'");
        }
    }
    else
    {
        // addr-spec form: URI parameters would be header parameters (RFC 3261 §20).
        auto semi = text.find(';');
        uriText = text.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view() : text.substr(semi);
    }
    std::string why;
    auto uri = SipUri::Parse(uriText, &why);
    if (!uri)
    {
        return fail(why);
    }
    na.uri = *uri;
    if (!rest.empty())
    {
        na.params = ParseParams(rest.substr(1));
    }
    return na;
}

std::string
SipNameAddr::ToString() const
{
    std::string out;
    if (!displayName.empty())
    {
        out += "\"" + displayName + "\" ";
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
            *error = why;
        }
        return std::nullopt;
    };
    text = Trim(text);
    SipVia via;
    // "SIP / 2.0 / UDP" may have spaces around slashes (RFC 3261 §25.1 SLASH).
    std::string proto;
    std::size_t i = 0;
    int slashes = 0;
    for (; i < text.size(); ++i)
    {
        char c = text[i];
        if (c == '/')
        {
            ++slashes;
            proto += c;
        }
        else if (c == ' ' || c == '\t')
        {
            if (slashes == 2 && proto.back() != '/')
            {
                break;
            }
        }
        else
        {
            proto += c;
        }
    }
    auto upper = proto;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    if (upper.rfind("SIP/2.0/", 0) != 0 || upper.size() == 8)
    {
        return fail("Via '" + std::string(text) + "' does not start with SIP/2.0/<transport>");
    }
    via.transport = upper.substr(8);
    auto rest = Trim(text.substr(std::min(i, text.size())));
    auto semi = rest.find(';');
    if (!SplitHostPort(Trim(rest.substr(0, semi)), via.host, via.port))
    {
        return fail("Via sent-by '" + std::string(rest.substr(0, semi)) + "' is invalid");
    }
    if (semi != std::string_view::npos)
    {
        via.params = ParseParams(rest.substr(semi + 1));
    }
    return via;
}

std::string
SipVia::ToString() const
{
    std::string out = "SIP/2.0/" + transport + " " + host;
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
    for (const auto& [name, value] : request.m_headers)
    {
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
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {480, "Temporarily Unavailable"},
        {481, "Call/Transaction Does Not Exist"},
        {483, "Too Many Hops"},
        {486, "Busy Here"},
        {487, "Request Terminated"},
        {488, "Not Acceptable Here"},
        {500, "Server Internal Error"},
        {501, "Not Implemented"},
        {503, "Service Unavailable"},
        {600, "Busy Everywhere"},
        {603, "Decline"},
    };
    auto it = phrases.find(code);
    return it == phrases.end() ? "Unknown" : it->second;
}

std::optional<SipMessage>
SipMessage::Parse(std::string_view text, std::string* error)
{
    auto fail = [error](const std::string& why) -> std::optional<SipMessage> {
        if (error)
        {
            *error = why;
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
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !lines.empty())
        {
            lines.back() += " " + std::string(Trim(line)); // folded line (RFC 3261 §7.3.1)
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
            if (c < 0x20 && c != '\t')
            {
                return fail("control character in the header block");
            }
        }
    }
    SipMessage m;
    const std::string& start = lines[0];
    if (start.rfind("SIP/2.0 ", 0) == 0)
    {
        m.m_request = false;
        auto codeText = std::string_view(start).substr(8, 3);
        auto code = ParseNumber(codeText, 3);
        if (!code || *code < 100 || *code > 699 || (start.size() > 11 && start[11] != ' '))
        {
            return fail("status line '" + start + "' has no valid 3-digit code");
        }
        m.m_code = static_cast<uint16_t>(*code);
        m.m_reason = start.size() > 12 ? start.substr(12) : "";
    }
    else
    {
        auto sp1 = start.find(' ');
        auto sp2 = sp1 == std::string::npos ? std::string::npos : start.find(' ', sp1 + 1);
        if (sp2 == std::string::npos || start.substr(sp2 + 1) != "SIP/2.0")
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
        std::string why;
        if (!SipUri::Parse(m.m_requestUri, &why))
        {
            return fail("Request-URI: " + why);
        }
    }
    for (std::size_t i = 1; i < lines.size(); ++i)
    {
        const auto& l = lines[i];
        auto colon = l.find(':');
        if (colon == std::string::npos)
        {
            return fail("header line '" + l + "' has no colon");
        }
        auto name = Trim(std::string_view(l).substr(0, colon));
        if (!IsToken(name))
        {
            return fail("header name '" + std::string(name) + "' is not a token");
        }
        std::string full = CanonicalHeaderName(name);
        auto value = Trim(std::string_view(l).substr(colon + 1));
        if (IsListHeader(full))
        {
            for (auto& v : SplitList(value))
            {
                if (v.empty())
                {
                    return fail("empty element in the " + full + " list");
                }
                m.m_headers.emplace_back(full, v);
            }
        }
        else
        {
            m.m_headers.emplace_back(full, std::string(value));
        }
    }
    std::string_view body = text.substr(bodyStart);
    if (m.HasHeader("Content-Length"))
    {
        auto len = ParseNumber(Trim(m.GetHeader("Content-Length")), 9);
        if (!len)
        {
            return fail("Content-Length '" + m.GetHeader("Content-Length") + "' is not a number");
        }
        if (*len > body.size())
        {
            return fail("Content-Length " + std::to_string(*len) + " is longer than the body (" +
                        std::to_string(body.size()) + " bytes): truncated message");
        }
        body = body.substr(0, *len); // extra bytes after the body are ignored (§18.3)
    }
    m.m_body = std::string(body);
    std::string why = m.ValidateAndNormalise();
    if (!why.empty())
    {
        return fail(why);
    }
    return m;
}

std::string
SipMessage::ValidateAndNormalise()
{
    for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq"})
    {
        if (!HasHeader(name))
        {
            return std::string("missing mandatory header ") + name;
        }
    }
    std::string why;
    auto via = SipVia::Parse(GetHeader("Via"), &why);
    if (!via)
    {
        return why;
    }
    if (m_request && via->GetBranch().empty())
    {
        return "top Via has no branch parameter";
    }
    for (const char* name : {"From", "To"})
    {
        if (!SipNameAddr::Parse(GetHeader(name), &why))
        {
            return std::string(name) + ": " + why;
        }
    }
    auto cseq = GetHeader("CSeq");
    auto sp = cseq.find(' ');
    if (sp == std::string::npos || !ParseNumber(Trim(std::string_view(cseq).substr(0, sp)), 10) ||
        !IsToken(Trim(std::string_view(cseq).substr(sp + 1))))
    {
        return "CSeq '" + cseq + "' is not '<number> <method>'";
    }
    if (m_request && GetCSeqMethod() != m_method)
    {
        return "CSeq method " + GetCSeqMethod() + " does not match request method " + m_method;
    }
    if (m_request && HasHeader("Max-Forwards") && !ParseNumber(GetHeader("Max-Forwards"), 3))
    {
        return "Max-Forwards '" + GetHeader("Max-Forwards") + "' is not a number";
    }
    if (GetCallId().empty())
    {
        return "empty Call-ID";
    }
    return "";
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
    auto v = ParseNumber(Trim(std::string_view(cseq).substr(0, cseq.find(' '))), 10);
    return v ? *v : 0;
}

std::string
SipMessage::GetCSeqMethod() const
{
    auto cseq = GetHeader("CSeq");
    auto sp = cseq.find(' ');
    return sp == std::string::npos ? "" : std::string(Trim(std::string_view(cseq).substr(sp + 1)));
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
    return via ? via->GetBranch() : "";
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
