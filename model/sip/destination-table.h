/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DESTINATION_TABLE_H
#define APARTMENT_VOIP_DESTINATION_TABLE_H

#include "ns3/random-variable-stream.h"
#include "ns3/simple-ref-count.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The numbers a traffic model may call, and the uniform choice of a callee.
 *
 * One table is shared, read-only, by every phone of a scene (VoipHelper builds it once),
 * so a phone's traffic model costs a pointer instead of a copy of every number.
 *
 * Choose() draws one entry uniformly over the whole table with one
 * UniformRandomVariable::GetInteger(0, N - 1) call; when the drawn entry is the caller's
 * own number (same digits) the attempt is dropped, not redrawn. So every other entry is
 * called with the same probability, and the caller's random stream advances by exactly
 * one draw per attempt, as it did when each phone held its own list.
 */
class DestinationTable : public SimpleRefCount<DestinationTable>
{
  public:
    /// \brief Appends \p number (dialled as given, e.g. "100-1101-1201-1").
    void Add(const std::string& number);
    /// \return the number of entries
    std::size_t GetN() const;
    /// \return entry \p i (i < GetN())
    const std::string& Get(std::size_t i) const;
    /**
     * \brief Draws a callee for the phone whose number has the digits \p selfDigits.
     * \param rng the caller's own stream (one GetInteger draw per call)
     * \param selfDigits the caller's number as digits (never drawn)
     * \return the index of the entry to call, or nothing if the table is empty or the
     * draw fell on the caller itself
     */
    std::optional<std::size_t> Choose(UniformRandomVariable& rng,
                                      const std::string& selfDigits) const;

  private:
    std::vector<std::string> m_numbers;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_DESTINATION_TABLE_H */
