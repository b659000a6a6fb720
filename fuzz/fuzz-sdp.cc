/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: SessionDescription::Parse on arbitrary text (an SDP body); what parses
// must serialize to text that parses again to the same text.

#include "fuzz-common.h"

#include "ns3/sdp.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace apartment_voip_fuzz;
    std::string error;
    auto sd = ns3::apartment::SessionDescription::Parse(ToText(data, size), &error);
    if (!sd)
    {
        return 0;
    }
    (void)sd->FindMedia("audio");
    std::string text = sd->Serialize();
    auto again = ns3::apartment::SessionDescription::Parse(text, &error);
    if (!again)
    {
        Fail("a parsed SDP body did not parse again after Serialize");
    }
    if (again->Serialize() != text)
    {
        Fail("Serialize is not stable over a second round trip");
    }
    return 0;
}
