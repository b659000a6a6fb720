/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Digest challenge, credentials and the server-side check (RFC 3261 §22, §25.1; RFC 7616;
// RFC 8760), with header text written from the grammar and RFC 7616 §3.9.1's example.

#include "ns3/digest-authenticator.h"

#include <gtest/gtest.h>

namespace
{

using namespace ns3;
using namespace ns3::apartment;

class DigestTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        if (!CryptoAvailable())
        {
            GTEST_SKIP() << "built without OpenSSL's libcrypto";
        }
    }
};

// RFC 7616 §3.9.1's Authorization, parameters in the RFC's order, folded over lines as the
// RFC prints it (LWS = CRLF WSP after a comma).
const char* kRfc7616Sha256 =
    "Digest username=\"Mufasa\",\r\n"
    "    realm=\"http-auth@example.org\",\r\n"
    "    uri=\"/dir/index.html\",\r\n"
    "    algorithm=SHA-256,\r\n"
    "    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
    "    nc=00000001,\r\n"
    "    cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n"
    "    qop=auth,\r\n"
    "    response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\",\r\n"
    "    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

TEST_F(DigestTest, ParsesAndVerifiesRfc7616WorkedExample)
{
    std::string error;
    auto c = DigestCredentials::Parse(kRfc7616Sha256, &error);
    ASSERT_TRUE(c) << error;
    EXPECT_EQ(c->username, "Mufasa");
    EXPECT_EQ(c->realm, "http-auth@example.org");
    EXPECT_EQ(c->uri, "/dir/index.html");
    EXPECT_EQ(c->algorithm, DigestAlgorithm::Sha256);
    EXPECT_EQ(c->nc, 1u);
    EXPECT_EQ(c->qop, "auth");
    EXPECT_EQ(c->opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
    EXPECT_EQ(c->ComputeResponse("Circle of Life", "GET"), c->response);
    EXPECT_NE(c->ComputeResponse("Circle of life", "GET"), c->response);
    // The MD5 half of the same example.
    c->algorithm = DigestAlgorithm::Md5;
    c->response = c->ComputeResponse("Circle of Life", "GET");
    EXPECT_EQ(c->response, "8ca523f5e9506fed4657c9700eebdbec");
    // What Answer() writes parses back to the same values.
    auto again = DigestCredentials::Parse(c->ToString(), &error);
    ASSERT_TRUE(again) << error << ": " << c->ToString();
    EXPECT_EQ(again->ToString(), c->ToString());
}

TEST_F(DigestTest, AcceptsAnyOrderLwsCaseAndUnknownParameters)
{
    std::string text = "digest  RESPONSE = \"8ca523f5e9506fed4657c9700eebdbec\" ,qop=\"auth\","
                       "foo=bar, Nc=00000001,cnonce=\"x\\\"y\",uri=\"sip:1@a\",nonce=\"n\","
                       "realm=\"r\",username=\"u\", opaque=\"\", extra=\"a, b\"";
    std::string error;
    auto c = DigestCredentials::Parse(text, &error);
    ASSERT_TRUE(c) << error;
    EXPECT_EQ(c->cnonce, "x\"y"); // quoted-pair
    EXPECT_EQ(c->qop, "auth");
    EXPECT_EQ(c->algorithm, DigestAlgorithm::Md5); // absent: MD5 (RFC 3261 §22.4)
    EXPECT_EQ(c->uri, "sip:1@a");
}

TEST_F(DigestTest, RefusesWhatTheGrammarDoesNot)
{
    const std::string ok = "username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:a\", "
                           "response=\"8ca523f5e9506fed4657c9700eebdbec\"";
    ASSERT_TRUE(DigestCredentials::Parse("Digest " + ok));
    for (const std::string& bad : {
             std::string("Basic dXNlcjpwYXNz"), // another scheme
             std::string("Digest"),             // no parameters
             std::string("Digest ") + "realm=\"r\", nonce=\"n\", uri=\"sip:a\", "
                                      "response=\"8ca523f5e9506fed4657c9700eebdbec\"", // no user
             "Digest " + ok + ", username=\"v\"",                                      // twice
             "Digest " + ok + ", algorithm=SHA-512-256",        // unsupported
             "Digest " + ok + ", algorithm=SHA-256",            // 32 digits for SHA-256
             "Digest " + ok + ", qop=auth",                     // qop without cnonce, nc
             "Digest " + ok + ", qop=auth, cnonce=\"c\", nc=1", // nc not 8 digits
             "Digest " + ok + ", qop=\"auth, x\", cnonce=\"c\", nc=00000001", // not a token
             "Digest " + ok + " realm2=\"x\"",                                // no comma
             "Digest " + ok + ", cnonce=\"open",                              // unterminated quote
             "Digest " + ok + ", =x",                                         // no name
             "Digest " + ok + ", x=",                                         // no value
             "Digest " + ok + ",",                                            // trailing comma
             std::string("Digest username=u, realm=\"r\", nonce=\"n\", uri=\"sip:a\", "
                         "response=\"8ca523f5e9506fed4657c9700eebdbec\""), // unquoted user
             std::string("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:a\", "
                         "response=\"8CA523F5E9506FED4657C9700EEBDBEC\""), // upper-case hex
         })
    {
        std::string error;
        EXPECT_FALSE(DigestCredentials::Parse(bad, &error)) << bad;
        EXPECT_FALSE(error.empty()) << bad;
    }
}

TEST_F(DigestTest, ChallengeRoundTripsAndParsesRfcText)
{
    std::string error;
    auto c = DigestChallenge::Parse("Digest\r\n realm=\"http-auth@example.org\", qop=\"auth, "
                                    "auth-int\",algorithm=SHA-256 , nonce=\"7ypf\", "
                                    "opaque=\"FQhe\", domain=\"sip:x\", stale=false",
                                    &error);
    ASSERT_TRUE(c) << error;
    EXPECT_EQ(c->realm, "http-auth@example.org");
    EXPECT_EQ(c->qop, (std::vector<std::string>{"auth", "auth-int"}));
    EXPECT_TRUE(c->OffersAuth());
    EXPECT_EQ(c->algorithm, DigestAlgorithm::Sha256);
    EXPECT_FALSE(c->stale);
    auto again = DigestChallenge::Parse(c->ToString(), &error);
    ASSERT_TRUE(again) << error;
    EXPECT_EQ(again->ToString(), c->ToString());
    EXPECT_FALSE(DigestChallenge::Parse("Digest realm=\"r\"")); // no nonce
    EXPECT_FALSE(DigestChallenge::Parse("Digest nonce=\"n\"")); // no realm
    EXPECT_FALSE(DigestChallenge::Parse("Digest realm=\"r\", nonce=\"n\", stale=maybe"));
    EXPECT_FALSE(DigestChallenge::Parse("Digest realm=\"r\", nonce=\"n\", qop=auth"));
}

class AuthenticatorTest : public DigestTest
{
  protected:
    DigestAuthenticator Make(DigestAlgorithm a = DigestAlgorithm::Sha256)
    {
        return DigestAuthenticator("apartment-voip", a, "s3cret", Seconds(300), [](auto& user) {
            return user == "100110112011" ? std::optional<std::string>("pw1")
                                          : std::optional<std::string>();
        });
    }

    static std::string Answer(const DigestChallenge& ch,
                              const std::string& user,
                              const std::string& password,
                              uint32_t nc = 1,
                              const std::string& uri = "sip:10.0.0.1")
    {
        return DigestCredentials::Answer(ch, user, password, "REGISTER", uri, "c0ffee", nc)
            .ToString();
    }
};

TEST_F(AuthenticatorTest, AcceptsTheRightAnswerOnceAndCountsNonces)
{
    for (auto algorithm : {DigestAlgorithm::Sha256, DigestAlgorithm::Md5})
    {
        auto auth = Make(algorithm);
        auto ch = auth.MakeChallenge(Seconds(10));
        EXPECT_EQ(ch.algorithm, algorithm);
        EXPECT_TRUE(ch.OffersAuth());
        // What the server writes parses as a challenge of the grammar.
        ASSERT_TRUE(DigestChallenge::Parse(ch.ToString()));
        std::string header = Answer(ch, "100110112011", "pw1");
        auto v = auth.Check(header, "REGISTER", "sip:10.0.0.1", "100110112011", Seconds(11));
        EXPECT_EQ(v.result, DigestAuthenticator::Result::OK) << v.reason;
        // The same nc again is a replay; the next one is fine.
        v = auth.Check(header, "REGISTER", "sip:10.0.0.1", "100110112011", Seconds(12));
        EXPECT_EQ(v.result, DigestAuthenticator::Result::REPLAY);
        v = auth.Check(Answer(ch, "100110112011", "pw1", 2),
                       "REGISTER",
                       "sip:10.0.0.1",
                       "100110112011",
                       Seconds(12));
        EXPECT_EQ(v.result, DigestAuthenticator::Result::OK) << v.reason;
        EXPECT_EQ(auth.GetKeptNonceCount(), 1u);
    }
}

TEST_F(AuthenticatorTest, ForgetsEachNonceWhenItLapsesAndNoEarlier)
{
    // Lifetime 300 s. Nonces issued at 10, 20 and 30 s, first used in the order 30, 10, 20
    // (counts are kept from first use, so the kept order differs from the issue order).
    auto auth = Make();
    const std::string user = "100110112011";
    const std::string uri = "sip:10.0.0.1";
    auto c10 = auth.MakeChallenge(Seconds(10));
    auto c20 = auth.MakeChallenge(Seconds(20));
    auto c30 = auth.MakeChallenge(Seconds(30));
    using R = DigestAuthenticator::Result;
    EXPECT_EQ(auth.Check(Answer(c30, user, "pw1"), "REGISTER", uri, user, Seconds(31)).result,
              R::OK);
    EXPECT_EQ(auth.Check(Answer(c10, user, "pw1"), "REGISTER", uri, user, Seconds(32)).result,
              R::OK);
    EXPECT_EQ(auth.Check(Answer(c20, user, "pw1"), "REGISTER", uri, user, Seconds(33)).result,
              R::OK);
    EXPECT_EQ(auth.GetKeptNonceCount(), 3u);
    // At 315 s only the nonce of 10 s has lapsed (305 s old): a check forgets it alone,
    // and the nonce of 20 s still remembers its count (a replay is still a replay).
    EXPECT_EQ(auth.Check(Answer(c20, user, "pw1"), "REGISTER", uri, user, Seconds(315)).result,
              R::REPLAY);
    EXPECT_EQ(auth.GetKeptNonceCount(), 2u);
    // At 325 s the nonce of 20 s is gone too; the one of 30 s is kept with its count 2.
    EXPECT_EQ(auth.Check(Answer(c30, user, "pw1", 2), "REGISTER", uri, user, Seconds(325)).result,
              R::OK);
    EXPECT_EQ(auth.GetKeptNonceCount(), 1u);
    EXPECT_EQ(auth.Check(Answer(c30, user, "pw1", 2), "REGISTER", uri, user, Seconds(326)).result,
              R::REPLAY);
    // After every nonce lapsed nothing is kept, and a lapsed nonce is stale.
    EXPECT_EQ(auth.Check(Answer(c30, user, "pw1", 3), "REGISTER", uri, user, Seconds(400)).result,
              R::STALE);
    EXPECT_EQ(auth.GetKeptNonceCount(), 0u);
}

TEST_F(AuthenticatorTest, RefusesWrongPasswordUserMethodUriAndForgedNonce)
{
    auto auth = Make();
    auto ch = auth.MakeChallenge(Seconds(1));
    using R = DigestAuthenticator::Result;
    const std::string user = "100110112011";
    const std::string uri = "sip:10.0.0.1";
    EXPECT_EQ(auth.Check(Answer(ch, user, "pw2"), "REGISTER", uri, user, Seconds(2)).result,
              R::CHALLENGE);
    // Another flat's number with this terminal's credentials, or as the claimed user.
    EXPECT_EQ(
        auth.Check(Answer(ch, user, "pw1"), "REGISTER", uri, "100110112021", Seconds(2)).result,
        R::WRONG_USER);
    EXPECT_EQ(
        auth.Check(Answer(ch, "100110112021", "pw1"), "REGISTER", uri, "100110112021", Seconds(2))
            .result,
        R::UNKNOWN_USER);
    // Credentials computed for REGISTER do not authenticate an INVITE.
    EXPECT_EQ(auth.Check(Answer(ch, user, "pw1"), "INVITE", uri, user, Seconds(2)).result,
              R::CHALLENGE);
    EXPECT_EQ(
        auth.Check(Answer(ch, user, "pw1", 1, "sip:10.0.0.2"), "REGISTER", uri, user, Seconds(2))
            .result,
        R::MALFORMED);
    DigestChallenge forged = ch;
    forged.nonce[0] = forged.nonce[0] == '0' ? '1' : '0'; // another issue time
    EXPECT_EQ(auth.Check(Answer(forged, user, "pw1"), "REGISTER", uri, user, Seconds(2)).result,
              R::CHALLENGE);
    EXPECT_EQ(auth.Check("Digest garbage", "REGISTER", uri, user, Seconds(2)).result, R::MALFORMED);
    // Another server's secret: its nonces are not ours.
    DigestAuthenticator other("apartment-voip",
                              DigestAlgorithm::Sha256,
                              "other",
                              Seconds(300),
                              [](auto&) { return std::optional<std::string>("pw1"); });
    auto foreign = other.MakeChallenge(Seconds(1));
    EXPECT_EQ(auth.Check(Answer(foreign, user, "pw1"), "REGISTER", uri, user, Seconds(2)).result,
              R::CHALLENGE);
}

TEST_F(AuthenticatorTest, LapsedNonceIsStaleAndNoncesAreDeterministic)
{
    auto a = Make();
    auto b = Make();
    auto ch = a.MakeChallenge(Seconds(1));
    EXPECT_EQ(ch.nonce, b.MakeChallenge(Seconds(1)).nonce); // same inputs, same nonce
    EXPECT_NE(ch.nonce, a.MakeChallenge(Seconds(1)).nonce); // the counter moves on
    const std::string user = "100110112011";
    auto v = a.Check(Answer(ch, user, "pw1"), "REGISTER", "sip:10.0.0.1", user, Seconds(302));
    EXPECT_EQ(v.result, DigestAuthenticator::Result::STALE) << v.reason;
    auto fresh = a.MakeChallenge(Seconds(302), true);
    EXPECT_TRUE(fresh.stale);
    EXPECT_NE(fresh.ToString().find("stale=TRUE"), std::string::npos);
    v = a.Check(Answer(fresh, user, "pw1"), "REGISTER", "sip:10.0.0.1", user, Seconds(303));
    EXPECT_EQ(v.result, DigestAuthenticator::Result::OK) << v.reason;
}

TEST_F(DigestTest, DerivedPasswordsDifferPerUserAndSecret)
{
    auto p = DigestAuthenticator::DerivePassword("s", "100110112011");
    EXPECT_EQ(p.size(), 20u);
    EXPECT_EQ(p, DigestAuthenticator::DerivePassword("s", "100110112011"));
    EXPECT_NE(p, DigestAuthenticator::DerivePassword("s", "100110112012"));
    EXPECT_NE(p, DigestAuthenticator::DerivePassword("t", "100110112011"));
}

} // namespace
