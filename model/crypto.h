/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_CRYPTO_H
#define APARTMENT_VOIP_CRYPTO_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

/**
 * \file
 * \ingroup apartment-voip
 * The hash functions that SIP digest authentication (RFC 3261 §22, RFC 8760) and seed 003's
 * KEEP authentication need, from OpenSSL's libcrypto: never hand-written. The module builds
 * without libcrypto in an ns-3 tree; then CryptoAvailable() is false and the functions
 * below abort with a message, so an element must check it before it turns authentication on.
 */

namespace ns3
{
namespace apartment
{

/// Hash algorithms of SIP digest authentication (RFC 8760's names "MD5", "SHA-256").
enum class DigestAlgorithm
{
    Md5,   //!< MD5 (RFC 2617, for old phones)
    Sha256 //!< SHA-256 (RFC 8760)
};

/// \return whether the module was built with OpenSSL's libcrypto
bool CryptoAvailable();

/**
 * \param algorithm the algorithm
 * \return its name as the Digest "algorithm" parameter writes it ("MD5", "SHA-256")
 */
std::string DigestAlgorithmName(DigestAlgorithm algorithm);

/**
 * Parses the Digest "algorithm" parameter, case-insensitively.
 * \param name the parameter's value ("MD5", "SHA-256"; empty means MD5, RFC 3261 §22.4)
 * \param[out] algorithm the algorithm, when known
 * \return false for any other algorithm (e.g. "SHA-512-256", "MD5-sess")
 */
bool ParseDigestAlgorithm(const std::string& name, DigestAlgorithm& algorithm);

/**
 * The H() of RFC 7616 §3.4.1: the digest of data, in lower-case hexadecimal.
 * \param algorithm the hash algorithm
 * \param data the bytes to hash
 * \return 32 hex digits for MD5, 64 for SHA-256
 */
std::string HexDigest(DigestAlgorithm algorithm, const std::string& data);

/// An HMAC-SHA-256 code (RFC 2104, FIPS 180-4).
using HmacSha256Code = std::array<uint8_t, 32>;

/**
 * \param key the shared key
 * \param keySize its length in bytes (any; RFC 2104 hashes a key longer than a block)
 * \param data the bytes to authenticate
 * \param size their length
 * \return HMAC-SHA-256(key, data)
 */
HmacSha256Code HmacSha256(const uint8_t* key,
                          std::size_t keySize,
                          const uint8_t* data,
                          std::size_t size);

/**
 * Compares two codes in time that does not depend on where they differ, so that a forger
 * cannot learn a code byte by byte (a habit worth keeping in a simulator too).
 * \param a one code
 * \param b the other
 * \return whether they are equal
 */
bool CodesEqual(const HmacSha256Code& a, const HmacSha256Code& b);

} // namespace apartment
} // namespace ns3

#endif // APARTMENT_VOIP_CRYPTO_H
