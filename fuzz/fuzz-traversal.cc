/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: TraversalHeader::Deserialize on arbitrary bytes, then a round trip. A
// KEEP then goes through the router agent's checks (KeepAuthenticator, the helpers' default
// key): a KEEP the fuzzer changed must not pass as authentic unless its code is right,
// and the same KEEP twice is never authentic twice.

#include "fuzz-common.h"

#include "ns3/keep-authenticator.h"
#include "ns3/traversal-header.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace ns3;
    using namespace ns3::apartment;
    apartment_voip_fuzz::HeaderRoundTrip<TraversalHeader>(data, size);
    Buffer in = apartment_voip_fuzz::ToBuffer(data, size);
    TraversalHeader h;
    h.Deserialize(in.Begin());
    if (h.IsValid() && h.GetType() == TraversalHeader::KEEP && CryptoAvailable())
    {
        // The helpers' default key: the KEEPs of the seed corpus (nat-traversal's pcap) use it.
        KeepAuthenticator agent(KeepAuthenticator::GetDefaultKey());
        const Ipv4Address sender("198.51.100.2");
        const auto first = agent.Check(h, sender);
        if (first == KeepAuthenticator::AUTHENTIC && !CodesEqual(agent.Compute(h), h.GetMac()))
        {
            apartment_voip_fuzz::Fail("a KEEP with a wrong code passed as authentic");
        }
        if (agent.Check(h, sender) == KeepAuthenticator::AUTHENTIC)
        {
            apartment_voip_fuzz::Fail("the same KEEP was authentic twice");
        }
    }
    return 0;
}
