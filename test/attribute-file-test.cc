/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/attribute-file.h"
#include "ns3/core-module.h"
#include "ns3/sip-terminal.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace ns3;
using ns3::apartment::LoadAttributeDefaults;
using ns3::apartment::SipTerminal;

namespace
{

/// Restores the SipTerminal defaults and the globals a test changes.
class AttributeFileTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        TypeId tid = SipTerminal::GetTypeId();
        for (std::size_t i = 0; i < tid.GetAttributeN(); ++i)
        {
            m_saved.push_back(tid.GetAttribute(i).initialValue);
        }
    }

    void TearDown() override
    {
        TypeId tid = SipTerminal::GetTypeId();
        for (std::size_t i = 0; i < m_saved.size(); ++i)
        {
            tid.SetAttributeInitialValue(i, m_saved[i]);
        }
        GlobalValue::Bind("RngRun", UintegerValue(1));
    }

    static std::string Load(const std::string& text)
    {
        std::istringstream in(text);
        return LoadAttributeDefaults(in, "a.txt");
    }

    static std::string Default(const std::string& name)
    {
        TypeId::AttributeInformation info;
        EXPECT_TRUE(SipTerminal::GetTypeId().LookupAttributeByName(name, &info));
        return info.initialValue->SerializeToString(info.checker);
    }

    static Ptr<const AttributeValue> DefaultValue(const std::string& name)
    {
        TypeId::AttributeInformation info;
        SipTerminal::GetTypeId().LookupAttributeByName(name, &info);
        return info.initialValue;
    }

    std::vector<Ptr<const AttributeValue>> m_saved;
};

TEST_F(AttributeFileTest, SetsDefaultsAndGlobalsLikeConfigStore)
{
    EXPECT_EQ(Load("# a comment\n"
                   "\n"
                   "default ns3::apartment::SipTerminal::T1 \"+250ms\"\n"
                   "default ns3::apartment::SipTerminal::PayloadType\n"
                   "  \"8\"\n"
                   "default ns3::apartment::SipTerminal::RingTime "
                   "\"ns3::ConstantRandomVariable[Constant=0.5]\"\n"
                   "global RngRun \"7\"\n"),
              "");
    EXPECT_EQ(Default("T1"), "+2.5e+08ns");
    EXPECT_EQ(Default("PayloadType"), "8");
    // Kept as text: every terminal creates its own random variable from it.
    EXPECT_NE(DynamicCast<const StringValue>(DefaultValue("RingTime")), nullptr);
    EXPECT_EQ(Default("RingTime"), "ns3::ConstantRandomVariable[Constant=0.5]");
    auto terminal = CreateObject<SipTerminal>();
    PointerValue ring;
    terminal->GetAttribute("RingTime", ring);
    ASSERT_NE(ring.Get<ConstantRandomVariable>(), nullptr);
    EXPECT_DOUBLE_EQ(ring.Get<ConstantRandomVariable>()->GetValue(), 0.5);
    UintegerValue run;
    GlobalValue::GetValueByName("RngRun", run);
    EXPECT_EQ(run.Get(), 7U);
}

TEST_F(AttributeFileTest, LeavesAloneWhatRepeatsTheDefault)
{
    Ptr<const AttributeValue> before = DefaultValue("RingTime");
    std::string saved = "default ns3::apartment::SipTerminal::RingTime \"" + Default("RingTime") +
                        "\"\ndefault ns3::apartment::SipTerminal::T1 \"" + Default("T1") + "\"\n";
    EXPECT_EQ(Load(saved), "");
    EXPECT_EQ(DefaultValue("RingTime"), before); // the same object: nothing was set
}

TEST_F(AttributeFileTest, LeavesWhatTheCommandLineSets)
{
    std::istringstream in("default ns3::apartment::SipTerminal::T1 \"+250ms\"\n"
                          "default ns3::apartment::SipTerminal::PayloadType \"8\"\n"
                          "global RngRun \"7\"\n");
    EXPECT_EQ(LoadAttributeDefaults(in, "a.txt", {"ns3::apartment::SipTerminal::T1", "RngRun"}),
              "");
    EXPECT_EQ(Default("T1"), "+5e+08ns");
    EXPECT_EQ(Default("PayloadType"), "8");
    UintegerValue run;
    GlobalValue::GetValueByName("RngRun", run);
    EXPECT_EQ(run.Get(), 1U);
}

TEST_F(AttributeFileTest, RefusesBadLinesWithTheLineAndChangesNothing)
{
    const std::string good = "default ns3::apartment::SipTerminal::PayloadType \"8\"\n";

    struct Case
    {
        std::string line;
        std::string message;
    };

    for (const Case& c : std::vector<Case>{
             {"default ns3::apartment::SipTermnal::T1 \"1s\"", "a.txt:2: no type"},
             {"default ns3::apartment::SipTerminal::T2 \"1s\"", "has no attribute T2"},
             {"default ns3::apartment::SipTerminal::T1 \"fast\"", "'fast' is not a time"},
             {"default ns3::apartment::SipTerminal::Port \"many\"", "'many' is not a whole number"},
             {"default ns3::apartment::SipTerminal::StartTime \"1s\"",
              "attribute of ns3::Application"},
             {"default ns3::apartment::SipTerminal::RingTime \"ns3::NoSuchVariable\"",
              "no type ns3::NoSuchVariable"},
             {"default ns3::apartment::SipTerminal::RingTime "
              "\"ns3::ConstantRandomVariable[Value=1]\"",
              "has no attribute 'Value'"},
             {"default ns3::apartment::SipTerminal::T1 1s", "in double quotes"},
             {"default ns3::apartment::SipTerminal::T1 \"1s", "no closing"},
             {"value /NodeList/0/ApplicationList/0/$ns3::apartment::SipTerminal/T1 \"1s\"",
              "per-object 'value' lines"},
             {"set ns3::apartment::SipTerminal::T1 \"1s\"", "must be default or global"},
             {"global NoSuchGlobal \"1\"", "no global value NoSuchGlobal"},
             {"global RngRun \"many\"", "global RngRun: 'many' is not a whole number"},
         })
    {
        std::string error = Load(good + c.line + "\n");
        EXPECT_NE(error.find(c.message), std::string::npos) << c.line << " -> " << error;
        EXPECT_EQ(Default("PayloadType"), "0") << c.line; // the good line was not applied
    }
}

} // namespace
