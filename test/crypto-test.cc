/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The crypto wrapper against the published test vectors: FIPS 180-2's "abc", RFC 1321's
// empty string, the worked Digest examples of RFC 2617 §3.5 (MD5) and RFC 7616 §3.9.1
// (SHA-256), and RFC 4231's first HMAC-SHA-256 case.

#include "ns3/crypto.h"

#include <gtest/gtest.h>
#include <vector>

namespace
{

using namespace ns3::apartment;

std::string
ToHex(const HmacSha256Code& code)
{
    static const char hex[] = "0123456789abcdef";
    std::string text;
    for (uint8_t b : code)
    {
        text += hex[b >> 4];
        text += hex[b & 0x0f];
    }
    return text;
}

/// RFC 7616 §3.4.1 with qop=auth: H(H(A1):nonce:nc:cnonce:qop:H(A2)).
std::string
DigestResponse(DigestAlgorithm a,
               const std::string& user,
               const std::string& realm,
               const std::string& password,
               const std::string& method,
               const std::string& uri,
               const std::string& nonce,
               const std::string& nc,
               const std::string& cnonce)
{
    std::string ha1 = HexDigest(a, user + ":" + realm + ":" + password);
    std::string ha2 = HexDigest(a, method + ":" + uri);
    return HexDigest(a, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
}

class CryptoTest : public ::testing::Test
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

TEST_F(CryptoTest, DigestsMatchTheStandardsVectors)
{
    EXPECT_EQ(HexDigest(DigestAlgorithm::Md5, ""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(HexDigest(DigestAlgorithm::Sha256, "abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, Rfc2617WorkedExampleMd5)
{
    EXPECT_EQ(DigestResponse(DigestAlgorithm::Md5,
                             "Mufasa",
                             "testrealm@host.com",
                             "Circle Of Life",
                             "GET",
                             "/dir/index.html",
                             "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                             "00000001",
                             "0a4f113b"),
              "6629fae49393a05397450978507c4ef1");
}

TEST_F(CryptoTest, Rfc7616WorkedExampleSha256)
{
    EXPECT_EQ(DigestResponse(DigestAlgorithm::Sha256,
                             "Mufasa",
                             "http-auth@example.org",
                             "Circle of Life",
                             "GET",
                             "/dir/index.html",
                             "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                             "00000001",
                             "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"),
              "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST_F(CryptoTest, HmacSha256Rfc4231FirstCase)
{
    std::vector<uint8_t> key(20, 0x0b);
    std::string data = "Hi There";
    HmacSha256Code code = HmacSha256(key.data(),
                                     key.size(),
                                     reinterpret_cast<const uint8_t*>(data.data()),
                                     data.size());
    EXPECT_EQ(ToHex(code), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    HmacSha256Code other = code;
    EXPECT_TRUE(CodesEqual(code, other));
    other[31] ^= 1;
    EXPECT_FALSE(CodesEqual(code, other));
}

TEST(DigestAlgorithmName, ParsesTheNamesOfRfc8760)
{
    DigestAlgorithm a = DigestAlgorithm::Sha256;
    EXPECT_TRUE(ParseDigestAlgorithm("", a));
    EXPECT_EQ(a, DigestAlgorithm::Md5);
    EXPECT_TRUE(ParseDigestAlgorithm("sha-256", a));
    EXPECT_EQ(a, DigestAlgorithm::Sha256);
    EXPECT_TRUE(ParseDigestAlgorithm("MD5", a));
    EXPECT_EQ(a, DigestAlgorithm::Md5);
    EXPECT_FALSE(ParseDigestAlgorithm("SHA-512-256", a));
    EXPECT_FALSE(ParseDigestAlgorithm("MD5-sess", a));
    EXPECT_EQ(DigestAlgorithmName(DigestAlgorithm::Sha256), "SHA-256");
    EXPECT_EQ(DigestAlgorithmName(DigestAlgorithm::Md5), "MD5");
}

} // namespace
