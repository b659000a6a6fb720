/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "crypto.h"

#include "ns3/abort.h"

#include <algorithm>
#include <cctype>

#ifndef APARTMENT_VOIP_HAVE_CRYPTO
#define APARTMENT_VOIP_HAVE_CRYPTO 0
#endif

#if APARTMENT_VOIP_HAVE_CRYPTO
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

namespace ns3
{
namespace apartment
{

bool
CryptoAvailable()
{
    return APARTMENT_VOIP_HAVE_CRYPTO != 0;
}

std::string
DigestAlgorithmName(DigestAlgorithm algorithm)
{
    return algorithm == DigestAlgorithm::Md5 ? "MD5" : "SHA-256";
}

bool
ParseDigestAlgorithm(const std::string& name, DigestAlgorithm& algorithm)
{
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    if (upper.empty() || upper == "MD5")
    {
        algorithm = DigestAlgorithm::Md5;
        return true;
    }
    if (upper == "SHA-256")
    {
        algorithm = DigestAlgorithm::Sha256;
        return true;
    }
    return false;
}

std::string
HexDigest(DigestAlgorithm algorithm, const std::string& data)
{
#if APARTMENT_VOIP_HAVE_CRYPTO
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    const EVP_MD* md = algorithm == DigestAlgorithm::Md5 ? EVP_md5() : EVP_sha256();
    int ok = EVP_Digest(data.data(), data.size(), digest, &size, md, nullptr);
    NS_ABORT_MSG_IF(ok != 1, "apartment-voip: libcrypto failed to compute a digest");
    static const char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(2 * size);
    for (unsigned int i = 0; i < size; ++i)
    {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 0x0f];
    }
    return text;
#else
    (void)algorithm;
    (void)data;
    NS_ABORT_MSG("apartment-voip was built without OpenSSL's libcrypto (libssl-dev): "
                 "authentication is unavailable");
    return {};
#endif
}

HmacSha256Code
HmacSha256(const uint8_t* key, std::size_t keySize, const uint8_t* data, std::size_t size)
{
    HmacSha256Code code{};
#if APARTMENT_VOIP_HAVE_CRYPTO
    unsigned int length = 0;
    const unsigned char* ok =
        HMAC(EVP_sha256(), key, static_cast<int>(keySize), data, size, code.data(), &length);
    NS_ABORT_MSG_IF(ok == nullptr || length != code.size(),
                    "apartment-voip: libcrypto failed to compute an HMAC");
#else
    (void)key;
    (void)keySize;
    (void)data;
    (void)size;
    NS_ABORT_MSG("apartment-voip was built without OpenSSL's libcrypto (libssl-dev): "
                 "authentication is unavailable");
#endif
    return code;
}

bool
CodesEqual(const HmacSha256Code& a, const HmacSha256Code& b)
{
#if APARTMENT_VOIP_HAVE_CRYPTO
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
#else
    uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        diff |= static_cast<uint8_t>(a[i] ^ b[i]);
    }
    return diff == 0;
#endif
}

} // namespace apartment
} // namespace ns3
