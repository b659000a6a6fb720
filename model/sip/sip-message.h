/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SIP_MESSAGE_H
#define APARTMENT_VOIP_SIP_MESSAGE_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief A URI as RFC 3261 §25 writes it: a SIP or SIPS URI,
 * "sip:user:password@host:port;param=value?header=value" (§19.1), or any other
 * absoluteURI (tel:, mailto:, ...), which is kept as scheme and opaque text.
 *
 * Parse() follows the grammar: a character the grammar does not allow, an empty
 * parameter name, a bad escape, a host that is neither a hostname, an IPv4 address nor
 * an IPv6 reference is refused. Escapes (%HH) are kept as written.
 */
struct SipUri
{
    std::string scheme{"sip"};                               //!< lower case
    std::string user;                                        //!< as written, may be empty
    std::optional<std::string> password;                     //!< after "user:", as written
    std::string host;                                        //!< hostname, IPv4, [IPv6]
    uint16_t port{0};                                        //!< 0 if not given
    std::vector<std::pair<std::string, std::string>> params; //!< URI parameters
    std::string headers; //!< "h=v&h=v" after '?', as written; empty if none
    std::string opaque;  //!< everything after "scheme:" when the scheme is not sip/sips

    /// \return the URI or nothing if \p text is not a URI of the grammar (\p error says why)
    static std::optional<SipUri> Parse(std::string_view text, std::string* error = nullptr);
    /// \return the URI as written on the wire
    std::string ToString() const;
    /// \return true if URI parameter \p name is present
    bool HasParam(const std::string& name) const;
    /// \return true for sip: and sips: URIs (the ones with user, host, port, params)
    bool IsSip() const;
    /// \return the user part with %HH escapes decoded
    std::string GetUnescapedUser() const;
};

/**
 * \ingroup apartment-voip
 * \brief The parts of a name-addr header value (From, To, Contact, Route, Record-Route).
 */
struct SipNameAddr
{
    std::string displayName; //!< without quotes, quoted-pairs decoded
    SipUri uri;              //!< the URI inside <...>
    std::vector<std::pair<std::string, std::string>> params; //!< header params (tag, expires)

    /// \return the value or nothing if \p text is not a name-addr (\p error says why)
    static std::optional<SipNameAddr> Parse(std::string_view text, std::string* error = nullptr);
    /// \return the value as written on the wire
    std::string ToString() const;
    /// \return the value of header parameter \p name, empty if absent
    std::string GetParam(const std::string& name) const;
    /// \brief Sets header parameter \p name (replaces or appends).
    /// \param name parameter name
    /// \param value parameter value
    void SetParam(const std::string& name, const std::string& value);
};

/**
 * \ingroup apartment-voip
 * \brief The parts of one Via value, "SIP/2.0/UDP host:port;branch=z9hG4bK..." (RFC 3261
 * §20.42, with LWS around '/', ':', ';' and '=' as the grammar allows).
 */
struct SipVia
{
    std::string protocolName{"SIP"}; //!< upper case
    /// Protocol version.
    std::string protocolVersion{"2.0"};
    std::string transport{"UDP"}; //!< upper case
    /// Sent-by host.
    std::string host;
    uint16_t port{0}; //!< 0 if not given (then 5060)
    /// Via parameters (branch, received, rport...).
    std::vector<std::pair<std::string, std::string>> params;

    /// \return the Via or nothing if \p text is not one (\p error says why)
    static std::optional<SipVia> Parse(std::string_view text, std::string* error = nullptr);
    /// \return the value as written on the wire
    std::string ToString() const;
    /// \return the branch parameter, empty if absent
    std::string GetBranch() const;
};

/**
 * \ingroup apartment-voip
 * \brief One SIP request or response (RFC 3261 §7): start line, headers, body.
 *
 * Parse() validates strictly enough that a message it accepts carries everything a
 * transaction and a dialog need (Via with branch, From with tag, To, Call-ID, CSeq whose
 * method matches a request's, Content-Length not beyond the body); anything else is
 * rejected with a sentence, so a receiver can count and drop it. Compact header names
 * (RFC 3261 §7.3.3) are accepted and stored under their full names.
 */
class SipMessage
{
  public:
    /// \return a request with an empty header list
    static SipMessage MakeRequest(const std::string& method, const std::string& requestUri);
    /**
     * \return a response to \p request: Via, From, To, Call-ID and CSeq copied (RFC 3261
     * §8.2.6.2); a tag is added to To when \p toTag is not empty and To has none
     */
    static SipMessage MakeResponse(const SipMessage& request,
                                   uint16_t code,
                                   const std::string& reason,
                                   const std::string& toTag = "");
    /// \return the usual reason phrase of \p code ("Ringing" for 180...)
    static std::string GetReasonPhrase(uint16_t code);

    /**
     * \brief Reads a message.
     * \param text the whole UDP payload
     * \param error receives what is wrong when parsing fails
     * \return the message, or nothing if \p text is not a valid SIP message
     */
    static std::optional<SipMessage> Parse(std::string_view text, std::string* error = nullptr);

    /// \return the wire text; Content-Length is written from the body
    std::string Serialize() const;

