/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: a PCP (RFC 6887) datagram as the NAT's PCP server reads it
// (PcpHeader::Deserialize, then a round trip), then the server's decisions on it: from its
// claimed client address and from the third-party client, in NAPT and pool mode, twice
// (create, then refresh or delete). Every response must encode to a valid PCP response of
// at most 1100 bytes.

#include "fuzz-common.h"

#include "ns3/nat-table.h"
#include "ns3/pcp-header.h"
#include "ns3/pcp-server.h"

namespace
{

using namespace ns3;
using namespace ns3::apartment;

const Ipv4Address kGatekeeper("10.1.0.2");

void
CheckResponse(const PcpServer::Outcome& outcome)
{
    if (!outcome.response)
    {
        return;
    }
    const PcpHeader& r = *outcome.response;
    if (r.GetSerializedSize() > PcpHeader::MAX_SIZE)
    {
        apartment_voip_fuzz::Fail("a PCP response is longer than 1100 bytes");
    }
    if (r.GetResult() != outcome.result)
    {
        apartment_voip_fuzz::Fail("the response's result is not the outcome's");
    }
    Buffer b;
    b.AddAtStart(r.GetSerializedSize());
    r.Serialize(b.Begin());
    PcpHeader again;
    again.Deserialize(b.Begin());
    if (!again.IsValid() || !again.IsResponse())
    {
        apartment_voip_fuzz::Fail("a response does not decode as a valid PCP response");
    }
}

void
Serve(const PcpHeader& message, NatMode mode, Ipv4Address source)
{
    NatTable::Config c;
    c.mode = mode;
    c.publicAddresses = {Ipv4Address("203.0.113.10")};
    NatTable table(c);
    PcpServer::Config sc;
    sc.thirdPartyClients = {kGatekeeper};
    PcpServer server(table, sc, Seconds(0));
    CheckResponse(server.Handle(message, source, Seconds(1)));
    CheckResponse(server.Handle(message, source, Seconds(100)));
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    apartment_voip_fuzz::HeaderRoundTrip<PcpHeader>(data, size);
    Buffer in = apartment_voip_fuzz::ToBuffer(data, size);
    PcpHeader message;
    message.Deserialize(in.Begin());
    // The source the message claims (so the address check passes and the rest is reached)
    // and the gatekeeper, the one client allowed THIRD_PARTY.
    Ipv4Address claimed = message.GetClientAddress().value_or(Ipv4Address("10.0.0.1"));
    for (NatMode mode : {NatMode::NAPT, NatMode::POOL})
    {
        Serve(message, mode, claimed);
        Serve(message, mode, kGatekeeper);
    }
    return 0;
}
