/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/attribute-file.h"

#include "ns3/config-store.h"
#include "ns3/global-value.h"
#include "ns3/string.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

namespace ns3
{
namespace apartment
{

namespace
{

/// The default in force of attribute \p name of \p tid, as text ("" if there is none).
std::string
GetDefaultText(TypeId tid, const std::string& name)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name, &info) || !info.initialValue || !info.checker)
    {
        return "";
    }
    return info.initialValue->SerializeToString(info.checker);
}

/// Splits "a=b|c=d[e=f|g=h]" at the '|' outside brackets.
std::vector<std::string>
SplitOutsideBrackets(const std::string& text)
{
    std::vector<std::string> parts;
    int depth = 0;
    std::string part;
    for (char c : text)
    {
        depth += (c == '[') - (c == ']');
        if (c == '|' && depth == 0)
        {
            parts.push_back(part);
            part.clear();
            continue;
        }
        part += c;
    }
    parts.push_back(part);
    return parts;
}

/**
 * Checks \p text against \p checker without creating an object: an object value
 * ("ns3::Type[Attr=value|...]") is checked type, attribute and value by value, since
 * creating it would take an automatic random stream and an unknown attribute aborts.
 * \return "" or what is wrong
 */
std::string
CheckValue(Ptr<const AttributeChecker> checker, const std::string& text)
{
    // ns-3 aborts on a number or time it cannot read: check their grammar first.
    static const std::string number = "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";
    static const std::map<std::string, std::pair<std::regex, std::string>> grammar{
        {"ns3::UintegerValue", {std::regex("\\+?[0-9]+"), "a whole number"}},
        {"ns3::IntegerValue", {std::regex("[+-]?[0-9]+"), "a whole number"}},
        {"ns3::DoubleValue", {std::regex(number), "a number"}},
        {"ns3::TimeValue",
         {std::regex(number + "(y|d|h|min|s|ms|us|ns|ps|fs)?"), "a time (e.g. 20ms, +2e+07ns)"}},
    };
    auto rule = grammar.find(checker->GetValueTypeName());
    if (rule != grammar.end() && !std::regex_match(text, rule->second.first))
    {
        return "'" + text + "' is not " + rule->second.second;
    }
    if (checker->GetValueTypeName() != "ns3::PointerValue")
    {
        if (!checker->CreateValidValue(StringValue(text)))
        {
            return "'" + text + "' is not a valid " + checker->GetUnderlyingTypeInformation();
        }
        return "";
    }
    std::string::size_type open = text.find('[');
    std::string typeName = text.substr(0, open);
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(typeName, &tid))
    {
        return "no type " + typeName;
    }
    if (open == std::string::npos)
    {
        return "";
    }
    if (text.back() != ']')
    {
        return "'" + text + "' does not end with ']'";
    }
    std::string inner = text.substr(open + 1, text.size() - open - 2);
    if (inner.empty())
    {
        return "";
    }
    for (const auto& pair : SplitOutsideBrackets(inner))
    {
        std::string::size_type eq = pair.find('=');
        TypeId::AttributeInformation info;
        if (eq == std::string::npos || !tid.LookupAttributeByName(pair.substr(0, eq), &info))
        {
            return typeName + " has no attribute '" + pair.substr(0, eq) + "'";
        }
        std::string error = CheckValue(info.checker, pair.substr(eq + 1));
        if (!error.empty())
        {
            return typeName + "::" + pair.substr(0, eq) + ": " + error;
        }
    }
    return "";
}

/// One entry of a RawText file: `type name "value"`, possibly over several lines.
struct Entry
{
    uint32_t line;
    std::string type;
    std::string name;
    std::string value;
};

/// Reads the entries as ns-3's RawTextConfigLoad does; "" or what is wrong.
std::string
ReadEntries(std::istream& in, const std::string& fileName, std::vector<Entry>* entries)
{
    uint32_t number = 0;
    Entry current{0, "", "", ""};
    for (std::string line; std::getline(in, line);)
    {
        ++number;
        if (current.type.empty())
        {
            if (line.find_first_not_of(" \t\r") == std::string::npos || line.front() == '#')
            {
                continue;
            }
            std::istringstream iss(line);
            iss >> current.type >> current.name >> std::ws;
            std::getline(iss, current.value);
            current.line = number;
            std::string::size_type first = current.value.find_first_not_of(" \t\r");
            if (first != std::string::npos && current.value[first] != '"')
            {
                entries->push_back(current); // refused below: the value is not quoted
                current = Entry{0, "", "", ""};
                continue;
            }
        }
        else
        {
            current.value.append(line);
        }
        if (std::count(current.value.begin(), current.value.end(), '"') >= 2)
        {
            entries->push_back(current);
            current = Entry{0, "", "", ""};
        }
    }
    if (!current.type.empty())
    {
        return fileName + ":" + std::to_string(current.line) + ": the value of " + current.name +
               " has no closing '\"'";
    }
    return "";
}

} // namespace

