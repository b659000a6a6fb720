/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// RFC 3261 §25 grammar: what it allows is accepted, what it does not is refused, and a
// malformed request that can be answered says how (§21.4.1). Message texts are written
// from the ABNF, not from what the module sends.

#include "ns3/sdp.h"
#include "ns3/sip-message.h"

#include <gtest/gtest.h>

using namespace ns3::apartment;

namespace
{

/// A request built from the grammar with \p headers between the start line and the body.
std::string
Request(const std::string& startLine, const std::string& headers, const std::string& body = "")
{
    return startLine + "\r\n" + headers + "\r\n" + body;
}

const std::string kHeaders = "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
                             "Max-Forwards: 70\r\n"
                             "To: Bob <sip:bob@example.com>\r\n"
                             "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
                             "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
                             "CSeq: 314159 OPTIONS\r\n";

std::optional<SipMessage>
Must(const std::string& text)
{
    std::string error;
    auto m = SipMessage::Parse(text, &error);
    EXPECT_TRUE(m) << error << "\n" << text;
    if (m)
    {
        // Whatever is accepted also survives the module's own serialization.
        auto again = SipMessage::Parse(m->Serialize(), &error);
        EXPECT_TRUE(again) << error << "\n" << m->Serialize();
        if (again)
        {
            EXPECT_EQ(again->Serialize(), m->Serialize());
        }
    }
    return m;
}

TEST(SipGrammarTest, HeaderFoldingAndLwsAroundSeparators)
{
    auto m = Must(Request("OPTIONS sip:bob@example.com SIP/2.0",
                          "Via  :  SIP / 2.0 / UDP   pc33.example.com : 5060 ;\r\n"
                          "  branch = z9hG4bK776asdhds ; received=192.0.2.1\r\n"
                          "Max-Forwards:\t70\r\n"
                          "To:\r\n Bob\r\n\t<sip:bob@example.com>\r\n"
                          "From: Alice <sip:alice@example.com> ; tag = 1928301774\r\n"
                          "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
                          "CSeq: 314159\r\n   OPTIONS\r\n"));
    ASSERT_TRUE(m);
    auto via = m->GetTopVia();
    ASSERT_TRUE(via);
    EXPECT_EQ(via->host, "pc33.example.com");
    EXPECT_EQ(via->port, 5060);
    EXPECT_EQ(via->GetBranch(), "z9hG4bK776asdhds");
    EXPECT_EQ(m->GetFromTag(), "1928301774");
    EXPECT_EQ(m->GetTo()->displayName, "Bob");
    EXPECT_EQ(m->GetCSeqNumber(), 314159u);
    EXPECT_EQ(m->GetCSeqMethod(), "OPTIONS");
}

TEST(SipGrammarTest, CompactAndLongNamesAreTheSameHeader)
{
    auto m = Must(Request("INVITE sip:bob@example.com SIP/2.0",
                          "v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKnashds8\r\n"
                          "Max-Forwards: 70\r\n"
                          "t: <sip:bob@example.com>\r\n"
                          "f: <sip:alice@example.com>;tag=88\r\n"
                          "i: 843817637684230@998sdasdh09\r\n"
                          "CSeq: 1 INVITE\r\n"
                          "m: <sip:alice@pc33.example.com>\r\n"
                          "k: timer\r\n"
                          "s: lunch\r\n"
                          "c: application/sdp\r\n"
                          "e: identity\r\n"
                          "l: 3\r\n",
                          "abc"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetCallId(), "843817637684230@998sdasdh09");
    EXPECT_EQ(m->GetHeader("Contact"), "<sip:alice@pc33.example.com>");
    EXPECT_EQ(m->GetHeader("Supported"), "timer");
    EXPECT_EQ(m->GetHeader("Subject"), "lunch");
    EXPECT_EQ(m->GetHeader("Content-Type"), "application/sdp");
    EXPECT_EQ(m->GetHeader("Content-Encoding"), "identity");
    EXPECT_EQ(m->GetBody(), "abc");
    // Names are case-insensitive.
    EXPECT_TRUE(Must(Request("OPTIONS sip:bob@example.com SIP/2.0",
                             "VIA: SIP/2.0/UDP h;branch=z9hG4bK1\r\nmax-forwards: 70\r\n"
                             "TO: <sip:b@h>\r\nfrom: <sip:a@h>;tag=1\r\nCALL-ID: x\r\n"
                             "cseq: 1 OPTIONS\r\n")));
}

TEST(SipGrammarTest, QuotedStringsWithQuotedPairs)
{
    auto m = Must(Request("OPTIONS sip:bob@example.com SIP/2.0",
                          "Via: SIP/2.0/UDP h;branch=z9hG4bK1;x=\"a;b,\\\"c\"\r\n"
                          "To: \"Bob \\\"the\\\" \\\\ Builder, Jr.\" <sip:bob@example.com>\r\n"
                          "From: \"<sip:evil@x>\" <sip:alice@example.com>;tag=1\r\n"
                          "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n"
                          "Contact: \"A, B\" <sip:a@h>, <sip:b@h>;q=0.5\r\n"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetTo()->displayName, "Bob \"the\" \\ Builder, Jr.");
    EXPECT_EQ(m->GetFrom()->displayName, "<sip:evil@x>");
    EXPECT_EQ(m->GetFrom()->uri.user, "alice");
    EXPECT_EQ(m->GetTopVia()->params.back().second, "\"a;b,\\\"c\"");
    ASSERT_EQ(m->GetHeaders("Contact").size(), 2u);
    EXPECT_EQ(SipNameAddr::Parse(m->GetHeaders("Contact")[0])->displayName, "A, B");
    // Written back quoted, escapes where needed, and read back the same.
    auto to = *m->GetTo();
    EXPECT_EQ(to.ToString(), "\"Bob \\\"the\\\" \\\\ Builder, Jr.\" <sip:bob@example.com>");
}

TEST(SipGrammarTest, EscapedCharactersInUris)
{
    auto u = SipUri::Parse("sip:%61lice%20smith:secret@example.com;transport=udp?subject=a%20b");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->user, "%61lice%20smith");
    EXPECT_EQ(u->GetUnescapedUser(), "alice smith");
    EXPECT_EQ(*u->password, "secret");
    EXPECT_EQ(u->headers, "subject=a%20b");
    EXPECT_EQ(u->ToString(), "sip:%61lice%20smith:secret@example.com;transport=udp?subject=a%20b");
    EXPECT_TRUE(SipUri::Parse("sip:+1-212-555-1212;phone-context=x@gw.example.com;user=phone"));
    EXPECT_TRUE(SipUri::Parse("sip:alice@[2001:db8::10]:5070;maddr=239.255.255.1"));
    EXPECT_TRUE(SipUri::Parse("sips:alice@atlanta.example.com."));
    // What the grammar does not allow.
    for (const char* bad : {"sip:al ice@h",
                            "sip:alice@h;;;=;",
                            "sip:alice@h;=x",
                            "sip:alice@h;lr=",
                            "sip:%6@h",
                            "sip:%zz@h",
                            "sip:a@-h",
                            "sip:a@h_b",
                            "sip:a@1.2.3.256",
                            "sip:a@1.2.3",
                            "sip:a@[::1",
                            "sip:a@h:0",
                            "sip:a@h:65536",
                            "sip:a@h?x",
                            "sip:@h",
                            "sip:a@",
                            "sip:a\x01@h",
                            "1sip:a@h",
                            "sip:a@h#frag"})
    {
        EXPECT_FALSE(SipUri::Parse(bad)) << bad;
    }
}

TEST(SipGrammarTest, AnyUriSchemeOfTheGrammarParses)
{
    auto tel = SipUri::Parse("tel:+1-201-555-0123");
    ASSERT_TRUE(tel);
    EXPECT_EQ(tel->scheme, "tel");
    EXPECT_FALSE(tel->IsSip());
    EXPECT_EQ(tel->ToString(), "tel:+1-201-555-0123");
    auto m = Must(Request("OPTIONS tel:+1-201-555-0123 SIP/2.0",
                          "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                          "To: <tel:+1-201-555-0123>\r\nFrom: <sips:a@h>;tag=1\r\n"
                          "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetRequestUri(), "tel:+1-201-555-0123");
    EXPECT_EQ(m->GetFrom()->uri.scheme, "sips");
    auto mailto = Must(Request("OPTIONS mailto:bob@example.com SIP/2.0", kHeaders));
    ASSERT_TRUE(mailto);
    EXPECT_EQ(SipUri::Parse(mailto->GetRequestUri())->scheme, "mailto");
}

TEST(SipGrammarTest, NumbersWithLeadingZerosAndLargestValues)
{
    auto m = Must(Request("OPTIONS sip:bob@example.com SIP/2.0",
                          "Via: SIP/2.0/UDP h:05060;branch=z9hG4bK1;ttl=255\r\n"
                          "Max-Forwards: 0255\r\nTo: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n"
                          "Call-ID: x\r\nCSeq: 2147483647 OPTIONS\r\nExpires: 4294967295\r\n"
                          "Content-Length: 0002\r\n",
                          "ok"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetCSeqNumber(), 2147483647u);
    EXPECT_EQ(m->GetTopVia()->port, 5060);
    EXPECT_EQ(m->GetBody(), "ok");
    auto zeros = Must(Request("OPTIONS sip:bob@example.com SIP/2.0",
                              "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nMax-Forwards: 0070\r\n"
                              "To: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n"
                              "Call-ID: x\r\nCSeq: 0001 OPTIONS\r\n"));
    ASSERT_TRUE(zeros);
    EXPECT_EQ(zeros->GetCSeqNumber(), 1u);
    // Beyond the largest values: CSeq 2^31, Max-Forwards 256.
    std::string error;
    EXPECT_FALSE(SipMessage::Parse(Request("OPTIONS sip:bob@example.com SIP/2.0",
                                           "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                                           "To: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n"
                                           "Call-ID: x\r\nCSeq: 2147483648 OPTIONS\r\n"),
                                   &error));
    EXPECT_NE(error.find("CSeq"), std::string::npos) << error;
    EXPECT_FALSE(SipMessage::Parse(Request("OPTIONS sip:bob@example.com SIP/2.0",
                                           "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                                           "Max-Forwards: 256\r\n"
                                           "To: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n"
                                           "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n"),
                                   &error));
    EXPECT_NE(error.find("Max-Forwards"), std::string::npos) << error;
}

TEST(SipGrammarTest, ListsOnOneLineAndUnknownHeadersAndMethods)
{
    auto m = Must(Request("FROBNICATE sip:bob@example.com SIP/2.0",
                          "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1 , SIP/2.0/UDP "
                          "b.example.com:5070;branch=z9hG4bK2\r\n"
                          "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\r\n"
                          "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\n"
                          "Record-Route: <sip:p3.example.com;lr>, <sip:p4.example.com;lr>\r\n"
                          "Contact: <sip:a@h>, \"B\" <sip:b@h>\r\n"
                          "To: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n"
                          "Call-ID: x\r\nCSeq: 1 FROBNICATE\r\n"
                          "X-Weird-Header: anything at all, even; this=\"\"\r\n"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetMethod(), "FROBNICATE");
    EXPECT_EQ(m->GetHeaders("Via").size(), 3u);
    EXPECT_EQ(m->GetHeaders("Route").size(), 2u);
    EXPECT_EQ(m->GetHeaders("Record-Route").size(), 2u);
    EXPECT_EQ(m->GetHeaders("Contact").size(), 2u);
    EXPECT_EQ(m->GetHeader("X-Weird-Header"), "anything at all, even; this=\"\"");
    EXPECT_NE(m->Serialize().find("X-Weird-Header: anything at all"), std::string::npos);
}

TEST(SipGrammarTest, Rfc2543RequestIsAcceptedAndMatchedByItsFields)
{
    std::string invite = Request("INVITE sip:bob@example.com SIP/2.0",
                                 "Via: SIP/2.0/UDP pc33.example.com\r\n"
                                 "To: <sip:bob@example.com>\r\nFrom: <sip:a@h>;tag=1\r\n"
                                 "Call-ID: x@h\r\nCSeq: 7 INVITE\r\n");
    auto m = Must(invite);
    ASSERT_TRUE(m);
    // Its ACK (To tag added by the response) and CANCEL match the same transaction
    // (§17.2.3); another CSeq does not.
    auto ack = Must(Request("ACK sip:bob@example.com SIP/2.0",
                            "Via: SIP/2.0/UDP pc33.example.com\r\n"
                            "To: <sip:bob@example.com>;tag=99\r\nFrom: <sip:a@h>;tag=1\r\n"
                            "Call-ID: x@h\r\nCSeq: 7 ACK\r\n"));
    auto other = Must(Request("INVITE sip:bob@example.com SIP/2.0",
                              "Via: SIP/2.0/UDP pc33.example.com\r\n"
                              "To: <sip:bob@example.com>\r\nFrom: <sip:a@h>;tag=1\r\n"
                              "Call-ID: x@h\r\nCSeq: 8 INVITE\r\n"));
    ASSERT_TRUE(ack && other);
    EXPECT_FALSE(m->GetTopBranch().empty());
    EXPECT_EQ(ack->GetTopBranch(), m->GetTopBranch());
    EXPECT_NE(other->GetTopBranch(), m->GetTopBranch());
    // An RFC 3261 branch is the branch itself.
    EXPECT_EQ(Must(Request("OPTIONS sip:bob@example.com SIP/2.0", kHeaders))->GetTopBranch(),
              "z9hG4bK776asdhds");
}

TEST(SipGrammarTest, ViaFollowsTheGrammar)
{
    auto v = SipVia::Parse("SIP / 2.0 / udp [2001:db8::9]:5061 ;branch=z9hG4bKx;rport;"
                           "received=192.0.2.1;maddr=224.2.0.1;ttl=16");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->transport, "UDP");
    EXPECT_EQ(v->host, "[2001:db8::9]");
    EXPECT_EQ(v->port, 5061);
    EXPECT_EQ(v->ToString(),
              "SIP/2.0/UDP [2001:db8::9]:5061;branch=z9hG4bKx;rport;received=192.0.2.1;"
              "maddr=224.2.0.1;ttl=16");
    const char nul[] = "SIP/2.0/UDP h;a\0";
    for (const std::string& bad : std::vector<std::string>{"SIP/2.0/UDP 192.oooo-;;;;",
                                                           "SIP/2.0/UDP h;;;=;",
                                                           "SIP/2.0/UDP h;branch=",
                                                           "SIP/2.0/UDP h;branch=a b",
                                                           "SIP/2.0/UDP h;ttl=256",
                                                           "SIP/2.0/UDP h;received=example.com",
                                                           "SIP/2.0/UDP h x",
                                                           "SIP/2.0/UDP h\x01",
                                                           std::string(nul, sizeof(nul) - 1),
                                                           "SIP/2.0UDP h",
                                                           "SIP/2.0/UDPh",
                                                           "SIP/2.0/UDP h:0"})
    {
        EXPECT_FALSE(SipVia::Parse(bad)) << bad;
    }
}

/// The malformed requests that can be answered, with the code and what the reason says.
TEST(SipGrammarTest, MalformedButAnswerableRequests)
{
    struct Case
    {
        std::string text;
        uint16_t code;
        std::string why;
    };

    const std::string start = "OPTIONS sip:bob@example.com SIP/2.0";
    std::vector<Case> cases{
        {Request(start, kHeaders + "To: <sip:carol@example.com>\r\n"), 400, "To appears more"},
        {Request(start, kHeaders + "From: <sip:c@h>;tag=2\r\n"), 400, "From appears more"},
        {Request(start, kHeaders + "Call-ID: y\r\n"), 400, "Call-ID appears more"},
        {Request(start, kHeaders + "Max-Forwards: 70\r\n"), 400, "Max-Forwards appears more"},
        {Request(start, kHeaders + "l: 0\r\nContent-Length: 1\r\n", "a"),
         400,
         "Content-Length appears more"},
        {Request(start, kHeaders + "Content-Length: 10\r\n", "short"), 400, "longer than the body"},
        {Request(start, kHeaders + "Content-Length: x\r\n"), 400, "not a number"},
        {Request(start, kHeaders + "Max-Forwards: many\r\n"), 400, "Max-Forwards"},
        {Request(start, kHeaders + "Contact: <sip:a@h\r\n"), 400, "Contact"},
        {Request(start, kHeaders + "Require: 100rel, \r\n"), 400, "empty element"},
        {Request(start, kHeaders + "Bad Header: x\r\n"), 400, "not a token"},
        {Request("OPTIONS sip:bob@example.com SIP/3.0", kHeaders), 505, "SIP/3.0"},
        {Request("OPTIONS sip:bob@-bad SIP/2.0", kHeaders), 400, "Request-URI"},
    };
    for (const auto& c : cases)
    {
        std::string error;
        std::optional<SipMessage> answerable;
        uint16_t code = 0;
        EXPECT_FALSE(SipMessage::Parse(c.text, &error, &answerable, &code)) << c.text;
        EXPECT_NE(error.find(c.why), std::string::npos) << "error was: " << error;
        ASSERT_TRUE(answerable) << c.text;
        EXPECT_EQ(code, c.code) << c.text;
        // The response copies one of each header and parses.
        auto r = SipMessage::MakeResponse(*answerable, code, "Bad Request: " + error);
        auto parsed = SipMessage::Parse(r.Serialize(), &error);
        ASSERT_TRUE(parsed) << error << "\n" << r.Serialize();
        EXPECT_EQ(parsed->GetTopBranch(), "z9hG4bK776asdhds");
    }
    // Without a usable Via or CSeq nothing can be answered; an ACK never is.
    for (const std::string& text : std::vector<std::string>{
             Request(start,
                     "Max-Forwards: 70\r\nTo: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\n"
                     "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n"),
             Request(start,
                     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@h>\r\n"
                     "From: <sip:a@h>;tag=1\r\nCall-ID: x\r\nCSeq: one OPTIONS\r\n"),
             Request("ACK sip:bob@example.com SIP/2.0",
                     "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@h>\r\nTo: <sip:b@h>\r\n"
                     "From: <sip:a@h>;tag=1\r\nCall-ID: x\r\nCSeq: 1 ACK\r\n")})
    {
        std::string error;
        std::optional<SipMessage> answerable;
        uint16_t code = 0;
        EXPECT_FALSE(SipMessage::Parse(text, &error, &answerable, &code));
        EXPECT_FALSE(answerable) << text;
    }
}

TEST(SipGrammarTest, LongerBodyThanContentLengthIsTruncated)
{
    auto m = Must(Request("OPTIONS sip:bob@example.com SIP/2.0",
                          kHeaders + "Content-Length: 3\r\n",
                          "abcdef"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->GetBody(), "abc");
}

TEST(SipGrammarTest, SdpWithoutMediaNeedsNoConnectionLine)
{
    auto sd = SessionDescription::Parse("v=0\no=- 1 1 IN IP4 10.0.0.3\ns=-\nt=0 0\n");
    ASSERT_TRUE(sd);
    std::string text = sd->Serialize();
    EXPECT_EQ(text.find("c="), std::string::npos);
    auto again = SessionDescription::Parse(text);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->Serialize(), text);
    const char nul[] = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=a\0b\nt=0 0\n";
    EXPECT_FALSE(SessionDescription::Parse(std::string(nul, sizeof(nul) - 1)));
}

} // namespace
