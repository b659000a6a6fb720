/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: TraversalHeader::Deserialize on arbitrary bytes, then a round trip.

#include "fuzz-common.h"

#include "ns3/traversal-header.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    apartment_voip_fuzz::HeaderRoundTrip<ns3::apartment::TraversalHeader>(data, size);
    return 0;
}
