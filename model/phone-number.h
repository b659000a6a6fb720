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

#endif /* APARTMENT_VOIP_PHONE_NUMBER_H */
