/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Every TypeId of the module, as ns-3's introspection (and its Doxygen pages) sees it: help
// texts present and trace sources naming a real callback signature.

#include "ns3/sip-terminal.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const std::string PREFIX = "ns3::apartment::";

// Callback names that were used but name no typedef anywhere in ns-3.
const std::set<std::string> BOGUS_CALLBACKS = {
    "ns3::TracedCallback::String",
    "ns3::TracedCallback::StringString",
    "ns3::TracedCallback",
    "ns3::TracedValueCallback",
};

// The TypeIds the module registers: named ns3::apartment::*, or in group ApartmentVoip.
std::vector<TypeId>
ModuleTypeIds()
{
    // Naming one of the module's types keeps a linker with --as-needed from dropping the
    // library, whose loading registers every TypeId.
    apartment::SipTerminal::GetTypeId();
    std::vector<TypeId> ids;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId tid = TypeId::GetRegistered(i);
        if (tid.GetName().rfind(PREFIX, 0) == 0 || tid.GetGroupName() == "ApartmentVoip")
        {
            ids.push_back(tid);
        }
    }
    return ids;
}

std::set<std::string>
ModuleTypeNames()
{
    std::set<std::string> names;
    for (const TypeId& tid : ModuleTypeIds())
    {
        names.insert(tid.GetName());
    }
    return names;
}

TEST(TypeIdTest, ModuleRegistersItsTypesInItsGroup)
{
    std::vector<TypeId> ids = ModuleTypeIds();
    // The module has some two dozen Objects; fewer means the walk found nothing to check.
    EXPECT_GE(ids.size(), 20U);
    for (const TypeId& tid : ids)
    {
        EXPECT_EQ(tid.GetName().rfind(PREFIX, 0), 0U) << tid.GetName();
        EXPECT_EQ(tid.GetGroupName(), "ApartmentVoip") << tid.GetName();
    }
}

TEST(TypeIdTest, EveryAttributeHasHelp)
{
    uint32_t checked = 0;
    for (const TypeId& tid : ModuleTypeIds())
    {
        for (std::size_t i = 0; i < tid.GetAttributeN(); ++i)
        {
            TypeId::AttributeInformation info = tid.GetAttribute(i);
            EXPECT_FALSE(info.help.empty()) << tid.GetName() << "::" << info.name;
            ++checked;
        }
    }
    EXPECT_GT(checked, 50U);
}

TEST(TypeIdTest, EveryTraceSourceHasHelpAndARealCallbackName)
{
    const std::set<std::string> types = ModuleTypeNames();
    uint32_t checked = 0;
    for (const TypeId& tid : ModuleTypeIds())
    {
        for (std::size_t i = 0; i < tid.GetTraceSourceN(); ++i)
        {
            TypeId::TraceSourceInformation info = tid.GetTraceSource(i);
            const std::string where = tid.GetName() + "::" + info.name;
            ++checked;
            EXPECT_FALSE(info.help.empty()) << where;
            EXPECT_FALSE(info.callback.empty()) << where;
            EXPECT_EQ(BOGUS_CALLBACKS.count(info.callback), 0U) << where << ": " << info.callback;
            // ns-3 names a signature Class::XxxCallback (or ...TracedCallback); a module
            // signature must live in one of the module's own classes.
            const std::size_t sep = info.callback.rfind("::");
            ASSERT_NE(sep, std::string::npos) << where << ": " << info.callback;
            const std::string owner = info.callback.substr(0, sep);
            const std::string typedefName = info.callback.substr(sep + 2);
            EXPECT_NE(typedefName.find("Callback"), std::string::npos)
                << where << ": " << info.callback;
            if (owner.rfind(PREFIX, 0) == 0)
            {
                EXPECT_EQ(types.count(owner), 1U)
                    << where << ": " << info.callback << " is not in a module TypeId";
            }
        }
    }
    EXPECT_GT(checked, 40U);
}

} // namespace
