/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/pcp-header.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::apartment;

namespace
{

std::vector<uint8_t>
Bytes(const PcpHeader& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

PcpHeader
Parse(const std::vector<uint8_t>& bytes)
{
    Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
    PcpHeader h;
    p->RemoveHeader(h);
    return h;
}

PcpHeader::Nonce
TestNonce()
{
    PcpHeader::Nonce n{};
    for (uint8_t i = 0; i < 12; ++i)
    {
        n[i] = i + 1;
    }
    return n;
}

// RFC 6887 §7.1 (request header), §11.1 (MAP payload), §13.1 (THIRD_PARTY), written by
// hand byte by byte: a gatekeeper 10.0.0.5 asks for UDP port 8000 of 10.1.2.3, 3600 s.
const std::vector<uint8_t> kMapRequest = {
    0x02, 0x01, 0x00, 0x00,                                // version 2, R=0 opcode MAP, reserved
    0x00, 0x00, 0x0e, 0x10,                                // requested lifetime 3600
    0,    0,    0,    0,    0, 0, 0, 0, 0, 0,  0xff, 0xff, // client IP ::ffff:
    10,   0,    0,    5,                                   //   10.0.0.5
    1,    2,    3,    4,    5, 6, 7, 8, 9, 10, 11,   12,   // mapping nonce
    17,   0,    0,    0,                                   // protocol UDP, reserved
    0x1f, 0x40, 0x1f, 0x40,                                // internal port 8000, suggested 8000
    0,    0,    0,    0,    0, 0, 0, 0, 0, 0,  0,    0,
    0,    0,    0,    0,                                   // suggested external IP :: (none)
    0x01, 0x00, 0x00, 0x10,                                // THIRD_PARTY, reserved, length 16
    0,    0,    0,    0,    0, 0, 0, 0, 0, 0,  0xff, 0xff, // internal IP ::ffff:
    10,   1,    2,    3,                                   //   10.1.2.3
};

// §7.2 response header: R=1, result, lifetime, epoch, 96 reserved bits; MAP payload with
// the assigned external endpoint 203.0.113.1:40000.
const std::vector<uint8_t> kMapResponse = {
    0x02, 0x81, 0x00, 0x00,                                // version 2, R=1 MAP, reserved, SUCCESS
    0x00, 0x00, 0x01, 0x2c,                                // lifetime 300
    0x00, 0x00, 0x00, 0x07,                                // epoch 7
    0,    0,    0,    0,    0, 0, 0, 0, 0, 0,  0,    0,    // reserved
    1,    2,    3,    4,    5, 6, 7, 8, 9, 10, 11,   12,   // nonce
    17,   0,    0,    0,                                   // UDP
    0x1f, 0x40, 0x9c, 0x40,                                // internal 8000, assigned 40000
    0,    0,    0,    0,    0, 0, 0, 0, 0, 0,  0xff, 0xff, // ::ffff:
    203,  0,    113,  1,                                   //   203.0.113.1
    0x01, 0x00, 0x00, 0x10,                                // THIRD_PARTY copied from the request
    0,    0,    0,    0,    0, 0, 0, 0, 0, 0,  0xff, 0xff, 10, 1, 2, 3,
};

TEST(PcpHeaderTest, MapRequestWithThirdPartyMatchesRfcLayout)
{
    PcpHeader h = PcpHeader::MakeMapRequest("10.0.0.5",
                                            3600,
                                            TestNonce(),
                                            17,
                                            8000,
                                            8000,
                                            Ipv4Address::GetAny());
    h.SetThirdParty("10.1.2.3");
    EXPECT_EQ(h.GetSerializedSize(), 80u);
    EXPECT_EQ(Bytes(h), kMapRequest);

    PcpHeader back = Parse(kMapRequest);
    ASSERT_TRUE(back.IsValid()) << back.GetError();
    EXPECT_FALSE(back.IsResponse());
    EXPECT_EQ(back.GetVersion(), 2);
    EXPECT_EQ(back.GetOpcode(), PcpHeader::MAP);
    EXPECT_EQ(back.GetLifetime(), 3600u);
    EXPECT_EQ(back.GetClientAddress(), std::optional<Ipv4Address>("10.0.0.5"));
    EXPECT_EQ(back.GetNonce(), TestNonce());
    EXPECT_EQ(back.GetProtocol(), 17);
    EXPECT_EQ(back.GetInternalPort(), 8000);
    EXPECT_EQ(back.GetExternalPort(), 8000);
    EXPECT_FALSE(back.GetExternalAddress()); // :: is not IPv4-mapped
    EXPECT_EQ(back.GetThirdParty(), std::optional<Ipv4Address>("10.1.2.3"));
    EXPECT_FALSE(back.GetUnknownOption());
}

TEST(PcpHeaderTest, MapResponseMatchesRfcLayoutAndRoundTrips)
{
    PcpHeader request = Parse(kMapRequest);
    PcpHeader h = PcpHeader::MakeResponse(request, PcpHeader::SUCCESS, 300, 7);
    h.SetExternalPort(40000);
    h.SetExternalAddress("203.0.113.1");
    EXPECT_EQ(Bytes(h), kMapResponse);

    PcpHeader back = Parse(kMapResponse);
    ASSERT_TRUE(back.IsValid()) << back.GetError();
    EXPECT_TRUE(back.IsResponse());
    EXPECT_EQ(back.GetResult(), PcpHeader::SUCCESS);
    EXPECT_EQ(back.GetLifetime(), 300u);
    EXPECT_EQ(back.GetEpoch(), 7u);
    EXPECT_EQ(back.GetExternalAddress(), std::optional<Ipv4Address>("203.0.113.1"));
    EXPECT_EQ(back.GetExternalPort(), 40000);
    EXPECT_EQ(back.GetInternalPort(), 8000);
    EXPECT_EQ(Bytes(back), kMapResponse);
}

TEST(PcpHeaderTest, ErrorResponseAndOptionsRoundTrip)
{
    PcpHeader r = PcpHeader::MakeResponse(Parse(kMapRequest), PcpHeader::NOT_AUTHORIZED, 30, 9);
    r.AddRawOption(0x80, {1, 2, 3}); // optional option, padded to 4 bytes
    auto bytes = Bytes(r);
    EXPECT_EQ(bytes.size(), 88u);
    EXPECT_EQ(bytes[1], 0x81);
    EXPECT_EQ(bytes[3], PcpHeader::NOT_AUTHORIZED);
    PcpHeader back = Parse(bytes);
    ASSERT_TRUE(back.IsValid()) << back.GetError();
    EXPECT_EQ(back.GetResult(), PcpHeader::NOT_AUTHORIZED);
    EXPECT_EQ(PcpHeader::ResultName(back.GetResult()), "NOT_AUTHORIZED");
    EXPECT_FALSE(back.GetUnknownOption()); // optional options are ignored
    EXPECT_EQ(Bytes(back), bytes);

    PcpHeader withMandatory = Parse(kMapRequest);
    withMandatory.AddRawOption(PcpHeader::PREFER_FAILURE, {});
    EXPECT_EQ(Parse(Bytes(withMandatory)).GetUnknownOption(),
              std::optional<uint8_t>(PcpHeader::PREFER_FAILURE));
}

TEST(PcpHeaderTest, TruncatedAndMalformedInputIsReportedNotRead)
{
    // Every prefix of a valid request: none crashes, each is either valid or says why.
    for (std::size_t n = 0; n < kMapRequest.size(); ++n)
    {
        if (n == 60)
        {
            continue; // a complete MAP request without its option
        }
        std::vector<uint8_t> prefix(kMapRequest.begin(), kMapRequest.begin() + n);
        PcpHeader h = Parse(prefix);
        EXPECT_FALSE(h.IsValid()) << n << " bytes";
        EXPECT_FALSE(h.GetError().empty()) << n << " bytes";
    }
    auto bad = kMapRequest;
    bad[0] = 1; // RFC 6887 §9: a version-1 (NAT-PMP) client
    PcpHeader v1 = Parse(bad);
    EXPECT_FALSE(v1.IsValid());
    EXPECT_EQ(v1.GetVersion(), 1); // still known, for UNSUPP_VERSION
    bad = kMapRequest;
    bad[63] = 0x40; // option length 64 > what is left
    EXPECT_NE(Parse(bad).GetError().find("longer than the message"), std::string::npos);
    bad = kMapRequest;
    bad.resize(1104, 0);
    EXPECT_NE(Parse(bad).GetError().find("1100"), std::string::npos);
    bad = kMapRequest;
    bad[1] = 0x05; // unknown opcode: payload kept raw, valid for an UNSUPP_OPCODE answer
    PcpHeader other = Parse(bad);
    EXPECT_TRUE(other.IsValid());
    EXPECT_EQ(other.GetOpcode(), 5);
    EXPECT_EQ(Bytes(other), bad);
    // Random bytes never crash and consume the whole message.
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(7);
    for (int k = 0; k < 2000; ++k)
    {
        std::vector<uint8_t> noise = kMapRequest;
        noise.resize(4 * u->GetInteger(0, 30));
        for (int flips = 0; flips < 4 && !noise.empty(); ++flips)
        {
            noise[u->GetInteger(0, noise.size() - 1)] = u->GetInteger(0, 255);
        }
        Ptr<Packet> p = Create<Packet>(noise.data(), noise.size());
        PcpHeader h;
        EXPECT_EQ(p->RemoveHeader(h), noise.size());
    }
}

/// Writes \p messages as UDP/IPv4 datagrams (raw-IP pcap) so tshark can decode them.
void
WritePcap(const std::string& file,
          const std::vector<std::pair<bool, std::vector<uint8_t>>>& messages)
{
    PcapFile pcap;
    pcap.Open(file, std::ios::out | std::ios::binary);
    pcap.Init(PcapHelper::DLT_RAW);
    uint32_t t = 0;
    for (const auto& [toServer, bytes] : messages)
    {
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        Ipv4Address client("10.0.0.5");
        Ipv4Address server("10.0.0.1");
        UdpHeader udp;
        udp.SetSourcePort(toServer ? 40001 : PcpHeader::PORT);
        udp.SetDestinationPort(toServer ? PcpHeader::PORT : 40001);
        udp.EnableChecksums();
        udp.InitializeChecksum(toServer ? client : server,
                               toServer ? server : client,
                               UdpL4Protocol::PROT_NUMBER);
        p->AddHeader(udp);
        Ipv4Header ip;
        ip.SetSource(toServer ? client : server);
        ip.SetDestination(toServer ? server : client);
        ip.SetProtocol(UdpL4Protocol::PROT_NUMBER);
        ip.SetPayloadSize(p->GetSize());
        ip.SetTtl(64);
        ip.EnableChecksum();
        p->AddHeader(ip);
        pcap.Write(t++, 0, p);
    }
    pcap.Close();
}

TEST(PcpHeaderTest, WiresharkDecodesRequestAndResponse)
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    const char* dir = std::getenv("TMPDIR");
    std::string file = std::string(dir ? dir : "/tmp") + "/apartment-voip-pcp-header-test.pcap";
    WritePcap(file, {{true, kMapRequest}, {false, kMapResponse}});
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    if (std::system("command -v tshark >/dev/null 2>&1") != 0)
    {
        GTEST_SKIP() << "tshark not installed; wrote " << file;
    }
    std::string out = file + ".txt";
    std::string cmd =
        "tshark -r " + file +
        " -Y portcontrol -T fields -e portcontrol.opcode -e portcontrol.result_code "
        "-e portcontrol.map.internal_port -e portcontrol.option.third_party.internal_ip "
        "-e portcontrol.map.rsp_assigned_ext_ip -e _ws.malformed > " +
        out + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("_ws.malformed"), std::string::npos) << text;
    // Wireshark's Port Control Protocol dissector ("portcontrol"; "pcp" is Performance
    // Co-Pilot) on UDP 5351: both messages, the MAP fields and the THIRD_PARTY address.
    EXPECT_EQ(text,
              "1\t\t8000\t::ffff:10.1.2.3\t\t\n"
              "1\t0\t8000\t::ffff:10.1.2.3\t::ffff:203.0.113.1\t\n")
        << text;
    std::remove(out.c_str());
    std::remove(file.c_str());
}

} // namespace
