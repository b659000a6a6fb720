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
 * \brief A SIP URI, "sip:user@host:port;param;param=value" (RFC 3261 §19.1), no escapes.
 */
struct SipUri
{
    std::string user;                                        //!< user part, may be empty
    std::string host;                                        //!< host name or IPv4 address
    uint16_t port{0};                                        //!< 0 if not given
    std::vector<std::pair<std::string, std::string>> params; //!< URI parameters

    /// \return the URI or nothing if \p text is not a sip: URI (\p error says why)
    static std::optional<SipUri> Parse(std::string_view text, std::string* error = nullptr);
    std::string ToString() const;
    bool HasParam(const std::string& name) const;
};

/**
 * \ingroup apartment-voip
 * \brief The parts of a name-addr header value (From, To, Contact, Route, Record-Route).
 */
struct SipNameAddr
{
    std::string displayName;                                 //!< without quotes
    SipUri uri;                                              //!< the URI inside <...>
    std::vector<std::pair<std::string, std::string>> params; //!< header params (tag, expires)

    static std::optional<SipNameAddr> Parse(std::string_view text, std::string* error = nullptr);
    std::string ToString() const;
    /// \return the value of header parameter \p name, empty if absent
    std::string GetParam(const std::string& name) const;
    void SetParam(const std::string& name, const std::string& value);
};

/**
 * \ingroup apartment-voip
 * \brief The parts of one Via value, "SIP/2.0/UDP host:port;branch=z9hG4bK...".
 */
struct SipVia
{
    std::string transport{"UDP"};
    std::string host;
    uint16_t port{0}; //!< 0 if not given (then 5060)
    std::vector<std::pair<std::string, std::string>> params;

    static std::optional<SipVia> Parse(std::string_view text, std::string* error = nullptr);
    std::string ToString() const;
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

    bool IsRequest() const;
    bool IsResponse() const;
    const std::string& GetMethod() const;
    const std::string& GetRequestUri() const;
    void SetRequestUri(const std::string& uri);
    uint16_t GetStatusCode() const;
    const std::string& GetReason() const;

    /// \return the first value of header \p name (full name, case-insensitive) or ""
    std::string GetHeader(const std::string& name) const;
    /// \return every value of header \p name, in order (comma lists are split)
    std::vector<std::string> GetHeaders(const std::string& name) const;
    bool HasHeader(const std::string& name) const;
    /// \brief Replaces every value of \p name by one value (appended if absent).
    void SetHeader(const std::string& name, const std::string& value);
    /// \brief Appends a value after the existing ones.
    void AddHeader(const std::string& name, const std::string& value);
    /// \brief Inserts a value before the first one of the same name (top Via, Record-Route).
    void PrependHeader(const std::string& name, const std::string& value);
    /// \brief Removes the first value of \p name; \return false if there was none
    bool RemoveFirstHeader(const std::string& name);
    void RemoveHeaders(const std::string& name);

    const std::string& GetBody() const;
    void SetBody(const std::string& body, const std::string& contentType);

    // --- convenience accessors (valid on a message Parse() accepted) ---
    std::string GetCallId() const;
    uint32_t GetCSeqNumber() const;
    std::string GetCSeqMethod() const;
    std::optional<SipVia> GetTopVia() const;
    std::string GetTopBranch() const;
    std::optional<SipNameAddr> GetFrom() const;
    std::optional<SipNameAddr> GetTo() const;
    std::string GetFromTag() const;
    std::string GetToTag() const;

  private:
    SipMessage() = default;
    std::string ValidateAndNormalise();

    bool m_request{true};
    std::string m_method;
    std::string m_requestUri;
    uint16_t m_code{0};
    std::string m_reason;
    std::vector<std::pair<std::string, std::string>> m_headers; //!< full names, in order
    std::string m_body;
};

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
