/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: a DHCP datagram as the gateway's server and the terminal's client read
// it (at least 241 bytes, then DhcpMessage::Deserialize), then every field the receivers read.

#include "fuzz-common.h"

#include "ns3/dhcp-message.h"

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace apartment_voip_fuzz;
    if (size < 241 || size > 4096)
    {
        return 0; // both receivers drop these before decoding (counted there)
    }
    ns3::Buffer in = ToBuffer(data, size);
    ns3::apartment::DhcpMessage m;
    uint32_t read = m.Deserialize(in.Begin());
    if (read == 0)
    {
        return 0; // refused: the receivers count it as malformed
    }
    if (read > size)
    {
        Fail("Deserialize claims more bytes than it was given");
    }
    // Everything the receivers read of a message must be readable.
    const ns3::Header& header = m;
    std::ostringstream os;
    header.Print(os);
    (void)m.GetType();
    (void)m.GetTran();
    (void)m.GetChaddr();
    (void)m.GetCiaddr();
    (void)m.GetReq();
    (void)m.GetLease();
    // No round trip: ns-3's DhcpHeader does not mark the options it decodes as present, so
    // a decoded message re-serializes without its message type; the module never sends a
    // message it decoded, it builds every one afresh.
    return 0;
}
