/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_NUMBERING_PLAN_H
#define APARTMENT_VOIP_NUMBERING_PLAN_H

#include <cstdint>
#include <functional>
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
 * \brief Identifies one flat: building serial and flat serial (e.g. 1101, 1201).
 */
struct FlatId
{
    uint16_t building{0}; //!< building serial, 0-9999
    uint16_t flat{0};     //!< flat serial, 0-9999

    bool operator==(const FlatId& o) const
    {
        return building == o.building && flat == o.flat;
    }

    bool operator!=(const FlatId& o) const
    {
        return !(*this == o);
    }

    bool operator<(const FlatId& o) const
    {
        return building != o.building ? building < o.building : flat < o.flat;
    }
};

/**
 * \ingroup apartment-voip
 * \brief A phone number of the plan PREFIX-BBBB-RRRR-T.
 *
 * PREFIX is the country/area prefix (e.g. "100"), BBBB the building serial, RRRR the flat
 * serial and T the terminal digit. T = 0 is the household number, which rings every
 * terminal of the flat; T = 1..9 ring one terminal.
 */
class PhoneNumber
{
  public:
    /// Highest terminal digit; 0 is the household.
    static constexpr uint8_t MAX_TERMINAL = 9;
    /// Highest building or flat serial (four digits).
    static constexpr uint16_t MAX_SERIAL = 9999;

    PhoneNumber() = default;

    /**
     * \param prefix country/area prefix, 1-6 digits
     * \param building building serial, 0-9999
     * \param flat flat serial, 0-9999
     * \param terminal terminal digit, 0 (household) to 9
     * \throws std::invalid_argument if a part is out of range
     */
    PhoneNumber(std::string prefix, uint16_t building, uint16_t flat, uint8_t terminal);

    const std::string& GetPrefix() const;
    uint16_t GetBuilding() const;
    uint16_t GetFlat() const;
    uint8_t GetTerminal() const;
    FlatId GetFlatId() const;

    /// \return true if T = 0: the number rings every terminal of the flat.
    bool IsHousehold() const;
    /// \return the household number of the same flat.
    PhoneNumber GetHousehold() const;
    /// \return the number of terminal \p terminal (1-9) of the same flat.
    PhoneNumber GetTerminalNumber(uint8_t terminal) const;
    /// \return true if both numbers have the same prefix, building and flat.
    bool IsSameFlat(const PhoneNumber& other) const;
    /// \return true if the number was built or parsed (not default-constructed).
    bool IsValid() const;

    /// \return the canonical form, e.g. "100-1101-1201-1" (household: "...-0").
    std::string ToString() const;
    /// \return digits only, e.g. "100110112011"; used as the SIP user part.
    std::string ToDigits() const;

    bool operator==(const PhoneNumber& o) const;
    bool operator!=(const PhoneNumber& o) const;
    bool operator<(const PhoneNumber& o) const;

  private:
    std::string m_prefix;
    uint16_t m_building{0};
    uint16_t m_flat{0};
    uint8_t m_terminal{0};
};

std::ostream& operator<<(std::ostream& os, const PhoneNumber& number);

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

template <>
struct std::hash<ns3::apartment::PhoneNumber>
{
    std::size_t operator()(const ns3::apartment::PhoneNumber& n) const noexcept
    {
        return std::hash<std::string>()(n.ToDigits());
    }
};

template <>
struct std::hash<ns3::apartment::FlatId>
{
    std::size_t operator()(const ns3::apartment::FlatId& f) const noexcept
    {
        return (static_cast<std::size_t>(f.building) << 16) | f.flat;
    }
};

#endif /* APARTMENT_VOIP_NUMBERING_PLAN_H */