    /// \return true for a request
    bool IsRequest() const;
    /// \return true for a response
    bool IsResponse() const;
    /// \return the method of a request (empty for a response)
    const std::string& GetMethod() const;
    /// \return the Request-URI of a request
    const std::string& GetRequestUri() const;
    /// \param uri the new Request-URI (a proxy retargets)
    void SetRequestUri(const std::string& uri);
    /// \return the status code of a response (0 for a request)
    uint16_t GetStatusCode() const;
    /// \return the reason phrase of a response
    const std::string& GetReason() const;

    /**
     * \brief Reads a message and, when it is a request that is malformed but can still be
     * answered (RFC 3261 §21.4.1, §21.5.6), the parts a response needs.
     * \param text the whole UDP payload
     * \param error receives what is wrong when parsing fails
     * \param answerable receives the request as read (start line and headers) when a
     * response can be built from it: top Via, CSeq, Call-ID, From and To are readable
     * \param code receives the status code to answer with (400 or 505)
     * \return the message, or nothing if \p text is not a valid SIP message
     */
    static std::optional<SipMessage> Parse(std::string_view text,
                                           std::string* error,
                                           std::optional<SipMessage>* answerable,
                                           uint16_t* code);

    /// \return the first value of header \p name (full name, case-insensitive) or ""
    std::string GetHeader(const std::string& name) const;
    /// \return every value of header \p name, in order (comma lists are split)
    std::vector<std::string> GetHeaders(const std::string& name) const;
    /// \return true if header \p name (full name, case-insensitive) is present
    bool HasHeader(const std::string& name) const;
    /// \brief Replaces every value of \p name by one value (appended if absent).
    void SetHeader(const std::string& name, const std::string& value);
    /// \brief Appends a value after the existing ones.
    void AddHeader(const std::string& name, const std::string& value);
    /// \brief Inserts a value before the first one of the same name (top Via, Record-Route).
    void PrependHeader(const std::string& name, const std::string& value);
    /// \brief Removes the first value of \p name; \return false if there was none
    bool RemoveFirstHeader(const std::string& name);
    /// \brief Removes every value of \p name.
    /// \param name the header name
    void RemoveHeaders(const std::string& name);

    /// \return the body (empty if none)
    const std::string& GetBody() const;
    /// \brief Sets the body and Content-Type (Content-Length follows at Serialize()).
    /// \param body the body
    /// \param contentType its media type, e.g. "application/sdp"
    void SetBody(const std::string& body, const std::string& contentType);

    // --- convenience accessors (valid on a message Parse() accepted) ---
    /// \return the Call-ID
    std::string GetCallId() const;
    /// \return the CSeq sequence number
    uint32_t GetCSeqNumber() const;
    /// \return the CSeq method
    std::string GetCSeqMethod() const;
    /// \return the top Via, parsed
    std::optional<SipVia> GetTopVia() const;
    /**
     * \return the top Via's branch when it starts with the magic cookie z9hG4bK;
     * for a request from an RFC 2543 element (no cookie), an identifier made of what
     * RFC 3261 §17.2.3 matches such a request's transaction by: Request-URI, From tag,
     * Call-ID, CSeq number and the top Via (the same for INVITE, its ACK and CANCEL)
     */
    std::string GetTopBranch() const;
    /// \return From, parsed
    std::optional<SipNameAddr> GetFrom() const;
    /// \return To, parsed
    std::optional<SipNameAddr> GetTo() const;
    /// \return the From tag
    std::string GetFromTag() const;
    /// \return the To tag (empty before the dialog exists)
    std::string GetToTag() const;

  private:
    SipMessage() = default;
    std::string Validate() const;
    /// \return true if a response can be built from this request as read
    bool CanBeAnswered() const;

    bool m_request{true};
    std::string m_method;
    std::string m_requestUri;
    uint16_t m_code{0};
    std::string m_reason;
    std::vector<std::pair<std::string, std::string>> m_headers; //!< full names, in order
    std::string m_body;
};

/// \return true if \p text is an absoluteURI of RFC 3261 §25 (scheme ":" then URI characters)
bool IsAbsoluteUri(std::string_view text);

/// \return \p text as a quoted-string (RFC 3261 §25.1), quotes and controls escaped
std::string QuoteString(std::string_view text);

/// \return true if \p c is a token character of RFC 3261 §25.1
bool IsSipTokenChar(char c);

/**
 * Reads a quoted-string starting at s[i] == '"' (RFC 3261 §25.1), as the message parser
 * does; \p i ends after the closing quote.
 * \param s the text
 * \param i where the quoted-string starts; moved past it
 * \return the decoded text (quoted-pairs resolved), or nothing if it is not a quoted-string
 */
std::optional<std::string> ReadQuotedString(std::string_view s, std::size_t& i);

/// \return the full header name of \p name (compact forms expanded, canonical case)
std::string CanonicalHeaderName(std::string_view name);

/**
 * \brief The digits of a dialled number or SIP user part ("100-1101-1201-1" ->
 * "100110112011"); dashes and spaces are skipped.
 * \return the digits, or an empty string if \p number holds anything else
 */
std::string SipDigits(const std::string& number);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SIP_MESSAGE_H */
