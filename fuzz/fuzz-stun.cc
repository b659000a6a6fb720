/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: StunHeader::Deserialize on arbitrary bytes, then a round trip.

#include "fuzz-common.h"

#include "ns3/stun-header.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    apartment_voip_fuzz::HeaderRoundTrip<ns3::apartment::StunHeader>(data, size);
    return 0;
}
