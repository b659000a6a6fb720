/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: a SIP datagram as SipStack reads it (SipHeader takes the bytes,
// SipMessage::Parse the text); a parsed message must serialize to text that parses again
// to the same text.

#include "fuzz-common.h"

#include "ns3/sip-header.h"
#include "ns3/sip-message.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace apartment_voip_fuzz;
    ns3::Buffer in = ToBuffer(data, size);
    ns3::apartment::SipHeader header;
    header.Deserialize(in.Begin());
    std::string error;
    auto m = ns3::apartment::SipMessage::Parse(header.GetText(), &error);
    if (!m)
    {
        if (error.empty())
        {
            Fail("a refused SIP message comes without a reason");
        }
        return 0;
    }
    // Exercise the accessors the elements use on every message.
    (void)m->GetTopVia();
    (void)m->GetFrom();
    (void)m->GetTo();
    (void)m->GetCallId();
    (void)m->GetTopBranch();
    std::string text = m->Serialize();
    auto again = ns3::apartment::SipMessage::Parse(text, &error);
    if (!again)
    {
        Fail("a parsed SIP message did not parse again after Serialize");
    }
    if (again->Serialize() != text)
    {
        Fail("Serialize is not stable over a second round trip");
    }
    return 0;
}
