/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NUMBERING_PLAN_H
#define APARTMENT_VOIP_NUMBERING_PLAN_H

#include "ns3/phone-number.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The numbering plan of one complex: a prefix and the rules to read and write numbers.
 *
 * Accepted spellings: "100-1101-1201-1", "100-1101-1201" (household, same as "...-0"),
 * "100110112011" and "10011011201" (no dashes; the prefix length decides the split).
 */
class NumberingPlan
{
  public:
    /// Longest prefix accepted.
    static constexpr std::size_t MAX_PREFIX_DIGITS = 6;

    /**
     * \param prefix country/area prefix, 1-6 decimal digits
     * \throws std::invalid_argument if the prefix is not 1-6 digits
     */
    explicit NumberingPlan(std::string prefix = "100");

    /// \return the prefix every number of the plan carries
    const std::string& GetPrefix() const;

    /**
     * \brief Reads a number.
     * \param text the number as a user or a peer wrote it
     * \param error if not null and parsing fails, receives a sentence that says what is wrong
     * \return the number, or nothing if \p text is malformed or has another prefix
     */
    std::optional<PhoneNumber> Parse(std::string_view text, std::string* error = nullptr) const;

    /**
     * \brief Like Parse, but throws.
     * \throws std::invalid_argument with the same message Parse would give
     */
    PhoneNumber ParseOrThrow(std::string_view text) const;

    /// \return true if \p text is a well-formed number of any prefix of the given length
    bool BelongsToPlan(std::string_view text) const;

    /// \return the number of the plan for the given parts (validated as in PhoneNumber)
    PhoneNumber Make(uint16_t building, uint16_t flat, uint8_t terminal = 0) const;

  private:
    std::string m_prefix;
};

/**
 * \brief Checks that \p prefix is 1-6 decimal digits.
 * \return an empty string if valid, otherwise what is wrong
 */
std::string CheckPrefix(std::string_view prefix);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_NUMBERING_PLAN_H */
