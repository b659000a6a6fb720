/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sdp.h"

#include <gtest/gtest.h>

using namespace ns3::apartment;

namespace
{

SessionDescription
MakeOffer()
{
    SessionDescription sd;
    sd.originUser = "100110112011";
    sd.sessionId = 42;
    sd.sessionVersion = 1;
    sd.originAddress = "10.1.0.2";
    sd.connectionAddress = "10.1.0.2";
    SdpMedia audio;
    audio.port = 16384;
    audio.formats = {0, 8};
    audio.ptimeMs = 20;
    sd.media.push_back(audio);
    return sd;
}

TEST(SdpTest, RoundTrip)
{
    auto text = MakeOffer().Serialize();
    EXPECT_NE(text.find("m=audio 16384 RTP/AVP 0 8\r\n"), std::string::npos);
    EXPECT_NE(text.find("a=rtpmap:0 PCMU/8000\r\n"), std::string::npos);
    EXPECT_NE(text.find("a=rtpmap:8 PCMA/8000\r\n"), std::string::npos);
    EXPECT_NE(text.find("a=ptime:20\r\n"), std::string::npos);
    std::string error;
    auto sd = SessionDescription::Parse(text, &error);
    ASSERT_TRUE(sd) << error;
    EXPECT_EQ(sd->connectionAddress, "10.1.0.2");
    EXPECT_EQ(sd->sessionId, 42u);
    ASSERT_NE(sd->FindMedia("audio"), nullptr);
    EXPECT_EQ(sd->FindMedia("audio")->port, 16384);
    EXPECT_EQ(sd->FindMedia("audio")->ptimeMs, 20u);
    EXPECT_EQ(sd->FindMedia("audio")->rtpmaps.at(8), "PCMA/8000");
    EXPECT_EQ(sd->FindMedia("video"), nullptr);
    EXPECT_EQ(sd->Serialize(), text);
}

TEST(SdpTest, MediaLevelConnectionAndVideo)
{
    std::string text = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nt=0 0\nm=audio 4000 RTP/AVP 8\n"
                       "c=IN IP4 5.6.7.8\nm=video 4002 RTP/AVP 34\na=sendonly\n";
    std::string error;
    auto sd = SessionDescription::Parse(text, &error);
    ASSERT_TRUE(sd) << error;
    EXPECT_EQ(sd->connectionAddress, "5.6.7.8");
    ASSERT_NE(sd->FindMedia("video"), nullptr);
    EXPECT_EQ(sd->FindMedia("video")->direction, "sendonly");
}

TEST(SdpTest, OfferAnswerChoice)
{
    SdpMedia offer;
    offer.formats = {18, 8, 0};
    EXPECT_EQ(ChoosePayloadType(offer, {0, 8}), 8);
    EXPECT_FALSE(ChoosePayloadType(offer, {9}).has_value());
}

TEST(SdpTest, RejectsMalformed)
{
    std::string good = MakeOffer().Serialize();
    auto replace = [&good](const std::string& from, const std::string& to) {
        std::string s = good;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    std::vector<std::pair<std::string, std::string>> cases{
        {"", "missing"},
        {replace("v=0", "v=1"), "version"},
        {replace("v=0\r\n", ""), "first line"},
        {replace("c=IN IP4 10.1.0.2", "c=IN IP4 10.1.0"), "c="},
        {replace("c=IN IP4 10.1.0.2\r\n", ""), "no connection address"},
        {replace("16384", "70000"), "port"},
        {replace("RTP/AVP 0 8", "RTP/AVP 0 x"), "payload type"},
        {replace("a=ptime:20", "a=ptime:0"), "ptime"},
        {replace("t=0 0", "t=now"), "t="},
        {replace("o=100110112011 42 1 IN IP4", "o=100110112011 42 IN IP4"), "o="},
        {"garbage", "letter"},
    };
    for (const auto& [text, why] : cases)
    {
        std::string error;
        EXPECT_FALSE(SessionDescription::Parse(text, &error)) << text;
        EXPECT_NE(error.find(why), std::string::npos) << error;
    }
}

} // namespace