std::string
LoadAttributeDefaults(std::istream& in,
                      const std::string& fileName,
                      const std::set<std::string>& keep)
{
    std::vector<Entry> entries;
    std::string error = ReadEntries(in, fileName, &entries);
    if (!error.empty())
    {
        return error;
    }

    // What to change: (declaring TypeId, attribute index, value) and (global, value).
    struct DefaultChange
    {
        TypeId tid;
        std::size_t index;
        Ptr<const AttributeValue> value;
    };

    std::vector<DefaultChange> defaults;
    std::vector<std::pair<std::string, std::string>> globals;
    for (auto& e : entries)
    {
        std::string where = fileName + ":" + std::to_string(e.line) + ": ";
        std::string v = e.value;
        v.erase(0, v.find_first_not_of(" \t"));
        v.erase(v.find_last_not_of(" \t\r") + 1);
        if (v.size() < 2 || v.front() != '"' || v.back() != '"' ||
            std::count(v.begin(), v.end(), '"') != 2)
        {
            return where + "the value must be one string in double quotes, not " + e.value;
        }
        v = v.substr(1, v.size() - 2);
        if (keep.count(e.name) != 0)
        {
            continue; // set on the command line, which wins
        }
        if (e.type == "global")
        {
            auto global = std::find_if(GlobalValue::Begin(), GlobalValue::End(), [&e](auto g) {
                return g->GetName() == e.name;
            });
            if (global == GlobalValue::End())
            {
                return where + "no global value " + e.name;
            }
            std::string error = CheckValue((*global)->GetChecker(), v);
            if (!error.empty())
            {
                return where + "global " + e.name + ": " + error;
            }
            StringValue current;
            (*global)->GetValue(current);
            if (current.Get() != v)
            {
                globals.emplace_back(e.name, v);
            }
            continue;
        }
        if (e.type == "value")
        {
            return where + "per-object 'value' lines are not applied by this program; set the "
                           "default of the attribute ('default ns3::Type::Attribute \"...\"')";
        }
        if (e.type != "default")
        {
            return where + "'" + e.type + "' must be default or global";
        }
        std::string::size_type sep = e.name.rfind("::");
        TypeId tid;
        if (sep == std::string::npos || !TypeId::LookupByNameFailSafe(e.name.substr(0, sep), &tid))
        {
            return where + "no type " +
                   (sep == std::string::npos ? e.name : e.name.substr(0, sep)) +
                   " (a misspelt name, or a module this program does not use)";
        }
        std::string attribute = e.name.substr(sep + 2);
        std::size_t index = 0;
        while (index < tid.GetAttributeN() && tid.GetAttribute(index).name != attribute)
        {
            ++index;
        }
        if (index == tid.GetAttributeN())
        {
            for (TypeId parent = tid.GetParent(); parent != tid;
                 tid = parent, parent = tid.GetParent())
            {
                for (std::size_t i = 0; i < parent.GetAttributeN(); ++i)
                {
                    if (parent.GetAttribute(i).name == attribute)
                    {
                        return where + attribute + " is an attribute of " + parent.GetName() +
                               ": write default " + parent.GetName() + "::" + attribute;
                    }
                }
            }
            return where + e.name.substr(0, sep) + " has no attribute " + attribute;
        }
        TypeId::AttributeInformation info = tid.GetAttribute(index);
        if (!(info.flags & TypeId::ATTR_CONSTRUCT) || !info.checker)
        {
            return where + e.name + " has no default to set";
        }
        if (GetDefaultText(tid, attribute) == v)
        {
            continue; // leaves the default as it is: no object is created, no stream taken
        }
        error = CheckValue(info.checker, v);
        if (!error.empty())
        {
            return where + e.name + ": " + error;
        }
        // An object value stays text, so that every instance gets its own object (as with a
        // default written in the code), not one shared by all.
        Ptr<const AttributeValue> value = Create<StringValue>(v);
        if (info.checker->GetValueTypeName() != "ns3::PointerValue")
        {
            value = info.checker->CreateValidValue(StringValue(v));
        }
        defaults.push_back({tid, index, value});
    }
    for (auto& d : defaults)
    {
        d.tid.SetAttributeInitialValue(d.index, d.value);
    }
    for (const auto& [name, value] : globals)
    {
        if (!GlobalValue::BindFailSafe(name, StringValue(value)))
        {
            return fileName + ": '" + value + "' is not a valid value of the global " + name;
        }
    }
    return "";
}

std::string
ConfigureDefaultsFromStore(int argc, char* argv[])
{
    TypeId storeTid = ConfigStore::GetTypeId();
    std::string mode = GetDefaultText(storeTid, "Mode");
    std::string fileName = GetDefaultText(storeTid, "Filename");
    std::string format = GetDefaultText(storeTid, "FileFormat");
    if (mode == "None")
    {
        if (!fileName.empty())
        {
            return "--ns3::ConfigStore::Filename=" + fileName +
                   " needs --ns3::ConfigStore::Mode=Load or Save";
        }
        return "";
    }
    if (fileName.empty())
    {
        return "--ns3::ConfigStore::Mode=" + mode + " needs --ns3::ConfigStore::Filename=<file>";
    }
    if (format != "RawText")
    {
        return "--ns3::ConfigStore::FileFormat=" + format +
               ": attribute files are RawText here (--ns3::ConfigStore::FileFormat=RawText)";
    }
    if (mode == "Save")
    {
        if (!std::ofstream(fileName, std::ios::app))
        {
            return "cannot write the attribute file " + fileName;
        }
        ConfigStore store; // reads Mode, Filename and FileFormat from the defaults
        store.ConfigureDefaults();
        return "";
    }
    std::ifstream in(fileName);
    if (!in)
    {
        return "cannot read the attribute file " + fileName;
    }
    // What the command line sets itself: --ns3::Type::Attribute=v, --Type::Attribute=v (ns-3
    // adds the ns3:: prefix), --RngRun=v.
    std::set<std::string> keep;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        std::string::size_type start = arg.find_first_not_of('-');
        if (start == 0 || start == std::string::npos)
        {
            continue;
        }
        std::string name = arg.substr(start, arg.find('=') - start);
        keep.insert(name);
        keep.insert("ns3::" + name);
    }
    return LoadAttributeDefaults(in, fileName, keep);
}

} // namespace apartment
} // namespace ns3
