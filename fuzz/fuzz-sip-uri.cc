/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: SipUri::Parse on arbitrary text; what parses must print (ToString) to
// text that parses again to the same text.

#include "fuzz-common.h"

#include "ns3/sip-message.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace apartment_voip_fuzz;
    std::string error;
    auto v = ns3::apartment::SipUri::Parse(ToText(data, size), &error);
    if (!v)
    {
        return 0;
    }
    std::string text = v->ToString();
    auto again = ns3::apartment::SipUri::Parse(text, &error);
    if (!again)
    {
        Fail("a parsed SipUri did not parse again after ToString");
    }
    if (again->ToString() != text)
    {
        Fail("ToString is not stable over a second round trip");
    }
    return 0;
}
