/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/phone-number.h"

#include "ns3/numbering-plan.h"

#include <cstdio>
#include <stdexcept>

namespace ns3
{
namespace apartment
{

PhoneNumber::PhoneNumber(std::string prefix, uint16_t building, uint16_t flat, uint8_t terminal)
    : m_prefix(std::move(prefix)),
      m_building(building),
      m_flat(flat),
      m_terminal(terminal)
{
    std::string err = CheckPrefix(m_prefix);
    if (!err.empty())
    {
        throw std::invalid_argument(err);
    }
    if (building > MAX_SERIAL)
    {
        throw std::invalid_argument("building serial " + std::to_string(building) +
                                    " has more than four digits");
    }
    if (flat > MAX_SERIAL)
    {
        throw std::invalid_argument("flat serial " + std::to_string(flat) +
                                    " has more than four digits");
    }
    if (terminal > MAX_TERMINAL)
    {
        throw std::invalid_argument("terminal digit " + std::to_string(terminal) + " is not 0-9");
    }
}

const std::string&
PhoneNumber::GetPrefix() const
{
    return m_prefix;
}

uint16_t
PhoneNumber::GetBuilding() const
{
    return m_building;
}

uint16_t
PhoneNumber::GetFlat() const
{
    return m_flat;
}

uint8_t
PhoneNumber::GetTerminal() const
{
    return m_terminal;
}

FlatId
PhoneNumber::GetFlatId() const
{
    return FlatId{m_building, m_flat};
}

bool
PhoneNumber::IsHousehold() const
{
    return m_terminal == 0;
}

PhoneNumber
PhoneNumber::GetHousehold() const
{
    return GetTerminalNumber(0);
}

PhoneNumber
PhoneNumber::GetTerminalNumber(uint8_t terminal) const
{
    return PhoneNumber(m_prefix, m_building, m_flat, terminal);
}

bool
PhoneNumber::IsSameFlat(const PhoneNumber& other) const
{
    return m_prefix == other.m_prefix && m_building == other.m_building && m_flat == other.m_flat;
}

bool
PhoneNumber::IsValid() const
{
    return !m_prefix.empty();
}

std::string
PhoneNumber::ToString() const
{
    char buf[32];
    std::snprintf(buf,
                  sizeof(buf),
                  "-%04u-%04u-%u",
                  unsigned{m_building},
                  unsigned{m_flat},
                  unsigned{m_terminal});
    return m_prefix + buf;
}

std::string
PhoneNumber::ToDigits() const
{
    char buf[16];
    std::snprintf(buf,
                  sizeof(buf),
                  "%04u%04u%u",
                  unsigned{m_building},
                  unsigned{m_flat},
                  unsigned{m_terminal});
    return m_prefix + buf;
}

bool
PhoneNumber::operator==(const PhoneNumber& o) const
{
    return IsSameFlat(o) && m_terminal == o.m_terminal;
}

bool
PhoneNumber::operator!=(const PhoneNumber& o) const
{
    return !(*this == o);
}

bool
PhoneNumber::operator<(const PhoneNumber& o) const
{
    if (m_prefix != o.m_prefix)
    {
        return m_prefix < o.m_prefix;
    }
    if (m_building != o.m_building)
    {
        return m_building < o.m_building;
    }
    if (m_flat != o.m_flat)
    {
        return m_flat < o.m_flat;
    }
    return m_terminal < o.m_terminal;
}

std::ostream&
operator<<(std::ostream& os, const PhoneNumber& number)
{
    return os << number.ToString();
}

} // namespace apartment
} // namespace ns3
