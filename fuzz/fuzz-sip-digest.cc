/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the Digest header parsers (Authorization / Proxy-Authorization and
// WWW-Authenticate / Proxy-Authenticate values) on arbitrary text; what parses must print
// (ToString) to text that parses again to the same text.

#include "fuzz-common.h"

#include "ns3/digest-credentials.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace apartment_voip_fuzz;
    using namespace ns3::apartment;
    std::string error;
    auto text = ToText(data, size);
    if (auto c = DigestCredentials::Parse(text, &error))
    {
        std::string out = c->ToString();
        auto again = DigestCredentials::Parse(out, &error);
        if (!again)
        {
            Fail("parsed credentials did not parse again after ToString");
        }
        if (again->ToString() != out)
        {
            Fail("credentials ToString is not stable over a second round trip");
        }
    }
    if (auto c = DigestChallenge::Parse(text, &error))
    {
        std::string out = c->ToString();
        auto again = DigestChallenge::Parse(out, &error);
        if (!again)
        {
            Fail("a parsed challenge did not parse again after ToString");
        }
        if (again->ToString() != out)
        {
            Fail("challenge ToString is not stable over a second round trip");
        }
    }
    return 0;
}
