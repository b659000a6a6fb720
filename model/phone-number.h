/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_PHONE_NUMBER_H
#define APARTMENT_VOIP_PHONE_NUMBER_H

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

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

    /// \return true if both name the same flat
    bool operator==(const FlatId& o) const
    {
        return building == o.building && flat == o.flat;
    }

    /// \return true if the flats differ
    bool operator!=(const FlatId& o) const
    {
        return !(*this == o);
    }

    /// \return ordering by building, then flat
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

    /// \return the country/area prefix (1-6 digits)
    const std::string& GetPrefix() const;
    /// \return the building serial BBBB
    uint16_t GetBuilding() const;
    /// \return the flat serial RRRR
    uint16_t GetFlat() const;
    /// \return the terminal digit T (0: household)
    uint8_t GetTerminal() const;
    /// \return the flat the number belongs to
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

    /// \return true if all four parts are equal
    bool operator==(const PhoneNumber& o) const;
    /// \return true if any part differs
    bool operator!=(const PhoneNumber& o) const;
    /// \return ordering by prefix, building, flat, terminal
    bool operator<(const PhoneNumber& o) const;

  private:
    std::string m_prefix;
    uint16_t m_building{0};
    uint16_t m_flat{0};
    uint8_t m_terminal{0};
};

/// \brief Writes ToString() of \p number.
/// \param os the stream
/// \param number the number
/// \return \p os
std::ostream& operator<<(std::ostream& os, const PhoneNumber& number);

} // namespace apartment
} // namespace ns3

// Hashes for unordered containers (hidden from Doxygen, which cannot scope std::hash).
/// \cond
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

/// \endcond

#endif /* APARTMENT_VOIP_PHONE_NUMBER_H */
