/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/destination-table.h"

#include "ns3/assert.h"
#include "ns3/sip-message.h"

namespace ns3
{
namespace apartment
{

void
DestinationTable::Add(const std::string& number)
{
    m_numbers.push_back(number);
}

std::size_t
DestinationTable::GetN() const
{
    return m_numbers.size();
}

const std::string&
DestinationTable::Get(std::size_t i) const
{
    NS_ASSERT_MSG(i < m_numbers.size(), "DestinationTable: entry " << i << " out of range");
    return m_numbers[i];
}

std::optional<std::size_t>
DestinationTable::Choose(UniformRandomVariable& rng, const std::string& selfDigits) const
{
    if (m_numbers.empty())
    {
        return std::nullopt;
    }
    std::size_t i = rng.GetInteger(0, static_cast<uint32_t>(m_numbers.size() - 1));
    if (SipDigits(m_numbers[i]) == selfDigits)
    {
        return std::nullopt;
    }
    return i;
}

} // namespace apartment
} // namespace ns3
