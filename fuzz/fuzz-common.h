/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Shared pieces of the libFuzzer targets: each target feeds arbitrary bytes to one decoder
// of bytes read off the simulated wire, as the receiving application does, and checks that
// whatever decodes also survives its own encoder (a round trip). A crash, a sanitizer
// report or a failed round trip is a finding.

#ifndef APARTMENT_VOIP_FUZZ_COMMON_H
#define APARTMENT_VOIP_FUZZ_COMMON_H

#include "ns3/buffer.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

namespace apartment_voip_fuzz
{

/// Stops the run with a message libFuzzer shows next to the input that caused it.
[[noreturn]] inline void
Fail(const char* what)
{
    std::fprintf(stderr, "fuzz finding: %s\n", what);
    std::abort();
}

inline ns3::Buffer
ToBuffer(const uint8_t* data, size_t size)
{
    ns3::Buffer b;
    b.AddAtStart(static_cast<uint32_t>(size));
    b.Begin().Write(data, static_cast<uint32_t>(size));
    return b;
}

inline std::string_view
ToText(const uint8_t* data, size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

/**
 * Deserializes \p data into an H, as a receiver that checked the datagram's size would,
 * and, if H says the bytes were valid, serializes it and decodes that again.
 */
template <class H>
void
HeaderRoundTrip(const uint8_t* data, size_t size)
{
    ns3::Buffer in = ToBuffer(data, size);
    H h;
    uint32_t read = h.Deserialize(in.Begin());
    if (read > size)
    {
        Fail("Deserialize claims more bytes than it was given");
    }
    std::ostringstream os;
    h.Print(os);
    if (!h.IsValid())
    {
        return;
    }
    ns3::Buffer out;
    out.AddAtStart(h.GetSerializedSize());
    h.Serialize(out.Begin());
    H again;
    again.Deserialize(out.Begin());
    if (!again.IsValid())
    {
        Fail("a valid header did not survive its own serialization");
    }
    if (again.GetSerializedSize() != h.GetSerializedSize())
    {
        Fail("round trip changed the serialized size");
    }
}

} // namespace apartment_voip_fuzz

#endif /* APARTMENT_VOIP_FUZZ_COMMON_H */
